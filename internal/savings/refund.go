package savings

import (
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// The refund of the housing savings to a pensioner (domain.md §9.5). What
// the fund pays depends on the law the person was pensioned under:
//
//   - Ley 73 (contributing before 1 July 1997 and pensioned under the
//     1973 law): everything, in one payment, with its yields — Fondo de
//     Ahorro 72-92, Vivienda 92, Vivienda 97 and voluntary deposits. The
//     portal takes option B of §9.5: the fund pays all of it (option A
//     has the Afore pay Vivienda 92 and 97).
//   - Ley 97: Vivienda 92 and 97 are integrated into the Afore balance
//     that funds the pension; the fund pays only the Fondo de Ahorro
//     72-92 and the voluntary deposits.
//
// On approval each refunded bucket is withdrawn to zero with a
// KindDevolucion movement, keyed by the request.

// RefundLine is one bucket: its balance and whether the fund refunds it.
type RefundLine struct {
	Bucket   string
	Name     string
	Balance  portal.Money
	Refunded bool
	Where    string // when not refunded: where it goes, in Spanish
}

// RefundPlan is what a pensioner gets back, bucket by bucket.
type RefundPlan struct {
	Law   string // "73" or "97"
	Lines []RefundLine
	Total portal.Money // the refunded buckets' sum
}

// refunds says which buckets each law refunds.
var refunds = map[string]map[string]bool{
	"73": {BucketFondo72: true, BucketViv92: true, BucketViv97: true, BucketExtra: true},
	"97": {BucketFondo72: true, BucketExtra: true},
}

// PlanRefund works out the refund from the balances per bucket.
func PlanRefund(law string, balances []BucketBalance) RefundPlan {
	p := RefundPlan{Law: law}
	for _, name := range BucketOrder {
		var bal portal.Money
		for _, b := range balances {
			if b.Bucket == name {
				bal = b.Balance
			}
		}
		line := RefundLine{Bucket: name, Name: BucketNames[name], Balance: bal, Refunded: refunds[law][name] && bal > 0}
		if !refunds[law][name] {
			line.Where = "Se integra a tu pensión a través de tu Afore (Ley 97)."
		}
		if bal != 0 || line.Refunded {
			p.Lines = append(p.Lines, line)
		}
		if line.Refunded {
			p.Total += bal
		}
	}
	return p
}

// RefundBlock says, in Spanish, why the person cannot ask for the refund
// here; nil when they can.
func RefundBlock(status, law string, liveCredit bool, p RefundPlan) []string {
	var why []string
	switch status {
	case person.Pensionado:
	case person.PensionEnTramite:
		why = append(why, "Tu pensión está en trámite. Podrás pedir la devolución cuando el IMSS te entregue tu resolución de pensión.")
	default:
		why = append(why, "La devolución del ahorro es para personas pensionadas por el IMSS (vejez, cesantía, invalidez o incapacidad de 50% o más). Si tienes una negativa de pensión, acude a un Centro de Servicio.")
	}
	if status == person.Pensionado && refunds[law] == nil {
		why = append(why, "No tenemos registrado bajo qué ley te pensionaste (1973 o 1997). Acude a un Centro de Servicio con tu resolución de pensión.")
	}
	if liveCredit {
		why = append(why, "Tienes un crédito vigente con el Fondo: tu ahorro respalda ese crédito. Podrás pedir la devolución cuando lo liquides.")
	}
	if status == person.Pensionado && refunds[law] != nil && p.Total <= 0 {
		if law == "97" {
			why = append(why, "Con una pensión de la Ley 97 el Fondo devuelve solo el Fondo de Ahorro 72-92 y las aportaciones voluntarias, y no tienes saldo en ellos: tu Vivienda 92 y 97 se integra a tu pensión a través de tu Afore.")
		} else {
			why = append(why, "No tienes saldo en tu subcuenta de vivienda que devolver.")
		}
	}
	return why
}

// RefundMovements withdraw every refunded bucket to zero on day, keyed
// by the request.
func RefundMovements(personID int64, p RefundPlan, day portal.Date, requestID int64) []Movement {
	var out []Movement
	for _, l := range p.Lines {
		if l.Refunded {
			out = append(out, Movement{PersonID: personID, Bucket: l.Bucket, Kind: KindDevolucion, Period: day.Y*100 + int(day.M),
				SourceID: requestID, ValueDate: day, Amount: -l.Balance})
		}
	}
	return out
}
