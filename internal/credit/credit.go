// Package credit owns the mortgage: the credit's terms, its append-only
// ledger of movements, and the figures derived from it (balance, arrears,
// payoff). Old credits are denominated in VSM (multiples of the minimum
// wage, carried since 2016 by the UMI) and are updated yearly.
package credit

import "micuenta/internal/portal"

// Denominations.
const (
	DenomPesos = "pesos"
	DenomVSM   = "vsm"
)

// States.
const (
	StateVigente    = "vigente"
	StateEnProrroga = "en_prorroga"
	StateLiquidado  = "liquidado"
	StateCerrado    = "cerrado"
)

// Payroll-discount types (domain.md §6.3).
const (
	DiscountCuotaFija  = "cuota_fija"
	DiscountPorcentaje = "porcentaje"
	DiscountVSM        = "vsm"
)

// Movement kinds. Amount > 0 increases what is owed.
const (
	KindApertura        = "apertura" // balance brought forward when history starts later
	KindDisposicion     = "disposicion"
	KindInteres         = "interes"
	KindSeguro          = "seguro"
	KindAdministracion  = "administracion"
	KindDescuentoNomina = "descuento_nomina"
	KindPagoDirecto     = "pago_directo"
	KindAjuste          = "ajuste"
	KindActualizacion   = "actualizacion_vsm"
	KindAplicacionSCV   = "aplicacion_scv"
	// Kinds the requests after the credit write when approved (issue 8;
	// conversion.go, protection.go, payoff.go).
	KindConversion       = "conversion_pesos"  // a VSM credit's balance valued in pesos on the day it converts
	KindDescuentoRC      = "descuento_rc"      // the Responsabilidad Compartida discount
	KindProrroga         = "prorroga"          // a month without payment nor interest; amount 0
	KindFPP              = "fondo_proteccion"  // the Fondo de Protección de Pagos pays 90% of a month
	KindDevolucionExceso = "devolucion_exceso" // an overpayment refunded to the borrower
)

// Credit is one mortgage.
type Credit struct {
	ID                  int64
	Number              string // 10 digits
	PersonID            int64
	Product             string
	Denomination        string
	Origination         portal.Date
	OriginalAmount      portal.Money
	OriginalVSME4       int64 // VSM credits: amount in VSM × 10,000
	AnnualRateBP        int   // 1045 = 10.45%
	TermMonths          int
	MonthlyPayment      portal.Money
	MonthlyPaymentVSME4 int64
	DiscountType        string
	DiscountFactorE4    int64 // meaning depends on DiscountType
	EmployerID          int64 // 0 when no employer discounts it
	State               string
}

// Live reports whether the credit still has payments to come.
func (c Credit) Live() bool { return c.State == StateVigente || c.State == StateEnProrroga }

// Movement is one entry in a credit's ledger.
type Movement struct {
	ID        int64
	CreditID  int64
	Kind      string
	Period    int // month YYYYMM, or bimester YYYYB for payroll discounts
	SourceID  int64
	ValueDate portal.Date
	Amount    portal.Money
	AmountVSM int64 // VSM credits: the movement in VSM × 10,000
}
