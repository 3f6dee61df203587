package render

import (
	"fmt"
	"html/template"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// The SLA policy's attainment and the ticket metrics per group, in the
// table's groups section and the page's group table, after [groupColumns]:
// a column only when the overall summary has the metric, so that a report
// without a policy or ticket metrics reads as before.

// ticketGroupColumn is one per-group column: its heading and, for a group,
// its cell and the sample size the cell rests on ("" without data).
type ticketGroupColumn struct {
	head string
	cell func(m *chatkpi.MetricsSummary) (value, n string)
}

// ticketGroupColumns returns the columns the overall summary o has: the
// attainment of every SLA metric with verdicts ("SLA first_reply", ...:
// met ÷ decided, n the decided conversations), the median requester wait
// (n the resolved conversations), one-touch and first-contact resolution
// (n their denominators).
func ticketGroupColumns(o *chatkpi.MetricsSummary) []ticketGroupColumn {
	var cols []ticketGroupColumn
	if o.SLAPolicy != nil {
		for _, n := range slaMetrics(o.SLAPolicy) {
			name := n.name
			cols = append(cols, ticketGroupColumn{"SLA " + name, func(m *chatkpi.MetricsSummary) (string, string) {
				x := groupSLAMetric(m, name)
				if x == nil || x.Attainment == nil {
					return noData, ""
				}
				return percent(x.Attainment.Percent) + small(x.Attainment.SmallSample), fmt.Sprint(x.Met + x.Breached)
			}})
		}
	}
	if o.WaitTimes != nil {
		cols = append(cols, ticketGroupColumn{"requester wait p50", func(m *chatkpi.MetricsSummary) (string, string) {
			if m.WaitTimes == nil || m.WaitTimes.RequesterWaitTime == nil || m.WaitTimes.RequesterWaitTime.Count == 0 {
				return noData, ""
			}
			t := m.WaitTimes.RequesterWaitTime
			return optSeconds(t.P50Seconds) + small(t.SmallSample), fmt.Sprint(t.Count)
		}})
	}
	if o.Touches != nil {
		for _, r := range []struct {
			head string
			get  func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary
		}{
			{"one-touch", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.OneTouch }},
			{"first-contact", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.FirstContactResolution }},
		} {
			get := r.get
			cols = append(cols, ticketGroupColumn{r.head, func(m *chatkpi.MetricsSummary) (string, string) {
				if m.Touches == nil {
					return noData, ""
				}
				x := get(m.Touches)
				if x == nil {
					return noData, ""
				}
				return percent(x.Percent) + small(x.SmallSample), fmt.Sprint(x.Of)
			}})
		}
	}
	return cols
}

// groupSLAMetric returns the SLA metric of m named as in [slaMetrics], nil
// when m has none.
func groupSLAMetric(m *chatkpi.MetricsSummary, name string) *chatkpi.SLAMetricSummary {
	if m.SLAPolicy == nil {
		return nil
	}
	for _, n := range slaMetrics(m.SLAPolicy) {
		if n.name == name {
			return n.s
		}
	}
	return nil
}

// ticketGroupHeads returns the headings of cols.
func ticketGroupHeads(cols []ticketGroupColumn) []string {
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	return heads
}

// ticketGroupCells returns the cells of m and their sample sizes, in cols
// order.
func ticketGroupCells(cols []ticketGroupColumn, m *chatkpi.MetricsSummary) (cells, n []string) {
	cells, n = make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		cells[i], n[i] = c.cell(m)
	}
	return cells, n
}

// slaByGroupChart draws the SLA attainment of each group, one bar per SLA
// metric with verdicts, over all periods of the group (met ÷ decided of the
// summed counts): the [maxChartGroups] groups with the most conversations,
// the caption saying how many it leaves out. No chart without a policy, and
// none for a report grouped by period only, like [groupRatesCharts].
func slaByGroupChart(s *chatkpi.Summary) ([]chart, error) {
	const title = "SLA attainment by group"
	if s.Overall.SLAPolicy == nil || len(s.GroupBy) == 0 && s.Period != "" || len(s.Groups) == 0 {
		return nil, nil
	}
	metrics := slaMetrics(s.Overall.SLAPolicy)
	type counts struct{ met, decided int64 }
	byLabel := map[string][]counts{}
	for i := range s.Groups {
		g := &s.Groups[i]
		label := groupLabel(s, g)
		if len(s.GroupBy) == 0 {
			label = displayKey(g.Period)
		}
		c := byLabel[label]
		if c == nil {
			c = make([]counts, len(metrics))
			byLabel[label] = c
		}
		for j, n := range metrics {
			if x := groupSLAMetric(&g.MetricsSummary, n.name); x != nil {
				c[j].met, c[j].decided = c[j].met+x.Met, c[j].decided+x.Met+x.Breached
			}
		}
	}
	var keys []*keyTotals
	for _, k := range byKey(s) {
		for _, c := range byLabel[k.label] {
			if c.decided > 0 {
				keys = append(keys, k)
				break
			}
		}
	}
	if len(keys) == 0 {
		return []chart{noDataChart(title, "no group has an SLA verdict yet")}, nil
	}
	shown := largest(keys, maxChartGroups)
	marked := smallKeys(s, slaPolicySmall)
	labels := make([]string, len(shown))
	series := make([]svgchart.Series, len(metrics))
	for j, n := range metrics {
		series[j] = svgchart.Series{Name: n.name, Values: make([]float64, len(shown)), Missing: make([]bool, len(shown))}
	}
	for i, k := range shown {
		labels[i] = k.label + small(marked[k.label])
		for j, c := range byLabel[k.label] {
			if c.decided > 0 {
				series[j].Values[i] = 100 * float64(c.met) / float64(c.decided)
			} else {
				series[j].Missing[i] = true
			}
		}
	}
	svg, err := svgchart.Bars(svgchart.Chart{Title: title, Labels: labels, Series: series, YUnit: "%"})
	c := chart{Title: title, SVG: template.HTML(svg), Note: "Met of decided (met + breached) over all periods; n/a: no verdict."}
	if hasSmallLabel(labels) {
		c.Note += " " + smallMark + ": small sample."
	}
	if len(shown) < len(keys) {
		c.Note += fmt.Sprintf(" Shown: the %d of %d groups with the most conversations; the table has every group.", len(shown), len(keys))
	}
	return []chart{c}, err
}
