package chatkpi

import (
	"errors"
	"fmt"
	"time"
)

// Crediting: which group of a grouped [Report] each measure of a
// conversation goes to.
//
// A conversation has one home group: the period of its start × its
// combined key, with the agent handling it at its last event for
// [GroupByAgent]. The home group gets what belongs to the whole
// conversation: its messages, outcome, duration, queue wait, bot quality,
// whether it converted, the counts of what was never answered or resolved,
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
//     whether it was reopened, its wait times and touches) to the agent who
//     first resolved it, or held it then, in the period of that first
//     resolution (the start of an engaged conversation, a possible repeat
//     contact of another, stays home);
//   - every Reopened event (a reopen, a resolve–reopen cycle) to its
//     [actorAgent], in the period in which it happened;
//   - every Goal event and its value to the agent holding the conversation
//     then ([HandlingAgent]), in the period in which it happened;
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
	start, next int64                 // the home period [start, next) in Unix s; 0, MaxInt64 without periods
	homeGroups  map[string]*metricSet // the groups of the home period, once looked up
	// dry, during roomFor, is a scratch set that stands for every group,
	// and newGroups counts the groups that do not exist yet.
	dry       *metricSet
	newGroups int
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
	byKey := c.homeGroups
	if start != c.start || byKey == nil {
		byKey = r.groups[start]
	}
	set := byKey[string(key)]
	switch {
	case c.dry != nil:
		if set == nil {
			c.newGroups++
		}
		set = c.dry
	case set == nil:
		set = r.group(start, string(key))
	}
	if start == c.start && c.homeGroups == nil {
		c.homeGroups = r.groups[start]
	}
	r.targets = append(r.targets, creditTarget{start, agent, set})
	return set
}

