package render

import (
	"fmt"

	"github.com/chatkpi/chatkpi"
)

// slaPolicyRows lists the SLA policy's verdicts, one row per SLA metric: the
// attainment (met of decided) and the counts, interval and time over
// target behind it. None without a policy.
func slaPolicyRows(m *chatkpi.MetricsSummary) []metricRow {
	if m.SLAPolicy == nil {
		return nil
	}
	var rows []metricRow
	for _, n := range slaMetrics(m.SLAPolicy) {
		x := n.s
		row := metricRow{Name: "SLA " + n.name, Value: "no verdict yet"} // every clock still running
		detail := fmt.Sprintf("%d met, %d breached, %d running", x.Met, x.Breached, x.Running)
		if a := x.Attainment; a != nil {
			row.Value = percent(a.Percent) + " met" + small(a.SmallSample)
			detail += "; " + interval(a.CILow, a.CIHigh, " %")
		}
		if o := x.OverTarget; o != nil {
			detail += "; over target p50 " + optSeconds(o.P50Seconds) + ", p90 " + optSeconds(o.P90Seconds)
		}
		row.Detail = detail
		rows = append(rows, row)
	}
	return rows
}

// slaPolicySmall reports whether an SLA attainment rests on a small sample.
func slaPolicySmall(m *chatkpi.MetricsSummary) bool {
	if m.SLAPolicy == nil {
		return false
	}
	for _, n := range slaMetrics(m.SLAPolicy) {
		if a := n.s.Attainment; a != nil && a.SmallSample {
			return true
		}
	}
	return false
}

// namedSLAMetric is one SLA metric's summary with its name.
type namedSLAMetric struct {
	name string
	s    *chatkpi.SLAMetricSummary
}

// slaMetrics lists the SLA metrics with verdicts, in the schema's order.
func slaMetrics(p *chatkpi.SLAPolicySummary) []namedSLAMetric {
	var out []namedSLAMetric
	for _, n := range []namedSLAMetric{{"first_reply", p.FirstReply}, {"next_reply", p.NextReply},
		{"requester_wait", p.RequesterWait}, {"resolution", p.Resolution}} {
		if n.s != nil {
			out = append(out, n)
		}
	}
	return out
}
