package chatkpi

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"
)

// tagPresenceLog is the wire tag of presenceLog.
const tagPresenceLog byte = 0x3d

// presenceLog keeps the online time of agents from the Online and Offline
// events of the conversations of a set ([MetricAgents]), so that a report's
// availability does not depend on the order in which conversations (or
// reports) come. The events are paired within each conversation, in its
// order: an Online opens the agent's online time (an Online of an agent
// already online changes nothing), an Offline closes it — an Offline of an
// agent not online in the conversation closes online time that began
// before it, counted from the conversation's first event — and online time
// still open at the conversation's last event lasts until the end of the
// data (the latest event of the report). One agent's times in several
// conversations count once where they overlap. A presence log exported as
// one conversation per agent (or one for all) gives exactly what
// [Presence] gives. It keeps 24 bytes and the agent id per online
// interval.
//
// In streaming mode the report's overall presence is swept instead (see
// presenceSweep): bounded by the agents online at once, not by the
// intervals.
type presenceLog struct {
	spans []agentSpan // closed online intervals
	open  []agentSpan // online at the end of their conversation, from; to unused
	last  int64       // Unix ns of the latest event of any conversation; valid when seen
	seen  bool
	first int64 // Unix ns of the first event of the conversation (the log of one)
	sweep presenceSweep
}

type agentSpan struct {
	agent    string
	from, to int64 // Unix ns
}

func compareAgentSpans(a, b agentSpan) int {
	return cmp.Or(strings.Compare(a.agent, b.agent), cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to))
}

// add records the presence of a checked conversation (an Online or Offline
// has an agent, see [ValidateEvent]) and its last event; an [*InputError]
// for times outside the years 1678–2261.
func (l *presenceLog) add(id string, ev []Event) error {
	if len(ev) == 0 {
		return nil
	}
	first, ok1 := unixNanos(ev[0].Time)
	last, ok2 := unixNanos(ev[len(ev)-1].Time)
	if !ok1 || !ok2 {
		return &InputError{Conversation: id, Event: -1, Field: "time", Reason: "conversation time outside the years 1678–2261"}
	}
	no := len(l.open) // the open intervals of this conversation follow
	for i := range ev {
		e := &ev[i]
		if e.Type != Online && e.Type != Offline {
			continue
		}
		t := e.Time.UnixNano() // in range: between first and last
		k := slices.IndexFunc(l.open[no:], func(s agentSpan) bool { return s.agent == e.Agent })
		switch {
		case e.Type == Online && k < 0:
			l.open = append(l.open, agentSpan{agent: e.Agent, from: t})
		case e.Type == Offline && k >= 0:
			if from := l.open[no+k].from; t > from {
				l.spans = append(l.spans, agentSpan{e.Agent, from, t})
			}
			l.open = slices.Delete(l.open, no+k, no+k+1)
		case e.Type == Offline && t > first:
			l.spans = append(l.spans, agentSpan{e.Agent, first, t})
		}
	}
	if !l.seen || last > l.last {
		l.last, l.seen = last, true
	}
	l.first = first
	return nil
}

// reset empties l, keeping its buffers.
func (l *presenceLog) reset() {
	l.spans, l.open, l.last, l.seen, l.first = l.spans[:0], l.open[:0], 0, false, 0
}

// record adds c, the presence of one conversation (see add) whose start in
// the report's order is start: swept in streaming mode (see presenceSweep),
// otherwise merged.
func (l *presenceLog) record(c *presenceLog, start time.Time) {
	if !l.sweep.on {
		_ = l.Merge(c) // never an error
		return
	}
	if !c.seen {
		return
	}
	from := c.first
	if ns, ok := unixNanos(start); ok && !start.IsZero() {
		from = min(from, ns)
	}
	if !l.seen || c.last > l.last {
		l.last, l.seen = c.last, true
	}
	l.sweep.sweepIn(c, from)
}

// Merge appends o's intervals (in streaming mode: merges the sweeps).
func (l *presenceLog) Merge(o *presenceLog) error {
	if l.sweep.on {
		if o.seen && (!l.seen || o.last > l.last) {
			l.last, l.seen = o.last, true
		}
		if !o.sweep.empty() {
			l.sweep.merge(&o.sweep)
		}
		return nil
	}
	l.spans = append(l.spans, o.spans...)
	l.open = append(l.open, o.open...)
	if o.seen && (!l.seen || o.last > l.last) {
		l.last, l.seen = o.last, true
	}
	return nil
}

