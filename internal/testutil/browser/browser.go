// Package browser drives Debian's headless Chromium from tests (through
// chromedp) and checks pages with axe-core for WCAG 2.2 A/AA violations.
// A test that needs it calls New; where Chromium or axe-core is missing the
// test skips locally and fails under CI (package need).
package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"micuenta/internal/testutil/need"
)

// Browser is one headless Chromium with one tab.
type Browser struct {
	ctx   context.Context
	t     testing.TB
	mode  string          // how pages are shown: "1280px", "320px", "zoom200"
	noJS  bool            // JavaScript is off
	shots map[string]bool // the screenshots kept, by file name
}

// New starts Chromium for the test and closes it when the test ends.
func New(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		need.Unavailable(t, "Chromium", "no chromium binary found; install the chromium package")
		return nil
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		need.Unavailable(t, "Chromium", "cannot start it: "+err.Error())
		return nil
	}
	return &Browser{ctx: ctx, t: t, mode: "1280px"}
}

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// step runs actions with a time limit and fails the test on error.
func (b *Browser) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail("%s: %v", what, err)
	}
}

func (b *Browser) fail(format string, args ...any) {
	b.t.Helper()
	b.keepScreenshot("")
	b.t.Fatalf(format, args...)
}

// Errorf reports a failed check of a page without stopping the test, and
// keeps a screenshot named after the test, the page and the mode (e.g.
// TestEveryPortalPage_mi-cuenta_credito_320px.png).
func (b *Browser) Errorf(page, format string, args ...any) {
	b.t.Helper()
	b.keepScreenshot(page)
	b.t.Errorf(page+" ("+b.Mode()+"): "+format, args...)
}

// Mode names how pages are shown now, as screenshot names say it:
// "1280px", "320px", "zoom200", with "_nojs" added while JavaScript is off.
func (b *Browser) Mode() string {
	if b.noJS {
		return b.mode + "_nojs"
	}
	return b.mode
}

// Navigate opens url and waits for it to load.
func (b *Browser) Navigate(url string) {
	b.t.Helper()
	b.step("navigate to "+url, chromedp.Navigate(url))
}

// Text returns the visible text of the first element matching a CSS selector.
func (b *Browser) Text(selector string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		b.fail("text of %s: %v", selector, err)
	}
	return s
}

// Title returns the document title.
func (b *Browser) Title() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Title())
	if err != nil {
		b.fail("title: %v", err)
	}
	return s
}

// SetValue fills a form field.
func (b *Browser) SetValue(selector, value string) {
	b.t.Helper()
	b.step("set "+selector, chromedp.SetValue(chromedp.CSS(selector), value))
}

// SetUploadFiles chooses files (absolute paths on this machine) in a file
// input.
func (b *Browser) SetUploadFiles(selector string, paths ...string) {
	b.t.Helper()
	b.step("upload to "+selector, chromedp.SetUploadFiles(chromedp.CSS(selector), paths))
}

// Click clicks an element and waits for any navigation it starts.
func (b *Browser) Click(selector string) {
	b.t.Helper()
	b.step("click "+selector, chromedp.Click(chromedp.CSS(selector)))
}

