package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws long work: a redrawn bar on a terminal, and plain lines
// (every 10% or every 10 seconds) when the output is a file or a pipe, so
// logs stay readable.
type progress struct {
	w        io.Writer
	what     string
	terminal bool
	total    int64
	start    time.Time
	lastLine time.Time
	lastPct  int64
}

func newProgress(w io.Writer, what string) *progress {
	p := &progress{w: w, what: what}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) Start(total int64) {
	p.total, p.start, p.lastLine, p.lastPct = total, time.Now(), time.Now(), -1
}

func (p *progress) Set(done int64) {
	pct := int64(100)
	if p.total > 0 {
		pct = done * 100 / p.total
	}
	elapsed := time.Since(p.start)
	rate := float64(done) / max(elapsed.Seconds(), 0.001)
	eta := ""
	if rate > 0 && done < p.total {
		eta = " ETA " + (time.Duration(float64(p.total-done)/rate) * time.Second / time.Second * time.Second).Round(time.Second).String()
	}
	if p.terminal {
		const width = 30
		fill := int(pct * width / 100)
		fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d %.0f/s%s   ", p.what,
			strings.Repeat("=", fill), strings.Repeat(" ", width-fill), pct, done, p.total, rate, eta)
		return
	}
	if pct/10 != p.lastPct/10 || time.Since(p.lastLine) >= 10*time.Second || done == p.total {
		fmt.Fprintf(p.w, "%s: %d/%d (%d%%), %.0f/s%s\n", p.what, done, p.total, pct, rate, eta)
		p.lastPct, p.lastLine = pct, time.Now()
	}
}

func (p *progress) Finish() {
	if p.terminal {
		fmt.Fprintln(p.w)
	}
}
