package request

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

// The requests a borrower files about their credit, and the pensioner's
// refund of their savings (issue 8): each page shows, before the person
// starts, whether they qualify and why. Who qualifies and what approval
// does live in the servicing package, which registers an Applier for each
// of these types; here is only what each request carries — the figures
// the person saw when filing, kept as they were — and its form's checks.
// The service levels are the portal's own (the fund publishes none),
// except the 10 working days of the refunds (domain.md §9.4, §9.5).
var (
	Conversion = Type{Prefix: "RCP", Name: "conversión de tu crédito a pesos (Responsabilidad Compartida)",
		Title: "Responsabilidad Compartida: conversión a pesos", DueDays: 5, Documents: DocumentsNone, OneInCourse: true}
	Prorroga = Type{Prefix: "PRO", Name: "prórroga de pagos", Title: "Prórroga de pagos por pérdida del empleo", DueDays: 5,
		Documents: DocumentsNone}
	ProteccionPagos = Type{Prefix: "FPP", Name: "Fondo de Protección de Pagos", Title: "Fondo de Protección de Pagos", DueDays: 5,
		Documents: DocumentsNone}
	Escrituras = Type{Prefix: "ESC", Name: "entrega de escrituras", Title: "Entrega de escrituras", DueDays: 20,
		Documents: DocumentsNone}
	PagosExceso = Type{Prefix: "DPE", Name: "devolución de pagos en exceso", Title: "Devolución de pagos en exceso", DueDays: 10,
		Documents:    DocumentsRequired,
		DocumentHint: "Dos documentos: tu identificación oficial vigente (INE o pasaporte) y un estado de cuenta de tu banco, a tu nombre, de no más de 3 meses, donde se vea tu CLABE. En PDF, JPG o PNG, hasta 10 MB cada uno."}
	DevolucionAhorro = Type{Prefix: "DAH", Name: "devolución de tu ahorro para la vivienda", Title: "Devolución del ahorro (personas pensionadas)", DueDays: 10,
		Documents: DocumentsRequired, OneInCourse: true,
		DocumentHint: "Dos documentos: tu resolución de pensión del IMSS (o tu negativa de pensión) y un estado de cuenta de tu banco, a tu nombre, de no más de 2 meses, donde se vea tu CLABE. En PDF, JPG o PNG, hasta 10 MB cada uno."}
)

// MinDocuments is how many files the refunds need: an identification or
// pension resolution, and the bank statement.
const MinDocuments = 2

// ConversionData is what a Responsabilidad Compartida request carries:
// the credit, where the home is, and the simulation the person accepted
// (the applied figures are worked out again on the day of approval).
type ConversionData struct {
	Credit     string `json:"credito"`
	State      string `json:"estado_vivienda"`
	PostalCode string `json:"codigo_postal"`
	// The simulation, as shown.
	On             string `json:"fecha"`
	BalanceVSM     string `json:"saldo_vsm"`
	Balance        int64  `json:"saldo_centavos"`
	DiscountBP     int    `json:"descuento_pb"`
	Discount       int64  `json:"descuento_centavos"`
	NewBalance     int64  `json:"saldo_nuevo_centavos"`
	RateBP         int    `json:"tasa_pb"`
	Payment        int64  `json:"mensualidad_centavos"`
	TermMonths     int    `json:"plazo_meses"`
	CurrentPayment int64  `json:"mensualidad_actual_centavos"`
}

// ProtectionData is what a prórroga or a Fondo de Protección de Pagos
// request carries: the credit, the months asked for and the records that
// made the person eligible.
type ProtectionData struct {
	Credit    string `json:"credito"`
	Months    int    `json:"meses"`
	JobEnded  string `json:"baja"`            // the last employment's end, YYYY-MM-DD
	UsedSoFar int    `json:"meses_usados"`    // prórroga months used before
	Limit     int    `json:"limite"`          // prórroga months allowed in all
	Payment   int64  `json:"mensualidad"`     // FPP: the monthly payment, centavos
	FundPays  int64  `json:"fondo_paga"`      // FPP: 90% of it
	OwnShare  int64  `json:"tu_pago"`         // FPP: the 10% the person pays
	Since     string `json:"desde,omitempty"` // the first month covered, YYYY-MM (as shown)
}

// DeedsData is what a deed-delivery request carries.
type DeedsData struct {
	Credit      string `json:"credito"`
	Originated  string `json:"otorgado"` // YYYY-MM-DD
	HomeAddress string `json:"domicilio"`
}

// RefundData is what a refund carries: the CLABE, and the amounts shown
// when filing (the credit's overpayment, or the savings per bucket).
type RefundData struct {
	Credit  string         `json:"credito,omitempty"`
	CLABE   string         `json:"clabe"`
	Bank    string         `json:"banco"`
	Amount  int64          `json:"importe_centavos"`
	Law     string         `json:"ley,omitempty"` // savings: "73" or "97"
	Buckets []RefundBucket `json:"subcuentas,omitempty"`
}

// RefundBucket is one part of the savings and what is refunded of it.
type RefundBucket struct {
	Name   string `json:"nombre"`
	Amount int64  `json:"importe_centavos"`
}

