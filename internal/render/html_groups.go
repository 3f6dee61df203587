package render

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// conversationsByGroupChart draws the conversations of each group of a
// summary grouped without periods, in label order: the groups with the most
// conversations when they are more than one chart holds, and the caption
// says how many it leaves out (the table has every group).
func conversationsByGroupChart(s *chatkpi.Summary) (chart, error) {
	const title = "Conversations by group"
	keys := byKey(s)
	if len(keys) == 0 {
		return noDataChart("Conversations per period", "the report is not grouped by period"), nil
	}
	shown := largest(keys, maxChartGroups)
	labels := make([]string, len(shown))
	values := make([]float64, len(shown))
	for i, k := range shown {
		labels[i], values[i] = k.label, float64(k.conversations)
	}
	svg, err := svgchart.Bars(svgchart.Chart{Title: title, Labels: labels, Series: []svgchart.Series{{Name: "conversations", Values: values}}})
	c := chart{Title: title, SVG: template.HTML(svg), Note: "The report is not grouped by period."}
	if len(shown) < len(keys) {
		c.Note += fmt.Sprintf(" Shown: the %d of %d groups with the most conversations; the table has every group.", len(shown), len(keys))
	}
	return c, err
}

// smallKeys returns the labels of [byKey] whose figure rests on a small
// sample by flag: a key that is one group of the summary, flagged small
// by the figure's own rule (pick returns the flag). A key summed over
// several groups (periods) has no flag of its own and is not marked; the
// table marks each group.
func smallKeys(s *chatkpi.Summary, pick func(*chatkpi.MetricsSummary) bool) map[string]bool {
	groups := map[string]int{}
	flagged := map[string]bool{}
	for i := range s.Groups {
		g := &s.Groups[i]
		label := groupLabel(s, g)
		if len(s.GroupBy) == 0 {
			label = displayKey(g.Period)
		}
		groups[label]++
		flagged[label] = pick(&g.MetricsSummary)
	}
	for label, n := range groups {
		if n > 1 {
			delete(flagged, label)
		}
	}
	return flagged
}

// ratesAbsent reports whether containment and conversion are both without
// events in the input ([absentMetrics]) and no group has a contained,
// escalated or converted conversation: their chart would be bars of 0.
func ratesAbsent(s *chatkpi.Summary) bool {
	absent := absentMetrics(&s.Overall, hasBots(&s.Overall))
	if !slices.Contains(absent, "containment") || !slices.Contains(absent, "conversion") {
		return false
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		if g.Containment != nil && g.Containment.Count > 0 || g.Escalation != nil && g.Escalation.Count > 0 || g.Conversion != nil && g.Conversion.RateSummary != nil && g.Conversion.Count > 0 {
			return false
		}
	}
	return true
}

// groupRatesCharts is containment and conversion by group ([ratesChart]);
// a report grouped by period only has none, as the trends draw the rates
// over every period in order ([trendCharts]): periods are a time axis,
// not groups to pick from.
func groupRatesCharts(s *chatkpi.Summary) ([]chart, error) {
	if len(s.GroupBy) == 0 && s.Period != "" {
		return nil, nil
	}
	c, err := ratesChart(s)
	return []chart{c}, err
}

// hasSmallLabel reports whether a chart label carries [smallMark].
func hasSmallLabel(labels []string) bool {
	for _, l := range labels {
		if strings.HasSuffix(l, smallMark) {
			return true
		}
	}
	return false
}
