package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"micuenta/internal/batch"
	"micuenta/internal/config"
	"micuenta/internal/portal"
	"micuenta/internal/reference"
)

// importCmd implements `micuenta import people|employment|contributions FILE`:
// a batch file from the fund's systems (docs/imports.md). Exit 0 when the
// whole file was read (rejected lines are in the report), 2 when the file
// or the configuration cannot be used, 1 when posting stopped half-way (run
// the same command again to finish).
func importCmd(ctx context.Context, env Env, args []string) error {
	var cfg config.Config
	fs := newFlags(env, "import", "import people|employment|contributions FILE [--report PATH] [flags]   (FILE - reads standard input)")
	report := fs.String("report", "", "where to write the rejected and flagged lines (default FILE.informe.csv)")
	sortRows := fs.Int("sort-rows", batch.SortRows, "rows held in memory (about 100 bytes each; two runs at once on a longer file) and sorted by person before posting; lower it to use less memory, raise it for faster posting of very large files")
	kind, file, rest, err := importArgs(args)
	if err != nil {
		fs.Usage()
		return startup(err)
	}
	if err := loadConfig(env, fs, rest, &cfg, false); err != nil {
		return err
	}
	if kind != "contributions" && kind != "people" && kind != "employment" {
		return startup(fmt.Errorf("unknown file kind %q: use people, employment or contributions", kind))
	}
	in, size, closeIn, err := openInput(file)
	if err != nil {
		return startup(err)
	}
	defer closeIn()
	if *report == "" {
		*report = file + ".informe.csv"
		if file == "-" {
			*report = fmt.Sprintf("importacion-%s-%s.informe.csv", kind, time.Now().Format("20060102-150405"))
		}
	}
	a, err := openBatchApp(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	ref, err := reference.Load(ctx, a.DB)
	if err != nil {
		return err
	}
	rf, err := os.Create(*report)
	if err != nil {
		return startup(fmt.Errorf("cannot write the report: %v; choose another path with --report", errors.Unwrap(err)))
	}
	defer rf.Close()
	rep, err := batch.NewReport(rf)
	if err != nil {
		return err
	}
	start := time.Now()
	source := filepath.Base(file) // the label /metrics shows for this run
	if file == "-" {
		source = "stdin"
	}
	var sum batch.Summary
	today := portal.DateOf(time.Now())
	if kind == "contributions" {
		release, lockErr := a.DB.ContributionsImportLock(ctx)
		if lockErr != nil {
			return startup(lockErr)
		}
		defer release()
		im := &batch.ContributionImport{Store: a.DB, Ref: ref, Today: today, Report: rep,
			Progress: newProgress(env.Stderr, "import").recordTo(ctx, a.DB, "import contributions", source), Size: size, SortRows: *sortRows}
		sum, err = im.Run(ctx, in)
	} else {
		im := &batch.RecordImport{Store: a.DB, Today: today, Report: rep, Progress: newProgress(env.Stderr, "import").recordTo(ctx, a.DB, "import "+kind, source), Size: size}
		sum, err = im.Run(ctx, kind, in)
	}
	_ = rep.Flush()
	if errors.Is(err, batch.ErrHeader) {
		return startup(err)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(env.Stdout, "import %s: read %d, posted %d, duplicate %d, rejected %d (%d flagged) in %s (%.0f lines/s); report: %s\n",
		kind, sum.Read, sum.Posted, sum.Duplicates, sum.Rejected, sum.Warnings, elapsed.Round(time.Millisecond),
		float64(sum.Read)/max(elapsed.Seconds(), 1e-9), *report)
	if err != nil {
		return fmt.Errorf("stopped after %d lines: %w; what was posted stays, and running the same command again completes the file", sum.Read, err)
	}
	return nil
}

// importArgs splits KIND FILE from the flags, which may come before,
// between or after them.
func importArgs(args []string) (kind, file string, flags []string, err error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-" || len(a) == 0 || a[0] != '-':
			pos = append(pos, a)
		default:
			flags = append(flags, a)
			// A flag's value may be the next argument (--report x).
			if i+1 < len(args) && !hasValue(a) && takesValue(a) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	if len(pos) != 2 {
		return "", "", nil, errors.New("give the kind of file and the file: micuenta import people|employment|contributions FILE (- for standard input)")
	}
	return pos[0], pos[1], flags, nil
}

func hasValue(flag string) bool {
	for _, r := range flag {
		if r == '=' {
			return true
		}
	}
	return false
}

// takesValue reports whether a flag expects a value: every flag of import
// does except the booleans.
func takesValue(flag string) bool {
	switch trimDashes(flag) {
	case "dev", "h", "help":
		return false
	}
	return true
}

func trimDashes(s string) string {
	for len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	return s
}

// openInput opens FILE, or standard input for "-", with its size when known.
func openInput(file string) (io.Reader, int64, func(), error) {
	if file == "-" {
		return os.Stdin, 0, func() {}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("cannot open %s: %v", file, errors.Unwrap(err))
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			f.Close()
			return nil, 0, nil, fmt.Errorf("%s is a directory; give a CSV file", file)
		}
		size = st.Size()
	}
	return f, size, func() { f.Close() }, nil
}
