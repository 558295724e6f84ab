// Package testdocs makes real documents for tests of uploads: a PDF
// written by a PDF library and a PNG written by the image encoder, never
// byte strings that merely start like one.
package testdocs

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"micuenta/internal/request"
	"micuenta/internal/upload"
)

// PDF returns a one-page PDF whose text is line.
func PDF(t testing.TB, line string) []byte {
	t.Helper()
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddPage()
	doc.SetFont("Helvetica", "", 12)
	doc.Cell(0, 10, line)
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// PNG returns a small image with a pattern.
func PNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 120; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 3), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Upload checks data as the portal does and wraps it for request.File.
func Upload(t testing.TB, name string, data []byte) request.Upload {
	t.Helper()
	doc, err := upload.Check(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return request.Upload{Doc: doc, FileName: name}
}
