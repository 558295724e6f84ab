package browser

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
)

const clean = `<!doctype html><html lang="es-MX"><head><meta charset="utf-8"><title>Prueba</title></head>
<body><main><h1>Registro</h1><form><label for="nss">NSS</label><input id="nss" name="nss">
<button id="b" type="button">Enviar</button></form><p id="estado">Pendiente</p></main>
<script src="/app.js"></script></body></html>`

const broken = `<!doctype html><html lang="es-MX"><head><meta charset="utf-8"><title>Mal</title></head>
<body><main><h1>Mal</h1><img src="/x.png"><input name="sin-etiqueta"></main></body></html>`

func server(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/limpia", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(clean)) })
	mux.HandleFunc("/rota", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(broken)) })
	mux.HandleFunc("/app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(`document.getElementById("b").addEventListener("click", () => { document.getElementById("estado").textContent = "Solicitud enviada, señor"; });`))
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestBrowserAndAxe(t *testing.T) {
	s := server(t)
	b := New(t)
	b.Navigate(s.URL + "/limpia")
	if b.Title() != "Prueba" {
		t.Fatalf("title %q", b.Title())
	}
	b.CheckA11y("clean page")
	b.Click("#b")
	if got := b.Text("#estado"); got != "Solicitud enviada, señor" {
		t.Fatalf("after click: %q", got)
	}
	b.Viewport(320, 640)
	if b.HorizontalOverflow() {
		t.Fatal("clean page overflows at 320 px")
	}

	b.Navigate(s.URL + "/rota")
	var ids []string
	for _, v := range b.Violations() {
		ids = append(ids, v.ID)
	}
	sort.Strings(ids)
	if len(ids) != 2 || ids[0] != "image-alt" || ids[1] != "label" {
		t.Fatalf("axe found %v, want exactly the planted image-alt and label", ids)
	}
}

func TestModes(t *testing.T) {
	s := server(t)
	b := New(t)
	b.Navigate(s.URL + "/limpia")
	if b.Mode() != "1280px" {
		t.Fatalf("first mode %q", b.Mode())
	}
	b.Zoom(200)
	if w, r := Eval[int](b, "window.innerWidth"), Eval[float64](b, "window.devicePixelRatio"); w != 640 || r != 2 || b.Mode() != "zoom200" {
		t.Fatalf("at 200%%: %d CSS px wide at ratio %v, mode %q", w, r, b.Mode())
	}
	b.Viewport(320, 640)
	b.DisableJavaScript()
	if b.Mode() != "320px_nojs" {
		t.Fatalf("mode %q", b.Mode())
	}
	b.Navigate(s.URL + "/limpia")
	b.Click("#b")
	if got := b.Text("#estado"); got != "Pendiente" {
		t.Fatalf("a script ran with JavaScript off: %q", got)
	}
	b.EnableJavaScript()
	b.Navigate(s.URL + "/limpia")
	b.Click("#b")
	if got := b.Text("#estado"); got != "Solicitud enviada, señor" {
		t.Fatalf("with JavaScript on again: %q", got)
	}
	if b.Status() != 200 {
		t.Fatalf("status %d", b.Status())
	}
}
