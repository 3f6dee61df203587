package chatkpi

import (
	"errors"
	"time"
)

// Crediting: which group of a grouped [Report] each measure of a
// conversation goes to.
//
// A conversation has one home group: the period of its start × its
// combined key, with the agent handling it at its last event for
// [GroupByAgent]. The home group gets what belongs to the whole
// conversation: its messages, outcome, duration, queue wait, bot quality,
// conversion and goals, the counts of what was never answered or resolved,
// and its NPS and CES answers (about the company, not an agent). The rest
// is credited to who acted and when:
//
//   - every reply time (first response by anyone, by a human and by a bot,
//     first response after assignment, each answered run of the three
//     response times) to the agent who replied — a bot's to the agent value
//     "" — in the period of the conversation's start (they are
//     conversation-level measures);
//   - the time to assignment to the agent who joined (or was assigned);
//   - the resolution of a conversation (its first and full resolution times
//     and its reopens) to the agent who first resolved it, or held it then,
//     in the period of that first resolution;
//   - every CSAT survey sent and answer to the agent handling the
//     conversation when the survey was sent (an answer without a survey
//     before it: when answered), and every survey answer and survey sent to
//     the period in which it happened;
//   - the conversation counts once as handled for every agent credited with
//     one of its measures and for every agent who joined it or replied in
//     it ([HandlingAgent]), in the period of its start.
//
// Without GroupByAgent only the periods differ from the home group. Every
// measure goes to exactly one group, so the overall metrics are the merge
// of the groups; only the conversations, counted once per agent who
// handled them, are kept apart (the overall count in Report.overall).
type credits struct {
	r           *Report
	start, next int64 // the home period [start, next) in Unix s; 0, MaxInt64 without periods
}

// creditTarget is one group that the conversation being added credits.
type creditTarget struct {
	start int64
	agent string
	set   *metricSet
}

// at returns the group of the period starting at start with the
// conversation's key, its agent replaced by agent (ignored without
// GroupByAgent). The groups of one conversation are looked up once each.
func (c *credits) at(start int64, agent string) *metricSet {
	r := c.r
	if r.agentIdx < 0 {
		agent = ""
	}
	for i := range r.targets {
		if t := &r.targets[i]; t.start == start && t.agent == agent {
			return t.set
		}
	}
	key := r.keyBuf
	if r.agentIdx >= 0 {
		key = append(r.creditBuf[:0], r.keyBuf[:r.agentKey[0]]...)
		key = appendKeyValue(key, agent)
		key = append(key, r.keyBuf[r.agentKey[1]:]...)
		r.creditBuf = key
	}
	set := r.groups[start][string(key)]
	if set == nil {
		set = r.group(start, string(key))
	}
	r.targets = append(r.targets, creditTarget{start, agent, set})
	return set
}

// to returns the group of the period that contains t; see at.
func (c *credits) to(t time.Time, agent string) *metricSet {
	start := c.start
	if sec := t.Unix(); c.r.cfg.period != 0 && (sec < c.start || sec >= c.next) {
		start = c.r.cfg.periods.Start(t, c.r.cfg.period).Unix()
	}
	return c.at(start, agent)
}

// actorAgent returns the [GroupByAgent] value credited with event i: the
// agent named on a human agent's event or on a join (an assignment), ""
// (the bot) for a bot's event, else the agent handling the conversation
// then ([HandlingAgent]).
func actorAgent(ev []Event, i int) string {
	switch e := &ev[i]; {
	case e.Agent != "" && (e.Role == Agent || e.Type == Joined):
		return e.Agent
	case e.Role == Bot:
		return ""
	}
	return HandlingAgent(ev, i)
}

