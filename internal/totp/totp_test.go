package totp

import (
	"bytes"
	"image/color"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"
)

// rfcSecret is the SHA1 key of RFC 4226 Appendix D and RFC 6238 Appendix B.
var rfcSecret = []byte("12345678901234567890")

// TestHOTPRFC4226 checks the counter-based core against RFC 4226 Appendix D,
// which exercises every truncation offset the RFC chose to show.
func TestHOTPRFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489"}
	for c, w := range want {
		if got := hotp(rfcSecret, uint64(c), 6); got != w {
			t.Errorf("hotp(counter %d) = %s, want %s", c, got, w)
		}
	}
}

// TestRFC6238Vectors checks the SHA1 rows of RFC 6238 Appendix B, both as
// the RFC prints them (8 digits) and as Code returns them (the last 6).
func TestRFC6238Vectors(t *testing.T) {
	cases := []struct {
		unix  int64
		step  int64
		eight string
	}{
		{59, 0x1, "94287082"},
		{1111111109, 0x23523EC, "07081804"},
		{1111111111, 0x23523ED, "14050471"},
		{1234567890, 0x273EF07, "89005924"},
		{2000000000, 0x3F940AA, "69279037"},
		{20000000000, 0x27BC86AA, "65353130"},
	}
	for _, c := range cases {
		tm := time.Unix(c.unix, 0).UTC()
		if got := Step(tm); got != c.step {
			t.Errorf("Step(%d) = %#x, want %#x", c.unix, got, c.step)
		}
		if got := hotp(rfcSecret, uint64(Step(tm)), 8); got != c.eight {
			t.Errorf("8-digit code at %d = %s, want %s", c.unix, got, c.eight)
		}
		if got, want := Code(rfcSecret, tm), c.eight[2:]; got != want {
			t.Errorf("Code at %d = %s, want %s", c.unix, got, want)
		}
	}
}

