package ui

import "net/http"

// page serves a page whose content is all in its template.
func (h *Handler) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.render.Render(w, r, http.StatusOK, name, nil)
	}
}
