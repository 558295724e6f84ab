package request

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/portal"
)

// Service levels are counted in working days: Monday to Friday, except
// the days in holidays.csv — the mandatory rest days of the Ley Federal
// del Trabajo (art. 74) and the days the federal administration declares
// inhábiles each year (Holy Thursday and Friday, 2 November, 12
// December). The second kind is fixed yearly in the Diario Oficial, so
// those lines are marked uncertain until that year's agreement is
// checked; the file is data, edited without a release of the rules.
//
//go:embed holidays.csv
var holidaysCSV []byte

// Calendar knows the non-working days.
type Calendar struct {
	holidays  map[portal.Date]string
	uncertain map[portal.Date]bool
}

// DefaultCalendar reads the embedded holidays.
func DefaultCalendar() (*Calendar, error) { return ParseCalendar(holidaysCSV) }

// ParseCalendar reads "YYYY-MM-DD,description[,incierto]" lines.
func ParseCalendar(data []byte) (*Calendar, error) {
	c := &Calendar{holidays: map[portal.Date]string{}, uncertain: map[portal.Date]bool{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || n == 1 && strings.HasPrefix(line, "fecha") {
			continue
		}
		date, desc, _ := strings.Cut(line, ",")
		d, err := portal.ParseDate(date)
		if err != nil {
			return nil, fmt.Errorf("request: holidays line %d: %q is not a date", n, date)
		}
		desc, flag, _ := strings.Cut(desc, ",")
		c.holidays[d], c.uncertain[d] = desc, strings.TrimSpace(flag) == "1"
	}
	return c, sc.Err()
}

// Holiday says whether d is a holiday, what it is, and whether that still
// depends on the year's official agreement.
func (c *Calendar) Holiday(d portal.Date) (name string, uncertain, ok bool) {
	name, ok = c.holidays[d]
	return name, c.uncertain[d], ok
}

// Working reports whether d is a working day.
func (c *Calendar) Working(d portal.Date) bool {
	wd := d.Time().Weekday()
	if wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := c.holidays[d]
	return !holiday
}

// AddWorkingDays returns the date n working days after from: a request
// received on from is due at the end of that day. A request received on a
// non-working day counts from the next working one.
func (c *Calendar) AddWorkingDays(from portal.Date, n int) portal.Date {
	d := from
	for n > 0 {
		d = d.AddDays(1)
		if c.Working(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days after from up to and
// including to (0 when to is not after from).
func (c *Calendar) WorkingDaysBetween(from, to portal.Date) int {
	n := 0
	for d := from.AddDays(1); !to.Before(d); d = d.AddDays(1) {
		if c.Working(d) {
			n++
		}
	}
	return n
}
