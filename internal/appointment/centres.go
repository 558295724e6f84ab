package appointment

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"micuenta/internal/ident"
)

// The centres are data, not code: opening a centre, changing its hours or
// the places it gives a service is an edit of centres.csv, reviewed like
// any other change but without touching the rules.
//
//go:embed centres.csv
var centresCSV []byte

// Centre is one service centre (CESI).
type Centre struct {
	Code         string // stable identifier, stored with each booking
	Name         string
	State        string // two-letter CURP state code; see ident.State
	Municipality string
	Address      string // street, number, colonia and C.P., as shown to people
	Zone         string // IANA zone of the centre's wall clock
	Opens        Clock  // local time the first slot starts
	Closes       Clock  // local time the last slot must have ended
	SlotMinutes  int
	Places       map[Service]int // places per slot for each service offered
}

// StateName is the Spanish name of the centre's state.
func (c Centre) StateName() string { return ident.State(c.State).Name() }

// Offers reports whether the centre gives appointments for s.
func (c Centre) Offers(s Service) bool { return c.Places[s] > 0 }

// DefaultCentres reads the embedded centres.csv. It parses on every call so
// that each caller owns its slice and maps.
func DefaultCentres() ([]Centre, error) { return parseCentres(bytes.NewReader(centresCSV)) }

var centreColumns = []string{"codigo", "nombre", "entidad", "municipio", "domicilio",
	"zona_horaria", "abre", "cierra", "minutos_por_turno", "servicios"}

// parseCentres reads and validates the centres file. Any bad row refuses
// the whole file, naming its line: a half-loaded list of centres would
// silently hide a state's only centre.
func parseCentres(r io.Reader) ([]Centre, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = len(centreColumns)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("appointment: centres header: %w", err)
	}
	if !slices.Equal(header, centreColumns) {
		// Checked by name so that a reordered file cannot put addresses
		// in the zone column and still load.
		return nil, fmt.Errorf("appointment: centres header is %q, want %q", header, centreColumns)
	}
	var out []Centre
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// csv.ParseError already names the line.
			return nil, fmt.Errorf("appointment: centres: %w", err)
		}
		line, _ := cr.FieldPos(0)
		c, err := centreFromRecord(rec)
		if err != nil {
			return nil, fmt.Errorf("appointment: centres line %d: %w", line, err)
		}
		if prev, dup := seen[c.Code]; dup {
			return nil, fmt.Errorf("appointment: centres line %d: code %s already used on line %d", line, c.Code, prev)
		}
		seen[c.Code] = line
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("appointment: centres: no centres")
	}
	return out, nil
}

func centreFromRecord(rec []string) (Centre, error) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	c := Centre{Code: rec[0], Name: rec[1], State: rec[2], Municipality: rec[3], Address: rec[4], Zone: rec[5]}
	if !validCode(c.Code) {
		return c, fmt.Errorf("code %q must be capital letters, digits or hyphens", c.Code)
	}
	for _, f := range []struct{ column, value string }{
		{"nombre", c.Name}, {"municipio", c.Municipality}, {"domicilio", c.Address},
	} {
		if f.value == "" {
			return c, fmt.Errorf("%s is empty", f.column)
		}
	}
	// NE (born abroad) is a valid CURP code but not a place to put a centre.
	if st := ident.State(c.State); !st.Valid() || st == "NE" {
		return c, fmt.Errorf("unknown state %q", c.State)
	}
	if err := checkZone(c.Zone); err != nil {
		return c, err
	}
	var err error
	if c.Opens, err = parseClock(rec[6]); err != nil {
		return c, fmt.Errorf("opening time: %w", err)
	}
	if c.Closes, err = parseClock(rec[7]); err != nil {
		return c, fmt.Errorf("closing time: %w", err)
	}
	if c.Closes <= c.Opens {
		return c, fmt.Errorf("closes at %s, not after it opens at %s", c.Closes, c.Opens)
	}
	if c.SlotMinutes, err = strconv.Atoi(rec[8]); err != nil || c.SlotMinutes <= 0 {
		return c, fmt.Errorf("minutes per slot %q is not a positive number", rec[8])
	}
	if Clock(c.SlotMinutes) > c.Closes-c.Opens {
		return c, fmt.Errorf("a %d-minute slot does not fit between %s and %s", c.SlotMinutes, c.Opens, c.Closes)
	}
	if c.Places, err = parsePlaces(rec[9]); err != nil {
		return c, err
	}
	return c, nil
}

func validCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// checkZone accepts only Area/Location names that load. "Local" would
// follow the host's setting and "UTC" is no centre's wall clock; both load
// without error, so they are refused by name.
func checkZone(zone string) error {
	if !strings.Contains(zone, "/") {
		return fmt.Errorf("time zone %q is not an IANA Area/Location name", zone)
	}
	if _, err := location(zone); err != nil {
		return fmt.Errorf("time zone %q: %w", zone, err)
	}
	return nil
}

// parsePlaces reads "identidad:3;documentos:4".
func parsePlaces(s string) (map[Service]int, error) {
	places := map[Service]int{}
	for item := range strings.SplitSeq(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, count, ok := strings.Cut(item, ":")
		svc := Service(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("service %q has no number of places (servicio:lugares)", item)
		}
		if !svc.Valid() {
			return nil, fmt.Errorf("unknown service %q", svc)
		}
		if _, dup := places[svc]; dup {
			return nil, fmt.Errorf("service %q listed twice", svc)
		}
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("service %q: places %q is not a positive number", svc, count)
		}
		places[svc] = n
	}
	if len(places) == 0 {
		return nil, errors.New("offers no service")
	}
	return places, nil
}