// ParseConversionForm checks the Responsabilidad Compartida form: the
// state and postal code of the home (the real portal asks for them before
// showing the conditions) and the person's acceptance.
func ParseConversionForm(state, postalCode, accept string) (ConversionData, map[string]string) {
	errs := map[string]string{}
	st := ident.State(strings.ToUpper(strings.TrimSpace(state)))
	if !st.Valid() || st == "NE" {
		errs["estado"] = "Elige el estado donde está tu vivienda."
	}
	cp := strings.TrimSpace(postalCode)
	if n, err := strconv.Atoi(cp); len(cp) != 5 || err != nil || n < 1000 {
		errs["codigo_postal"] = "Escribe el código postal de tu vivienda: 5 números, por ejemplo 06700."
	}
	if accept != "si" {
		errs["acepto"] = "Para solicitar la conversión confirma que leíste y aceptas las nuevas condiciones."
	}
	return ConversionData{State: string(st), PostalCode: cp}, errs
}

// ParseMonths checks the months of prórroga asked for: a whole number
// from 1 to what the person still has.
func ParseMonths(text string, available int) (int, string) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 1 || n > available {
		if available == 1 {
			return 0, "Puedes pedir 1 mes de prórroga."
		}
		return 0, "Elige cuántos meses de prórroga necesitas: de 1 a " + strconv.Itoa(available) + "."
	}
	return n, ""
}

// ParseAddress checks the address of the home the deeds are for.
func ParseAddress(text string) (string, string) {
	a := strings.Join(strings.Fields(text), " ")
	if n := len([]rune(a)); n < 10 || n > 250 || strings.ContainsAny(a, "<>") {
		return "", "Escribe el domicilio de tu vivienda como aparece en tu contrato: calle, número, colonia, municipio y estado (de 10 a 250 caracteres)."
	}
	return a, ""
}

// ParseCLABEField checks the CLABE typed in a refund form, and answers in
// Spanish what is wrong with it.
func ParseCLABEField(text string) (ident.CLABE, string) {
	c, err := ident.ParseCLABE(text)
	switch {
	case err == nil:
		return c, ""
	case strings.TrimSpace(text) == "":
		return c, "Escribe tu CLABE: los 18 números de tu cuenta, como aparecen en tu estado de cuenta."
	case errors.Is(err, ident.ErrLength), errors.Is(err, ident.ErrCharset):
		return c, "La CLABE tiene 18 números. Revisa que la copiaste completa, sin letras."
	case errors.Is(err, ident.ErrBank):
		return c, "Los 3 primeros números de la CLABE no corresponden a ningún banco. Revisa que la copiaste bien."
	default:
		return c, "La CLABE no es válida: su último número (dígito verificador) no corresponde. Revisa que la copiaste sin errores."
	}
}

// Describe lists what one of these requests carries, labelled for a page
// (the person's and the operator's); ok is false for other types.
func Describe(kind string, data []byte) (rows [][2]string, ok bool) {
	money := func(c int64) string { return portal.Money(c).String() }
	day := func(s string) string {
		if d, err := portal.ParseDate(s); err == nil {
			return d.Spanish()
		}
		return s
	}
	switch kind {
	case Conversion.Prefix:
		var d ConversionData
		if json.Unmarshal(data, &d) != nil {
			return nil, true
		}
		return [][2]string{{"Crédito", d.Credit}, {"Vivienda", ident.State(d.State).Name() + ", C.P. " + d.PostalCode},
			{"Simulación del", day(d.On)}, {"Saldo en VSM", d.BalanceVSM}, {"Saldo en pesos", money(d.Balance)},
			{"Descuento", portal.Percent(int64(d.DiscountBP)) + "% = " + money(d.Discount)}, {"Saldo nuevo en pesos", money(d.NewBalance)},
			{"Tasa fija", portal.Percent(int64(d.RateBP)) + "% anual"}, {"Mensualidad fija", money(d.Payment) + " (antes " + money(d.CurrentPayment) + ")"},
			{"Plazo", strconv.Itoa(d.TermMonths) + " meses"}}, true
	case Prorroga.Prefix, ProteccionPagos.Prefix:
		var d ProtectionData
		if json.Unmarshal(data, &d) != nil {
			return nil, true
		}
		rows = [][2]string{{"Crédito", d.Credit}, {"Baja del último empleo", day(d.JobEnded)}, {"Meses", strconv.Itoa(d.Months)}}
		if kind == Prorroga.Prefix {
			rows = append(rows, [2]string{"Meses de prórroga usados antes", strconv.Itoa(d.UsedSoFar) + " de " + strconv.Itoa(d.Limit)})
		} else {
			rows = append(rows, [2]string{"Mensualidad", money(d.Payment)}, [2]string{"Paga el Fondo (90%)", money(d.FundPays)},
				[2]string{"Pagas tú (10%)", money(d.OwnShare)})
		}
		return rows, true
	case SolicitudCredito.Prefix:
		return describeApplication(data), true
	case Escrituras.Prefix:
		var d DeedsData
		if json.Unmarshal(data, &d) != nil {
			return nil, true
		}
		return [][2]string{{"Crédito", d.Credit}, {"Otorgado el", day(d.Originated)}, {"Domicilio de la vivienda", d.HomeAddress}}, true
	case PagosExceso.Prefix, DevolucionAhorro.Prefix:
		var d RefundData
		if json.Unmarshal(data, &d) != nil {
			return nil, true
		}
		if d.Credit != "" {
			rows = append(rows, [2]string{"Crédito", d.Credit})
		}
		if d.Law != "" {
			rows = append(rows, [2]string{"Pensión", "Ley del Seguro Social de 19" + d.Law})
		}
		for _, b := range d.Buckets {
			rows = append(rows, [2]string{b.Name, money(b.Amount)})
		}
		rows = append(rows, [2]string{"Importe a devolver", money(d.Amount)}, [2]string{"CLABE", d.CLABE}, [2]string{"Banco", d.Bank})
		return rows, true
	}
	return nil, false
}
