package store_test

import (
	"context"
	"testing"
	"time"

	"micuenta/internal/credit"
	"micuenta/internal/document"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
	"micuenta/internal/store"
)

// Issued documents and discount changes on both engines: what is
// written reads back the same (the issue time to the second, in UTC; no
// expiry as a zero date); a taken folio or key and generation is
// ECONFLICT; the latest generation of a key is found; the reference
// values the constancia needs are loaded.
func TestIssuedDocumentsStore(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedSmall(t, db)
		cs, _ := db.CreditsOf(ctx, 1)
		pid := int64(1)
		for id := int64(1); len(cs) == 0; id++ {
			cs, _ = db.CreditsOf(ctx, id)
			pid = id
		}
		at := time.Date(2026, 12, 2, 18, 30, 15, 0, time.FixedZone("CST", -6*3600))
		d := &document.Issued{Folio: "7K2Q-M9XA-RT8H-ZP3W-N6C1", Kind: document.KindConstancia, PersonID: pid, CreditNumber: cs[0].Number,
			Detail: "Ejercicio fiscal 2025", IssuedAt: at, SHA256: "ab", HolderMasked: "J*** P***", Key: "k1"}
		if err := db.InsertIssuedDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
		got, err := db.IssuedDocument(ctx, d.Folio)
		if err != nil {
			t.Fatal(err)
		}
		if !got.IssuedAt.Equal(at) || got.IssuedAt.Location() != time.UTC || !got.ValidUntil.IsZero() || got.Key != "k1" || got.Detail != d.Detail || got.PersonID != pid {
			t.Errorf("read back %+v", got)
		}
		// The same folio, or the same key and generation: conflicts.
		dup := *d
		dup.Key = "k2"
		if err := db.InsertIssuedDocument(ctx, &dup); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("same folio: %v", err)
		}
		dup = *d
		dup.Folio = "0000-0000-0000-0000-0001"
		if err := db.InsertIssuedDocument(ctx, &dup); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("same key and generation: %v", err)
		}
		next := *d
		next.Folio, next.Generation, next.IssuedAt, next.ValidUntil = "0000-0000-0000-0000-0002", 1, at.Add(time.Hour), portal.NewDate(2027, 5, 31)
		if err := db.InsertIssuedDocument(ctx, &next); err != nil {
			t.Fatal(err)
		}
		latest, err := db.LatestIssuedDocument(ctx, "k1")
		if err != nil || latest.Folio != next.Folio || latest.ValidUntil != portal.NewDate(2027, 5, 31) {
			t.Errorf("latest: %+v %v", latest, err)
		}
		if newer, _ := db.NewerIssuedDocument(ctx, d); !newer {
			t.Error("no newer document found")
		}
		if newer, _ := db.NewerIssuedDocument(ctx, &next); newer {
			t.Error("the newest has a newer one")
		}
		if has, _ := db.HasIssuedDocument(ctx, pid, cs[0].Number, document.KindConstancia); !has {
			t.Error("HasIssuedDocument")
		}
		if has, _ := db.HasIssuedDocument(ctx, pid, cs[0].Number, document.KindCarta); has {
			t.Error("HasIssuedDocument of another kind")
		}
		if _, err := db.LatestIssuedDocument(ctx, "nada"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("unknown key: %v", err)
		}
		if _, err := db.IssuedDocument(ctx, "nada"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("unknown folio: %v", err)
		}
		bad := *d
		bad.Folio, bad.Key, bad.Kind = "0000-0000-0000-0000-0003", "k3", "otro"
		if err := db.InsertIssuedDocument(ctx, &bad); portal.ErrorCode(err) != portal.EINVALID {
			t.Errorf("unknown kind: %v", err)
		}

		// Discount changes: oldest first; the same date again replaces.
		c := cs[0]
		for _, ch := range []credit.DiscountChange{
			{CreditID: c.ID, Effective: portal.NewDate(2026, 3, 1), Type: credit.DiscountPorcentaje, FactorE4: 2500, Reason: "Reestructura"},
			{CreditID: c.ID, Effective: portal.NewDate(2025, 1, 1), Type: credit.DiscountVSM, FactorE4: 10},
			{CreditID: c.ID, Effective: portal.NewDate(2026, 3, 1), Type: credit.DiscountPorcentaje, FactorE4: 2600, Reason: "Reestructura corregida"},
		} {
			if err := db.AddDiscountChange(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		changes, err := db.DiscountChanges(ctx, c.ID)
		if err != nil || len(changes) != 2 || changes[0].Effective != portal.NewDate(2025, 1, 1) || changes[1].FactorE4 != 2600 || changes[1].Reason != "Reestructura corregida" {
			t.Errorf("changes: %+v %v", changes, err)
		}

		// The constancia's reference values: UDI at each year's end and
		// December INPC from 2012, all marked uncertain where added.
		ref, err := reference.Load(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		udi := ref.Series(reference.UDI)
		if len(udi) < 14 || udi[0].ValidFrom != portal.NewDate(2012, 12, 31) || !udi[0].Uncertain || udi[0].Source != "Banxico; verificar" {
			t.Errorf("UDI: %+v", udi)
		}
		for y := 2012; y <= 2025; y++ {
			found := false
			for _, v := range ref.Series(reference.INPC) {
				found = found || v.ValidFrom == portal.NewDate(y, 12, 1)
			}
			if !found {
				t.Errorf("no INPC for December %d", y)
			}
		}
	})
}
