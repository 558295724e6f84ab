package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// docPlan is a checked documents archive: every entry is safe, and every
// file either is new, is already present with the same bytes (skipped),
// or may be replaced (force).
type docPlan struct {
	archive, dir string
	skip         map[string]bool
	unchanged    int
}

// planDocuments reads the whole archive once before anything is written,
// so a bad entry, a damaged stream or a conflicting file refuses the
// restore instead of stopping it half-way.
func planDocuments(ctx context.Context, archive, dir string, force bool) (*docPlan, error) {
	p := &docPlan{archive: archive, dir: dir, skip: map[string]bool{}}
	var root *os.Root
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return nil, unusable("--documents-dir %s is not a directory", dir)
		}
		if root, err = os.OpenRoot(dir); err != nil {
			return nil, unusable("cannot open --documents-dir %s: %v", dir, unwrapPath(err))
		}
		defer root.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, unusable("cannot use --documents-dir %s: %v", dir, unwrapPath(err))
	}
	var conflicts []string
	err := eachEntry(ctx, archive, func(hdr *tar.Header, name string, body io.Reader) error {
		if root == nil {
			return nil
		}
		st, err := root.Lstat(filepath.FromSlash(name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return unusable("cannot check %s in %s: %v", name, dir, unwrapPath(err))
		case hdr.Typeflag == tar.TypeDir:
			if !st.IsDir() {
				return unusable("%s in %s is not a directory, but the backup has a directory there; move it aside and run again", name, dir)
			}
			return nil
		case !st.Mode().IsRegular():
			return unusable("%s in %s is not a regular file, but the backup has a document there; move it aside and run again", name, dir)
		}
		same, err := sameBytes(root, name, st.Size(), hdr.Size, body)
		if err != nil {
			return err
		}
		if same {
			p.skip[name] = true
			p.unchanged++
		} else {
			conflicts = append(conflicts, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(conflicts) > 0 && !force {
		return nil, unusable("%d document(s) in %s differ from the backup (first: %s): restore into an empty directory, or run again with --force to replace them", len(conflicts), dir, conflicts[0])
	}
	return p, nil
}

// sameBytes reports whether the file name under root holds exactly the
// bytes of body.
func sameBytes(root *os.Root, name string, have, want int64, body io.Reader) (bool, error) {
	if have != want {
		return false, nil
	}
	f, err := root.Open(filepath.FromSlash(name))
	if err != nil {
		return false, err
	}
	defer f.Close()
	a, b := sha256.New(), sha256.New()
	if _, err := io.Copy(a, f); err != nil {
		return false, err
	}
	if _, err := io.Copy(b, body); err != nil {
		return false, unusable("the documents archive is damaged (%v): use another backup", err)
	}
	return bytes.Equal(a.Sum(nil), b.Sum(nil)), nil
}

// extract writes the planned documents, each through a hidden temporary
// file that is flushed and renamed (as the portal itself stores them), and
// returns how many it wrote. os.Root keeps every write inside dir even if
// something in it is a symbolic link.
func (p *docPlan) extract(ctx context.Context) (int, error) {
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return 0, err
	}
	root, err := os.OpenRoot(p.dir)
	if err != nil {
		return 0, err
	}
	defer root.Close()
	written := 0
	dirs := map[string]bool{".": true}
	err = eachEntry(ctx, p.archive, func(hdr *tar.Header, name string, body io.Reader) error {
		local := filepath.FromSlash(name)
		if hdr.Typeflag == tar.TypeDir {
			dirs[local] = true
			return root.MkdirAll(local, 0o700)
		}
		if p.skip[name] {
			return nil
		}
		parent := filepath.Dir(local)
		if err := root.MkdirAll(parent, 0o700); err != nil {
			return err
		}
		dirs[parent] = true
		tmp := filepath.Join(parent, ".restore-"+filepath.Base(local))
		f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, body)
		err = errors.Join(err, f.Sync(), f.Close())
		if err == nil {
			err = root.Rename(tmp, local)
		}
		if err != nil {
			root.Remove(tmp)
			return err
		}
		written++
		return root.Chtimes(local, hdr.ModTime, hdr.ModTime)
	})
	if err != nil {
		return written, err
	}
	// The renames are durable once their directories are flushed.
	for d := range dirs {
		if err := syncRootDir(root, d); err != nil {
			return written, err
		}
	}
	return written, nil
}

func syncRootDir(root *os.Root, name string) error {
	d, err := root.Open(name)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// eachEntry reads the gzipped tar at archive and calls fn for every entry,
// with its checked name; fn may read the body of a file.
func eachEntry(ctx context.Context, archive string, fn func(hdr *tar.Header, name string, body io.Reader) error) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return unusable("%s: %v", filepath.Base(archive), damagedGzip(err))
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return unusable("%s is damaged (%v): use another backup", filepath.Base(archive), err)
		}
		name, err := entryName(hdr)
		if err != nil {
			return unusable("%s: %v", filepath.Base(archive), err)
		}
		if err := fn(hdr, name, tr); err != nil {
			var ie *InputError
			if !errors.As(err, &ie) && isArchiveError(err) {
				return unusable("%s is damaged (%v): use another backup", filepath.Base(archive), err)
			}
			return err
		}
	}
}

// isArchiveError tells a damaged stream, met while reading an entry's
// body, from a failure to write.
func isArchiveError(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, tar.ErrHeader)
}

// entryName checks an entry before anything acts on it: only files and
// directories, under a relative name that stays inside the documents
// directory. A backup made by micuenta never has anything else, so
// anything else means the archive is not one and is refused whole.
func entryName(hdr *tar.Header) (string, error) {
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeDir:
	case tar.TypeSymlink, tar.TypeLink:
		return "", fmt.Errorf("entry %q is a link; a documents archive holds only files and directories, so it is refused", hdr.Name)
	default:
		return "", fmt.Errorf("entry %q is a special file (type %q); a documents archive holds only files and directories, so it is refused", hdr.Name, hdr.Typeflag)
	}
	name := strings.TrimSuffix(hdr.Name, "/")
	parts := strings.Split(name, "/")
	if name == "" || path.IsAbs(name) || filepath.IsAbs(name) || strings.Contains(name, `\`) ||
		slices.Contains(parts, "..") || !filepath.IsLocal(filepath.FromSlash(name)) {
		return "", fmt.Errorf("entry %q has an absolute path or '..': it would write outside the documents directory, so the archive is refused", hdr.Name)
	}
	return path.Clean(name), nil
}
