package upload

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"strings"
	"testing"
)

func TestKind(t *testing.T) {
	for _, tc := range []struct {
		k          Kind
		ctype, ext string
	}{
		{PDF, "application/pdf", ".pdf"},
		{JPEG, "image/jpeg", ".jpg"},
		{PNG, "image/png", ".png"},
		{Kind("gif"), "application/octet-stream", ""},
	} {
		if got := tc.k.ContentType(); got != tc.ctype {
			t.Errorf("%s.ContentType() = %q, want %q", tc.k, got, tc.ctype)
		}
		if got := tc.k.Ext(); got != tc.ext {
			t.Errorf("%s.Ext() = %q, want %q", tc.k, got, tc.ext)
		}
	}
}

func TestCheckPDF(t *testing.T) {
	data := makePDF(t)
	doc, err := Check(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != PDF {
		t.Errorf("Kind = %q, want pdf", doc.Kind)
	}
	if !bytes.Equal(doc.Data, data) {
		t.Error("a PDF must be stored exactly as sent")
	}
	sum := sha256.Sum256(data)
	if doc.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want %x", doc.SHA256, sum)
	}
	if doc.Size != int64(len(data)) {
		t.Errorf("Size = %d, want %d", doc.Size, len(data))
	}
}

func TestCheckPNGKeepsPixels(t *testing.T) {
	img := testImage(200, 100)
	doc, err := Check(bytes.NewReader(encodePNG(t, img)))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != PNG {
		t.Fatalf("Kind = %q, want png", doc.Kind)
	}
	got, err := png.Decode(bytes.NewReader(doc.Data))
	if err != nil {
		t.Fatalf("stored PNG does not decode: %v", err)
	}
	if p, ok := sameRGBA(img, got); !ok {
		t.Errorf("re-encoded PNG differs at %v (size %v)", p, got.Bounds().Size())
	}
	sum := sha256.Sum256(doc.Data)
	if doc.SHA256 != hex.EncodeToString(sum[:]) || doc.Size != int64(len(doc.Data)) {
		t.Error("SHA256 or Size does not describe Data")
	}
}

func TestCheckPNGDropsHiddenData(t *testing.T) {
	img := testImage(200, 100)
	orig := encodePNG(t, img)

	// A text chunk before IEND (metadata a viewer ignores) and a payload
	// appended after IEND (a classic way to smuggle a file in an image).
	text := pngChunk("tEXt", []byte("Comment\x00SECRETO-EN-METADATOS"))
	iend := bytes.LastIndex(orig, []byte("IEND")) - 4 // back to the chunk's length
	var in bytes.Buffer
	in.Write(orig[:iend])
	in.Write(text)
	in.Write(orig[iend:])
	in.WriteString("PK\x03\x04SECRETO-DESPUES-DE-IEND<script>alert(1)</script>")

	doc, err := Check(bytes.NewReader(in.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"SECRETO", "tEXt", "<script>", "PK\x03\x04"} {
		if bytes.Contains(doc.Data, []byte(s)) {
			t.Errorf("stored PNG still contains %q", s)
		}
	}
	if !bytes.HasSuffix(doc.Data, pngChunk("IEND", nil)) {
		t.Error("stored PNG does not end at IEND")
	}
	got, err := png.Decode(bytes.NewReader(doc.Data))
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := sameRGBA(img, got); !ok {
		t.Errorf("pixels changed at %v", p)
	}
}

func TestCheckJPEG(t *testing.T) {
	img := testImage(120, 80)
	data := encodeJPEG(t, img)
	data = append(data, "junk after EOI"...)
	doc, err := Check(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != JPEG {
		t.Fatalf("Kind = %q, want jpeg", doc.Kind)
	}
	got, err := jpeg.Decode(bytes.NewReader(doc.Data))
	if err != nil {
		t.Fatalf("stored JPEG does not decode: %v", err)
	}
	if got.Bounds().Size() != image.Pt(120, 80) {
		t.Errorf("size = %v, want 120x80", got.Bounds().Size())
	}
	if bytes.Contains(doc.Data, []byte("junk")) {
		t.Error("bytes after the image survived")
	}
}

// exifSegment builds an APP1 segment holding an orientation and a text
// tag standing in for the revealing metadata phones write (GPS, serials).
func exifSegment(orientation uint16) []byte {
	secret := "SECRETO-GPS-19.4326N-99.1332W\x00"
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8)) // IFD0 right after the header
	binary.Write(&tiff, binary.BigEndian, uint16(2))
	// 0x010E ImageDescription, ASCII, stored after the IFD
	strOff := uint32(8 + 2 + 2*12 + 4)
	binary.Write(&tiff, binary.BigEndian, []uint16{0x010E, 2})
	binary.Write(&tiff, binary.BigEndian, []uint32{uint32(len(secret)), strOff})
	// 0x0112 Orientation, SHORT, 1 value
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{orientation, 0})
	binary.Write(&tiff, binary.BigEndian, uint32(0)) // no next IFD
	tiff.WriteString(secret)

	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// withSegments inserts segments right after a JPEG's SOI marker.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

