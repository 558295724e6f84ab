package prequal_test

import (
	"encoding/xml"
	"html/template"
	"io"
	"micuenta/internal/web"
	"strings"
	"testing"
	"time"

	"micuenta/internal/chart"
	"micuenta/internal/prequal"
)

// draw renders a chart with the sites' bar-chart partial, the one
// renderer both sites use.
func draw(t *testing.T, c *chart.Bars) string {
	t.Helper()
	tpl, err := template.New("").ParseFS(web.LayoutTemplates(), "partials/chart.html")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tpl.ExecuteTemplate(&b, "bar-chart", c); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The chart of a quote is well-formed SVG named by its <title> and
// described by its <desc>, with one bar per year plus the one at signing,
// each with its own title, and only the site's classes (no inline style,
// which the CSP would block).
func TestQuoteChart(t *testing.T) {
	q := simulate(t, prequal.Request{Product: "infonavit", Participants: one(d(1996, time.March, 1), "H", 957_722, 5_000_000)})
	svg := draw(t, prequal.QuoteChart(q, "credito"))
	root := parseSVG(t, svg)
	if root.attrs["role"] != "img" || root.attrs["aria-labelledby"] != "credito-titulo" || root.attrs["aria-describedby"] != "credito-desc" {
		t.Fatalf("svg attributes %v", root.attrs)
	}
	if got := root.text["title#credito-titulo"]; got != "Gráfica de lo que debes del crédito, año por año: empieza en $400,726.38 y llega a $0.00 en 30 años." {
		t.Fatalf("title %q", got)
	}
	if got := root.text["desc#credito-desc"]; got != "Pagas $1,915.44 al mes durante 30 años, con una tasa fija de 4.01% anual. En total pagas $689,558.30, de los que $288,831.92 son intereses." {
		t.Fatalf("desc %q", got)
	}
	if root.count["rect"] != 31 || root.count["rect>title"] != 31 || root.count["line"] != 5 {
		t.Fatalf("elements %v", root.count)
	}
	if strings.Contains(svg, "style") {
		t.Fatal("inline style would break the CSP")
	}
	if prequal.QuoteChart(prequal.Quote{}, "x") != nil {
		t.Fatal("a quote with no credit has no chart")
	}
}

// Every text is escaped by the template, so nothing a chart carries can
// become markup.
func TestChartEscapes(t *testing.T) {
	c := chart.New([]chart.Point{{Value: 100, Title: `<script>alert("x")</script>`}}, `"><img src=x onerror=alert(1)>`, 100, chart.Pesos)
	c.ID, c.Desc = `g1" onload="x`, "a & b < c"
	svg := draw(t, c)
	if strings.Contains(svg, "<script") || strings.Contains(svg, "<img") || strings.Contains(svg, `onload="x"`) {
		t.Fatalf("unescaped: %s", svg)
	}
	root := parseSVG(t, svg)
	if root.text["desc#"+root.attrs["aria-describedby"]] != "a & b < c" {
		t.Fatalf("attrs %v text %v", root.attrs, root.text)
	}
}

type parsed struct {
	attrs map[string]string
	text  map[string]string // "name#id" → character data
	count map[string]int    // "name" and "parent>name" → how many
}

func parseSVG(t *testing.T, s string) parsed {
	t.Helper()
	p := parsed{attrs: map[string]string{}, text: map[string]string{}, count: map[string]int{}}
	dec := xml.NewDecoder(strings.NewReader(s))
	var stack []string
	var ids []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			id := ""
			for _, a := range tok.Attr {
				if len(stack) == 0 {
					p.attrs[a.Name.Local] = a.Value
				}
				if a.Name.Local == "id" {
					id = a.Value
				}
			}
			p.count[tok.Name.Local]++
			if len(stack) > 0 {
				p.count[stack[len(stack)-1]+">"+tok.Name.Local]++
			}
			stack, ids = append(stack, tok.Name.Local), append(ids, id)
		case xml.EndElement:
			stack, ids = stack[:len(stack)-1], ids[:len(ids)-1]
		case xml.CharData:
			if len(stack) > 0 && ids[len(ids)-1] != "" {
				p.text[stack[len(stack)-1]+"#"+ids[len(ids)-1]] += string(tok)
			}
		}
	}
	if len(stack) != 0 || p.count["svg"] != 1 {
		t.Fatalf("structure %v", p.count)
	}
	return p
}
