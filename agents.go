package chatkpi

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Wire tags of [Agents] and [Presence].
const (
	tagAgents   byte = 0x3b
	tagPresence byte = 0x3c
)

// handles reports whether e makes e.Agent the agent handling the
// conversation: the agent joined (or was assigned), or sent a public reply.
func handles(e *Event) bool {
	return e.Agent != "" && e.agentServes()
}

// HandlingAgent returns the human agent handling the conversation at event i
// of events: the last agent who Joined or sent a public reply at or before
// event i, or "" if none has yet. It is the attribution rule of the package:
// a conversation's per-agent metrics, and a CSAT answer (attributed at the
// SurveySent that asked for it), go to the agent handling it at that event.
// A transfer (another agent joining) moves the conversation to the new agent.
// It returns "" when i is out of range.
func HandlingAgent(events []Event, i int) string {
	if i < 0 || i >= len(events) {
		return ""
	}
	for ; i >= 0; i-- {
		if handles(&events[i]) {
			return events[i].Agent
		}
	}
	return ""
}

// span is a half-open interval [from, to) in Unix nanoseconds.
type span struct{ from, to int64 }

// Agents counts, per human agent, the conversations handled, the replies
// sent and how many conversations the agent had open at once. The zero
// value is an empty accumulator ready to use.
//
// Definitions:
//
//   - an agent handled a conversation if they Joined it or sent a public
//     reply in it (see [HandlingAgent]); each conversation counts once per
//     agent;
//   - messages are the agent's public replies (agent Messages that are
//     neither Private nor Automatic);
//   - a conversation is open with an agent while that agent handles it
//     ([HandlingAgent]): from the agent's Joined or first reply until
//     another agent takes over or the conversation ends. It ends at its last
//     Resolved or Left event when nothing but surveys, ratings, goals and
//     agent or bot messages follow it (a later Reopened or customer message
//     opens it again), and otherwise at its last event. Intervals are
//     half-open, so an interval of zero length never counts as open;
//   - concurrency: the most conversations open with the agent at the same
//     instant, and the time-weighted average ∫n(t)dt ÷ busy time, where
//     busy time is the time with at least one conversation open. To average
//     over online time instead, divide [AgentStats.OpenTime] by the agent's
//     [Presence.OnlineTime].
//
// Memory: exact (the zero value, and a [Report] outside streaming mode),
// Agents keeps 16 bytes per interval (one per conversation and handling
// agent, more when agents take turns), in any order of the conversations;
// merge is exact. Bounded (a [Report] in streaming mode), it sweeps each
// agent's intervals as conversations arrive in start order: past the
// agent's third-latest conversation start (the sweep line; no later
// conversation in start order has an interval before it) it folds the
// intervals into the exact peak, open time and busy time so far and keeps
// only those still open at the line and those after it — memory bounded by
// the agent's concurrent conversations, not by their number: about 400
// bytes per agent in a [Report] (its id, counts and sweep) plus 16 bytes
// per interval open at the line or after it.
// The intervals before the agent's first sweep line (its head; none in
// start order) are kept exactly. A conversation that arrives up to about
// two of the agent's conversations late is still exact, and so is one
// whose intervals all lie in the head; one with an interval between the
// head and the sweep line makes that agent's peak and busy time undefined
// (the [Report] summary says so) rather than wrong; open time, a plain sum,
// stays exact. Two bounded states merge exactly when, in the time each has
// folded, the other had no conversation open with the agent and folded
// nothing either; otherwise as for a late conversation. So parts of a
// stream in start order merge exactly when the conversations still open
// at the end of the earlier part end before the later part's first sweep
// line ([BuildReport] keeps each shard's head long enough for that).
// An Agents is not safe for concurrent use.
type Agents struct {
	agents  map[string]*agentState
	buf     []Event
	seen    []agentTurn
	bounded bool // sweep in start order (see above); set by a Report in streaming mode
	// headUntil holds back an agent's first sweep line until after this
	// instant (Unix ns; noInstant: no hold), so that the head keeps every
	// interval up to it exactly: [BuildReport] sets it to the latest end
	// of the conversations of the shards before.
	headUntil int64
	edges     []int64 // scratch of the sweep
}

// agentHistory is how many of an agent's conversation starts before its
// latest a bounded [Agents] keeps its sweep line behind (see Agents); the
// swept presence of a report keeps its line as far behind the report's
// latest start.
const agentHistory = 2

// latestStarts are the latest conversation starts a sweep has seen,
// ascending: its sweep line is the earliest of them once it has
// agentHistory+1.
type latestStarts struct {
	at [agentHistory + 1]int64
	n  int
}

