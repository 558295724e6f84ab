package statement

import (
	"fmt"
	"io"
	"strings"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
)

// DiscountNotice is what an aviso for the employer shows: the worker,
// the credit, the discount and from when it starts, changes or stops.
// Everything but Verified is the document's input.
type DiscountNotice struct {
	Kind             string // credit.AvisoRetencion, AvisoModificacion or AvisoSuspension
	Name, NSS, CURP  string
	CreditNumber     string
	EmployerName     string // empty when no employer is known
	EmployerRegistro string
	DiscountType     string // credit.Discount…
	DiscountFactorE4 int64
	Start            portal.Date // zero: unknown (a suspension of a credit settled before its ledger)
	Reason           string
	Verified         Verified `json:"-"`
}

// WriteDiscountNotice renders an aviso de retención, modificación or
// suspensión de descuentos.
func WriteDiscountNotice(w io.Writer, n *DiscountNotice) error {
	if n == nil {
		return fmt.Errorf("statement: no aviso")
	}
	title := credit.AvisoTitle(n.Kind)
	if title == "" || strings.TrimSpace(n.CreditNumber) == "" || strings.TrimSpace(n.Name) == "" {
		return fmt.Errorf("statement: incomplete aviso %q", n.Kind)
	}
	dtype := credit.DiscountTypeNames[n.DiscountType]
	if dtype == "" {
		return fmt.Errorf("statement: aviso %q: unknown discount type %q", n.Kind, n.DiscountType)
	}
	from, since := "a partir de la fecha en que reciba este aviso", ""
	if !n.Start.IsZero() {
		from, since = "a partir del "+slipDate(n.Start), " desde el "+slipDate(n.Start)
	}
	return writeIssued(w, title, n.Verified, func(p *pen, _ func()) {
		to := "Al patrón de la persona trabajadora"
		if n.EmployerName != "" {
			to = "A: " + n.EmployerName + " (registro patronal " + n.EmployerRegistro + ")"
		}
		p.font("B", 10)
		p.multiCell(0, 6, to, "", "L", false)
		p.pdf.Ln(1)
		switch n.Kind {
		case credit.AvisoRetencion:
			paragraph(p, 10, "Con fundamento en el artículo 29, fracción III, de la Ley del Infonavit, le informamos que "+n.Name+
				" tiene un crédito de vivienda con el Fondo. Retenga de su salario el descuento que se indica "+from+
				" y entérelo cada bimestre junto con las aportaciones patronales, como lo indique la Cédula de Emisión Bimestral Anticipada.")
		case credit.AvisoModificacion:
			paragraph(p, 10, "Le informamos que cambiaron las condiciones del crédito de vivienda de "+n.Name+
				". "+capitalize(from)+", aplique el descuento que se indica en lugar del anterior y entérelo cada bimestre junto con las aportaciones patronales.")
		case credit.AvisoSuspension:
			paragraph(p, 10, "Le informamos que el crédito de vivienda de "+n.Name+" está liquidado"+since+
				". Deje de aplicar el descuento por nómina de este crédito a partir de que reciba este aviso.")
		}
		what := "Fecha de inicio del descuento"
		if n.Kind == credit.AvisoSuspension {
			what = "Crédito liquidado el"
		}
		startText := "no disponible"
		if !n.Start.IsZero() {
			startText = slipDate(n.Start)
		}
		section(p, "Datos del descuento")
		fields(p, 58, [][2]string{
			{"Número de crédito", n.CreditNumber},
			{"Persona trabajadora", n.Name},
			{"NSS", n.NSS},
			{"CURP", n.CURP},
			{"Tipo de descuento", dtype},
			{"Valor del descuento", credit.DiscountValue(n.DiscountType, n.DiscountFactorE4)},
			{what, startText},
			{"Motivo", n.Reason},
		})
		p.pdf.Ln(2)
		if n.Kind == credit.AvisoSuspension {
			note(p, "Si el descuento de este bimestre ya se retuvo, entérelo con las aportaciones; el Fondo devuelve a la persona trabajadora lo que haya pagado de más.")
		} else {
			note(p, "El descuento no se suspende por faltas ni incapacidades (artículo 29 de la Ley del Infonavit, reforma de 2025). Si el salario pagado no alcanza, retenga lo que sea posible y aclárelo en el Portal Empresarial.")
		}
		note(p, "Persona trabajadora: imprime dos tantos, entrega uno a tu patrón y conserva el otro con su firma y sello de recibido.")
		section(p, "Recibido por el patrón")
		p.font("", 9.5)
		p.cell(110, 12, "Nombre, firma y sello:", "B", 0, "L", false)
		p.cell(6, 12, "", "", 0, "L", false)
		p.cell(0, 12, "Fecha:", "B", 1, "L", false)
	})
}
