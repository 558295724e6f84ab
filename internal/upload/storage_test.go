package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"micuenta/internal/portal"
)

func newTestDir(t *testing.T) (*Dir, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "documentos")
	d, err := NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	return d, root
}

func TestDirPutOpen(t *testing.T) {
	ctx := context.Background()
	d, root := newTestDir(t)

	doc, err := Check(bytes.NewReader(makePDF(t)))
	if err != nil {
		t.Fatal(err)
	}
	name := NewName(doc.Kind)
	if err := d.Put(ctx, name, doc.Data); err != nil {
		t.Fatal(err)
	}

	rc, err := d.Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, doc.Data) {
		t.Fatal("Open returned other bytes than Put stored")
	}
	if sum := sha256.Sum256(got); hex.EncodeToString(sum[:]) != doc.SHA256 {
		t.Error("stored bytes do not match the document's SHA256")
	}

	// Layout and modes: only the portal's user may read anything.
	for path, want := range map[string]os.FileMode{
		root:                                0o700 | os.ModeDir,
		filepath.Join(root, name[:2]):       0o700 | os.ModeDir,
		filepath.Join(root, name[:2], name): 0o600,
	} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, name[:2]))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		t.Errorf("subdirectory holds %v, want only %s (no temporary files left)", entries, name)
	}
}

func TestDirDelete(t *testing.T) {
	ctx := context.Background()
	d, _ := newTestDir(t)
	name := NewName(PNG)

	if err := d.Delete(ctx, name); err != nil {
		t.Errorf("deleting an absent document: %v", err)
	}
	if err := d.Put(ctx, name, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, name); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("Open after Delete: %v, want %s", err, portal.ENOTFOUND)
	}
	if err := d.Delete(ctx, name); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestDirOpenAbsent(t *testing.T) {
	d, _ := newTestDir(t)
	rc, err := d.Open(context.Background(), NewName(JPEG))
	if portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("err = %v, want %s", err, portal.ENOTFOUND)
	}
	if rc != nil {
		t.Error("got a reader with the error")
	}
}

func TestDirRefusesForeignNames(t *testing.T) {
	ctx := context.Background()
	d, root := newTestDir(t)
	// A file just outside the store, which traversal would reach.
	outside := filepath.Join(filepath.Dir(root), "secreto.pdf")
	if err := os.WriteFile(outside, []byte("%PDF-secreto"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := NewName(PDF)

	for _, name := range []string{
		"",
		"../x",
		"../secreto.pdf",
		"a/b",
		"../../etc/passwd",
		"/etc/passwd",
		"..",
		".",
		good[:2] + "/" + good,
		"../" + good,
		strings.ToUpper(good[:32]) + ".pdf",
		good[:31] + ".pdf",
		good[:32] + "0.pdf",
		good[:32] + ".exe",
		good[:32] + ".pdf\x00",
		good[:32] + ".pdf/",
		good + "\n",
		"comprobante.pdf",
	} {
		if err := d.Put(ctx, name, []byte("x")); portal.ErrorCode(err) != portal.EINVALID {
			t.Errorf("Put(%q) = %v, want %s", name, err, portal.EINVALID)
		}
		if rc, err := d.Open(ctx, name); portal.ErrorCode(err) != portal.EINVALID {
			if rc != nil {
				rc.Close()
			}
			t.Errorf("Open(%q) = %v, want %s", name, err, portal.EINVALID)
		}
		if err := d.Delete(ctx, name); portal.ErrorCode(err) != portal.EINVALID {
			t.Errorf("Delete(%q) = %v, want %s", name, err, portal.EINVALID)
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("the file outside the store was touched: %v", err)
	}
}

func TestDirCanceled(t *testing.T) {
	d, _ := newTestDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	name := NewName(PDF)
	if err := d.Put(ctx, name, []byte("x")); err == nil {
		t.Error("Put with a canceled context succeeded")
	}
	if _, err := d.Open(ctx, name); err == nil {
		t.Error("Open with a canceled context succeeded")
	}
}

func TestNewName(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range []Kind{PDF, JPEG, PNG} {
		for range 1000 {
			n := NewName(k)
			if !ValidName(n) || !namePattern.MatchString(n) {
				t.Fatalf("NewName(%s) = %q does not match %s", k, n, namePattern)
			}
			if !strings.HasSuffix(n, k.Ext()) {
				t.Fatalf("NewName(%s) = %q, want extension %s", k, n, k.Ext())
			}
			if seen[n] {
				t.Fatalf("NewName repeated %q", n)
			}
			seen[n] = true
		}
	}

	defer func() {
		if recover() == nil {
			t.Error("NewName of an unknown kind did not panic")
		}
	}()
	NewName(Kind("exe"))
}
