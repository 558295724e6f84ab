package e2e

import (
	"strings"
	"testing"

	"micuenta/internal/testutil/browser"
)

// The public pages and the error page: zero WCAG 2.2 A/AA violations, no
// horizontal scrolling at 320 px, and readable without JavaScript.
func TestPublicPagesAreAccessible(t *testing.T) {
	base := startPortal(t)
	b := browser.New(t)
	pages := []struct{ path, h1 string }{
		{"/", "Tu ahorro para la vivienda"},
		{"/ayuda", "Ayuda"},
		{"/privacidad", "Aviso de privacidad"},
		{"/terminos", "Términos y condiciones"},
		{"/no-existe", "No encontramos la página"},
	}
	for _, width := range []int64{1280, 320} {
		b.Viewport(width, 900)
		for _, p := range pages {
			b.Navigate(base + p.path)
			if h1 := b.Text("h1"); !strings.Contains(h1, p.h1) {
				t.Errorf("%s at %d px: h1 %q, want %q", p.path, width, h1, p.h1)
			}
			b.CheckA11y(p.path)
			if b.HorizontalOverflow() {
				t.Errorf("%s scrolls sideways at %d px", p.path, width)
			}
		}
	}
	b.DisableJavaScript()
	b.Navigate(base + "/")
	if !strings.Contains(b.Text("main"), "Crear mi cuenta") {
		t.Error("the home page does not work without JavaScript")
	}
}