// note adds a conversation start.
func (l *latestStarts) note(start int64) {
	if l.n < len(l.at) {
		l.at[l.n] = start
		l.n++
	} else if start > l.at[0] {
		l.at[0] = start
	} else {
		return
	}
	slices.Sort(l.at[:l.n])
}

// line returns the sweep line, and false until there are enough starts.
func (l *latestStarts) line() (int64, bool) { return l.at[0], l.n == len(l.at) }

// merge notes the starts of o.
func (l *latestStarts) merge(o *latestStarts) {
	for _, r := range o.at[:o.n] {
		l.note(r)
	}
}

func (l *latestStarts) encode(e *encoder) {
	e.uvarint(uint64(l.n))
	for _, r := range l.at[:l.n] {
		e.varint(r)
	}
}

// decode reads what encode writes: at most agentHistory+1 starts, sorted.
func (l *latestStarts) decode(d *decoder) {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(l.at)) {
		d.fail("%d latest starts, more than %d", n, len(l.at))
		return
	}
	l.n = int(n)
	for i := range l.n {
		l.at[i] = d.varint()
	}
	if d.err == nil && !slices.IsSorted(l.at[:l.n]) {
		d.fail("latest starts out of order")
	}
}

// isLine reports whether fold is the sweep line of l (a sweep that has
// folded moves its line to every new line).
func (l *latestStarts) isLine(fold int64) bool {
	line, ok := l.line()
	return ok && line == fold
}

type agentState struct {
	conversations, messages int64
	// spans are every interval (exact), or the intervals not yet folded
	// (bounded): their parts from the sweep line fold on.
	spans []span
	// The rest is bounded only. head are the intervals before h, kept
	// exactly; h and fold are noInstant until the first fold. The
	// intervals between h and fold are folded into peak, open and busy
	// (nanoseconds), with [flo, fhi) the hull of their busy time (when busy
	// > 0). recent are the agent's latest conversation starts.
	head             []span
	h, fold          int64
	flo, fhi         int64
	peak, open, busy int64
	recent           latestStarts
	lost             bool // an interval came between h and the sweep line: peak and busy are undefined
}

// agentTurn is one agent's part in the conversation being added.
type agentTurn struct {
	agent    string
	messages int64
	spans    []span
	start    int64 // the conversation's start, Unix nanoseconds
}

// Add counts a conversation. It returns an [*InputError] for an invalid
// event, events out of time order, an agent reply without an agent id, or
// times outside the years 1678–2261; on error nothing is counted.
func (a *Agents) AddConversation(c Conversation) error {
	info := c.Info()
	if info.ID == "" {
		return noConversationID()
	}
	events := readEvents(c, &a.buf)
	for i := range events {
		e := &events[i]
		if err := checkEvent(info.ID, events, i); err != nil {
			return err
		}
		if e.Role == Agent && e.IsReply() && e.Agent == "" {
			return eventErrorf(info.ID, i, "agent", "agent reply without an agent id")
		}
	}
	turns, err := measureAgents(info.ID, events, a.seen[:0])
	if err != nil {
		return err
	}
	a.record(turns)
	a.seen = turns
	return nil
}

// measureAgents returns each agent's part in a conversation whose events
// passed checkEvent, reusing the buffers of turns (an agent reply without
// an agent id is nobody's); an [*InputError] for times outside the years
// 1678–2261.
func measureAgents(id string, events []Event, turns []agentTurn) ([]agentTurn, error) {
	turns = turns[:0]
	if len(events) == 0 {
		return turns, nil
	}
	var closedAt time.Time
	for i := range events {
		switch e := &events[i]; {
		case e.Type == Resolved, e.Type == Left:
			closedAt = e.Time
		case e.Type == Reopened, e.IsCustomerMessage():
			closedAt = time.Time{}
		}
	}
	end := events[len(events)-1].Time
	if !closedAt.IsZero() {
		end = closedAt
	}
	endNs, ok1 := unixNanos(end)
	startNs, ok2 := unixNanos(events[0].Time)
	_, ok3 := unixNanos(events[len(events)-1].Time)
	if !ok1 || !ok2 || !ok3 {
		return turns, &InputError{Conversation: id, Event: -1, Field: "time", Reason: "conversation time outside the years 1678–2261"}
	}
	handler := -1
	var from int64
	closeTurn := func(to int64) {
		if handler >= 0 && to > from {
			turns[handler].spans = append(turns[handler].spans, span{from, to})
		}
	}
	for i := range events {
		e := &events[i]
		if !handles(e) {
			continue
		}
		k := slices.IndexFunc(turns, func(t agentTurn) bool { return t.agent == e.Agent })
		if k < 0 {
			turns = append(turns, agentTurn{agent: e.Agent, spans: turnSpans(turns), start: startNs})
			k = len(turns) - 1
		}
		if e.Type == Message {
			turns[k].messages++
		}
		if k != handler {
			t := min(e.Time.UnixNano(), endNs)
			closeTurn(t)
			handler, from = k, t
		}
	}
	closeTurn(endNs)
	return turns, nil
}

