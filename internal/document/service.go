package document

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"micuenta/internal/audit"
	"micuenta/internal/portal"
)

// Audit actions.
const (
	AuditIssued     = "document.issued"     // a new folio
	AuditDownloaded = "document.downloaded" // an issued document again
)

// Store keeps the issued documents.
type Store interface {
	// InsertIssuedDocument records a document; ECONFLICT when its folio,
	// or its key and generation, are taken.
	InsertIssuedDocument(ctx context.Context, d *Issued) error
	// LatestIssuedDocument is the newest generation of a key; ENOTFOUND
	// when none.
	LatestIssuedDocument(ctx context.Context, key string) (*Issued, error)
	// IssuedDocument finds a document by folio; ENOTFOUND when none.
	IssuedDocument(ctx context.Context, folio string) (*Issued, error)
	// NewerIssuedDocument reports whether a document of the same kind,
	// holder, credit and detail was issued after d.
	NewerIssuedDocument(ctx context.Context, d *Issued) (bool, error)
	// HasIssuedDocument reports whether any document of kind was issued
	// to the person for the credit.
	HasIssuedDocument(ctx context.Context, personID int64, creditNumber, kind string) (bool, error)
}

// Limiter counts hits per key in fixed windows (account.Limiter).
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error)
}

// Auditor records security and data-access events (audit.Log).
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Deps are what the Service works with.
type Deps struct {
	Tx      portal.TxRunner
	Store   Store
	Audit   Auditor
	Limiter Limiter
	// BaseURL is the site's configured public address; empty when none
	// is configured, and then each request's own scheme and host are used.
	BaseURL string
	Now     func() time.Time
	Rand    io.Reader // folios' randomness; crypto/rand when nil
}

// Service issues and verifies documents.
type Service struct{ d Deps }

// NewService builds the service.
func NewService(d Deps) *Service {
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	return &Service{d: d}
}

// ComparisonsPerHour bounds the file and hash checks one address may
// make at /verificar in an hour.
const ComparisonsPerHour = 30

// Request is a document to issue.
type Request struct {
	Kind         string
	PersonID     int64
	AccountID    int64 // who asked, for the audit log
	CreditNumber string
	Detail       string
	Holder       string // the holder's full name; only its mask is kept
	// Layout names the drawing code's version: change it whenever the PDF
	// a given input draws changes, so the change makes new folios instead
	// of files that no longer match their record.
	Layout string
	// Inputs are everything the PDF is drawn from besides the folio, the
	// issue time, the validity and the verification address, in a
	// deterministic encoding (the document's JSON).
	Inputs []byte
	// ValidDays: the document is valid through the issue day plus this
	// many days (Mexico City); 0: no expiry.
	ValidDays int
	// Origin is the request's scheme and host ("https://portal.example"),
	// used for the verification address when no BaseURL is configured.
	Origin        string
	IP, UserAgent string
}

// Draw renders a document for its record: the folio, issue time and
// validity to print and the address the QR code points to.
type Draw func(d *Issued, verifyURL string) ([]byte, error)

// VerifyURL is the public address where a folio is checked.
func (s *Service) VerifyURL(origin, folio string) string {
	base := s.d.BaseURL
	if base == "" {
		base = strings.TrimRight(origin, "/")
	}
	return base + "/verificar/" + folio
}

// Issue returns the document for req: the one already issued for the same
// key, drawn again (byte for byte the same), or, the first time — or once
// the earlier one expired — a new one with a new folio, recorded with its
// SHA-256. Each call is audited.
func (s *Service) Issue(ctx context.Context, req Request, draw Draw) (*Issued, []byte, error) {
	if req.Kind == "" || req.PersonID == 0 || req.Layout == "" {
		return nil, nil, fmt.Errorf("document: incomplete request %q", req.Kind)
	}
	key := s.key(req)
	for attempt := 0; attempt < 4; attempt++ {
		now := s.d.Now().UTC().Truncate(time.Second)
		gen := 0
		prev, err := s.d.Store.LatestIssuedDocument(ctx, key)
		switch {
		case err == nil:
			if !prev.Expired(portal.DateOf(now)) {
				pdf, err := draw(prev, s.VerifyURL(req.Origin, prev.Folio))
				if err != nil {
					return nil, nil, err
				}
				if sum := sha256.Sum256(pdf); hex.EncodeToString(sum[:]) == prev.SHA256 {
					err := s.d.Audit.Record(ctx, audit.Entry{Action: AuditDownloaded, AccountID: req.AccountID, PersonID: req.PersonID,
						IP: req.IP, UserAgent: req.UserAgent, Detail: req.Kind + " " + prev.Folio})
					return prev, pdf, err
				}
				// Drawn differently than when issued (the drawing changed
				// without a new Layout): the old folio keeps vouching for
				// the old file, and this one gets its own.
			}
			gen = prev.Generation + 1
		case portal.ErrorCode(err) != portal.ENOTFOUND:
			return nil, nil, err
		}
		folio, err := NewFolio(s.d.Rand)
		if err != nil {
			return nil, nil, fmt.Errorf("document: folio: %w", err)
		}
		d := &Issued{Folio: folio, Kind: req.Kind, PersonID: req.PersonID, CreditNumber: req.CreditNumber, Detail: req.Detail,
			IssuedAt: now, HolderMasked: MaskName(req.Holder), Key: key, Generation: gen}
		if req.ValidDays > 0 {
			d.ValidUntil = portal.DateOf(now).AddDays(req.ValidDays)
		}
		pdf, err := draw(d, s.VerifyURL(req.Origin, folio))
		if err != nil {
			return nil, nil, err
		}
		sum := sha256.Sum256(pdf)
		d.SHA256 = hex.EncodeToString(sum[:])
		err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.d.Store.InsertIssuedDocument(ctx, d); err != nil {
				return err
			}
			return s.d.Audit.Record(ctx, audit.Entry{Action: AuditIssued, AccountID: req.AccountID, PersonID: req.PersonID,
				IP: req.IP, UserAgent: req.UserAgent, Detail: req.Kind + " " + folio})
		})
		if portal.ErrorCode(err) == portal.ECONFLICT {
			continue // someone issued the same document meanwhile: take theirs
		}
		if err != nil {
			return nil, nil, err
		}
		return d, pdf, nil
	}
	return nil, nil, portal.Errorf(portal.EUNAVAILABLE, "No pudimos generar tu documento en este momento. Intenta de nuevo en unos minutos.")
}

