package upload

import (
	"bytes"
	"encoding/binary"
	"image"
)

// Phone cameras store pixels as the sensor read them and record in EXIF
// how to turn them upright. Re-encoding drops EXIF, so the turn is applied
// to the pixels instead; only that one value is read from the metadata.

// EXIF orientations, named by how the stored image must be changed to
// look upright. 1 means nothing to do.
const (
	orientNormal     = 1
	orientFlipH      = 2
	orientRotate180  = 3
	orientFlipV      = 4
	orientTranspose  = 5
	orientRotate90   = 6 // clockwise
	orientTransverse = 7
	orientRotate270  = 8 // clockwise
)

// JPEG markers that matter while walking the segments before the image.
const (
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerAPP1 = 0xE1
	markerTEM  = 0x01
	markerRST0 = 0xD0
	markerRST7 = 0xD7
)

var exifHeader = []byte("Exif\x00\x00")

// exifOrientation returns the EXIF orientation of a JPEG, or orientNormal
// when it has none or the metadata cannot be read: a photo with broken
// EXIF is better stored as it is than refused.
func exifOrientation(data []byte) int {
	i := 2 // past SOI
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return orientNormal
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte before a marker
			i++
			continue
		case m == markerSOI || m == markerTEM || (m >= markerRST0 && m <= markerRST7):
			i += 2 // markers without a length
			continue
		case m == markerSOS || m == markerEOI:
			// Metadata comes before the image data.
			return orientNormal
		}
		n := int(binary.BigEndian.Uint16(data[i+2:])) // counts itself
		end := i + 2 + n
		if n < 2 || end > len(data) {
			return orientNormal
		}
		if m == markerAPP1 {
			payload := data[i+4 : end]
			if bytes.HasPrefix(payload, exifHeader) {
				if o := tiffOrientation(payload[len(exifHeader):]); o != 0 {
					return o
				}
			}
		}
		i = end
	}
	return orientNormal
}

// tiffOrientation reads tag 0x0112 from the first IFD of the TIFF
// structure inside an EXIF segment; 0 when absent or malformed.
func tiffOrientation(t []byte) int {
	const (
		tagOrientation = 0x0112
		typeShort      = 3
		entrySize      = 12
	)
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 0
	}
	count := int(bo.Uint16(t[off:]))
	p := int(off) + 2
	for k := 0; k < count && p+entrySize <= len(t); k, p = k+1, p+entrySize {
		e := t[p : p+entrySize]
		if bo.Uint16(e) != tagOrientation {
			continue
		}
		if bo.Uint16(e[2:]) != typeShort || bo.Uint32(e[4:]) != 1 {
			return 0
		}
		// A single SHORT sits in the first two bytes of the value field.
		if v := int(bo.Uint16(e[8:])); v >= orientNormal && v <= orientRotate270 {
			return v
		}
		return 0
	}
	return 0
}

// orient returns src turned upright according to an EXIF orientation.
func orient(src image.Image, o int) image.Image {
	if o <= orientNormal || o > orientRotate270 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= orientTranspose {
		dw, dh = h, w
	}
	// from maps a pixel of the upright image to the stored pixel it
	// shows, in coordinates relative to b.Min.
	from := func(x, y int) (int, int) {
		switch o {
		case orientFlipH:
			return w - 1 - x, y
		case orientRotate180:
			return w - 1 - x, h - 1 - y
		case orientFlipV:
			return x, h - 1 - y
		case orientTranspose:
			return y, x
		case orientRotate90:
			return y, h - 1 - x
		case orientTransverse:
			return w - 1 - y, h - 1 - x
		default: // orientRotate270
			return w - 1 - y, x
		}
	}
	r := image.Rect(0, 0, dw, dh)

	// The JPEG decoder gives Gray or YCbCr for nearly every photo; those
	// are copied sample by sample, without a round trip through RGB.
	switch s := src.(type) {
	case *image.Gray:
		dst := image.NewGray(r)
		for y := range dh {
			for x := range dw {
				sx, sy := from(x, y)
				dst.Pix[dst.PixOffset(x, y)] = s.Pix[s.PixOffset(b.Min.X+sx, b.Min.Y+sy)]
			}
		}
		return dst
	case *image.YCbCr:
		dst := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
		for y := range dh {
			for x := range dw {
				sx, sy := from(x, y)
				sx, sy = b.Min.X+sx, b.Min.Y+sy
				i := y*dst.YStride + x // 4:4:4, so Y and chroma share offsets
				dst.Y[i] = s.Y[s.YOffset(sx, sy)]
				c := s.COffset(sx, sy)
				dst.Cb[i] = s.Cb[c]
				dst.Cr[i] = s.Cr[c]
			}
		}
		return dst
	}
	dst := image.NewRGBA(r) // CMYK and anything rarer
	for y := range dh {
		for x := range dw {
			sx, sy := from(x, y)
			dst.Set(x, y, src.At(b.Min.X+sx, b.Min.Y+sy))
		}
	}
	return dst
}
