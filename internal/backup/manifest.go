// Package backup makes and restores micuenta's backups of a SQLite
// database and its documents directory (docs/operations.md). A backup is a
// set of files in one directory sharing a time-stamped prefix:
//
//	micuenta-20261124T031500Z.db.gz                 the database (VACUUM INTO, gzip)
//	micuenta-20261124T031500Z-documentos.tar.gz     the documents (absent when there are none)
//	micuenta-20261124T031500Z-manifest.json         what the set holds, with each file's SHA-256
//	micuenta-20261124T031500Z-manifest.json.sha256  the manifest's own SHA-256 (sha256sum -c format)
//
// The manifest is written last, so a set without one is debris of a run
// that did not finish, never a backup.
package backup

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Format is the manifest format this package writes and reads.
const Format = 1

// The kinds of file a backup holds.
const (
	KindDatabase  = "database"
	KindDocuments = "documents"
)

// Manifest describes one backup.
type Manifest struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	// Version is the micuenta that made the backup.
	Version string `json:"micuenta_version"`
	Engine  string `json:"engine"`
	// SchemaVersion is the highest migration applied to the database
	// copied; a binary that knows fewer migrations cannot serve it.
	SchemaVersion int `json:"schema_version"`
	// DatabaseSize is the uncompressed database's size in bytes.
	DatabaseSize int64 `json:"database_size"`
	// Documents and DocumentsSize count the files in the documents
	// archive and their bytes.
	Documents     int    `json:"documents"`
	DocumentsSize int64  `json:"documents_size"`
	Files         []File `json:"files"`

	// Path is the manifest's file (set by Run and Load).
	Path string `json:"-"`
	// Removed lists the older backups Run deleted to keep N, by manifest
	// name.
	Removed []string `json:"-"`
}

// File is one file of a backup, beside the manifest.
type File struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// File returns the backup's file of a kind, if it has one.
func (m *Manifest) File(kind string) (File, bool) {
	for _, f := range m.Files {
		if f.Kind == kind {
			return f, true
		}
	}
	return File{}, false
}

// Dir is the directory that holds the backup's files.
func (m *Manifest) Dir() string { return filepath.Dir(m.Path) }

// InputError marks a backup, or a restore target, that cannot be used as
// given: a damaged file, a manifest from a newer release, a database that
// already exists. Nothing was changed; the operator chooses another backup
// or target, so the CLI exits 2 for it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func unusable(format string, args ...any) error {
	return &InputError{fmt.Errorf(format, args...)}
}

// stampLayout is the UTC time in every file name of a backup: sortable,
// and free of ':' so it is a valid name everywhere.
const stampLayout = "20060102T150405Z"

// setNames are the file names of the backup taken at stamp.
type setNames struct{ db, docs, manifest, sum string }

func namesFor(stamp string) setNames {
	base := "micuenta-" + stamp
	return setNames{
		db:       base + ".db.gz",
		docs:     base + "-documentos.tar.gz",
		manifest: base + "-manifest.json",
		sum:      base + "-manifest.json.sha256",
	}
}

func (n setNames) all() []string { return []string{n.db, n.docs, n.manifest, n.sum} }

var (
	manifestName = regexp.MustCompile(`^micuenta-(\d{8}T\d{6}Z)-manifest\.json$`)
	// setFileName matches any final name of a backup set, for pruning.
	setFileName = regexp.MustCompile(`^micuenta-(\d{8}T\d{6}Z)(\.db\.gz|-documentos\.tar\.gz|-manifest\.json|-manifest\.json\.sha256)$`)
)

// Load reads the manifest at path after checking it against its .sha256
// file, and validates it. It does not look at the files it lists; Verify
// does.
func Load(path string) (*Manifest, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, unusable("cannot read the manifest: %v; give the path of a micuenta-…-manifest.json file", unwrapPath(err))
	}
	sumPath := path + ".sha256"
	sumText, err := os.ReadFile(sumPath)
	if err != nil {
		return nil, unusable("cannot read %s (%v): every manifest has its checksum beside it; copy it together with the backup, or, if you trust this manifest, recreate it with `sha256sum %s > %s`",
			filepath.Base(sumPath), unwrapPath(err), filepath.Base(path), filepath.Base(sumPath))
	}
	want, _, _ := strings.Cut(strings.TrimSpace(string(sumText)), " ")
	if got := sha256Hex(body); !strings.EqualFold(want, got) {
		return nil, unusable("%s does not match its checksum in %s (SHA-256 %s, expected %s): the manifest is damaged or was edited; use another backup",
			filepath.Base(path), filepath.Base(sumPath), got, want)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil {
		return nil, unusable("%s is not a micuenta backup manifest: %v", filepath.Base(path), err)
	}
	m.Path = path
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// validate refuses manifests this binary cannot act on safely.
func (m *Manifest) validate() error {
	name := filepath.Base(m.Path)
	switch {
	case m.Format > Format:
		return unusable("%s has format %d, newer than this micuenta reads (%d): restore it with the release that made it (%s) or a later one", name, m.Format, Format, m.Version)
	case m.Format < 1:
		return unusable("%s is not a micuenta backup manifest (no format)", name)
	case m.Engine != "sqlite":
		return unusable("%s describes a %q backup; micuenta restores SQLite backups only", name, m.Engine)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		// A listed name is opened beside the manifest: it must be a plain
		// name there, never a path that reaches elsewhere.
		if f.Name == "" || f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." || strings.ContainsAny(f.Name, `/\`) {
			return unusable("%s lists a file %q that is not a plain file name; the manifest was not made by micuenta backup", name, f.Name)
		}
		if f.Kind != KindDatabase && f.Kind != KindDocuments {
			return unusable("%s lists %s of unknown kind %q; restore it with a newer micuenta", name, f.Name, f.Kind)
		}
		if seen[f.Kind] {
			return unusable("%s lists two files of kind %s", name, f.Kind)
		}
		seen[f.Kind] = true
	}
	if !seen[KindDatabase] {
		return unusable("%s lists no database file", name)
	}
	return nil
}

// Verify checks every file the manifest lists: present, of the recorded
// size, with the recorded SHA-256.
func Verify(m *Manifest) error {
	for _, f := range m.Files {
		path := filepath.Join(m.Dir(), f.Name)
		file, err := os.Open(path)
		if err != nil {
			return unusable("%s, listed in the manifest, cannot be read: %v; copy the whole backup set into one directory", f.Name, unwrapPath(err))
		}
		h := sha256.New()
		n, err := io.Copy(h, file)
		file.Close()
		if err != nil {
			return fmt.Errorf("reading %s: %w", path, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); n != f.Size || got != f.SHA256 {
			return unusable("%s fails its checksum (SHA-256 %s and %d bytes; the manifest records %s and %d bytes): the file is damaged or incomplete; use another backup", f.Name, got, n, f.SHA256, f.Size)
		}
	}
	return nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
