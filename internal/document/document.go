// Package document owns the documents the portal issues with a
// verification folio — the constancia de intereses, the avisos for the
// employer, the carta de cancelación de hipoteca: their folios, the record
// of each one issued (kind, holder, dates, the file's SHA-256) and their
// public verification at /verificar/{folio}. It does not draw PDFs
// (package statement does) nor decide what they say (package credit).
//
// Issuing is idempotent: a document is identified by a key — its kind,
// holder, credit, layout and the exact inputs it is drawn from — and
// asking again for the same key gives the same folio and, drawn again
// with the stored folio and issue time, the same bytes. New inputs (a
// corrected ledger, a changed name) make a new key and so a new folio. A
// document that expires (the carta) is issued anew, with a new folio,
// once it has.
package document

import (
	"crypto/rand"
	"io"
	"strings"
	"time"

	"micuenta/internal/portal"
)

// Kinds of issued documents.
const (
	KindConstancia   = "constancia_intereses"
	KindRetencion    = "aviso_retencion"
	KindModificacion = "aviso_modificacion"
	KindSuspension   = "aviso_suspension"
	KindCarta        = "carta_cancelacion"
)

// KindNames are the kinds as people read them.
var KindNames = map[string]string{
	KindConstancia:   "Constancia de intereses para la declaración anual",
	KindRetencion:    "Aviso de retención de descuentos",
	KindModificacion: "Aviso de modificación de descuentos",
	KindSuspension:   "Aviso de suspensión de descuentos",
	KindCarta:        "Carta de instrucción de cancelación de hipoteca",
}

// Issued is the record of one issued document.
type Issued struct {
	Folio        string
	Kind         string
	PersonID     int64
	CreditNumber string
	Detail       string // what distinguishes it among its kind ("Ejercicio fiscal 2025")
	IssuedAt     time.Time
	ValidUntil   portal.Date // last day it is valid; zero: no expiry
	SHA256       string      // hex, of the PDF as issued
	HolderMasked string      // "J*** P*** L***"
	Key          string      // hex SHA-256 of what the document is drawn from
	Generation   int         // 0, then 1, 2 … for each re-issue of the same key
}

// Expired reports whether the document's validity ended before today.
func (d *Issued) Expired(today portal.Date) bool {
	return !d.ValidUntil.IsZero() && d.ValidUntil.Before(today)
}

// Folios: 20 symbols of Crockford's base 32 (digits and capitals without
// I, L, O, U, so nothing reads as another symbol) — 100 bits from
// crypto/rand — written in five groups of four: "7K2Q-M9XA-RT8H-ZP3W-N6CJ".
const (
	folioAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	folioSymbols  = 20
)

// NewFolio draws a folio from r (crypto/rand.Reader when nil).
func NewFolio(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [13]byte // 104 bits, of which the first 100 are used
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	var out strings.Builder
	var acc uint32
	bits := 0
	i := 0
	for n := 0; n < folioSymbols; n++ {
		for bits < 5 {
			acc = acc<<8 | uint32(b[i])
			i++
			bits += 8
		}
		bits -= 5
		if n > 0 && n%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(folioAlphabet[acc>>bits&31])
	}
	return out.String(), nil
}

// ParseFolio reads a folio as a person may type or scan it — lower case,
// spaces or no hyphens, O for 0 and I or L for 1 — and returns its
// written form. Anything else is EINVALID.
func ParseFolio(s string) (string, error) {
	var sym []byte
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 'Z' || !strings.ContainsRune(folioAlphabet, r) || len(sym) == folioSymbols {
			return "", portal.Errorf(portal.EINVALID, "Escribe el folio completo, como aparece en el documento: 20 letras y números en grupos de cuatro, por ejemplo 7K2Q-M9XA-RT8H-ZP3W-N6CJ.")
		}
		sym = append(sym, byte(r))
	}
	if len(sym) != folioSymbols {
		return "", portal.Errorf(portal.EINVALID, "Escribe el folio completo, como aparece en el documento: 20 letras y números en grupos de cuatro, por ejemplo 7K2Q-M9XA-RT8H-ZP3W-N6CJ.")
	}
	var out strings.Builder
	for i, c := range sym {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(c)
	}
	return out.String(), nil
}

// MaskName shows a name's initials only, each followed by three asterisks
// whatever the word's length: "JUAN PÉREZ LÓPEZ" → "J*** P*** L***". The
// verification page shows it to anyone holding the folio.
func MaskName(full string) string {
	words := strings.Fields(full)
	for i, w := range words {
		r := []rune(w)
		words[i] = string(r[0]) + "***"
	}
	return strings.Join(words, " ")
}
