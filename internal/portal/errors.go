package portal

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The web package maps each to an HTTP
// status and a Spanish page; the CLI maps them to exit statuses.
const (
	EINVALID      = "invalid"      // the caller sent something malformed
	ENOTFOUND     = "not_found"    // the thing does not exist (or may not be seen)
	ECONFLICT     = "conflict"     // it would break a uniqueness or state rule
	EUNAUTHORIZED = "unauthorized" // a sign-in is needed
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	ERATELIMIT    = "rate_limited" // too many attempts; try later
	EUNAVAILABLE  = "unavailable"  // a dependency (database, gateway) is down
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is a domain error: a code for programs and a message for people.
// Message is already in Mexican Spanish and safe to show; internal detail
// belongs in a wrapped error, never in Message.
type Error struct {
	Code    string
	Message string
	Err     error // the underlying cause, for logs only
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a domain error with a Spanish message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds a domain error that keeps cause for the logs.
func Wrap(code string, cause error, message string) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

// ErrorCode returns the code of the first domain error in err's chain,
// EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-facing message of err: the domain error's
// own message, or a generic one that reveals nothing internal.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Ocurrió un error inesperado. Intenta de nuevo en unos minutos."
}
