package upload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color/palette"
	"testing"

	"micuenta/internal/portal"
)

func FuzzCheck(f *testing.F) {
	jpg := encodeJPEG(f, testImage(24, 16))
	f.Add(makePDF(f))
	f.Add(encodePNG(f, testImage(24, 16)))
	f.Add(encodePNG(f, image.NewGray(image.Rect(0, 0, 5, 3))))
	f.Add(encodePNG(f, image.NewPaletted(image.Rect(0, 0, 4, 4), palette.Plan9)))
	f.Add(jpg)
	f.Add(withSegments(jpg, exifSegment(orientRotate90)))
	f.Add([]byte("%PDF-1.4\n%%EOF"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Check(bytes.NewReader(data))
		if err != nil {
			if doc != nil {
				t.Fatal("a document together with an error")
			}
			if code := portal.ErrorCode(err); code != portal.EINVALID {
				t.Fatalf("code %q, want %q: %v", code, portal.EINVALID, err)
			}
			if portal.ErrorMessage(err) == "" {
				t.Fatal("a refusal without a message")
			}
			return
		}
		switch doc.Kind {
		case PDF:
			if !bytes.Equal(doc.Data, data) {
				t.Fatal("PDF not stored as sent")
			}
		case JPEG:
			if !bytes.HasPrefix(doc.Data, magicJPEG) {
				t.Fatal("stored JPEG does not start like one")
			}
		case PNG:
			if !bytes.HasPrefix(doc.Data, magicPNG) {
				t.Fatal("stored PNG does not start like one")
			}
		default:
			t.Fatalf("unknown kind %q", doc.Kind)
		}
		sum := sha256.Sum256(doc.Data)
		if doc.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatal("SHA256 is not of Data")
		}
		if doc.Size != int64(len(doc.Data)) || doc.Size == 0 || doc.Size > MaxSize {
			t.Fatalf("Size %d for %d bytes", doc.Size, len(doc.Data))
		}
	})
}
