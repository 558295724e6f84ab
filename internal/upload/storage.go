package upload

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"micuenta/internal/portal"
)

// Storage keeps documents' bytes under names the portal generates.
// Dir is the local implementation; an S3-compatible one can follow.
type Storage interface {
	Put(ctx context.Context, name string, data []byte) error
	Open(ctx context.Context, name string) (io.ReadCloser, error) // portal.ENOTFOUND when absent
	Delete(ctx context.Context, name string) error                // absent is not an error
}

// namePattern is the only form a stored name may take. Nothing else, in
// particular no separator or dot-dot, can reach the file system.
var namePattern = regexp.MustCompile(`^[0-9a-f]{32}\.(pdf|jpg|png)$`)

// NewName returns a fresh random name (128 bits, hex, plus the kind's
// extension), never derived from anything the person sent, so a name can
// neither collide nor be guessed. It panics on an unknown kind: that is a
// bug in the caller, not something a person can cause.
func NewName(k Kind) string {
	ext := k.Ext()
	if ext == "" {
		panic(fmt.Sprintf("upload: NewName of unknown kind %q", string(k)))
	}
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b[:]) + ext
}

// ValidName reports whether name has the form NewName gives.
func ValidName(name string) bool {
	return namePattern.MatchString(name)
}

func checkName(name string) error {
	if !ValidName(name) {
		return portal.Errorf(portal.EINVALID, "El nombre del documento no es válido.")
	}
	return nil
}

// Dir stores files in a directory, each under a two-character
// subdirectory of its name so no single directory grows huge. The
// directory must be outside anything the web server serves.
type Dir struct {
	root string
}

var _ Storage = (*Dir)(nil)

// NewDir opens the store at path, creating it (mode 0700) when missing.
// An existing directory's mode is left as the operator set it.
func NewDir(path string) (*Dir, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("upload: store %s: %w", path, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("upload: store %s: %w", path, err)
	}
	return &Dir{root: abs}, nil
}

// path returns where name lives; name must already be valid.
func (d *Dir) path(name string) string {
	return filepath.Join(d.root, name[:2], name)
}

// Put writes data under name. The bytes go to a temporary file that is
// flushed to disk and then renamed into place, so a crash leaves either
// the whole document or nothing under its name, never a partial one.
func (d *Dir) Put(ctx context.Context, name string, data []byte) (err error) {
	if err := checkName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sub := filepath.Join(d.root, name[:2])
	created := false
	switch err := os.Mkdir(sub, 0o700); {
	case err == nil:
		created = true
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("upload: put %s: %w", name, err)
	}

	// CreateTemp makes the file with mode 0600: readable by the portal
	// alone. The dot prefix keeps it from ever matching namePattern.
	f, err := os.CreateTemp(sub, ".tmp-*")
	if err != nil {
		return fmt.Errorf("upload: put %s: %w", name, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("upload: put %s: %w", name, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("upload: put %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("upload: put %s: %w", name, err)
	}
	if err = os.Rename(tmp, d.path(name)); err != nil {
		return fmt.Errorf("upload: put %s: %w", name, err)
	}
	// The rename, and a new subdirectory, are only durable once their
	// directories are flushed too.
	if err = syncDir(sub); err != nil {
		return fmt.Errorf("upload: put %s: %w", name, err)
	}
	if created {
		if err = syncDir(d.root); err != nil {
			return fmt.Errorf("upload: put %s: %w", name, err)
		}
	}
	return nil
}

// Open returns the document stored under name; the caller closes it.
func (d *Dir) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, portal.Wrap(portal.ENOTFOUND, err, "No encontramos ese documento.")
	}
	if err != nil {
		return nil, fmt.Errorf("upload: open %s: %w", name, err)
	}
	return f, nil
}

// Delete removes the document stored under name. Deleting one already
// gone succeeds, so a retried clean-up does not fail.
func (d *Dir) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := os.Remove(d.path(name))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("upload: delete %s: %w", name, err)
	}
	return nil
}

func syncDir(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
