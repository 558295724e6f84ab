package bench

import (
	"io"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/statement"
)

// BenchmarkCreditStatementMonthly renders a month's credit statement (6
// movements: two payroll discounts, a direct payment, interest, insurance
// and an adjustment) to io.Discard; the target is under 10 ms.
// BenchmarkCreditStatementHistorical renders the historical statement of
// a credit with 300 movements (eight pages).
//
//	go test ./bench/ -run '^$' -bench 'CreditStatement' -benchtime=200x
func BenchmarkCreditStatementMonthly(b *testing.B) {
	moves := benchLedger(60)
	moves = append(moves,
		benchMove(credit.KindDescuentoNomina, 2026, 11, 3, -portal.Pesos(2160, 45)),
		benchMove(credit.KindPagoDirecto, 2026, 11, 9, -portal.Pesos(1500, 0)),
		benchMove(credit.KindDescuentoNomina, 2026, 11, 17, -portal.Pesos(2160, 45)),
		benchMove(credit.KindAjuste, 2026, 11, 20, -portal.Pesos(12, 30)),
		benchMove(credit.KindInteres, 2026, 11, 30, portal.Pesos(3912, 8)),
		benchMove(credit.KindSeguro, 2026, 11, 30, credit.InsurancePerBimester),
	)
	s := statement.BuildCreditStatement(benchCredit(), moves, portal.NewDate(2026, 11, 1), portal.NewDate(2026, 11, 30))
	if len(s.Movements) != 6 {
		b.Fatalf("%d movements in the month", len(s.Movements))
	}
	benchStatement(b, &s)
}

func BenchmarkCreditStatementHistorical(b *testing.B) {
	moves := benchLedger(300)
	s := statement.BuildCreditStatement(benchCredit(), moves, moves[0].ValueDate, moves[len(moves)-1].ValueDate)
	s.Historical = true
	if len(s.Movements) != 300 {
		b.Fatalf("%d movements", len(s.Movements))
	}
	benchStatement(b, &s)
}

func benchStatement(b *testing.B, s *statement.CreditStatement) {
	s.Name = "María Fernanda Muñoz Peña"
	s.NextPayment, s.NextDue = portal.Pesos(4320, 90), portal.NewDate(2026, 12, 31)
	s.Folio = "EC-2026-11-0000123-Q7"
	s.Generated = time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := statement.WriteCreditStatement(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
}

func benchCredit() credit.Credit {
	return credit.Credit{ID: 1, Number: "2500000001", PersonID: 1, Product: "tradicional", Denomination: credit.DenomPesos,
		Origination: portal.NewDate(2014, 3, 12), OriginalAmount: portal.Pesos(450000, 0), AnnualRateBP: 1045, TermMonths: 360,
		MonthlyPayment: portal.Pesos(4320, 90), State: credit.StateVigente}
}

func benchMove(kind string, y int, m time.Month, d int, amount portal.Money) credit.Movement {
	return credit.Movement{CreditID: 1, Kind: kind, ValueDate: portal.NewDate(y, m, d), Amount: amount}
}

// benchLedger is n movements from the credit's start in March 2014: the
// loan, then each month a payroll discount, the month's interest on the
// opening balance, and insurance in even months.
func benchLedger(n int) []credit.Movement {
	c := benchCredit()
	moves := []credit.Movement{benchMove(credit.KindDisposicion, c.Origination.Y, c.Origination.M, c.Origination.D, c.OriginalAmount)}
	balance := int64(c.OriginalAmount)
	for month := 1; len(moves) < n; month++ {
		first := portal.NewDate(c.Origination.Y, c.Origination.M+time.Month(month), 1)
		end := portal.NewDate(first.Y, first.M+1, 0)
		interest := credit.MonthlyInterest(balance, c.AnnualRateBP)
		add := func(m credit.Movement) {
			if len(moves) < n {
				moves = append(moves, m)
				balance += int64(m.Amount)
			}
		}
		add(benchMove(credit.KindDescuentoNomina, first.Y, first.M, 17, -c.MonthlyPayment))
		add(benchMove(credit.KindInteres, end.Y, end.M, end.D, portal.Money(interest)))
		if first.M%2 == 0 {
			add(benchMove(credit.KindSeguro, end.Y, end.M, end.D, credit.InsurancePerBimester))
		}
	}
	return moves
}
