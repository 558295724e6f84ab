package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"micuenta/internal/employment"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/store"
)

// The summary's one statement must agree with the balances and the
// movement listing, on both engines.
func TestSavingsSummaryInOneRead(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		recs := twoEmployersRecords(t, db)
		recs.Credits, recs.CreditMovements = nil, nil
		// A later bimester paid by the second employer, and an opening
		// balance in another bucket.
		recs.Savings = append(recs.Savings,
			savings.Movement{PersonID: 1, Bucket: savings.BucketViv97, Kind: savings.KindAportacion, Period: 20254, SourceID: 2,
				ValueDate: portal.NewDate(2025, 9, 17), Amount: 160_000, DailySalary: 52_500, Days: 62},
			savings.Movement{PersonID: 1, Bucket: savings.BucketViv92, Kind: savings.KindSaldoAnterior, Period: 202012,
				ValueDate: portal.NewDate(2020, 12, 31), Amount: 1_000_000})
		if _, err := db.LoadRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
		bs, span, last, err := db.SavingsSummary(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		want, wantAsOf, _ := db.SavingsBalances(ctx, 1)
		if len(bs) != len(want) || span.Last != wantAsOf || span.Last != portal.NewDate(2025, 9, 17) {
			t.Fatalf("summary balances %v as of %s; balances %v as of %s", bs, span.Last, want, wantAsOf)
		}
		got := map[string]portal.Money{}
		for _, b := range bs {
			got[b.Bucket] = b.Balance
		}
		if got[savings.BucketViv97] != 158_600+12_345+160_000 || got[savings.BucketViv92] != 1_000_000 {
			t.Fatalf("balances %v", got)
		}
		if last == nil || last.Period != 20254 || last.Amount != 160_000 || last.SourceID != 2 || last.DailySalary != 52_500 || last.Days != 62 ||
			last.ValueDate != portal.NewDate(2025, 9, 17) || last.Bucket != savings.BucketViv97 ||
			last.EmployerName != "TORTILLERÍA LA ESPIGA S.A. DE C.V." || last.RegistroPatronal != "B1234567890" {
			t.Fatalf("last contribution %+v", last)
		}
		// The span of value dates runs from the opening balance to the
		// latest bimester, and the year filter offers every year between.
		if span != (savings.Span{First: portal.NewDate(2020, 12, 31), Last: portal.NewDate(2025, 9, 17)}) {
			t.Fatalf("span %v", span)
		}
		if y := span.Years(); !slices.Equal(y, []int{2025, 2024, 2023, 2022, 2021, 2020}) {
			t.Fatalf("years %v", y)
		}
		// Someone with no movements at all: nothing, and no error.
		if bs, span, last, err := db.SavingsSummary(ctx, 99); err != nil || len(bs) != 0 || span != (savings.Span{}) || span.Years() != nil || last != nil {
			t.Fatalf("empty subaccount: %v %v %v %v", bs, span, last, err)
		}
	})
}

// Paging through the movements list by offset shows every movement once,
// newest first, even where movements tie on date, period and source (a
// month's yields on two subaccounts, one bimester paid by two
// employers), with or without a filter, on both engines.
func TestSavingsEntriesPageThroughTies(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		recs := twoEmployersRecords(t, db)
		recs.Credits, recs.CreditMovements, recs.Savings = nil, nil, nil
		for month := 1; month <= 12; month++ {
			end := portal.NewDate(2024, time.Month(month)+1, 1).AddDays(-1)
			for _, b := range []string{savings.BucketViv92, savings.BucketViv97} {
				recs.Savings = append(recs.Savings, savings.Movement{PersonID: 1, Bucket: b, Kind: savings.KindRendimiento,
					Period: 202400 + month, ValueDate: end, Amount: portal.Money(100*month + len(b))})
			}
			if month%2 == 0 {
				for employer := int64(1); employer <= 2; employer++ {
					recs.Savings = append(recs.Savings, savings.Movement{PersonID: 1, Bucket: savings.BucketViv97, Kind: savings.KindAportacion,
						Period: 20240 + month/2, SourceID: employer, ValueDate: portal.NewDate(2024, time.Month(month), 17),
						Amount: portal.Money(50_000 + 1_000*employer + int64(month)), DailySalary: 52_000, Days: 61})
				}
			}
		}
		// The year before's last yield, which the year filter leaves out.
		recs.Savings = append(recs.Savings, savings.Movement{PersonID: 1, Bucket: savings.BucketViv97, Kind: savings.KindRendimiento,
			Period: 202312, ValueDate: portal.NewDate(2023, 12, 31), Amount: 999})
		if _, err := db.LoadRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
		for _, f := range []savings.Filter{{}, {Kind: savings.KindAportacion}, {Kind: savings.KindRendimiento}, {Year: 2024},
			{Year: 2024, Kind: savings.KindRendimiento}} {
			var want int
			for _, m := range recs.Savings {
				if (f.Kind == "" || m.Kind == f.Kind) && (f.Year == 0 || m.ValueDate.Y == f.Year) {
					want++
				}
			}
			seen := map[string]bool{}
			var prev *savings.Entry
			for f.Offset, f.Limit = 0, 5; f.Offset < want+5; f.Offset += f.Limit {
				page, total, err := db.SavingsEntries(ctx, 1, f)
				if err != nil {
					t.Fatal(err)
				}
				if total != want || len(page) != min(f.Limit, max(0, want-f.Offset)) {
					t.Fatalf("%+v: %d rows of %d, want %d", f, len(page), total, want)
				}
				for i := range page {
					e := &page[i]
					key := fmt.Sprint(e.Kind, e.Period, e.SourceID, e.Bucket)
					if seen[key] {
						t.Fatalf("%+v: %s shown twice", f, key)
					}
					seen[key] = true
					if f.Kind != "" && e.Kind != f.Kind || f.Year != 0 && e.ValueDate.Y != f.Year {
						t.Fatalf("%+v: a %s of %s in the list", f, e.Kind, e.ValueDate)
					}
					if prev != nil && (prev.ValueDate.Before(e.ValueDate) || prev.ValueDate == e.ValueDate && prev.Period < e.Period) {
						t.Fatalf("%+v: %s of %d after %s of %d", f, e.ValueDate, e.Period, prev.ValueDate, prev.Period)
					}
					if e.Kind == savings.KindAportacion && e.EmployerName == "" {
						t.Fatalf("%+v: contribution of %d without its employer", f, e.SourceID)
					}
					prev = e
				}
			}
			if len(seen) != want {
				t.Fatalf("%+v: %d movements shown of %d", f, len(seen), want)
			}
		}
	})
}

// twoEmployersRecords loads two employers, ids 1 and 2, and returns the
// sample records to build on.
func twoEmployersRecords(t *testing.T, db *store.DB) *store.Records {
	t.Helper()
	if err := db.LoadEmployers(context.Background(), []employment.Employer{
		{ID: 1, RegistroPatronal: "A1234567890", RazonSocial: "ABARROTES DEL NORTE S.A. DE C.V.", State: "NL"},
		{ID: 2, RegistroPatronal: "B1234567890", RazonSocial: "TORTILLERÍA LA ESPIGA S.A. DE C.V.", State: "NL"},
	}); err != nil {
		t.Fatal(err)
	}
	return sampleRecords(t)
}
