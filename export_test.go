package chatkpi

import (
	"strings"
	"time"
)

// Hooks for the external tests (package chatkpi_test), which can use the
// generators of package chatkpitest.

// ReportCustomersKeptWhole returns the number of customers that r's
// successful-chat state keeps whole (streaming mode, after a conversation
// out of start order).
func ReportCustomersKeptWhole(r *Report) int64 {
	if r.repeats == nil {
		return 0
	}
	return r.repeats.full
}

// ReportOverallEncoding returns the encoded state of r's overall metrics.
func ReportOverallEncoding(r *Report) []byte {
	e := newEncoder(tagReport, 0)
	r.overall.encode(e)
	return e.finish()
}

// ReportReferenceEncoding adds each of chats to every accumulator of an
// empty metric set with r's settings through the accumulator's own public
// AddConversation, which validates and scans on its own, and returns the
// encoded state: what a report should hold after adding the same chats
// (the successful-chat state of Outcomes only with MetricSuccessfulChat).
func ReportReferenceEncoding(r *Report, chats []Conversation) ([]byte, error) {
	ref := r.proto
	ref.out.repeats, ref.out.shared = nil, false // its own ledger, exact
	for _, c := range chats {
		ref.conversations++
		ref.active++
		for i, n := 0, c.Len(); i < n; i++ {
			if e := c.Event(i); e.Type == Message && !e.Private || e.Type == Fallback {
				ref.messages++
			}
		}
		for i, a := range []interface{ AddConversation(Conversation) error }{
			&ref.frt, &ref.resp, &ref.res, &ref.dur, &ref.queue, &ref.csat, &ref.nps, &ref.ces, &ref.out, &ref.bot, &ref.conv,
		} {
			if r.cfg.metrics&(1<<i) == 0 && (i != 8 || r.cfg.metrics&MetricSuccessfulChat == 0) {
				continue
			}
			if err := a.AddConversation(c); err != nil {
				return nil, err
			}
		}
		if err := addBotHumanSplit(r.cfg.metrics, &ref, c); err != nil {
			return nil, err
		}
		if on := r.cfg.metrics; on&MetricConversion != 0 && on&MetricOutcomes != 0 && c.Info().Source != "" {
			o, err := Classify(c)
			if err != nil {
				return nil, err
			}
			goals := countGoals(eventsOf(c, nil))
			if err := ref.funnel.Add(o != Unengaged, o != Unengaged && goals > 0); err != nil {
				return nil, err
			}
		}
		if r.cfg.metrics&MetricAgents != 0 {
			// Agents.AddConversation rejects an agent reply without an
			// agent id, which a report takes as nobody's: the same rule,
			// without that check.
			ch := &Chat{Meta: c.Info(), Events: eventsOf(c, nil)}
			turns, err := measureAgents(ch.Meta.ID, ch.Events, nil)
			if err != nil {
				return nil, err
			}
			agentsFrom(turns, ch.Meta.Start) // a streaming report's sweep counts from the report's start
			ref.agents.record(turns)
			var one presenceLog
			if err := one.add(ch.Meta.ID, ch.Events); err != nil {
				return nil, err
			}
			ref.presence.record(&one, ch.Meta.Start) // swept in streaming mode
		}
		if r.cfg.metrics&MetricWaitTimes != 0 {
			if err := ref.tickets.waits.AddConversation(c); err != nil {
				return nil, err
			}
		}
		if r.cfg.metrics&MetricTouches != 0 {
			if err := ref.tickets.touches.AddConversation(c); err != nil {
				return nil, err
			}
		}
	}
	if r.cfg.metrics&MetricSuccessfulChat == 0 {
		ref.out.identified, ref.out.repeatedN = [2]int64{}, [2]int64{}
		ref.out.anonymousResolved, ref.out.anonymousPending = 0, 0
	}
	ref.out.repeats, ref.out.shared = nil, true // a report's sets encode no ledger
	// The report counts the conversions in Conversion as visits and the
	// goal events and their value apart (goalTally), where they happened.
	if r.cfg.metrics&MetricConversion != 0 {
		ref.goals = goalTally{events: ref.conv.goals, value: ref.conv.sales}
		ref.conv.goals, ref.conv.sales = ref.conv.converted, Money{}
	}
	e := newEncoder(tagReport, 0)
	ref.encode(e)
	return e.finish(), nil
}

