package batch

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Report kinds.
const (
	Rejected = "rechazada"   // not posted
	Warning  = "advertencia" // posted, but worth a look
)

// Report is the file of rejected and flagged lines: linea,tipo,motivo.
type Report struct {
	w *csv.Writer
}

// NewReport starts a report with its header.
func NewReport(w io.Writer) (*Report, error) {
	r := &Report{w: csv.NewWriter(w)}
	return r, r.w.Write([]string{"linea", "tipo", "motivo"})
}

// Add records one line.
func (r *Report) Add(line int, kind, reason string) error {
	return r.w.Write([]string{strconv.Itoa(line), kind, reason})
}

// Flush writes what is buffered.
func (r *Report) Flush() error {
	r.w.Flush()
	return r.w.Error()
}
