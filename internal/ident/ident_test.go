package ident

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Worked examples from domain.md §1 and the sources it cites.
func TestNSSExamples(t *testing.T) {
	// 92919084431: scribd "ESTRUCTURA DE RFC Y NSS"; 12345678903: catalogmx's test value.
	for _, s := range []string{"92919084431", "12345678903", " 92-91-90-8443-1 ", "9291 9084 431"} {
		n, err := ParseNSS(s)
		if err != nil {
			t.Fatalf("ParseNSS(%q): %v", s, err)
		}
		if s == "92919084431" && (n.Subdelegacion() != "92" || n.AffiliationYY() != 91 || n.BirthYY() != 90 || n.Masked() != "*******4431") {
			t.Fatalf("accessors of %s: %s %d %d %s", n, n.Subdelegacion(), n.AffiliationYY(), n.BirthYY(), n.Masked())
		}
	}
	n, _ := ParseNSS("92919084431")
	if n.BirthYear(2026) != 1990 || n.AffiliationYear(2026) != 1991 {
		t.Fatalf("resolved years %d %d", n.BirthYear(2026), n.AffiliationYear(2026))
	}
}

func TestCURPExamples(t *testing.T) {
	// BOXW310820HNERXN09: python-stdnum doctest; HEGG560427MVZRRL04: domain.md §1.2.
	c, err := ParseCURP("boxw310820hnerxn09")
	if err != nil {
		t.Fatal(err)
	}
	if c.BirthDate() != time.Date(1931, 8, 20, 0, 0, 0, 0, time.UTC) || c.Sex() != SexHombre || c.State() != "NE" || c.State().Name() != "Nacido en el extranjero" {
		t.Fatalf("accessors: %v %c %s", c.BirthDate(), c.Sex(), c.State())
	}
	c, err = ParseCURP("HEGG560427MVZRRL04")
	if err != nil || c.Sex() != SexMujer || c.State().Name() != "Veracruz" || c.Masked() != "HEGG************04" {
		t.Fatalf("%v %v %s", c, err, c.Masked())
	}
}

func TestRFCExamples(t *testing.T) {
	// GODE561231GR8 (SAT sample used by python-stdnum) and MAB9307148T4 (moral).
	r, err := ParseRFC("GODE561231GR8")
	if err != nil || r.IsMoral() || r.Masked() != "GODE******GR8" || r.Date() != time.Date(1956, 12, 31, 0, 0, 0, 0, time.UTC) {
		t.Fatalf("%v %v %s %v", r, err, r.Masked(), r.Date())
	}
	r, err = ParseRFC("MAB-930714-8T4")
	if err != nil || !r.IsMoral() || r.Masked() != "MAB******8T4" {
		t.Fatalf("%v %v", r, err)
	}
	for _, g := range []string{"XAXX010101000", "xexx010101000"} {
		r, err := ParseRFC(g)
		if err != nil || !r.IsGeneric() {
			t.Fatalf("generic %s: %v %v", g, r, err)
		}
	}
	r, err = ParseRFC("GODE561231GR9")
	if !errors.Is(err, ErrCheckDigit) || r.String() != "GODE561231GR9" {
		t.Fatalf("bad check digit: %v, %v (want the RFC and ErrCheckDigit)", r, err)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		parse func(string) error
		in    string
		want  error
	}{
		{nssErr, "9291908443", ErrLength},
		{nssErr, "9291908443A", ErrCharset},
		{nssErr, "92919084432", ErrCheckDigit},
		{nssErr, "92919084431\x00", ErrCharset},
		{nssErr, strings.Repeat("1", 10_000), ErrLength},
		{nssErr, "\xff\xfe", ErrCharset},
		{nssErr, "９２９１９０８４４３１", ErrCharset}, // fullwidth digits
		{curpErr, "HEGG560427MVZRRL0", ErrLength},
		{curpErr, "HEGG560427MVZRRL0.", ErrCharset},
		{curpErr, "НEGG560427MVZRRL04", ErrCharset}, // Cyrillic Н
		{curpErr, "HEG1560427MVZRRL04", ErrFormat},
		{curpErr, "HEGG560230MVZRRL04", ErrDate},
		{curpErr, "HEGG560427MXXRRL04", ErrState},
		{curpErr, "HEGG560427QVZRRL04", ErrSex},
		{curpErr, "HEGG560427MVZRRL05", ErrCheckDigit},
		{curpErr, "PEDO560427MVZRRL04", ErrWord},
		{rfcErr, "GODE561231G", ErrLength},
		{rfcErr, "GODE561331GR8", ErrDate},
		{rfcErr, "GOD3561231GR8", ErrFormat},
		{rfcErr, "GODE5612310R8", ErrFormat}, // a homoclave never starts with 0
		{rfcErr, "PUTO561231GR8", ErrWord},
		{rfcErr, "GODE561231GR8!", ErrCharset},
	}
	for _, c := range cases {
		if err := c.parse(c.in); !errors.Is(err, c.want) {
			t.Errorf("%q: err %v, want %v", c.in, err, c.want)
		}
	}
}

