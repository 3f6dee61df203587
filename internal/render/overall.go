package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// timingColumns head the timing table of the table and the page.
func timingColumns() []string {
	return []string{"count", "unanswered", "excluded", "mean", "p50", "p90", "p95", "p99"}
}

// smallMark follows a figure that rests on a small sample (see
// [chatkpi.Summary]); smallNote explains it under the tables.
const (
	smallMark = "*"
	smallNote = "* small sample: fewer than 30 answers, or a 95 % interval wider than 20 points"
)

// small returns smallMark when flagged, else "".
func small(flagged bool) string {
	if flagged {
		return smallMark
	}
	return ""
}

// hasBots reports whether the data has bot replies: the table and the page
// then lead with the human first response time.
func hasBots(m *chatkpi.MetricsSummary) bool {
	for _, t := range []*chatkpi.TimingSummary{m.BotFirstResponseTime, m.BotResponseTime} {
		if t != nil && t.Count > 0 {
			return true
		}
	}
	return false
}

// hasSmallSamples reports whether any figure the table or the page shows is
// marked.
func hasSmallSamples(s *chatkpi.Summary) bool {
	if retentionSmall(s.Retention) {
		return true
	}
	all := []*chatkpi.MetricsSummary{&s.Overall}
	for i := range s.Groups {
		all = append(all, &s.Groups[i].MetricsSummary)
	}
	for _, m := range all {
		for _, r := range timingRows(m, hasBots(&s.Overall)) {
			if r.Small {
				return true
			}
		}
		for _, r := range append([]*chatkpi.RateSummary{m.Abandonment, m.Containment, m.Escalation, m.Reopen, m.BotAccuracy, m.FallbackRate}, append(catalogueRates(m), touchRates(m)...)...) {
			if r != nil && r.SmallSample {
				return true
			}
		}
		if m.CSAT != nil && m.CSAT.SmallSample || m.CSATResponseRate != nil && m.CSATResponseRate.SmallSample ||
			m.NPS != nil && m.NPS.SmallSample || m.CES != nil && m.CES.SmallSample ||
			m.Conversion != nil && m.Conversion.RateSummary != nil && m.Conversion.SmallSample || slaPolicySmall(m) {
			return true
		}
	}
	return false
}

// timingRow is one duration metric; Cells is nil when it has no data.
// Small marks a mean resting on a small sample.
type timingRow struct {
	Name  string
	Cells []string
	Small bool
	SLA   []chatkpi.SLASummary // the attainment of its SLA targets (slaRows)
}

// metricRow is one non-duration metric: its value and the detail that
// qualifies it (interval, counts), both noData / "" when it has no data.
type metricRow struct {
	Name, Value, Detail string
}

