package appointment

import (
	"strings"
	"testing"

	"micuenta/internal/ident"
)

func TestDefaultCentres(t *testing.T) {
	centres, err := DefaultCentres()
	if err != nil {
		t.Fatal(err)
	}
	if len(centres) < 32 {
		t.Fatalf("%d centres, want at least one per state", len(centres))
	}
	perState := map[string]int{}
	for _, c := range centres {
		perState[c.State]++
		if _, err := location(c.Zone); err != nil {
			t.Errorf("%s: zone %s: %v", c.Code, c.Zone, err)
		}
		if len(c.Places) == 0 {
			t.Errorf("%s offers no service", c.Code)
		}
		// Recovering access in person must be possible in every centre:
		// it is the way back in for someone who lost their phone and email.
		if !c.Offers(Identity) {
			t.Errorf("%s does not offer %s", c.Code, Identity)
		}
		if c.StateName() == "" {
			t.Errorf("%s: state %q has no name", c.Code, c.State)
		}
		if got := len(c.Day(monday, Identity, nil, nil)); got != 12 {
			t.Errorf("%s: %d slots on a Monday, want 12 (08:30–14:30 in 30 minutes)", c.Code, got)
		}
	}
	for _, st := range ident.States() {
		if perState[string(st)] == 0 {
			t.Errorf("no centre in %s (%s)", st.Name(), st)
		}
	}
	for _, st := range []string{"DF", "JC", "NL", "MC"} {
		if n := perState[st]; n < 2 || n > 3 {
			t.Errorf("%s has %d centres, want 2 or 3", st, n)
		}
	}
}

// The zone of each centre must match its state: a wrong zone would put
// every appointment there an hour off. Chihuahua's border (Ciudad Juárez)
// keeps US daylight saving time and has its own zone.
func TestCentreZonesMatchStates(t *testing.T) {
	want := map[string][]string{
		"BC": {"America/Tijuana"},
		"SR": {"America/Hermosillo"},
		"BS": {"America/Mazatlan"}, "SL": {"America/Mazatlan"}, "NT": {"America/Mazatlan"},
		"QR": {"America/Cancun"},
		"CH": {"America/Chihuahua", "America/Ciudad_Juarez"},
	}
	centres, err := DefaultCentres()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range centres {
		zones, ok := want[c.State]
		if !ok {
			zones = []string{"America/Mexico_City"}
		}
		found := false
		for _, z := range zones {
			found = found || z == c.Zone
		}
		if !found {
			t.Errorf("%s (%s) is in zone %s, want one of %v", c.Code, c.State, c.Zone, zones)
		}
	}
}

const csvHeader = "codigo,nombre,entidad,municipio,domicilio,zona_horaria,abre,cierra,minutos_por_turno,servicios\n"

const goodRow = `JC01,CESI Guadalajara,JC,Guadalajara,"Av. Vallarta 1520, col. Americana, C.P. 44160",America/Mexico_City,08:30,14:30,30,identidad:3;documentos:4` + "\n"

func TestParseCentresGood(t *testing.T) {
	cs, err := parseCentres(strings.NewReader(csvHeader + "# a comment\n" + goodRow))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("got %d centres", len(cs))
	}
	c := cs[0]
	if c.Code != "JC01" || c.State != "JC" || c.Address != "Av. Vallarta 1520, col. Americana, C.P. 44160" ||
		c.Opens != 8*60+30 || c.Closes != 14*60+30 || c.SlotMinutes != 30 ||
		len(c.Places) != 2 || c.Places[Identity] != 3 || c.Places[Documents] != 4 {
		t.Errorf("parsed %+v", c)
	}
	if c.Opens.String() != "08:30" || c.StateName() != "Jalisco" {
		t.Errorf("Opens %s, state %q", c.Opens, c.StateName())
	}
}

func TestParseCentresRefusesBadRows(t *testing.T) {
	row := func(fields ...string) string {
		// Start from the good row and replace the given column=value pairs.
		base := []string{"X01", "CESI X", "JC", "Guadalajara", `"Calle 1, col. Centro, C.P. 44100"`,
			"America/Mexico_City", "08:30", "14:30", "30", "identidad:3"}
		for i := 0; i < len(fields); i += 2 {
			base[index(fields[i])] = fields[i+1]
		}
		return strings.Join(base, ",") + "\n"
	}
	for _, tc := range []struct {
		name, bad, want string
	}{
		{"unknown state", row("entidad", "XX"), `unknown state "XX"`},
		{"born abroad is no place", row("entidad", "NE"), `unknown state "NE"`},
		{"zone that does not load", row("zona_horaria", "America/Atlantida"), "America/Atlantida"},
		{"host-dependent zone", row("zona_horaria", "Local"), `"Local"`},
		{"hour without leading zero", row("abre", "8:30"), `"8:30"`},
		{"impossible hour", row("cierra", "25:00"), `"25:00"`},
		{"closes before opening", row("abre", "14:30", "cierra", "08:30"), "not after it opens"},
		{"zero-minute slots", row("minutos_por_turno", "0"), "minutes per slot"},
		{"slot longer than the day", row("minutos_por_turno", "400"), "does not fit"},
		{"unknown service", row("servicios", "identidad:3;hipoteca:2"), `unknown service "hipoteca"`},
		{"no places", row("servicios", "identidad:0"), "not a positive number"},
		{"service without places", row("servicios", "identidad"), "no number of places"},
		{"service twice", row("servicios", "identidad:3;identidad:2"), "listed twice"},
		{"no service", row("servicios", ""), "offers no service"},
		{"lower-case code", row("codigo", "x01"), "code"},
		{"empty address", row("domicilio", ""), "domicilio is empty"},
		{"duplicate code", row("codigo", "JC01"), "already used on line 3"},
		{"missing column", "Y01,CESI Y,JC\n", "line 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Header on line 1, a comment on 2, a good row on 3: the bad
			// row is on line 4, and the error must say so.
			in := csvHeader + "# centros\n" + goodRow + tc.bad
			_, err := parseCentres(strings.NewReader(in))
			if err == nil {
				t.Fatalf("accepted %q", tc.bad)
			}
			if !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want line 4 and %q", err, tc.want)
			}
		})
	}
}

func TestParseCentresRefusesBadFiles(t *testing.T) {
	for name, in := range map[string]string{
		"empty":           "",
		"header only":     csvHeader,
		"columns swapped": strings.Replace(csvHeader, "abre,cierra", "cierra,abre", 1) + goodRow,
	} {
		if _, err := parseCentres(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func index(column string) int {
	for i, c := range centreColumns {
		if c == column {
			return i
		}
	}
	panic("no column " + column)
}