// record adds the measured parts of one conversation.
func (a *Agents) record(turns []agentTurn) {
	if len(turns) > 0 && a.agents == nil {
		a.agents = make(map[string]*agentState)
	}
	for _, t := range turns {
		s := a.state(t.agent)
		s.conversations++
		s.messages += t.messages
		if !a.bounded {
			s.spans = append(s.spans, t.spans...)
			continue
		}
		a.sweep(s, t.spans, t.start)
	}
}

// state returns the state of agent name, new if there is none.
func (a *Agents) state(name string) *agentState {
	s := a.agents[name]
	if s == nil {
		s = &agentState{h: noInstant, fold: noInstant, flo: math.MaxInt64, fhi: math.MinInt64}
		a.agents[name] = s
	}
	return s
}

// folded reports whether s has a head end and a sweep line.
func (s *agentState) folded() bool { return s.h != noInstant }

// sweep adds, in a bounded Agents, the intervals of one of the agent's
// conversations that starts at start, and moves the sweep line to the
// agent's third-latest start (see Agents).
func (a *Agents) sweep(s *agentState, spans []span, start int64) {
	if !s.lost && s.folded() && slices.ContainsFunc(spans, func(x span) bool { return x.from < s.fold && x.to > s.h }) {
		s.lose(a)
	}
	if s.lost {
		s.open += sumSpans(spans)
		return
	}
	for _, x := range spans {
		if s.folded() && x.to <= s.h {
			s.head = append(s.head, x)
		} else {
			s.spans = append(s.spans, x)
		}
	}
	s.recent.note(start)
	a.advance(s)
}

// advance moves the sweep line of s to its third-latest conversation start
// once it has that many, and not to headUntil or before.
func (a *Agents) advance(s *agentState) {
	if line, ok := s.recent.line(); ok && line > s.fold && line > a.headUntil {
		a.foldTo(s, line)
	}
}

// foldTo moves the sweep line of s to to: the first time, it makes to the
// head end and keeps the intervals before it in the head; then it folds
// the intervals between the line and to into the peak, open and busy time
// and drops those that end by then — exact when no interval starting
// before to is still to come.
func (a *Agents) foldTo(s *agentState, to int64) {
	if !s.folded() {
		kept := s.spans[:0]
		for _, x := range s.spans {
			if x.from < to {
				s.head = append(s.head, span{x.from, min(x.to, to)})
			}
			if x.to > to {
				kept = append(kept, span{max(x.from, to), x.to})
			}
		}
		s.spans, s.h, s.fold = kept, to, to
		return
	}
	s.foldSpans(a, s.spans, s.fold, to)
	kept := s.spans[:0]
	for _, x := range s.spans {
		if x.to > to {
			kept = append(kept, span{max(x.from, to), x.to})
		}
	}
	s.spans, s.fold = kept, to
}

// foldSpans folds intervals clipped to [from, to) into the figures of s.
func (s *agentState) foldSpans(a *Agents, spans []span, from, to int64) {
	var peak, open, busy int64
	peak, open, busy, a.edges = sweepSpans(spans, from, to, a.edges)
	s.peak, s.open, s.busy = max(s.peak, peak), s.open+open, s.busy+busy
	for _, x := range spans {
		if lo, hi := max(x.from, from), min(x.to, to); lo < hi {
			s.flo, s.fhi = min(s.flo, lo), max(s.fhi, hi)
		}
	}
}

// exactOpen returns the open time of the intervals of s kept exactly.
func (s *agentState) exactOpen() int64 {
	return sumSpans(s.spans) + sumSpans(s.head)
}

// lose gives up the peak and busy time of s, keeping its open time.
func (s *agentState) lose(a *Agents) {
	s.open += s.exactOpen()
	s.lost, s.spans, s.head, s.peak, s.busy = true, nil, nil, 0, 0
	s.h, s.fold, s.flo, s.fhi = noInstant, noInstant, math.MaxInt64, math.MinInt64
	s.recent = latestStarts{}
}

func sumSpans(spans []span) (n int64) {
	for _, x := range spans {
		n += x.to - x.from
	}
	return n
}

// turnSpans reuses the span buffer of a previously used turn slot, so that
// adding conversations does not allocate once the buffers have grown.
func turnSpans(turns []agentTurn) []span {
	if len(turns) < cap(turns) {
		return turns[:len(turns)+1][len(turns)].spans[:0]
	}
	return nil
}

