package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// getRoutes lists every GET route the two sites register, read from the Go
// sources under internal/ (tests excluded), as "site GET /pattern": site is
// "admin" for the back office (internal/admin) and "portal" for the rest.
// A pattern built from a constant ("GET "+applicationPath) is resolved in
// its package; one built from a variable ("GET /a/"+name, one route per
// name) ends in "…" and is a family of routes.
func getRoutes(t *testing.T) []string {
	t.Helper()
	literal := regexp.MustCompile(`Handle(?:Func)?\("GET ([^"]+)"(\s*\+\s*\w+)?`)
	fromConst := regexp.MustCompile(`Handle(?:Func)?\("GET "\s*\+\s*(\w+)`)
	constDecl := regexp.MustCompile(`(?m)^\s*(?:const\s+)?(\w+)\s*=\s*"([^"]*)"`)
	root := filepath.Join("..", "internal")
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		site := "portal"
		if strings.HasPrefix(filepath.ToSlash(path), "../internal/admin/") {
			site = "admin"
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			pattern := m[1]
			if m[2] != "" {
				pattern += "…"
			}
			seen[site+" GET "+pattern] = true
		}
		for _, m := range fromConst.FindAllStringSubmatch(string(src), -1) {
			value := constantIn(t, filepath.Dir(path), m[1], constDecl)
			seen[site+" GET "+value] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for r := range seen {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	return routes
}

// constantIn finds the string value of a constant declared in a package.
func constantIn(t *testing.T, dir, name string, decl *regexp.Regexp) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			if m[1] == name {
				return m[2]
			}
		}
	}
	t.Fatalf("GET route built from %s: no such string constant in %s", name, dir)
	return ""
}

// notSwept are the GET routes the page sweep leaves out, each for its
// reason: they answer no HTML page a person reads.
var notSwept = map[string]string{
	"portal GET /healthz": "probe for the load balancer, plain text",
	"portal GET /readyz":  "probe for the load balancer, plain text",
	"portal GET /static/": "style sheets, scripts and images",
	"admin GET /static/":  "style sheets, scripts and images",
	"admin GET /metrics":  "Prometheus text for the monitoring",
	"portal GET /dev/buzon": "the demo's mailbox, a developer's tool " +
		"(the journeys open it to read codes, axe-clean)",
	"portal GET /mi-cuenta/ahorro/movimientos.csv":                 "CSV download",
	"portal GET /mi-cuenta/ahorro/movimientos.pdf":                 "PDF download",
	"portal GET /mi-cuenta/credito/movimientos.csv":                "CSV download",
	"portal GET /mi-cuenta/credito/ficha-de-pago.pdf":              "PDF download",
	"portal GET /mi-cuenta/credito/estados-de-cuenta/{mes}":        "PDF download (credit_test opens one)",
	"portal GET /mi-cuenta/credito/constancia-intereses/{archivo}": "PDF download (documents_test opens one)",
	"portal GET /mi-cuenta/credito/avisos/{archivo}":               "PDF download",
	"portal GET /mi-cuenta/credito/cancelacion-hipoteca/carta.pdf": "PDF download",
	"portal GET /mi-cuenta/credito/pagos/{intent}/comprobante.pdf": "PDF download (credit_test opens one)",
	"portal GET /mi-cuenta/tramites/{folio}/documentos/{id}":       "the person's own uploaded file",
	"portal GET /mi-cuenta/tramites/{folio}/mis-datos.json":        "JSON download (backoffice_test reads it)",
	"portal GET /mi-cuenta/citas/{code}/cita.ics":                  "calendar file (citas_test reads it)",
	"admin GET /admin/tramites/{folio}/documentos/{id}":            "a person's uploaded file",
	"admin GET /admin/tablero.csv":                                 "CSV download",
	"admin GET /{$}":                                               "redirects to /admin/, which is swept",
	"portal GET /mi-cuenta/tramites/nuevo/…":                       "one route per request type: the sweep opens every form the requests page links to",
}

// Every GET route is either swept or skipped for a stated reason, so a
// new page cannot be added without its checks.
func TestEveryRouteIsSwept(t *testing.T) {
	routes := getRoutes(t)
	if len(routes) < 60 {
		t.Fatalf("found only %d GET routes; is the scan of internal/ broken? %v", len(routes), routes)
	}
	swept := map[string]bool{}
	for _, p := range sweepTable(&world{}) {
		swept[p.route] = true
	}
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r] = true
		if !swept[r] && notSwept[r] == "" {
			t.Errorf("%s is neither in the page sweep (sweepTable) nor in notSwept with a reason", r)
		}
		if swept[r] && notSwept[r] != "" {
			t.Errorf("%s is both swept and skipped", r)
		}
	}
	for r := range swept {
		if !registered[r] && !strings.HasPrefix(r, "portal GET /mi-cuenta/tramites/nuevo/") {
			t.Errorf("the sweep opens %s, which no longer is a registered route", r)
		}
	}
	for r, why := range notSwept {
		if why != "" && !registered[r] {
			t.Errorf("notSwept lists %s, which no longer is a registered route", r)
		}
	}
}
