package chatkpi

// activity counts the conversation as active in its home group and, with
// period grouping, once in the group of its key (the home agent's with
// [GroupByAgent]) of every later period in which one of its events
// happened: [MetricsSummary].ActiveConversations. The events are in time
// order, so each period is found once ([Report.spanAt]).
func (c *credits) activity(home *metricSet, ev []Event) {
	home.active++
	if c.r.cfg.period == 0 {
		return
	}
	next := c.next
	for i := range ev {
		if sec := ev[i].Time.Unix(); sec >= next {
			var start int64
			start, next = c.r.spanAt(ev[i].Time)
			c.at(start, c.r.homeAgent).active++
		}
	}
}
