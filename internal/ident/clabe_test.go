package ident

import (
	"errors"
	"strings"
	"testing"
)

func TestCLABEKnownAccounts(t *testing.T) {
	for _, tc := range []struct{ in, want, bank string }{
		{"002010077777777771", "002010077777777771", "Banamex"},        // Banxico's own example
		{"021180550300050811", "021180550300050811", "HSBC"},           // the fund's account for direct payments
		{"012 180 00123456789 9", "012180001234567899", "BBVA México"}, // written in groups
		{"646-180-11234567890-3", "646180112345678903", "STP"},
	} {
		c, err := ParseCLABE(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if c.String() != tc.want || c.Bank() != tc.bank || c.BankCode() != tc.want[:3] {
			t.Errorf("%s: got %s (%s)", tc.in, c, c.Bank())
		}
		if m := c.Masked(); m != strings.Repeat("*", 14)+tc.want[14:] {
			t.Errorf("%s: masked %s", tc.in, m)
		}
	}
}

func TestCLABECheckDigitByHand(t *testing.T) {
	// 0 0 2 0 1 0 0 7 7 7 7 7 7 7 7 7 7 × 3 7 1 …, last digit of each
	// product: 0 0 2 0 7 0 0 9 7 1 9 7 1 9 7 1 9 = 69; 10 − 9 = 1.
	if dv, err := CLABECheckDigit("00201007777777777"); err != nil || dv != '1' {
		t.Fatalf("check digit %c, %v", dv, err)
	}
	// A sum ending in 0 gives 0, not 10.
	if dv, _ := CLABECheckDigit("00000000000000000"); dv != '0' {
		t.Fatalf("all zeros: %c", dv)
	}
}

func TestCLABERefusals(t *testing.T) {
	for in, want := range map[string]error{
		"":                    ErrLength,
		"00201007777777777":   ErrLength,
		"0020100777777777711": ErrLength,
		"00201007777777777A":  ErrCharset,
		"00201007777777777.":  ErrCharset,
		"999010077777777771":  ErrBank,
		"002010077777777772":  ErrCheckDigit,
		"００２010077777777771":  ErrCharset,
	} {
		_, err := ParseCLABE(in)
		var pe *ParseError
		if !errors.Is(err, want) || !errors.As(err, &pe) || pe.Kind != "CLABE" {
			t.Errorf("%q: %v, want %v", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), in) && in != "" {
			t.Errorf("%q: the error repeats the account number", in)
		}
	}
}

// Every single mistyped digit is caught: each weight (3, 7 and 1) is
// coprime with 10, so changing one digit always changes the sum's last
// digit.
func TestCLABECatchesEverySingleMistypedDigit(t *testing.T) {
	for _, good := range []string{"002010077777777771", "021180550300050811", "072580011223344556"[:17]} {
		if len(good) == 17 {
			dv, _ := CLABECheckDigit(good)
			good += string(dv)
		}
		if _, err := ParseCLABE(good); err != nil {
			t.Fatalf("%s: %v", good, err)
		}
		for i := 0; i < 18; i++ {
			for d := byte('0'); d <= '9'; d++ {
				if d == good[i] {
					continue
				}
				bad := good[:i] + string(d) + good[i+1:]
				if _, err := ParseCLABE(bad); err == nil {
					t.Errorf("%s accepted (from %s)", bad, good)
				}
			}
		}
	}
}

func TestBanksFile(t *testing.T) {
	b := Banks()
	if len(b) < 50 || b["012"] != "BBVA México" || b["646"] != "STP" {
		t.Fatalf("banks: %d, 012=%q", len(b), b["012"])
	}
	for _, bad := range []string{"codigo,banco\n12,X\n", "codigo,banco\n012,\n", "codigo,banco\n012,A\n012,B\n", "codigo,banco\nabc,X\n"} {
		if _, err := parseBanks(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseCLABE(f *testing.F) {
	seeds(f)
	for _, s := range []string{"002010077777777771", "021 180 55030005081 1", "646180112345678903"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCLABE(s)
		if err != nil {
			return
		}
		if again, err := ParseCLABE(c.String()); err != nil || again != c {
			t.Fatalf("round trip of %q failed", s)
		}
		if len(c.String()) != 18 || c.Bank() == "" || len(c.Masked()) != 18 {
			t.Fatalf("%q parsed to %q", s, c)
		}
	})
}
