package chatkpi

import "slices"

// customerStarts holds every identified customer's sorted starts of inbound
// engaged conversations in a whole report, where the repeat contacts of
// each group's resolutions are looked for.
type customerStarts map[string][]int64

// startsOf returns the starts of every customer of o.
func startsOf(o *Outcomes) customerStarts {
	cs := make(customerStarts)
	o.contacts.eachCustomer(func(id string, starts, _ []int64) {
		if len(starts) > 0 {
			cs[id] = slices.Clone(starts)
		}
	})
	return cs
}

// successfulChat returns the successful-chat rate of the conversations of
// o (one group's), whose repeat contacts are the starts of the whole
// report, with the engaged conversations left out as pending.
func successfulChat(o *Outcomes, engaged int64, starts customerStarts) (rate Proportion, pending int64) {
	successful, pending := o.anonymousResolved, o.anonymousPending
	for i := range o.contacts.resolutions {
		r := &o.contacts.resolutions[i]
		st := starts[r.customer]
		j, _ := slices.BinarySearch(st, r.at+1) // the first start after r.at
		var next int64
		if j < len(st) {
			next = st[j]
		}
		switch o.cfg.repeatVerdict(r.at, next, j < len(st)) {
		case repeatPending:
			pending++
		case noRepeat:
			successful++
		}
	}
	return Proportion{successful, engaged - pending}, pending
}

// successfulChatSummary summarizes the successful-chat rate of a set's
// outcomes (nil starts: the set is the whole report).
func successfulChatSummary(o *Outcomes, starts customerStarts) *SuccessfulChatSummary {
	r, err := o.Result()
	if err != nil {
		return nil
	}
	if starts != nil {
		r.SuccessfulChat, r.SuccessfulPending = successfulChat(o, r.Engaged, starts)
	}
	rs := rateSummary(r.SuccessfulChat)
	if rs == nil {
		return nil
	}
	return &SuccessfulChatSummary{RateSummary: *rs, Pending: r.SuccessfulPending, WithoutCustomer: r.WithoutCustomer}
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
// [MetricSuccessfulChat] the outcomes keep no contacts, and an ungrouped
// report's conversations are all active.
func (s *metricSet) consistentOutcomes(on Metric, exact bool) error {
	o := &s.out
	if on&MetricSuccessfulChat == 0 && (o.contacts.size() > 0 || o.anonymousResolved > 0 || o.anonymousPending > 0) {
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
