package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/store"
)

// fixture is one backup made from a small database with documents.
func fixture(t *testing.T) *Manifest {
	t.Helper()
	src := t.TempDir()
	db := seeded(t, src, 30)
	docs := filepath.Join(src, "documentos")
	storeDocuments(t, docs, 4)
	return mustRun(t, db, docs, filepath.Join(src, "out"), 7, time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC))
}

// copySet copies the backup's files to a new directory and returns the
// copy's manifest path, so each case damages its own copy.
func copySet(t *testing.T, m *Manifest) string {
	t.Helper()
	dir := t.TempDir()
	entries, _ := os.ReadDir(m.Dir())
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(m.Dir(), e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600)
	}
	return filepath.Join(dir, filepath.Base(m.Path))
}

// fileOf is the path of the backup's file of a kind.
func fileOf(t *testing.T, manifest, kind string) string {
	t.Helper()
	var m Manifest
	b, _ := os.ReadFile(manifest)
	json.Unmarshal(b, &m)
	m.Path = manifest
	f, ok := m.File(kind)
	if !ok {
		t.Fatalf("no %s file", kind)
	}
	return filepath.Join(m.Dir(), f.Name)
}

// reseal rewrites the manifest after edit, with the files' real sizes and
// checksums and a matching .sha256: a backup damaged before its checksums
// were taken, or a manifest made by another release.
func reseal(t *testing.T, manifest string, edit func(*Manifest)) {
	t.Helper()
	var m Manifest
	b, _ := os.ReadFile(manifest)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for i, f := range m.Files {
		body, _ := os.ReadFile(filepath.Join(filepath.Dir(manifest), f.Name))
		s := sha256.Sum256(body)
		m.Files[i].Size, m.Files[i].SHA256 = int64(len(body)), hex.EncodeToString(s[:])
	}
	if edit != nil {
		edit(&m)
	}
	b, _ = json.MarshalIndent(&m, "", "  ")
	os.WriteFile(manifest, b, 0o600)
	os.WriteFile(manifest+".sha256", []byte(sha256Hex(b)+"  "+filepath.Base(manifest)+"\n"), 0o600)
}

// rewriteDatabase runs statements on the backup's database and reseals
// the backup: a database that was already wrong when it was backed up.
func rewriteDatabase(t *testing.T, manifest string, stmts ...string) {
	t.Helper()
	p := fileOf(t, manifest, KindDatabase)
	raw := filepath.Join(t.TempDir(), "x.db")
	b, _ := os.ReadFile(p)
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	plain.ReadFrom(zr)
	os.WriteFile(raw, plain.Bytes(), 0o600)
	db := openRaw(t, raw)
	db.SetMaxOpenConns(1)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	after, _ := os.ReadFile(raw)
	os.WriteFile(p, gzipBytes(after), 0o600)
	reseal(t, manifest, func(m *Manifest) { m.DatabaseSize = int64(len(after)) })
}

func flipByte(t *testing.T, path string, at int) {
	t.Helper()
	b, _ := os.ReadFile(path)
	if at < 0 {
		at += len(b)
	}
	b[at] ^= 0x55
	os.WriteFile(path, b, 0o600)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// documentsArchive is a documents archive holding the given entries.
func documentsArchive(entries ...*tar.Header) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		if h.Typeflag == tar.TypeReg {
			h.Size = 3
		}
		tw.WriteHeader(h)
		if h.Typeflag == tar.TypeReg {
			tw.Write([]byte("abc"))
		}
	}
	tw.Close()
	return gzipBytes(buf.Bytes())
}

