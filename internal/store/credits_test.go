package store_test

import (
	"context"
	"testing"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/store"
)

// The monthly accrual in SQL gives, for every live credit, exactly what
// internal/credit's rules give in Go; running it again posts nothing; and
// a credit's movements still sum to the balance its page shows.
func TestAccrueMatchesTheLedgerRules(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedSmall(t, db)
		month := portal.NewDate(2026, 12, 1) // December: interest and insurance
		const umi = 11731                    // 117.31 pesos a day
		maxID, _ := db.MaxCreditID(ctx)
		type want struct{ interest, interestVSM, insurance int64 }
		expected := map[int64]want{}
		live := 0
		for id := int64(1); id <= maxID; id++ {
			c, err := findCredit(ctx, db, id)
			if err != nil {
				continue
			}
			moves, _ := db.CreditMovements(ctx, c.ID)
			var bal, balVSM int64
			for _, m := range moves {
				if m.ValueDate.Before(month) {
					bal += int64(m.Amount)
					balVSM += m.AmountVSM
				}
			}
			if c.State != credit.StateVigente && c.State != credit.StateEnProrroga {
				continue
			}
			live++
			var w want
			if c.Denomination == credit.DenomVSM {
				w.interestVSM = credit.MonthlyInterest(balVSM, c.AnnualRateBP)
				w.interest = int64(credit.VSMToPesos(w.interestVSM, umi))
			} else {
				w.interest = credit.MonthlyInterest(bal, c.AnnualRateBP)
				if bal > 0 {
					w.insurance = int64(credit.InsurancePerBimester)
				}
			}
			expected[c.ID] = w
		}
		if live == 0 {
			t.Fatal("no live credits in the sample")
		}
		n, err := db.Accrue(ctx, month, umi, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("nothing accrued")
		}
		for id, w := range expected {
			moves, _ := db.CreditMovements(ctx, id)
			var got want
			for _, m := range moves {
				if m.Period != 202612 {
					continue
				}
				switch m.Kind {
				case credit.KindInteres:
					got.interest, got.interestVSM = int64(m.Amount), m.AmountVSM
					if m.ValueDate != portal.NewDate(2026, 12, 31) {
						t.Errorf("credit %d: interest dated %s", id, m.ValueDate)
					}
				case credit.KindSeguro:
					got.insurance = int64(m.Amount)
				}
			}
			if got != w {
				t.Errorf("credit %d: accrued %+v, the rules say %+v", id, got, w)
			}
		}
		if again, err := db.Accrue(ctx, month, umi, 5, nil); err != nil || again != 0 {
			t.Fatalf("a second run posted %d (%v)", again, err)
		}
	})
}

func findCredit(ctx context.Context, db *store.DB, id int64) (*credit.Credit, error) {
	cs, err := db.CreditsOf(ctx, id) // synthetic credits share their owner's id
	if err != nil || len(cs) == 0 {
		return nil, portal.Errorf(portal.ENOTFOUND, "none")
	}
	return &cs[0], nil
}

