package batch

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// MaxLineBytes bounds one line. The longest legitimate row is a few hundred
// bytes; a longer one (a binary blob, a file with millions of columns) is
// rejected without being held in memory.
const MaxLineBytes = 4096

// line is one physical line of a file.
type line struct {
	n          int    // 1-based line number
	text       []byte // without the line ending; valid only until the next read
	tooLong    bool   // longer than MaxLineBytes: text is empty
	badUTF8    bool
	finalNoEOL bool // the last line, with no line ending (maybe truncated)
}

// lineReader yields lines with their numbers.
type lineReader struct {
	r   *bufio.Reader
	n   int
	eof bool
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

var errNoMoreLines = errors.New("batch: no more lines")

// next returns the next line, or errNoMoreLines at the end.
func (lr *lineReader) next() (line, error) {
	if lr.eof {
		return line{}, errNoMoreLines
	}
	lr.n++
	l := line{n: lr.n}
	buf, err := lr.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || len(buf) > MaxLineBytes+2 {
		// Skip the rest of the line without keeping it.
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = lr.r.ReadSlice('\n')
		}
		if err == io.EOF {
			lr.eof = true
		} else if err != nil {
			return line{}, err
		}
		l.tooLong = true
		return l, nil
	}
	switch {
	case err == io.EOF:
		lr.eof = true
		if len(buf) == 0 {
			return line{}, errNoMoreLines
		}
		l.finalNoEOL = true
	case err != nil:
		return line{}, err
	}
	buf = bytes.TrimSuffix(buf, []byte("\n"))
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	if l.n == 1 {
		buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark
	}
	l.text = buf
	l.badUTF8 = !utf8.Valid(buf)
	return l, nil
}
