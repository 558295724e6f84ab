package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Form holds what a person typed and what was wrong with it, so a page can
// be shown again with their input kept, an error summary at the top linked
// to each field, and the message at the field (GOV.UK pattern).
type Form struct {
	values map[string]string
	errors map[string]string
	order  []string
}

// FieldError is one entry of the error summary.
type FieldError struct{ Field, Message string }

// maxField bounds any one field; nothing the portal asks for is longer.
const maxField = 1024

// ErrBodyTooLarge means the request body exceeded the limit.
var ErrBodyTooLarge = errors.New("web: request body too large")

// ParseForm reads a POSTed form. Values are trimmed and cut to a sane
// length; a body over the limit is ErrBodyTooLarge.
func ParseForm(r *http.Request) (*Form, error) {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, ErrBodyTooLarge
		}
		return nil, err
	}
	f := NewForm()
	for k, vs := range r.PostForm {
		if len(vs) == 0 {
			continue
		}
		f.values[k] = clip(vs[0], maxField)
	}
	return f, nil
}

// NewForm is an empty form (a page shown for the first time).
func NewForm() *Form { return &Form{values: map[string]string{}, errors: map[string]string{}} }

// Get returns a field's value.
func (f *Form) Get(name string) string { return f.values[name] }

// Set changes a field's value (to clear a password before re-rendering).
func (f *Form) Set(name, value string) { f.values[name] = value }

// Fail records the first error of a field.
func (f *Form) Fail(field, message string) {
	if _, seen := f.errors[field]; seen {
		return
	}
	f.errors[field] = message
	f.order = append(f.order, field)
}

// Error is a field's message, for the template.
func (f *Form) Error(field string) string { return f.errors[field] }

// Valid reports whether no field failed.
func (f *Form) Valid() bool { return len(f.errors) == 0 }

// HasErrors is the template's view of !Valid.
func (f *Form) HasErrors() bool { return f != nil && len(f.errors) > 0 }

// Summary lists the errors in the order they were found.
func (f *Form) Summary() []FieldError {
	out := make([]FieldError, 0, len(f.order))
	for _, k := range f.order {
		out = append(out, FieldError{k, f.errors[k]})
	}
	return out
}

// FieldView is what the "input" partial needs to draw one text field.
type FieldView struct {
	Name, Label, Hint, Type, Autocomplete, Value, Error string
	Width                                               string // "", "5", "10" or "20" (.input-wN)
}

// NewFieldView is the template function "field": field FORM NAME LABEL
// HINT TYPE AUTOCOMPLETE [WIDTH]. Password fields never show a value.
func NewFieldView(f *Form, name, label, hint, typ, autocomplete string, width ...string) FieldView {
	v := FieldView{Name: name, Label: label, Hint: hint, Type: typ, Autocomplete: autocomplete, Error: f.Error(name)}
	if typ != "password" {
		v.Value = f.Get(name)
	}
	if len(width) > 0 {
		v.Width = width[0]
	}
	return v
}

// clip trims a value and cuts it to at most n bytes without splitting a
// character.
func clip(v string, n int) string {
	v = strings.TrimSpace(v)
	if len(v) > n {
		v = v[:n]
		for !utf8.ValidString(v) {
			v = v[:len(v)-1]
		}
	}
	return v
}
