package svgchart

import (
	"fmt"
	"math"
	"strings"
)

// Donut draws the shares of one series as a ring, one arc per label in
// label order clockwise from the top, and a legend that gives each label
// its value and share; the centre shows the total and the series' name
// ("900 conversations"). Values must be finite and not negative, and at
// least one positive: a share of nothing cannot be drawn. A label with 0
// has no arc but keeps its legend line, so that the chart shows every
// category. Missing values are rejected like negative ones.
func Donut(c Chart) (string, error) {
	if err := c.validate("donut"); err != nil {
		return "", err
	}
	if len(c.Series) != 1 {
		return "", fmt.Errorf("svgchart: donut chart %q has %d series; it draws one", c.Title, len(c.Series))
	}
	s := c.Series[0]
	total := 0.0
	for i, v := range s.Values {
		if s.missing(i) || v < 0 {
			return "", fmt.Errorf("svgchart: donut chart %q: value %d of %q is missing or negative", c.Title, i, s.Name)
		}
		total += v
	}
	if total <= 0 {
		return "", fmt.Errorf("svgchart: donut chart %q has no positive value", c.Title)
	}
	var b strings.Builder
	c.open(&b, "donut")
	const (
		cx, cy = 170.0, 165.0
		outer  = 110.0
		inner  = 62.0
	)
	mid, ring := (outer+inner)/2, outer-inner
	circ := 2 * math.Pi * mid
	start := 0.0
	for i, v := range s.Values {
		if v == 0 {
			continue
		}
		length := circ * v / total
		// A circle stroked with one dash of the arc's length, rotated so
		// that the ring starts at the top: a 100 % share draws a full ring.
		fmt.Fprintf(&b, `<circle class="series" cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="%s" stroke-width="%.1f" stroke-dasharray="%.2f %.2f" stroke-dashoffset="%.2f" transform="rotate(-90 %.1f %.1f)"><title>%s: %s (%.1f%%)</title></circle>`+"\n",
			cx, cy, mid, palette(i), ring, length, circ-length, -start, cx, cy, esc(c.Labels[i]), formatValue(v, ""), 100*v/total)
		start += length
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="22" font-weight="bold">%s</text>`+"\n", cx, cy+4, formatValue(total, ""))
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="12" fill="#555">%s</text>`+"\n", cx, cy+22, esc(s.Name))
	y := float64(marginT) + 40
	for i, label := range c.Labels {
		fmt.Fprintf(&b, `<rect x="330" y="%.1f" width="12" height="12" fill="%s"/><text x="350" y="%.1f" font-size="13">%s</text><text x="%d" y="%.1f" font-size="13" text-anchor="end">%s (%.1f%%)</text>`+"\n",
			y, palette(i), y+11, esc(label), width-marginR, y+11, formatValue(s.Values[i], ""), 100*s.Values[i]/total)
		y += 24
	}
	b.WriteString("</svg>\n")
	return b.String(), nil
}