func TestCheckJPEGStripsMetadataAndTurnsUpright(t *testing.T) {
	// Stored as the sensor saw it: red on the left, blue on the right,
	// with EXIF saying "turn 90° clockwise". Upright, red is on top.
	img := image.NewRGBA(image.Rect(0, 0, 64, 32))
	for y := range 32 {
		for x := range 64 {
			c := color.RGBA{R: 220, G: 20, B: 20, A: 255}
			if x >= 32 {
				c = color.RGBA{R: 20, G: 20, B: 220, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	comment := []byte{0xFF, 0xFE, 0, 0}
	binary.BigEndian.PutUint16(comment[2:], uint16(2+len("SECRETO-COMENTARIO")))
	comment = append(comment, "SECRETO-COMENTARIO"...)
	data := withSegments(encodeJPEG(t, img), exifSegment(orientRotate90), comment)
	if exifOrientation(data) != orientRotate90 {
		t.Fatal("test JPEG's EXIF is not read back")
	}

	doc, err := Check(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"SECRETO", "Exif"} {
		if bytes.Contains(doc.Data, []byte(s)) {
			t.Errorf("stored JPEG still contains %q", s)
		}
	}
	got, err := jpeg.Decode(bytes.NewReader(doc.Data))
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds().Size() != image.Pt(32, 64) {
		t.Fatalf("size = %v, want 32x64 (turned upright)", got.Bounds().Size())
	}
	isRed := func(c color.Color) bool { r, _, b, _ := c.RGBA(); return r > 0x9000 && b < 0x6000 }
	isBlue := func(c color.Color) bool { r, _, b, _ := c.RGBA(); return b > 0x9000 && r < 0x6000 }
	if !isRed(got.At(16, 8)) || !isBlue(got.At(16, 56)) {
		t.Errorf("upright image should be red on top, blue below: got %v and %v", got.At(16, 8), got.At(16, 56))
	}
}

func TestCheckRefusesOtherTypes(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	elf := make([]byte, 64<<10)
	n, err := io.ReadFull(f, elf)
	if err != nil && err != io.ErrUnexpectedEOF {
		t.Fatal(err)
	}
	elf = elf[:n]

	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, testImage(20, 20), nil); err != nil {
		t.Fatal(err)
	}

	for name, data := range map[string][]byte{
		"the test binary, renamed": elf,
		"zip":                      append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), make([]byte, 100)...),
		"html":                     []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
		"gif":                      gifBuf.Bytes(),
		"text":                     []byte("hola"),
		"pdf header late":          append([]byte("  \n"), makePDF(t)...),
		"one byte":                 {0xFF},
	} {
		t.Run(name, func(t *testing.T) {
			doc, err := Check(bytes.NewReader(data))
			wantRefused(t, doc, err, msgType)
		})
	}
}

func TestCheckSizeLimit(t *testing.T) {
	pdf := makePDF(t)
	// padded returns the PDF grown to size bytes by a comment line just
	// before its final %%EOF, so it still starts and ends like a PDF.
	padded := func(size int) []byte {
		i := bytes.LastIndex(pdf, []byte("%%EOF"))
		pad := size - len(pdf)
		var b bytes.Buffer
		b.Grow(size)
		b.Write(pdf[:i])
		b.WriteString("%")
		b.WriteString(strings.Repeat(" ", pad-2))
		b.WriteString("\n")
		b.Write(pdf[i:])
		if b.Len() != size {
			t.Fatalf("padded to %d, want %d", b.Len(), size)
		}
		return b.Bytes()
	}

	doc, err := Check(bytes.NewReader(padded(MaxSize)))
	if err != nil {
		t.Fatalf("exactly MaxSize refused: %v", err)
	}
	if doc.Size != MaxSize {
		t.Errorf("Size = %d, want %d", doc.Size, MaxSize)
	}

	doc, err = Check(bytes.NewReader(padded(MaxSize + 1)))
	wantRefused(t, doc, err, msgTooBig)
}

// endless yields a PDF header and then zeros for ever, counting bytes.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	if e.n == 0 {
		copy(p, "%PDF-")
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestCheckReadsAtMostLimit(t *testing.T) {
	r := &endless{}
	doc, err := Check(r)
	wantRefused(t, doc, err, msgTooBig)
	if r.n > MaxSize+1 {
		t.Errorf("read %d bytes, want at most %d", r.n, MaxSize+1)
	}
}

func TestCheckReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("%PDF-1.4"), errReader{})
	doc, err := Check(r)
	wantRefused(t, doc, err, msgReadFail)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

