package upload

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"micuenta/internal/portal"
)

// makePDF renders a small real PDF with the same library the portal uses
// for its own documents.
func makePDF(t testing.TB) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	pdf.Cell(40, 10, "Comprobante de domicilio")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testImage is w×h with a gradient and a few solid stripes, so a wrong
// pixel anywhere shows.
func testImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: uint8((x + y) % 256), A: 255}
			if x%50 < 5 {
				c = color.NRGBA{R: 200, G: 30, B: 60, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngChunk builds one PNG chunk with its length and CRC.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.Write(&b, binary.BigEndian, crc.Sum32())
	return b.Bytes()
}

// pngIHDR is the header chunk's data for an image of the given size.
func pngIHDR(w, h uint32, depth, colorType byte) []byte {
	d := make([]byte, 13)
	binary.BigEndian.PutUint32(d[0:], w)
	binary.BigEndian.PutUint32(d[4:], h)
	d[8] = depth
	d[9] = colorType
	// compression, filter and interlace methods stay 0
	return d
}

// wantRefused fails unless err is an EINVALID domain error with message.
func wantRefused(t *testing.T, doc *Document, err error, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted as %s, want refused with %q", doc.Kind, message)
	}
	if doc != nil {
		t.Errorf("got a document with the error %v", err)
	}
	if code := portal.ErrorCode(err); code != portal.EINVALID {
		t.Errorf("code = %q, want %q (err %v)", code, portal.EINVALID, err)
	}
	if got := portal.ErrorMessage(err); got != message {
		t.Errorf("message = %q\nwant      %q", got, message)
	}
}

// sameRGBA reports the first pixel where a and b differ, if any.
func sameRGBA(a, b image.Image) (image.Point, bool) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return image.Point{}, false
	}
	ab, bb := a.Bounds(), b.Bounds()
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			r1, g1, b1, a1 := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return image.Pt(x, y), false
			}
		}
	}
	return image.Point{}, true
}
