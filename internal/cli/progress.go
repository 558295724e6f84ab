package cli

import (
	"context"
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
	done     int64
	start    time.Time
	lastLine time.Time
	lastPct  int64

	// When set, the progress is also written to the database every
	// progressEvery for /metrics (micuenta_batch_*).
	ctx         context.Context
	store       progressStore
	job, source string
	lastStored  time.Time
}

// progressStore records a batch command's progress (store.DB).
type progressStore interface {
	RecordBatchProgress(ctx context.Context, job, source string, done, total int64, started time.Time, finished bool) error
}

const progressEvery = 2 * time.Second

// recordTo makes p also write its progress to s under job, for /metrics.
// A failure to write it never stops the work: the command's own output
// and result are what count.
func (p *progress) recordTo(ctx context.Context, s progressStore, job, source string) *progress {
	p.ctx, p.store, p.job, p.source = ctx, s, job, source
	return p
}

func (p *progress) record(done int64, finished bool) {
	if p.store == nil || (!finished && done > 0 && time.Since(p.lastStored) < progressEvery) {
		return
	}
	p.lastStored = time.Now()
	_ = p.store.RecordBatchProgress(p.ctx, p.job, p.source, done, p.total, p.start, finished)
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
	p.record(0, false)
}

func (p *progress) Set(done int64) {
	p.done = done
	p.record(done, false)
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
	p.record(p.done, true)
	if p.terminal {
		fmt.Fprintln(p.w)
	}
}
