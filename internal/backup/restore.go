package backup

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"micuenta/internal/store"
)

// RestoreOptions says where a backup goes.
type RestoreOptions struct {
	// DBPath is the SQLite file to create, or with Force to replace.
	DBPath string
	// DocumentsDir receives the documents archive; "" leaves it out.
	DocumentsDir string
	// Force replaces an existing database, and documents whose bytes
	// differ from the backup's.
	Force bool
}

// Restored reports what Restore did.
type Restored struct {
	Manifest *Manifest
	// Newest is the newest schema version this binary knows; a backup
	// with an older one is migrated by the next serve or migrate.
	Newest int
	// Documents were written; Unchanged were already there, byte for byte.
	Documents, Unchanged int
	// DocumentsLeft: the backup has documents and no DocumentsDir was
	// given, so they were not restored.
	DocumentsLeft bool
}

// Restore checks the backup described by the manifest at manifestPath and
// restores it. Everything that can refuse is checked first — every
// checksum, the schema version, the target, the documents archive, and a
// full integrity check of the unpacked database beside the target — and
// only then are the documents written and the database renamed over the
// target, which no failure before that point touches. Errors that leave
// nothing changed and need another backup or target are *InputError.
func Restore(ctx context.Context, manifestPath string, opts RestoreOptions) (*Restored, error) {
	m, err := Load(manifestPath)
	if err != nil {
		return nil, err
	}
	newest, err := store.NewestSchemaVersion()
	if err != nil {
		return nil, err
	}
	res := &Restored{Manifest: m, Newest: newest}
	if m.SchemaVersion > newest {
		return nil, newerSchema(m, m.SchemaVersion, newest)
	}
	if err := Verify(m); err != nil {
		return nil, err
	}
	target, err := filepath.Abs(opts.DBPath)
	if err != nil {
		return nil, err
	}
	if err := checkTarget(target, opts.Force); err != nil {
		return nil, err
	}
	var plan *docPlan
	if docs, ok := m.File(KindDocuments); ok {
		if opts.DocumentsDir == "" {
			res.DocumentsLeft = true
		} else if plan, err = planDocuments(ctx, filepath.Join(m.Dir(), docs.Name), opts.DocumentsDir, opts.Force); err != nil {
			return nil, err
		}
	}

	tmp, err := unpackDatabase(ctx, m, target)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp) // gone after the rename; removed on any failure
	info, err := store.InspectSQLiteFile(ctx, tmp, true)
	if err != nil {
		dbFile, _ := m.File(KindDatabase)
		return nil, unusable("the database in %s cannot be read: %v; use another backup", dbFile.Name, err)
	}
	if len(info.Problems) > 0 {
		return nil, unusable("the database in the backup fails PRAGMA integrity_check (%s): use another backup", strings.Join(info.Problems, "; "))
	}
	if info.SchemaVersion > newest {
		return nil, newerSchema(m, info.SchemaVersion, newest)
	}

	if plan != nil {
		if res.Documents, err = plan.extract(ctx); err != nil {
			// %v, not %w: some documents may be written by now, so this
			// is no longer an *InputError that changed nothing.
			return nil, fmt.Errorf("restoring the documents into %s: %v; the database was not restored; fix the cause and run again (documents already written are recognised and kept)", opts.DocumentsDir, err)
		}
		res.Unchanged = plan.unchanged
	}
	// Checked again: the checks above can take minutes on a large
	// database, time enough for someone to start the portal.
	if err := checkTarget(target, opts.Force); err != nil {
		return nil, err
	}
	// A -shm left by the replaced database would describe the old file.
	if err := os.Remove(target + "-shm"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.Rename(tmp, target); err != nil {
		return nil, fmt.Errorf("replacing %s: %w", target, err)
	}
	if err := syncDir(filepath.Dir(target)); err != nil {
		return nil, fmt.Errorf("replacing %s: %w", target, err)
	}
	return res, nil
}

func newerSchema(m *Manifest, have, newest int) error {
	return unusable("the backup's database has schema version %d, newer than this micuenta knows (%d): restore it with the release that made it (%s) or a later one", have, newest, m.Version)
}

// checkTarget refuses a target that is a directory, that exists without
// force, or that has a journal beside it: a -wal or -journal means the
// database is open (or its last user crashed), and SQLite would replay
// that journal into the restored file and corrupt it.
func checkTarget(target string, force bool) error {
	st, err := os.Stat(target)
	switch {
	case err == nil && st.IsDir():
		return unusable("%s is a directory; give the database file, for example --db sqlite:%s", target, filepath.Join(target, "micuenta.db"))
	case err == nil && !force:
		return unusable("%s already exists: restore never replaces a database unless told to; stop the portal, keep a copy of the file if in doubt, and run again with --force", target)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return unusable("cannot use %s: %v", target, unwrapPath(err))
	}
	for _, j := range []string{target + "-wal", target + "-journal"} {
		if _, err := os.Lstat(j); err == nil {
			return unusable("%s exists: a portal or another micuenta may have the database open; stop it first (a clean stop removes that file). If nothing is running, it is left from a crash of the database being replaced: move %s* aside and run again", j, target+"-")
		}
	}
	return nil
}

// unpackDatabase decompresses the backup's database to a temporary file
// beside target, so the final rename is atomic, and returns its path.
func unpackDatabase(ctx context.Context, m *Manifest, target string) (path string, err error) {
	f, _ := m.File(KindDatabase)
	in, err := os.Open(filepath.Join(m.Dir(), f.Name))
	if err != nil {
		return "", err
	}
	defer in.Close()
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", unusable("cannot create %s: %v; choose a writable path with --db sqlite:PATH", dir, unwrapPath(err))
	}
	out, err := os.CreateTemp(dir, "."+filepath.Base(target)+".restore-*")
	if err != nil {
		return "", unusable("cannot write in %s: %v; choose a writable path with --db sqlite:PATH", dir, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(out.Name())
		}
	}()
	n, err := gunzip(ctx, out, in)
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return "", unusable("%s: %v", f.Name, err)
		}
		return "", fmt.Errorf("unpacking %s into %s: %w", f.Name, dir, err)
	}
	if m.DatabaseSize > 0 && n != m.DatabaseSize {
		return "", unusable("%s unpacks to %d bytes, the manifest records %d: use another backup", f.Name, n, m.DatabaseSize)
	}
	if err = out.Sync(); err != nil {
		return "", err
	}
	if err = out.Close(); err != nil {
		return "", err
	}
	return out.Name(), nil
}

// gunzip copies the gzip stream in to w. A stream that is not gzip, cut
// short or fails its CRC is an *InputError; a failure to write is not.
func gunzip(ctx context.Context, w io.Writer, in io.Reader) (int64, error) {
	zr, err := gzip.NewReader(in)
	if err != nil {
		return 0, damagedGzip(err)
	}
	defer zr.Close()
	var n int64
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, rerr := zr.Read(buf)
		if k > 0 {
			if _, err := w.Write(buf[:k]); err != nil {
				return n, err
			}
			n += int64(k)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, damagedGzip(rerr)
		}
	}
}

func damagedGzip(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = errors.New("the file ends early")
	}
	return unusable("not a complete gzip file (%v): it was cut short or damaged before its checksum was taken; use another backup", err)
}
