package web

import (
	"html/template"
	"strings"
)

// Cell is one cell of a table body written by TableRows.
type Cell struct {
	Text string
	Num  bool // right-aligned figures (class="num")
}

// TableRows writes the rows of a long table (a list of movements) as
// HTML, each cell's text escaped for an element's body (quotes, &, <, >
// and NUL, by template.HTMLEscapeString). A template spends a reflect call and an escaper on
// every action: at four or five cells a row and 25 rows a page, that was
// a sixth of the movements page's CPU (BENCHMARKS.md), for markup that is
// always <tr><td>text</td>…</tr>. Everything around the rows (the
// caption, the headers, the empty state) stays in the page's template.
func TableRows(rows [][]Cell) template.HTML {
	var b strings.Builder
	n := 0
	for _, r := range rows {
		n += 10
		for _, c := range r {
			n += 20 + len(c.Text)
		}
	}
	b.Grow(n)
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			if c.Num {
				b.WriteString(`<td class="num">`)
			} else {
				b.WriteString("<td>")
			}
			b.WriteString(template.HTMLEscapeString(c.Text))
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}