// The settings checks of the combiners, which guard every input.

// SetReportMeasure makes every timing metric of an empty report r measure
// durations with m: the tests' fake calendars, since the settings take a
// *BusinessHours only.
func SetReportMeasure(r *Report, m interface {
	Elapsed(from, to time.Time) (time.Duration, error)
}) {
	p := &r.proto
	for _, t := range append(p.timings(), &p.botFRT.cfg.timingConfig, &p.humanFRT.cfg.timingConfig,
		&p.assign.cfg.timingConfig, &p.afterAssign.cfg.timingConfig, &p.botResp.cfg.timingConfig, &p.humanResp.cfg.timingConfig) {
		t.measure = m
	}
	r.setup(r.cfg, r.proto)
}

// ReportOverallMetrics returns the accumulators of r's overall metrics
// (merged over the groups of a grouped report, as Summary merges them).
func ReportOverallMetrics(r *Report) (frt *FirstResponseTime, resp *ResponseTime, res *ResolutionTime,
	dur *ChatDuration, queue *QueueWait, csat *CSAT, ces *CES, out *Outcomes, err error) {
	if err = r.init(); err != nil {
		return
	}
	o := &r.overall
	if r.grouped() {
		o = new(metricSet)
		*o = r.proto
		for _, g := range r.sortedGroups() {
			if err = o.merge(g.set); err != nil {
				return
			}
		}
	}
	return &o.frt, &o.resp, &o.res, &o.dur, &o.queue, &o.csat, &o.ces, &o.out, nil
}

// addBotHumanSplit adds c to the bot and human accumulators of a reference
// metric set: the human ones with the standalone calculators
// (HumanOnly, FromHandoffOrCustomerMessage), the bot ones and the
// assignment clocks, which have no calculator option, with the measures the
// report uses.
func addBotHumanSplit(on Metric, ref *metricSet, c Conversation) error {
	info := c.Info()
	var buf []Event
	ev := readEvents(c, &buf)
	var s replyScan
	s.scan(ev, -1)
	cfg := &ref.frt.cfg
	if on&MetricBotAndHuman != 0 {
		if err := ref.humanFRT.AddConversation(c); err != nil {
			return err
		}
		bot, err := cfg.firstResponse(&info, ev, &s, FromCustomerMessage, botReplier)
		if err != nil {
			return err
		}
		ref.botFRT.record(bot)
	}
	if on&MetricAssignment != 0 {
		toJoin, afterJoin, err := cfg.assignment(&info, ev, &s)
		if err != nil {
			return err
		}
		ref.assign.record(toJoin)
		ref.afterAssign.record(afterJoin)
	}
	if on&MetricBotAndHuman != 0 {
		if err := ref.humanResp.AddConversation(c); err != nil {
			return err
		}
		var runs [3][]replyRun
		var unanswered [3]int64
		if err := ref.resp.cfg.measureRuns(&info, ev, 1<<botReplier, &runs, &unanswered); err != nil {
			return err
		}
		ref.botResp.record(runs[botReplier], unanswered[botReplier])
	}
	return nil
}

// ReportOverallAgents returns the overall per-agent accumulator of r (the
// merge of its groups when grouped).
func ReportOverallAgents(r *Report) (*Agents, error) {
	if err := r.init(); err != nil {
		return nil, err
	}
	if !r.grouped() {
		return &r.overall.agents, nil
	}
	var a Agents
	for _, g := range r.sortedGroups() {
		if err := a.Merge(&g.set.agents); err != nil {
			return nil, err
		}
	}
	return &a, nil
}

// ReportGroupReopens returns, per group of r ("period label|key values"),
// the Reopened events and resolve–reopen cycles of its resolution time and
// its resolved conversations that were reopened, which the summary does
// not show.
func ReportGroupReopens(r *Report) map[string][3]int64 {
	out := map[string][3]int64{}
	for _, g := range r.sortedGroups() {
		label := ""
		if r.cfg.period != 0 {
			label = r.cfg.periods.Label(time.Unix(g.start, 0), r.cfg.period)
		}
		vs, _ := splitKey(g.key, len(r.cfg.groupings))
		res := &g.set.res
		out[label+"|"+strings.Join(vs, ",")] = [3]int64{res.reopens, res.cycles, res.reopenedConvs}
	}
	return out
}
