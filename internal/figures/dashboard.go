package figures

import (
	"context"
	"sort"
	"time"

	"micuenta/internal/portal"
)

// Dashboard is what the operations dashboard shows for a date range.
// Ratios are in basis points (1 % = 100) so they stay integers.
type Dashboard struct {
	From, To portal.Date

	// At the close of AsOf, the last day up to To whose close was
	// recorded (zero when none yet).
	AsOf   portal.Date
	Total  int64 // registered accounts
	Active int64 // with a sign-in in the 30 days to the close
	States []Count

	// The year of To, from 1 January to To.
	Year         int
	NewYTD       int64
	PrevClose    int64 // accounts at the close of the previous year
	GrowthBP     int64 // NewYTD over PrevClose
	NewByMonth   []Count
	NewByQuarter []Share

	// Over the range.
	NewByDay       []DayCount
	DailyActive    []DayCount
	AvgDailyActive int64
	Visits         int64
	AvgVisit       time.Duration
	Requests       []Count // by type, most first
	Pages          []Count // by route, most first, at most topPages
	Funnel         []FunnelCount
	Codes          []CodeCount
}

// Count is a figure for a name (a state, a route, a request type, a month).
type Count struct {
	Name  string
	Value int64
}

// Share is a count and its share of a whole, in basis points.
type Share struct {
	Name    string
	Value   int64
	ShareBP int64
}

// DayCount is a figure for a day.
type DayCount struct {
	Day   portal.Date
	Value int64
}

// FunnelCount is how many reached a registration step, and the share of
// those who reached the previous step that did not.
type FunnelCount struct {
	Step   FunnelStep
	Value  int64
	DropBP int64
}

// CodeCount is one channel's one-time codes: sent, given up on, and the
// share that failed.
type CodeCount struct {
	Channel      string
	Sent, Failed int64
	FailureBP    int64
}

const topPages = 15

// MaxRangeDays bounds the dashboard's range.
const MaxRangeDays = 731

