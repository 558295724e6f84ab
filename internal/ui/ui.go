// Package ui is the people's site: its routes and one handler per page or
// action. Handlers read the request, call services and render templates;
// the rules live in the services, the plumbing in package web.
package ui

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"

	"micuenta/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Templates returns the people's site page templates.
func Templates() fs.FS {
	sub, _ := fs.Sub(templateFiles, "templates")
	return sub
}

// Checker reports whether a dependency is ready; /readyz asks each one.
type Checker interface {
	Ping(ctx context.Context) error
}

// Handler serves the people's site.
type Handler struct {
	render *web.Renderer
	log    *slog.Logger
	ready  map[string]Checker
}

// New builds the site's handler. ready names the checks /readyz runs.
func New(render *web.Renderer, log *slog.Logger, ready map[string]Checker) *Handler {
	return &Handler{render: render, log: log, ready: ready}
}
