package credit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"micuenta/internal/portal"
)

const (
	msgDigits = "La referencia solo lleva números; puedes separarlos con espacios o guiones."
	msgLength = "La referencia tiene 12 números; revisa que la copiaste completa."
	msgCheck  = "La referencia no es válida: revisa que no hayas cambiado ningún número."
)

// wantRefError fails unless err is an EINVALID portal error with message.
func wantRefError(t *testing.T, input string, err error, message string) {
	t.Helper()
	var pe *portal.Error
	if !errors.As(err, &pe) || pe.Code != portal.EINVALID || pe.Message != message {
		t.Fatalf("ParseReference(%q): err = %v, want EINVALID %q", input, err, message)
	}
}

// oracle computes the reference with plain integer arithmetic, apart from
// the digit-by-digit remainder the code uses: N×100 < 10¹², well inside
// uint64.
func oracle(t *testing.T, creditNumber string) string {
	t.Helper()
	n, err := strconv.ParseUint(creditNumber, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s%02d", creditNumber, 98-n*100%97)
}

// Vectors worked by hand (see the file comment of reference.go):
//
//	1234567890 → 123456789000 mod 97: remainders digit by digit
//	1, 12, 26, 70, 26, 72, 48, 3, 39, 2, 20, 6 → r = 6 → 98 − 6 = 92.
//	Check: 123456789092 = 97 × 1272750403 + 1.
//	0000000001 → 100 mod 97 = 3 → 95; 195 = 2 × 97 + 1.
//	1000000095 → 100000009500 mod 97 = 96 → 02 (the smallest check).
//	2814005017 → 281400501700 mod 97 = 0 → 98 (the largest check).
func TestPaymentReferenceVectors(t *testing.T) {
	cases := []struct{ credit, ref, formatted string }{
		{"1234567890", "123456789092", "1234 5678 9092"},
		{"0000000001", "000000000195", "0000 0000 0195"},
		{"1000000095", "100000009502", "1000 0000 9502"},
		{"2814005017", "281400501798", "2814 0050 1798"},
	}
	for _, c := range cases {
		ref, err := PaymentReference(c.credit)
		if err != nil || ref != c.ref {
			t.Fatalf("PaymentReference(%s) = %q, %v; want %s", c.credit, ref, err, c.ref)
		}
		if got := FormatReference(ref); got != c.formatted {
			t.Errorf("FormatReference(%s) = %q, want %q", ref, got, c.formatted)
		}
		if cn, err := ParseReference(c.formatted); err != nil || cn != c.credit {
			t.Errorf("ParseReference(%q) = %q, %v", c.formatted, cn, err)
		}
	}
	if 97*1272750403+1 != 123456789092 {
		t.Fatal("the worked example's arithmetic is wrong")
	}
}

func TestPaymentReferenceRefusesBadCreditNumbers(t *testing.T) {
	for _, bad := range []string{"", "123456789", "12345678901", "12345 67890", "12345-67890", "123456789a",
		"+123456789", " 1234567890", "１２３４５６７８９０", "١٢٣٤٥٦٧٨٩٠"} {
		ref, err := PaymentReference(bad)
		if portal.ErrorCode(err) != portal.EINVALID || ref != "" {
			t.Errorf("PaymentReference(%q) = %q, %v; want EINVALID", bad, ref, err)
		}
	}
}

// randomCredit returns a 10-digit credit number, leading zeros included.
func randomCredit(r *rand.Rand) string {
	return fmt.Sprintf("%010d", r.Uint64N(10_000_000_000))
}

func TestReferenceRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 1))
	for range 20_000 {
		cn := randomCredit(r)
		ref, err := PaymentReference(cn)
		if err != nil {
			t.Fatal(err)
		}
		if want := oracle(t, cn); ref != want {
			t.Fatalf("PaymentReference(%s) = %s, want %s", cn, ref, want)
		}
		if check, _ := strconv.Atoi(ref[10:]); check < 2 || check > 98 {
			t.Fatalf("%s: check digits %02d outside 02–98", ref, check)
		}
		for _, typed := range []string{ref, FormatReference(ref), strings.ReplaceAll(FormatReference(ref), " ", "-")} {
			if got, err := ParseReference(typed); err != nil || got != cn {
				t.Fatalf("ParseReference(%q) = %q, %v; want %s", typed, got, err, cn)
			}
		}
	}
}