// Merge adds the agents and intervals of other. Accumulators of a Report in
// streaming mode merge as [Agents] says; merging one with an exact one is an
// error wrapping [ErrIncompatible].
func (a *Agents) Merge(other *Agents) error {
	if other == nil {
		return nil // nothing to add
	}
	if a.bounded != other.bounded && len(other.agents) > 0 {
		return fmt.Errorf("%w: agents accumulators of a streaming and an exact report", ErrIncompatible)
	}
	if len(other.agents) > 0 && a.agents == nil {
		a.agents = make(map[string]*agentState, len(other.agents))
	}
	if other == a && a.bounded {
		other = a.clone()
	}
	for name, o := range other.agents {
		s := a.state(name)
		s.conversations += o.conversations
		s.messages += o.messages
		if !a.bounded {
			s.spans = append(s.spans, o.spans...)
			continue
		}
		a.mergeSweeps(s, o)
	}
	return nil
}

// exactSpans appends to buf the intervals of s kept exactly: its head and
// its intervals from the sweep line on.
func (s *agentState) exactSpans(buf []span) []span {
	return append(append(buf, s.head...), s.spans...)
}

// overlapsFolded reports whether an interval of spans overlaps the busy
// time that s has folded.
func (s *agentState) overlapsFolded(spans []span) bool {
	return s.busy > 0 && slices.ContainsFunc(spans, func(x span) bool { return x.from < s.fhi && x.to > s.flo })
}

// mergeSweeps combines two bounded states of one agent: exact when, where
// one has folded busy time, the other has no interval and folded none;
// otherwise the agent is lost. The merged state keeps the earlier head end
// and the later sweep line and folds what lies between.
func (a *Agents) mergeSweeps(s, o *agentState) {
	if s.lost || o.lost {
		if !s.lost {
			s.lose(a)
		}
		s.open += o.open + o.exactOpen()
		return
	}
	mine, theirs := s.exactSpans(nil), o.exactSpans(nil)
	if s.overlapsFolded(theirs) || o.overlapsFolded(mine) ||
		s.busy > 0 && o.busy > 0 && s.flo < o.fhi && o.flo < s.fhi {
		s.lose(a)
		s.open += o.open + o.exactOpen()
		return
	}
	all := append(mine, theirs...)
	h, fold := s.h, max(s.fold, o.fold)
	if !s.folded() || o.folded() && o.h < h {
		h = o.h
	}
	s.recent.merge(&o.recent)
	s.peak, s.open, s.busy = max(s.peak, o.peak), s.open+o.open, s.busy+o.busy
	if o.busy > 0 {
		s.flo, s.fhi = min(s.flo, o.flo), max(s.fhi, o.fhi)
	}
	if h == noInstant { // neither has folded: all intervals are kept
		s.spans = all
		a.advance(s)
		return
	}
	s.foldSpans(a, all, h, fold)
	s.head, s.spans = s.head[:0], s.spans[:0]
	for _, x := range all {
		if x.from < h {
			s.head = append(s.head, span{x.from, min(x.to, h)})
		}
		if x.to > fold {
			s.spans = append(s.spans, span{max(x.from, fold), x.to})
		}
	}
	s.h, s.fold = h, fold
	a.advance(s)
}

// clone returns a deep copy of a.
func (a *Agents) clone() *Agents {
	n := &Agents{bounded: a.bounded, headUntil: a.headUntil, agents: make(map[string]*agentState, len(a.agents))}
	for name, s := range a.agents {
		c := *s
		c.spans, c.head = slices.Clone(s.spans), slices.Clone(s.head)
		n.agents[name] = &c
	}
	return n
}

// AgentStats are one agent's counts and concurrency; see [Agents].
type AgentStats struct {
	Agent         string
	Conversations int64 // conversations handled
	Messages      int64 // public replies
	// MaxConcurrent is the most conversations open with the agent at once.
	MaxConcurrent int64
	// OpenTime is ∫n(t)dt, the summed time conversations were open with the
	// agent.
	OpenTime time.Duration
	// BusyTime is the time with at least one conversation open with the
	// agent.
	BusyTime time.Duration
}

// AverageConcurrency returns OpenTime ÷ BusyTime, the time-weighted mean
// number of conversations open with the agent while busy, or [ErrNoData]
// when the agent never had a conversation open for any time.
func (s AgentStats) AverageConcurrency() (float64, error) {
	return s.AverageConcurrencyOver(s.BusyTime)
}

