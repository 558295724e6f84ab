package upload

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

func TestOrient(t *testing.T) {
	// A 3×2 image whose pixels are numbered
	//   1 2 3
	//   4 5 6
	// and, for each orientation, the numbers as they must look upright.
	want := map[int][][]int{
		orientNormal:     {{1, 2, 3}, {4, 5, 6}},
		orientFlipH:      {{3, 2, 1}, {6, 5, 4}},
		orientRotate180:  {{6, 5, 4}, {3, 2, 1}},
		orientFlipV:      {{4, 5, 6}, {1, 2, 3}},
		orientTranspose:  {{1, 4}, {2, 5}, {3, 6}},
		orientRotate90:   {{4, 1}, {5, 2}, {6, 3}},
		orientTransverse: {{6, 3}, {5, 2}, {4, 1}},
		orientRotate270:  {{3, 6}, {2, 5}, {1, 4}},
	}
	// Where pixel n sits in the source, offset so Bounds().Min != 0 is
	// exercised too.
	at := func(n int) image.Point { return image.Pt(10+(n-1)%3, 20+(n-1)/3) }
	r := image.Rect(10, 20, 13, 22)

	gray := image.NewGray(r)
	ycc := image.NewYCbCr(image.Rect(10, 20, 14, 22), image.YCbCrSubsampleRatio420).SubImage(r).(*image.YCbCr)
	nrgba := image.NewNRGBA(r)
	for n := 1; n <= 6; n++ {
		p := at(n)
		gray.SetGray(p.X, p.Y, color.Gray{Y: uint8(40 * n)})
		ycc.Y[ycc.YOffset(p.X, p.Y)] = uint8(40 * n)
		nrgba.SetNRGBA(p.X, p.Y, color.NRGBA{R: uint8(40 * n), G: uint8(255 - 40*n), B: 7, A: 255})
	}
	for i := range ycc.Cb {
		ycc.Cb[i] = uint8(100 + i)
		ycc.Cr[i] = uint8(150 - i)
	}

	for _, src := range []image.Image{gray, ycc, nrgba} {
		for o, rows := range want {
			got := orient(src, o)
			if b := got.Bounds(); b.Dx() != len(rows[0]) || b.Dy() != len(rows) {
				t.Errorf("%T, orientation %d: size %v, want %dx%d", src, o, b.Size(), len(rows[0]), len(rows))
				continue
			}
			b := got.Bounds()
			for y, row := range rows {
				for x, n := range row {
					r1, g1, b1, a1 := got.At(b.Min.X+x, b.Min.Y+y).RGBA()
					r2, g2, b2, a2 := src.At(at(n).X, at(n).Y).RGBA()
					if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
						t.Errorf("%T, orientation %d: pixel (%d,%d) is not source pixel %d", src, o, x, y, n)
					}
				}
			}
		}
	}
}

func TestExifOrientation(t *testing.T) {
	jpg := encodeJPEG(t, testImage(16, 16))
	for o := orientNormal; o <= orientRotate270; o++ {
		if got := exifOrientation(withSegments(jpg, exifSegment(uint16(o)))); got != o {
			t.Errorf("orientation %d read as %d", o, got)
		}
	}

	// Little-endian ("II") TIFF, as many cameras write it.
	le := []byte("Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00")
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(le)+2))
	if got := exifOrientation(withSegments(jpg, append(seg, le...))); got != orientRotate270 {
		t.Errorf("little-endian orientation read as %d, want 8", got)
	}

	// Broken metadata means "as stored", never a refusal or a panic.
	for name, data := range map[string][]byte{
		"no EXIF":          jpg,
		"out of range":     withSegments(jpg, exifSegment(9)),
		"zero":             withSegments(jpg, exifSegment(0)),
		"segment too long": append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, "Exif\x00\x00MM"...),
		"length below 2":   {0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 0, 0},
		"bad IFD offset":   withSegments(jpg, append([]byte{0xFF, 0xE1, 0x00, 0x10}, "Exif\x00\x00MM\x00\x2a\xFF\xFF\xFF\xFF"...)),
		"just SOI":         {0xFF, 0xD8},
	} {
		if got := exifOrientation(data); got != orientNormal {
			t.Errorf("%s: orientation %d, want 1", name, got)
		}
	}
}
