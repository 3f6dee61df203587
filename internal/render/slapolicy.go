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
	rows := make([]metricRow, 0, len(m.SLAPolicy.Metrics))
	for _, x := range m.SLAPolicy.Metrics {
		row := metricRow{Name: "SLA " + x.Metric, Value: noData}
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
	for _, x := range m.SLAPolicy.Metrics {
		if x.Attainment != nil && x.Attainment.SmallSample {
			return true
		}
	}
	return false
}
