package appointment

import (
	"fmt"
	"sync"
	"time"

	"micuenta/internal/portal"
)

// zones caches loaded locations: time.LoadLocation reads and parses the
// zone database on every call, and slots are computed per request.
var zones sync.Map // string → *time.Location

func location(zone string) (*time.Location, error) {
	if loc, ok := zones.Load(zone); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, err
	}
	zones.Store(zone, loc)
	return loc, nil
}

// LocalTime is t on the wall clock of zone. An unknown zone falls back to
// Mexico City, the portal's presentation zone, rather than failing: the
// centres' zones are validated when the file is loaded, so this only
// guards against a hand-built Centre.
func LocalTime(t time.Time, zone string) time.Time {
	loc, err := location(zone)
	if err != nil {
		loc = portal.MexicoCity
	}
	return t.In(loc)
}

var diasSemana = [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}

// When writes an appointment time for people, on the centre's clock:
// "lunes 7 de diciembre de 2026, 09:30 (hora local)". It says "hora local"
// and not "hora del centro": in Mexico "hora del centro" is the name of
// Central time, which would tell someone booking in Tijuana or Cancún the
// wrong hour.
func (c Centre) When(t time.Time) string {
	l := LocalTime(t, c.Zone)
	return fmt.Sprintf("%s %d de %s de %d, %02d:%02d (hora local)",
		diasSemana[l.Weekday()], l.Day(), portal.MonthName(l.Month()), l.Year(), l.Hour(), l.Minute())
}
