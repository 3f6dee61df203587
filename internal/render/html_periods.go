package render

import (
	"strings"

	"html/template"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// A chart over periods is a time axis: it shows every period from the
// first to the last in order, with a gap where a period has no data, and
// never a selection of them. Groups (agents, channels, ...) are not a time
// axis: a chart of groups may show the largest and say how many it leaves
// out, as every group is in the table.

// periodRates returns, per period of an ungrouped summary in time order
// (filled by [fillPeriods]), containment and conversion in percent, with
// Missing set where the period has no data, and the periods whose figure
// rests on a small sample, whose labels end in [smallMark].
func periodRates(s *chatkpi.Summary) (labels []string, cont, conv svgchart.Series) {
	type rates struct{ cont, conv *chatkpi.RateSummary }
	byPeriod := map[string]rates{}
	var periods []string
	var zeros []float64
	for i := range s.Groups {
		g := &s.Groups[i]
		if g.Period == "" {
			continue
		}
		r := rates{cont: g.Containment}
		if g.Conversion != nil {
			r.conv = g.Conversion.RateSummary
		}
		byPeriod[g.Period] = r
		periods, zeros = append(periods, g.Period), append(zeros, 0)
	}
	if len(periods) == 0 {
		return nil, cont, conv
	}
	labels, _ = fillPeriods(s.Period, periods, zeros)
	cont = svgchart.Series{Name: "containment", Values: make([]float64, len(labels)), Missing: make([]bool, len(labels))}
	conv = svgchart.Series{Name: "conversion", Values: make([]float64, len(labels)), Missing: make([]bool, len(labels))}
	shown := make([]string, len(labels))
	for i, p := range labels {
		r, ok := byPeriod[p]
		flagged := false
		set := func(x *svgchart.Series, rate *chatkpi.RateSummary) {
			if !ok || rate == nil || rate.Of == 0 {
				x.Missing[i] = true
				return
			}
			x.Values[i] = rate.Percent
			flagged = flagged || rate.SmallSample
		}
		set(&cont, r.cont)
		set(&conv, r.conv)
		shown[i] = displayKey(p) + small(flagged)
	}
	return shown, cont, conv
}

// ratesByPeriodChart draws containment and conversion over every period.
func ratesByPeriodChart(s *chatkpi.Summary) (chart, error) {
	const title = "Containment and conversion by period"
	labels, cont, conv := periodRates(s)
	if labels == nil || allMissing(cont) && allMissing(conv) {
		return noDataChart(title, "no period has containment or conversion data"), nil
	}
	svg, err := svgchart.Line(svgchart.Chart{Title: title, Labels: labels, Series: []svgchart.Series{cont, conv}, YUnit: "%"})
	c := chart{Title: title, SVG: template.HTML(svg), Note: "Percent of the conversations of each period; every period in order, a gap where one has no data."}
	if hasSmallLabel(labels) {
		c.Note += " " + smallMark + ": small sample."
	}
	return c, err
}

func allMissing(s svgchart.Series) bool {
	for _, m := range s.Missing {
		if !m {
			return false
		}
	}
	return true
}

func hasSmallLabel(labels []string) bool {
	for _, l := range labels {
		if strings.HasSuffix(l, smallMark) {
			return true
		}
	}
	return false
}
