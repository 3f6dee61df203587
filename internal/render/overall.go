package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// timingColumns head the timing table of the table and the page.
func timingColumns() []string {
	return []string{"count", "unanswered", "mean", "p50", "p90", "p95", "p99"}
}

// timingRow is one duration metric; Cells is nil when it has no data.
type timingRow struct {
	Name  string
	Cells []string
}

// metricRow is one non-duration metric: its value and the detail that
// qualifies it (interval, counts), both noData / "" when it has no data.
type metricRow struct {
	Name, Value, Detail string
}

func timingRows(m *chatkpi.MetricsSummary) []timingRow {
	named := []struct {
		name string
		t    *chatkpi.TimingSummary
	}{
		{"first response time", m.FirstResponseTime},
		{"response time", m.ResponseTime},
		{"resolution time", m.ResolutionTime},
		{"full resolution time", m.FullResolution},
		{"chat duration", m.ChatDuration},
		{"queue wait", m.QueueWait},
	}
	rows := make([]timingRow, len(named))
	for i, n := range named {
		rows[i].Name = n.name
		if t := n.t; t != nil {
			rows[i].Cells = []string{
				fmt.Sprint(t.Count), fmt.Sprint(t.Unanswered), optSeconds(t.MeanSeconds),
				optSeconds(t.P50Seconds), optSeconds(t.P90Seconds), optSeconds(t.P95Seconds), optSeconds(t.P99Seconds),
			}
		}
	}
	return rows
}

func metricRows(m *chatkpi.MetricsSummary) []metricRow {
	rows := []metricRow{
		{"conversations", fmt.Sprint(m.Conversations), ""},
		{"messages", fmt.Sprint(m.Messages), ""},
	}
	rateRow := func(name string, r *chatkpi.RateSummary) {
		if r == nil {
			rows = append(rows, metricRow{name, noData, ""})
			return
		}
		rows = append(rows, metricRow{name, rate(r), interval(r.CILow, r.CIHigh, " %")})
	}
	rateRow("queue abandonment", m.Abandonment)

	if c := m.CSAT; c != nil {
		rows = append(rows,
			metricRow{"CSAT", percent(c.Percent) + " satisfied", fmt.Sprintf("%d of %d on %s, %s, mean %s", c.Satisfied, c.Responses, c.Scale, interval(c.CILow, c.CIHigh, " %"), chatkpi.FormatFloat(c.Mean, 2))},
			metricRow{"CSAT answers", fmt.Sprint(c.Responses), distribution(c.Distribution)})
	} else {
		rows = append(rows, metricRow{"CSAT", noData, ""})
	}
	rateRow("CSAT response rate", m.CSATResponseRate)
	if n := m.NPS; n != nil {
		rows = append(rows, metricRow{"NPS", npsText(n), fmt.Sprintf("%s; %d promoters, %d passives, %d detractors of %d",
			interval(n.CILow, n.CIHigh, ""), n.Promoters, n.Passives, n.Detractors, n.Responses)})
	} else {
		rows = append(rows, metricRow{"NPS", noData, ""})
	}
	if c := m.CES; c != nil {
		rows = append(rows,
			metricRow{"CES", "mean " + chatkpi.FormatFloat(c.Mean, 2), fmt.Sprintf("%d responses on %s; low effort %d (%s)", c.Responses, c.Scale, c.LowEffort, percent(c.LowEffortPercent))},
			metricRow{"CES answers", fmt.Sprint(c.Responses), distribution(c.Distribution)})
	} else {
		rows = append(rows, metricRow{"CES", noData, ""})
	}
	if o := m.Outcomes; o != nil {
		total := o.ResolvedByBot + o.Escalated + o.ResolvedByAgent + o.Abandoned + o.Unengaged
		for _, x := range []struct {
			name string
			n    int64
		}{{"resolved by bot", o.ResolvedByBot}, {"escalated", o.Escalated}, {"resolved by agent", o.ResolvedByAgent}, {"abandoned", o.Abandoned}, {"unengaged", o.Unengaged}} {
			detail := ""
			if total > 0 {
				detail = percent(100*float64(x.n)/float64(total)) + " of outcomes"
			}
			rows = append(rows, metricRow{"outcome: " + x.name, fmt.Sprint(x.n), detail})
		}
	} else {
		rows = append(rows, metricRow{"outcomes", noData, ""})
	}
	rateRow("containment", m.Containment)
	rateRow("escalation", m.Escalation)
	rateRow("reopen", m.Reopen)
	rateRow("bot accuracy", m.BotAccuracy)
	rateRow("fallback rate", m.FallbackRate)
	if c := m.Conversion; c != nil {
		rateRow("conversion", &c.RateSummary)
		rows = append(rows, metricRow{"goals", fmt.Sprint(c.Goals), goalValue(c.Value)})
	} else {
		rateRow("conversion", nil)
	}
	return rows
}

// goalValue lists the goal value per currency, never summed across them.
func goalValue(v map[string]string) string {
	if len(v) == 0 {
		return ""
	}
	cur := make([]string, 0, len(v))
	for c := range v {
		cur = append(cur, c)
	}
	sort.Strings(cur)
	parts := make([]string, len(cur))
	for i, c := range cur {
		parts[i] = displayKey(c) + " " + v[c]
	}
	return "value " + strings.Join(parts, ", ")
}

// settings describes how the summary was computed, for the page and table
// headings.
func settings(s *chatkpi.Summary) string {
	parts := []string{}
	if s.Period != "" {
		parts = append(parts, "per "+s.Period)
	}
	if len(s.GroupBy) > 0 {
		parts = append(parts, "by "+strings.Join(s.GroupBy, ", "))
	}
	if s.TimeZone != "" {
		parts = append(parts, "time zone "+s.TimeZone)
	}
	if s.WeekStart != "" && s.Period == "week" {
		parts = append(parts, "weeks start "+s.WeekStart)
	}
	if s.Percentiles != "" {
		p := "percentiles " + s.Percentiles
		if s.RelativeAccuracy > 0 {
			p += " (±" + chatkpi.FormatFloat(100*s.RelativeAccuracy, 2) + " % relative)"
		}
		parts = append(parts, p)
	}
	if s.TimeBasis != "" {
		parts = append(parts, s.TimeBasis+" time")
	}
	return strings.Join(parts, "; ")
}

// groupColumns head the per-group table of the table and the page, after
// the period and key columns.
func groupColumns() []string {
	return []string{"conversations", "FRT p50", "FRT p90", "CSAT", "NPS", "containment", "conversion"}
}

// groupCells returns the main metrics of a group, in groupColumns order.
func groupCells(m *chatkpi.MetricsSummary) []string {
	cells := []string{fmt.Sprint(m.Conversations), noData, noData, noData, noData, noData, noData}
	if f := m.FirstResponseTime; f != nil {
		cells[1], cells[2] = optSeconds(f.P50Seconds), optSeconds(f.P90Seconds)
	}
	if m.CSAT != nil {
		cells[3] = percent(m.CSAT.Percent)
	}
	if m.NPS != nil {
		cells[4] = signed(m.NPS.Score)
	}
	if m.Containment != nil {
		cells[5] = percent(m.Containment.Percent)
	}
	if m.Conversion != nil {
		cells[6] = percent(m.Conversion.Percent)
	}
	return cells
}

// hasPeriods reports whether the groups carry period labels.
func hasPeriods(s *chatkpi.Summary) bool {
	if s.Period != "" {
		return true
	}
	for i := range s.Groups {
		if s.Groups[i].Period != "" {
			return true
		}
	}
	return false
}
