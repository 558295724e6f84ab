package credit

import (
	"context"
	"slices"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

// Store reads credits and their ledgers.
type Store interface {
	CreditsOf(ctx context.Context, personID int64) ([]Credit, error)
	CreditMovements(ctx context.Context, creditID int64) ([]Movement, error)
}

// Service answers a borrower's questions about their credit.
type Service struct {
	store Store
	refs  reference.Store
	now   func() time.Time
}

// NewService builds the service.
func NewService(s Store, refs reference.Store, now func() time.Time) *Service {
	return &Service{store: s, refs: refs, now: now}
}

// KindNames are the movement kinds as people read them, in filter order.
var KindNames = []struct{ Kind, Name string }{
	{KindDisposicion, "Disposición del crédito"},
	{KindApertura, "Saldo inicial"},
	{KindInteres, "Intereses"},
	{KindSeguro, "Seguro de daños"},
	{KindAdministracion, "Cuota de administración"},
	{KindDescuentoNomina, "Descuento por nómina"},
	{KindPagoDirecto, "Pago directo"},
	{KindAplicacionSCV, "Aplicación de tu ahorro"},
	{KindActualizacion, "Actualización anual (VSM)"},
	{KindConversion, "Conversión a pesos"},
	{KindDescuentoRC, "Descuento por Responsabilidad Compartida"},
	{KindProrroga, "Mes de prórroga (sin pago ni intereses)"},
	{KindFPP, "Pago del Fondo de Protección de Pagos"},
	{KindDevolucionExceso, "Devolución de pagos en exceso"},
	{KindAjuste, "Ajuste"},
}

// KindName is a movement kind's name, "" for an unknown kind.
func KindName(kind string) string {
	for _, k := range KindNames {
		if k.Kind == kind {
			return k.Name
		}
	}
	return ""
}

// StateNames are the credit states as people read them.
var StateNames = map[string]string{StateVigente: "Vigente", StateEnProrroga: "En prórroga", StateLiquidado: "Liquidado", StateCerrado: "Cerrado"}

// View is a borrower's credit with its ledger and today's figures.
type View struct {
	Credit    Credit
	Movements []Movement
	Summary   Summary
	Today     portal.Date
	UMI       int64 // centavos a day, for VSM credits
}

// Mine returns the person's credit — the live one, or else the newest —
// with its figures; ENOTFOUND when the person has none.
func (s *Service) Mine(ctx context.Context, personID int64) (*View, error) {
	return s.MineByNumber(ctx, personID, "")
}

// MineByNumber is Mine for one of the person's credits by number ("" for
// the main one); a number that is not the person's is the same
// ENOTFOUND as one that does not exist.
func (s *Service) MineByNumber(ctx context.Context, personID int64, number string) (*View, error) {
	cs, err := s.store.CreditsOf(ctx, personID)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, portal.Errorf(portal.ENOTFOUND, "No tienes un crédito con el Fondo.")
	}
	c := cs[0]
	for _, x := range cs {
		if x.Live() {
			c = x
			break
		}
	}
	if number != "" {
		found := false
		for _, x := range cs {
			if x.Number == number {
				c, found = x, true
			}
		}
		if !found {
			return nil, portal.Errorf(portal.ENOTFOUND, "No encontramos ese crédito entre los tuyos.")
		}
	}
	moves, err := s.store.CreditMovements(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	today := portal.DateOf(s.now())
	v := &View{Credit: c, Movements: moves, Today: today}
	if c.Denomination == DenomVSM {
		t, err := reference.Load(ctx, s.refs)
		if err != nil {
			return nil, err
		}
		if u, err := t.At(reference.UMIDiaria, today); err == nil {
			v.UMI = (u.E6 + 5_000) / 10_000
		}
	}
	v.Summary = Summarize(&c, moves, today, v.UMI)
	// Months of protection are written ahead, dated when they fall due
	// (protection.go): the summary reads them, the pages show the ledger
	// as it stands today.
	if ahead := func(m Movement) bool { return today.Before(m.ValueDate) }; slices.ContainsFunc(moves, ahead) {
		v.Movements = slices.DeleteFunc(slices.Clone(moves), ahead)
	}
	return v, nil
}

// Filter selects movements for a page.
type Filter struct {
	Year int    // 0: all
	Kind string // "": all
}

// Filtered returns the view's movements matching f, newest first.
func (v *View) Filtered(f Filter) []Movement {
	var out []Movement
	for i := len(v.Movements) - 1; i >= 0; i-- {
		m := v.Movements[i]
		if (f.Year == 0 || m.ValueDate.Y == f.Year) && (f.Kind == "" || m.Kind == f.Kind) {
			out = append(out, m)
		}
	}
	return out
}

// Years lists the years the ledger covers, newest first.
func (v *View) Years() []int {
	var out []int
	for i := len(v.Movements) - 1; i >= 0; i-- {
		y := v.Movements[i].ValueDate.Y
		if len(out) == 0 || out[len(out)-1] != y {
			out = append(out, y)
		}
	}
	return out
}

// Channel is a way to pay a credit directly (domain.md §10.7): kept as
// data, so a new bank or store is a line here, not a template change.
type Channel struct {
	Name    string // where
	How     string // what to give there
	Minimum portal.Money
	Fee     string
}

// Channels are the places to pay a credit without payroll discount.
var Channels = []Channel{
	{Name: "Transferencia o ventanilla bancaria (HSBC)", How: "CLABE 021180550300050811, referencia numérica 5503 y, en el concepto, tu número de crédito", Fee: "Sin comisión del Fondo; tu banco puede cobrar la transferencia."},
	{Name: "Tiendas autorizadas", How: "tu referencia de pago de 12 números", Minimum: 50_00, Fee: "Sin comisión."},
	{Name: "En línea en Mi Cuenta", How: "tu tarjeta de débito o crédito (no American Express) o tu cuenta bancaria", Minimum: MinOnline, Fee: "Sin comisión."},
	{Name: "CoDi", How: "el código QR o la notificación a tu celular; hasta $8,000 por operación", Fee: "Sin comisión."},
}

// MonthlyPayment is the credit's monthly payment in pesos (a VSM credit's
// at the day's UMI).
func (v *View) MonthlyPayment() portal.Money {
	if v.Credit.Denomination == DenomVSM {
		return VSMToPesos(v.Credit.MonthlyPaymentVSME4, v.UMI)
	}
	return v.Credit.MonthlyPayment
}
