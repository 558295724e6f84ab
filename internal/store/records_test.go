package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/savings"
	"micuenta/internal/store"
)

func mustPerson(t *testing.T, id int64, nss, curp, rfc string) *person.Person {
	t.Helper()
	n, err := ident.ParseNSS(nss)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ident.ParseCURP(curp)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ident.ParseRFC(rfc)
	if err != nil {
		t.Fatal(err)
	}
	return &person.Person{ID: id, NSS: n, CURP: c, RFC: r, GivenNames: "GUADALUPE", FirstSurname: "HERNÁNDEZ",
		SecondSurname: "GARCÍA", BirthDate: portal.NewDate(1956, time.April, 27), Sex: "M", State: "VZ"}
}

func sampleRecords(t *testing.T) *store.Records {
	p := mustPerson(t, 1, "92919084431", "HEGG560427MVZRRL04", "GODE561231GR8")
	return &store.Records{
		People:    []*person.Person{p},
		Relations: []employment.Relation{{PersonID: 1, EmployerID: 1, Start: portal.NewDate(2020, 1, 6), DailySalary: 52_000}},
		Savings: []savings.Movement{
			{PersonID: 1, Bucket: savings.BucketViv97, Kind: savings.KindAportacion, Period: 20253, SourceID: 1,
				ValueDate: portal.NewDate(2025, 7, 17), Amount: 158_600, DailySalary: 52_000, Days: 61},
			{PersonID: 1, Bucket: savings.BucketViv97, Kind: savings.KindRendimiento, Period: 202412,
				ValueDate: portal.NewDate(2024, 12, 31), Amount: 12_345},
		},
		Credits: []credit.Credit{{ID: 1, Number: "2500000001", PersonID: 1, Product: "tradicional", Denomination: credit.DenomPesos,
			Origination: portal.NewDate(2025, 3, 1), OriginalAmount: 80_000_000, AnnualRateBP: 1045, TermMonths: 360,
			MonthlyPayment: 730_000, DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 730_000, EmployerID: 1, State: credit.StateVigente}},
		CreditMovements: []credit.Movement{{CreditID: 1, Kind: credit.KindDisposicion, Period: 202503, ValueDate: portal.NewDate(2025, 3, 1), Amount: 80_000_000}},
	}
}

func TestLoadRecordsRoundTripAndIdempotency(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.LoadEmployers(ctx, []employment.Employer{{ID: 1, RegistroPatronal: "A1234567890", RazonSocial: "ABARROTES DEL NORTE S.A. DE C.V.", State: "NL"}}); err != nil {
			t.Fatal(err)
		}
		recs := sampleRecords(t)
		c, err := db.LoadRecords(ctx, recs)
		if err != nil {
			t.Fatal(err)
		}
		want := store.LoadCounts{People: 1, Relations: 1, Savings: 2, Credits: 1, CreditMovements: 1}
		if c != want {
			t.Fatalf("first load counts %+v, want %+v", c, want)
		}
		again, err := db.LoadRecords(ctx, recs)
		if err != nil {
			t.Fatal(err)
		}
		if again != (store.LoadCounts{}) {
			t.Fatalf("second load inserted %+v; the same records must change nothing", again)
		}

		got, err := db.FindPersonByNSS(ctx, recs.People[0].NSS)
		if err != nil {
			t.Fatal(err)
		}
		if got.CURP.String() != "HEGG560427MVZRRL04" || got.RFC.String() != "GODE561231GR8" || got.FullName() != "GUADALUPE HERNÁNDEZ GARCÍA" {
			t.Fatalf("read back %+v", got)
		}
		if got.BirthDate != portal.NewDate(1956, time.April, 27) {
			t.Fatalf("birth date %v", got.BirthDate)
		}
		if got.CreatedAt.IsZero() || got.CreatedAt.Location() != time.UTC {
			t.Fatalf("created_at %v, want a UTC instant", got.CreatedAt)
		}
		byCURP, err := db.FindPersonByCURP(ctx, recs.People[0].CURP)
		if err != nil || byCURP.ID != 1 {
			t.Fatalf("by CURP: %v %v", byCURP, err)
		}
		other, _ := ident.ParseNSS("12345678903")
		if _, err := db.FindPersonByNSS(ctx, other); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("unknown NSS: err = %v, want ENOTFOUND", err)
		}
		if n, err := db.CountPeople(ctx); err != nil || n != 1 {
			t.Fatalf("CountPeople = %d, %v", n, err)
		}
	})
}

func TestIdentifiersAreEncryptedAtRest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.LoadRecords(ctx, &store.Records{People: sampleRecords(t).People}); err != nil {
			t.Fatal(err)
		}
		raw, err := db.RawPersonColumnsForTest(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, plain := range []string{"92919084431", "HEGG560427MVZRRL04", "GODE561231GR8"} {
			if bytes.Contains(raw, []byte(plain)) {
				t.Fatalf("the identifier %s is stored in clear", plain)
			}
		}
	})
}

func TestUniqueViolationIsConflict(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.SetMeta(ctx, "k", "v1")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.InsertMetaStrictForTest(ctx, "k", "v2"); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("duplicate key: err = %v, want ECONFLICT", err)
		}
		if _, err := db.Meta(ctx, "absent"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("absent key: err = %v, want ENOTFOUND", err)
		}
	})
}

func TestInTxRollsBackEverything(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := portal.Errorf(portal.EINVALID, "no")
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := db.SetMeta(ctx, "a", "1"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("InTx returned %v", err)
		}
		if _, err := db.Meta(ctx, "a"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("write inside a failed transaction survived: %v", err)
		}
	})
}

func TestReferenceValuesAreData(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tab, err := reference.Load(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		uma, err := tab.At(reference.UMADiaria, portal.NewDate(2026, time.March, 1))
		if err != nil || uma.Centavos() != 11731 {
			t.Fatalf("UMA 2026 = %v, %v; want $117.31", uma.Centavos(), err)
		}
		y, err := tab.At(reference.RendimientoSCV, portal.NewDate(2023, time.June, 1))
		if err != nil || !y.Uncertain {
			t.Fatalf("2023 yield %+v should be marked uncertain", y)
		}
		// A corrected figure replaces the old one instead of adding a row.
		y.E6 = 64_000
		if err := db.PutReferenceValue(ctx, y); err != nil {
			t.Fatal(err)
		}
		tab, _ = reference.Load(ctx, db)
		if got, _ := tab.At(reference.RendimientoSCV, portal.NewDate(2023, time.June, 1)); got.E6 != 64_000 {
			t.Fatalf("after correction: %+v", got)
		}
	})
}