// AverageConcurrencyOver returns OpenTime ÷ online, the time-weighted mean
// over a given stretch of time such as the agent's online time from
// [Presence.OnlineTime]; [ErrNoData] when online is not positive.
func (s AgentStats) AverageConcurrencyOver(online time.Duration) (float64, error) {
	if online <= 0 {
		return 0, ErrNoData
	}
	return float64(s.OpenTime) / float64(online), nil
}

// Result returns the stats of every agent sorted by agent id, or
// [ErrNoData] if no agent handled a conversation. In a bounded Agents (a
// Report's in streaming mode) an agent whose concurrency became undefined
// has MaxConcurrent and BusyTime 0; the report's summary says so.
func (a *Agents) Result() ([]AgentStats, error) {
	if len(a.agents) == 0 {
		return nil, ErrNoData
	}
	out := make([]AgentStats, 0, len(a.agents))
	var buf []int64 // the sweeps' edges, reused from agent to agent
	for name, s := range a.agents {
		st := AgentStats{Agent: name, Conversations: s.conversations, Messages: s.messages}
		if !a.bounded {
			var peak, open, busy int64
			peak, open, busy, buf = sweepSpans(s.spans, math.MinInt64, math.MaxInt64, buf)
			st.MaxConcurrent, st.OpenTime, st.BusyTime = peak, time.Duration(open), time.Duration(busy)
		} else {
			var peak, open, busy, hp, ho, hb int64
			peak, open, busy, buf = sweepSpans(s.spans, s.fold, math.MaxInt64, buf)
			hp, ho, hb, buf = sweepSpans(s.head, math.MinInt64, math.MaxInt64, buf)
			st.MaxConcurrent = max(s.peak, peak, hp)
			st.OpenTime, st.BusyTime = time.Duration(s.open+open+ho), time.Duration(s.busy+busy+hb)
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(x, y AgentStats) int { return cmp.Compare(x.Agent, y.Agent) })
	return out, nil
}

// concurrency sweeps half-open intervals: the most that overlap at one
// instant, the sum of their lengths and the length of their union.
func concurrency(spans []span) (maxOpen int64, open, busy time.Duration) {
	peak, o, b, _ := sweepSpans(spans, math.MinInt64, math.MaxInt64, nil)
	return peak, time.Duration(o), time.Duration(b)
}

// sweepSpans sweeps the half-open intervals clipped to [from, to): the most
// that overlap at one instant, the sum of their lengths and the length of
// their union, in nanoseconds. It sorts the starts and the ends apart, as
// plain integers (by radix: several times faster than edges sorted by a
// comparison function), and walks them in one merged order, an end before
// a start at the same instant, as the intervals are half-open. buf is
// reused for them and returned.
func sweepSpans(spans []span, from, to int64, buf []int64) (peak, open, busy int64, _ []int64) {
	n := len(spans)
	if cap(buf) < 3*n {
		buf = make([]int64, 3*n) // one allocation, not append's doublings
	}
	starts, ends, scratch := buf[:0:n], buf[n:n:2*n], buf[2*n:3*n]
	for _, s := range spans {
		lo, hi := max(s.from, from), min(s.to, to)
		if lo >= hi {
			continue
		}
		starts, ends = append(starts, lo), append(ends, hi)
		open += hi - lo
	}
	sortInt64s(starts, scratch)
	sortInt64s(ends, scratch)
	var at, since int64 // intervals open, since when
	i := 0
	for _, end := range ends {
		for ; i < len(starts) && starts[i] < end; i++ {
			if at == 0 {
				since = starts[i]
			}
			at++
			peak = max(peak, at)
		}
		at--
		if at == 0 {
			busy += end - since
		}
	}
	return peak, open, busy, buf
}

// sortInt64s sorts v, with scratch (as long as v) for a radix sort.
func sortInt64s(v, scratch []int64) {
	if len(v) < radixMin {
		slices.Sort(v)
		return
	}
	radixSort(v, scratch)
}

// MarshalBinary encodes the per-agent counts and intervals, and in a
// bounded accumulator each agent's sweep (its folded peak, open and busy
// time, sweep line and latest starts).
func (a *Agents) MarshalBinary() ([]byte, error) {
	names := make([]string, 0, len(a.agents))
	size := 0
	for k, s := range a.agents {
		names = append(names, k)
		size += len(k) + 8 + 8*len(s.spans)
	}
	slices.Sort(names)
	e := newEncoder(tagAgents, size)
	e.uvarint(uint64(len(names)))
	for _, k := range names {
		s := a.agents[k]
		e.string(k)
		e.uvarint(uint64(s.conversations))
		e.uvarint(uint64(s.messages))
		encodeSpans(e, s.spans)
		if a.bounded {
			s.encodeSweep(e)
		}
	}
	return e.finish(), nil
}

func (s *agentState) encodeSweep(e *encoder) {
	e.bool(s.lost)
	e.varint(s.h)
	e.varint(s.fold)
	e.uvarint(uint64(s.peak))
	e.uvarint(uint64(s.open))
	e.uvarint(uint64(s.busy))
	if s.busy > 0 {
		e.varint(s.flo)
		e.varint(s.fhi)
	}
	encodeSpans(e, s.head)
	s.recent.encode(e)
}

// decodeSweep reads what encodeSweep writes and checks it: the folded
// figures consistent (busy time within their hull, at most open time and
// peak times busy time; none of a lost agent but its open time, none
// before the first fold), the head before the head end, the kept
// intervals after it and ending after the sweep line, the latest starts
// sorted. A problem fails d.
func (s *agentState) decodeSweep(d *decoder, name string) {
	s.lost, s.h, s.fold = d.bool(), d.varint(), d.varint()
	s.peak, s.open, s.busy = d.count(), d.count(), d.count()
	s.flo, s.fhi = math.MaxInt64, math.MinInt64
	if s.busy > 0 {
		s.flo, s.fhi = d.varint(), d.varint()
	}
	s.head = decodeSpans(d)
	s.recent.decode(d)
	if d.err != nil {
		return
	}
	bad := d.err == nil && (s.busy > s.open || (s.peak > 0) != (s.busy > 0) ||
		s.peak > 0 && s.open/s.peak > s.busy ||
		s.busy > 0 && (s.flo < s.h || s.fhi > s.fold || s.flo >= s.fhi || uint64(s.fhi-s.flo) < uint64(s.busy)) ||
		(s.h == noInstant) != (s.fold == noInstant) || s.h > s.fold ||
		s.folded() && !s.recent.isLine(s.fold) ||
		!s.lost && !s.folded() && (s.open != 0 || len(s.head) > 0) ||
		s.lost && (len(s.spans) > 0 || len(s.head) > 0 || s.folded() || s.peak != 0 || s.recent.n != 0))
	for _, x := range s.head {
		bad = bad || x.to > s.h
	}
	for _, x := range s.spans {
		bad = bad || s.folded() && x.from < s.fold
	}
	if bad {
		d.fail("agent %q has an inconsistent sweep", name)
	}
}

func encodeSpans(e *encoder, spans []span) {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(x, y span) int {
		if c := cmp.Compare(x.from, y.from); c != 0 {
			return c
		}
		return cmp.Compare(x.to, y.to)
	})
	e.uvarint(uint64(len(s)))
	for _, x := range s {
		e.varint(x.from)
		e.uvarint(uint64(x.to - x.from))
	}
}

