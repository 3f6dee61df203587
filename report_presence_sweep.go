package chatkpi

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// openEnd is the end of an online interval still open at the end of its
// conversation in a presenceSweep: it lasts until the end of the data.
const openEnd = math.MaxInt64

// presenceSweep is the presence of a report in streaming mode (the
// overall metrics only; see presenceLog for how the events pair). It
// sweeps the online intervals as conversations arrive in start order:
// past the sweep line (the third-latest conversation start; no later
// conversation in start order has an online interval before it) it
// settles each agent's online time that ends by then, and the union of
// all agents' (the availability), into totals per agent and per day,
// keeping only the intervals that are still open at the line or after it,
// and, per agent and for the union, one interval from the earliest
// Online still open at the end of its conversation. The intervals before
// the first sweep line (the head; none in start order) are kept exactly.
//
// Memory: per agent, its id and settled total (about 200 bytes measured)
// and, with [GroupByAgent], about 40 bytes per day it was online; about 40
// bytes per day of availability; 56 bytes per online interval not yet
// settled (open at the line or after it: 40 for the agent's own, 16 for the
// union) — bounded by the agents online around the line, not by
// the number of presence events. A conversation whose online intervals all
// come after the line, or all lie in the head, is exact; one with an
// online interval between the head and the line could change a settled
// figure, and makes the report's availability and online times undefined
// rather than wrong. Two states merge exactly when, where one has settled
// an agent's online time (or the union's), the other has no interval of it
// (of any agent) there, or one online from before that time until the end
// of the data (which covers it); otherwise as for a late conversation.
type presenceSweep struct {
	on        bool    // sweep (a report in streaming mode); otherwise presenceLog keeps every interval
	agentDays bool    // settle each agent's online time per day too ([GroupByAgent])
	periods   Periods // whose days the totals are per
	headUntil int64   // hold the first line until after this instant (see Agents.headUntil)
	h, line   int64   // head end and sweep line, noInstant until the first fold
	recent    latestStarts
	head      []agentSpan // exactly, each before h
	kept      []agentSpan // per agent, from h on, not settled (to openEnd: until the end of the data)
	all       []span      // the union of all agents' intervals from h on, not settled
	settled   map[string]*settledPresence
	days      map[int64]int64 // availability settled per day (the day's start, Unix s → ns)
	lo, hi    int64           // the hull of the settled availability, when days has any
	lost      bool            // a late online interval: availability and online times undefined
	tooLong   bool            // an interval spans more than MaxAvailabilityDays days
	pieces    []agentSpan     // scratch of sweepIn
}

// settledPresence is an agent's settled online time: its total, the hull
// [lo, hi) of it and, with agentDays, per day.
type settledPresence struct {
	online, lo, hi int64
	days           map[int64]int64
}

// boundPresence makes the presence of the empty accumulators p of a
// report in streaming mode swept (see presenceSweep).
func boundPresence(p *metricSet, c *reportConfig) {
	w := &p.presence.sweep
	w.on = p.agents.bounded
	w.agentDays = slices.ContainsFunc(c.groupings, func(g Grouping) bool { return g.name == "agent" })
	w.periods, w.headUntil = c.periods, noInstant
	*w = w.emptyLike()
}

func (w *presenceSweep) folded() bool { return w.h != noInstant }

// sweepIn adds the paired presence of one conversation that starts at
// start (Unix ns; its start in the report's order).
func (w *presenceSweep) sweepIn(c *presenceLog, start int64) {
	if w.lost {
		return
	}
	pieces := append(w.pieces[:0], c.spans...)
	for _, o := range c.open {
		pieces = append(pieces, agentSpan{o.agent, o.from, openEnd})
	}
	w.pieces = pieces
	if w.folded() && slices.ContainsFunc(pieces, func(x agentSpan) bool { return x.from < w.line && x.to > w.h }) {
		w.lose()
		return
	}
	for _, x := range pieces {
		if w.folded() && x.to <= w.h {
			w.head = append(w.head, x)
			continue
		}
		w.kept = append(w.kept, x)
		w.all = append(w.all, span{x.from, x.to})
	}
	w.recent.note(start)
	w.advance()
}

func (w *presenceSweep) advance() {
	if l, ok := w.recent.line(); ok && l > w.line && l > w.headUntil {
		w.foldTo(l)
	}
}

