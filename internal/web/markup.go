package web

// The long, repetitive parts of the busiest pages — a table's rows, a
// filter's choices, the summary's figures — are written here rather than
// in templates. A template spends a reflect call and an escaper on every
// action: at four or five a row and 20 rows a page, plus three or four a
// choice with a dozen choices, that was most of the movements page's
// rendering (BENCHMARKS.md). The markup around them (captions, headers,
// labels, empty states) stays in the pages' templates.

import (
	"html/template"
	"strconv"
	"strings"
)

// Cell is one cell of a table body written by TableRows.
type Cell struct {
	Text string
	Num  bool // right-aligned figures (class="num")
}

// TableRows writes the rows of a long table (a list of movements) as
// <tr><td>…</td>…</tr>, each cell's text escaped for an element's body
// (quotes, &, <, > and NUL, by template.HTMLEscapeString).
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

// Option is one choice of a <select>.
type Option struct{ Value, Label string }

// Options writes a select's <option> elements, value and label escaped,
// the one whose value is selected marked so.
func Options(opts []Option, selected string) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(o.Value))
		b.WriteString(`"`)
		if o.Value == selected {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		b.WriteString(template.HTMLEscapeString(o.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}

// YearOptions are the choices of a year filter, selected the year that
// is (0 for none).
func YearOptions(years []int, selected int) template.HTML {
	opts := make([]Option, len(years))
	for i, y := range years {
		v := strconv.Itoa(y)
		opts[i] = Option{v, v}
	}
	sel := ""
	if selected != 0 {
		sel = strconv.Itoa(selected)
	}
	return Options(opts, sel)
}

// Term is one entry of a summary list (<dl class="summary-list">).
type Term struct {
	Name  string // the <dt>
	Value string // the <dd>'s text
	// Strong marks the value as the figure the entry is about; After is
	// plain text that follows it (" al 31 oct 2026").
	Strong bool
	After  string
	Mono   bool // class="mono": an identifier, read character by character
}

// SummaryList writes the entries of a summary list, each as
// <div><dt>…</dt><dd>…</dd></div> with every text escaped. The signed-in
// summary, the page everyone lands on, took a dozen template actions for
// its list; written here, BenchmarkSummaryPage's best of five runs went
// from 132 to 118 µs (the layout halves already kept).
func SummaryList(terms []Term) template.HTML {
	var b strings.Builder
	for _, t := range terms {
		b.WriteString("<div><dt>")
		b.WriteString(template.HTMLEscapeString(t.Name))
		if t.Mono {
			b.WriteString(`</dt><dd class="mono">`)
		} else {
			b.WriteString("</dt><dd>")
		}
		if t.Strong {
			b.WriteString("<strong>")
		}
		b.WriteString(template.HTMLEscapeString(t.Value))
		if t.Strong {
			b.WriteString("</strong>")
		}
		b.WriteString(template.HTMLEscapeString(t.After))
		b.WriteString("</dd></div>\n")
	}
	return template.HTML(b.String())
}
