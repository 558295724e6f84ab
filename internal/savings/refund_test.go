package savings

import (
	"strings"
	"testing"

	"micuenta/internal/person"
	"micuenta/internal/portal"
)

var balances = []BucketBalance{
	{Bucket: BucketViv97, Balance: 123_456_78},
	{Bucket: BucketFondo72, Balance: 12_345_67},
	{Bucket: BucketViv92, Balance: 45_678_90},
	{Bucket: BucketExtra, Balance: 1_000_00},
}

func TestRefundByLaw(t *testing.T) {
	// Ley 73: everything, 12,345.67 + 45,678.90 + 123,456.78 + 1,000.00.
	p := PlanRefund("73", balances)
	if p.Total != 182_481_35 || len(p.Lines) != 4 || p.Lines[0].Bucket != BucketFondo72 {
		t.Fatalf("73: %+v", p)
	}
	for _, l := range p.Lines {
		if !l.Refunded {
			t.Errorf("73: %s not refunded", l.Bucket)
		}
	}
	// Ley 97: the Fondo de Ahorro 72-92 and the voluntary deposits only.
	p = PlanRefund("97", balances)
	if p.Total != 13_345_67 {
		t.Fatalf("97: %+v", p)
	}
	for _, l := range p.Lines {
		if l.Refunded != (l.Bucket == BucketFondo72 || l.Bucket == BucketExtra) || (!l.Refunded && !strings.Contains(l.Where, "Afore")) {
			t.Errorf("97: %+v", l)
		}
	}
	ms := RefundMovements(4, p, portal.NewDate(2026, 11, 24), 9)
	if len(ms) != 2 || ms[0] != (Movement{PersonID: 4, Bucket: BucketFondo72, Kind: KindDevolucion, Period: 202611, SourceID: 9,
		ValueDate: portal.NewDate(2026, 11, 24), Amount: -12_345_67}) || ms[1].Bucket != BucketExtra || ms[1].Amount != -1_000_00 {
		t.Fatalf("movements %+v", ms)
	}
}

func TestRefundBlocks(t *testing.T) {
	p73 := PlanRefund("73", balances)
	if why := RefundBlock(person.Pensionado, "73", false, p73); len(why) != 0 {
		t.Fatalf("eligible: %v", why)
	}
	for _, c := range []struct {
		status, law string
		live        bool
		plan        RefundPlan
		want        string
	}{
		{person.PensionNone, "", false, p73, "personas pensionadas"},
		{person.PensionEnTramite, "73", false, p73, "en trámite"},
		{person.Pensionado, "", false, PlanRefund("", balances), "bajo qué ley"},
		{person.Pensionado, "73", true, p73, "crédito vigente"},
		{person.Pensionado, "97", false, PlanRefund("97", balances[:1]), "Afore"},
		{person.Pensionado, "73", false, PlanRefund("73", nil), "No tienes saldo"},
	} {
		why := RefundBlock(c.status, c.law, c.live, c.plan)
		if len(why) == 0 || !strings.Contains(strings.Join(why, " "), c.want) {
			t.Errorf("%+v: %v", c, why)
		}
	}
}
