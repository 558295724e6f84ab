package store_test

import (
	"context"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/origination"
	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
	"micuenta/internal/store"
)

// What the credit application reads and writes (migration 0014), on both
// engines: the documents each product asks for, the bimesters employers
// paid, an application's stages with their compare-and-set, the yearly
// credit numbers, and a credit the portal creates.
func TestCreditApplicationStore(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedSmall(t, db)
		d := portal.NewDate

		docs, err := db.ProductDocuments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, doc := range docs {
			count[doc.Product]++
		}
		if count["infonavit"] != 4 || count["cofinavit"] != 5 || count["unamos"] != 5 || count["mejoravit"] != 3 {
			t.Errorf("documents per product: %v", count)
		}
		if docs[0].Product != "cofinavit" || docs[0].Code != "solicitud" || docs[0].Label != "Solicitud de inscripción de crédito" {
			t.Errorf("first document: %+v", docs[0])
		}

		// Two employers in one bimester are two lines; a zero amount is no payment.
		pid := int64(1)
		before, err := db.PaidBimesters(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.LoadRecords(ctx, &store.Records{Savings: []savings.Movement{
			{PersonID: pid, Bucket: savings.BucketViv97, Kind: savings.KindAportacion, Period: 20301, SourceID: 1, ValueDate: d(2030, 3, 17), Amount: 1_000_00},
			{PersonID: pid, Bucket: savings.BucketViv97, Kind: savings.KindAportacion, Period: 20301, SourceID: 2, ValueDate: d(2030, 3, 17), Amount: 500_00},
			{PersonID: pid, Bucket: savings.BucketViv97, Kind: savings.KindAportacion, Period: 20302, SourceID: 1, ValueDate: d(2030, 5, 17), Amount: 0},
		}}); err != nil {
			t.Fatal(err)
		}
		after, err := db.PaidBimesters(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before)+2 || after[len(after)-1] != (origination.PaidBimester{Bimestre: portal.Bimestre{Year: 2030, N: 1}, EmployerID: 2}) {
			t.Fatalf("paid bimesters: %d then %d, last %+v", len(before), len(after), after[len(after)-1])
		}

		// Stages: a row per stage started, finished once.
		now := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
		q := &request.Request{Folio: "SCR-2026-000001-2", Kind: request.SolicitudCredito.Prefix, PersonID: pid, State: request.EnRevision,
			Data: []byte("{}"), ReceivedAt: now, DueOn: d(2027, 1, 21), UpdatedAt: now}
		if err := db.CreateRequest(ctx, q); err != nil {
			t.Fatal(err)
		}
		if rows, err := db.ApplicationStages(ctx, q.ID); err != nil || len(rows) != 0 {
			t.Fatalf("a new application's stages: %v %v", rows, err)
		}
		done := now.Add(24 * time.Hour)
		if err := db.StartStage(ctx, q.ID, origination.StageRow{Stage: "integracion", Seq: 1, Started: now, Due: d(2026, 12, 1), Done: done, OperatorID: 7}); err != nil {
			t.Fatal(err)
		}
		if err := db.StartStage(ctx, q.ID, origination.StageRow{Stage: "revision", Seq: 2, Started: done, Due: d(2026, 12, 9)}); err != nil {
			t.Fatal(err)
		}
		if err := db.StartStage(ctx, q.ID, origination.StageRow{Stage: "revision", Seq: 3, Started: done, Due: d(2026, 12, 9)}); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("a stage started twice: %v", err)
		}
		rows, err := db.ApplicationStages(ctx, q.ID)
		if err != nil || len(rows) != 2 {
			t.Fatalf("stages: %v %v", rows, err)
		}
		if r := rows[0]; r.Stage != "integracion" || !r.Started.Equal(now) || !r.Done.Equal(done) || r.Due != d(2026, 12, 1) || r.OperatorID != 7 {
			t.Errorf("first stage: %+v", r)
		}
		if r := rows[1]; r.Stage != "revision" || !r.Done.IsZero() || r.Due != d(2026, 12, 9) {
			t.Errorf("second stage: %+v", r)
		}
		finish := done.Add(48 * time.Hour)
		if err := db.FinishStage(ctx, q.ID, "revision", finish, 8); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishStage(ctx, q.ID, "revision", finish, 9); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("a stage finished twice: %v", err)
		}
		if err := db.FinishStage(ctx, q.ID, "firma", finish, 9); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("a stage not started finished: %v", err)
		}
		rows, _ = db.ApplicationStages(ctx, q.ID)
		if !rows[1].Done.Equal(finish) || rows[1].OperatorID != 8 {
			t.Errorf("finished: %+v", rows[1])
		}

		// Credit numbers, a sequence per year.
		for _, want := range []struct {
			year int
			n    int64
		}{{2026, 1}, {2026, 2}, {2027, 1}, {2026, 3}} {
			if n, err := db.NextCreditNumber(ctx, want.year); err != nil || n != want.n {
				t.Fatalf("next number of %d: %d %v, want %d", want.year, n, err, want.n)
			}
		}

		// A credit gets its id from the database; its number is unique.
		maxID, err := db.MaxCreditID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := credit.Credit{Number: "2690000001", PersonID: pid, Product: "infonavit", Denomination: credit.DenomPesos, Origination: d(2026, 12, 10),
			OriginalAmount: 514_500_00, AnnualRateBP: 659, TermMonths: 240, MonthlyPayment: 3_863_29, DiscountType: credit.DiscountCuotaFija,
			DiscountFactorE4: 3_863_29, State: credit.StateVigente}
		if err := db.CreateCredit(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if c.ID <= maxID {
			t.Fatalf("the new credit's id %d is not after %d", c.ID, maxID)
		}
		got, err := db.FindCreditByNumber(ctx, "2690000001")
		if err != nil || *got != c {
			t.Fatalf("the credit read back\n got %+v %v\nwant %+v", got, err, c)
		}
		again := c
		if err := db.CreateCredit(ctx, &again); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("the same number twice: %v", err)
		}
	})
}
