// Package svgchart draws the few chart shapes the chatkpi HTML report needs —
// a line over periods, vertical bars, and stacked shares — as self-contained
// inline SVG: no script, no fonts or styles fetched, nothing that needs a
// network. It is small on purpose: the report needs four shapes (a line may
// carry an interval band), and drawing them here keeps the core module free
// of a charting dependency.
package svgchart

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Size of every chart in SVG user units.
const (
	width   = 640
	height  = 300
	marginL = 64
	marginR = 16
	marginT = 36
	marginB = 64
)

// Palette used for series, in order.
func palette(i int) string {
	colors := [...]string{"#3b6fb6", "#e0883a", "#4b9b5f", "#c0504d", "#8064a2", "#4bacc6"}
	return colors[i%len(colors)]
}

// Series is one named set of values, one per label.
type Series struct {
	Name   string
	Values []float64
	Color  string // "" picks from the palette
	// Missing, when not nil, has one entry per label; true marks a value
	// without data, whatever Values holds there. Bars leaves its bar out
	// and writes "n/a" on the axis; Line leaves its point out; Stacked
	// rejects it (a share of nothing cannot be drawn).
	Missing []bool
	// Low and High, when not nil, have one entry per label: an interval
	// around each value (a 95 % confidence interval), which Line draws as
	// a translucent band behind the line over the values that are not
	// missing. Bars and Stacked reject them.
	Low, High []float64
}

// missing reports whether value i has no data.
func (s Series) missing(i int) bool { return s.Missing != nil && s.Missing[i] }

// Chart is what every shape is drawn from.
type Chart struct {
	Title  string
	Labels []string // x-axis categories
	Series []Series
	YUnit  string // appended to y tick labels, e.g. "%"
}

func (c Chart) validate(kind string) error {
	if len(c.Series) == 0 {
		return fmt.Errorf("svgchart: %s chart %q has no series", kind, c.Title)
	}
	for _, s := range c.Series {
		if len(s.Values) != len(c.Labels) {
			return fmt.Errorf("svgchart: %s chart %q: series %q has %d values for %d labels", kind, c.Title, s.Name, len(s.Values), len(c.Labels))
		}
		if s.Missing != nil && len(s.Missing) != len(c.Labels) {
			return fmt.Errorf("svgchart: %s chart %q: series %q has %d missing flags for %d labels", kind, c.Title, s.Name, len(s.Missing), len(c.Labels))
		}
		for i, v := range s.Values {
			if !s.missing(i) && (math.IsNaN(v) || math.IsInf(v, 0)) {
				return fmt.Errorf("svgchart: %s chart %q: series %q value %d is %v", kind, c.Title, s.Name, i, v)
			}
		}
		if s.Low == nil && s.High == nil {
			continue
		}
		if kind != "line" {
			return fmt.Errorf("svgchart: %s chart %q: series %q has an interval band, which only a line chart draws", kind, c.Title, s.Name)
		}
		if len(s.Low) != len(c.Labels) || len(s.High) != len(c.Labels) {
			return fmt.Errorf("svgchart: %s chart %q: series %q has %d low and %d high bounds for %d labels", kind, c.Title, s.Name, len(s.Low), len(s.High), len(c.Labels))
		}
		for i := range s.Low {
			if s.missing(i) {
				continue
			}
			lo, hi := s.Low[i], s.High[i]
			if math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) || lo > hi {
				return fmt.Errorf("svgchart: %s chart %q: series %q interval %d is [%v, %v]", kind, c.Title, s.Name, i, lo, hi)
			}
		}
	}
	return nil
}

