// Package web is the HTTP plumbing the two sites share: the template
// renderer and its base layout, static files, the error page that maps
// portal error codes to statuses, request ids, logging, panic recovery,
// security headers and cross-origin protection. It knows nothing of any
// one page.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Page is what every template receives as ".".
type Page struct {
	Path      string // the request path, to mark the current menu entry
	RequestID string
	Demo      bool
	SignedIn  bool
	// IdleSeconds and WarnSeconds drive the idle-session warning on
	// signed-in pages (static/js/sesion.js); zero leaves it out.
	IdleSeconds, WarnSeconds int
	Data                     any // the page's own data
	// FormErrors says the page's form (its data's Form field) was sent
	// back with errors: the layout begins the title with "Error:", so a
	// screen reader says so first (GOV.UK's pattern, WCAG 3.3.1).
	FormErrors bool
	// Nav is the menu: the request's own (the back office's, by role;
	// see WithNav) or else the site's (see Renderer.Menus).
	Nav []NavLink
}

// Current marks the menu entry for href: aria-current="page" on its own
// page, aria-current="true" on the pages under it (not for "/", which
// everything is under). One call per entry, where the template's own
// comparisons took five.
func (p *Page) Current(href string) template.HTMLAttr {
	switch {
	case p.Path == href:
		return ` aria-current="page"`
	case href != "/" && len(p.Path) > len(href) && p.Path[len(href)] == '/' && p.Path[:len(href)] == href:
		return ` aria-current="true"`
	}
	return ""
}

// Menu writes the entries of Nav, each marked as Current marks it. The
// menu is on every page, and one call here replaces two reflect calls an
// entry (the method and its attribute filter) in the layout.
func (p *Page) Menu() template.HTML {
	var b strings.Builder
	for _, l := range p.Nav {
		b.WriteString(`<li><a href="`)
		b.WriteString(template.HTMLEscapeString(l.Href))
		b.WriteByte('"')
		b.WriteString(string(p.Current(l.Href)))
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(l.Label))
		b.WriteString("</a></li>\n")
	}
	return template.HTML(b.String())
}

// NavLink is one menu entry.
type NavLink struct{ Href, Label string }

type navKey struct{}

// WithNav sets the menu the layout shows for this request.
func WithNav(ctx context.Context, links []NavLink) context.Context {
	return context.WithValue(ctx, navKey{}, links)
}

// Sources says where templates and static files come from. In production
// they are embedded file systems; in dev mode the renderer reads the same
// files from disk on every request so a change shows on reload.
type Sources struct {
	Layout fs.FS // holds layout.html and error.html
	Pages  fs.FS // holds one NAME.html per page
	Static fs.FS // served under /static/
	// Partials, when set, hold the shared partials/*.html instead of
	// Layout (the back office has its own layout but the same partials).
	Partials fs.FS
	// DevDirs, when set, replace the three file systems with directories
	// read on every request (layout, pages, static).
	DevDirs *[3]string
}

// pageTemplate is one page's templates, with the shared layout and
// partials.
type pageTemplate struct {
	t *template.Template
	// fixedChrome says the layout's halves can be kept (see chrome.go).
	fixedChrome bool
}

// Renderer executes page templates inside the base layout.
type Renderer struct {
	src  Sources
	log  *slog.Logger
	demo bool

	idleSeconds, warnSeconds int
	// menus are the site's menu for people signed out and signed in, for
	// a site whose menu does not depend on who it is (see Menus).
	menus [2][]NavLink

	mu      sync.RWMutex
	pages   map[string]pageTemplate
	hashes  map[string]string // static path → content hash
	chromes *chromes          // the layout halves kept (see chrome.go)

	buffers sync.Pool // *bytes.Buffer, see buffer
	// formFields holds, for each type of page data, the index of its Form
	// field, or nil (see formOf).
	formFields sync.Map
}

// NewRenderer parses every page at start-up, so a missing or broken
// template stops the server before it serves anyone.
func NewRenderer(src Sources, log *slog.Logger, demo bool) (*Renderer, error) {
	r := &Renderer{src: src, log: log, demo: demo}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r, nil
}

// SessionTimes sets the idle time-out of signed-in sessions and how long
// before it the page warns, for the warning script.
func (r *Renderer) SessionTimes(idle, warn time.Duration) {
	r.mu.Lock()
	r.idleSeconds, r.warnSeconds = int(idle.Seconds()), int(warn.Seconds())
	r.chromes = &chromes{} // the warning's times are in the kept halves
	r.mu.Unlock()
}

// Menus sets the menu of a site whose menu depends only on whether
// someone is signed in. A request's own menu (WithNav) takes precedence.
func (r *Renderer) Menus(signedOut, signedIn []NavLink) {
	r.menus = [2][]NavLink{signedOut, signedIn}
}