// presence returns the agents' online time as a [Presence] (each agent's
// intervals merged where they overlap, the open ones closed at the end of
// the data).
func (l *presenceLog) presence() *Presence {
	byAgent := make(map[string][]span)
	for _, s := range l.spans {
		byAgent[s.agent] = append(byAgent[s.agent], span{s.from, s.to})
	}
	for _, s := range l.open {
		if l.last > s.from {
			byAgent[s.agent] = append(byAgent[s.agent], span{s.from, l.last})
		} else if byAgent[s.agent] == nil {
			byAgent[s.agent] = []span{}
		}
	}
	p := &Presence{agents: make(map[string]*presenceState, len(byAgent))}
	for name, spans := range byAgent {
		p.agents[name] = &presenceState{spans: unionSpans(spans)}
	}
	return p
}

// MarshalBinary encodes the intervals in sorted order, so that the
// encoding does not depend on the order of the conversations.
func (l *presenceLog) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagPresenceLog, 16+24*(len(l.spans)+len(l.open)))
	e.bool(l.seen)
	if l.seen {
		e.varint(l.last)
	}
	for _, list := range [][]agentSpan{l.spans, l.open} {
		s := slices.Clone(list)
		slices.SortFunc(s, compareAgentSpans)
		e.uvarint(uint64(len(s)))
		for _, x := range s {
			e.string(x.agent)
			e.varint(x.from)
			e.varint(x.to)
		}
	}
	if l.sweep.on && !l.sweep.empty() { // an empty sweep writes nothing, as the settings' empty state
		l.sweep.encode(e)
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces l with a decoded MarshalBinary; the intervals
// must be sorted, with agents, not empty, and end by the end of the data.
func (l *presenceLog) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagPresenceLog, "presence")
	var n presenceLog
	if n.seen = d.bool(); n.seen {
		n.last = d.varint()
	}
	for li, list := range []*[]agentSpan{&n.spans, &n.open} {
		k := d.length(3)
		for i := 0; i < k && d.err == nil; i++ {
			x := agentSpan{agent: d.string(), from: d.varint(), to: d.varint()}
			if d.err != nil {
				break
			}
			_, ok := unixNanos(time.Unix(0, x.from))
			switch {
			case x.agent == "":
				d.fail("presence interval without an agent")
			case !ok || !n.seen || x.from > n.last || li == 0 && (x.to <= x.from || x.to > n.last) || li == 1 && x.to != 0:
				d.fail("presence interval [%d, %d) outside the data or empty", x.from, x.to)
			case i > 0 && compareAgentSpans((*list)[i-1], x) > 0:
				d.fail("presence intervals out of order")
			}
			*list = append(*list, x)
		}
	}
	n.sweep = l.sweep.emptyLike()
	if n.sweep.on && len(n.spans)+len(n.open) > 0 {
		d.fail("presence intervals outside the sweep of a streaming report")
	}
	if n.sweep.on && d.err == nil && d.off < len(d.buf) { // an empty sweep writes nothing
		n.sweep.decode(d, n.last)
	}
	if err := d.finish(); err != nil {
		return err
	}
	*l = n
	return nil
}

// presenceUndefined is the reason a streaming report gives no
// availability and no online times.
const presenceUndefined = "a conversation with presence events came too far out of start order for streaming mode " +
	"(an online interval before the report's third-latest conversation start): the availability and online times need exact mode"

// AvailabilitySummary is the chat availability of one day: the hours with
// at least one agent online, from the Online and Offline events
// ([Presence], [MetricAgents]); an agent still online at the end counts
// until the last event of the data.
type AvailabilitySummary struct {
	Day         string  `json:"day"` // "2026-11-23", in the report's zone
	OnlineHours float64 `json:"online_hours"`
}

// presenceSummary returns the availability per day and each agent's online
// seconds; nil without presence events.
func presenceSummary(l *presenceLog, ps Periods) ([]AvailabilitySummary, map[string]float64, error) {
	if l.sweep.on {
		if l.sweep.lost || !l.sweep.present() {
			return nil, nil, nil
		}
		days, err := l.sweep.sweptDays("", true, l.last)
		if err != nil && !errors.Is(err, ErrNoData) {
			return nil, nil, err
		}
		return availabilityOf(days), l.sweep.sweptOnline(l.last), nil
	}
	if len(l.spans)+len(l.open) == 0 {
		return nil, nil, nil
	}
	p := l.presence()
	until := time.Unix(0, l.last).UTC()
	days, err := p.Availability(ps, until)
	if err != nil && !errors.Is(err, ErrNoData) {
		return nil, nil, err
	}
	online := make(map[string]float64, len(p.agents))
	for name := range p.agents {
		t, err := p.OnlineTime(name, until)
		if err != nil {
			return nil, nil, err
		}
		online[name] = t.Seconds()
	}
	return availabilityOf(days), online, nil
}