func nssErr(s string) error  { _, err := ParseNSS(s); return err }
func curpErr(s string) error { _, err := ParseCURP(s); return err }
func rfcErr(s string) error  { _, err := ParseRFC(s); return err }

func TestDerivation(t *testing.T) {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		name       Name
		birth      time.Time
		curp, rfc4 string
	}{
		{Name{"OFELIA", "PEDRERO", "DOMINGUEZ"}, d(1970, 1, 1), "PXDO", "PEDX"}, // word rules: CURP 2nd letter, RFC last (domain.md §1.2–1.3)
		{Name{"JUAN JOSE", "D/AMICO", "ALVAREZ"}, d(1970, 1, 1), "DXAJ", ""},
		{Name{"ANDRES", "ICH", "RODRIGUEZ"}, d(1970, 1, 1), "IXRA", ""},
		{Name{"EMMA", "GÓMEZ", "DÍAZ"}, d(1956, 12, 31), "GODE", "GODE"},
		{Name{"MARÍA GUADALUPE", "HERNÁNDEZ", "GARCÍA"}, d(1956, 4, 27), "HEGG", "HEGG"},
		{Name{"MARIA", "DE LA CRUZ", ""}, d(1980, 5, 1), "CUXM", "CUMA"}, // particles dropped; one surname
		{Name{"JOSÉ LUIS", "MUÑOZ", "PEÑA"}, d(1990, 2, 3), "MUPL", "MUPL"},
	}
	for _, c := range cases {
		got := CURPPrefix(c.name, c.birth)
		if got[:4] != c.curp || got[4:] != c.birth.Format("060102") {
			t.Errorf("CURPPrefix(%v) = %s, want %s…", c.name, got, c.curp)
		}
		if c.rfc4 != "" {
			if got := RFCPrefix(c.name, c.birth); got[:4] != c.rfc4 {
				t.Errorf("RFCPrefix(%v) = %s, want %s…", c.name, got, c.rfc4)
			}
		}
	}
	if got := CURPConsonants(Name{"JOSÉ LUIS", "MUÑOZ", "PEÑA"}); got != "XXS" {
		t.Errorf("MUÑOZ PEÑA LUIS consonants = %s, want XXS (Ñ becomes X)", got)
	}
	if got := CURPConsonants(Name{"GUADALUPE", "HERNÁNDEZ", "GARCÍA"}); got != "RRD" {
		t.Errorf("consonants = %s, want RRD", got)
	}
	if got := RFCHomoclave(Name{"EMMA", "GOMEZ", "DIAZ"}); got != "GR" {
		t.Errorf("homoclave(GOMEZ DIAZ EMMA) = %s, want GR", got)
	}
}

func TestCrossCheck(t *testing.T) {
	n, _ := ParseNSS("92919084431")
	c, _ := ParseCURP("HEGG560427MVZRRL04")
	r, _ := ParseRFC("GODE561231GR8")
	w := CrossCheck(n, c, r)
	if len(w) != 2 {
		t.Fatalf("warnings %v", w)
	}
	if w := CrossCheck(NSS{}, c, RFC{}); len(w) != 0 {
		t.Fatalf("zero values should be skipped: %v", w)
	}
}
