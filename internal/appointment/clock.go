package appointment

import "fmt"

// Clock is a time of day on a centre's wall clock, in minutes after
// midnight. It is deliberately not a time.Time or a time.Duration: opening
// hours are the same local reading every day, and only become an instant
// once joined to a date and the centre's zone (see Centre.Day).
type Clock int

// String is the 24-hour form "08:30".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// parseClock reads exactly "HH:MM" (00:00 to 23:59). The strict form keeps
// a typo such as "8.30" or "830" in the centres file from passing as some
// other hour.
func parseClock(s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	return Clock(h*60 + m), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
