package credit

import (
	"fmt"

	"micuenta/internal/portal"
)

// After the credit is paid (domain.md §9): the deeds of the old credits
// the fund keeps, and the refund of what was paid beyond the balance.

// The credits whose deeds the fund holds: granted from 1972 to 2007
// (domain.md §9.3; one outlet says 1997–2007, the majority 1972–2007).
const (
	DeedsFirstYear = 1972
	DeedsLastYear  = 2007
)

// DeedsBlock says, in Spanish, why the fund cannot deliver a credit's
// deeds through a request; "" when it can.
func DeedsBlock(c Credit, balance portal.Money) string {
	if y := c.Origination.Y; y > DeedsLastYear {
		return fmt.Sprintf("Tu crédito es de %d. Las escrituras de los créditos otorgados desde 2008 las tiene la notaría que las firmó: pídelas ahí.", y)
	} else if y < DeedsFirstYear {
		return "No tenemos escrituras de créditos otorgados antes de 1972. Acude a un Centro de Servicio para revisar tu caso."
	}
	switch c.State {
	case StateVigente, StateEnProrroga:
		return "Las escrituras se entregan cuando el crédito está liquidado. Hoy tu saldo es de " + balance.String() + "."
	case StateCerrado:
		return "Tu crédito está cerrado sin haberse liquidado. Acude a un Centro de Servicio para saber cómo obtener tus escrituras."
	}
	return ""
}

// Overpaid is what a credit's payments exceeded what was owed by: minus
// the sum of its movements in pesos (the money paid, and each charge at
// its value on its day), when that sum is below zero. A VSM credit's
// movements carry their peso value, so the one rule serves both.
func Overpaid(moves []Movement, today portal.Date) portal.Money {
	var sum portal.Money
	for _, m := range moves {
		if !today.Before(m.ValueDate) {
			sum += m.Amount
		}
	}
	return max(-sum, 0)
}

// OverpaidBlock says, in Spanish, why a credit has nothing to refund;
// "" when it has.
func OverpaidBlock(c Credit, overpaid portal.Money) string {
	switch {
	case c.Live():
		return "La devolución de pagos en exceso se solicita cuando el crédito está liquidado. Si pagaste de más en una mensualidad, se abona a tu saldo."
	case c.State == StateCerrado:
		return "Tu crédito está cerrado sin haberse liquidado. Acude a un Centro de Servicio para revisar tus pagos."
	case overpaid <= 0:
		return "Tus pagos no superaron lo que debías: no tienes pagos en exceso que devolver."
	}
	return ""
}

// OverpaidRefund is the movement that records the refund of an
// overpayment on day (keyed by the request): it takes the balance back
// to zero. A VSM credit's carries its value in VSM at umi.
func OverpaidRefund(c Credit, amount portal.Money, day portal.Date, umi int64, requestID int64) Movement {
	m := Movement{CreditID: c.ID, Kind: KindDevolucionExceso, Period: MonthKey(day), SourceID: requestID, ValueDate: day, Amount: amount}
	if c.Denomination == DenomVSM && umi > 0 {
		m.AmountVSM = PesosToVSM(amount, umi)
	}
	return m
}
