package chatkpi

import (
	"errors"
	"fmt"
)

// The ticket metrics of a [Report]: [MetricWaitTimes] ([WaitTimes]) and
// [MetricTouches] ([Touches]), measured and recorded by the calculators'
// own code with the report's settings.
//
// Crediting in a grouped report: the wait times and the touches of a
// resolved conversation go with its resolution (the period of its first
// resolution and, by agent, the agent who first resolved it, as the
// resolution time), those of a conversation never resolved to its home
// group; the start of an inbound engaged conversation, which may be the
// repeat contact of another, to its home group. A first-contact resolution
// is judged against the starts of the whole report, so a customer who
// comes back in another group (the next day, another agent) is a repeat
// contact in every group: in exact mode from every contact kept (see
// [Touches]), in streaming mode by the report's bounded repeat ledger, as
// its successful-chat rate (see repeatLedger).

// ticketMetrics is the ticket accumulators of a metric set.
type ticketMetrics struct {
	waits   WaitTimes
	touches Touches
}

// configure builds the accumulators with the report's settings: the wait
// times with ReportSettings.WaitTimes, the touches with the repeat window
// and the as-of instant of ReportSettings.Outcomes.
func (t *ticketMetrics) configure(s *ReportSettings) error {
	w, err := NewWaitTimes(s.WaitTimes)
	if err != nil {
		return fmt.Errorf("wait times: %w", err)
	}
	tc, err := NewTouches(TouchesSettings{RepeatContactWindow: s.Outcomes.RepeatContactWindow, AsOf: s.Outcomes.AsOf})
	if err != nil {
		return fmt.Errorf("touches: %w", err)
	}
	t.waits, t.touches = *w, *tc
	return nil
}

// settingsOnly returns empty accumulators with t's settings.
func (t *ticketMetrics) settingsOnly() ticketMetrics {
	return ticketMetrics{waits: WaitTimes{cfg: t.waits.cfg}, touches: Touches{cfg: t.touches.cfg}}
}

// ticketMeasures is what one conversation adds to the ticket metrics.
type ticketMeasures struct {
	timeline ticketTimeline // scratch, reused
	waits    waitMeasure
	touches  touchMeasure
}

// measure measures a conversation that passed Report.check for the ticket
// metrics on.
func (t *ticketMetrics) measure(info *Info, ev []Event, m *ticketMeasures, on Metric) error {
	if on&(MetricWaitTimes|MetricTouches) == 0 { // inlined: a report without them
		return nil
	}
	return t.measureOn(info, ev, m, on)
}

func (t *ticketMetrics) measureOn(info *Info, ev []Event, m *ticketMeasures, on Metric) error {
	if on&MetricWaitTimes != 0 {
		if err := t.waits.cfg.measureWaits(info, ev, &m.timeline, &m.waits); err != nil {
			return err
		}
	}
	if on&MetricTouches != 0 {
		var err error
		if m.touches, err = measureTouches(info, ev); err != nil {
			return err
		}
	}
	return nil
}

// record adds a measured conversation to one set.
func (t *ticketMetrics) record(info *Info, m *ticketMeasures, on Metric) {
	if on&(MetricWaitTimes|MetricTouches) != 0 { // inlined: a report without them
		t.recordOn(info, m, on)
	}
}

func (t *ticketMetrics) recordOn(info *Info, m *ticketMeasures, on Metric) {
	if on&MetricWaitTimes != 0 {
		t.waits.record(&m.waits)
	}
	if on&MetricTouches != 0 {
		recordTouches(&t.touches, &t.touches, info, &m.touches)
	}
}

// tickets credits the ticket measures of a conversation whose home group
// is home (see the crediting above).
func (c *credits) tickets(home *metricSet, info *Info, ev []Event, m *conversationMeasures, on Metric) {
	resolution := func(resolved bool, at int) *metricSet {
		if !resolved {
			return home
		}
		return c.to(ev[at].Time, actorAgent(ev, at))
	}
	if w := &m.tickets.waits; on&MetricWaitTimes != 0 {
		resolution(w.resolved, w.firstAt).tickets.waits.record(w)
	}
	if tm := &m.tickets.touches; on&MetricTouches != 0 {
		recordTouches(&home.tickets.touches, &resolution(tm.resolved, tm.firstAt).tickets.touches, info, tm)
	}
}