// Every damaged or foreign backup is refused with a message that says
// what is wrong, before anything is written: an existing target (given
// --force, so only the checks stand in the way) keeps its bytes, and
// nothing is left beside it.
func TestRestoreRefusesDamagedBackups(t *testing.T) {
	m := fixture(t)
	newest, _ := store.NewestSchemaVersion()
	cases := []struct {
		name   string
		damage func(t *testing.T, manifest string)
		want   string
	}{
		{"a flipped byte in the database", func(t *testing.T, mf string) { flipByte(t, fileOf(t, mf, KindDatabase), 100) }, "fails its checksum"},
		{"a flipped byte in the documents", func(t *testing.T, mf string) { flipByte(t, fileOf(t, mf, KindDocuments), -20) }, "fails its checksum"},
		{"a truncated database", func(t *testing.T, mf string) {
			p := fileOf(t, mf, KindDatabase)
			st, _ := os.Stat(p)
			os.Truncate(p, st.Size()/2)
		}, "fails its checksum"},
		{"a gzip truncated before its checksums were taken", func(t *testing.T, mf string) {
			p := fileOf(t, mf, KindDatabase)
			st, _ := os.Stat(p)
			os.Truncate(p, st.Size()/2)
			reseal(t, mf, nil)
		}, "not a complete gzip file"},
		{"a documents archive truncated before its checksums were taken", func(t *testing.T, mf string) {
			p := fileOf(t, mf, KindDocuments)
			st, _ := os.Stat(p)
			os.Truncate(p, st.Size()-30)
			reseal(t, mf, nil)
		}, "documentos.tar.gz"},
		{"a manifest from a newer schema", func(t *testing.T, mf string) {
			reseal(t, mf, func(m *Manifest) { m.SchemaVersion = newest + 1 })
		}, fmt.Sprintf("schema version %d, newer than this micuenta knows (%d)", newest+1, newest)},
		{"a database from a newer schema behind an honest-looking manifest", func(t *testing.T, mf string) {
			rewriteDatabase(t, mf, fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'futuro', CURRENT_TIMESTAMP)", newest+1))
		}, "newer than this micuenta knows"},
		{"a database that fails integrity_check", func(t *testing.T, mf string) {
			// A NULL where the schema says NOT NULL, slipped in through
			// writable_schema: a database SQLite opens but must not pass.
			rewriteDatabase(t, mf,
				"PRAGMA writable_schema = ON",
				"UPDATE sqlite_master SET sql = replace(sql, 'kind TEXT NOT NULL', 'kind TEXT') WHERE name = 'notices'",
				"PRAGMA writable_schema = RESET",
				"INSERT INTO notices (person_id, kind, dedup_key, subject, body, created_at) VALUES (1, NULL, 'x', 's', 'b', CURRENT_TIMESTAMP)",
				"PRAGMA writable_schema = ON",
				"UPDATE sqlite_master SET sql = replace(sql, 'kind TEXT,', 'kind TEXT NOT NULL,') WHERE name = 'notices'",
			)
		}, "fails PRAGMA integrity_check (NULL value in notices.kind)"},
		{"a database SQLite cannot read", func(t *testing.T, mf string) {
			p := fileOf(t, mf, KindDatabase)
			b, _ := os.ReadFile(p)
			zr, _ := gzip.NewReader(bytes.NewReader(b))
			var plain bytes.Buffer
			plain.ReadFrom(zr)
			db := plain.Bytes()
			// Scribble over the second half of every page past the first
			// two, keeping the header so it still opens as SQLite.
			for page := 2 * 4096; page+4096 <= len(db); page += 4096 {
				copy(db[page+2048:page+4096], bytes.Repeat([]byte{0xA5}, 2048))
			}
			os.WriteFile(p, gzipBytes(db), 0o600)
			reseal(t, mf, nil)
		}, "use another backup"},
		{"an edited manifest", func(t *testing.T, mf string) {
			b, _ := os.ReadFile(mf)
			os.WriteFile(mf, bytes.Replace(b, []byte(`"micuenta_version": "test"`), []byte(`"micuenta_version": "tost"`), 1), 0o600)
		}, "does not match its checksum"},
		{"a manifest without its .sha256", func(t *testing.T, mf string) { os.Remove(mf + ".sha256") }, "sha256sum"},
		{"a missing database file", func(t *testing.T, mf string) { os.Remove(fileOf(t, mf, KindDatabase)) }, "cannot be read"},
		{"a manifest naming a file elsewhere", func(t *testing.T, mf string) {
			reseal(t, mf, func(m *Manifest) { m.Files[0].Name = "../micuenta.db.gz" })
		}, "not a plain file name"},
		{"a documents entry with ..", func(t *testing.T, mf string) {
			os.WriteFile(fileOf(t, mf, KindDocuments), documentsArchive(&tar.Header{Typeflag: tar.TypeReg, Name: "ab/../../fuera.pdf", Mode: 0o600}), 0o600)
			reseal(t, mf, nil)
		}, "absolute path or '..'"},
		{"a documents entry with an absolute path", func(t *testing.T, mf string) {
			os.WriteFile(fileOf(t, mf, KindDocuments), documentsArchive(&tar.Header{Typeflag: tar.TypeReg, Name: "/tmp/fuera.pdf", Mode: 0o600}), 0o600)
			reseal(t, mf, nil)
		}, "absolute path or '..'"},
		{"a documents entry that is a link", func(t *testing.T, mf string) {
			os.WriteFile(fileOf(t, mf, KindDocuments), documentsArchive(
				&tar.Header{Typeflag: tar.TypeSymlink, Name: "ab", Linkname: "/etc", Mode: 0o777},
				&tar.Header{Typeflag: tar.TypeReg, Name: "ab/passwd", Mode: 0o600}), 0o600)
			reseal(t, mf, nil)
		}, "is a link"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mf := copySet(t, m)
			c.damage(t, mf)
			dst := t.TempDir()
			target := filepath.Join(dst, "micuenta.db")
			old := []byte("la base de datos anterior")
			os.WriteFile(target, old, 0o600)
			docs := filepath.Join(dst, "documentos")
			_, err := Restore(context.Background(), mf, RestoreOptions{DBPath: target, DocumentsDir: docs, Force: true})
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an InputError saying %q", err, c.want)
			}
			if b, _ := os.ReadFile(target); !bytes.Equal(b, old) {
				t.Fatal("the target was changed")
			}
			if entries, _ := os.ReadDir(dst); len(entries) != 1 {
				t.Fatalf("left beside the target: %v", entries)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(dst), "fuera.pdf")); err == nil {
				t.Fatal("a document was written outside the documents directory")
			}
		})
	}
}

