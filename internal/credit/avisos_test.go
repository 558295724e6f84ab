package credit

import (
	"strings"
	"testing"

	"micuenta/internal/portal"
)

func avisoCredit(state string) Credit {
	return Credit{ID: 7, Number: "1512345678", State: state, Origination: portal.NewDate(2015, 6, 1),
		DiscountType: DiscountCuotaFija, DiscountFactorE4: 4_354_17, MonthlyPayment: 4_354_17}
}

func statusOf(t *testing.T, ss []AvisoStatus, kind string) AvisoStatus {
	t.Helper()
	for _, s := range ss {
		if s.Kind == kind {
			return s
		}
	}
	t.Fatalf("no %s", kind)
	return AvisoStatus{}
}

func TestAvisos(t *testing.T) {
	today := portal.NewDate(2026, 12, 2)
	acme := &Employer{Name: "ACME DE MÉXICO SA DE CV", Registro: "A1234567890", Since: portal.NewDate(2019, 3, 1)}
	other := &Employer{Name: "PANADERÍA LA ESPIGA", Registro: "B9876543210", Since: portal.NewDate(2024, 8, 16)}

	// Vigente, working for the employer that discounts it: retención from
	// the latest of origination and the job's start; no modificación; no
	// suspensión.
	ss := Avisos(avisoCredit(StateVigente), nil, AvisoInputs{Current: acme, Discounter: acme, Today: today})
	ret := statusOf(t, ss, AvisoRetencion)
	if ret.Aviso == nil || ret.Aviso.Start != portal.NewDate(2019, 3, 1) || ret.Aviso.Employer != acme || ret.Aviso.DiscountType != DiscountCuotaFija ||
		ret.Aviso.FactorE4 != 4_354_17 || ret.Aviso.Reason != "Crédito vigente con descuento por nómina" {
		t.Errorf("retención: %+v", ret.Aviso)
	}
	if s := statusOf(t, ss, AvisoModificacion); s.Aviso != nil || !strings.Contains(s.WhyNot, "no ha cambiado") {
		t.Errorf("modificación without a change: %+v", s)
	}
	if s := statusOf(t, ss, AvisoSuspension); s.Aviso != nil || !strings.Contains(s.WhyNot, "sigue vigente") {
		t.Errorf("suspensión of a live credit: %+v", s)
	}

	// A new employer: the retención goes to it and says why.
	ss = Avisos(avisoCredit(StateVigente), nil, AvisoInputs{Current: other, Discounter: acme, Today: today})
	if a := statusOf(t, ss, AvisoRetencion).Aviso; a == nil || a.Employer != other || a.Start != other.Since || a.Reason != "Cambio de patrón" {
		t.Errorf("new employer: %+v", a)
	}

	// A discount change in force: modificación from its date with the new
	// terms, and the retención carries them too; a change still to come
	// is ignored.
	changes := []DiscountChange{
		{CreditID: 7, Effective: portal.NewDate(2025, 3, 1), Type: DiscountPorcentaje, FactorE4: 2500, Reason: "Reestructura"},
		{CreditID: 7, Effective: portal.NewDate(2027, 1, 1), Type: DiscountVSM, FactorE4: 1},
		{CreditID: 8, Effective: portal.NewDate(2026, 1, 1), Type: DiscountVSM, FactorE4: 1},
	}
	ss = Avisos(avisoCredit(StateVigente), nil, AvisoInputs{Current: acme, Discounter: acme, Changes: changes, Today: today})
	mod := statusOf(t, ss, AvisoModificacion).Aviso
	if mod == nil || mod.Start != portal.NewDate(2025, 3, 1) || mod.DiscountType != DiscountPorcentaje || mod.FactorE4 != 2500 || mod.Reason != "Reestructura" {
		t.Errorf("modificación: %+v", mod)
	}
	if a := statusOf(t, ss, AvisoRetencion).Aviso; a.DiscountType != DiscountPorcentaje || a.Start != portal.NewDate(2025, 3, 1) {
		t.Errorf("retención after a change: %+v", a)
	}

	// No job: nothing to hand to an employer.
	ss = Avisos(avisoCredit(StateVigente), nil, AvisoInputs{Discounter: acme, Changes: changes, Today: today})
	for _, k := range []string{AvisoRetencion, AvisoModificacion} {
		if s := statusOf(t, ss, k); s.Aviso != nil || !strings.Contains(s.WhyNot, "empleo formal") {
			t.Errorf("%s without a job: %+v", k, s)
		}
	}

	// Paid off: only the suspensión, from the day it was settled, to the
	// employer that was discounting when no current one is known.
	moves := []Movement{mov(KindApertura, 2024, 11, 30, 100, 0), mov(KindPagoDirecto, 2025, 8, 14, -100, 0)}
	ss = Avisos(avisoCredit(StateLiquidado), moves, AvisoInputs{Discounter: acme, Today: today})
	sus := statusOf(t, ss, AvisoSuspension).Aviso
	if sus == nil || sus.Start != portal.NewDate(2025, 8, 14) || sus.Employer != acme || sus.Reason != "Liquidación del crédito" {
		t.Errorf("suspensión: %+v", sus)
	}
	for _, k := range []string{AvisoRetencion, AvisoModificacion} {
		if s := statusOf(t, ss, k); s.Aviso != nil || !strings.Contains(s.WhyNot, "liquidado") {
			t.Errorf("%s of a paid-off credit: %+v", k, s)
		}
	}
	// En prórroga and cerrado: none, each with a way forward.
	for _, state := range []string{StateEnProrroga, StateCerrado} {
		for _, s := range Avisos(avisoCredit(state), moves, AvisoInputs{Current: acme, Today: today}) {
			if s.Aviso != nil || !strings.Contains(s.WhyNot, "Infonatel") {
				t.Errorf("%s %s: %+v", state, s.Kind, s)
			}
		}
	}
}