func decodeSpans(d *decoder) []span {
	n := d.length(2)
	if d.err != nil || n == 0 {
		return nil
	}
	s := make([]span, n)
	for i := range s {
		from, length := d.varint(), d.uvarint()
		if d.err != nil {
			return nil
		}
		if length == 0 || length > math.MaxInt64 || from > math.MaxInt64-int64(length) {
			d.fail("interval of length %d from %d is empty or overflows", length, from)
			return nil
		}
		s[i] = span{from, from + int64(length)}
	}
	return s
}

// UnmarshalBinary replaces the state with one written by
// [Agents.MarshalBinary] of an accumulator like a (both exact, or both of a
// Report in streaming mode); on a corrupt encoding it returns an error
// wrapping [ErrInvalid] and leaves a unchanged.
func (a *Agents) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagAgents, "agents")
	n := d.length(4)
	var agents map[string]*agentState
	var prev string
	for i := 0; i < n && d.err == nil; i++ {
		name := d.string()
		s := &agentState{conversations: d.count(), messages: d.count()}
		s.spans = decodeSpans(d)
		if a.bounded {
			s.decodeSweep(d, name)
		}
		if d.err != nil {
			break
		}
		if name == "" || i > 0 && name <= prev {
			d.fail("agent ids must be non-empty, sorted and distinct")
			break
		}
		if s.conversations == 0 {
			d.fail("agent %q handled no conversation", name)
			break
		}
		if agents == nil {
			agents = make(map[string]*agentState, n)
		}
		agents[name] = s
		prev = name
	}
	if err := d.finish(); err != nil {
		return err
	}
	a.agents = agents
	return nil
}