// bombPNG declares a w×h 8-bit grayscale image whose IDAT is zlib-
// compressed zeros: a few kilobytes on the wire, w×h bytes once decoded.
func bombPNG(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var idat bytes.Buffer
	zw, err := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]byte, 1+int(min(w, 1<<20))) // filter byte + samples
	for written := 0; written < 4<<20; written += len(row) {
		zw.Write(row)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.Write(magicPNG)
	b.Write(pngChunk("IHDR", pngIHDR(w, h, 8, 0)))
	b.Write(pngChunk("IDAT", idat.Bytes()))
	b.Write(pngChunk("IEND", nil))
	return b.Bytes()
}

func TestCheckRefusesDecompressionBombs(t *testing.T) {
	bomb := bombPNG(t, 50000, 50000)
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb is %d bytes; it should be tiny", len(bomb))
	}
	doc, err := Check(bytes.NewReader(bomb))
	wantRefused(t, doc, err, msgHuge)

	for _, size := range []struct{ w, h uint32 }{
		{12001, 10},   // one side too long
		{10, 12001},   // the other
		{10000, 4001}, // both sides fine, 40,010,000 px
	} {
		doc, err := Check(bytes.NewReader(bombPNG(t, size.w, size.h)))
		wantRefused(t, doc, err, msgHuge)
	}

	// A JPEG whose frame header claims 60000×60000.
	jpg := encodeJPEG(t, testImage(16, 16))
	sof := bytes.Index(jpg, []byte{0xFF, 0xC0})
	if sof < 0 {
		t.Fatal("no SOF0 in the test JPEG")
	}
	binary.BigEndian.PutUint16(jpg[sof+5:], 60000) // height
	binary.BigEndian.PutUint16(jpg[sof+7:], 60000) // width
	doc, err = Check(bytes.NewReader(jpg))
	wantRefused(t, doc, err, msgHuge)
}

func TestCheckLargestImageAllowed(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a 12000×1 and a 6325×6324 image")
	}
	// At the limits exactly: accepted. Solid colour keeps it quick.
	for _, r := range []image.Rectangle{image.Rect(0, 0, 12000, 1), image.Rect(0, 0, 6325, 6324)} {
		doc, err := Check(bytes.NewReader(encodePNG(t, image.NewGray(r))))
		if err != nil {
			t.Errorf("%v: %v", r.Size(), err)
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(doc.Data))
		if err != nil || cfg.Width != r.Dx() || cfg.Height != r.Dy() {
			t.Errorf("%v: stored %dx%d, %v", r.Size(), cfg.Width, cfg.Height, err)
		}
	}
}

func TestCheckRefusesBrokenFiles(t *testing.T) {
	pdf := makePDF(t)
	pngData := encodePNG(t, testImage(200, 100))
	jpg := encodeJPEG(t, testImage(200, 100))
	ihdrEnd := len(magicPNG) + 8 + 13 + 4 // signature, then IHDR's length, type, data, CRC
	garbage := bytes.Repeat([]byte{0xDE, 0xAD, 0xBE, 0xEF}, 256)

	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, msgEmpty},
		{"truncated PDF", pdf[:len(pdf)/2], msgPDF},
		{"PDF header only", []byte("%PDF-1.7\n"), msgPDF},
		{"PNG signature only", magicPNG, msgDamaged},
		{"PNG header then garbage", append(append([]byte{}, pngData[:ihdrEnd]...), garbage...), msgDamaged},
		{"truncated PNG", pngData[:len(pngData)/2], msgDamaged},
		{"PNG with zero width", append(append([]byte{}, magicPNG...), pngChunk("IHDR", pngIHDR(0, 10, 8, 0))...), msgDamaged},
		{"truncated JPEG", jpg[:len(jpg)/2], msgDamaged},
		{"JPEG marker then garbage", append([]byte{0xFF, 0xD8, 0xFF}, garbage...), msgDamaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Check(bytes.NewReader(tc.data))
			wantRefused(t, doc, err, tc.msg)
		})
	}
}

func TestNewDocumentRechecksSize(t *testing.T) {
	// A re-encoded image that outgrew the limit is refused like a big file.
	doc, err := newDocument(PNG, make([]byte, MaxSize+1))
	wantRefused(t, doc, err, msgTooBig)
}
