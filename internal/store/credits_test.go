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