// Restore never replaces what is there by accident: an existing database
// needs --force, an open one (a -wal beside it) is refused even then, and
// documents that differ need --force while identical ones are kept.
func TestRestoreTargets(t *testing.T) {
	ctx := context.Background()
	m := fixture(t)
	dst := t.TempDir()
	target := filepath.Join(dst, "micuenta.db")
	docs := filepath.Join(dst, "documentos")
	res, err := Restore(ctx, m.Path, RestoreOptions{DBPath: target})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DocumentsLeft || res.Documents != 0 {
		t.Fatalf("documents restored without a directory: %+v", res)
	}
	if _, err := Restore(ctx, m.Path, RestoreOptions{DBPath: target}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("existing target: %v", err)
	}
	if _, err := Restore(ctx, m.Path, RestoreOptions{DBPath: dst}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("directory target: %v", err)
	}
	os.WriteFile(target+"-wal", []byte("x"), 0o600)
	if _, err := Restore(ctx, m.Path, RestoreOptions{DBPath: target, Force: true}); err == nil || !strings.Contains(err.Error(), "may have the database open") {
		t.Fatalf("target with a -wal: %v", err)
	}
	os.Remove(target + "-wal")

	// Documents: a first restore writes them all; a second finds them
	// identical; a changed one is refused without --force and replaced
	// with it.
	res, err = Restore(ctx, m.Path, RestoreOptions{DBPath: target, DocumentsDir: docs, Force: true})
	if err != nil || res.Documents != 4 {
		t.Fatalf("first documents restore: %+v %v", res, err)
	}
	want := tree(t, docs)
	res, err = Restore(ctx, m.Path, RestoreOptions{DBPath: target, DocumentsDir: docs, Force: true})
	if err != nil || res.Documents != 0 || res.Unchanged != 4 {
		t.Fatalf("second documents restore: %+v %v", res, err)
	}
	var changed string
	for name := range want {
		changed = filepath.Join(docs, name)
		break
	}
	os.WriteFile(changed, []byte("otro contenido"), 0o600)
	os.Remove(target)
	if _, err := Restore(ctx, m.Path, RestoreOptions{DBPath: target, DocumentsDir: docs}); err == nil || !strings.Contains(err.Error(), "1 document(s)") {
		t.Fatalf("changed document: %v", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("the database was restored although the documents were refused")
	}
	res, err = Restore(ctx, m.Path, RestoreOptions{DBPath: target, DocumentsDir: docs, Force: true})
	if err != nil || res.Documents != 1 || res.Unchanged != 3 {
		t.Fatalf("forced documents restore: %+v %v", res, err)
	}
	if fmt.Sprint(tree(t, docs)) != fmt.Sprint(want) {
		t.Fatal("documents differ after the forced restore")
	}
}