func (r *Renderer) files() (layout, pages, static fs.FS) {
	if r.src.DevDirs != nil {
		d := r.src.DevDirs
		return os.DirFS(d[0]), os.DirFS(d[1]), os.DirFS(d[2])
	}
	return r.src.Layout, r.src.Pages, r.src.Static
}

func (r *Renderer) load() error {
	layoutFS, pagesFS, staticFS := r.files()
	hashes, err := hashStatic(staticFS)
	if err != nil {
		return err
	}
	funcs := template.FuncMap{"field": NewFieldView}
	base, err := parseResolved(template.New("").Funcs(funcs), layoutFS, hashes, "layout.html")
	if err != nil {
		return fmt.Errorf("web: parse layout: %w", err)
	}
	// Shared partials (form errors and the like), when there are any.
	partialsFS := layoutFS
	if r.src.Partials != nil {
		partialsFS = r.src.Partials
	}
	if partials, _ := fs.Glob(partialsFS, "partials/*.html"); len(partials) > 0 {
		if base, err = parseResolved(base, partialsFS, hashes, partials...); err != nil {
			return fmt.Errorf("web: parse partials: %w", err)
		}
	}
	if base.Lookup("layout-top") == nil || base.Lookup("layout-bottom") == nil {
		return fmt.Errorf("web: layout.html must define \"layout-top\" and \"layout-bottom\", the page's \"main\" going between them")
	}
	pages := map[string]pageTemplate{}
	add := func(name string, fsys fs.FS, file string) error {
		t, err := parseResolved(template.Must(base.Clone()), fsys, hashes, file)
		if err != nil {
			return fmt.Errorf("web: parse %s: %w", file, err)
		}
		pages[name] = pageTemplate{t: t, fixedChrome: fixedChrome(t)}
		return nil
	}
	if err := add("error", layoutFS, "error.html"); err != nil {
		return err
	}
	names, err := fs.Glob(pagesFS, "*.html")
	if err != nil {
		return fmt.Errorf("web: list pages: %w", err)
	}
	for _, f := range names {
		if err := add(strings.TrimSuffix(f, ".html"), pagesFS, f); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.pages, r.hashes, r.chromes = pages, hashes, &chromes{}
	r.mu.Unlock()
	return nil
}

// staticRef is a {{static "name"}} reference to a file under /static/.
var staticRef = regexp.MustCompile(`\{\{\s*static\s+"([^"]+)"\s*\}\}`)

// parseResolved parses files into t as ParseFS does, after writing each
// {{static "name"}} as the URL it stands for, /static/<hash>/name. The
// hashes are fixed once the templates load, so the URL is too: the four
// on every page's layout cost no reflect call and no escapers per
// request, and a misspelt name stops start-up instead of failing a page.
// static is not a template function: a name that is not a literal fails
// to parse, at start-up too.
func parseResolved(t *template.Template, fsys fs.FS, hashes map[string]string, files ...string) (*template.Template, error) {
	for _, file := range files {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		var missing string
		src := staticRef.ReplaceAllStringFunc(string(b), func(ref string) string {
			// The match is {{static "name"}}: the name lies between its quotes.
			name := ref[strings.IndexByte(ref, '"')+1 : strings.LastIndexByte(ref, '"')]
			h, ok := hashes[name]
			if !ok {
				missing = name
				return ref
			}
			return "/static/" + h + "/" + name
		})
		if missing != "" {
			return nil, fmt.Errorf("%s: no static file %q", file, missing)
		}
		name := path.Base(file)
		tmpl := t
		if name != t.Name() {
			tmpl = t.New(name)
		}
		if _, err := tmpl.Parse(src); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func hashStatic(fsys fs.FS) (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: hash static files: %w", err)
	}
	return out, nil
}

// buffer returns a page buffer from the renderer's pool. Pages are some
// tens of kilobytes, and growing a fresh buffer for each was a steady share
// of every request's allocations.
func (r *Renderer) buffer() *bytes.Buffer {
	if b, ok := r.buffers.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func (r *Renderer) release(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // an unusually large page: let it go
		return
	}
	b.Reset()
	r.buffers.Put(b)
}

// Render writes page name with status. The page is executed into a buffer
// first, so a template error becomes a clean 500 instead of half a page.
func (r *Renderer) Render(w http.ResponseWriter, req *http.Request, status int, name string, data any) {
	if r.src.DevDirs != nil {
		if err := r.load(); err != nil {
			r.log.Error("reload templates", "err", err)
		}
	}
	r.mu.RLock()
	pt, ok := r.pages[name]
	kept := r.chromes
	r.mu.RUnlock()
	page := &Page{Path: req.URL.Path, RequestID: RequestID(req.Context()), Demo: r.demo, SignedIn: signedIn(req), Data: data,
		FormErrors: r.formOf(data).HasErrors()}
	nav, own := req.Context().Value(navKey{}).([]NavLink)
	if !own {
		nav = r.menus[0]
	}
	if page.SignedIn {
		page.IdleSeconds, page.WarnSeconds = r.idleSeconds, r.warnSeconds
		if !own {
			nav = r.menus[1]
		}
	}
	page.Nav = nav
	buf := r.buffer()
	defer r.release(buf)
	var err error
	if !ok {
		err = fmt.Errorf("web: no template %q", name)
	} else {
		err = r.execute(buf, pt, kept, name, page)
	}
	if err != nil {
		r.log.Error("render", "template", name, "err", err, "request_id", page.RequestID)
		if name == "error" {
			http.Error(w, "Error interno. Folio: "+page.RequestID, http.StatusInternalServerError)
			return
		}
		r.renderError(w, req, http.StatusInternalServerError, errorInternal, page.RequestID)
		return
	}
	h := w.Header()
	h["Content-Type"], h["Cache-Control"] = htmlType, noStore
	// The whole page is in hand: say its length rather than stream it in
	// chunks.
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// formOf returns the form of a page's data: its field Form, a *Form, if
// the data is a struct (or a pointer to one) with such a field; else nil.
// Where each type keeps its form is looked up once.
func (r *Renderer) formOf(data any) *Form {
	v := reflect.ValueOf(data)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	cached, ok := r.formFields.Load(v.Type())
	if !ok {
		var index []int // nil: the type has no Form field
		if f, found := v.Type().FieldByName("Form"); found && f.Type == reflect.TypeFor[*Form]() {
			index = f.Index
		}
		cached, _ = r.formFields.LoadOrStore(v.Type(), index)
	}
	index := cached.([]int)
	if index == nil {
		return nil
	}
	f, err := v.FieldByIndexErr(index) // an error: Form is in a nil embedded struct
	if err != nil {
		return nil
	}
	form, _ := f.Interface().(*Form)
	return form
}

// execute writes the layout's top half, the page's "main" and the
// bottom half, the halves from those kept when the page allows it.
func (r *Renderer) execute(buf *bytes.Buffer, pt pageTemplate, kept *chromes, name string, page *Page) error {
	if !pt.fixedChrome {
		return executeAll(buf, pt.t, page)
	}
	key := chromeKey{page: name, signedIn: page.SignedIn, formErrors: page.FormErrors, menu: page.Menu()}
	c, ok := kept.get(key)
	if !ok {
		var top, bottom bytes.Buffer
		if err := pt.t.ExecuteTemplate(&top, "layout-top", page); err != nil {
			return err
		}
		if err := pt.t.ExecuteTemplate(&bottom, "layout-bottom", page); err != nil {
			return err
		}
		c = chrome{top: top.Bytes(), bottom: bottom.Bytes()}
		kept.put(key, c)
	}
	buf.Write(c.top)
	if err := pt.t.ExecuteTemplate(buf, "main", page); err != nil {
		return err
	}
	buf.Write(c.bottom)
	return nil
}

// executeAll executes the three parts of a page in turn.
func executeAll(buf *bytes.Buffer, t *template.Template, page *Page) error {
	for _, part := range [...]string{"layout-top", "main", "layout-bottom"} {
		if err := t.ExecuteTemplate(buf, part, page); err != nil {
			return err
		}
	}
	return nil
}

// htmlType and noStore are the page's own headers, shared between
// responses (see securityHeaders).
var htmlType, noStore = fixedValue("text/html; charset=utf-8"), fixedValue("no-store")

// StaticHandler serves /static/{hash}/{path}. The hash in the URL changes
// whenever the file does, so responses can be cached for a year.
func (r *Renderer) StaticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _, staticFS := r.files()
		rest := strings.TrimPrefix(req.URL.Path, "/static/")
		hash, name, ok := strings.Cut(rest, "/")
		name = path.Clean(name)
		r.mu.RLock()
		want, known := r.hashes[name]
		r.mu.RUnlock()
		if !ok || !known || strings.HasPrefix(name, "..") {
			r.Error(w, req, notFound)
			return
		}
		if hash == want {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		http.ServeFileFS(w, req, staticFS, name)
	})
}

// signedIn is filled in by the account middleware once sessions exist.
func signedIn(req *http.Request) bool {
	v, _ := req.Context().Value(signedInKey{}).(bool)
	return v
}

type signedInKey struct{}
