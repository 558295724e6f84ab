package upload

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Stored is a document file in the store, for the housekeeping sweep.
type Stored struct {
	Name     string
	Modified time.Time
}

// List walks the store and returns its documents (files with a name of
// NewName's form; temporary and foreign files are left out).
func (d *Dir) List(ctx context.Context) ([]Stored, error) {
	var out []Stored
	err := filepath.WalkDir(d.root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if e.IsDir() || !ValidName(e.Name()) {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		out = append(out, Stored{Name: e.Name(), Modified: info.ModTime()})
		return nil
	})
	return out, err
}
