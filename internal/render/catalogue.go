package render

import (
	"fmt"

	"github.com/chatkpi/chatkpi"
)

// catalogueRates are the rates of catalogueRows, for the small-sample note.
func catalogueRates(m *chatkpi.MetricsSummary) []*chatkpi.RateSummary {
	var rs []*chatkpi.RateSummary
	if c := m.Completion; c != nil {
		rs = append(rs, &c.RateSummary)
	}
	if c := m.SuccessfulChat; c != nil {
		rs = append(rs, &c.RateSummary)
	}
	if f := m.Funnel; f != nil {
		rs = append(rs, &f.Acceptance, &f.Overall)
		if f.GoalRate != nil {
			rs = append(rs, f.GoalRate)
		}
	}
	return rs
}

// rateMetricRow is the row of a rate: the percentage with its counts, and
// its 95 % interval.
func rateMetricRow(name string, r *chatkpi.RateSummary) metricRow {
	if r == nil {
		return metricRow{name, noData, ""}
	}
	return metricRow{name, rate(r) + small(r.SmallSample), interval(r.CILow, r.CIHigh, " %")}
}

// catalogueRows are the rows of the overall metrics after the reopen rate:
// the resolutions and reopens, the completion and successful-chat rates
// (each with what it leaves out), the exclusions of the first response,
// the greeting funnel and one row per agent.
func catalogueRows(m *chatkpi.MetricsSummary) []metricRow {
	var rows []metricRow
	if r := m.Resolutions; r != nil {
		rows = append(rows, metricRow{"resolutions", fmt.Sprint(r.Resolved),
			fmt.Sprintf("%d reopened (%d reopens, %d resolve–reopen cycles); %d end reopened", r.Reopened, r.Reopens, r.Cycles, r.EndsReopened)})
	} else {
		rows = append(rows, metricRow{"resolutions", noData, ""})
	}
	if c := m.Completion; c != nil {
		row := rateMetricRow("completion", &c.RateSummary)
		if c.Pending > 0 {
			row.Detail += fmt.Sprintf("; %d pending", c.Pending)
		}
		rows = append(rows, row)
	} else {
		rows = append(rows, rateMetricRow("completion", nil))
	}
	if c := m.SuccessfulChat; c != nil {
		row := rateMetricRow("successful chat", &c.RateSummary)
		if c.Pending > 0 {
			row.Detail += fmt.Sprintf("; %d pending", c.Pending)
		}
		if c.WithoutCustomer > 0 {
			row.Detail += fmt.Sprintf("; %d without a customer id", c.WithoutCustomer)
		}
		rows = append(rows, row)
	} else {
		rows = append(rows, rateMetricRow("successful chat", nil))
	}
	if f := m.FirstResponseTime; f != nil && f.Excluded > 0 {
		rows = append(rows, metricRow{"first response excluded", fmt.Sprint(f.Excluded), fmt.Sprintf("%d outbound, %d unengaged", f.Outbound, f.Unengaged)})
	}
	if f := m.Funnel; f != nil {
		goal := noData
		if f.GoalRate != nil {
			goal = rate(f.GoalRate)
		}
		rows = append(rows, metricRow{"greeting funnel", fmt.Sprintf("%d → %d → %d", f.Displayed, f.Accepted, f.Converted),
			fmt.Sprintf("displayed → accepted → goal; accepted %s, goal %s of accepted, %s of displayed", rate(&f.Acceptance), goal, rate(&f.Overall))})
	}
	if days := m.Availability; len(days) > 0 {
		var sum float64
		for _, d := range days {
			sum += d.OnlineHours
		}
		rows = append(rows, metricRow{"availability", chatkpi.FormatFloat(sum/float64(len(days)), 2) + " h a day",
			fmt.Sprintf("with an agent online, mean of %d days %s to %s", len(days), days[0].Day, days[len(days)-1].Day)})
	}
	return rows
}

// agentRows are the per-agent rows of the text table's Agents section
// (the page draws them as its agent table): conversations, replies,
// concurrency, busy and online time, and the availability of each agent
// in avail ([agentAvailability]).
func agentRows(m *chatkpi.MetricsSummary, avail map[string][]chatkpi.AvailabilitySummary) []metricRow {
	var rows []metricRow
	for _, a := range m.Agents {
		mean := noData
		if a.MeanConcurrency != nil {
			mean = chatkpi.FormatFloat(*a.MeanConcurrency, 2)
		}
		peak, busy := fmt.Sprint(a.MaxConcurrent), seconds(a.BusySeconds)
		if a.ConcurrencyUndefined != "" { // streaming, out of start order: not measured
			peak, busy = noData, noData
		}
		on := online(a.OnlineSeconds)
		if m.AvailabilityUndefined != "" { // streaming, presence out of start order
			on = "; online undefined"
		}
		rows = append(rows, metricRow{displayKey(a.Agent), fmt.Sprintf("%d conversations", a.Conversations),
			fmt.Sprintf("%d replies; concurrency peak %s, mean %s (busy %s)%s%s", a.Replies, peak, mean, busy, on,
				agentAvailabilityText(avail[a.Agent]))})
	}
	return rows
}

// online describes an agent's online time, if known.
func online(s *float64) string {
	if s == nil {
		return ""
	}
	return "; online " + seconds(*s)
}
