package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"micuenta/internal/portal"
)

func testRenderer(t *testing.T) *Renderer {
	t.Helper()
	src := Sources{
		Layout: fstest.MapFS{
			"layout.html": {Data: []byte(`{{define "layout-top"}}<html lang="es-MX"><title>{{template "title" .}}</title><link href="{{static "css/site.css"}}"><main>{{end}}{{define "layout-bottom"}}</main></html>{{end}}`)},
			"error.html":  {Data: []byte(`{{define "title"}}{{.Data.Heading}}{{end}}{{define "main"}}<h1>{{.Data.Heading}}</h1><p>{{.Data.Message}}</p>{{with .Data.RequestID}}<p>Folio: {{.}}</p>{{end}}{{end}}`)},
		},
		Pages: fstest.MapFS{
			"hola.html": {Data: []byte(`{{define "title"}}Hola{{end}}{{define "main"}}<p>¡Hola, {{.Data}}!</p>{{end}}`)},
			"roto.html": {Data: []byte(`{{define "title"}}Roto{{end}}{{define "main"}}{{.Data.NoSuchField}}{{end}}`)},
		},
		Static: fstest.MapFS{"css/site.css": {Data: []byte("body{}")}},
	}
	r, err := NewRenderer(src, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func serve(h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func stack(r *Renderer, mux *http.ServeMux) http.Handler {
	return WithRequestID(r.Recover(SecurityHeaders(r.CrossOrigin(r.Unmatched(mux)))))
}

// {{static "name"}} is resolved when the templates load: a name with no
// file stops start-up, naming the template and the file, and so does a
// name that is not a literal.
func TestStaticReferencesResolveAtLoad(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	src := Sources{
		Layout: fstest.MapFS{
			"layout.html": {Data: []byte(`{{define "layout-top"}}<link href="{{ static "css/site.css" }}">{{end}}{{define "layout-bottom"}}{{end}}`)},
			"error.html":  {Data: []byte(`{{define "main"}}{{end}}`)},
		},
		Pages: fstest.MapFS{
			"hola.html": {Data: []byte(`{{define "main"}}<img src="{{static "img/sello.svg"}}">{{end}}`)},
		},
		Static: fstest.MapFS{"css/site.css": {Data: []byte("body{}")}},
	}
	if _, err := NewRenderer(src, quiet, false); err == nil || !strings.Contains(err.Error(), "hola.html") || !strings.Contains(err.Error(), "img/sello.svg") {
		t.Fatalf("unknown static file: %v", err)
	}
	src.Pages = fstest.MapFS{"hola.html": {Data: []byte(`{{define "main"}}{{with "css/site.css"}}<a href="{{static .}}">hoja</a>{{end}}{{end}}`)}}
	if _, err := NewRenderer(src, quiet, false); err == nil || !strings.Contains(err.Error(), "hola.html") || !strings.Contains(err.Error(), "static") {
		t.Fatalf("a static name that is not a literal: %v", err)
	}
	src.Pages = fstest.MapFS{"hola.html": {Data: []byte(`{{define "main"}}<a href="{{static "css/site.css"}}">hoja</a>{{end}}`)}}
	r, err := NewRenderer(src, quiet, false)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	r.Render(rec, httptest.NewRequest("GET", "/hola", nil), 200, "hola", nil)
	url := "/static/" + r.hashes["css/site.css"] + "/css/site.css"
	if body := rec.Body.String(); strings.Count(body, url) != 2 {
		t.Fatalf("want %s twice (the layout's and the page's): %q", url, body)
	}
}

func TestRenderPageInLayout(t *testing.T) {
	r := testRenderer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hola", func(w http.ResponseWriter, req *http.Request) { r.Render(w, req, 200, "hola", "Lupita") })
	rec := serve(stack(r, mux), "GET", "/hola", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "¡Hola, Lupita!") || !strings.Contains(body, `lang="es-MX"`) {
		t.Fatalf("status %d body %q", rec.Code, body)
	}
	if want := `href="/static/` + r.hashes["css/site.css"] + `/css/site.css"`; !strings.Contains(body, want) {
		t.Fatalf("static URL %s missing: %q", want, body)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP %q", csp)
	}
	if rec.Header().Get("X-Request-Id") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", rec.Header())
	}
	if rec.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Fatalf("Content-Length %q for a body of %d bytes", rec.Header().Get("Content-Length"), len(body))
	}
	// The headers' values are shared between responses: what one handler
	// adds to its own shows in no other response, before or after.
	rec.Header().Add("Cache-Control", "private")
	next := serve(stack(r, mux), "GET", "/hola", nil).Header()
	next.Add("Cache-Control", "max-age=0")
	if got := next.Values("Cache-Control"); len(got) != 2 || got[0] != "no-store" || got[1] != "max-age=0" {
		t.Fatalf("Cache-Control of the next response %q", got)
	}
	if got := rec.Header().Values("Cache-Control"); len(got) != 2 || got[1] != "private" {
		t.Fatalf("Cache-Control of the first response became %q", got)
	}
	if got := serve(stack(r, mux), "GET", "/hola", nil).Header().Values("Cache-Control"); len(got) != 1 {
		t.Fatalf("Cache-Control of a third response %q", got)
	}
	// Buffers are reused: a second, shorter page carries nothing of the first.
	mux.HandleFunc("GET /corta", func(w http.ResponseWriter, req *http.Request) { r.Render(w, req, 200, "hola", "") })
	if again := serve(stack(r, mux), "GET", "/corta", nil).Body.String(); strings.Contains(again, "Lupita") || len(again) >= len(body) {
		t.Fatalf("second page %q", again)
	}
}

func TestTemplateErrorIsCleanInternalError(t *testing.T) {
	r := testRenderer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /roto", func(w http.ResponseWriter, req *http.Request) { r.Render(w, req, 200, "roto", 1) })
	rec := serve(stack(r, mux), "GET", "/roto", nil)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Tuvimos un problema") {
		t.Fatalf("status %d body %q", rec.Code, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "NoSuchField") {
		t.Fatal("the internal error leaked into the page")
	}
}

func TestUnknownPathAndMethodGetPages(t *testing.T) {
	r := testRenderer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hola", func(w http.ResponseWriter, req *http.Request) { r.Render(w, req, 200, "hola", "x") })
	h := stack(r, mux)
	rec := serve(h, "GET", "/no-existe", nil)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "No encontramos la página") || !strings.Contains(rec.Body.String(), `lang="es-MX"`) {
		t.Fatalf("404: %d %q", rec.Code, rec.Body.String())
	}
	rec = serve(h, "DELETE", "/hola", map[string]string{"Sec-Fetch-Site": "same-origin"})
	if rec.Code != 405 || !strings.Contains(rec.Body.String(), "no está permitida") || rec.Header().Get("Allow") == "" {
		t.Fatalf("405: %d %q allow=%q", rec.Code, rec.Body.String(), rec.Header().Get("Allow"))
	}
}

