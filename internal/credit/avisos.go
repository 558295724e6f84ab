package credit

import (
	"context"
	"fmt"
	"slices"

	"micuenta/internal/portal"
)

// The avisos the borrower hands to the employer (domain.md §6.2): they
// start, change or stop the payroll discount. Which ones apply:
//
//   - retención de descuentos: the credit is vigente and the borrower has
//     a current employer to hand it to; the discount starts on the latest
//     of the credit's origination, the start of that job and the last
//     change of the discount;
//   - modificación de descuentos: the same, and the discount changed (a
//     recorded DiscountChange, e.g. after a conversion or a
//     restructuring); it starts on the change's date;
//   - suspensión de descuentos: the credit is liquidado; the discount
//     stops from the day it was settled (the ledger's last movement).
//
// A credit en prórroga or cerrado gets none here: domain.md §8.1 has the
// employer receive a suspension during a prórroga, but the ledger does
// not say when it began, so the CESI or Infonatel issue it.

// Aviso kinds.
const (
	AvisoRetencion    = "retencion"
	AvisoModificacion = "modificacion"
	AvisoSuspension   = "suspension"
)

// AvisoTitles are the avisos' names, in the order the page lists them.
var AvisoTitles = []struct{ Kind, Title string }{
	{AvisoRetencion, "Aviso de retención de descuentos"},
	{AvisoModificacion, "Aviso de modificación de descuentos"},
	{AvisoSuspension, "Aviso de suspensión de descuentos"},
}

// AvisoTitle is an aviso kind's name, "" for an unknown kind.
func AvisoTitle(kind string) string {
	for _, a := range AvisoTitles {
		if a.Kind == kind {
			return a.Title
		}
	}
	return ""
}

// DiscountChange is a change of a credit's payroll discount: from
// Effective, the employer withholds Type and FactorE4. The fund's systems
// record one when a conversion, a restructuring or a re-escritura changes
// the discount.
type DiscountChange struct {
	CreditID  int64
	Effective portal.Date
	Type      string // DiscountCuotaFija, DiscountPorcentaje, DiscountVSM
	FactorE4  int64  // as Credit.DiscountFactorE4
	Reason    string // in Spanish, for the aviso ("Conversión a pesos")
}

// Employer is who an aviso is addressed to.
type Employer struct {
	Name     string // razón social
	Registro string // registro patronal
	Since    portal.Date
}

// Aviso is one aviso that applies, with what it says.
type Aviso struct {
	Kind         string
	Title        string
	DiscountType string
	FactorE4     int64
	Start        portal.Date // zero: the credit was settled before its ledger begins
	Reason       string      // why it is issued, in Spanish
	Employer     *Employer   // nil when no employer is known (a suspension)
}

// AvisoStatus is one aviso and whether it applies; WhyNot says, in plain
// Spanish, why not.
type AvisoStatus struct {
	Kind, Title string
	Aviso       *Aviso
	WhyNot      string
}

// AvisoInputs are what the avisos depend on besides the credit.
type AvisoInputs struct {
	Current    *Employer // the borrower's current employer, nil when none
	Discounter *Employer // the employer the fund has discounting the credit, nil when none
	Changes    []DiscountChange
	Today      portal.Date
}

// Avisos says which of the three avisos apply to a credit (its movements
// in any order), in AvisoTitles' order.
func Avisos(c Credit, moves []Movement, in AvisoInputs) []AvisoStatus {
	out := make([]AvisoStatus, 0, len(AvisoTitles))
	for _, t := range AvisoTitles {
		out = append(out, AvisoStatus{Kind: t.Kind, Title: t.Title})
	}
	var change *DiscountChange
	for i := range in.Changes {
		ch := &in.Changes[i]
		if ch.CreditID == c.ID && !in.Today.Before(ch.Effective) && (change == nil || change.Effective.Before(ch.Effective)) {
			change = ch
		}
	}
	dtype, factor := c.DiscountType, c.DiscountFactorE4
	if change != nil {
		dtype, factor = change.Type, change.FactorE4
	}
	switch c.State {
	case StateVigente:
		if in.Current == nil {
			why := "No tienes un empleo formal vigente registrado. El aviso se entrega al patrón que te descontará: cuando tengas un empleo, vuelve a esta página. Mientras tanto, paga directamente."
			out[0].WhyNot, out[1].WhyNot = why, why
		} else {
			start := latest(c.Origination, in.Current.Since)
			if change != nil {
				start = latest(start, change.Effective)
			}
			reason := "Crédito vigente con descuento por nómina"
			if in.Discounter != nil && in.Discounter.Registro != in.Current.Registro {
				reason = "Cambio de patrón"
			}
			out[0].Aviso = &Aviso{Kind: AvisoRetencion, Title: out[0].Title, DiscountType: dtype, FactorE4: factor, Start: start, Reason: reason, Employer: in.Current}
			if change != nil {
				why := change.Reason
				if why == "" {
					why = "Cambio en las condiciones de tu crédito"
				}
				out[1].Aviso = &Aviso{Kind: AvisoModificacion, Title: out[1].Title, DiscountType: dtype, FactorE4: factor, Start: change.Effective, Reason: why, Employer: in.Current}
			} else {
				out[1].WhyNot = "Tu descuento no ha cambiado desde que empezó tu crédito: no necesitas este aviso. Si tu patrón necesita los datos de tu descuento, entrégale el aviso de retención."
			}
		}
		out[2].WhyNot = "Tu crédito sigue vigente: tu patrón debe seguir descontándote hasta que lo liquides. Este aviso estará disponible cuando tu crédito esté liquidado."
	case StateLiquidado:
		paid := "Tu crédito está liquidado: tu patrón ya no debe descontarte. Entrégale el aviso de suspensión."
		out[0].WhyNot, out[1].WhyNot = paid, paid
		employer := in.Current
		if employer == nil {
			employer = in.Discounter
		}
		out[2].Aviso = &Aviso{Kind: AvisoSuspension, Title: out[2].Title, DiscountType: dtype, FactorE4: factor, Start: SettledOn(moves),
			Reason: "Liquidación del crédito", Employer: employer}
	case StateEnProrroga:
		why := "Tu crédito está en prórroga: mientras dure no hay descuentos por nómina. Para el aviso de suspensión por prórroga o el de retención cuando termine, llama a Infonatel al 800 008 3900 o acude a un Centro de Servicio (CESI)."
		for i := range out {
			out[i].WhyNot = why
		}
	default:
		why := "Tu crédito está cerrado. Para cualquier aviso sobre él, llama a Infonatel al 800 008 3900 o acude a un Centro de Servicio (CESI)."
		for i := range out {
			out[i].WhyNot = why
		}
	}
	return out
}

