package savings

import (
	"micuenta/internal/portal"
)

// ProjectionInput is what the savings calculator asks.
type ProjectionInput struct {
	Start       portal.Money // balance today
	DailySalary portal.Money
	Years       int
	GrowthBP    int          // yearly salary growth, basis points (400 = 4%)
	YieldBP     int          // yearly yield, basis points
	UMADaily    portal.Money // caps the salary the contribution is computed on
}

// ProjectionYear is one row of the projection.
type ProjectionYear struct {
	Year          int // 1 = the first year from today
	Contributions portal.Money
	Yield         portal.Money
	Balance       portal.Money // at the end of the year
}

// Limits of the calculator's inputs.
const (
	MaxProjectionYears = 50
	MaxRateBP          = 2000 // 20% a year, for growth and yield
)

// Project projects the subaccount year by year. Each year the employer
// pays 5% of the daily salary, capped at 25 UMA (the UMA of today: the
// projection is in today's cap), for 365 days; the balance at the start of
// the year earns the whole year's yield and the year's contributions, paid
// along the year, earn half of it. The salary then grows. Every amount is
// rounded to the centavo, halves away from zero, at each step.
//
//	contributions = round(min(salary, 25 × UMA) × 365 × 5%)
//	yield         = round(balance × r) + round(contributions × r / 2)
//	balance'      = balance + contributions + yield
//	salary'       = round(salary × (1 + g))
func Project(in ProjectionInput) []ProjectionYear {
	out := make([]ProjectionYear, 0, in.Years)
	balance, salary := int64(in.Start), int64(in.DailySalary)
	for y := 1; y <= in.Years; y++ {
		contrib := int64(Contribution(portal.Money(salary), in.UMADaily, 365))
		yield := portal.RoundDiv(balance*int64(in.YieldBP), 10_000) + portal.RoundDiv(contrib*int64(in.YieldBP), 20_000)
		balance += contrib + yield
		out = append(out, ProjectionYear{Year: y, Contributions: portal.Money(contrib), Yield: portal.Money(yield), Balance: portal.Money(balance)})
		salary = portal.RoundDiv(salary*(10_000+int64(in.GrowthBP)), 10_000)
	}
	return out
}
