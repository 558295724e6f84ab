package web

import (
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// ParseMultipart reads a POSTed multipart form (a form with files): its
// text fields as a Form, and the files of each field. The body limit is
// the route's (LimitBodyFunc); everything is held in memory up to it, so
// no upload touches a temporary file on disk.
func ParseMultipart(r *http.Request, limit int64) (*Form, map[string][]*multipart.FileHeader, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, err := ParseForm(r)
		return f, nil, err
	}
	if err := r.ParseMultipartForm(limit); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, ErrBodyTooLarge
		}
		return nil, nil, err
	}
	f := NewForm()
	for k, vs := range r.MultipartForm.Value {
		if len(vs) == 0 {
			continue
		}
		// Request forms carry longer texts (an ARCO description, an
		// answer): four times the usual bound.
		f.values[k] = clip(vs[0], maxField*4)
	}
	return f, r.MultipartForm.File, nil
}

// LimitBodyFunc caps request bodies with a limit chosen per request, so
// upload routes can take more than the rest of the site.
func LimitBodyFunc(limit func(*http.Request) int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit(r))
		next.ServeHTTP(w, r)
	})
}

// Attachment is a Content-Disposition that makes the browser download a
// file under name (RFC 6266; non-ASCII names in RFC 2231 form).
func Attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}