// timingRows lists the duration metrics; with bots it leads with the human
// first response time, then the bot's and anyone's, and splits the response
// time the same way. The assignment times appear when some conversation was
// assigned.
func timingRows(m *chatkpi.MetricsSummary, bots bool) []timingRow {
	type named struct {
		name string
		t    *chatkpi.TimingSummary
	}
	list := []named{{"first response time", m.FirstResponseTime}}
	if bots {
		list = []named{{"human first response", m.HumanFirstResponseTime}, {"bot first response", m.BotFirstResponseTime},
			{"first response (anyone)", m.FirstResponseTime}}
	}
	if a := m.TimeToAssignment; a != nil && a.Count > 0 {
		list = append(list, named{"time to assignment", a}, named{"first response after assignment", m.FirstResponseAfterAssignment})
	}
	if bots {
		list = append(list, named{"human response time", m.HumanResponseTime}, named{"bot response time", m.BotResponseTime},
			named{"response time (anyone)", m.ResponseTime})
	} else {
		list = append(list, named{"response time", m.ResponseTime})
	}
	list = append(list, named{"resolution time", m.ResolutionTime}, named{"full resolution time", m.FullResolution},
		named{"chat duration", m.ChatDuration})
	if m.ActiveChatDuration != nil {
		list = append(list, named{"active chat duration", m.ActiveChatDuration})
	}
	list = append(list, named{"queue wait", m.QueueWait})
	names, waits := waitTimings(m)
	for i := range names {
		list = append(list, named{names[i], waits[i]})
	}
	rows := make([]timingRow, len(list))
	for i, n := range list {
		rows[i].Name = n.name
		if t := n.t; t != nil {
			rows[i].Small = t.SmallSample && t.Count > 0
			rows[i].SLA = t.SLA
			rows[i].Cells = []string{
				fmt.Sprint(t.Count), fmt.Sprint(t.Unanswered), fmt.Sprint(t.Excluded), optSeconds(t.MeanSeconds) + small(rows[i].Small),
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
		{"active conversations", fmt.Sprint(m.ActiveConversations), "with their start or an event in the period"},
	}
	rateRow := func(name string, r *chatkpi.RateSummary) {
		if r == nil {
			rows = append(rows, metricRow{name, noData, ""})
			return
		}
		rows = append(rows, metricRow{name, rate(r) + small(r.SmallSample), interval(r.CILow, r.CIHigh, " %")})
	}
	rateRow("queue abandonment", m.Abandonment)

	if c := m.CSAT; c != nil {
		rows = append(rows,
			metricRow{"CSAT", percent(c.Percent) + " satisfied" + small(c.SmallSample), fmt.Sprintf("%d of %d on %s, %s, mean %s", c.Satisfied, c.Responses, c.Scale, interval(c.CILow, c.CIHigh, " %"), chatkpi.FormatFloat(c.Mean, 2))},
			metricRow{"net CSAT", signed(c.Net) + small(c.SmallSample), fmt.Sprintf("%% satisfied − %% dissatisfied; %d dissatisfied", c.Dissatisfied)},
			metricRow{"CSAT answers", fmt.Sprint(c.Responses), distribution(c.Distribution)})
	} else {
		rows = append(rows, metricRow{"CSAT", noData, ""})
	}
	rateRow("CSAT response rate", m.CSATResponseRate)
	if n := m.NPS; n != nil {
		rows = append(rows, metricRow{"NPS", npsText(n) + small(n.SmallSample), fmt.Sprintf("%s; %d promoters, %d passives, %d detractors of %d",
			interval(n.CILow, n.CIHigh, ""), n.Promoters, n.Passives, n.Detractors, n.Responses)})
	} else {
		rows = append(rows, metricRow{"NPS", noData, ""})
	}
	if c := m.CES; c != nil {
		rows = append(rows,
			metricRow{"CES", "mean " + chatkpi.FormatFloat(c.Mean, 2) + small(c.SmallSample), fmt.Sprintf("%d responses on %s; low effort %d (%s, %s)", c.Responses, c.Scale, c.LowEffort, percent(c.LowEffortPercent), interval(c.LowEffortCILow, c.LowEffortCIHigh, " %"))},
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
	rows = append(rows, catalogueRows(m)...)
	rateRow("bot accuracy", m.BotAccuracy)
	rateRow("fallback rate", m.FallbackRate)
	if c := m.Conversion; c != nil {
		rateRow("conversion", c.RateSummary)
		rows = append(rows, metricRow{"goals", fmt.Sprint(c.Goals), goalValue(c.Value)})
	} else {
		rateRow("conversion", nil)
	}
	ticketMetricRows(m, func(r metricRow) { rows = append(rows, r) }, rateRow)
	return append(rows, slaPolicyRows(m)...)
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
	if s.DuplicatesDropped > 0 {
		lines := "lines"
		if s.DuplicatesDropped == 1 {
			lines = "line"
		}
		parts = append(parts, fmt.Sprintf("%d duplicate %s dropped", s.DuplicatesDropped, lines))
	}
	return strings.Join(parts, "; ")
}

// groupColumns head the per-group table of the table and the page, after
// the period and key columns; with bots the first response is the human
// one.
func groupColumns(bots bool) []string {
	frt := "FRT"
	if bots {
		frt = "human FRT"
	}
	return []string{"conversations", "active", "resolved", frt + " p50", frt + " p90", "CSAT", "NPS", "containment", "conversion"}
}

// groupCells returns the main metrics of a group, in groupColumns order.
func groupCells(m *chatkpi.MetricsSummary, bots bool) []string {
	cells := []string{fmt.Sprint(m.Conversations), fmt.Sprint(m.ActiveConversations), noData, noData, noData, noData, noData, noData, noData}
	if r := m.Resolutions; r != nil {
		cells[2] = fmt.Sprint(r.Resolved)
	}
	f := m.FirstResponseTime
	if bots {
		f = m.HumanFirstResponseTime
	}
	if f != nil {
		mark := small(f.SmallSample && f.Count > 0)
		cells[3], cells[4] = optSeconds(f.P50Seconds)+mark, optSeconds(f.P90Seconds)+mark
	}
	if m.CSAT != nil {
		cells[5] = percent(m.CSAT.Percent) + small(m.CSAT.SmallSample)
	}
	if m.NPS != nil {
		cells[6] = signed(m.NPS.Score) + small(m.NPS.SmallSample)
	}
	if m.Containment != nil {
		cells[7] = percent(m.Containment.Percent) + small(m.Containment.SmallSample)
	}
	if m.Conversion != nil && m.Conversion.RateSummary != nil {
		cells[8] = percent(m.Conversion.Percent) + small(m.Conversion.SmallSample)
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