func TestDiscountValue(t *testing.T) {
	for _, c := range []struct {
		dtype  string
		factor int64
		want   string
	}{
		{DiscountCuotaFija, 4_354_17, "$4,354.17 al mes"},
		{DiscountPorcentaje, 2000, "20.00%"},
		{DiscountPorcentaje, 2575, "25.75%"},
		{DiscountVSM, 123_456, "12.3456 VSM al mes"},
	} {
		if got := DiscountValue(c.dtype, c.factor); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.dtype, c.factor, got, c.want)
		}
	}
}

// A refund of overpayments comes after the payoff and does not move it.
func TestSettledOnIgnoresTheRefund(t *testing.T) {
	moves := []Movement{mov(KindApertura, 2024, 11, 30, 1, 0), mov(KindPagoDirecto, 2025, 8, 14, -2, 0), mov(KindDevolucionExceso, 2025, 10, 2, 1, 0)}
	if got := SettledOn(moves); got != portal.NewDate(2025, 8, 14) {
		t.Fatalf("settled on %s, want 2025-08-14", got)
	}
}

func TestCancellationOf(t *testing.T) {
	view := func(state string, balance portal.Money) *View {
		return &View{Credit: Credit{State: state}, Summary: Summary{Balance: balance, Payoff: balance + 100},
			Movements: []Movement{mov(KindApertura, 2024, 11, 30, 1, 0), mov(KindPagoDirecto, 2025, 8, 14, -1, 0)}}
	}
	if c := CancellationOf(view(StateLiquidado, 0)); !c.PaidOff || c.SettledOn != portal.NewDate(2025, 8, 14) || c.WhyNot != "" {
		t.Errorf("paid off: %+v", c)
	}
	for _, tc := range []struct {
		state   string
		balance portal.Money
		want    string
	}{
		{StateVigente, portal.Pesos(1000, 0), "Todavía debes $1,000.00"},
		{StateVigente, 0, "todavía no registra tu crédito como liquidado"},
		{StateLiquidado, portal.Pesos(5, 0), "aparece como liquidado pero tu saldo es de $5.00"},
		{StateCerrado, portal.Pesos(5, 0), "cerrado sin haberse liquidado"},
		{StateEnProrroga, portal.Pesos(5, 0), "Todavía debes"},
	} {
		c := CancellationOf(view(tc.state, tc.balance))
		if c.PaidOff || !strings.Contains(c.WhyNot, tc.want) {
			t.Errorf("%s %s: %+v", tc.state, tc.balance, c)
		}
	}
}