// Line draws each series as a polyline over the labels (periods).
func Line(c Chart) (string, error) {
	if err := c.validate("line"); err != nil {
		return "", err
	}
	lo, hi := c.extent()
	var b strings.Builder
	c.open(&b, "line")
	ax := c.axes(&b, lo, hi)
	n := len(c.Labels)
	for si, s := range c.Series {
		c.band(&b, ax, s, s.color(si))
	}
	for si, s := range c.Series {
		color := s.color(si)
		var pts strings.Builder
		for i, v := range s.Values {
			if !s.missing(i) {
				fmt.Fprintf(&pts, "%.1f,%.1f ", ax.xCentre(i, n), ax.y(v))
			}
		}
		fmt.Fprintf(&b, `<polyline class="series" fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", color, strings.TrimSpace(pts.String()))
		for i, v := range s.Values {
			if s.missing(i) {
				continue
			}
			fmt.Fprintf(&b, `<circle class="series" cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s: %s</title></circle>`+"\n",
				ax.xCentre(i, n), ax.y(v), color, esc(s.Name), esc(c.Labels[i]), formatValue(v, c.YUnit))
		}
	}
	c.legend(&b)
	b.WriteString("</svg>\n")
	return b.String(), nil
}

// band draws the interval band of s, one polygon per run of values that
// are not missing.
func (c Chart) band(b *strings.Builder, ax axes, s Series, color string) {
	if s.Low == nil {
		return
	}
	n := len(c.Labels)
	for i := 0; i < n; {
		if s.missing(i) {
			i++
			continue
		}
		j := i
		for j < n && !s.missing(j) {
			j++
		}
		var pts strings.Builder
		for k := i; k < j; k++ {
			fmt.Fprintf(&pts, "%.1f,%.1f ", ax.xCentre(k, n), ax.y(s.High[k]))
		}
		for k := j - 1; k >= i; k-- {
			fmt.Fprintf(&pts, "%.1f,%.1f ", ax.xCentre(k, n), ax.y(s.Low[k]))
		}
		fmt.Fprintf(b, `<polygon class="band" fill="%s" fill-opacity="0.15" stroke="none" points="%s"><title>%s: 95 %% interval</title></polygon>`+"\n",
			color, strings.TrimSpace(pts.String()), esc(s.Name))
		i = j
	}
}

// Bars draws grouped vertical bars: one group per label, one bar per series.
func Bars(c Chart) (string, error) {
	if err := c.validate("bar"); err != nil {
		return "", err
	}
	lo, hi := c.extent()
	var b strings.Builder
	c.open(&b, "bar")
	ax := c.axes(&b, lo, hi)
	n := len(c.Labels)
	slot := ax.plotW / float64(max(n, 1))
	barW := slot * 0.8 / float64(len(c.Series))
	for si, s := range c.Series {
		for i, v := range s.Values {
			x := ax.left + slot*float64(i) + slot*0.1 + barW*float64(si)
			if s.missing(i) {
				fmt.Fprintf(&b, `<text class="missing" x="%.1f" y="%.1f" text-anchor="middle" font-size="9" fill="#888">n/a<title>%s %s: no data</title></text>`+"\n",
					x+barW/2, ax.y(0)-3, esc(s.Name), esc(c.Labels[i]))
				continue
			}
			y0, y1 := ax.y(0), ax.y(v)
			top, h := math.Min(y0, y1), math.Abs(y1-y0)
			fmt.Fprintf(&b, `<rect class="series" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`+"\n",
				x, top, barW, h, s.color(si), esc(s.Name), esc(c.Labels[i]), formatValue(v, c.YUnit))
		}
	}
	c.legend(&b)
	b.WriteString("</svg>\n")
	return b.String(), nil
}

// Stacked draws one horizontal bar per label, split into the series' shares
// of the label's total (for promoters / passives / detractors).
func Stacked(c Chart) (string, error) {
	if err := c.validate("stacked"); err != nil {
		return "", err
	}
	for _, s := range c.Series {
		if s.Missing != nil {
			return "", fmt.Errorf("svgchart: stacked chart %q cannot draw missing values of %q", c.Title, s.Name)
		}
		for _, v := range s.Values {
			if v < 0 {
				return "", fmt.Errorf("svgchart: stacked chart %q has a negative value in %q", c.Title, s.Name)
			}
		}
	}
	var b strings.Builder
	c.open(&b, "stacked")
	left, right := float64(marginL+40), float64(width-marginR)
	plotH := float64(height - marginT - marginB)
	n := len(c.Labels)
	rowH := plotH / float64(max(n, 1))
	for i, label := range c.Labels {
		total := 0.0
		for _, s := range c.Series {
			total += s.Values[i]
		}
		y := float64(marginT) + rowH*float64(i) + rowH*0.15
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="12">%s</text>`+"\n", left-6, y+rowH*0.4, esc(label))
		if total == 0 {
			continue
		}
		x := left
		for si, s := range c.Series {
			w := (right - left) * s.Values[i] / total
			fmt.Fprintf(&b, `<rect class="series" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s (%.1f%%)</title></rect>`+"\n",
				x, y, w, rowH*0.7, s.color(si), esc(s.Name), esc(label), formatValue(s.Values[i], ""), 100*s.Values[i]/total)
			x += w
		}
	}
	c.legend(&b)
	b.WriteString("</svg>\n")
	return b.String(), nil
}

