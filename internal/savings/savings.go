// Package savings owns the housing subaccount (Subcuenta de Vivienda): its
// append-only movements, the balance per bucket derived from them, and the
// contribution rules (5% of the capped salary, domain.md §2).
package savings

import "micuenta/internal/portal"

// Buckets of the subaccount (domain.md §2.2).
const (
	BucketFondo72 = "fondo72" // Fondo de Ahorro 1972–1992, no yield
	BucketViv92   = "viv92"   // Subcuenta de Vivienda 1992 (SAR 92)
	BucketViv97   = "viv97"   // Subcuenta de Vivienda 1997
	BucketExtra   = "extra"   // voluntary deposits
)

// Movement kinds.
const (
	KindAportacion     = "aportacion"                // employer contribution; Period is the bimester key
	KindRendimiento    = "rendimiento"               // yield; Period is YYYYMM
	KindExtraordinaria = "aportacion_extraordinaria" // voluntary deposit
	KindAplicacionCred = "aplicacion_credito"        // applied to a mortgage
	KindDevolucion     = "devolucion"                // refunded to a pensioner
	KindAjuste         = "ajuste"                    // correction by the fund
	KindSaldoAnterior  = "saldo_anterior"            // balance brought forward from before the history kept here
)

// ContributionRateBP is the employer contribution: 5% of the salary
// (LINFONAVIT art. 29 fr. II), in basis points.
const ContributionRateBP = 500

// SalaryCapUMA is the cap on the daily salary the contribution is computed
// on: 25 UMA (LSS art. 28, mirrored for the fund).
const SalaryCapUMA = 25

// Movement is one entry in a person's subaccount ledger.
type Movement struct {
	ID          int64
	PersonID    int64
	Bucket      string
	Kind        string
	Period      int   // bimester key (YYYYB) or month (YYYYMM), by kind
	SourceID    int64 // employer for contributions, 0 otherwise
	ValueDate   portal.Date
	Amount      portal.Money // signed: deposits positive, withdrawals negative
	DailySalary portal.Money // contributions: the salary reported
	Days        int          // contributions: days worked in the bimester
}

// Contribution returns the employer contribution for a bimester: 5% of the
// daily salary, capped at 25 UMA, times the days, rounded to the centavo
// (half away from zero).
func Contribution(dailySalary, umaDaily portal.Money, days int) portal.Money {
	base := dailySalary
	if limit := umaDaily * SalaryCapUMA; base > limit {
		base = limit
	}
	return portal.Money(portal.RoundDiv(int64(base)*int64(days)*ContributionRateBP, 10_000))
}
