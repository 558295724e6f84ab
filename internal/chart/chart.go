// Package chart lays out the bar charts the sites draw on the server as
// SVG (partials/chart.html): no JavaScript, a title that says what the
// chart shows, a title per bar, and always a table with the same figures
// next to it on the page.
package chart

import "fmt"

// Bars is a laid-out bar chart.
type Bars struct {
	Width, Height int
	Left, Right   int // the plot's horizontal extent, for the grid lines
	LabelX        int // where the axis labels end
	Bars          []Bar
	Ticks         []Tick
	// Label is the chart's accessible title: what it shows and its gist.
	Label string
	// ID, when set, names the chart on its page (unique there), so its
	// title and Desc can be referenced by id; Desc is an optional longer
	// description (the payment, the total …).
	ID, Desc string
}

// Bar is one bar and its tooltip.
type Bar struct {
	X, Y, W, H int
	Title      string
}

// Tick is a grid line on the value axis and its label.
type Tick struct {
	Y    int
	Text string
}

// Point is one bar's value and the words for it.
type Point struct {
	Value int64
	Title string // e.g. "2031: $120,000.00"
}

const (
	width, height = 640, 260
	left          = 80 // room for the axis labels
	top, bottom   = 10, 30
)

// New lays out points as bars over a value axis from 0 to a round number
// at least unit, labelled by axis. Negative values draw as empty bars.
func New(points []Point, label string, unit int64, axis func(int64) string) *Bars {
	if len(points) == 0 {
		return nil
	}
	highest := unit
	for _, p := range points {
		highest = max(highest, p.Value)
	}
	ceil := NiceCeil(highest, unit)
	c := &Bars{Width: width, Height: height, Left: left, Right: width, LabelX: left - 6, Label: label}
	plotH := height - top - bottom
	slot := float64(width-left) / float64(len(points))
	for i, p := range points {
		h := int(int64(plotH) * max(p.Value, 0) / ceil)
		x := left + int(float64(i)*slot+slot/8)
		c.Bars = append(c.Bars, Bar{X: x, Y: top + plotH - h, W: max(1, int(slot*3/4)), H: h, Title: p.Title})
	}
	for k := int64(0); k <= 4; k++ {
		v := ceil * k / 4
		c.Ticks = append(c.Ticks, Tick{Y: top + plotH - int(int64(plotH)*v/ceil), Text: axis(v)})
	}
	return c
}

// NiceCeil rounds v up to 1, 2 or 5 times a power of ten times unit (a
// peso in centavos, or 1 for counts), so the axis reads in round steps.
func NiceCeil(v, unit int64) int64 {
	p := max(unit, 1)
	for p*10 <= v {
		p *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// Count writes a count for an axis: 850, 12 mil, 1.2 mill.
func Count(n int64) string {
	switch {
	case n >= 1_000_000:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/1e6)) + " mill."
	case n >= 1000:
		return fmt.Sprintf("%d mil", n/1000)
	}
	return fmt.Sprintf("%d", n)
}

// Pesos writes centavos for an axis: $850, $12 mil, $1.2 mill.
func Pesos(centavos int64) string { return "$" + Count(centavos/100) }

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}
