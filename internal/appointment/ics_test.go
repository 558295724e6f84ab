package appointment

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func sampleEvent() ICSEvent {
	return ICSEvent{
		UID:     "CITA-2026-000123@micuenta.example",
		Summary: "Cita en CESI Guadalajara: Verificar mi identidad",
		Description: "Lleva tu identificación oficial vigente, tu CURP y el folio; llega 10 minutos antes.\n" +
			"Si no puedes asistir, cancela desde Mi Cuenta para liberar el lugar. Ruta: C:\\citas",
		Location: "CESI Guadalajara, Av. Vallarta 1520, col. Americana, C.P. 44160, Guadalajara, Jalisco",
		Start:    time.Date(2026, 12, 7, 15, 30, 0, 0, time.UTC),
		End:      time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC),
		Created:  time.Date(2026, 11, 30, 18, 4, 5, 0, time.UTC),
	}
}

// checkLines verifies the physical form of a calendar file and returns its
// unfolded content lines.
func checkLines(t *testing.T, out []byte) []string {
	t.Helper()
	s := string(out)
	if !strings.HasSuffix(s, "\r\n") {
		t.Errorf("does not end in CRLF")
	}
	if strings.Count(s, "\n") != strings.Count(s, "\r\n") || strings.Count(s, "\r") != strings.Count(s, "\r\n") {
		t.Errorf("bare CR or LF in %q", s)
	}
	if !utf8.Valid(out) {
		t.Errorf("not valid UTF-8")
	}
	for i, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		// Each physical line valid on its own: no character split by a fold.
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a character: %q", i+1, l)
		}
	}
	unfolded := strings.ReplaceAll(strings.TrimSuffix(s, "\r\n"), "\r\n ", "")
	return strings.Split(unfolded, "\r\n")
}

// unescape reverses TEXT escaping, independently of the code under test.
func unescape(t *testing.T, v string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			b.WriteByte(v[i])
			continue
		}
		i++
		if i == len(v) {
			t.Fatalf("dangling backslash in %q", v)
		}
		switch v[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(v[i])
		default:
			t.Fatalf("bad escape \\%c in %q", v[i], v)
		}
	}
	return b.String()
}

// properties maps each property of the VEVENT (outside the VALARM) to its
// raw value.
func properties(lines []string) map[string]string {
	props := map[string]string{}
	inEvent, inAlarm := false, false
	for _, l := range lines {
		name, value, _ := strings.Cut(l, ":")
		switch {
		case l == "BEGIN:VEVENT":
			inEvent = true
		case l == "END:VEVENT":
			inEvent = false
		case l == "BEGIN:VALARM":
			inAlarm = true
		case l == "END:VALARM":
			inAlarm = false
		case inEvent && !inAlarm:
			props[name] = value
		}
	}
	return props
}

func TestICS(t *testing.T) {
	ev := sampleEvent()
	lines := checkLines(t, ICS(ev))
	want := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Fondo Nacional de Vivienda//Mi Cuenta//ES",
		"CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT",
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d is %q, want %q", i+1, lines[i], w)
		}
	}
	tail := []string{"BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + escapeText(ev.Summary),
		"TRIGGER:-P1D", "END:VALARM", "END:VEVENT", "END:VCALENDAR"}
	if got := lines[len(lines)-len(tail):]; strings.Join(got, "|") != strings.Join(tail, "|") {
		t.Errorf("ends with %q, want %q", got, tail)
	}
	p := properties(lines)
	for name, want := range map[string]string{
		"UID": ev.UID, "DTSTAMP": "20261130T180405Z", "DTSTART": "20261207T153000Z", "DTEND": "20261207T160000Z",
	} {
		if p[name] != want {
			t.Errorf("%s:%s, want %s", name, p[name], want)
		}
	}
	for name, want := range map[string]string{
		"SUMMARY": ev.Summary, "DESCRIPTION": ev.Description, "LOCATION": ev.Location,
	} {
		if got := unescape(t, p[name]); got != want {
			t.Errorf("%s round trip:\n got %q\nwant %q", name, got, want)
		}
	}
	// The escapes themselves, as written.
	if !strings.Contains(p["LOCATION"], `Av. Vallarta 1520\, col. Americana`) ||
		!strings.Contains(p["DESCRIPTION"], `vigente\, tu CURP y el folio\; llega`) ||
		!strings.Contains(p["DESCRIPTION"], `antes.\nSi no`) ||
		!strings.Contains(p["DESCRIPTION"], `C:\\citas`) {
		t.Errorf("escaping: LOCATION %q DESCRIPTION %q", p["LOCATION"], p["DESCRIPTION"])
	}
}

// Times given in any zone are written in UTC.
func TestICSTimesInUTC(t *testing.T) {
	ev := sampleEvent()
	tijuana, err := location("America/Tijuana")
	if err != nil {
		t.Fatal(err)
	}
	ev.Start = time.Date(2026, 12, 7, 8, 30, 0, 0, tijuana)
	ev.End = ev.Start.Add(30 * time.Minute)
	p := properties(checkLines(t, ICS(ev)))
	if p["DTSTART"] != "20261207T163000Z" || p["DTEND"] != "20261207T170000Z" {
		t.Errorf("DTSTART %s DTEND %s", p["DTSTART"], p["DTEND"])
	}
}

// Shifting a text with two-byte characters one octet at a time puts a
// character across the 75th octet in one of the shifts; none may be split.
func TestICSFoldingAccentedText(t *testing.T) {
	base := "Acude al Centro de Servicio con tu identificación; la señora Muñoz atenderá tu trámite de devolución, " +
		"año con año: mañana, pasaré, acción, compañía, más ñandúes… y el último renglón «ñ» ✓ 𝄞 fin."
	for pad := 0; pad < 8; pad++ {
		ev := sampleEvent()
		ev.Description = strings.Repeat("x", pad) + base + "\n" + strings.Repeat("á", 60) + strings.Repeat("ñ", 60)
		lines := checkLines(t, ICS(ev))
		if got := unescape(t, properties(lines)["DESCRIPTION"]); got != ev.Description {
			t.Errorf("pad %d: round trip\n got %q\nwant %q", pad, got, ev.Description)
		}
	}
}

func TestFoldLengths(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []int // octets of each physical line, leading space included
	}{
		{strings.Repeat("a", 75), []int{75}},
		{strings.Repeat("a", 76), []int{75, 2}},
		{strings.Repeat("a", 75+74+1), []int{75, 75, 2}},
		// 74 ASCII then "ñ" (2 octets) would straddle 75: the fold goes before it.
		{strings.Repeat("a", 74) + "ñb", []int{74, 4}},
		// 4-octet characters: 18 of them fill 72 octets, the 19th does not fit.
		{strings.Repeat("𝄞", 20), []int{72, 9}},
	} {
		var buf bytes.Buffer
		writeFolded(&buf, tc.line)
		phys := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
		var got []int
		for _, p := range phys {
			got = append(got, len(p))
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q folded as %v, want %v", tc.line, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q folded as %v, want %v", tc.line, got, tc.want)
				break
			}
		}
		if strings.ReplaceAll(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n ", "") != tc.line {
			t.Errorf("%q does not unfold to itself", tc.line)
		}
	}
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:            `a\\b`,
		"a;b,c":          `a\;b\,c`,
		"uno\r\ndos":     `uno\ndos`,
		"uno\rdos\ntres": `uno\ndos\ntres`,
		"tab\tbell\a":    "tab\tbell",
		"mal\xffformado": "mal\uFFFDformado",
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}
