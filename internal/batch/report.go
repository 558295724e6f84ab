package batch

import (
	"encoding/csv"
	"io"
	"strconv"
	"sync"
)

// Report kinds.
const (
	Rejected = "rechazada"   // not posted
	Warning  = "advertencia" // posted, but worth a look
)

// Report is the file of rejected and flagged lines: linea,tipo,motivo.
// A contributions import adds to it from two goroutines (the reader's
// rejections and the resolver's), so lines may be out of order.
type Report struct {
	mu sync.Mutex
	w  *csv.Writer
}

// NewReport starts a report with its header.
func NewReport(w io.Writer) (*Report, error) {
	r := &Report{w: csv.NewWriter(w)}
	return r, r.w.Write([]string{"linea", "tipo", "motivo"})
}

// Add records one line.
func (r *Report) Add(line int, kind, reason string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.w.Write([]string{strconv.Itoa(line), kind, reason})
}

// Flush writes what is buffered.
func (r *Report) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.w.Flush()
	return r.w.Error()
}