func TestPanicGives500WithRequestIDAndNoStack(t *testing.T) {
	r := testRenderer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, req *http.Request) { panic("secret internal detail") })
	rec := serve(stack(r, mux), "GET", "/boom", nil)
	body := rec.Body.String()
	rid := rec.Header().Get("X-Request-Id")
	if rec.Code != 500 || rid == "" || !strings.Contains(body, rid) {
		t.Fatalf("status %d rid %q body %q", rec.Code, rid, body)
	}
	if strings.Contains(body, "secret internal detail") || strings.Contains(body, "goroutine") {
		t.Fatal("panic detail or stack shown to the user")
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	r := testRenderer(t)
	mux := http.NewServeMux()
	posted := false
	mux.HandleFunc("POST /enviar", func(w http.ResponseWriter, req *http.Request) { posted = true })
	h := stack(r, mux)
	rec := serve(h, "POST", "/enviar", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://malo.example"})
	if rec.Code != 403 || posted || !strings.Contains(rec.Body.String(), "desde otro sitio") {
		t.Fatalf("cross-site POST: %d posted=%v", rec.Code, posted)
	}
	rec = serve(h, "POST", "/enviar", map[string]string{"Sec-Fetch-Site": "same-origin"})
	if rec.Code != 200 || !posted {
		t.Fatalf("same-origin POST: %d posted=%v", rec.Code, posted)
	}
}

// A request whose client went away is counted as 499 and logged below
// error level, with no page: its error is the cancellation's, not the
// portal's. A request that ran out of time is still the portal's failure.
func TestAbandonedRequestIsNotAFailure(t *testing.T) {
	r := testRenderer(t)
	var logged bytes.Buffer
	r.log = slog.New(slog.NewTextHandler(&logged, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	r.Error(rec, httptest.NewRequest("GET", "/mi-cuenta", nil).WithContext(ctx), fmt.Errorf("store: savings summary: %w", context.Canceled))
	if rec.Code != StatusClientClosed || rec.Body.Len() != 0 {
		t.Fatalf("abandoned: %d %q", rec.Code, rec.Body.String())
	}
	if !strings.Contains(logged.String(), "level=INFO") || strings.Contains(logged.String(), "level=ERROR") || !strings.Contains(logged.String(), "path=/mi-cuenta") {
		t.Fatalf("abandoned request logged as %q", logged.String())
	}
	logged.Reset()
	ctx, cancel = context.WithTimeout(context.Background(), 0)
	defer cancel()
	rec = httptest.NewRecorder()
	r.Error(rec, httptest.NewRequest("GET", "/mi-cuenta", nil).WithContext(ctx), context.DeadlineExceeded)
	if rec.Code != 500 || !strings.Contains(logged.String(), "level=ERROR") {
		t.Fatalf("timed out: %d, logged %q", rec.Code, logged.String())
	}
}

func TestErrorCodesMapToStatuses(t *testing.T) {
	r := testRenderer(t)
	cases := map[error]int{
		portal.Errorf(portal.EINVALID, "Dato inválido."): 400,
		portal.Errorf(portal.ENOTFOUND, "No está."):      404,
		portal.Errorf(portal.EFORBIDDEN, "No."):          403,
		portal.Errorf(portal.ERATELIMIT, "Espera."):      429,
		portal.Errorf(portal.EUNAVAILABLE, "Caído."):     503,
		io.ErrUnexpectedEOF:                              500,
	}
	for err, want := range cases {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		r.Error(rec, req, err)
		if rec.Code != want {
			t.Errorf("%v → %d, want %d", err, rec.Code, want)
		}
		if want == 500 && strings.Contains(rec.Body.String(), "unexpected EOF") {
			t.Errorf("internal error text leaked")
		}
		if want < 500 && !strings.Contains(rec.Body.String(), portal.ErrorMessage(err)) {
			t.Errorf("%v: message not shown: %q", err, rec.Body.String())
		}
	}
}

func TestStaticFilesAreVersioned(t *testing.T) {
	r := testRenderer(t)
	mux := http.NewServeMux()
	mux.Handle("GET /static/", r.StaticHandler())
	h := stack(r, mux)
	url := "/static/" + r.hashes["css/site.css"] + "/css/site.css"
	rec := serve(h, "GET", url, nil)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || rec.Body.String() != "body{}" {
		t.Fatalf("current hash: %d %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
	rec = serve(h, "GET", "/static/0000/css/site.css", nil)
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("old hash: %d %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
	for _, p := range []string{"/static/x/nada.css", "/static/", "/static/x/%2e%2e/render.go"} {
		if rec := serve(h, "GET", p, nil); rec.Code != 404 {
			t.Errorf("%s: %d, want 404", p, rec.Code)
		}
	}
	// The router cleans "..": the request is redirected, never served.
	if rec := serve(h, "GET", "/static/x/../../go.mod", nil); rec.Code == 200 {
		t.Errorf("path traversal served a file")
	}
}

func TestDevModeReadsTemplatesFromDisk(t *testing.T) {
	layout, pages, static := t.TempDir(), t.TempDir(), t.TempDir()
	write := func(dir, name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(layout, "layout.html", `{{define "layout-top"}}{{end}}{{define "layout-bottom"}}{{end}}`)
	write(layout, "error.html", `{{define "title"}}e{{end}}{{define "main"}}error{{end}}`)
	write(pages, "p.html", `{{define "title"}}p{{end}}{{define "main"}}versión 1{{end}}`)
	write(static, "css/site.css", "a{}")
	r, err := NewRenderer(Sources{DevDirs: &[3]string{layout, pages, static}}, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	get := func() string {
		rec := httptest.NewRecorder()
		r.Render(rec, httptest.NewRequest("GET", "/p", nil), 200, "p", nil)
		return rec.Body.String()
	}
	if got := get(); got != "versión 1" {
		t.Fatalf("first render %q", got)
	}
	write(pages, "p.html", `{{define "title"}}p{{end}}{{define "main"}}versión 2{{end}}`)
	if got := get(); got != "versión 2" {
		t.Fatalf("after editing the file: %q, want the new text without a restart", got)
	}
}

func TestCurrentMarksTheMenuEntry(t *testing.T) {
	for _, c := range []struct {
		path, href string
		want       template.HTMLAttr
	}{
		{"/mi-cuenta", "/mi-cuenta", ` aria-current="page"`},
		{"/mi-cuenta/ahorro", "/mi-cuenta", ` aria-current="true"`},
		{"/mi-cuentas", "/mi-cuenta", ""},
		{"/mi-cuenta/ahorro", "/", ""},
		{"/", "/", ` aria-current="page"`},
		{"/registro/codigo", "/registro", ` aria-current="true"`},
		{"/ayuda", "/ingresar", ""},
	} {
		p := &Page{Path: c.path}
		if got := p.Current(c.href); got != c.want {
			t.Errorf("on %s, entry %s: %q, want %q", c.path, c.href, got, c.want)
		}
	}
}

func TestTableRowsEscapeEachCell(t *testing.T) {
	rows := TableRows([][]Cell{
		{{Text: "31 de octubre de 2026"}, {Text: `Constructora <b>"La Loma"</b> & Hijos, S.A. de C.V. ('x')`}, {Text: "$1,234.56", Num: true}},
		{{Text: "\x00"}, {Text: ""}, {Text: "-$7.00", Num: true}},
	})
	want := `<tr><td>31 de octubre de 2026</td><td>Constructora &lt;b&gt;&#34;La Loma&#34;&lt;/b&gt; &amp; Hijos, S.A. de C.V. (&#39;x&#39;)</td><td class="num">$1,234.56</td></tr>` + "\n" +
		`<tr><td>` + "\uFFFD" + `</td><td></td><td class="num">-$7.00</td></tr>` + "\n"
	if string(rows) != want {
		t.Fatalf("rows:\n%s\nwant:\n%s", rows, want)
	}
	// In a page the rows are markup, not text to escape again.
	tmpl := template.Must(template.New("t").Parse(`<tbody>{{.}}</tbody>`))
	var b strings.Builder
	if err := tmpl.Execute(&b, rows); err != nil {
		t.Fatal(err)
	}
	if b.String() != "<tbody>"+want+"</tbody>" {
		t.Fatalf("in a template: %s", b.String())
	}
	if TableRows(nil) != "" {
		t.Fatal("no rows should be no markup, so {{if}} can tell an empty table")
	}
}

func TestOptionsMarkTheSelectedAndEscape(t *testing.T) {
	got := Options([]Option{{"aportacion", "Aportación patronal"}, {`x"><script>`, "<b>&</b>"}}, "aportacion")
	want := `<option value="aportacion" selected>Aportación patronal</option><option value="x&#34;&gt;&lt;script&gt;">&lt;b&gt;&amp;&lt;/b&gt;</option>`
	if string(got) != want {
		t.Fatalf("options:\n%s\nwant:\n%s", got, want)
	}
	if got := YearOptions([]int{2026, 2025, 2024}, 2025); got != `<option value="2026">2026</option><option value="2025" selected>2025</option><option value="2024">2024</option>` {
		t.Fatalf("years: %s", got)
	}
	if got := YearOptions([]int{2026}, 0); got != `<option value="2026">2026</option>` {
		t.Fatalf("no year chosen: %s", got)
	}
}

// The layout's menu is the site's signed-out or signed-in menu, or the
// request's own, each entry escaped and marked as Current marks it.
func TestMenuFollowsSignInAndMarksTheEntry(t *testing.T) {
	src := Sources{
		Layout: fstest.MapFS{
			"layout.html": {Data: []byte(`{{define "layout-top"}}<ul>{{.Menu}}</ul>{{end}}{{define "layout-bottom"}}{{end}}`)},
			"error.html":  {Data: []byte(`{{define "title"}}e{{end}}{{define "main"}}e{{end}}`)},
		},
		Pages:  fstest.MapFS{"p.html": {Data: []byte(`{{define "title"}}p{{end}}{{define "main"}}{{end}}`)}},
		Static: fstest.MapFS{},
	}
	r, err := NewRenderer(src, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	r.Menus([]NavLink{{"/", "Inicio"}, {"/ingresar", "Ingresar"}}, []NavLink{{"/", "Inicio"}, {"/mi-cuenta", `Mi "cuenta" & más`}})
	render := func(path string, ctx func(*http.Request) *http.Request) string {
		req := ctx(httptest.NewRequest("GET", path, nil))
		rec := httptest.NewRecorder()
		r.Render(rec, req, 200, "p", nil)
		return rec.Body.String()
	}
	same := func(req *http.Request) *http.Request { return req }
	signedIn := func(req *http.Request) *http.Request { return req.WithContext(WithSignedIn(req.Context())) }
	for _, c := range []struct {
		name, path string
		ctx        func(*http.Request) *http.Request
		want       string
	}{
		{"signed out", "/ingresar", same, `<ul><li><a href="/">Inicio</a></li>` + "\n" + `<li><a href="/ingresar" aria-current="page">Ingresar</a></li>` + "\n</ul>"},
		{"signed in, under an entry", "/mi-cuenta/ahorro", signedIn, `<ul><li><a href="/">Inicio</a></li>` + "\n" + `<li><a href="/mi-cuenta" aria-current="true">Mi &#34;cuenta&#34; &amp; más</a></li>` + "\n</ul>"},
		{"the request's own", "/admin/x", func(req *http.Request) *http.Request {
			return req.WithContext(WithNav(WithSignedIn(req.Context()), []NavLink{{"/admin/x", "Equis"}}))
		}, `<ul><li><a href="/admin/x" aria-current="page">Equis</a></li>` + "\n</ul>"},
		{"the request's own, empty", "/admin/entrar", func(req *http.Request) *http.Request {
			return req.WithContext(WithNav(req.Context(), nil))
		}, `<ul></ul>`},
	} {
		if got := render(c.path, c.ctx); got != c.want {
			t.Errorf("%s: %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestSummaryListEscapesEachPart(t *testing.T) {
	got := SummaryList([]Term{
		{Name: "NSS", Value: "*******3456", Mono: true},
		{Name: "Ahorro <para> la vivienda", Value: "$1,234.56", Strong: true, After: ` al 31 oct 2026 & "más"`},
		{Name: "Última aportación", Value: `$10.00 de Constructora <b>"La Loma"</b> (1 sep 2026)`},
	})
	want := `<div><dt>NSS</dt><dd class="mono">*******3456</dd></div>` + "\n" +
		`<div><dt>Ahorro &lt;para&gt; la vivienda</dt><dd><strong>$1,234.56</strong> al 31 oct 2026 &amp; &#34;más&#34;</dd></div>` + "\n" +
		`<div><dt>Última aportación</dt><dd>$10.00 de Constructora &lt;b&gt;&#34;La Loma&#34;&lt;/b&gt; (1 sep 2026)</dd></div>` + "\n"
	if string(got) != want {
		t.Fatalf("list:\n%s\nwant:\n%s", got, want)
	}
}