func (s Series) color(i int) string {
	if s.Color != "" {
		return s.Color
	}
	return palette(i)
}

func (c Chart) open(b *strings.Builder, kind string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-%s" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" font-family="sans-serif">`+"\n",
		kind, width, height, width, height, esc(c.Title))
	fmt.Fprintf(b, `<text x="%d" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", marginL, esc(c.Title))
}

// extent returns the value range to show.
func (c Chart) extent() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for i, v := range s.Values {
			if s.missing(i) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			if s.Low != nil {
				lo, hi = math.Min(lo, s.Low[i]), math.Max(hi, s.High[i])
			}
		}
	}
	if math.IsInf(lo, 1) { // no values at all
		return 0, 1
	}
	// Every chart of the report shows counts or percentages: the axis always
	// includes zero, so that a line of 110, 157, 111 is not drawn as a
	// collapse to nothing.
	lo = math.Min(lo, 0)
	hi = math.Max(hi, 0)
	if lo == hi { // only zeros: show 0 to 1 rather than −1 to 1
		hi = 1
	}
	return lo, hi
}

type axes struct {
	left, plotW, top, plotH float64
	lo, hi                  float64
}

func (a axes) y(v float64) float64 { return a.top + a.plotH*(1-(v-a.lo)/(a.hi-a.lo)) }
func (a axes) xCentre(i, n int) float64 {
	return a.left + a.plotW*(float64(i)+0.5)/float64(max(n, 1))
}

// axes draws the frame, y ticks at "nice" steps and the category labels.
func (c Chart) axes(b *strings.Builder, lo, hi float64) axes {
	step := niceStep((hi - lo) / 5)
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	a := axes{left: marginL, plotW: width - marginL - marginR, top: marginT, plotH: height - marginT - marginB, lo: lo, hi: hi}
	for v := lo; v <= hi+step/2; v += step {
		y := a.y(v)
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", a.left, a.left+a.plotW, y, y)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11">%s</text>`+"\n", a.left-4, y+4, formatValue(v, c.YUnit))
	}
	fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#333"/>`+"\n", a.left, a.left+a.plotW, a.y(math.Max(lo, math.Min(0, hi))), a.y(math.Max(lo, math.Min(0, hi))))
	n := len(c.Labels)
	every := 1 + n/16 // thin out labels so they do not overlap
	for i, label := range c.Labels {
		if i%every != 0 {
			continue
		}
		x := a.xCentre(i, n)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11" transform="rotate(-35 %.1f %.1f)">%s</text>`+"\n",
			x, a.top+a.plotH+14, x, a.top+a.plotH+14, esc(label))
	}
	return a
}

func (c Chart) legend(b *strings.Builder) {
	if len(c.Series) < 2 && c.Series[0].Name == "" {
		return
	}
	x := float64(width - marginR)
	for i := len(c.Series) - 1; i >= 0; i-- {
		s := c.Series[i]
		x -= 10 + 7*float64(len(s.Name)) + 14
		fmt.Fprintf(b, `<rect x="%.1f" y="10" width="10" height="10" fill="%s"/><text x="%.1f" y="19" font-size="11">%s</text>`+"\n", x, s.color(i), x+14, esc(s.Name))
	}
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func formatValue(v float64, unit string) string {
	s := fmt.Sprintf("%.4g", v)
	if strings.ContainsAny(s, "e") {
		s = fmt.Sprintf("%.0f", v)
	}
	return s + unit
}

func esc(s string) string { return html.EscapeString(s) }