// foldTo moves the line to l: the first time, l becomes the head end and
// the intervals before it the head; then every agent's online time and
// the union's that end by l are settled.
func (w *presenceSweep) foldTo(l int64) {
	if !w.folded() {
		w.h, w.line = l, l
		kept, all := w.kept[:0], w.all[:0]
		for _, x := range w.kept {
			if x.from < l {
				w.head = append(w.head, agentSpan{x.agent, x.from, min(x.to, l)})
			}
			if x.to > l {
				kept = append(kept, agentSpan{x.agent, max(x.from, l), x.to})
			}
		}
		for _, x := range w.all {
			if x.to > l {
				all = append(all, span{max(x.from, l), x.to})
			}
		}
		w.kept, w.all = kept, all
		return
	}
	w.line = l
	w.settle()
}

// settle merges the kept intervals per agent and the union's, and settles
// those that end by the line.
func (w *presenceSweep) settle() {
	union := unionAgentSpans(w.kept)
	kept := union[:0]
	for _, c := range union {
		if c.to > w.line {
			kept = append(kept, c)
			continue
		}
		if w.settled == nil {
			w.settled = make(map[string]*settledPresence)
		}
		st := w.settled[c.agent]
		if st == nil {
			st = &settledPresence{lo: math.MaxInt64, hi: math.MinInt64}
			w.settled[c.agent] = st
		}
		st.online += c.to - c.from
		st.lo, st.hi = min(st.lo, c.from), max(st.hi, c.to)
		if w.agentDays {
			if st.days == nil {
				st.days = make(map[int64]int64)
			}
			w.addDays(st.days, c.from, c.to)
		}
	}
	w.kept = kept
	all := unionSpans(w.all)
	w.all = all[:0]
	for _, c := range all {
		if c.to > w.line {
			w.all = append(w.all, c)
			continue
		}
		if w.days == nil {
			w.days = make(map[int64]int64)
		}
		w.addDays(w.days, c.from, c.to)
		w.lo, w.hi = min(w.lo, c.from), max(w.hi, c.to)
	}
}

// unionAgentSpans sorts s and merges each agent's intervals that overlap
// or touch, in place.
func unionAgentSpans(s []agentSpan) []agentSpan {
	slices.SortFunc(s, compareAgentSpans)
	out := s[:0]
	for _, x := range s {
		if n := len(out); n > 0 && out[n-1].agent == x.agent && x.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, x.to)
			continue
		}
		out = append(out, x)
	}
	return out
}

// addDays adds the online time [from, to) to the days it falls on.
func (w *presenceSweep) addDays(days map[int64]int64, from, to int64) {
	if (to/int64(time.Second)-from/int64(time.Second))/(23*3600) >= MaxAvailabilityDays {
		w.tooLong = true
		return
	}
	loc := w.periods.Location()
	for day := w.periods.Start(time.Unix(0, from).In(loc), Day); day.UnixNano() < to; {
		next := w.periods.Next(day, Day)
		if d := min(to, next.UnixNano()) - max(from, day.UnixNano()); d > 0 {
			days[day.Unix()] += d
		}
		day = next
	}
}

// lose gives up the presence: availability and online times are
// undefined.
func (w *presenceSweep) lose() {
	*w = w.emptyLike()
	w.lost = true
}

