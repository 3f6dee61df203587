package render

import (
	"fmt"
	"slices"

	"github.com/chatkpi/chatkpi"
)

// The ticket metrics (chatkpi.MetricWaitTimes, chatkpi.MetricTouches) in
// the table, the page and the CSV: present only when the report computed
// them, so that a report without them reads as before.

// ticketTiming is one wait of the ticket metrics.
type ticketTiming struct {
	name, prefix string
	get          func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary
}

func ticketTimings() []ticketTiming {
	return []ticketTiming{
		{"requester wait", "requester_wait_time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.RequesterWaitTime }},
		{"full requester wait", "full_requester_wait_time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.FullRequesterWaitTime }},
		{"agent wait (pending)", "agent_wait_time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.AgentWaitTime }},
		{"full agent wait", "full_agent_wait_time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.FullAgentWaitTime }},
		{"on-hold time", "on_hold_time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.OnHoldTime }},
		{"full on-hold time", "full_on_hold_time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.FullOnHoldTime }},
	}
}

// ticketRate is one rate of the touches.
type ticketRate struct {
	name, prefix string
	get          func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary
}

func ticketRates() []ticketRate {
	return []ticketRate{
		{"zero-touch resolution", "zero_touch", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.ZeroTouch }},
		{"one-touch resolution", "one_touch", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.OneTouch }},
		{"two-touch resolution", "two_touch", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.TwoTouch }},
		{"multi-touch resolution", "multi_touch", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.MultiTouch }},
		{"first-contact resolution", "first_contact_resolution", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary {
			return t.FirstContactResolution
		}},
	}
}

// waitTimings returns the waits of m as named timings, none without them.
func waitTimings(m *chatkpi.MetricsSummary) (names []string, ts []*chatkpi.TimingSummary) {
	if m.WaitTimes == nil {
		return nil, nil
	}
	for _, t := range ticketTimings() {
		names, ts = append(names, t.name), append(ts, t.get(m.WaitTimes))
	}
	return names, ts
}

// touchRates returns the touch rates of m, nil without them.
func touchRates(m *chatkpi.MetricsSummary) []*chatkpi.RateSummary {
	if m.Touches == nil {
		return nil
	}
	var rs []*chatkpi.RateSummary
	for _, r := range ticketRates() {
		rs = append(rs, r.get(m.Touches))
	}
	return rs
}

// ticketMetricRows adds the counts of the states and the touches with add
// and rateRow.
func ticketMetricRows(m *chatkpi.MetricsSummary, add func(metricRow), rateRow func(string, *chatkpi.RateSummary)) {
	if w := m.WaitTimes; w != nil {
		add(metricRow{"pending conversations", fmt.Sprint(w.PendingConversations), "waited on the customer at some point"})
		add(metricRow{"on-hold conversations", fmt.Sprint(w.OnHoldConversations), "waited on a third party at some point"})
	}
	if t := m.Touches; t != nil {
		add(metricRow{"resolved (touches)", fmt.Sprint(t.Resolved),
			fmt.Sprintf("%d reopened; %d first-contact pending; %d without customer id", t.Reopened, t.FirstContactPending, t.WithoutCustomer)})
		for _, r := range ticketRates() {
			rateRow(r.name, r.get(t))
		}
	}
}

// ticketCSVTimings returns the wait columns, as csvColumns' timings, when
// some row has them.
func ticketCSVTimings(all []*chatkpi.MetricsSummary) []struct {
	prefix string
	get    func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary
} {
	var cols []struct {
		prefix string
		get    func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary
	}
	if !slices.ContainsFunc(all, func(m *chatkpi.MetricsSummary) bool { return m.WaitTimes != nil }) {
		return nil
	}
	for _, t := range ticketTimings() {
		get := t.get
		cols = append(cols, struct {
			prefix string
			get    func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary
		}{t.prefix, func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary {
			if m.WaitTimes == nil {
				return nil
			}
			return get(m.WaitTimes)
		}})
	}
	return cols
}

// ticketCSV adds the columns of the state counts and the touch rates when
// some row has them.
func ticketCSV(all []*chatkpi.MetricsSummary, rate func(prefix string, get func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary),
	add func(string, func(m *chatkpi.MetricsSummary) string)) {
	if slices.ContainsFunc(all, func(m *chatkpi.MetricsSummary) bool { return m.WaitTimes != nil }) {
		add("pending_conversations", func(m *chatkpi.MetricsSummary) string {
			if m.WaitTimes == nil {
				return ""
			}
			return count(m.WaitTimes.PendingConversations)
		})
		add("on_hold_conversations", func(m *chatkpi.MetricsSummary) string {
			if m.WaitTimes == nil {
				return ""
			}
			return count(m.WaitTimes.OnHoldConversations)
		})
	}
	if slices.ContainsFunc(all, func(m *chatkpi.MetricsSummary) bool { return m.Touches != nil }) {
		for _, r := range ticketRates() {
			get := r.get
			rate(r.prefix, func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary {
				if m.Touches == nil {
					return nil
				}
				return get(m.Touches)
			})
		}
	}
}