// Presence records when human agents are online, from Online and Offline
// events, for chat availability (the hours a day at least one agent is
// reachable) and each agent's online time. The zero value is an empty
// accumulator ready to use.
//
// Each agent's events must come in time order (different agents may
// interleave); an Offline of an agent who is not online, or an Online of one
// who already is, is an error. An agent still online at the end counts as
// online until the instant passed to [Presence.Availability] or
// [Presence.OnlineTime]. Overlapping agents count once: availability is the
// union of their online time. State is 16 bytes per online interval.
//
// Merge combines accumulators fed with different agents, or with different
// stretches of time in which each interval is complete; an agent online in
// both is an error. A Presence is not safe for concurrent use.
type Presence struct {
	agents map[string]*presenceState
}

type presenceState struct {
	spans  []span
	online bool
	since  int64 // when the agent came online, if online
	last   int64 // the agent's latest event
}

// Add records an Online or Offline event. It returns an error wrapping
// [ErrInvalid] for another event type, an event without an agent, an event
// before the agent's previous one, or an Online/Offline that does not
// change the agent's state.
func (p *Presence) Add(e Event) error {
	if e.Type != Online && e.Type != Offline {
		return invalidf("type", "presence takes online and offline events, not %s", e.Type)
	}
	if e.Agent == "" {
		return invalidf("agent", "%s event without an agent", e.Type)
	}
	t, ok := unixNanos(e.Time)
	if !ok {
		return invalidf("time", "%s is outside the years 1678–2261", e.Time)
	}
	s := p.agents[e.Agent]
	if s == nil {
		if e.Type == Offline {
			return invalidf("type", "agent %q went offline at %s without being online", e.Agent, e.Time.Format(time.RFC3339Nano))
		}
		if p.agents == nil {
			p.agents = make(map[string]*presenceState)
		}
		p.agents[e.Agent] = &presenceState{online: true, since: t, last: t}
		return nil
	}
	switch {
	case t < s.last:
		return invalidf("time", "agent %q: %s is before the agent's previous presence event", e.Agent, e.Time.Format(time.RFC3339Nano))
	case e.Type == Online && s.online:
		return invalidf("type", "agent %q came online at %s while already online", e.Agent, e.Time.Format(time.RFC3339Nano))
	case e.Type == Offline && !s.online:
		return invalidf("type", "agent %q went offline at %s without being online", e.Agent, e.Time.Format(time.RFC3339Nano))
	}
	s.last = t
	if e.Type == Online {
		s.online, s.since = true, t
		return nil
	}
	if t > s.since {
		s.spans = append(s.spans, span{s.since, t})
	}
	s.online, s.since = false, 0
	return nil
}

// Merge adds the intervals of other. It returns an error wrapping
// [ErrInvalid] if an agent is online (not closed) in both, and then leaves
// p unchanged.
func (p *Presence) Merge(other *Presence) error {
	if other == nil {
		return nil // nothing to add
	}
	for name, o := range other.agents {
		if s := p.agents[name]; s != nil && s.online && o.online {
			return invalidf("agent", "agent %q is online in both presence accumulators", name)
		}
	}
	if len(other.agents) > 0 && p.agents == nil {
		p.agents = make(map[string]*presenceState, len(other.agents))
	}
	for name, o := range other.agents {
		s := p.agents[name]
		if s == nil {
			s = &presenceState{}
			p.agents[name] = s
		}
		s.spans = append(s.spans, o.spans...)
		if o.online {
			s.online, s.since = true, o.since
		}
		s.last = max(s.last, o.last)
	}
	return nil
}

// intervals returns the agent's online intervals with an open one closed at
// until, or an error if until is before it opened.
func (s *presenceState) intervals(name string, until int64, buf []span) ([]span, error) {
	buf = append(buf, s.spans...)
	if s.online {
		if until < s.since {
			return nil, invalidf("until", "agent %q has been online since %s, after until", name, time.Unix(0, s.since).UTC().Format(time.RFC3339Nano))
		}
		if until > s.since {
			buf = append(buf, span{s.since, until})
		}
	}
	return buf, nil
}

// OnlineTime returns the total time the agent was online, an open interval
// counting until until; [ErrNoData] for an agent never seen.
func (p *Presence) OnlineTime(agent string, until time.Time) (time.Duration, error) {
	s := p.agents[agent]
	if s == nil {
		return 0, ErrNoData
	}
	u, ok := unixNanos(until)
	if !ok && s.online {
		return 0, invalidf("until", "%s is outside the years 1678–2261", until)
	}
	spans, err := s.intervals(agent, u, nil)
	if err != nil {
		return 0, err
	}
	_, _, busy := concurrency(spans)
	return busy, nil
}

// AvailabilityDay is the time with at least one agent online during one
// local day.
type AvailabilityDay struct {
	Start  time.Time     // local midnight (the day's first instant)
	Label  string        // "2026-11-23"
	Online time.Duration // time with at least one agent online
}

