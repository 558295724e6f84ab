package backup

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"micuenta/internal/config"
	"micuenta/internal/store"
)

// Run makes a backup of db (SQLite only) and of the documents under
// documentsDir ("" or a missing or empty directory: none) in outDir,
// stamped with now, and then deletes the oldest backups in outDir beyond
// keep (0 keeps them all). The portal may keep serving meanwhile. It is
// what both `micuenta backup` and serve's daily backup call.
func Run(ctx context.Context, db *store.DB, documentsDir, outDir string, keep int, now time.Time, version string) (*Manifest, error) {
	if db.Engine() != config.SQLite {
		return nil, &InputError{store.ErrNotSQLite}
	}
	if keep < 0 {
		return nil, unusable("keep %d: give how many backups to keep, at least 1 (0 keeps them all)", keep)
	}
	if inside(outDir, documentsDir) {
		return nil, unusable("the backup directory %s is inside the documents directory %s: each backup would be archived into the next; choose a directory outside it", outDir, documentsDir)
	}
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return nil, unusable("cannot create the backup directory %s: %v; choose a writable directory", outDir, unwrapPath(err))
	}
	now = now.UTC().Truncate(time.Second)
	names := namesFor(now.Format(stampLayout))
	for _, n := range names.all() {
		if _, err := os.Lstat(filepath.Join(outDir, n)); err == nil {
			return nil, fmt.Errorf("%s already exists in %s: another backup was taken in the same second; run again", n, outDir)
		}
	}
	m := &Manifest{Format: Format, CreatedAt: now, Version: version, Engine: string(config.SQLite), Path: filepath.Join(outDir, names.manifest)}

	// Until the manifest exists the files written are not a backup; on
	// failure they go, so a retry starts clean.
	var written []string
	ok := false
	defer func() {
		if !ok {
			for _, n := range written {
				os.Remove(filepath.Join(outDir, n))
			}
		}
	}()

	dbFile, err := copyDatabase(ctx, db, outDir, names.db, m)
	if err != nil {
		return nil, err
	}
	written = append(written, dbFile.Name)
	m.Files = append(m.Files, dbFile)

	// The documents are archived after the database snapshot, so every
	// document the copied database refers to is already on disk (the
	// portal stores a file before the row that names it). A document
	// added later is archived without its row, which is harmless.
	if documentsDir != "" {
		docs, err := writeAtomic(outDir, names.docs, KindDocuments, func(w io.Writer) error {
			var err error
			m.Documents, m.DocumentsSize, err = archiveDocuments(ctx, documentsDir, w)
			return err
		})
		switch {
		case errors.Is(err, errNothing):
		case err != nil:
			return nil, fmt.Errorf("archiving the documents in %s: %w", documentsDir, err)
		default:
			written = append(written, docs.Name)
			m.Files = append(m.Files, docs)
		}
	}

	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	body = append(body, '\n')
	if _, err := writeAtomic(outDir, names.manifest, "", func(w io.Writer) error { _, err := w.Write(body); return err }); err != nil {
		return nil, err
	}
	written = append(written, names.manifest)
	// The sha256sum format, so `sha256sum -c` checks the manifest too.
	sum := fmt.Sprintf("%s  %s\n", sha256Hex(body), names.manifest)
	if _, err := writeAtomic(outDir, names.sum, "", func(w io.Writer) error { _, err := io.WriteString(w, sum); return err }); err != nil {
		return nil, err
	}
	ok = true

	removed, err := prune(outDir, keep, names.manifest)
	m.Removed = removed
	if err != nil {
		return m, fmt.Errorf("the backup %s is complete, but removing older backups failed: %w", names.manifest, err)
	}
	return m, nil
}

// copyDatabase snapshots the database with VACUUM INTO to a temporary file
// in outDir and gzips it into name; it records the schema version and size
// in m. The snapshot is taken in outDir rather than in a system temporary
// directory, which may be a small in-memory file system.
func copyDatabase(ctx context.Context, db *store.DB, outDir, name string, m *Manifest) (File, error) {
	raw, err := os.CreateTemp(outDir, tempPrefix+name+".raw-*")
	if err != nil {
		return File{}, unusable("cannot write in the backup directory %s: %v; choose a writable directory", outDir, unwrapPath(err))
	}
	rawPath := raw.Name()
	raw.Close()
	defer func() {
		os.Remove(rawPath)
		// VACUUM INTO journals its output; interrupted, it may leave one.
		os.Remove(rawPath + "-journal")
	}()
	if err := db.BackupTo(ctx, rawPath); err != nil {
		return File{}, fmt.Errorf("copying the database: %w", err)
	}
	// The version is read from the copy, so it is the schema of exactly
	// the rows copied even if a migration ran meanwhile.
	info, err := store.InspectSQLiteFile(ctx, rawPath, false)
	if err != nil {
		return File{}, fmt.Errorf("reading the copy of the database: %w", err)
	}
	m.SchemaVersion = info.SchemaVersion
	return writeAtomic(outDir, name, KindDatabase, func(w io.Writer) error {
		in, err := os.Open(rawPath)
		if err != nil {
			return err
		}
		defer in.Close()
		// BestSpeed: the backup shares the CPU with a serving portal, and
		// the sealed (encrypted) columns barely compress at any level.
		zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
		if err != nil {
			return err
		}
		zw.Name = name[:len(name)-len(".gz")]
		zw.ModTime = m.CreatedAt
		n, err := io.Copy(zw, contextReader{ctx, in})
		if err != nil {
			return err
		}
		m.DatabaseSize = n
		return zw.Close()
	})
}

// inside reports whether path is dir or under it.
func inside(path, dir string) bool {
	if dir == "" {
		return false
	}
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && filepath.IsLocal(rel)
}

// contextReader stops a long copy when ctx is cancelled (serve shutting
// down, or ^C).
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