// merge adds the state of o, another sweep of the same settings (see
// presenceSweep for when it is exact).
func (w *presenceSweep) merge(o *presenceSweep) {
	if w.lost || o.lost {
		w.lose()
		return
	}
	mine, theirs := slices.Concat(w.head, w.kept), slices.Concat(o.head, o.kept)
	allMine, allTheirs := w.allSpans(), o.allSpans()
	// An agent's settled time covered by the other's interval open until
	// the end is dropped; one that the other's intervals overlap otherwise
	// is lost.
	dropMine, ok1 := coveredAgents(w.settled, theirs)
	dropTheirs, ok2 := coveredAgents(o.settled, mine)
	dropDays, ok3 := covered(w.lo, w.hi, len(w.days) > 0, allTheirs)
	dropTheirDays, ok4 := covered(o.lo, o.hi, len(o.days) > 0, allMine)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		w.lose()
		return
	}
	for name := range dropMine {
		delete(w.settled, name)
	}
	if dropDays {
		w.days, w.lo, w.hi = nil, math.MaxInt64, math.MinInt64
	}
	for name, st := range o.settled {
		if dropTheirs[name] {
			continue
		}
		if w.settled == nil {
			w.settled = make(map[string]*settledPresence)
		}
		mineSt := w.settled[name]
		if mineSt == nil {
			mineSt = &settledPresence{lo: math.MaxInt64, hi: math.MinInt64}
			w.settled[name] = mineSt
		}
		if mineSt.online > 0 && st.online > 0 && mineSt.lo < st.hi && st.lo < mineSt.hi {
			w.lose()
			return
		}
		mineSt.online += st.online
		mineSt.lo, mineSt.hi = min(mineSt.lo, st.lo), max(mineSt.hi, st.hi)
		if len(st.days) > 0 {
			if mineSt.days == nil {
				mineSt.days = make(map[int64]int64, len(st.days))
			}
			for d, v := range st.days {
				mineSt.days[d] += v
			}
		}
	}
	if !dropTheirDays && len(o.days) > 0 {
		if len(w.days) > 0 && w.lo < o.hi && o.lo < w.hi {
			w.lose()
			return
		}
		if w.days == nil {
			w.days = make(map[int64]int64, len(o.days))
		}
		for d, v := range o.days {
			w.days[d] += v
		}
		w.lo, w.hi = min(w.lo, o.lo), max(w.hi, o.hi)
	}
	w.tooLong = w.tooLong || o.tooLong
	w.recent.merge(&o.recent)
	h, line := w.h, max(w.line, o.line)
	if !w.folded() || o.folded() && o.h < h {
		h = o.h
	}
	pieces := slices.Concat(mine, theirs)
	all := slices.Concat(w.all, o.all)
	for _, x := range o.head {
		all = append(all, span{x.from, x.to})
	}
	for _, x := range w.head {
		all = append(all, span{x.from, x.to})
	}
	w.head, w.kept, w.all = w.head[:0], w.kept[:0], w.all[:0]
	if h == noInstant { // neither has folded
		w.kept, w.all = pieces, all
		w.advance()
		return
	}
	for _, x := range pieces {
		if x.from < h {
			w.head = append(w.head, agentSpan{x.agent, x.from, min(x.to, h)})
		}
		if x.to > h {
			w.kept = append(w.kept, agentSpan{x.agent, max(x.from, h), x.to})
		}
	}
	for _, x := range all {
		if x.to > h {
			w.all = append(w.all, span{max(x.from, h), x.to})
		}
	}
	w.h, w.line = h, line
	w.settle()
	w.advance()
}

// allSpans returns the intervals of the union that w keeps exactly.
func (w *presenceSweep) allSpans() []span {
	out := slices.Clone(w.all)
	for _, x := range w.head {
		out = append(out, span{x.from, x.to})
	}
	return out
}

// covered checks the settled time [lo, hi) (when any) against intervals
// of the other state: covered when one open until the end starts by lo;
// ok unless, not covered, an interval overlaps it.
func covered(lo, hi int64, any bool, spans []span) (cover, ok bool) {
	if !any {
		return false, true
	}
	for _, x := range spans {
		if x.to == openEnd && x.from <= lo {
			return true, true
		}
	}
	return false, !slices.ContainsFunc(spans, func(x span) bool { return x.from < hi && x.to > lo })
}

// coveredAgents checks every agent's settled time against the other
// state's intervals of the agent (see covered).
func coveredAgents(settled map[string]*settledPresence, pieces []agentSpan) (map[string]bool, bool) {
	var drop map[string]bool
	for name, st := range settled {
		var spans []span
		for _, x := range pieces {
			if x.agent == name {
				spans = append(spans, span{x.from, x.to})
			}
		}
		cover, ok := covered(st.lo, st.hi, st.online > 0, spans)
		if !ok {
			return nil, false
		}
		if cover {
			if drop == nil {
				drop = make(map[string]bool)
			}
			drop[name] = true
		}
	}
	return drop, true
}

// closeAt returns spans with those open until the end closed at until,
// dropping those that start at or after it.
func closeAt(spans []span, until int64) []span {
	out := spans[:0]
	for _, x := range spans {
		if x.to == openEnd {
			x.to = until
		}
		if x.to > x.from {
			out = append(out, x)
		}
	}
	return out
}

// sweptDays returns the availability per day (agent "" with all: the
// union of every agent's; otherwise the agent's own), from the first day
// with online time to the last, until until.
func (w *presenceSweep) sweptDays(agent string, all bool, until int64) ([]AvailabilityDay, error) {
	var spans []span
	var settled map[int64]int64
	if all {
		spans, settled = w.allSpans(), w.days
	} else {
		for _, x := range slices.Concat(w.head, w.kept) {
			if x.agent == agent {
				spans = append(spans, span{x.from, x.to})
			}
		}
		if st := w.settled[agent]; st != nil {
			settled = st.days
		}
	}
	if w.tooLong {
		return nil, errTooManyDays()
	}
	p := &Presence{agents: map[string]*presenceState{"": {spans: closeAt(spans, until)}}}
	exact, err := p.Availability(w.periods, time.Unix(0, until))
	if err != nil && !errors.Is(err, ErrNoData) {
		return nil, err
	}
	return mergeDays(exact, settled, w.periods)
}