// Dashboard reads the figures of from..to (and of the year to belongs to,
// and the previous year's close) and assembles the dashboard.
func (s *Service) Dashboard(ctx context.Context, from, to portal.Date) (*Dashboard, error) {
	jan1 := portal.NewDate(to.Y, time.January, 1)
	readFrom := earliestOf(from, jan1.AddDays(-1))
	rows, err := s.store.Figures(ctx, readFrom, to)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{From: from, To: to, Year: to.Y}
	inRange := func(day portal.Date) bool { return !day.Before(from) && !to.Before(day) }

	var deletedYTD int64
	closeOfPrev := int64(-1)
	byMonth := make([]int64, 12)
	newByDay := map[portal.Date]int64{}
	active := map[portal.Date]int64{}
	requests, pages, funnel := map[string]int64{}, map[string]int64{}, map[string]int64{}
	sent, failed := map[string]int64{}, map[string]int64{}
	var visitSeconds int64
	snapshots := map[portal.Date][]Row{}
	for _, r := range rows {
		ytd := !r.Day.Before(jan1)
		switch r.Figure {
		case AccountsTotal, AccountsByState, Active30:
			if r.Figure == AccountsTotal && r.Day == jan1.AddDays(-1) {
				closeOfPrev = r.Value
			}
			snapshots[r.Day] = append(snapshots[r.Day], r)
			continue
		case AccountsNew:
			if ytd {
				d.NewYTD += r.Value
				byMonth[r.Day.M-1] += r.Value
			}
		case AccountsDeleted:
			if ytd {
				deletedYTD += r.Value
			}
		}
		if !inRange(r.Day) {
			continue
		}
		switch r.Figure {
		case AccountsNew:
			newByDay[r.Day] += r.Value
		case DailyActive:
			active[r.Day] += r.Value
		case RequestsFiled:
			requests[r.Dim] += r.Value
		case PageViews:
			pages[r.Dim] += r.Value
		case Funnel:
			funnel[r.Dim] += r.Value
		case CodesSent:
			sent[r.Dim] += r.Value
		case CodesFailed:
			failed[r.Dim] += r.Value
		case Visits:
			d.Visits += r.Value
		case VisitSeconds:
			visitSeconds += r.Value
		}
	}

	// The latest close within the range.
	for day := to; !day.Before(readFrom); day = day.AddDays(-1) {
		snap, ok := snapshots[day]
		if !ok {
			continue
		}
		d.AsOf = day
		for _, r := range snap {
			switch r.Figure {
			case AccountsTotal:
				d.Total = r.Value
			case Active30:
				d.Active = r.Value
			case AccountsByState:
				d.States = append(d.States, Count{r.Dim, r.Value})
			}
		}
		break
	}
	sortCounts(d.States)

	// The previous year's close: recorded, or worked back from today's
	// total and this year's movements when the portal has no record of it
	// (it began keeping figures this year).
	d.PrevClose = closeOfPrev
	if d.PrevClose < 0 {
		d.PrevClose = max(d.Total-d.NewYTD+deletedYTD, 0)
	}
	d.GrowthBP = RatioBP(d.NewYTD, d.PrevClose)
	for m := time.January; m <= to.M; m++ {
		d.NewByMonth = append(d.NewByMonth, Count{portal.MonthName(m), byMonth[m-1]})
	}
	for q := 0; q*3 < int(to.M); q++ {
		n := byMonth[3*q] + byMonth[3*q+1] + byMonth[3*q+2]
		d.NewByQuarter = append(d.NewByQuarter, Share{quarterNames[q], n, RatioBP(n, d.NewYTD)})
	}

	var activeSum int64
	days := 0
	for day := from; !to.Before(day); day = day.AddDays(1) {
		d.NewByDay = append(d.NewByDay, DayCount{day, newByDay[day]})
		d.DailyActive = append(d.DailyActive, DayCount{day, active[day]})
		activeSum += active[day]
		days++
	}
	if days > 0 {
		d.AvgDailyActive = (2*activeSum + int64(days)) / (2 * int64(days)) // rounded half up
	}
	if d.Visits > 0 {
		d.AvgVisit = time.Duration(visitSeconds/d.Visits) * time.Second
	}
	d.Requests = countsOf(requests, 0)
	d.Pages = countsOf(pages, topPages)
	var prev int64 = -1
	for _, st := range FunnelSteps {
		n := funnel[st.Key]
		fc := FunnelCount{Step: st, Value: n}
		if prev > 0 {
			fc.DropBP = RatioBP(max(prev-n, 0), prev)
		}
		d.Funnel = append(d.Funnel, fc)
		prev = n
	}
	for _, ch := range []string{"email", "sms"} {
		d.Codes = append(d.Codes, CodeCount{Channel: ch, Sent: sent[ch], Failed: failed[ch], FailureBP: RatioBP(failed[ch], sent[ch]+failed[ch])})
	}
	return d, nil
}

var quarterNames = []string{"Enero a marzo", "Abril a junio", "Julio a septiembre", "Octubre a diciembre"}

// RatioBP is part over whole in basis points, rounded half up; 0 when
// the whole is 0.
func RatioBP(part, whole int64) int64 {
	if whole <= 0 {
		return 0
	}
	return (part*10000*2 + whole) / (2 * whole)
}

func countsOf(m map[string]int64, limit int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sortCounts(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// sortCounts orders most first, then by name, so equal counts keep a
// stable order.
func sortCounts(c []Count) {
	sort.Slice(c, func(i, j int) bool {
		if c[i].Value != c[j].Value {
			return c[i].Value > c[j].Value
		}
		return c[i].Name < c[j].Name
	})
}

// CSV rows of the range: every stored figure, for the export.
func (s *Service) Rows(ctx context.Context, from, to portal.Date) ([]Row, error) {
	return s.store.Figures(ctx, from, to)
}