func TestCodeIsStableWithinStep(t *testing.T) {
	start := time.Unix(1111111110, 0) // first second of a step
	first := Code(rfcSecret, start)
	if got := Code(rfcSecret, start.Add(29*time.Second+999*time.Millisecond)); got != first {
		t.Errorf("code changed within a step: %s then %s", first, got)
	}
	if got := Code(rfcSecret, start.Add(30*time.Second)); got == first {
		t.Errorf("code did not change at the next step (%s)", got)
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != SecretSize || len(b) != SecretSize {
		t.Fatalf("secret lengths %d, %d, want %d", len(a), len(b), SecretSize)
	}
	if bytes.Equal(a, b) {
		t.Fatal("two new secrets are equal")
	}
	if bytes.Equal(a, make([]byte, SecretSize)) {
		t.Fatal("new secret is all zeros")
	}
}

// testNow is a fixed instant in the middle of a step, so ±n steps are
// exactly n*30 s away.
var testNow = time.Date(2026, 3, 14, 9, 26, 45, 0, time.UTC)

func codeAt(secret []byte, step int64) string {
	return hotp(secret, uint64(step), Digits)
}

func TestVerifyWindow(t *testing.T) {
	secret := rfcSecret
	now := Step(testNow)
	// The refusals below only mean something if the codes of the steps
	// outside the window differ from those inside it.
	inside := map[string]bool{}
	for d := int64(-1); d <= 1; d++ {
		inside[codeAt(secret, now+d)] = true
	}
	for _, d := range []int64{-2, 2} {
		if inside[codeAt(secret, now+d)] {
			t.Fatalf("test secret has a code collision at step %+d", d)
		}
	}

	for d := int64(-2); d <= 2; d++ {
		step, ok := Verify(secret, codeAt(secret, now+d), testNow, 0)
		wantOK := d >= -1 && d <= 1
		if ok != wantOK {
			t.Errorf("step %+d: ok = %v, want %v", d, ok, wantOK)
			continue
		}
		if ok && step != now+d {
			t.Errorf("step %+d: returned step %d, want %d", d, step, now+d)
		}
	}
}

func TestVerifyRefusesWrongCode(t *testing.T) {
	c := []byte(Code(rfcSecret, testNow))
	c[0] = '0' + (c[0]-'0'+1)%10
	if _, ok := Verify(rfcSecret, string(c), testNow, 0); ok {
		t.Fatal("a wrong code was accepted")
	}
	other := bytes.Repeat([]byte{7}, SecretSize)
	if _, ok := Verify(other, Code(rfcSecret, testNow), testNow, 0); ok {
		t.Fatal("another secret's code was accepted")
	}
}

func TestVerifyReplay(t *testing.T) {
	now := Step(testNow)
	code := Code(rfcSecret, testNow)
	step, ok := Verify(rfcSecret, code, testNow, 0)
	if !ok || step != now {
		t.Fatalf("first use: step %d ok %v, want %d true", step, ok, now)
	}
	// The same code again, even a few seconds later in the same step.
	if _, ok := Verify(rfcSecret, code, testNow.Add(5*time.Second), step); ok {
		t.Fatal("a code was accepted twice")
	}
	// The previous step's code is still inside the drift window but older
	// than the last one used, so it must be refused.
	if _, ok := Verify(rfcSecret, codeAt(rfcSecret, now-1), testNow, now); ok {
		t.Fatal("a code older than lastStep was accepted")
	}
	// With lastStep just before it, that same older code is fine: the refusal
	// above came from lastStep, not from the window.
	if _, ok := Verify(rfcSecret, codeAt(rfcSecret, now-1), testNow, now-2); !ok {
		t.Fatal("a code newer than lastStep was refused")
	}
	// The next step's code is still accepted after the current one was used.
	if s, ok := Verify(rfcSecret, codeAt(rfcSecret, now+1), testNow, now); !ok || s != now+1 {
		t.Fatalf("next step after use: step %d ok %v, want %d true", s, ok, now+1)
	}
}

func TestVerifyFormat(t *testing.T) {
	code := Code(rfcSecret, testNow)
	for _, in := range []string{
		code[:3] + " " + code[3:],
		code[:2] + " " + code[2:4] + " " + code[4:],
		" " + code + " ",
	} {
		if _, ok := Verify(rfcSecret, in, testNow, 0); !ok {
			t.Errorf("Verify(%q) refused the right code with spaces", in)
		}
	}
	for _, in := range []string{
		"",
		code[:5],   // one digit short
		code + "0", // one digit too many
		"0" + code, // the right code with a digit in front
		"abcdef",   // not digits
		"12345",    // too short
		"1234567",  // too long
		code[:3] + "-" + code[3:],
		code[:3] + "\t" + code[3:],
		"+" + code[1:],
		strings.Map(func(r rune) rune { return r - '0' + '０' }, code), // full-width digits
	} {
		if _, ok := Verify(rfcSecret, in, testNow, 0); ok {
			t.Errorf("Verify(%q) = ok, want refused", in)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"123456":        "123456",
		"123 456":       "123456",
		" 0 1 2 3 4 5 ": "012345",
	} {
		if got, ok := normalizeCode(in); !ok || got != want {
			t.Errorf("normalizeCode(%q) = %q, %v; want %q, true", in, got, ok, want)
		}
	}
	// Six bytes that are not six ASCII digits never reach the comparison.
	for _, in := range []string{"abcdef", "12345a", "12345/", "12345:", "12345", "1234567", "１２３", "12\t456"} {
		if got, ok := normalizeCode(in); ok {
			t.Errorf("normalizeCode(%q) = %q, true; want refused", in, got)
		}
	}
}

func TestVerifyRefusesShortSecret(t *testing.T) {
	for _, s := range [][]byte{nil, {}, rfcSecret[:MinSecretSize-1]} {
		if _, ok := Verify(s, Code(s, testNow), testNow, 0); ok {
			t.Errorf("Verify accepted a %d-byte secret", len(s))
		}
	}
	if _, ok := Verify(rfcSecret[:MinSecretSize], Code(rfcSecret[:MinSecretSize], testNow), testNow, 0); !ok {
		t.Error("Verify refused a secret of exactly MinSecretSize bytes")
	}
}

func TestEncodeDecode(t *testing.T) {
	secret := []byte{0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf,
		0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf}
	const want = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	if got := Encode(secret); got != want {
		t.Fatalf("Encode = %s, want %s", got, want)
	}
	if got, want := EncodeGrouped(secret), "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567"; got != want {
		t.Fatalf("EncodeGrouped = %q, want %q", got, want)
	}
	for _, in := range []string{
		want,
		strings.ToLower(want),
		EncodeGrouped(secret),
		strings.ToLower(EncodeGrouped(secret)),
		"  abcd-efgh ijkl\tmnop\nqrst uvwx yz23 4567 ",
	} {
		got, err := Decode(in)
		if err != nil {
			t.Errorf("Decode(%q): %v", in, err)
			continue
		}
		if !bytes.Equal(got, secret) {
			t.Errorf("Decode(%q) = %x, want %x", in, got, secret)
		}
	}
}

func TestEncodeDecodeLengths(t *testing.T) {
	// Lengths that are not a multiple of 5 bytes need padding in standard
	// base32; Encode leaves it out and Decode must cope with or without it.
	for n := 1; n <= 21; n++ {
		secret := bytes.Repeat([]byte{byte(n), 0xa5}, n)[:n]
		enc := Encode(secret)
		if strings.ContainsAny(enc, "= ") || enc != strings.ToUpper(enc) {
			t.Errorf("Encode(%d bytes) = %q: padding, spaces or lower case", n, enc)
		}
		grouped := EncodeGrouped(secret)
		for i, g := range strings.Split(grouped, " ") {
			if len(g) > 4 || len(g) == 0 || (len(g) < 4 && (i+1)*4 < len(enc)) {
				t.Errorf("EncodeGrouped(%d bytes) = %q: bad group %q", n, grouped, g)
			}
		}
		if strings.ReplaceAll(grouped, " ", "") != enc {
			t.Errorf("EncodeGrouped(%d bytes) = %q, not Encode split up", n, grouped)
		}
		padded := enc + strings.Repeat("=", (8-len(enc)%8)%8)
		for _, in := range []string{enc, strings.ToLower(enc), grouped, padded} {
			got, err := Decode(in)
			if err != nil || !bytes.Equal(got, secret) {
				t.Errorf("Decode(%q) = %x, %v; want %x", in, got, err, secret)
			}
		}
	}
}

func TestDecodeInvalid(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"====",
		"ABCDEFG1", // 1 is not in the base32 alphabet
		"ABCDEFG0",
		"ABCDEFG8",
		"ABC",       // 3 characters cannot end a base32 quantum
		"ABCDEF",    // neither can 6
		"ABCD=EFGH", // padding in the middle
		"ABCDEFGHA", // a stray ninth character the decoder would drop
		"AB",        // encodes one byte, but only as "AA": the last bits must be zero
		"ıı",        // only ASCII letters are upper-cased
		"ſſ",
		"ÁBCDEFGH",
		"ABCD_EFGH",
	} {
		if got, err := Decode(in); err == nil {
			t.Errorf("Decode(%q) = %x, want an error", in, got)
		}
	}
}

func TestURI(t *testing.T) {
	secret := rfcSecret
	const issuer = "Mi Cuenta Operación"
	const account = "ana.lópez+ops@example.mx"
	raw := URI(issuer, account, secret)

	if strings.Contains(raw, " ") || strings.Contains(raw, "+") {
		t.Errorf("URI has a raw space or a plus (spaces must be %%20, plus %%2B): %s", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", raw, err)
	}
	if u.Scheme != "otpauth" {
		t.Errorf("scheme = %q", u.Scheme)
	}
	if u.Host != "totp" {
		t.Errorf("host = %q", u.Host)
	}
	if want := "/" + issuer + ":" + account; u.Path != want {
		t.Errorf("path = %q, want %q", u.Path, want)
	}
	if strings.Count(u.EscapedPath(), ":") != 1 {
		t.Errorf("escaped label %q should have exactly one colon", u.EscapedPath())
	}
	q := u.Query()
	for k, want := range map[string]string{
		"secret":    Encode(secret),
		"issuer":    issuer,
		"algorithm": "SHA1",
		"digits":    "6",
		"period":    "30",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("query %s = %q, want %q", k, got, want)
		}
	}
	got, err := Decode(q.Get("secret"))
	if err != nil || !bytes.Equal(got, secret) {
		t.Errorf("secret in URI decodes to %x, %v", got, err)
	}
}

func TestURIColonAndNoIssuer(t *testing.T) {
	// A colon in the issuer would be read as the label separator.
	u, err := url.Parse(URI("Ops: Norte", "a@b.mx", rfcSecret))
	if err != nil {
		t.Fatal(err)
	}
	esc := u.EscapedPath()
	if i := strings.Index(esc, ":"); i < 0 || strings.Contains(esc[i+1:], ":") || esc[i+1:] != "a@b.mx" {
		t.Errorf("escaped label %q should separate issuer and account with its only colon", esc)
	}
	if u.Path != "/Ops: Norte:a@b.mx" {
		t.Errorf("path = %q", u.Path)
	}

	u, err = url.Parse(URI("", "a@b.mx", rfcSecret))
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/a@b.mx" {
		t.Errorf("path without issuer = %q, want /a@b.mx", u.Path)
	}
	if _, has := u.Query()["issuer"]; has {
		t.Error("URI without issuer has an issuer parameter")
	}
}

