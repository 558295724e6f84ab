package request

import (
	"context"
	"io"
	"path"
	"strings"
	"time"
	"unicode"

	"micuenta/internal/portal"
	"micuenta/internal/upload"
)

// MaxDocuments bounds the files on one request.
const MaxDocuments = 10

// errNoStorage is what a process without a documents directory (a batch
// command) answers if it is ever asked for a document.
var errNoStorage = portal.Errorf(portal.EUNAVAILABLE, "Los documentos no están disponibles en este momento. Intenta de nuevo más tarde.")

// Document is a file attached to a request. Its bytes are in the document
// storage under StorageName, a name the portal generated; FileName is what
// the file was called on the person's device, cleaned, for display.
type Document struct {
	ID          int64
	RequestID   int64
	StorageName string
	FileName    string
	Kind        upload.Kind
	Size        int64
	SHA256      string
	UploadedBy  Actor
	UploadedAt  time.Time
}

type storedFile struct {
	name string
	up   Upload
}

// storeFiles writes the files to storage before the transaction that
// records them: a crash in between leaves an unreferenced file (harmless,
// never served) rather than a row pointing at nothing.
func (s *Service) storeFiles(ctx context.Context, files []Upload) ([]storedFile, error) {
	if len(files) > 0 && s.files == nil {
		return nil, errNoStorage
	}
	if len(files) > MaxDocuments {
		return nil, portal.Errorf(portal.EINVALID, "Puedes adjuntar hasta %d documentos por trámite.", MaxDocuments)
	}
	var out []storedFile
	for _, f := range files {
		name := upload.NewName(f.Doc.Kind)
		if err := s.files.Put(ctx, name, f.Doc.Data); err != nil {
			s.discard(ctx, out)
			return nil, portal.Wrap(portal.EUNAVAILABLE, err, "No pudimos guardar tu documento. Intenta de nuevo en unos minutos.")
		}
		out = append(out, storedFile{name: name, up: f})
	}
	return out, nil
}

// discard removes stored files whose transaction failed.
func (s *Service) discard(ctx context.Context, files []storedFile) {
	for _, f := range files {
		_ = s.files.Delete(context.WithoutCancel(ctx), f.name)
	}
}

func (s *Service) addDocuments(ctx context.Context, requestID int64, files []storedFile, by Actor, at time.Time) error {
	for _, f := range files {
		d := &Document{RequestID: requestID, StorageName: f.name, FileName: CleanFileName(f.up.FileName, f.up.Doc.Kind),
			Kind: f.up.Doc.Kind, Size: f.up.Doc.Size, SHA256: f.up.Doc.SHA256, UploadedBy: by, UploadedAt: at}
		if err := s.store.AddRequestDocument(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// Answer is the owner's answer to a "requiere información": a message and
// any documents, and the request goes back to review.
func (s *Service) Answer(ctx context.Context, r *Request, message string, files []Upload) error {
	stored, err := s.storeFiles(ctx, files)
	if err != nil {
		return err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		docs, err := s.store.RequestDocuments(ctx, r.ID)
		if err != nil {
			return err
		}
		if len(docs)+len(stored) > MaxDocuments {
			return portal.Errorf(portal.EINVALID, "Puedes adjuntar hasta %d documentos por trámite.", MaxDocuments)
		}
		fresh, err := s.store.FindRequest(ctx, r.Folio)
		if err != nil {
			return err
		}
		if err := s.addDocuments(ctx, r.ID, stored, Owner, s.now().UTC()); err != nil {
			return err
		}
		*r = *fresh
		return s.move(ctx, r, Action{To: EnRevision, Actor: Owner, Message: message})
	})
	if err != nil {
		s.discard(ctx, stored)
	}
	return err
}

// Documents lists a request's files, oldest first.
func (s *Service) Documents(ctx context.Context, r *Request) ([]Document, error) {
	return s.store.RequestDocuments(ctx, r.ID)
}

// OpenDocument returns one of a request's files and its bytes; a file of
// another request is ENOTFOUND.
func (s *Service) OpenDocument(ctx context.Context, r *Request, id int64) (*Document, io.ReadCloser, error) {
	docs, err := s.store.RequestDocuments(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range docs {
		if docs[i].ID == id {
			if s.files == nil {
				return nil, nil, errNoStorage
			}
			rc, err := s.files.Open(ctx, docs[i].StorageName)
			if err != nil {
				return nil, nil, err
			}
			return &docs[i], rc, nil
		}
	}
	return nil, nil, portal.Errorf(portal.ENOTFOUND, "No encontramos ese documento.")
}

// CleanFileName keeps a file name fit to show and to offer as a download
// name: the base name only, letters, digits and a few signs, at most 80
// characters, ending in the extension its content proved.
func CleanFileName(name string, k upload.Kind) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.TrimSuffix(name, path.Ext(name))
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '_' || r == '.':
			b.WriteRune(r)
		}
	}
	clean := strings.Trim(b.String(), " .")
	if r := []rune(clean); len(r) > 80 {
		clean = string(r[:80])
	}
	if clean == "" {
		clean = "documento"
	}
	return clean + k.Ext()
}
