// Package upload accepts the documents people attach to their requests
// (trámites) and keeps them.
//
// A file is judged by its content, never by its name or the Content-Type
// the browser sent, because both are chosen by whoever uploads it. Only
// PDF, JPEG and PNG are accepted, up to MaxSize. Images are decoded and
// re-encoded, so what is stored holds pixels only: no EXIF (location,
// camera), no comments, nothing appended after the image. PDFs cannot be
// rewritten that way and are kept exactly as sent. Every document carries
// the SHA-256 of the stored bytes, so later copies can be checked.
package upload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image/jpeg"
	"image/png"
	"io"

	"micuenta/internal/portal"
)

// MaxSize is the largest document accepted, in bytes: enough for a
// several-page scan at a sensible resolution. MaxSize+1 bytes is refused.
const MaxSize = 10 << 20

// Limits on an image's declared dimensions, checked before decoding. A
// small file can declare an enormous image (a decompression bomb); these
// keep the decoded pixels to at most 40 Mpx (160 MB as RGBA) while
// leaving room for any phone photo or scanner page.
const (
	maxSide   = 12000
	maxPixels = 40_000_000
)

// jpegQuality keeps scanned text legible while staying well below the
// size of a typical phone original.
const jpegQuality = 90

// pdfTrailerWindow is how far from the end "%%EOF" must appear. A PDF cut
// short in transit has none there; a little trailing junk is tolerated,
// as real writers sometimes add a newline or a few padding bytes.
const pdfTrailerWindow = 1024

// Messages for the person uploading: what is wrong and what to do.
const (
	msgEmpty    = "El archivo está vacío. Revisa que sea el documento correcto y vuelve a subirlo."
	msgTooBig   = "El archivo pesa más de 10 MB. Reduce su tamaño (por ejemplo, escanea a 150 ppp) y vuelve a subirlo."
	msgType     = "Solo aceptamos archivos PDF, JPG o PNG. Este archivo no es ninguno de ellos aunque su nombre lo parezca."
	msgPDF      = "El PDF está incompleto o dañado. Vuelve a generarlo o a escanear el documento y súbelo de nuevo."
	msgDamaged  = "La imagen está dañada y no se puede abrir. Vuelve a tomar la foto o a escanear el documento y súbela de nuevo."
	msgHuge     = "La imagen es demasiado grande: mide más de 12,000 píxeles por lado o más de 40 megapíxeles. Reduce su resolución y vuelve a subirla."
	msgReadFail = "No pudimos recibir el archivo completo. Vuelve a subirlo."
)

// Kind is the type of an accepted document, as found in its content.
type Kind string

// The kinds accepted.
const (
	PDF  Kind = "pdf"
	JPEG Kind = "jpeg"
	PNG  Kind = "png"
)

// ContentType is the media type to serve the document with.
func (k Kind) ContentType() string {
	switch k {
	case PDF:
		return "application/pdf"
	case JPEG:
		return "image/jpeg"
	case PNG:
		return "image/png"
	}
	return "application/octet-stream"
}

// Ext is the file-name extension for the kind, with its dot; "" for an
// unknown kind.
func (k Kind) Ext() string {
	switch k {
	case PDF:
		return ".pdf"
	case JPEG:
		return ".jpg"
	case PNG:
		return ".png"
	}
	return ""
}

// Document is an accepted file, ready to store.
type Document struct {
	Kind   Kind
	Data   []byte // the bytes to store: the PDF as sent, images re-encoded
	SHA256 string // hex SHA-256 of Data
	Size   int64  // len(Data)
}

var (
	magicPDF  = []byte("%PDF-")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
	pdfEOF    = []byte("%%EOF")
)

// Check reads at most MaxSize+1 bytes from r and accepts a PDF, JPEG or
// PNG by content. Every refusal is a portal.EINVALID error whose message
// tells the person what to fix.
func Check(r io.Reader) (*Document, error) {
	// One byte past the limit is enough to tell "too big" apart from
	// "exactly the limit" without reading an unbounded body.
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, portal.Wrap(portal.EINVALID, err, msgReadFail)
	}
	switch {
	case len(data) == 0:
		return nil, invalid(msgEmpty)
	case len(data) > MaxSize:
		return nil, invalid(msgTooBig)
	case bytes.HasPrefix(data, magicPDF):
		return checkPDF(data)
	case bytes.HasPrefix(data, magicJPEG):
		return checkImage(JPEG, data)
	case bytes.HasPrefix(data, magicPNG):
		return checkImage(PNG, data)
	}
	return nil, invalid(msgType)
}

// checkPDF accepts a PDF that looks whole. Its body is not parsed: the
// portal never renders uploaded PDFs itself, and a parser would be far
// more attack surface than the check is worth.
func checkPDF(data []byte) (*Document, error) {
	tail := data[max(0, len(data)-pdfTrailerWindow):]
	if !bytes.Contains(tail, pdfEOF) {
		return nil, invalid(msgPDF)
	}
	return newDocument(PDF, data)
}

// checkImage decodes the image, after making sure its declared size is
// reasonable, and re-encodes it so only its pixels survive.
func checkImage(k Kind, data []byte) (*Document, error) {
	// The format's own decoder is called, not image.Decode: the global
	// registry could hold formats other packages registered, and the
	// magic bytes already said which format this must be.
	decodeConfig, decode := jpeg.DecodeConfig, jpeg.Decode
	if k == PNG {
		decodeConfig, decode = png.DecodeConfig, png.Decode
	}

	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, portal.Wrap(portal.EINVALID, err, msgDamaged)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, invalid(msgDamaged)
	}
	// Each side is checked first, so the product below cannot overflow.
	if cfg.Width > maxSide || cfg.Height > maxSide || cfg.Width*cfg.Height > maxPixels {
		return nil, invalid(msgHuge)
	}

	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, portal.Wrap(portal.EINVALID, err, msgDamaged)
	}

	var buf bytes.Buffer
	if k == JPEG {
		// Re-encoding drops the EXIF orientation with the rest of the
		// metadata, so the pixels are turned upright first; otherwise
		// phone photos would be stored on their side.
		img = orient(img, exifOrientation(data))
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	} else {
		// The default compression: BestCompression costs several times
		// the CPU for a few percent.
		err = png.Encode(&buf, img)
	}
	if err != nil {
		return nil, portal.Wrap(portal.EINVALID, err, msgDamaged)
	}
	return newDocument(k, buf.Bytes())
}

// newDocument builds the Document for bytes about to be stored. The size
// is checked again because a re-encoded image can outgrow its original
// (a PNG saved with a stronger compressor than Go's, say).
func newDocument(k Kind, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, invalid(msgTooBig)
	}
	sum := sha256.Sum256(data)
	return &Document{
		Kind:   k,
		Data:   data,
		SHA256: hex.EncodeToString(sum[:]),
		Size:   int64(len(data)),
	}, nil
}

func invalid(msg string) error {
	return portal.Errorf(portal.EINVALID, "%s", msg)
}