// Every single-digit substitution and every swap of two different
// neighbouring digits, in the credit number or the check digits, of every
// one of thousands of valid references is refused as a wrong check.
func TestReferenceCatchesEverySubstitutionAndTransposition(t *testing.T) {
	refs := []string{"123456789092", "000000000195", "100000009502", "281400501798"}
	for _, cn := range []string{"0000000000", "9999999999", "0123456789", "9876543210", "1111111111", "5503000000"} {
		ref, err := PaymentReference(cn)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	r := rand.New(rand.NewPCG(97, 10))
	for range 5_000 {
		ref, err := PaymentReference(randomCredit(r))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	substitutions, transpositions := 0, 0
	for _, ref := range refs {
		if _, err := ParseReference(ref); err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		b := []byte(ref)
		for i := range b {
			orig := b[i]
			for d := byte('0'); d <= '9'; d++ {
				if d == orig {
					continue
				}
				b[i] = d
				cn, err := ParseReference(string(b))
				if cn != "" {
					t.Fatalf("%s with digit %d changed to %c was accepted as credit %s", ref, i+1, d, cn)
				}
				wantRefError(t, string(b), err, msgCheck)
				substitutions++
			}
			b[i] = orig
		}
		for i := 0; i+1 < len(b); i++ {
			if b[i] == b[i+1] {
				continue // swapping equal digits changes nothing
			}
			b[i], b[i+1] = b[i+1], b[i]
			cn, err := ParseReference(string(b))
			if cn != "" {
				t.Fatalf("%s with digits %d and %d swapped was accepted as credit %s", ref, i+1, i+2, cn)
			}
			wantRefError(t, string(b), err, msgCheck)
			transpositions++
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	if want := len(refs) * 12 * 9; substitutions != want {
		t.Fatalf("%d substitutions tried, want %d", substitutions, want)
	}
	if transpositions < len(refs)*5 {
		t.Fatalf("only %d transpositions tried", transpositions)
	}
	t.Logf("%d references: %d substitutions and %d transpositions, all refused", len(refs), substitutions, transpositions)
}

func TestParseReferenceAcceptsSeparators(t *testing.T) {
	for _, typed := range []string{
		"123456789092",
		"1234 5678 9092",
		"1234-5678-9092",
		"  1234 5678 9092\n",
		"\t1234-5678 9092 ",
		"1234567890-92",
		"1234 - 5678 - 9092",
		"12 34 56 78 90 92",
	} {
		cn, err := ParseReference(typed)
		if err != nil || cn != "1234567890" {
			t.Errorf("ParseReference(%q) = %q, %v", typed, cn, err)
		}
	}
}

func TestParseReferenceRefuses(t *testing.T) {
	cases := []struct{ input, message string }{
		{"1234 5678 9O92", msgDigits}, // letter O for zero
		{"l23456789092", msgDigits},   // letter l for one
		{"ABCD EFGH IJKL", msgDigits},
		{"1234.5678.9092", msgDigits},
		{"1234_5678_9092", msgDigits},
		{"1234/5678/9092", msgDigits},
		{"+123456789092", msgDigits},
		{"１２３４５６７８９０９２", msgDigits}, // full-width digits
		{"1234\u00a05678\u00a09092", msgDigits},
		{"", msgLength},
		{"   ", msgLength},
		{"- -", msgLength},
		{"12345678909", msgLength},      // 11 digits
		{"1234567890921", msgLength},    // 13 digits
		{"00000000195", msgLength},      // 11 digits that are ≡ 1 (mod 97)
		{"0123456789092", msgLength},    // 13 digits that are ≡ 1 (mod 97)
		{"1234 5678 9092 1", msgLength}, // a stray digit
		{"1234 5678 909", msgLength},
		{"123456789093", msgCheck},
		{"123456789000", msgCheck},
		{"000000000000", msgCheck},
		// ≡ 1 (mod 97), but with check digits ISO 7064 never produces: the
		// references of these credits end in 98, 98, 97 and 02.
		{"000000000001", msgCheck},
		{"281400501701", msgCheck},
		{"000000006500", msgCheck},
		{"100000009599", msgCheck},
	}
	for _, c := range cases {
		cn, err := ParseReference(c.input)
		if cn != "" {
			t.Errorf("ParseReference(%q) returned credit %q", c.input, cn)
		}
		wantRefError(t, c.input, err, c.message)
	}
}

func TestFormatReferenceLeavesBadValues(t *testing.T) {
	for in, want := range map[string]string{
		"123456789092":   "1234 5678 9092",
		"1234-5678-9092": "1234 5678 9092",
		"123456789093":   "1234 5678 9093", // grouping does not check
		"12345678909":    "12345678909",
		"1234567890921":  "1234567890921",
		"12345678909O":   "12345678909O",
		"":               "",
	} {
		if got := FormatReference(in); got != want {
			t.Errorf("FormatReference(%q) = %q, want %q", in, got, want)
		}
	}
}

// stripSeparators is the normal form ParseReference reads, written here
// independently of referenceDigits.
func stripSeparators(s string) string {
	return strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
}

// ParseReference never panics, refuses with EINVALID and no credit number,
// and whatever it accepts is exactly the reference of the credit number it
// returns.
func FuzzParseReference(f *testing.F) {
	for _, seed := range []string{"123456789092", "1234 5678 9092", "1234-5678-9092", "000000000195", "100000009502",
		"281400501798", "123456789093", "12345678909", "1234567890921", "1234 5678 9O92", "", " ", "-", "１２３",
		"\xff\xfe", "0123456789092", " 12 34-56 78-90 92 ", "000000000001", "100000009599"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cn, err := ParseReference(s)
		if err != nil {
			if cn != "" || portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("ParseReference(%q) = %q, %v", s, cn, err)
			}
			return
		}
		if len(cn) != CreditNumberLen || !onlyASCIIDigits(cn) {
			t.Fatalf("ParseReference(%q) returned credit number %q", s, cn)
		}
		ref, err := PaymentReference(cn)
		if err != nil {
			t.Fatalf("credit %q from %q: %v", cn, s, err)
		}
		if ref != stripSeparators(s) {
			t.Fatalf("ParseReference(%q) = %q, whose reference is %q", s, cn, ref)
		}
		if again, err := ParseReference(FormatReference(ref)); err != nil || again != cn {
			t.Fatalf("formatted %q: %q, %v", FormatReference(ref), again, err)
		}
	})
}