// Hours returns Online in hours.
func (d AvailabilityDay) Hours() float64 { return d.Online.Hours() }

// MaxAvailabilityDays is the most days [Presence.Availability] returns: a
// century, so that a state of a few bytes (one agent online from 1678 to
// 2261) cannot make it allocate a day for each of 213,000 days.
const MaxAvailabilityDays = 36_525

// Availability returns, for every local day of ps from the first to the last
// with an agent online, the time with at least one agent online (days in
// between with nobody online are listed with 0). Agents still online count
// until until. Days are those of ps's zone, so a day may last 23 or 25
// hours. It returns [ErrNoData] if nobody was ever online for any time, and
// an error wrapping [ErrLimit] if the days would be more than
// [MaxAvailabilityDays].
func (p *Presence) Availability(ps Periods, until time.Time) ([]AvailabilityDay, error) {
	u, ok := unixNanos(until)
	var all []span
	for name, s := range p.agents {
		if s.online && !ok {
			return nil, invalidf("until", "%s is outside the years 1678–2261", until)
		}
		var err error
		if all, err = s.intervals(name, u, all); err != nil {
			return nil, err
		}
	}
	union := unionSpans(all)
	if len(union) == 0 {
		return nil, ErrNoData
	}
	loc := ps.Location()
	var days []AvailabilityDay
	day := ps.Start(time.Unix(0, union[0].from).In(loc), Day)
	last := union[len(union)-1].to
	tooMany := func() error {
		return fmt.Errorf("%w: presence from %s to %s spans more than %d days, the most Presence.Availability returns (MaxAvailabilityDays)",
			ErrLimit, day.Format("2006-01-02"), time.Unix(0, last).In(loc).Format("2006-01-02"), MaxAvailabilityDays)
	}
	// Days last at most 25 hours; in seconds, as nanoseconds from 1678 to
	// 2261 overflow int64.
	if (last/int64(time.Second)-day.Unix())/(25*3600) >= MaxAvailabilityDays {
		return nil, tooMany()
	}
	j := 0
	for day.UnixNano() < last {
		if len(days) == MaxAvailabilityDays {
			day = days[0].Start
			return nil, tooMany()
		}
		next := ps.Next(day, Day)
		d0, d1 := day.UnixNano(), next.UnixNano()
		var online int64
		for k := j; k < len(union) && union[k].from < d1; k++ {
			online += max(0, min(union[k].to, d1)-max(union[k].from, d0))
		}
		for j < len(union) && union[j].to <= d1 {
			j++
		}
		days = append(days, AvailabilityDay{Start: day, Label: day.Format("2006-01-02"), Online: time.Duration(online)})
		day = next
	}
	return days, nil
}

// unionSpans sorts intervals and merges those that overlap or touch.
func unionSpans(s []span) []span {
	slices.SortFunc(s, func(x, y span) int { return cmp.Compare(x.from, y.from) })
	out := s[:0]
	for _, x := range s {
		if n := len(out); n > 0 && x.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, x.to)
			continue
		}
		out = append(out, x)
	}
	return out
}

// MarshalBinary encodes every agent's intervals and current state.
func (p *Presence) MarshalBinary() ([]byte, error) {
	names := make([]string, 0, len(p.agents))
	for k := range p.agents {
		names = append(names, k)
	}
	slices.Sort(names)
	e := newEncoder(tagPresence, 32*len(names))
	e.uvarint(uint64(len(names)))
	for _, k := range names {
		s := p.agents[k]
		e.string(k)
		encodeSpans(e, s.spans)
		e.bool(s.online)
		e.varint(s.since)
		e.varint(s.last)
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces the state with one written by
// [Presence.MarshalBinary]; on a corrupt encoding it returns an error
// wrapping [ErrInvalid] and leaves p unchanged.
func (p *Presence) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagPresence, "presence")
	n := d.length(5)
	var agents map[string]*presenceState
	var prev string
	for i := 0; i < n && d.err == nil; i++ {
		name := d.string()
		s := &presenceState{spans: decodeSpans(d), online: d.bool(), since: d.varint(), last: d.varint()}
		if d.err != nil {
			break
		}
		if name == "" || i > 0 && name <= prev {
			d.fail("agent ids must be non-empty, sorted and distinct")
			break
		}
		if s.online && s.since > s.last || !s.online && s.since != 0 {
			d.fail("agent %q has an inconsistent online state", name)
			break
		}
		if agents == nil {
			agents = make(map[string]*presenceState, n)
		}
		agents[name] = s
		prev = name
	}
	if err := d.finish(); err != nil {
		return err
	}
	p.agents = agents
	return nil
}
