package chatkpi

import "time"

// MeasuredConversation is one conversation as a [Report] measures it: the
// per-conversation values that [Report.AddConversation] adds to the
// report's metrics, by the same rules and with the same settings, for an
// export with one row per conversation. [Report.Measure] fills it.
//
// A measure of a metric the report does not compute ([ReportSettings].Metrics)
// is left zero, with its status 0 or its flag false; [MeasuredConversation].Metrics
// says which were computed. Durations are measured like the report's (in
// business time when the metric has BusinessHours).
type MeasuredConversation struct {
	ID, Customer, Channel, Source, Priority string
	// Start is Info.Start, or the first event's time when it is zero: the
	// instant that puts the conversation in its period.
	Start time.Time
	// Agent is the agent handling the conversation at its last event
	// ([HandlingAgent]), "" for none: the [GroupByAgent] key of its
	// whole-conversation measures. Handler is "human" if any human agent
	// joined or sent a public reply, else "bot" ([GroupByHandler]).
	Agent, Handler string
	// Messages counts the public messages (the report's messages).
	Messages int64
	// Metrics are the metrics measured: the report's.
	Metrics Metric

	// FirstResponse, HumanFirstResponse and BotFirstResponse are the three
	// first response times of [MetricsSummary] (anyone's with the report's
	// FirstResponseSettings; the first human reply from the last handoff;
	// the first bot reply); each is meaningful when its status is
	// [FRTAnswered].
	FirstResponse, HumanFirstResponse, BotFirstResponse                   time.Duration
	FirstResponseStatus, HumanFirstResponseStatus, BotFirstResponseStatus FRTStatus

	// Resolved: the conversation was resolved at least once;
	// ResolutionTime runs from Start to the first resolution.
	// ResolvedAtEnd: it ends resolved (not reopened after its last
	// resolution); FullResolutionTime runs to the last resolution. Reopens
	// counts its [Reopened] events.
	Resolved, ResolvedAtEnd            bool
	ResolutionTime, FullResolutionTime time.Duration
	Reopens                            int64

	// ChatDuration runs from the first to the last message; HasMessages is
	// false for a conversation without any (no duration).
	ChatDuration time.Duration
	HasMessages  bool

	// Queued: the conversation waited for a human agent ([QueueWait]);
	// QueueServed: an agent joined or replied, after QueueWait;
	// QueueAbandoned: the customer left before an agent replied.
	Queued, QueueServed, QueueAbandoned bool
	QueueWait                           time.Duration

	// Outcome is the conversation's one outcome ([Outcomes]).
	Outcome Outcome

	// CSAT, NPS and CES count the conversation's answers by score (a
	// conversation usually has at most one of each).
	CSAT, NPS, CES Distribution

	// Goals counts its [Goal] events; Value sums their values per
	// currency (empty without goals of value).
	Goals int64
	Value Money

	// SLA holds the verdicts of the report's SLA policy ([MetricSLA]): one
	// per SLA metric that has a target for the conversation and whose
	// clock started, in metric order (see [SLA.Verdicts]). It is reused by
	// the next Measure with m.
	SLA []SLAVerdict

	scratch conversationMeasures // reused by Report.Measure
	events  []Event              // of a conversation that is not a *Chat
}

// Measure measures c as AddConversation does — the same checks, the same
// rules, the report's settings — into m, without adding it to the report:
// the one measurement of a conversation, exposed for a per-conversation
// export. It returns the [*InputError] AddConversation would return for c
// (grouping errors and group limits aside: m belongs to no group). Reusing
// m for the next conversation reuses its buffers, so that measuring a
// stream of conversations holds one conversation's state at a time. r is
// not changed.
func (r *Report) Measure(c Conversation, m *MeasuredConversation) error {
	if err := r.init(); err != nil {
		return err
	}
	info := c.Info()
	var ev []Event
	if ch, ok := c.(*Chat); ok {
		ev = ch.Events
	} else {
		m.events = eventsOf(c, m.events[:0])
		ev = m.events
	}
	s := &m.scratch
	messages, start, err := r.check(&info, ev, s)
	if err != nil {
		return err
	}
	if err := r.measure(&info, ev, s); err != nil {
		return err
	}
	on := r.cfg.metrics
	*m = MeasuredConversation{
		ID: info.ID, Customer: info.Customer, Channel: info.Channel, Source: info.Source, Priority: info.Priority,
		Start: start, Agent: HandlingAgent(ev, len(ev)-1), Handler: handlerOf(ev),
		Messages: messages, Metrics: on, scratch: m.scratch, events: m.events,
	}
	if on&MetricSLA != 0 {
		m.SLA = m.scratch.sla
	}
	if on&MetricFirstResponse != 0 {
		m.FirstResponse, m.FirstResponseStatus = s.frt[anyReplier].d, s.frt[anyReplier].status
	}
	if on&MetricBotAndHuman != 0 {
		m.HumanFirstResponse, m.HumanFirstResponseStatus = s.frt[humanReplier].d, s.frt[humanReplier].status
		m.BotFirstResponse, m.BotFirstResponseStatus = s.frt[botReplier].d, s.frt[botReplier].status
	}
	if on&MetricResolutionTime != 0 {
		res := &s.res
		m.Resolved, m.ResolvedAtEnd, m.Reopens = res.resolved, res.resolved && !res.open, res.reopens
		if res.resolved {
			m.ResolutionTime = res.first
		}
		if m.ResolvedAtEnd {
			m.FullResolutionTime = res.full
		}
	}
	if on&MetricChatDuration != 0 {
		m.HasMessages, m.ChatDuration = s.dur.messages, s.dur.full
	}
	if on&MetricQueueWait != 0 {
		q := &s.queue
		m.Queued, m.QueueServed, m.QueueAbandoned = q.waited, q.waited && q.served, q.waited && !q.replied
		if m.QueueServed {
			m.QueueWait = q.wait
		}
	}
	if on&MetricOutcomes != 0 {
		m.Outcome = s.out.f.outcome
	}
	if on&MetricCSAT != 0 {
		m.CSAT = s.tally[CSATSurvey].dist
	}
	if on&MetricNPS != 0 {
		m.NPS = s.tally[NPSSurvey].dist
	}
	if on&MetricCES != 0 {
		m.CES = s.tally[CESSurvey].dist
	}
	if on&MetricConversion != 0 && s.goals > 0 {
		var g goalTally // as the report counts each goal (metricSet.record)
		for i := range ev {
			if ev[i].Type == Goal {
				g.add(&ev[i])
			}
		}
		m.Goals, m.Value = g.events, g.value
	}
	return nil
}

// handlerOf is the [GroupByHandler] value of a conversation: "human" if
// any human agent joined or sent a public reply, else "bot".
func handlerOf(ev []Event) string {
	for i := range ev {
		if ev[i].agentServes() {
			return "human"
		}
	}
	return "bot"
}