// mergeDays adds settled online time per day to days, listing every day
// from the first to the last of either.
func mergeDays(days []AvailabilityDay, settled map[int64]int64, ps Periods) ([]AvailabilityDay, error) {
	if len(settled) == 0 {
		if len(days) == 0 {
			return nil, ErrNoData
		}
		return days, nil
	}
	loc := ps.Location()
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for d := range settled {
		first, last = min(first, d), max(last, d)
	}
	if len(days) > 0 {
		first, last = min(first, days[0].Start.Unix()), max(last, days[len(days)-1].Start.Unix())
	}
	exact := make(map[int64]time.Duration, len(days))
	for _, d := range days {
		exact[d.Start.Unix()] = d.Online
	}
	var out []AvailabilityDay
	for day := time.Unix(first, 0).In(loc); day.Unix() <= last; day = ps.Next(day, Day) {
		if len(out) == MaxAvailabilityDays {
			return nil, errTooManyDays()
		}
		k := day.Unix()
		out = append(out, AvailabilityDay{Start: day, Label: day.Format("2006-01-02"), Online: exact[k] + time.Duration(settled[k])})
	}
	return out, nil
}

// sweptOnline returns each agent's online time in seconds until until.
func (w *presenceSweep) sweptOnline(until int64) map[string]float64 {
	byAgent := make(map[string][]span)
	for _, x := range slices.Concat(w.head, w.kept) {
		byAgent[x.agent] = append(byAgent[x.agent], span{x.from, x.to})
	}
	ns := make(map[string]time.Duration, len(byAgent)+len(w.settled))
	for name, st := range w.settled {
		ns[name] = time.Duration(st.online)
	}
	for name, spans := range byAgent {
		_, _, busy := concurrency(closeAt(spans, until))
		ns[name] += busy
	}
	out := make(map[string]float64, len(ns))
	for name, d := range ns {
		out[name] = d.Seconds()
	}
	return out
}

