package web

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html templates/partials/*.html
var layoutFiles embed.FS

//go:embed static
var staticFiles embed.FS

// LayoutTemplates returns the shared layout and error page.
func LayoutTemplates() fs.FS {
	sub, _ := fs.Sub(layoutFiles, "templates")
	return sub
}

// StaticFiles returns the shared static files (CSS, images, scripts).
func StaticFiles() fs.FS {
	sub, _ := fs.Sub(staticFiles, "static")
	return sub
}
