package appointment

import (
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/request"
)

// Closures are the days a centre does not open although the national
// calendar says it is a working day (a local holiday, works, a
// contingency). The store implements it.
type Closures interface {
	Closed(centreCode string, day portal.Date) bool
}

// Slot is one appointment time a centre offers for one service. Places is
// the centre's capacity for the slot, before subtracting bookings: the
// store knows the bookings, this package only the offer.
type Slot struct {
	Centre  string
	Service Service
	Start   time.Time // UTC
	End     time.Time // UTC; Start plus the centre's SlotMinutes
	Places  int
}

// Day returns the slots of one local day at the centre for s, in order.
// There are none on weekends, on the holidays of cal, on the centre's
// closures, or when the centre does not offer s. A nil cal counts only
// weekends and a nil closed closes nothing, for callers (and tests) with no
// such data.
func (c Centre) Day(day portal.Date, s Service, cal *request.Calendar, closed Closures) []Slot {
	places := c.Places[s]
	if places <= 0 || c.SlotMinutes <= 0 || !c.opensOn(day, cal, closed) {
		return nil
	}
	loc, err := location(c.Zone)
	if err != nil {
		return nil
	}
	step := Clock(c.SlotMinutes)
	var out []Slot
	// The last slot must end by closing time: a centre closing at 14:30
	// with 30-minute slots starts its last one at 14:00.
	for m := c.Opens; m+step <= c.Closes; m += step {
		// time.Date in the centre's location reads the wall clock with
		// that day's offset, so daylight saving in the border cities is
		// applied on the right dates. (A wall time in a spring-forward gap
		// would be shifted by time.Date, but transitions happen at 02:00,
		// long before any centre opens.)
		start := time.Date(day.Y, day.M, day.D, int(m)/60, int(m)%60, 0, 0, loc)
		out = append(out, Slot{
			Centre:  c.Code,
			Service: s,
			Start:   start.UTC(),
			End:     start.Add(time.Duration(c.SlotMinutes) * time.Minute).UTC(),
			Places:  places,
		})
	}
	return out
}

func (c Centre) opensOn(day portal.Date, cal *request.Calendar, closed Closures) bool {
	if cal != nil {
		if !cal.Working(day) { // weekends and national holidays
			return false
		}
	} else if wd := day.Time().Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return closed == nil || !closed.Closed(c.Code, day)
}

// Next returns the slots for s that start at from+lead or later, over days
// calendar days of the centre's clock counted from the local date of
// from+lead (that day included). The lead is the notice the centre needs;
// counting the days from the first bookable date means "the next 10 days"
// shows 10 days of choices whatever the lead.
func (c Centre) Next(from time.Time, s Service, days int, cal *request.Calendar, closed Closures, lead time.Duration) []Slot {
	earliest := from.Add(lead)
	y, m, d := LocalTime(earliest, c.Zone).Date()
	first := portal.Date{Y: y, M: m, D: d}
	var out []Slot
	for i := range days {
		for _, sl := range c.Day(first.AddDays(i), s, cal, closed) {
			if !sl.Start.Before(earliest) {
				out = append(out, sl)
			}
		}
	}
	return out
}