func TestQRPNG(t *testing.T) {
	uri := URI("Mi Cuenta Operación", "ana@example.mx", rfcSecret)
	ref, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	n := ref.Bounds().Dx()
	minSize := n + 2*quietZone
	// 256 is what the page uses; 301 leaves a remainder after whole-pixel
	// modules; the smallest size fits exactly one pixel a module.
	for _, size := range []int{256, 301, 5 * minSize, minSize} {
		checkQR(t, uri, size)
	}
	if _, err := QRPNG(uri, minSize-1); err == nil {
		t.Errorf("QRPNG(size %d) succeeded without room for the quiet zone", minSize-1)
	}
	for _, size := range []int{0, -1, 10, maxQRSize + 1} {
		if _, err := QRPNG(uri, size); err == nil {
			t.Errorf("QRPNG(size %d) succeeded, want an error", size)
		}
	}
}

// checkQR decodes QRPNG's output and checks it pixel by pixel against the
// reference symbol: the size asked for, every module in place at a whole
// number of pixels, and a white quiet zone of at least four modules.
// Sampling each module's centre checks scaling and placement without
// needing a QR decoder.
func checkQR(t *testing.T, uri string, size int) {
	t.Helper()
	data, err := QRPNG(uri, size)
	if err != nil {
		t.Fatalf("size %d: %v", size, err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("size %d: png.Decode: %v", size, err)
	}
	if b := img.Bounds(); b.Min.X != 0 || b.Min.Y != 0 || b.Dx() != size || b.Dy() != size {
		t.Fatalf("image bounds %v, want %dx%d", b, size, size)
	}
	isBlack := func(x, y int) bool {
		return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128
	}

	var black, white int
	for y := range size {
		for x := range size {
			if isBlack(x, y) {
				black++
			} else {
				white++
			}
		}
	}
	if black == 0 || white == 0 {
		t.Fatalf("size %d: image is uniform: %d black, %d white pixels", size, black, white)
	}

	ref, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	n := ref.Bounds().Dx()
	// Find the symbol from the image itself rather than recomputing the
	// layout: its top-left corner is the first black pixel on the diagonal
	// (the outer ring of the finder pattern), and its width is the run of
	// black along the finder's top edge, seven modules.
	off := 0
	for off < size && !isBlack(off, off) {
		off++
	}
	run := 0
	for off+run < size && isBlack(off+run, off) {
		run++
	}
	if run == 0 || run%7 != 0 {
		t.Fatalf("size %d: finder pattern edge is %d px, not a multiple of 7", size, run)
	}
	scale := run / 7
	if off < quietZone*scale {
		t.Fatalf("size %d: quiet zone %d px, want at least %d (4 modules of %d px)", size, off, quietZone*scale, scale)
	}
	if end := off + n*scale; size-end < quietZone*scale {
		t.Fatalf("size %d: quiet zone after the symbol %d px, want at least %d", size, size-end, quietZone*scale)
	}
	if want := size / (n + 2*quietZone); scale != want {
		t.Errorf("size %d: %d px a module, want the largest that fits, %d", size, scale, want)
	}
	for my := range n {
		for mx := range n {
			want := color.GrayModel.Convert(ref.At(mx, my)).(color.Gray).Y < 128
			// Both the first and last pixel of the module, so a wrong scale
			// or offset cannot hide between samples.
			for _, p := range [][2]int{
				{off + mx*scale, off + my*scale},
				{off + mx*scale + scale - 1, off + my*scale + scale - 1},
			} {
				if isBlack(p[0], p[1]) != want {
					t.Fatalf("size %d: module (%d,%d) at pixel %v: black = %v, want %v", size, mx, my, p, !want, want)
				}
			}
		}
	}
	// Everything outside the symbol is white.
	for y := range size {
		for x := range size {
			inside := x >= off && x < off+n*scale && y >= off && y < off+n*scale
			if !inside && isBlack(x, y) {
				t.Fatalf("size %d: pixel (%d,%d) outside the symbol is black", size, x, y)
			}
		}
	}
}