// Hand-checked ledgers on both engines, through the store and the
// monthly accrual: a peso credit, a VSM credit across the yearly update,
// a credit in arrears and a paid-off one.
func TestHandCheckedLedgers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedSmall(t, db)
		d := portal.NewDate
		credits := []credit.Credit{
			{ID: 900001, Number: "9900000001", PersonID: 1, Product: "tradicional", Denomination: credit.DenomPesos, Origination: d(2026, 1, 15),
				OriginalAmount: 500_000_00, AnnualRateBP: 1045, TermMonths: 240, MonthlyPayment: 4_989_00, DiscountType: credit.DiscountCuotaFija, State: credit.StateVigente},
			{ID: 900002, Number: "9900000002", PersonID: 2, Product: "tradicional", Denomination: credit.DenomVSM, Origination: d(2005, 3, 1),
				OriginalVSME4: 2_000_000, AnnualRateBP: 600, TermMonths: 360, MonthlyPaymentVSME4: 12_000, DiscountType: credit.DiscountVSM, State: credit.StateVigente},
			{ID: 900003, Number: "9900000003", PersonID: 3, Product: "tradicional", Denomination: credit.DenomPesos, Origination: d(2020, 1, 1),
				OriginalAmount: 100_000_00, AnnualRateBP: 1045, TermMonths: 120, MonthlyPayment: 5_000_00, DiscountType: credit.DiscountCuotaFija, State: credit.StateLiquidado},
		}
		moves := []credit.Movement{
			{CreditID: 900001, Kind: credit.KindDisposicion, Period: 202601, ValueDate: d(2026, 1, 15), Amount: 500_000_00},
			{CreditID: 900002, Kind: credit.KindApertura, Period: 202512, ValueDate: d(2025, 12, 31), AmountVSM: 1_500_000, Amount: 51_591_840},
			{CreditID: 900003, Kind: credit.KindApertura, Period: 202512, ValueDate: d(2025, 12, 31), Amount: 10_000_00},
			{CreditID: 900003, Kind: credit.KindPagoDirecto, Period: 202601, ValueDate: d(2026, 1, 10), Amount: -10_000_00},
		}
		if _, err := db.LoadRecords(ctx, &store.Records{Credits: credits, CreditMovements: moves}); err != nil {
			t.Fatal(err)
		}
		// February: the peso credit's interest is 500,000.00 × 10.45% / 12
		// = 4,354.17 and it pays the insurance (15.00, an even month); the
		// VSM credit's is 150 VSM × 6% / 12 = 0.7500 VSM, worth 0.75 ×
		// 113.14 × 30.4 = 2,579.59 pesos at a UMI of 113.14; the paid-off
		// credit accrues nothing.
		if _, err := db.Accrue(ctx, d(2026, 2, 1), 11314, 0, nil); err != nil {
			t.Fatal(err)
		}
		// March, after the yearly update to 117.31: the same 0.7500 VSM
		// (the VSM balance grew by February's interest: 150.75 × 6% / 12 =
		// 0.7538 VSM), now 0.7538 × 117.31 × 30.4 = 0.7538 × 3,566.224 =
		// 2,688.22 pesos.
		if _, err := db.Accrue(ctx, d(2026, 3, 1), 11731, 0, nil); err != nil {
			t.Fatal(err)
		}
		got := func(id int64, period int, kind string) (portal.Money, int64) {
			ms, _ := db.CreditMovements(ctx, id)
			for _, m := range ms {
				if m.Period == period && m.Kind == kind {
					return m.Amount, m.AmountVSM
				}
			}
			return -1, -1
		}
		checks := []struct {
			id     int64
			period int
			kind   string
			pesos  portal.Money
			vsm    int64
		}{
			{900001, 202602, credit.KindInteres, 4_354_17, 0},
			{900001, 202602, credit.KindSeguro, 15_00, 0},
			{900002, 202602, credit.KindInteres, 2_579_59, 7_500},
			{900002, 202603, credit.KindInteres, 2_688_22, 7_538},
			{900003, 202602, credit.KindInteres, -1, -1},
		}
		for _, c := range checks {
			if p, v := got(c.id, c.period, c.kind); p != c.pesos || v != c.vsm {
				t.Errorf("credit %d %s %d: %s / %d, want %s / %d", c.id, c.kind, c.period, p, v, c.pesos, c.vsm)
			}
		}
		// The peso credit on 24 March: February's interest and insurance
		// (March's is dated the 31st, still to come), no payment: the end of
		// February has passed, so one payment of 4,989.00 is missed; the
		// payoff adds 24 days of interest since 28 February:
		// 504,369.17 × 10.45% × 24 / 360 = 3,513.77.
		ms, _ := db.CreditMovements(ctx, 900001)
		c := credits[0]
		s := credit.Summarize(&c, ms, d(2026, 3, 24), 0)
		if s.Balance != 504_369_17 || s.Payoff != 504_369_17+3_513_77 || s.Arrears != 4_989_00 || s.ArrearsMonths != 1 {
			t.Fatalf("peso credit on 24 March: %+v", s)
		}
	})
}
