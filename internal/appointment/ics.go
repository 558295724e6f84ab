package appointment

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// ICSEvent is what goes into the calendar file attached to a booking.
type ICSEvent struct {
	UID         string // globally unique and stable, so a re-sent file updates the same event
	Summary     string
	Description string
	Location    string
	Start, End  time.Time
	Created     time.Time // when the booking was made; the DTSTAMP
}

// ICS writes a and a reminder one day before as an RFC 5545 calendar with
// METHOD:PUBLISH: the booking is already made, so the file only adds it to
// the person's calendar and asks for no reply. Times are written in UTC so
// that no VTIMEZONE is needed; the calendar application shows them on the
// person's own clock.
func ICS(a ICSEvent) []byte {
	stamp := a.Created
	if stamp.IsZero() {
		// DTSTAMP is required; the start keeps the output deterministic
		// rather than reading the clock here.
		stamp = a.Start
	}
	var b bytes.Buffer
	w := func(name, value string) { writeFolded(&b, name+":"+value) }
	text := func(name, value string) {
		if value != "" {
			w(name, escapeText(value))
		}
	}
	w("BEGIN", "VCALENDAR")
	w("VERSION", "2.0")
	w("PRODID", "-//Fondo Nacional de Vivienda//Mi Cuenta//ES")
	w("CALSCALE", "GREGORIAN")
	w("METHOD", "PUBLISH")
	w("BEGIN", "VEVENT")
	w("UID", escapeText(a.UID))
	w("DTSTAMP", icsTime(stamp))
	w("DTSTART", icsTime(a.Start))
	w("DTEND", icsTime(a.End))
	text("SUMMARY", a.Summary)
	text("DESCRIPTION", a.Description)
	text("LOCATION", a.Location)
	w("BEGIN", "VALARM")
	w("ACTION", "DISPLAY")
	// A DISPLAY alarm must carry a DESCRIPTION (RFC 5545 §3.6.6).
	w("DESCRIPTION", escapeText(a.Summary))
	w("TRIGGER", "-P1D")
	w("END", "VALARM")
	w("END", "VEVENT")
	w("END", "VCALENDAR")
	return b.Bytes()
}

// icsTime is the UTC DATE-TIME form, "20261207T153000Z".
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value (RFC 5545 §3.3.11). Line breaks of any
// kind become "\n"; other control characters are not allowed in TEXT and
// are dropped rather than letting a pasted address break the file.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 && r != '\t' || r == 0x7f:
			// dropped
		default:
			// Invalid UTF-8 arrives here as U+FFFD, so the output is
			// always valid UTF-8.
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldLimit is the longest a content line may be, in octets, before CRLF.
const foldLimit = 75

// writeFolded writes one content line folded as RFC 5545 §3.1 asks: at
// most 75 octets per physical line, continuations starting with a space,
// and never inside a UTF-8 character, which some clients would show as
// two broken characters.
func writeFolded(b *bytes.Buffer, line string) {
	limit := foldLimit
	for len(line) > limit {
		cut := limit
		for !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = foldLimit - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
