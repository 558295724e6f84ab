package backup

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tempPrefix starts every temporary name in a backup directory: hidden,
// and never matching a final name, so a crash leaves a temporary file,
// never a half file under a name that looks like a backup.
const tempPrefix = ".micuenta-"

// errNothing is returned by a fill function that found nothing to write;
// writeAtomic then removes its temporary file and writes no file.
var errNothing = errors.New("nothing to write")

// writeAtomic writes dir/name through fill: to a temporary file that is
// flushed to disk and then renamed, and the directory flushed after it, so
// the name appears only with all its bytes, durably. It returns the file's
// size and SHA-256 as written.
func writeAtomic(dir, name, kind string, fill func(w io.Writer) error) (out File, err error) {
	f, err := os.CreateTemp(dir, tempPrefix+name+".tmp-*")
	if err != nil {
		return out, fmt.Errorf("cannot write in %s: %w", dir, unwrapPath(err))
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(f, h)}
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err = fill(bw); err != nil {
		return out, err
	}
	if err = bw.Flush(); err != nil {
		return out, fmt.Errorf("writing %s: %w", name, err)
	}
	if err = f.Sync(); err != nil {
		return out, fmt.Errorf("writing %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return out, fmt.Errorf("writing %s: %w", name, err)
	}
	final := filepath.Join(dir, name)
	if err = os.Rename(tmp, final); err != nil {
		return out, fmt.Errorf("writing %s: %w", name, err)
	}
	if err = syncDir(dir); err != nil {
		os.Remove(final)
		return out, fmt.Errorf("writing %s: %w", name, err)
	}
	return File{Name: name, Kind: kind, Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// syncDir flushes a directory, which makes the renames and removals in it
// durable.
func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