func availabilityOf(days []AvailabilityDay) []AvailabilitySummary {
	out := make([]AvailabilitySummary, len(days))
	for i, d := range days {
		out[i] = AvailabilitySummary{Day: d.Label, OnlineHours: d.Hours()}
	}
	return out
}

// groupAvailability gives the groups of a report their availability, from
// the presence of the whole report (a conversation's Online and Offline
// events say when an agent was online, not which group they belong to):
// with [GroupByAgent], a group's is its agent's own online hours per day;
// with a period and no grouping, a period's is the availability of its
// days; each restricted to the group's period when there is one. Other
// groups have none.
type groupAvailability struct {
	cfg      *reportConfig
	agent    int                          // index of GroupByAgent, or −1
	days     map[string][]AvailabilityDay // by agent ("" for all agents, without GroupByAgent)
	presence *Presence
	until    time.Time
	swept    *presenceLog // instead of presence and until, in streaming mode
}

func newGroupAvailability(l *presenceLog, c *reportConfig, agent int) *groupAvailability {
	if agent < 0 && (c.period == 0 || len(c.groupings) > 0) {
		return nil
	}
	if l.sweep.on {
		if l.sweep.lost || !l.sweep.present() {
			return nil
		}
		return &groupAvailability{cfg: c, agent: agent, days: make(map[string][]AvailabilityDay), swept: l}
	}
	if len(l.spans)+len(l.open) == 0 {
		return nil
	}
	return &groupAvailability{cfg: c, agent: agent, days: make(map[string][]AvailabilityDay),
		presence: l.presence(), until: time.Unix(0, l.last).UTC()}
}

// sweptDays returns the days of agent name ("" for all), and whether the
// agent was seen, from a swept presence.
func (a *groupAvailability) sweptDays(name string) ([]AvailabilityDay, bool, error) {
	w := &a.swept.sweep
	if a.agent >= 0 && !slices.Contains(w.agentNames(), name) {
		return nil, false, nil
	}
	days, err := w.sweptDays(name, a.agent < 0, a.swept.last)
	if err != nil && !errors.Is(err, ErrNoData) {
		return nil, true, err
	}
	return days, true, nil
}

// of returns the availability of the group with grouping values vs and
// period start (Unix s); nil when it has none.
func (a *groupAvailability) of(vs []string, start int64) ([]AvailabilitySummary, error) {
	if a == nil {
		return nil, nil
	}
	name := ""
	if a.agent >= 0 {
		name = vs[a.agent]
	}
	days, ok := a.days[name]
	if !ok && a.swept != nil {
		var err error
		if days, _, err = a.sweptDays(name); err != nil {
			return nil, err
		}
		a.days[name] = days
	} else if !ok {
		p := a.presence
		if a.agent >= 0 {
			st, found := a.presence.agents[name]
			if !found {
				a.days[name] = nil
				return nil, nil
			}
			p = &Presence{agents: map[string]*presenceState{name: st}}
		}
		var err error
		if days, err = p.Availability(a.cfg.periods, a.until); err != nil && !errors.Is(err, ErrNoData) {
			return nil, err
		}
		a.days[name] = days
	}
	if a.cfg.period != 0 {
		from := time.Unix(start, 0)
		to := a.cfg.periods.Next(a.cfg.periods.Start(from, a.cfg.period), a.cfg.period)
		i, _ := slices.BinarySearchFunc(days, from, func(d AvailabilityDay, t time.Time) int { return d.Start.Compare(t) })
		j, _ := slices.BinarySearchFunc(days, to, func(d AvailabilityDay, t time.Time) int { return d.Start.Compare(t) })
		days = days[i:j]
	}
	if len(days) == 0 {
		return nil, nil
	}
	return availabilityOf(days), nil
}

// presenceTooLong is the reason a report gives no availability and no
// online times when its presence spans more than MaxAvailabilityDays.
const presenceTooLong = "the presence spans more days than MaxAvailabilityDays (an online event decades away from the rest of the data)"

// availability adds the chat availability per day and each agent's online
// time to the overall metrics m of a report. When they are undefined, it
// says why in m.AvailabilityUndefined, and the groups have none either.
func (s *metricSet) availability(m *MetricsSummary, ps Periods) error {
	if s.presence.sweep.lost {
		m.AvailabilityUndefined = presenceUndefined
		return nil
	}
	days, online, err := presenceSummary(&s.presence, ps)
	if errors.Is(err, ErrLimit) {
		m.AvailabilityUndefined = presenceTooLong
		return nil
	}
	if err != nil {
		return err
	}
	m.Availability = days
	for i := range m.Agents {
		if t, ok := online[m.Agents[i].Agent]; ok {
			m.Agents[i].OnlineSeconds = &t
		}
	}
	return nil
}