func (t *ticketMetrics) merge(o *ticketMetrics) error {
	return errors.Join(t.waits.Merge(&o.waits), t.touches.Merge(&o.touches))
}

// WaitTimesSummary is [MetricWaitTimes] in a summary: each wait to the
// first resolution and, "full", to the last one (see [WaitTimes]). A
// TimingSummary's Unanswered counts the conversations without the wait:
// never resolved, and for the full waits also those reopened after their
// last resolution.
type WaitTimesSummary struct {
	RequesterWaitTime     *TimingSummary `json:"requester_wait_time"`      // new + open + on hold
	FullRequesterWaitTime *TimingSummary `json:"full_requester_wait_time"` // to the last resolution
	AgentWaitTime         *TimingSummary `json:"agent_wait_time"`          // pending
	FullAgentWaitTime     *TimingSummary `json:"full_agent_wait_time"`
	OnHoldTime            *TimingSummary `json:"on_hold_time"` // on hold
	FullOnHoldTime        *TimingSummary `json:"full_on_hold_time"`
	// PendingConversations and OnHoldConversations count the conversations
	// that were pending, and on hold, at some point (resolved or not).
	PendingConversations int64 `json:"pending_conversations"`
	OnHoldConversations  int64 `json:"on_hold_conversations"`
}

// TouchesSummary is [MetricTouches] in a summary: the touch rates of the
// Resolved conversations (public human agent replies before the first
// resolution: 0, 1, 2, 3 or more; Zendesk's one-touch figure is zero +
// one) and the first-contact resolution rate (resolved, never reopened, no
// repeat contact within the repeat window) of those that could be judged,
// null in a streaming report that could not judge it exactly (see
// [Summary].FirstContactUndefined).
type TouchesSummary struct {
	Resolved               int64        `json:"resolved"`
	ZeroTouch              *RateSummary `json:"zero_touch"`
	OneTouch               *RateSummary `json:"one_touch"`
	TwoTouch               *RateSummary `json:"two_touch"`
	MultiTouch             *RateSummary `json:"multi_touch"`
	FirstContactResolution *RateSummary `json:"first_contact_resolution"`
	// FirstContactPending counts the resolutions whose repeat window ends
	// after the as-of instant ([OutcomesSettings].AsOf), out of the rate.
	FirstContactPending int64 `json:"first_contact_pending"`
	// Reopened counts the resolved conversations reopened after their first
	// resolution; WithoutCustomer the first-contact resolutions without a
	// customer id (no way to see their repeats).
	Reopened        int64 `json:"reopened"`
	WithoutCustomer int64 `json:"without_customer"`
}

// summary fills the ticket metrics of m, with the repeat contacts looked
// up in idx (nil: t's own starts).
func (t *ticketMetrics) summary(m *MetricsSummary, labels bucketLabels, on Metric, idx startIndex) error {
	if on&MetricWaitTimes != 0 {
		r, resErr := t.waits.Result()
		if resErr != nil && !errors.Is(resErr, ErrNoData) {
			return resErr
		}
		if r.Resolved+r.Unresolved > 0 {
			ws := &WaitTimesSummary{PendingConversations: r.Pending, OnHoldConversations: r.OnHoldConversations}
			for _, w := range [...]struct {
				first, full **TimingSummary
				st          *WaitStats
			}{
				{&ws.RequesterWaitTime, &ws.FullRequesterWaitTime, &r.Requester},
				{&ws.AgentWaitTime, &ws.FullAgentWaitTime, &r.Agent},
				{&ws.OnHoldTime, &ws.FullOnHoldTime, &r.OnHold},
			} {
				var err error
				if *w.first, err = timingSummary(labels, w.st.First, resErr, r.Resolved, r.Unresolved, 0); err != nil {
					return err
				}
				fullErr := resErr
				if fullErr == nil && w.st.Full.Count == 0 {
					fullErr = ErrNoData
				}
				if *w.full, err = timingSummary(labels, w.st.Full, fullErr, w.st.Full.Count, r.Unresolved+r.ReopenedOpen, 0); err != nil {
					return err
				}
			}
			m.WaitTimes = ws
		}
	}
	if on&MetricTouches != 0 {
		if idx == nil {
			idx = newStartIndex(&t.touches.contacts)
		}
		r, err := t.touches.resultAgainst(idx)
		switch {
		case err == nil:
			m.Touches = &TouchesSummary{Resolved: r.Resolved, ZeroTouch: rateSummary(r.ZeroTouch), OneTouch: rateSummary(r.OneTouch),
				TwoTouch: rateSummary(r.TwoTouch), MultiTouch: rateSummary(r.MultiTouch),
				FirstContactResolution: rateSummary(r.FirstContact), FirstContactPending: r.FirstContactPending,
				Reopened: r.Reopened, WithoutCustomer: r.WithoutCustomer}
		case !errors.Is(err, ErrNoData):
			return err
		}
	}
	return nil
}