// to returns the group of the period that contains t; see at.
func (c *credits) to(t time.Time, agent string) *metricSet {
	start := c.start
	if sec := t.Unix(); c.r.cfg.period != 0 && (sec < c.start || sec >= c.next) {
		start, _ = c.r.spanAt(t)
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

// handlers adds a target in the home period for every agent who joined the
// conversation or replied in it, and reports whether every measure of it is
// credited to its home group: all its events are in the home period and,
// with GroupByAgent, every reply, join, resolution, reopen, goal and CSAT
// survey event is the home agent's (see credits). One pass over the events.
func (c *credits) handlers(ev []Event) (homeOnly bool) {
	homeOnly = c.inHomePeriod(ev)
	if c.r.agentIdx < 0 {
		return homeOnly
	}
	home, cur := c.r.homeAgent, ""
	for i := range ev {
		e := &ev[i]
		switch {
		case e.IsReply() || e.Type == Joined || e.Type == Resolved:
			if homeOnly && actorAgent(ev, i) != home {
				homeOnly = false
			}
			if handles(e) {
				cur = e.Agent
				if cur != home {
					c.at(c.start, cur)
				}
			}
		case e.Type == Reopened:
			if homeOnly && actorAgent(ev, i) != home {
				homeOnly = false
			}
		case e.Survey == CSATSurvey && cur != home, e.Type == Goal && cur != home:
			homeOnly = false
		}
	}
	return homeOnly
}

// inHomePeriod reports whether all the events are in the home period.
func (c *credits) inHomePeriod(ev []Event) bool {
	return len(ev) == 0 || ev[len(ev)-1].Time.Unix() < c.next
}

// homeOnly reports whether every measure of the conversation goes to its
// home group without looking at who acted: without GroupByAgent, all its
// events in the home period (most conversations). Report.AddConversation
// then records it there directly.
func (c *credits) homeOnly(ev []Event) bool {
	return c.r.agentIdx < 0 && c.inHomePeriod(ev)
}

// nearLimit reports whether the groups the conversation credits might not
// fit within the report's limit ([ReportSettings].MaxGroups): far from it —
// a conversation credits at most one group per event besides its home —
// they fit.
func (c *credits) nearLimit(ev []Event) bool {
	return len(ev)+1 > c.r.cfg.limit()-c.r.ngroups
}

// roomFor checks, before anything is recorded, that the groups the
// conversation credits fit within the report's limit, for a conversation
// nearLimit: it runs the crediting on a scratch set to count the new
// groups. home is its home group, nil when it does not exist yet.
func (c *credits) roomFor(home *metricSet, info *Info, ev []Event, messages int64, m *conversationMeasures) error {
	r := c.r
	room := r.cfg.limit() - r.ngroups
	scratch := new(metricSet)
	*scratch = r.proto
	// The scratch set only counts groups: it must not reach the customer
	// ledgers that the report's sets share, or the dry run would add the
	// conversation to them a second time.
	scratch.out.repeats, scratch.out.shared = nil, false
	scratch.tickets.touches.repeats = nil
	c.dry, c.newGroups = scratch, 0
	if home == nil {
		c.newGroups++
	}
	_ = c.record(scratch, info, ev, messages, m) // only counts can fail, and only in the scratch set
	need := c.newGroups
	c.dry, c.newGroups, c.homeGroups = nil, 0, nil
	if need > room {
		return groupLimitError(info.ID, r.cfg.limit())
	}
	return nil
}

// groupLimitError is the error of conversation id, which would take a
// report past its limit of groups.
func groupLimitError(id string, limit int) error {
	return fmt.Errorf("%w: conversation %q: it would take the report past its limit of %d groups (period × key; ReportSettings.MaxGroups)",
		ErrLimit, id, limit)
}

// record adds a measured conversation whose home group is home, crediting
// each measure as documented on credits.
func (c *credits) record(home *metricSet, info *Info, ev []Event, messages int64, m *conversationMeasures) error {
	r, on := c.r, c.r.cfg.metrics
	r.targets = append(r.targets[:0], creditTarget{c.start, r.homeAgent, home})
	defer c.done()
	if c.handlers(ev) {
		return home.record(info, ev, messages, m, on)
	}
	home.messages += messages
	if on&MetricFirstResponse != 0 {
		c.reply(home, ev, m.frt[anyReplier]).frt.record(m.frt[anyReplier])
	}
	if on&MetricBotAndHuman != 0 {
		c.reply(home, ev, m.frt[humanReplier]).humanFRT.record(m.frt[humanReplier])
		c.reply(home, ev, m.frt[botReplier]).botFRT.record(m.frt[botReplier])
	}
	if on&MetricAssignment != 0 {
		c.reply(home, ev, m.assign).assign.record(m.assign)
		c.reply(home, ev, m.afterAssign).afterAssign.record(m.afterAssign)
	}
	for class := range m.runs {
		switch {
		case class == int(anyReplier) && on&MetricResponseTime == 0, class != int(anyReplier) && on&MetricBotAndHuman == 0:
			continue
		}
		from := class
		if class == int(anyReplier) {
			from = int(r.proto.resp.cfg.replier())
		}
		runs := m.runs[from]
		var to *ResponseTime // the replier's, for the runs in a row of one replier
		last := ""
		for k := range runs {
			if a := actorAgent(ev, runs[k].reply); to == nil || a != last {
				to, last = c.at(c.start, a).responseTime(class), a
			}
			to.record(runs[k:k+1], 0)
		}
		home.responseTime(class).record(nil, m.unansweredRuns[from])
	}
	if on&MetricResolutionTime != 0 {
		to := home
		if m.res.resolved {
			to = c.to(ev[m.res.firstAt].Time, actorAgent(ev, m.res.firstAt))
		}
		to.res.recordResolution(&m.res)
		if m.res.reopens > 0 {
			c.reopens(ev)
		}
	}
	c.tickets(home, info, ev, m, on)
	home.recordWhole(info, ev, m, on)
	c.activity(home, ev)
	if on&MetricConversion != 0 && m.goals > 0 {
		for i := range ev {
			if ev[i].Type == Goal {
				c.to(ev[i].Time, HandlingAgent(ev, i)).goals.add(&ev[i])
			}
		}
	}
	var errs []error
	if on&(MetricCSAT|MetricNPS|MetricCES) != 0 && m.tallied {
		errs = c.surveys(ev, r.homeAgent, on)
	}
	// Handled: the conversation counts once for every agent credited (in
	// any period) and every agent who joined or replied (already targets),
	// in the period of its start.
	if r.agentIdx >= 0 {
		for i, n := 0, len(r.targets); i < n; i++ {
			if r.targets[i].start != c.start {
				c.at(c.start, r.targets[i].agent)
			}
		}
	}
	for i := range r.targets {
		if t := &r.targets[i]; t.start == c.start {
			t.set.conversations++
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// reopens credits every Reopened event, and whether it is a resolve–reopen
// cycle (as resolutionConfig.measureChecked counts them), to the period in
// which it happened and the agent of the event ([actorAgent]).
func (c *credits) reopens(ev []Event) {
	resolved, open := false, false
	for i := range ev {
		switch ev[i].Type {
		case Resolved:
			resolved, open = true, false
		case Reopened:
			c.to(ev[i].Time, actorAgent(ev, i)).res.addReopen(resolved && !open)
			open = true
		}
	}
}

// done forgets the targets of the conversation.
func (c *credits) done() {
	clear(c.r.targets)
	c.r.targets = c.r.targets[:0]
}

// reply returns the group credited with a first-response-like clock: the
// replier's when it was answered, else home.
func (c *credits) reply(home *metricSet, ev []Event, f frtMeasure) *metricSet {
	if f.status != FRTAnswered {
		return home
	}
	return c.at(c.start, actorAgent(ev, f.at))
}

// responseTime returns the response time of a set answered by a replier
// class: anyone, humans, bots.
func (s *metricSet) responseTime(class int) *ResponseTime {
	switch replier(class) {
	case humanReplier:
		return &s.humanResp
	case botReplier:
		return &s.botResp
	}
	return &s.resp
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
			err = c.to(e.Time, a).csat.Add(int(e.Score))
		case e.Survey == NPSSurvey && on&MetricNPS != 0 && e.Type == Rating:
			err = c.to(e.Time, homeAgent).nps.Add(int(e.Score))
		case e.Survey == CESSurvey && on&MetricCES != 0 && e.Type == Rating:
			err = c.to(e.Time, homeAgent).ces.Add(int(e.Score))
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
