package totp

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

const (
	// quietZone is the white margin, in modules, that the QR specification
	// requires around the symbol. The encoder draws none, and phone
	// scanners fail to find the code on a page without it.
	quietZone = 4
	// maxQRSize bounds the image so a mistaken size cannot make the
	// enrolment page allocate without limit.
	maxQRSize = 4096
)

// QRPNG draws uri as a QR code in a size×size PNG, for the enrolment page
// to show inline as a data: URL. The symbol uses error-correction level M
// (enough for a screen, smaller than higher levels), is scaled by a whole
// number of pixels per module so every module stays sharp, and is centred
// with at least the required quiet zone. It fails if size is too small for
// that.
func QRPNG(uri string, size int) ([]byte, error) {
	if size <= 0 || size > maxQRSize {
		return nil, fmt.Errorf("totp: QR size %d out of range 1..%d", size, maxQRSize)
	}
	code, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("totp: encoding QR code: %w", err)
	}
	modules := code.Bounds().Dx()
	scale := size / (modules + 2*quietZone)
	if scale < 1 {
		return nil, fmt.Errorf("totp: QR size %d too small for %d modules plus quiet zone", size, modules)
	}
	scaled, err := barcode.Scale(code, modules*scale, modules*scale)
	if err != nil {
		return nil, fmt.Errorf("totp: scaling QR code: %w", err)
	}
	// A two-colour paletted image keeps the PNG small (it becomes a data:
	// URL in the page) and makes the output exactly black and white. Its
	// zero value is palette entry 0, white, which is the quiet zone.
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	off := (size - modules*scale) / 2
	at := image.Rect(off, off, off+modules*scale, off+modules*scale)
	draw.Draw(img, at, scaled, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("totp: writing PNG: %w", err)
	}
	return buf.Bytes(), nil
}
