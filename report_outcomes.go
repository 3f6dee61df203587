package chatkpi

import "fmt"

// newReportRepeats returns the repeat ledger of a report's successful-chat
// rate, shared by the outcomes of every metric set of p, or nil without
// [MetricSuccessfulChat]. It is bounded in streaming mode (every timing
// metric streams), as the Report's memory bound says.
func newReportRepeats(cfg *reportConfig, p *metricSet) *repeatLedger[*Outcomes] {
	if cfg.metrics&MetricSuccessfulChat == 0 {
		p.out.repeats, p.out.shared = nil, false
		return nil
	}
	bounded := true
	for _, d := range p.statsConfigs() {
		bounded = bounded && d.streaming
	}
	l := newRepeatLedger[*Outcomes](int64(p.out.cfg.repeat()), bounded)
	p.out.repeats, p.out.shared = l, true
	return l
}

// shareCustomerIDs makes the report's per-customer states — the repeat
// ledgers and the customers' active periods, all empty — number the
// customers with one customerIDs, so that each id is kept once.
func (r *Report) shareCustomerIDs() {
	ids := new(customerIDs)
	if r.repeats != nil {
		r.repeats.ids = ids
	}
	if r.touchLedger != nil {
		r.touchLedger.ids = ids
	}
	if r.customers != nil {
		r.customers.cohorts.customers.ids = ids
	}
	r.perCustomer = r.repeats != nil || r.touchLedger != nil || r.customers != nil
}

// successfulChatSummary summarizes the successful-chat rate of a set's
// outcomes, which the report's ledger has judged.
func successfulChatSummary(o *Outcomes) *SuccessfulChatSummary {
	r, err := o.Result()
	if err != nil {
		return nil
	}
	rs := rateSummary(r.SuccessfulChat)
	if rs == nil {
		return nil
	}
	return &SuccessfulChatSummary{RateSummary: *rs, Pending: r.SuccessfulPending, WithoutCustomer: r.WithoutCustomer}
}

// successfulChatUndefined says why a report's successful-chat rate has no
// exact value, or "" when it has one.
func (r *Report) successfulChatUndefined() string {
	return ledgerUndefined(r.repeats, "successful-chat rate")
}

// ledgerUndefined says why the rate that a bounded repeat ledger l judges
// has no exact value, or "" when it has one (l nil: none).
func ledgerUndefined[T repeatTarget](l *repeatLedger[T], rate string) string {
	if l == nil || l.lost == 0 {
		return ""
	}
	return fmt.Sprintf("the conversations of %d customers came too far out of start order for streaming mode "+
		"(more than about %d of the same customer's conversations late): the %s needs exact mode", l.lost, repeatHistory, rate)
}

// finishSuccessfulChat leaves out every successful-chat rate of s when
// the report has no exact one, and says why.
func (r *Report) finishSuccessfulChat(s *Summary) {
	if s.SuccessfulChatUndefined = r.successfulChatUndefined(); s.SuccessfulChatUndefined == "" {
		return
	}
	s.Overall.SuccessfulChat = nil
	for i := range s.Groups {
		s.Groups[i].SuccessfulChat = nil
	}
}

// repeatTargets returns the outcomes of a report's metric sets in the
// order of its encoding: the overall set's, or when grouped each group's
// in sorted order.
func repeatTargets(grouped bool, overall *metricSet, gs []reportGroup) []*Outcomes {
	if !grouped {
		return []*Outcomes{&overall.out}
	}
	ts := make([]*Outcomes, len(gs))
	for i, g := range gs {
		ts[i] = &g.set.out
	}
	return ts
}

// completionSummary summarizes the conversation completion rate.
func completionSummary(r *OutcomesResult) *CompletionSummary {
	rs := rateSummary(r.Completion)
	if rs == nil {
		return nil
	}
	return &CompletionSummary{RateSummary: *rs, Pending: r.CompletionPending}
}

// consistentOutcomes reports whether the successful-chat state and the
// active count of s fit the report's metrics: without
// [MetricSuccessfulChat] the outcomes count no resolutions for it, and an
// ungrouped report's conversations are all active.
func (s *metricSet) consistentOutcomes(on Metric, exact bool) error {
	o := &s.out
	if on&MetricSuccessfulChat == 0 && (o.identified != [2]int64{} || o.repeatedN != [2]int64{} || o.anonymousResolved > 0 || o.anonymousPending > 0) {
		return invalidf("report", "metric %s holds state but is not one of the report's metrics %s", MetricSuccessfulChat, on)
	}
	if s.funnel.displayed > s.conversations {
		return invalidf("report", "a funnel of %d greetings displayed in a metric set of %d conversations", s.funnel.displayed, s.conversations)
	}
	if exact && s.active != s.conversations {
		return invalidf("report", "%d active conversations, the metric set %d", s.active, s.conversations)
	}
	return nil
}
