package svgchart

import (
	"fmt"
	"math"
	"strings"
)

// Grid is what [Heatmap] draws: one row per Rows label, one column per Cols
// label, Values[row][col] shaded from white (0) to full colour (the largest
// value, or 100 with YUnit "%"), the value written in the cell. Missing,
// when not nil, has the shape of Values; a true cell is left blank (a cohort
// triangle's cells after the last period).
type Grid struct {
	Title      string
	Rows, Cols []string
	Values     [][]float64
	Missing    [][]bool
	YUnit      string // appended to cell values, e.g. "%"
}

// Heatmap draws g as a grid of shaded cells (a cohort triangle: rows the
// first-contact periods, columns the periods since). Values must be finite
// and not negative, and the grid must have a cell with data.
func Heatmap(g Grid) (string, error) {
	if len(g.Rows) == 0 || len(g.Cols) == 0 || len(g.Values) != len(g.Rows) || g.Missing != nil && len(g.Missing) != len(g.Rows) {
		return "", fmt.Errorf("svgchart: heat map %q: %d rows of values for %d row labels and %d columns", g.Title, len(g.Values), len(g.Rows), len(g.Cols))
	}
	top, cells := 0.0, 0
	for r, row := range g.Values {
		if len(row) != len(g.Cols) || g.Missing != nil && len(g.Missing[r]) != len(g.Cols) {
			return "", fmt.Errorf("svgchart: heat map %q: row %q has %d cells for %d columns", g.Title, g.Rows[r], len(row), len(g.Cols))
		}
		for c, v := range row {
			if g.Missing != nil && g.Missing[r][c] {
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return "", fmt.Errorf("svgchart: heat map %q: cell %q, %q is %v", g.Title, g.Rows[r], g.Cols[c], v)
			}
			top, cells = math.Max(top, v), cells+1
		}
	}
	if cells == 0 {
		return "", fmt.Errorf("svgchart: heat map %q has no cell with data", g.Title)
	}
	if g.YUnit == "%" {
		top = 100
	}
	if top == 0 {
		top = 1
	}
	var b strings.Builder
	Chart{Title: g.Title}.open(&b, "heatmap")
	left, right, upper, lower := float64(marginL+40), float64(width-marginR), float64(marginT+18), float64(height-12)
	cw, ch := (right-left)/float64(len(g.Cols)), (lower-upper)/float64(len(g.Rows))
	font := math.Min(11, ch*0.6)
	every := 1 + len(g.Cols)/16
	for c, label := range g.Cols {
		if c%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11">%s</text>`+"\n", left+cw*(float64(c)+0.5), upper-6, esc(label))
		}
	}
	for r, row := range g.Values {
		y := upper + ch*float64(r)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="%.1f">%s</text>`+"\n", left-6, y+ch/2+font/3, font, esc(g.Rows[r]))
		for c, v := range row {
			if g.Missing != nil && g.Missing[r][c] {
				continue
			}
			x := left + cw*float64(c)
			// White to palette(0) (#3b6fb6) by the share of the top value.
			f := v / top
			shade := fmt.Sprintf("rgb(%d,%d,%d)", mix(255, 0x3b, f), mix(255, 0x6f, f), mix(255, 0xb6, f))
			fmt.Fprintf(&b, `<rect class="series" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="#fff"><title>%s, %s: %s</title></rect>`+"\n",
				x, y, cw, ch, shade, esc(g.Rows[r]), esc(g.Cols[c]), formatValue(v, g.YUnit))
			if cw >= 28 && ch >= 10 {
				ink := "#222"
				if f > 0.6 {
					ink = "#fff"
				}
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="%.1f" fill="%s">%s</text>`+"\n", x+cw/2, y+ch/2+font/3, font, ink, formatValue(math.Round(v*10)/10, g.YUnit))
			}
		}
	}
	b.WriteString("</svg>\n")
	return b.String(), nil
}

// mix blends from (at f = 0) to to (at f = 1).
func mix(from, to int, f float64) int { return from + int(math.Round(float64(to-from)*f)) }