// SettledOn is the day a settled credit was paid off: the date of its
// ledger's last movement (zero when it has none), leaving out the refund
// of overpayments, which comes after the payoff and does not move it.
func SettledOn(moves []Movement) portal.Date {
	var d portal.Date
	for _, m := range moves {
		if m.Kind != KindDevolucionExceso && d.Before(m.ValueDate) {
			d = m.ValueDate
		}
	}
	return d
}

func latest(a, b portal.Date) portal.Date {
	if a.Before(b) {
		return b
	}
	return a
}

// DiscountTypeNames are the discount types as the avisos write them
// (domain.md §6.2 quotes "PESOS" and "CUOTA FIJA EN VSM").
var DiscountTypeNames = map[string]string{
	DiscountCuotaFija:  "PESOS (cuota fija mensual)",
	DiscountPorcentaje: "PORCENTAJE del salario diario integrado",
	DiscountVSM:        "CUOTA FIJA EN VSM",
}

// DiscountValue writes a discount's factor as people read it. The factor
// means, by type (as the fund's records carry it): cuota fija, the
// monthly amount in centavos; porcentaje, the share of the salary ×
// 10,000 (2000 = 20.00%); VSM, the monthly VSM × 10,000.
func DiscountValue(dtype string, factorE4 int64) string {
	switch dtype {
	case DiscountCuotaFija:
		return portal.Money(factorE4).String() + " al mes"
	case DiscountPorcentaje:
		return fmt.Sprintf("%d.%02d%%", factorE4/100, factorE4%100)
	case DiscountVSM:
		return FormatVSM(factorE4) + " al mes"
	}
	return fmt.Sprintf("%d", factorE4)
}

// Cancellation is where a borrower stands on the four steps after paying
// off a credit (domain.md §9.1) and whether the carta de cancelación de
// hipoteca can be issued.
type Cancellation struct {
	PaidOff   bool
	SettledOn portal.Date // zero when unknown
	Balance   portal.Money
	Payoff    portal.Money
	WhyNot    string // when not paid off, why no letter, in plain Spanish
}

// CancellationOf says whether a credit's carta de cancelación can be
// issued: only when the fund has it liquidado and nothing is owed.
func CancellationOf(v *View) Cancellation {
	c := Cancellation{Balance: v.Summary.Balance, Payoff: v.Summary.Payoff}
	switch {
	case v.Credit.State == StateLiquidado && v.Summary.Balance <= 0:
		c.PaidOff, c.SettledOn = true, SettledOn(v.Movements)
	case v.Credit.State == StateLiquidado:
		c.WhyNot = fmt.Sprintf("Tu crédito aparece como liquidado pero tu saldo es de %s. Antes de emitir la carta hay que aclararlo: llama a Infonatel al 800 008 3900.", v.Summary.Balance)
	case v.Credit.State == StateCerrado:
		c.WhyNot = "Tu crédito está cerrado sin haberse liquidado. Para saber si procede la cancelación de la hipoteca, acude a un Centro de Servicio (CESI) o llama a Infonatel al 800 008 3900."
	case v.Summary.Balance <= 0:
		c.WhyNot = "Tu saldo ya está en cero, pero el Fondo todavía no registra tu crédito como liquidado. Cuando lo haga podrás descargar aquí tu carta; si pasan más de 30 días, llama a Infonatel al 800 008 3900."
	default:
		c.WhyNot = fmt.Sprintf("Todavía debes %s. La carta de cancelación se emite cuando terminas de pagar tu crédito. Si quieres liquidarlo hoy, necesitas %s.", v.Summary.Balance, v.Summary.Payoff)
	}
	return c
}

// DocumentStore reads what the documents need beyond the ledger.
type DocumentStore interface {
	// DiscountChanges lists a credit's recorded discount changes, oldest
	// first.
	DiscountChanges(ctx context.Context, creditID int64) ([]DiscountChange, error)
}

// sortChanges orders discount changes by date.
func sortChanges(cs []DiscountChange) {
	slices.SortStableFunc(cs, func(a, b DiscountChange) int { return a.Effective.Time().Compare(b.Effective.Time()) })
}
