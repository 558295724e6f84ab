package web

import (
	"html/template"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// The layout's halves are kept only when they read nothing but the
// fields the key fixes; a title that names the page's data, a layout that
// reads the path or loops, or a call with other data are executed anew.
func TestFixedChromeRecognisesWhatTheHalvesRead(t *testing.T) {
	const pure = `{{define "layout-top"}}<title>{{template "title" .}}</title>{{if .Demo}}demo{{end}}<ul>{{.Menu}}</ul>{{if .SignedIn}}<form></form>{{else}}{{/* nada */}}{{end}}<main>{{end}}` +
		`{{define "layout-bottom"}}</main>{{if .IdleSeconds}}<div data-i="{{.IdleSeconds}}" data-a="{{.WarnSeconds}}"></div>{{end}}{{block "scripts" .}}{{end}}{{end}}`
	for _, c := range []struct {
		name, layout, page string
		want               bool
	}{
		{"static title", pure, `{{define "title"}}Mi cuenta{{end}}{{define "main"}}{{.Data}}{{end}}`, true},
		{"static scripts", pure, `{{define "title"}}t{{end}}{{define "scripts"}}<script src="/x.js"></script>{{end}}{{define "main"}}{{end}}`, true},
		{"title with data", pure, `{{define "title"}}Trámite {{.Data.Folio}}{{end}}{{define "main"}}{{end}}`, false},
		{"title with an error mark", pure, `{{define "title"}}{{if .Data.Form.HasErrors}}Error: {{end}}Ingresar{{end}}{{define "main"}}{{end}}`, false},
		{"scripts with data", pure, `{{define "title"}}t{{end}}{{define "scripts"}}<script nonce="{{.RequestID}}"></script>{{end}}{{define "main"}}{{end}}`, false},
		{"layout reads the path", strings.Replace(pure, "{{.Menu}}", "{{.Path}}", 1), `{{define "title"}}t{{end}}{{define "main"}}{{end}}`, false},
		{"layout calls a method with an argument", strings.Replace(pure, "{{.Menu}}", `{{.Current "/"}}`, 1), `{{define "title"}}t{{end}}{{define "main"}}{{end}}`, false},
		{"layout loops", strings.Replace(pure, "{{.Menu}}", `{{range .Nav}}{{.Label}}{{end}}`, 1), `{{define "title"}}t{{end}}{{define "main"}}{{end}}`, false},
		{"title called with other data", strings.Replace(pure, `{{template "title" .}}`, `{{template "title" .Data}}`, 1), `{{define "title"}}t{{end}}{{define "main"}}{{end}}`, false},
		{"no title", pure, `{{define "main"}}{{end}}`, false},
	} {
		tmpl := template.Must(template.Must(template.New("").Parse(c.layout)).Parse(c.page))
		if got := fixedChrome(tmpl); got != c.want {
			t.Errorf("%s: fixedChrome %v, want %v", c.name, got, c.want)
		}
	}
}

// A kept layout gives the same page as an executed one, for each page,
// menu state and sign-in; a title that reads the data follows the data.
func TestKeptLayoutMatchesExecutedLayout(t *testing.T) {
	layout := `{{define "layout-top"}}<title>{{template "title" .}}</title><ul>{{.Menu}}</ul>{{if .SignedIn}}<form action="/salir"></form>{{end}}<main>{{end}}` +
		`{{define "layout-bottom"}}</main>{{if .IdleSeconds}}<div data-inactiva="{{.IdleSeconds}}" data-aviso="{{.WarnSeconds}}"></div>{{end}}{{block "scripts" .}}{{end}}{{end}}`
	src := Sources{
		Layout: fstest.MapFS{
			"layout.html": {Data: []byte(layout)},
			"error.html":  {Data: []byte(`{{define "title"}}{{.Data.Heading}}{{end}}{{define "main"}}<h1>{{.Data.Heading}}</h1>{{end}}`)},
		},
		Pages: fstest.MapFS{
			"hola.html":    {Data: []byte(`{{define "title"}}Hola{{end}}{{define "main"}}<p>¡Hola, {{.Data}}!</p>{{end}}{{define "scripts"}}<script src="/hola.js"></script>{{end}}`)},
			"tramite.html": {Data: []byte(`{{define "title"}}Trámite {{.Data}}{{end}}{{define "main"}}<p>{{.Data}}</p>{{end}}`)},
		},
		Static: fstest.MapFS{},
	}
	r, err := NewRenderer(src, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	r.Menus([]NavLink{{"/", "Inicio"}, {"/ingresar", "Ingresar"}}, []NavLink{{"/", "Inicio"}, {"/mi-cuenta", "Mi cuenta"}})
	r.SessionTimes(15*time.Minute, 2*time.Minute)
	if !r.pages["hola"].fixedChrome || r.pages["tramite"].fixedChrome {
		t.Fatalf("fixedChrome: hola %v, tramite %v", r.pages["hola"].fixedChrome, r.pages["tramite"].fixedChrome)
	}
	render := func(page, path string, signedIn bool, data any) string {
		req := httptest.NewRequest("GET", path, nil)
		if signedIn {
			req = req.WithContext(WithSignedIn(req.Context()))
		}
		rec := httptest.NewRecorder()
		r.Render(rec, req, 200, page, data)
		return rec.Body.String()
	}
	// What executing the whole layout gives, by hand.
	want := func(title, menu, main string, signedIn bool, scripts string) string {
		s := "<title>" + title + "</title><ul>" + menu + "</ul>"
		if signedIn {
			s += `<form action="/salir"></form>`
		}
		s += "<main>" + main + "</main>"
		if signedIn {
			s += `<div data-inactiva="900" data-aviso="120"></div>`
		}
		return s + scripts
	}
	out := `<li><a href="/">Inicio</a></li>` + "\n" + `<li><a href="/ingresar">Ingresar</a></li>` + "\n"
	in := `<li><a href="/">Inicio</a></li>` + "\n" + `<li><a href="/mi-cuenta" aria-current="true">Mi cuenta</a></li>` + "\n"
	inHome := `<li><a href="/" aria-current="page">Inicio</a></li>` + "\n" + `<li><a href="/mi-cuenta">Mi cuenta</a></li>` + "\n"
	for range 2 { // the second round is served from the kept halves
		for _, c := range []struct {
			page, path string
			signedIn   bool
			data       string
			want       string
		}{
			{"hola", "/hola", false, "Ana", want("Hola", out, "<p>¡Hola, Ana!</p>", false, `<script src="/hola.js"></script>`)},
			{"hola", "/hola", false, "<b>Beto</b>", want("Hola", out, "<p>¡Hola, &lt;b&gt;Beto&lt;/b&gt;!</p>", false, `<script src="/hola.js"></script>`)},
			{"hola", "/mi-cuenta/hola", true, "Ana", want("Hola", in, "<p>¡Hola, Ana!</p>", true, `<script src="/hola.js"></script>`)},
			{"hola", "/", true, "Ana", want("Hola", inHome, "<p>¡Hola, Ana!</p>", true, `<script src="/hola.js"></script>`)},
			{"tramite", "/tramite", false, "T-1", want("Trámite T-1", out, "<p>T-1</p>", false, "")},
			{"tramite", "/tramite", false, "T-2", want("Trámite T-2", out, "<p>T-2</p>", false, "")},
		} {
			if got := render(c.page, c.path, c.signedIn, c.data); got != c.want {
				t.Errorf("%s at %s (signed in %v, %s):\n%s\nwant\n%s", c.page, c.path, c.signedIn, c.data, got, c.want)
			}
		}
	}
	if n := r.chromes.n.Load(); n != 3 {
		t.Errorf("%d halves kept, want 3 (hola signed out, signed in under /mi-cuenta, signed in at /)", n)
	}
	// New session times are in new halves.
	r.SessionTimes(10*time.Minute, time.Minute)
	if got := render("hola", "/mi-cuenta/hola", true, "Ana"); !strings.Contains(got, `data-inactiva="600" data-aviso="60"`) {
		t.Errorf("after new session times: %s", got)
	}
}

// A layout without its two halves stops start-up and says what it needs.
func TestLayoutMustHaveTwoHalves(t *testing.T) {
	src := Sources{
		Layout: fstest.MapFS{
			"layout.html": {Data: []byte(`{{define "layout"}}{{template "main" .}}{{end}}`)},
			"error.html":  {Data: []byte(`{{define "main"}}{{end}}`)},
		},
		Pages:  fstest.MapFS{},
		Static: fstest.MapFS{},
	}
	_, err := NewRenderer(src, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err == nil || !strings.Contains(err.Error(), "layout-top") {
		t.Fatalf("a layout without halves: %v", err)
	}
}

// The kept halves are bounded: past maxChromes, pages are still right
// but nothing more is kept.
func TestKeptHalvesAreBounded(t *testing.T) {
	var c chromes
	for i := range maxChromes + 10 {
		c.put(chromeKey{page: "p", menu: template.HTML(strings.Repeat("x", i))}, chrome{})
	}
	if n := c.n.Load(); n != maxChromes {
		t.Fatalf("%d kept, want %d", n, maxChromes)
	}
	if _, ok := c.get(chromeKey{page: "p", menu: template.HTML(strings.Repeat("x", maxChromes+5))}); ok {
		t.Fatal("a key past the bound was kept")
	}
}

// A page whose form came back with errors has a title that begins
// "Error:", from the layout; the kept halves tell the two apart.
func TestTitleSaysErrorWhenTheFormHasErrors(t *testing.T) {
	src := Sources{
		Layout: fstest.MapFS{
			"layout.html": {Data: []byte(`{{define "layout-top"}}<title>{{if .FormErrors}}Error: {{end}}{{template "title" .}}</title><main>{{end}}{{define "layout-bottom"}}</main>{{end}}`)},
			"error.html":  {Data: []byte(`{{define "title"}}e{{end}}{{define "main"}}e{{end}}`)},
		},
		Pages:  fstest.MapFS{"datos.html": {Data: []byte(`{{define "title"}}Mis datos{{end}}{{define "main"}}{{with .Data.Form}}{{.Get "correo"}}{{end}}{{end}}`)}},
		Static: fstest.MapFS{},
	}
	r, err := NewRenderer(src, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	if !r.pages["datos"].fixedChrome {
		t.Fatal("a layout reading .FormErrors should be kept")
	}
	type datosPage struct {
		Form *Form
	}
	render := func(data any) string {
		rec := httptest.NewRecorder()
		r.Render(rec, httptest.NewRequest("GET", "/datos", nil), 200, "datos", data)
		return rec.Body.String()
	}
	bad := NewForm()
	bad.Set("correo", "ana@")
	bad.Fail("correo", "Escribe un correo completo.")
	good := NewForm()
	good.Set("correo", "ana@correo.example")
	for range 2 {
		for _, c := range []struct {
			name string
			data any
			want string
		}{
			{"errors", datosPage{Form: bad}, "<title>Error: Mis datos</title><main>ana@</main>"},
			{"errors, by pointer", &datosPage{Form: bad}, "<title>Error: Mis datos</title><main>ana@</main>"},
			{"no errors", datosPage{Form: good}, "<title>Mis datos</title><main>ana@correo.example</main>"},
			{"no form", datosPage{}, "<title>Mis datos</title><main></main>"},
		} {
			if got := render(c.data); got != c.want {
				t.Errorf("%s: %s, want %s", c.name, got, c.want)
			}
		}
	}
}

func TestFormOfFindsTheFormField(t *testing.T) {
	r := &Renderer{}
	f := NewForm()
	type withForm struct{ Form *Form }
	type otherForm struct{ Form string }
	type inner struct{ Form *Form }
	type embedded struct{ *inner }
	for _, c := range []struct {
		name string
		data any
		want *Form
	}{
		{"field", withForm{Form: f}, f},
		{"pointer", &withForm{Form: f}, f},
		{"nil form", withForm{}, nil},
		{"nil pointer", (*withForm)(nil), nil},
		{"a field of another type", otherForm{Form: "x"}, nil},
		{"promoted from an embedded struct", embedded{&inner{Form: f}}, f},
		{"embedded struct nil", embedded{}, nil},
		{"nil", nil, nil},
		{"not a struct", "hola", nil},
		{"map", map[string]any{"Form": f}, nil},
	} {
		for range 2 { // the second time from the per-type cache
			if got := r.formOf(c.data); got != c.want {
				t.Errorf("%s: %p, want %p", c.name, got, c.want)
			}
		}
	}
}

// The portal's busiest pages keep their layout halves: a title made to
// name the page's data would quietly cost every request the halves'
// execution again.
func TestBusiestPagesKeepTheirLayout(t *testing.T) {
	src := Sources{Layout: os.DirFS("templates"), Pages: os.DirFS("../ui/templates"), Static: os.DirFS("static")}
	r, err := NewRenderer(src, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	var kept int
	for _, p := range r.pages {
		if p.fixedChrome {
			kept++
		}
	}
	for _, name := range []string{"inicio", "ingresar", "mi-cuenta", "ahorro", "relaciones-laborales", "credito", "precalificacion", "tramites"} {
		if !r.pages[name].fixedChrome {
			t.Errorf("%s: the layout halves are executed on every request", name)
		}
	}
	t.Logf("%d of %d pages keep their layout halves", kept, len(r.pages))
}

// BenchmarkLayoutHalves renders a signed-in page whose main is fixed
// text, once with its layout halves kept and once executing them, so the
// difference is what executing the halves costs a request.
//
//	go test ./internal/web -run '^$' -bench LayoutHalves -cpu 1 -benchmem
func BenchmarkLayoutHalves(b *testing.B) {
	src := Sources{Layout: os.DirFS("templates"), Pages: os.DirFS("../ui/templates"), Static: os.DirFS("static")}
	r, err := NewRenderer(src, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		b.Fatal(err)
	}
	r.Menus([]NavLink{{"/", "Inicio"}, {"/ingresar", "Ingresar"}}, []NavLink{{"/", "Inicio"}, {"/mi-cuenta", "Mi cuenta"}, {"/ayuda", "Ayuda"}})
	r.SessionTimes(15*time.Minute, 2*time.Minute)
	for _, keep := range []bool{true, false} {
		pt := r.pages["privacidad"]
		pt.fixedChrome = keep
		r.pages["privacidad"] = pt
		name := map[bool]string{true: "kept", false: "executed"}[keep]
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/privacidad", nil)
			req = req.WithContext(WithSignedIn(req.Context()))
			for b.Loop() {
				rec := httptest.NewRecorder()
				r.Render(rec, req, 200, "privacidad", nil)
				if rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