// ClickAndWait clicks something that loads a new page (a submit button, a
// link) and waits until the new page has loaded.
func (b *Browser) ClickAndWait(selector string) {
	b.t.Helper()
	_ = Eval[bool](b, "window.__micuentaOld = true")
	b.Click(selector)
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	for {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__micuentaOld === undefined && document.readyState === "complete"`))
		if err == nil && done {
			return
		}
		select {
		case <-ctx.Done():
			b.fail("click %s: no new page loaded", selector)
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Viewport resizes the page, e.g. to 320 px for the narrowest phones.
func (b *Browser) Viewport(width, height int64) {
	b.t.Helper()
	b.step("viewport", chromedp.EmulateViewport(width, height))
	b.mode = fmt.Sprintf("%dpx", width)
}

// Zoom emulates the browser's zoom on a 1280×900 window: at 200% the page
// lays out in a 640×450 CSS-pixel viewport drawn with two device pixels
// to each CSS pixel, as Chromium does when a person presses Ctrl and +.
// Zoom(100) is the plain 1280-pixel window again.
func (b *Browser) Zoom(percent int64) {
	b.t.Helper()
	b.step("zoom", chromedp.EmulateViewport(1280*100/percent, 900*100/percent, chromedp.EmulateScale(float64(percent)/100)))
	b.mode = fmt.Sprintf("zoom%d", percent)
	if percent == 100 {
		b.mode = "1280px"
	}
}

// DisableJavaScript turns scripts off for the pages opened after it. The
// test itself can still evaluate expressions (Eval, Text, the overflow
// check), but axe-core, being a page script, cannot run.
func (b *Browser) DisableJavaScript() {
	b.t.Helper()
	b.scripts(false)
}

// EnableJavaScript turns scripts back on for the pages opened after it.
func (b *Browser) EnableJavaScript() {
	b.t.Helper()
	b.scripts(true)
}

func (b *Browser) scripts(on bool) {
	b.t.Helper()
	b.step("javascript", func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return chromedp.Void{}, err
	})
	b.noJS = !on
}

// Status is the HTTP status of the page now shown (0 when unknown).
func (b *Browser) Status() int {
	b.t.Helper()
	return Eval[int](b, `(performance.getEntriesByType("navigation")[0] || {}).responseStatus || 0`)
}

// Eval evaluates a JavaScript expression and decodes its JSON value into T.
func Eval[T any](b *Browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("evaluate: %v", err)
	}
	return v
}

// HorizontalOverflow reports whether the page is wider than the viewport.
func (b *Browser) HorizontalOverflow() bool {
	b.t.Helper()
	return Eval[bool](b, "document.documentElement.scrollWidth > window.innerWidth + 1")
}

// Violation is one axe-core rule a page breaks.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// AxeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2, levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}

// Violations runs axe-core on the current page.
func (b *Browser) Violations() []Violation {
	b.t.Helper()
	src := axeSource(b.t)
	if src == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	// Once for each page loaded: a page resized or zoomed keeps it.
	if loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined"`)); err != nil || !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](src+";0")); err != nil {
			b.fail("inject axe-core: %v", err)
		}
	}
	tags, _ := json.Marshal(AxeTags)
	js := fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r => r.violations)`, tags)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("run axe-core: %v", err)
	}
	return v
}

// CheckA11y fails the test, listing each violation, when axe-core finds any.
func (b *Browser) CheckA11y(page string) {
	b.t.Helper()
	if report := b.A11yReport(); report != "" {
		b.keepScreenshot(page)
		b.t.Fatalf("%s: %s", page, report)
	}
}

// ExpectA11y is CheckA11y that lets the test go on: it reports the
// violations (and keeps a screenshot) and says whether there were none.
func (b *Browser) ExpectA11y(page string) bool {
	b.t.Helper()
	if report := b.A11yReport(); report != "" {
		b.Errorf(page, "%s", report)
		return false
	}
	return true
}

// A11yReport lists the violations axe-core finds on the page, "" when
// there are none.
func (b *Browser) A11yReport() string {
	b.t.Helper()
	v := b.Violations()
	if len(v) == 0 {
		return ""
	}
	var sb strings.Builder
	for _, x := range v {
		fmt.Fprintf(&sb, "\n  %s (%s): %s", x.ID, x.Impact, x.Help)
		for i, n := range x.Nodes {
			if i == 3 {
				fmt.Fprintf(&sb, "\n    … %d more", len(x.Nodes)-3)
				break
			}
			fmt.Fprintf(&sb, "\n    %v %s", n.Target, truncate(n.HTML, 160))
		}
	}
	return fmt.Sprintf("%d accessibility violation(s):%s", len(v), sb.String())
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// axeSource reads node_modules/axe-core/axe.min.js from the module root.
func axeSource(t testing.TB) string {
	t.Helper()
	root := moduleRoot()
	b, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		need.Unavailable(t, "axe-core", "node_modules/axe-core/axe.min.js is missing; run `npm ci` at the repository root")
		return ""
	}
	return string(b)
}

// fileSafe turns a test name or a path into a file name.
var fileSafe = strings.NewReplacer("/", "_", " ", "_", "?", "_", "&", "_", "=", "-", "{", "", "}", "", ":", "", "*", "", "\\", "_", "|", "_", "<", "", ">", "", "\"", "")

func moduleRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// keepScreenshot saves the page when a test fails, under test-artifacts/
// (or MICUENTA_TEST_ARTIFACTS), and logs where. The file is named after
// the test and, for a failed check of a page, the page and the mode; one
// screenshot is kept for each such name.
func (b *Browser) keepScreenshot(page string) {
	dir := os.Getenv("MICUENTA_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(moduleRoot(), "test-artifacts")
	}
	name := b.t.Name()
	if page != "" {
		name += "_" + strings.Trim(page, "/") + "_" + b.Mode()
	}
	name = strings.Trim(fileSafe.Replace(name), "_") + ".png"
	if b.shots[name] {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil || os.MkdirAll(dir, 0o755) != nil {
		return
	}
	if b.shots == nil {
		b.shots = map[string]bool{}
	}
	b.shots[name] = true
	path := filepath.Join(dir, name)
	if os.WriteFile(path, png, 0o644) == nil {
		b.t.Logf("screenshot kept at %s", path)
	}
}
