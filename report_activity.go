package chatkpi

// activity counts the conversation as active in its home group and, with
// period grouping, once in the group of its key (the home agent's with
// [GroupByAgent]) of every later period in which one of its events
// happened: [MetricsSummary].ActiveConversations. The events are in time
// order, so each period is found once (in the cache of [credits.to], not
// the report's span cache, whose home span the caller still holds).
func (c *credits) activity(home *metricSet, ev []Event) {
	home.active++
	if c.r.cfg.period == 0 {
		return
	}
	next := c.next
	for i := range ev {
		if sec := ev[i].Time.Unix(); sec >= next {
			span := c.r.spanIn(&c.r.creditSpans, ev[i].Time)
			c.at(span.start, c.r.homeAgent).active++
			next = span.next
		}
	}
}
