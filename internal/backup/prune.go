package backup

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// debrisAge is how long a file of an unfinished backup (a temporary file,
// or a data file without a manifest) is left alone before prune deletes
// it: far longer than any backup takes, so one still running beside this
// one (serve's daily backup and a manual one, say) keeps its files.
const debrisAge = 24 * time.Hour

type backupSet struct {
	stamp, manifest string
	at              time.Time
}

// prune deletes the oldest backups in dir beyond the newest keep (0: none
// deleted), ordered by their manifests' created_at, and the debris of runs
// that never finished. It returns the manifests of the backups deleted.
// The backup just made (current) always stays, even if a clock set back
// makes it look older than the others: a run never deletes its own work.
func prune(dir string, keep int, current string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var sets []backupSet
	complete := map[string]bool{}
	for _, e := range entries {
		m := manifestName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		sets = append(sets, backupSet{stamp: m[1], manifest: e.Name(), at: createdAt(dir, e.Name(), m[1])})
		complete[m[1]] = true
	}
	sort.Slice(sets, func(i, j int) bool {
		if (sets[i].manifest == current) != (sets[j].manifest == current) {
			return sets[i].manifest == current
		}
		if !sets[i].at.Equal(sets[j].at) {
			return sets[i].at.After(sets[j].at)
		}
		return sets[i].stamp > sets[j].stamp
	})
	var removed []string
	var errs []error
	if keep > 0 && len(sets) > keep {
		for _, s := range sets[keep:] {
			if err := removeSet(dir, s); err != nil {
				errs = append(errs, err)
				continue
			}
			removed = append(removed, s.manifest)
		}
	}
	// File mtimes are on the wall clock, whatever time the backup was
	// stamped with.
	cutoff := time.Now().Add(-debrisAge)
	for _, e := range entries {
		name := e.Name()
		m := setFileName.FindStringSubmatch(name)
		if !strings.HasPrefix(name, tempPrefix) && (m == nil || complete[m[1]]) {
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := syncDir(dir); err != nil {
		errs = append(errs, err)
	}
	return removed, errors.Join(errs...)
}

// createdAt is when a backup was made, from its manifest, or from its
// name when the manifest cannot be read.
func createdAt(dir, manifest, stamp string) time.Time {
	var m Manifest
	if body, err := os.ReadFile(filepath.Join(dir, manifest)); err == nil && json.Unmarshal(body, &m) == nil && !m.CreatedAt.IsZero() {
		return m.CreatedAt
	}
	t, _ := time.Parse(stampLayout, stamp)
	return t
}

// removeSet deletes one backup. The manifest goes first: a crash part-way
// then leaves debris that a later prune clears, never a manifest whose
// files are gone.
func removeSet(dir string, s backupSet) error {
	names := namesFor(s.stamp)
	files := []string{names.manifest, names.sum, names.db, names.docs}
	var m Manifest
	if body, err := os.ReadFile(filepath.Join(dir, s.manifest)); err == nil && json.Unmarshal(body, &m) == nil {
		for _, f := range m.Files {
			// Only names of this set: a manifest is not trusted to name
			// what gets deleted.
			if sm := setFileName.FindStringSubmatch(f.Name); sm != nil && sm[1] == s.stamp {
				files = append(files, f.Name)
			}
		}
	}
	for _, n := range files {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