// judgeGroups judges the first-contact resolutions of every group against
// the starts of the whole report (overall, the merge of the groups), in
// place of the group's own starts; out holds the groups' summaries in the
// order of groups.
func (r *Report) judgeGroups(overall *metricSet, groups []reportGroup, out []GroupSummary) error {
	if r.cfg.metrics&MetricTouches == 0 {
		return nil
	}
	idx := newStartIndex(&overall.tickets.touches.contacts)
	for i, g := range groups {
		out[i].Touches = nil
		if err := g.set.tickets.summary(&out[i].MetricsSummary, nil, MetricTouches, idx); err != nil {
			return err
		}
	}
	return nil
}

// newReportTouchRepeats returns the repeat ledger of a streaming report's
// first-contact resolutions, shared by the touches of every metric set of
// p, or nil without [MetricTouches] or outside streaming mode (the touches
// then keep every contact, see [Touches]). It is bounded, as the Report's
// memory bound says, like the successful-chat ledger.
func newReportTouchRepeats(cfg *reportConfig, p *metricSet) *repeatLedger[*Touches] {
	p.tickets.touches.repeats = nil
	if cfg.metrics&MetricTouches == 0 {
		return nil
	}
	for _, d := range p.statsConfigs() {
		if !d.streaming {
			return nil
		}
	}
	l := newRepeatLedger[*Touches](int64(p.tickets.touches.cfg.repeat()), true)
	p.tickets.touches.repeats = l
	return l
}

// touchTargets returns the touches of a report's metric sets in the order
// of its encoding (see repeatTargets).
func touchTargets(grouped bool, overall *metricSet, gs []reportGroup) []*Touches {
	if !grouped {
		return []*Touches{&overall.tickets.touches}
	}
	ts := make([]*Touches, len(gs))
	for i, g := range gs {
		ts[i] = &g.set.tickets.touches
	}
	return ts
}

// mergedTouches maps the touches of the sets of a merged report to those of
// the sets they were merged into, as to does their outcomes.
func mergedTouches(sets map[*metricSet]*metricSet) func(*Touches) *Touches {
	m := make(map[*Touches]*Touches, len(sets))
	for from, to := range sets {
		m[&from.tickets.touches] = &to.tickets.touches
	}
	return func(x *Touches) *Touches {
		if t, ok := m[x]; ok {
			return t
		}
		return x // a set handed over
	}
}

// finishFirstContact leaves out every first-contact resolution rate of
// s when the report's streaming ledger lost a customer, and says why (as
// for the successful-chat rate, see Report.finishSuccessfulChat).
func (r *Report) finishFirstContact(s *Summary) {
	if s.FirstContactUndefined = ledgerUndefined(r.touchLedger, "first-contact resolution rate"); s.FirstContactUndefined == "" {
		return
	}
	if s.Overall.Touches != nil {
		s.Overall.Touches.FirstContactResolution = nil
	}
	for i := range s.Groups {
		if s.Groups[i].Touches != nil {
			s.Groups[i].Touches.FirstContactResolution = nil
		}
	}
}
