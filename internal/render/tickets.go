package render

import (
	"fmt"

	"github.com/chatkpi/chatkpi"
)

// The ticket metrics (chatkpi.MetricWaitTimes, chatkpi.MetricTouches) in
// the table and the page (the CSV writes every field of the summary):
// present only when the report computed them, so that a report without
// them reads as before.

// ticketTiming is one wait of the ticket metrics.
type ticketTiming struct {
	name string
	get  func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary
}

func ticketTimings() []ticketTiming {
	return []ticketTiming{
		{"requester wait", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.RequesterWaitTime }},
		{"full requester wait", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.FullRequesterWaitTime }},
		{"agent wait (pending)", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.AgentWaitTime }},
		{"full agent wait", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.FullAgentWaitTime }},
		{"on-hold time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.OnHoldTime }},
		{"full on-hold time", func(w *chatkpi.WaitTimesSummary) *chatkpi.TimingSummary { return w.FullOnHoldTime }},
	}
}

// ticketRate is one rate of the touches.
type ticketRate struct {
	name string
	get  func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary
}

func ticketRates() []ticketRate {
	return []ticketRate{
		{"zero-touch resolution", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.ZeroTouch }},
		{"one-touch resolution", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.OneTouch }},
		{"two-touch resolution", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.TwoTouch }},
		{"multi-touch resolution", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary { return t.MultiTouch }},
		{"first-contact resolution", func(t *chatkpi.TouchesSummary) *chatkpi.RateSummary {
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

// ticketCards are the page's cards of the ticket metrics: the median
// requester wait and the one-touch and first-contact resolution rates.
func ticketCards(m *chatkpi.MetricsSummary) []card {
	var cs []card
	if w := m.WaitTimes; w != nil && w.RequesterWaitTime != nil {
		t := w.RequesterWaitTime
		c := card{"Requester wait, median", optSeconds(t.P50Seconds) + small(t.SmallSample && t.Count > 0),
			fmt.Sprintf("%d resolved; %d ever pending", t.Count, w.PendingConversations)}
		if a := w.AgentWaitTime; a != nil {
			c.Detail += "; agent wait median " + optSeconds(a.P50Seconds)
		}
		cs = append(cs, c)
	}
	if t := m.Touches; t != nil {
		for _, r := range []struct {
			label string
			rate  *chatkpi.RateSummary
		}{{"One-touch resolution", t.OneTouch}, {"First-contact resolution", t.FirstContactResolution}} {
			c := card{r.label, noData, ""}
			if r.rate != nil {
				c.Value, c.Detail = percent(r.rate.Percent)+small(r.rate.SmallSample), fmt.Sprintf("%d of %d", r.rate.Count, r.rate.Of)
			}
			cs = append(cs, c)
		}
	}
	return cs
}
