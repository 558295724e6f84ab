package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// archiveDocuments writes the documents under dir to w as a gzipped tar of
// their paths relative to dir ("ab/ab12….pdf"). It returns errNothing when
// dir is missing or holds no document.
//
// The portal writes a document to a hidden temporary file and renames it
// into place, and never changes one after, so every file under a visible
// name is whole and can be copied while the portal serves. Hidden files are
// uploads in progress and are left out; so are symbolic links, which the
// portal never makes and which could pull in files from elsewhere.
func archiveDocuments(ctx context.Context, dir string, w io.Writer) (files int, size int64, err error) {
	switch st, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return 0, 0, errNothing
	case err != nil:
		return 0, 0, err
	case !st.IsDir():
		return 0, 0, fmt.Errorf("%s is not a directory; check --documents-dir", dir)
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return 0, 0, err
	}
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			// A directory removed while walking is not an error.
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if path == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			info, err := d.Info()
			if err != nil {
				return nil // removed meanwhile
			}
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o700, ModTime: info.ModTime()})
		case d.Type().IsRegular():
			n, err := archiveFile(tw, path, name)
			if err != nil {
				return err
			}
			if n >= 0 {
				files++
				size += n
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	if files == 0 {
		return 0, 0, errNothing
	}
	if err := tw.Close(); err != nil {
		return 0, 0, err
	}
	return files, size, zw.Close()
}

// archiveFile adds one document; it returns -1 when the file was deleted
// after the walk saw it (a discarded request), which is not an error.
func archiveFile(tw *tar.Writer, path, name string) (int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}
	if err := tw.WriteHeader(hdr); err != nil {
		return 0, err
	}
	// CopyN: the header promised exactly Size bytes.
	if _, err := io.CopyN(tw, f, st.Size()); err != nil {
		return 0, err
	}
	return st.Size(), nil
}
