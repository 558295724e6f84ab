package appointment

import (
	"testing"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/request"
)

var (
	monday   = portal.Date{Y: 2026, M: time.December, D: 7}
	saturday = portal.Date{Y: 2026, M: time.December, D: 5}
	sunday   = portal.Date{Y: 2026, M: time.December, D: 6}
	// Christmas 2026 is a Friday, so only the holiday list closes it.
	christmas = portal.Date{Y: 2026, M: time.December, D: 25}
)

func centre(zone string) Centre {
	return Centre{Code: "T01", Name: "CESI Prueba", State: "JC", Zone: zone,
		Opens: 8*60 + 30, Closes: 14*60 + 30, SlotMinutes: 30,
		Places: map[Service]int{Identity: 3, Documents: 4}}
}

func calendar(t *testing.T) *request.Calendar {
	t.Helper()
	cal, err := request.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

type closures map[string]portal.Date

func (c closures) Closed(code string, day portal.Date) bool { d, ok := c[code]; return ok && d == day }

func TestTestDatesAreWhatTheySay(t *testing.T) {
	for d, want := range map[portal.Date]time.Weekday{monday: time.Monday, saturday: time.Saturday,
		sunday: time.Sunday, christmas: time.Friday} {
		if got := d.Time().Weekday(); got != want {
			t.Errorf("%s is a %s, not a %s", d, got, want)
		}
	}
	if _, _, ok := calendar(t).Holiday(christmas); !ok {
		t.Errorf("%s is not in the request calendar's holidays", christmas)
	}
}

func TestDayMonday(t *testing.T) {
	c := centre("America/Mexico_City")
	slots := c.Day(monday, Identity, calendar(t), closures{})
	if len(slots) != (14*60+30-(8*60+30))/30 {
		t.Fatalf("%d slots, want 12", len(slots))
	}
	first := time.Date(2026, 12, 7, 14, 30, 0, 0, time.UTC) // 08:30 at UTC−6
	for i, s := range slots {
		wantStart := first.Add(time.Duration(i) * 30 * time.Minute)
		if !s.Start.Equal(wantStart) || !s.End.Equal(wantStart.Add(30*time.Minute)) {
			t.Errorf("slot %d: %s–%s, want start %s", i, s.Start, s.End, wantStart)
		}
		if s.Start.Location() != time.UTC {
			t.Errorf("slot %d start is in %s, not UTC", i, s.Start.Location())
		}
		if s.Centre != "T01" || s.Service != Identity || s.Places != 3 {
			t.Errorf("slot %d: %+v", i, s)
		}
	}
	// The last slot ends exactly at closing time.
	if last := slots[len(slots)-1]; LocalTime(last.End, c.Zone).Format("15:04") != "14:30" {
		t.Errorf("last slot ends at %s local", LocalTime(last.End, c.Zone).Format("15:04"))
	}
}

func TestDayLastSlotMustFit(t *testing.T) {
	c := centre("America/Mexico_City")
	c.SlotMinutes = 45 // 360/45 = 8: the last starts 13:45 and ends at 14:30
	if n := len(c.Day(monday, Identity, nil, nil)); n != 8 {
		t.Errorf("45-minute slots: %d, want 8", n)
	}
	c.SlotMinutes = 50 // 360/50 = 7.2: the eighth would end at 15:10
	slots := c.Day(monday, Identity, nil, nil)
	if len(slots) != 7 {
		t.Fatalf("50-minute slots: %d, want 7", len(slots))
	}
	if end := LocalTime(slots[6].End, c.Zone).Format("15:04"); end != "14:20" {
		t.Errorf("last 50-minute slot ends at %s", end)
	}
}

func TestDayNone(t *testing.T) {
	c := centre("America/Mexico_City")
	cal := calendar(t)
	for name, got := range map[string][]Slot{
		"saturday":           c.Day(saturday, Identity, cal, nil),
		"sunday":             c.Day(sunday, Identity, cal, nil),
		"sunday without cal": c.Day(sunday, Identity, nil, nil),
		"christmas":          c.Day(christmas, Identity, cal, nil),
		"closure":            c.Day(monday, Identity, cal, closures{"T01": monday}),
		"service not given":  c.Day(monday, Deeds, cal, nil),
		"unknown service":    c.Day(monday, Service("hipoteca"), cal, nil),
	} {
		if len(got) != 0 {
			t.Errorf("%s: %d slots, want none", name, len(got))
		}
	}
	// Another centre's closure, or a closure on another day, changes nothing.
	if n := len(c.Day(monday, Identity, cal, closures{"T02": monday, "x": christmas})); n != 12 {
		t.Errorf("unrelated closure: %d slots", n)
	}
	if n := len(c.Day(monday, Identity, cal, closures{"T01": sunday})); n != 12 {
		t.Errorf("closure on another day: %d slots", n)
	}
}

// The same 08:30 on the wall is a different instant in each zone, and in
// the border cities it moves with US daylight saving time.
func TestDayTimeZones(t *testing.T) {
	january := portal.Date{Y: 2026, M: time.January, D: 12}
	july := portal.Date{Y: 2026, M: time.July, D: 13}
	for _, tc := range []struct {
		zone          string
		day           portal.Date
		wantFirstUTC  string
		wantOffsetHrs int
	}{
		{"America/Mexico_City", january, "14:30", -6},
		{"America/Mexico_City", july, "14:30", -6}, // no DST since 2022
		{"America/Hermosillo", january, "15:30", -7},
		{"America/Hermosillo", july, "15:30", -7},
		{"America/Mazatlan", january, "15:30", -7},
		{"America/Mazatlan", july, "15:30", -7},
		{"America/Cancun", january, "13:30", -5},
		{"America/Cancun", july, "13:30", -5},
		{"America/Chihuahua", july, "14:30", -6},
		{"America/Tijuana", january, "16:30", -8},
		{"America/Tijuana", july, "15:30", -7},
		{"America/Ciudad_Juarez", january, "15:30", -7},
		{"America/Ciudad_Juarez", july, "14:30", -6},
	} {
		c := centre(tc.zone)
		slots := c.Day(tc.day, Identity, nil, nil)
		if len(slots) != 12 {
			t.Errorf("%s %s: %d slots", tc.zone, tc.day, len(slots))
			continue
		}
		if got := slots[0].Start.Format("15:04"); got != tc.wantFirstUTC || slots[0].Start.Format(time.DateOnly) != tc.day.String() {
			t.Errorf("%s %s: first slot %s, want %sZ", tc.zone, tc.day, slots[0].Start, tc.wantFirstUTC)
		}
		local := LocalTime(slots[0].Start, tc.zone)
		if _, off := local.Zone(); off != tc.wantOffsetHrs*3600 || local.Format("15:04") != "08:30" {
			t.Errorf("%s %s: local %s (offset %ds)", tc.zone, tc.day, local, off)
		}
	}
}

// Tijuana's clocks go forward on Sunday 8 March 2026: the Friday before and
// the Monday after open at the same 08:30 but an hour apart in UTC.
func TestDayAcrossTijuanaDST(t *testing.T) {
	c := centre("America/Tijuana")
	fri := c.Day(portal.Date{Y: 2026, M: time.March, D: 6}, Identity, nil, nil)
	mon := c.Day(portal.Date{Y: 2026, M: time.March, D: 9}, Identity, nil, nil)
	if fri[0].Start.Format(time.RFC3339) != "2026-03-06T16:30:00Z" || mon[0].Start.Format(time.RFC3339) != "2026-03-09T15:30:00Z" {
		t.Errorf("Friday %s, Monday %s", fri[0].Start, mon[0].Start)
	}
}

func TestNextLeadSkipsEarlierSlots(t *testing.T) {
	c := centre("America/Mexico_City")
	// Monday 7 December, 09:10 in Mexico City, with an hour's notice: the
	// first bookable slot is 10:30 (10:00 starts before 10:10).
	from := time.Date(2026, 12, 7, 9, 10, 0, 0, portal.MexicoCity)
	slots := c.Next(from, Identity, 1, calendar(t), nil, time.Hour)
	if len(slots) != 8 {
		t.Fatalf("%d slots, want 8 (10:30 to 14:00)", len(slots))
	}
	if got := LocalTime(slots[0].Start, c.Zone).Format("15:04"); got != "10:30" {
		t.Errorf("first slot at %s", got)
	}
	// A slot starting exactly at from+lead is still bookable.
	from = time.Date(2026, 12, 7, 9, 0, 0, 0, portal.MexicoCity)
	if slots := c.Next(from, Identity, 1, nil, nil, time.Hour); len(slots) != 9 {
		t.Errorf("from 09:00 with an hour's lead: %d slots, want 9 (10:00 to 14:00)", len(slots))
	}
}

func TestNextCrossesWeekend(t *testing.T) {
	c := centre("America/Mexico_City")
	// Friday 4 December at 14:00: with an hour's notice nothing is left that
	// day; Saturday and Sunday are closed; Monday is whole.
	from := time.Date(2026, 12, 4, 14, 0, 0, 0, portal.MexicoCity)
	slots := c.Next(from, Identity, 4, calendar(t), nil, time.Hour)
	if len(slots) != 12 {
		t.Fatalf("%d slots, want Monday's 12", len(slots))
	}
	if got := slots[0].Start.Format(time.RFC3339); got != "2026-12-07T14:30:00Z" {
		t.Errorf("first slot %s", got)
	}
	// Three days (Friday to Sunday) find nothing.
	if n := len(c.Next(from, Identity, 3, calendar(t), nil, time.Hour)); n != 0 {
		t.Errorf("Friday to Sunday: %d slots", n)
	}
	// Days are counted from the first bookable date: a two-day lead from
	// Friday starts on Sunday, so two days reach Monday.
	if n := len(c.Next(from, Identity, 2, calendar(t), nil, 48*time.Hour)); n != 12 {
		t.Errorf("48h lead, 2 days: %d slots, want Monday's 12", n)
	}
}

func TestNextCrossesWeekendAndTijuanaDST(t *testing.T) {
	c := centre("America/Tijuana")
	from := time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC) // Friday 06:00 in Tijuana
	slots := c.Next(from, Identity, 4, nil, nil, 0)
	if len(slots) != 24 {
		t.Fatalf("%d slots, want Friday's and Monday's", len(slots))
	}
	if slots[0].Start.Format(time.RFC3339) != "2026-03-06T16:30:00Z" || slots[12].Start.Format(time.RFC3339) != "2026-03-09T15:30:00Z" {
		t.Errorf("Friday first %s, Monday first %s", slots[0].Start, slots[12].Start)
	}
}

// Days are the centre's, not UTC's: 23:00 on Monday in Mexico City is
// already Tuesday in UTC, and Monday's slots are all past.
func TestNextUsesTheCentresDate(t *testing.T) {
	c := centre("America/Mexico_City")
	from := time.Date(2026, 12, 8, 5, 0, 0, 0, time.UTC)
	if n := len(c.Next(from, Identity, 1, nil, nil, 0)); n != 0 {
		t.Errorf("%d slots on a day that is over", n)
	}
	if n := len(c.Next(from, Identity, 2, nil, nil, 0)); n != 12 {
		t.Errorf("%d slots, want Tuesday's 12", n)
	}
}

func TestNextNoDays(t *testing.T) {
	c := centre("America/Mexico_City")
	from := time.Date(2026, 12, 7, 7, 0, 0, 0, portal.MexicoCity)
	for _, days := range []int{0, -1} {
		if n := len(c.Next(from, Identity, days, nil, nil, 0)); n != 0 {
			t.Errorf("days=%d: %d slots", days, n)
		}
	}
}