// key identifies what a document is drawn from.
func (s *Service) key(req Request) string {
	h := sha256.New()
	base := s.d.BaseURL
	if base == "" {
		base = strings.TrimRight(req.Origin, "/")
	}
	for _, part := range []string{"micuenta-document-v1", req.Kind, req.Layout, strconv.FormatInt(req.PersonID, 10), req.CreditNumber,
		req.Detail, req.Holder, base, strconv.Itoa(req.ValidDays)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(req.Inputs)
	return hex.EncodeToString(h.Sum(nil))
}

// Verification is what /verificar shows about a folio.
type Verification struct {
	Issued
	KindName   string
	Expired    bool
	Superseded bool // a newer document of the same kind, holder, credit and detail exists
}

// Find looks a folio up (in any form ParseFolio reads); ENOTFOUND when it
// is malformed or unknown, the same answer either way.
func (s *Service) Find(ctx context.Context, folio string) (*Verification, error) {
	f, err := ParseFolio(folio)
	if err != nil {
		f = "" // still ask the store, so a malformed folio takes as long as an unknown one
	}
	d, err := s.d.Store.IssuedDocument(ctx, f)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		// The same second query a known folio makes, so an unknown one
		// answers in about the same time.
		_, _ = s.d.Store.NewerIssuedDocument(ctx, &Issued{Folio: f})
		return nil, errUnknownFolio
	}
	if err != nil {
		return nil, err
	}
	v := &Verification{Issued: *d, KindName: KindNames[d.Kind], Expired: d.Expired(portal.DateOf(s.d.Now()))}
	if v.Superseded, err = s.d.Store.NewerIssuedDocument(ctx, d); err != nil {
		return nil, err
	}
	return v, nil
}

var errUnknownFolio = portal.Errorf(portal.ENOTFOUND, "No encontramos un documento con ese folio. Revisa que lo escribiste completo, como aparece en el documento. Si lo escribiste bien, el documento no fue emitido por Mi Cuenta.")

// unknownSum stands in for the stored hash of an unknown folio, so the
// comparison is made either way.
var unknownSum = make([]byte, sha256.Size)

// AllowComparison counts one comparison from an address: each may make
// ComparisonsPerHour an hour, ERATELIMIT after that. Call it for every
// comparison asked for, before reading what was sent.
func (s *Service) AllowComparison(ctx context.Context, ip string) error {
	ok, _, err := s.d.Limiter.Allow(ctx, "verificar-ip:"+ip, ComparisonsPerHour, time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		return portal.Errorf(portal.ERATELIMIT, "Hiciste demasiadas comprobaciones desde tu conexión. Espera una hora e intenta de nuevo.")
	}
	return nil
}

// Compare checks a file's SHA-256 against the folio's record: matches
// reports whether the file is the one issued. An unknown folio is
// ENOTFOUND after the same work as a known one.
func (s *Service) Compare(ctx context.Context, folio string, sum []byte) (v *Verification, matches bool, err error) {
	v, err = s.Find(ctx, folio)
	stored := unknownSum
	if err == nil {
		if stored, err = hex.DecodeString(v.SHA256); err != nil {
			return nil, false, fmt.Errorf("document: stored hash of %s: %w", v.Folio, err)
		}
	}
	matches = len(sum) == sha256.Size && subtle.ConstantTimeCompare(sum, stored) == 1
	if err != nil {
		return nil, false, err
	}
	return v, matches, nil
}

// ParseSHA256 reads a hash a person pasted: 64 hexadecimal characters,
// in either case, spaces and colons ignored.
func ParseSHA256(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == ':' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	b, err := hex.DecodeString(strings.ToLower(s))
	if err != nil || len(b) != sha256.Size {
		return nil, portal.Errorf(portal.EINVALID, "Escribe la huella SHA-256 completa: 64 caracteres, números del 0 al 9 y letras de la a a la f.")
	}
	return b, nil
}

// HasIssued reports whether a document of kind was issued to the person
// for the credit (the cancellation checklist's "aviso de suspensión
// descargado").
func (s *Service) HasIssued(ctx context.Context, personID int64, creditNumber, kind string) (bool, error) {
	return s.d.Store.HasIssuedDocument(ctx, personID, creditNumber, kind)
}

// Now is the service's clock, for pages that show validity.
func (s *Service) Now() time.Time { return s.d.Now() }