// agents returns the ids of the agents w knows.
func (w *presenceSweep) agentNames() []string {
	var names []string
	for _, x := range slices.Concat(w.head, w.kept) {
		names = append(names, x.agent)
	}
	for name := range w.settled {
		names = append(names, name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// present reports whether w knows an agent's presence.
func (w *presenceSweep) present() bool { return len(w.head)+len(w.kept)+len(w.settled) > 0 }

// empty reports whether w holds nothing.
func (w *presenceSweep) empty() bool {
	return len(w.head)+len(w.kept)+len(w.all)+len(w.settled)+len(w.days) == 0 && !w.lost && !w.tooLong &&
		!w.folded() && w.recent.n == 0
}

func (w *presenceSweep) encode(e *encoder) {
	e.bool(w.lost)
	e.bool(w.tooLong)
	e.varint(w.h)
	e.varint(w.line)
	w.recent.encode(e)
	head := slices.Clone(w.head)
	slices.SortFunc(head, compareAgentSpans)
	for _, s := range [][]agentSpan{head, unionAgentSpans(slices.Clone(w.kept))} { // kept as a merge leaves it
		e.uvarint(uint64(len(s)))
		for _, x := range s {
			e.string(x.agent)
			e.varint(x.from)
			e.varint(x.to)
		}
	}
	all := unionSpans(slices.Clone(w.all))
	e.uvarint(uint64(len(all)))
	for _, x := range all {
		e.varint(x.from)
		e.varint(x.to)
	}
	names := make([]string, 0, len(w.settled))
	for name := range w.settled {
		names = append(names, name)
	}
	slices.Sort(names)
	e.uvarint(uint64(len(names)))
	for _, name := range names {
		st := w.settled[name]
		e.string(name)
		e.varint(st.online)
		e.varint(st.lo)
		e.varint(st.hi)
		encodeDays(e, st.days)
	}
	encodeDays(e, w.days)
	e.varint(w.lo)
	e.varint(w.hi)
}

func encodeDays(e *encoder, days map[int64]int64) {
	keys := make([]int64, 0, len(days))
	for d := range days {
		keys = append(keys, d)
	}
	slices.Sort(keys)
	e.uvarint(uint64(len(keys)))
	for _, d := range keys {
		e.varint(d)
		e.varint(days[d])
	}
}

// decode reads what encode writes into w (which has its settings) and
// checks it: the pieces sorted, each agent's online, before the head end
// (the head) or from it on, not after the end of the data last; the
// settled totals positive within their hull, between the head end and
// the line, their days positive and at most a day long each.
func (w *presenceSweep) decode(d *decoder, last int64) {
	w.lost, w.tooLong = d.bool(), d.bool()
	w.h, w.line = d.varint(), d.varint()
	w.recent.decode(d)
	bad := d.err == nil && ((w.h == noInstant) != (w.line == noInstant) || w.h > w.line ||
		w.folded() && !w.recent.isLine(w.line))
	inData := func(from, to int64) bool {
		return from < to && (to <= last || to == openEnd) && from <= last
	}
	for li, list := range []*[]agentSpan{&w.head, &w.kept} {
		k := d.length(3)
		for i := 0; i < k && d.err == nil; i++ {
			x := agentSpan{agent: d.string(), from: d.varint(), to: d.varint()}
			bad = bad || x.agent == "" || !inData(x.from, x.to) || i > 0 && compareAgentSpans((*list)[i-1], x) > 0 ||
				li == 0 && (!w.folded() || x.to > w.h) || li == 1 && w.folded() && x.from < w.h
			*list = append(*list, x)
		}
	}
	k := d.length(2)
	for i := 0; i < k && d.err == nil; i++ {
		x := span{d.varint(), d.varint()}
		bad = bad || !inData(x.from, x.to) || w.folded() && x.from < w.h || i > 0 && w.all[i-1].from > x.from
		w.all = append(w.all, x)
	}
	settledOK := func(online, lo, hi int64) bool {
		return online > 0 && w.folded() && w.h <= lo && lo < hi && hi <= w.line && uint64(hi-lo) >= uint64(online)
	}
	k = d.length(5)
	var prev string
	for i := 0; i < k && d.err == nil; i++ {
		name := d.string()
		st := &settledPresence{online: d.varint(), lo: d.varint(), hi: d.varint(), days: decodeDays(d)}
		bad = bad || name == "" || i > 0 && name <= prev || !settledOK(st.online, st.lo, st.hi) || !w.agentDays && st.days != nil
		if w.settled == nil {
			w.settled = make(map[string]*settledPresence, k)
		}
		w.settled[name], prev = st, name
	}
	w.days = decodeDays(d)
	w.lo, w.hi = d.varint(), d.varint()
	if len(w.days) > 0 {
		bad = bad || !settledOK(1, w.lo, w.hi)
	} else {
		bad = bad || w.lo != math.MaxInt64 || w.hi != math.MinInt64
	}
	bad = bad || w.lost && (w.folded() || w.recent.n > 0 || len(w.head)+len(w.kept)+len(w.all)+len(w.settled)+len(w.days) > 0)
	// Nothing kept exactly overlaps what is settled, and settled days lie
	// within their hull.
	inHull := func(days map[int64]int64, lo, hi int64) bool {
		for day := range days {
			if day > hi/int64(time.Second) || day+26*3600 < lo/int64(time.Second) {
				return false
			}
		}
		return true
	}
	for _, x := range slices.Concat(w.head, w.kept) {
		if st := w.settled[x.agent]; st != nil {
			bad = bad || x.from < st.hi && x.to > st.lo
		}
		bad = bad || len(w.days) > 0 && x.from < w.hi && x.to > w.lo
	}
	for _, x := range w.all {
		bad = bad || len(w.days) > 0 && x.from < w.hi && x.to > w.lo
	}
	for _, st := range w.settled {
		bad = bad || !inHull(st.days, st.lo, st.hi)
	}
	bad = bad || !inHull(w.days, w.lo, w.hi)
	if d.err == nil && bad {
		d.fail("presence: inconsistent swept state")
	}
}

func decodeDays(d *decoder) map[int64]int64 {
	n := d.length(2)
	if d.err != nil || n == 0 {
		return nil
	}
	days := make(map[int64]int64, n)
	prev := int64(math.MinInt64)
	for i := 0; i < n && d.err == nil; i++ {
		day, v := d.varint(), d.varint()
		if d.err != nil {
			break
		}
		if i > 0 && day <= prev || v <= 0 || v > int64(25*time.Hour) {
			d.fail("presence: day %d with %d ns online out of order or not within a day", day, v)
			break
		}
		days[day], prev = v, day
	}
	return days
}

func errTooManyDays() error {
	return fmt.Errorf("%w: presence spans more than %d days, the most Presence.Availability returns (MaxAvailabilityDays)", ErrLimit, MaxAvailabilityDays)
}

// empty returns an empty sweep with the settings of w.
func (w *presenceSweep) emptyLike() presenceSweep {
	return presenceSweep{on: w.on, agentDays: w.agentDays, periods: w.periods, headUntil: w.headUntil,
		h: noInstant, line: noInstant, lo: math.MaxInt64, hi: math.MinInt64}
}
