package batch

import (
	"strings"
	"testing"

	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

func TestSplitCSV(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"a,b,c", []string{"a", "b", "c"}, true},
		{`a,"TACOS, S.A. DE C.V.",c`, []string{"a", "TACOS, S.A. DE C.V.", "c"}, true},
		{`"dice ""hola""",x`, []string{`dice "hola"`, "x"}, true},
		{"a,,", []string{"a", "", ""}, true},
		{`a,"sin cerrar`, nil, false},
		{`a,"x"y`, nil, false},
	}
	for _, c := range cases {
		got, ok := splitCSV(c.in, nil)
		if ok != c.ok || ok && strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("splitCSV(%q) = %q, %v", c.in, got, ok)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]portal.Money{"0.00": 0, "1586.00": 158600, "12.05": 1205} {
		if got, ok := parseAmount(in); !ok || got != want {
			t.Errorf("%q = %v %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "1586", "1586.0", "1586.000", "-1.00", "+1.00", "1,586.00", "1.+5", "abc.de", "99999999999999.00"} {
		if _, ok := parseAmount(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestLineReader(t *testing.T) {
	in := "\xef\xbb\xbfcabecera\r\nuno\n" + strings.Repeat("x", MaxLineBytes+10) + "\n\xff\xfe\ndos\ntres"
	lr := newLineReader(strings.NewReader(in))
	var got []line
	for {
		l, err := lr.next()
		if err != nil {
			break
		}
		l.text = append([]byte(nil), l.text...)
		got = append(got, l)
	}
	if len(got) != 6 || string(got[0].text) != "cabecera" || string(got[1].text) != "uno" || !got[2].tooLong || !got[3].badUTF8 ||
		string(got[4].text) != "dos" || got[4].finalNoEOL || !got[5].finalNoEOL || got[5].n != 6 {
		t.Fatalf("lines: %+v", got)
	}
}

func TestContributionRules(t *testing.T) {
	ref := reference.NewTable([]reference.Value{{Kind: reference.UMADiaria, ValidFrom: portal.NewDate(2026, 2, 1), E6: 117_310_000}})
	r := contributionRules{today: portal.NewDate(2026, 12, 2), ref: ref}
	good := []string{"12345678903", "A1234567890", "TACOS EL GÜERO", "2026-5", "520.00", "61", "1586.00", "0.00", "2026-11-17"}
	c, reject, warn := r.parse(2, append([]string(nil), good...))
	if reject != "" || warn != "" || c.Amount != 158600 || c.Bimestre.Key() != 20265 || c.Days != 61 {
		t.Fatalf("good row: %+v %q %q", c, reject, warn)
	}
	bad := map[int]struct{ value, reason string }{
		0: {"12345678904", "NSS"},
		1: {"A123", "registro patronal"},
		2: {"", "razón social"},
		3: {"2027-1", "todavía no empieza"},
		4: {"520", "salario diario"},
		5: {"62", "de 0 a 61"},
		6: {"-1.00", "aportación"},
		8: {"2026-08-31", "anterior al bimestre"},
	}
	for i, b := range bad {
		f := append([]string(nil), good...)
		f[i] = b.value
		if _, reject, _ := r.parse(2, f); !strings.Contains(reject, b.reason) {
			t.Errorf("field %d = %q: reason %q, want it to mention %q", i, b.value, reject, b.reason)
		}
	}
	f := append([]string(nil), good...)
	f[8] = "2026-12-03"
	if _, reject, _ := r.parse(2, f); !strings.Contains(reject, "posterior a hoy") {
		t.Errorf("future payment: %q", reject)
	}
	f = append([]string(nil), good...)
	f[6], f[7] = "0.00", "0.00"
	if _, reject, _ := r.parse(2, f); !strings.Contains(reject, "ni amortización") {
		t.Errorf("empty row: %q", reject)
	}
	// 5% of 520.00 × 61 is 1,586.00: 1,590.00 is 0.25% off, within the 1% tolerance.
	f = append([]string(nil), good...)
	f[6] = "1590.00"
	if _, reject, warn := r.parse(2, f); reject != "" || warn != "" {
		t.Errorf("within tolerance: %q %q", reject, warn)
	}
	f[6] = "1700.00"
	if _, reject, warn := r.parse(2, f); reject != "" || !strings.Contains(warn, "5%") {
		t.Errorf("off by 7%%: %q %q", reject, warn)
	}
}
