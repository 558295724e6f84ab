package web

import (
	"html/template"
	"sync"
	"sync/atomic"
	"text/template/parse"
)

// A page is its layout's top half, the page's own "main" and the
// layout's bottom half. The halves (head, banner, header and menu,
// footer, the idle-session warning) are the same on every request that
// has the same page, menu and sign-in state, yet executing them costs a
// reflect call and an escaper per action on every request: 26–32 µs and
// 48 allocations for a signed-in page whose main is fixed text, against
// 12–18 µs and 17 kept (BenchmarkLayoutHalves). So where the halves
// provably depend on nothing else, they are executed once per such
// state and kept as bytes; only "main" runs per request.

// chromeFields are the Page fields the layout's halves may read and still
// be kept: each is fixed by the renderer (Demo, the idle times) or by
// chromeKey (SignedIn, FormErrors, and Menu, whose output is the key
// itself).
var chromeFields = map[string]bool{"Demo": true, "SignedIn": true, "FormErrors": true, "Menu": true, "IdleSeconds": true, "WarnSeconds": true}

// maxChromes bounds the kept halves. The menu states are few (one per
// entry a path can mark, times signed in or out, times the pages), so
// the bound is only a guard; past it, halves are executed per request.
const maxChromes = 2048

type chromeKey struct {
	page                 string
	signedIn, formErrors bool
	menu                 template.HTML
}

type chrome struct{ top, bottom []byte }

// chromes holds the kept halves of one load of the templates; a reload
// (dev mode) starts afresh.
type chromes struct {
	m sync.Map // chromeKey → chrome
	n atomic.Int32
}

func (c *chromes) get(k chromeKey) (chrome, bool) {
	v, ok := c.m.Load(k)
	if !ok {
		return chrome{}, false
	}
	return v.(chrome), true
}

func (c *chromes) put(k chromeKey, v chrome) {
	if c.n.Load() >= maxChromes {
		return
	}
	if _, loaded := c.m.LoadOrStore(k, v); !loaded {
		c.n.Add(1)
	}
}

// fixedChrome reports whether both halves of t's layout read nothing
// but chromeFields, directly or in the templates they call ("title",
// "scripts"). A page whose title names its data ("Trámite {{.Data.Folio}}")
// is not kept; anything the check does not recognise counts as
// dependent, so a new construct in a layout costs speed, never a wrong
// page.
func fixedChrome(t *template.Template) bool {
	return fixedTemplate(t, "layout-top", 0) && fixedTemplate(t, "layout-bottom", 0)
}

func fixedTemplate(t *template.Template, name string, depth int) bool {
	tt := t.Lookup(name)
	if tt == nil {
		// {{block}} defines its default body, so a missing name is a
		// {{template}} of nothing: executing it would fail anyway.
		return false
	}
	if tt.Tree == nil || tt.Tree.Root == nil {
		return true
	}
	return depth < 8 && fixedNode(t, tt.Tree.Root, depth)
}

func fixedNode(t *template.Template, n parse.Node, depth int) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return true
		}
		for _, c := range n.Nodes {
			if !fixedNode(t, c, depth) {
				return false
			}
		}
		return true
	case *parse.TextNode, *parse.CommentNode:
		return true
	case *parse.ActionNode:
		return fixedPipe(n.Pipe)
	case *parse.IfNode:
		return fixedPipe(n.Pipe) && fixedNode(t, n.List, depth) && fixedNode(t, n.ElseList, depth)
	case *parse.TemplateNode:
		if n.Pipe != nil && !isDot(n.Pipe) {
			return false
		}
		return fixedTemplate(t, n.Name, depth+1)
	}
	// range, with, variables, break and continue: not worth recognising.
	return false
}

// fixedPipe accepts a pipeline that is one chromeFields field: {{.Demo}},
// {{if .SignedIn}}.
func fixedPipe(p *parse.PipeNode) bool {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	return ok && len(f.Ident) == 1 && chromeFields[f.Ident[0]]
}

func isDot(p *parse.PipeNode) bool {
	if len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	_, ok := p.Cmds[0].Args[0].(*parse.DotNode)
	return ok
}
