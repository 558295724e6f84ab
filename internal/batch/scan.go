package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// scan reads a batch file: it checks the header, rejects the lines that
// cannot be rows of the layout (too long, not UTF-8, empty, unbalanced
// quotes, the wrong number of fields, a truncated last line), and hands
// every other line's fields to row, which validates and keeps it, or
// answers why not. row may return warn for a kept line, and err to stop.
// done reports the bytes read so far, for progress.
type scan struct {
	header []string
	report *Report
	sum    *Summary
	cr     *countingReader
}

func newScan(r io.Reader, header []string, report *Report, sum *Summary) *scan {
	return &scan{header: header, report: report, sum: sum, cr: &countingReader{r: r}}
}

func (s *scan) bytesRead() int64 { return s.cr.n }

// run reads to the end; row gets each well-formed line.
func (s *scan) run(ctx context.Context, row func(n int, fields []string) (reject, warn string, err error)) error {
	lr := newLineReader(s.cr)
	head, err := lr.next()
	if err != nil {
		if errors.Is(err, errNoMoreLines) {
			return fmt.Errorf("%w: the file is empty; expected the header %q", ErrHeader, strings.Join(s.header, ","))
		}
		return err
	}
	if err := checkHeader(head, s.header); err != nil {
		return err
	}
	fields := make([]string, 0, 16)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		l, err := lr.next()
		if errors.Is(err, errNoMoreLines) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading line %d: %w", lr.n, err)
		}
		s.sum.Read++
		reject, warn := "", ""
		switch {
		case l.tooLong:
			reject = fmt.Sprintf("La línea mide más de %d bytes; no es una línea de este formato.", MaxLineBytes)
		case l.badUTF8:
			reject = "La línea no está en UTF-8; guarda el archivo como UTF-8."
		case len(l.text) == 0:
			reject = "Línea vacía."
		}
		if reject == "" {
			var ok bool
			fields, ok = splitCSV(string(l.text), fields)
			switch {
			case !ok:
				reject = "Hay unas comillas sin cerrar."
			case len(fields) != len(s.header) && l.finalNoEOL:
				reject = fmt.Sprintf("La última línea está incompleta (%d de %d campos); el archivo parece cortado.", len(fields), len(s.header))
			case len(fields) != len(s.header):
				reject = fmt.Sprintf("La línea tiene %d campos y deben ser %d.", len(fields), len(s.header))
			default:
				for i := range fields {
					fields[i] = strings.TrimSpace(fields[i])
				}
				if reject, warn, err = row(l.n, fields); err != nil {
					return err
				}
			}
		}
		if err := s.note(l.n, reject, warn); err != nil {
			return err
		}
	}
}

// note counts and reports a rejected or flagged line.
func (s *scan) note(n int, reject, warn string) error {
	switch {
	case reject != "":
		s.sum.Rejected++
		return s.report.Add(n, Rejected, reject)
	case warn != "":
		s.sum.Warnings++
		return s.report.Add(n, Warning, warn)
	}
	return nil
}