// record adds a measured conversation whose home group is home, crediting
// each measure as documented on credits.
func (c *credits) record(home *metricSet, info *Info, ev []Event, messages int64, m *conversationMeasures) error {
	r, on := c.r, c.r.cfg.metrics
	homeAgent := r.homeAgent
	r.targets = append(r.targets[:0], creditTarget{c.start, homeAgent, home})
	defer func() { clear(r.targets); r.targets = r.targets[:0] }()
	home.messages += messages

	replyTo := func(f frtMeasure) *metricSet {
		if f.status != FRTAnswered {
			return home
		}
		return c.at(c.start, actorAgent(ev, f.at))
	}
	if on&MetricFirstResponse != 0 {
		replyTo(m.frt[anyReplier]).frt.record(m.frt[anyReplier])
		replyTo(m.frt[humanReplier]).humanFRT.record(m.frt[humanReplier])
		replyTo(m.frt[botReplier]).botFRT.record(m.frt[botReplier])
		replyTo(m.assign).assign.record(m.assign)
		replyTo(m.afterAssign).afterAssign.record(m.afterAssign)
	}
	if on&MetricResponseTime != 0 {
		for class, acc := range [3]func(*metricSet) *ResponseTime{
			func(s *metricSet) *ResponseTime { return &s.resp },
			func(s *metricSet) *ResponseTime { return &s.humanResp },
			func(s *metricSet) *ResponseTime { return &s.botResp },
		} {
			if class == int(anyReplier) {
				class = int(r.proto.resp.cfg.replier())
			}
			runs := m.runs[class]
			for k := range runs {
				acc(c.at(c.start, actorAgent(ev, runs[k].reply))).record(runs[k:k+1], 0)
			}
			acc(home).record(nil, m.unansweredRuns[class])
		}
	}
	if on&MetricResolutionTime != 0 {
		to := home
		if m.res.resolved {
			to = c.to(ev[m.res.firstAt].Time, actorAgent(ev, m.res.firstAt))
		}
		to.res.record(&m.res)
	}
	if on&MetricChatDuration != 0 {
		home.dur.record(&m.dur)
	}
	if on&MetricQueueWait != 0 {
		home.queue.record(&m.queue)
	}
	if on&MetricOutcomes != 0 {
		home.out.record(info, &m.out, false) // no successful-chat state, see Report
	}
	if on&MetricBotQuality != 0 {
		home.bot.record(&m.bot)
	}
	if on&MetricConversion != 0 {
		home.conv.count(ev, m.goals)
	}
	var errs []error
	if on&(MetricCSAT|MetricNPS|MetricCES) != 0 && m.tally != [CESSurvey + 1]surveyTally{} {
		errs = c.surveys(ev, homeAgent, on)
	}
	// Handled: the conversation counts once for every agent credited and
	// every agent who joined or replied, in the period of its start.
	if r.agentIdx >= 0 {
		for i := range ev {
			if handles(&ev[i]) {
				c.at(c.start, ev[i].Agent)
			}
		}
		for i, n := 0, len(r.targets); i < n; i++ {
			c.at(c.start, r.targets[i].agent)
		}
	}
	for i := range r.targets {
		if t := &r.targets[i]; t.start == c.start {
			t.set.conversations++
		}
	}
	return errors.Join(errs...)
}

// surveys credits every survey sent and answer of a conversation to the
// period it happened in: CSAT to the agent of the survey (see credits), NPS
// and CES to the conversation's home agent. The scales were checked by
// Report.check.
func (c *credits) surveys(ev []Event, homeAgent string, on Metric) []error {
	var errs []error
	cur, sent, asked := "", "", false
	for i := range ev {
		e := &ev[i]
		if handles(e) {
			cur = e.Agent
		}
		if e.Survey == 0 || e.Type != SurveySent && e.Type != Rating {
			continue
		}
		var err error
		switch {
		case e.Survey == CSATSurvey && on&MetricCSAT != 0 && e.Type == SurveySent:
			sent, asked = cur, true
			err = c.to(e.Time, cur).csat.AddSent(1)
		case e.Survey == CSATSurvey && on&MetricCSAT != 0:
			a := cur
			if asked {
				a = sent
			}
			err = c.to(e.Time, a).csat.Add(e.Score)
		case e.Survey == NPSSurvey && on&MetricNPS != 0 && e.Type == Rating:
			err = c.to(e.Time, homeAgent).nps.Add(e.Score)
		case e.Survey == CESSurvey && on&MetricCES != 0 && e.Type == Rating:
			err = c.to(e.Time, homeAgent).ces.Add(e.Score)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
