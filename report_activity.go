package chatkpi

// activity counts the conversation as active in its home group and, with
// period grouping, once in the group of its key (the home agent's with
// [GroupByAgent]) of every later period in which one of its events
// happened: [MetricsSummary].ActiveConversations. The events are in time
// order, so each period is found once (with the zone conversion of
// [credits.to], not the report's span cache, whose home span the caller
// still holds).
func (c *credits) activity(home *metricSet, ev []Event) {
	home.active++
	if c.r.cfg.period == 0 {
		return
	}
	next := c.next
	for i := range ev {
		if sec := ev[i].Time.Unix(); sec >= next {
			ps, p := c.r.cfg.periods, c.r.cfg.period
			start := ps.Start(ev[i].Time, p)
			c.at(start.Unix(), c.r.homeAgent).active++
			next = ps.Next(start, p).Unix()
		}
	}
}
