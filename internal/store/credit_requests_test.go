package store_test

import (
	"context"
	"testing"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/store"
)

// The writes of approved requests after the credit, on both engines: a
// month of prórroga earns no interest — the approval writes it as zero and
// the monthly accrual finds it done (the insurance is still charged) — and
// the prórroga ends with its last month;
// a movement of a request cannot be posted twice; a credit's new terms
// and state are compare-and-set.
func TestProrrogaInTheAccrual(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedSmall(t, db)
		d := portal.NewDate
		c := credit.Credit{ID: 910001, Number: "9910000001", PersonID: 1, Product: "tradicional", Denomination: credit.DenomPesos,
			Origination: d(2015, 3, 1), OriginalAmount: 600_000_00, AnnualRateBP: 1045, TermMonths: 360, MonthlyPayment: 4_354_17,
			DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 4_354_17, State: credit.StateVigente}
		if _, err := db.LoadRecords(ctx, &store.Records{Credits: []credit.Credit{c}, CreditMovements: []credit.Movement{
			{CreditID: c.ID, Kind: credit.KindApertura, Period: 202609, ValueDate: d(2026, 9, 30), Amount: 500_000_00}}}); err != nil {
			t.Fatal(err)
		}
		// A prórroga of November and December, approved in November.
		months := credit.ProrrogaMonths(c, nil, d(2026, 11, 24), 2, 41)
		if err := db.InTx(ctx, func(ctx context.Context) error {
			if err := db.PostCreditMovements(ctx, months); err != nil {
				return err
			}
			return db.SetCreditState(ctx, c.ID, credit.StateVigente, credit.StateEnProrroga)
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.PostCreditMovements(ctx, months[:1]); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("the same month twice: %v", err)
		}
		if err := db.SetCreditState(ctx, c.ID, credit.StateVigente, credit.StateEnProrroga); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("a stale state: %v", err)
		}
		for _, m := range []portal.Date{d(2026, 10, 1), d(2026, 11, 1), d(2026, 12, 1), d(2027, 1, 1)} {
			if _, err := db.Accrue(ctx, m, 10081, 0, nil); err != nil {
				t.Fatal(err)
			}
			if m == d(2026, 11, 1) {
				// November was deferred: its accrual leaves the credit en prórroga.
				if n, err := db.EndProrrogas(ctx, m); err != nil || n != 0 {
					t.Fatalf("end after November: %d %v", n, err)
				}
			}
		}
		got := map[string]portal.Money{}
		ms, _ := db.CreditMovements(ctx, c.ID)
		for _, m := range ms {
			got[m.Kind+":"+portal.Money(m.Period).Decimal()] = m.Amount
		}
		// October: 500,000.00 × 10.45% / 12 = 4,354.17, and the insurance.
		// November and December: interest 0.00 (written with the prórroga);
		// December's insurance (15.00) still. January: interest on 500,000.00 + 4,354.17 + 15.00 + 15.00
		// = 504,384.17 × 10.45% / 12 = 4,392.3455 → 4,392.35.
		for k, want := range map[string]portal.Money{
			"interes:2026.10": 4_354_17, "seguro:2026.10": 15_00, "seguro:2026.12": 15_00, "interes:2027.01": 4_392_35,
		} {
			if got[k] != want {
				t.Errorf("%s: %s, want %s", k, got[k], want)
			}
		}
		for _, k := range []string{"interes:2026.11", "interes:2026.12"} {
			if amount, ok := got[k]; !ok || amount != 0 {
				t.Errorf("%s during the prórroga: %s (written %v)", k, amount, ok)
			}
		}
		// December was its last month: after December's accrual it ends.
		if n, err := db.EndProrrogas(ctx, d(2026, 12, 1)); err != nil || n != 1 {
			t.Fatalf("end after December: %d %v", n, err)
		}
		cs, _ := db.CreditsOf(ctx, 1)
		for _, x := range cs {
			if x.ID == c.ID && x.State != credit.StateVigente {
				t.Fatalf("state after the prórroga: %s", x.State)
			}
		}
		// New terms, only from the state they were worked out on.
		after := c
		after.AnnualRateBP, after.MonthlyPayment = 355, 3_000_00
		stale := c
		stale.Denomination = credit.DenomVSM
		if err := db.RestructureCredit(ctx, stale, after); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("restructure from a stale denomination: %v", err)
		}
		if err := db.RestructureCredit(ctx, c, after); err != nil {
			t.Fatal(err)
		}
		cs, _ = db.CreditsOf(ctx, 1)
		for _, x := range cs {
			if x.ID == c.ID && (x.AnnualRateBP != 355 || x.MonthlyPayment != 3_000_00) {
				t.Fatalf("restructured: %+v", x)
			}
		}
		// A savings withdrawal keyed by its request, once.
		w := []savings.Movement{{PersonID: 1, Bucket: savings.BucketExtra, Kind: savings.KindDevolucion, Period: 202611, SourceID: 41,
			ValueDate: d(2026, 11, 24), Amount: -1_00}}
		if err := db.PostSavingsMovements(ctx, w); err != nil {
			t.Fatal(err)
		}
		if err := db.PostSavingsMovements(ctx, w); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("the same withdrawal twice: %v", err)
		}
	})
}
