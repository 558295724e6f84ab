package portal

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"time"
)

// MexicoCity is the time zone every date and time is shown in. Instants are
// stored in UTC; this is only for presentation and for "today".
var MexicoCity = mustZone("America/Mexico_City")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The time zone database is embedded by cli via time/tzdata, so this
		// only fails in a broken build.
		panic(fmt.Sprintf("portal: time zone %s: %v", name, err))
	}
	return loc
}

// Date is a civil date with no time of day or zone (a birth date, the day a
// movement took effect). It is stored as DATE on both engines.
type Date struct {
	Y int
	M time.Month
	D int
}

// DateOf returns the civil date of t as seen in Mexico City.
func DateOf(t time.Time) Date {
	y, m, d := t.In(MexicoCity).Date()
	return Date{y, m, d}
}

// NewDate builds a date, normalising overflow the way time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// ParseDate reads "YYYY-MM-DD" and refuses dates that do not exist.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "La fecha %q no es válida; usa el formato AAAA-MM-DD.", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// Time returns midnight UTC of the date, for arithmetic.
func (d Date) Time() time.Time { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero date.
func (d Date) IsZero() bool { return d.Y == 0 && d.M == 0 && d.D == 0 }

// Before reports whether d comes before o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// AddDays returns the date n days later (earlier when negative).
func (d Date) AddDays(n int) Date { return NewDate(d.Y, d.M, d.D+n) }

// AddMonths is the same day n months on, or that month's last day when it
// is shorter: a month after 31 January is 28 (or 29) February, not 3 March.
func (d Date) AddMonths(n int) Date {
	first := NewDate(d.Y, d.M+time.Month(n), 1)
	last := NewDate(first.Y, first.M+1, 0).D
	return NewDate(first.Y, first.M, min(d.D, last))
}

// String is the ISO form "YYYY-MM-DD".
func (d Date) String() string {
	if d.Y < 0 || d.Y > 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Y, int(d.M), d.D)
	}
	// Hand-formatted: dates are written tens of millions of times in bulk loads.
	b := [10]byte{byte('0' + d.Y/1000), byte('0' + d.Y/100%10), byte('0' + d.Y/10%10), byte('0' + d.Y%10), '-',
		byte('0' + int(d.M)/10), byte('0' + int(d.M)%10), '-', byte('0' + d.D/10), byte('0' + d.D%10)}
	return string(b[:])
}

var (
	mesesCortos = [...]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}
	meses       = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
)

// MonthName is a month's name in Spanish, lower case: "noviembre".
func MonthName(m time.Month) string { return meses[m-1] }

// MonthYear writes the date's month for people: "noviembre de 2026".
func (d Date) MonthYear() string { return fmt.Sprintf("%s de %d", meses[d.M-1], d.Y) }

// Spanish formats the date for people: "24 nov 2026".
func (d Date) Spanish() string {
	if d.IsZero() {
		return ""
	}
	return strconv.Itoa(d.D) + " " + mesesCortos[d.M-1] + " " + strconv.Itoa(d.Y)
}

// Value stores the date as "YYYY-MM-DD", which both engines accept for DATE.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a date from either engine: PostgreSQL returns time.Time,
// SQLite returns the text (or a time.Time when the driver parsed it).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = Date{v.Year(), v.Month(), v.Day()}
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	case nil:
		*d = Date{}
		return nil
	}
	return fmt.Errorf("portal: cannot scan %T into Date", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	// SQLite hands dates over as text, several per row of the busiest
	// pages; reading the fixed layout by hand costs a fraction of
	// time.Parse. Anything else (or a day that does not exist) goes the
	// long way, to be read or refused there.
	if y, m, day, ok := digitsDate(s); ok && day <= daysIn(m, y) {
		*d = Date{y, m, day}
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("portal: scan date %q: %w", s, err)
	}
	*d = Date{t.Year(), t.Month(), t.Day()}
	return nil
}

// digitsDate reads "YYYY-MM-DD" with a month of 1–12 and a day of 1–31.
func digitsDate(s string) (y int, m time.Month, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	n := 0
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0, 0, 0, false
		}
		n = n*10 + int(c-'0')
		switch i {
		case 3:
			y, n = n, 0
		case 6:
			m, n = time.Month(n), 0
		}
	}
	d = n
	return y, m, d, m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// daysIn is the number of days in month m of year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// CivilDate is the calendar date of t in t's own location, with no
// conversion: for times that stand for a date (midnight UTC of a birth
// date), where DateOf would shift it to the previous day in Mexico City.
func CivilDate(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}
