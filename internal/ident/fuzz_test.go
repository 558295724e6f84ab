package ident

import (
	"testing"
	"unicode/utf8"
)

func seeds(f *testing.F) {
	for _, s := range []string{"", " ", "92919084431", "92-91-90-8443-1", "HEGG560427MVZRRL04", "boxw310820hnerxn09",
		"GODE561231GR8", "MAB9307148T4", "XAXX010101000", "ñandú", "\xff", "\x00\x01", "НEGG560427MVZRRL04",
		"９２９１９０８４４３１", "GODE-561231_gr8", "&&&&&&&&&&&&"} {
		f.Add(s)
	}
}

// checkNormalize is what every fuzzer asserts about normalisation.
func checkNormalize(t *testing.T, s string) {
	n, err := Normalize(s)
	if err != nil {
		return
	}
	n2, err := Normalize(n)
	if err != nil || n2 != n {
		t.Fatalf("Normalize is not idempotent: %q → %q → %q (%v)", s, n, n2, err)
	}
	if !utf8.ValidString(n) {
		t.Fatalf("Normalize produced invalid UTF-8 from %q", s)
	}
}

func FuzzParseNSS(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalize(t, s)
		v, err := ParseNSS(s)
		if err == nil {
			if again, err := ParseNSS(v.String()); err != nil || again != v {
				t.Fatalf("round trip of %q failed", s)
			}
			_ = v.Masked()
		}
	})
}

func FuzzParseCURP(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalize(t, s)
		v, err := ParseCURP(s)
		if err == nil {
			if again, err := ParseCURP(v.String()); err != nil || again != v {
				t.Fatalf("round trip of %q failed", s)
			}
			_, _, _, _ = v.BirthDate(), v.Sex().Label(), v.State().Name(), v.Masked()
		}
	})
}

func FuzzParseRFC(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalize(t, s)
		v, err := ParseRFC(s)
		if !v.IsZero() {
			if again, err2 := ParseRFC(v.String()); again != v || (err == nil) != (err2 == nil) {
				t.Fatalf("round trip of %q failed", s)
			}
			_, _ = v.Date(), v.Masked()
		}
	})
}
