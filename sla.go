package chatkpi

import (
	"fmt"
	"time"
)

// tagSLA is the wire tag of [SLA].
const tagSLA byte = 0x6a

// SLAStatus is the verdict of one SLA target on one conversation. The zero
// value is not a status.
type SLAStatus uint8

// The verdicts.
const (
	// SLAMet: the clock stopped within the target (at most the target).
	SLAMet SLAStatus = iota + 1
	// SLABreached: the clock passed the target, at BreachAt.
	SLABreached
	// SLARunning: the clock had not stopped by the end of the data and had
	// not passed its target; no verdict yet.
	SLARunning
)

// String returns "met", "breached" or "running".
func (s SLAStatus) String() string {
	switch s {
	case SLAMet:
		return "met"
	case SLABreached:
		return "breached"
	case SLARunning:
		return "running"
	}
	return fmt.Sprintf("SLAStatus(%d)", uint8(s))
}

// SLAVerdict is the verdict of one target of an [SLAPolicy] on one
// conversation.
type SLAVerdict struct {
	Target SLATarget // the target that applied (see SLAPolicy for the choice)
	Status SLAStatus
	// Start is when the clock first started: the first customer message
	// for the reply targets (for next reply the first turn's), the
	// conversation's start for the others.
	Start time.Time
	// BreachAt is the instant the clock passed its target (Breached only):
	// where it had run for exactly the target, in the target's time
	// (business hours: the open time of the calendar). Never before Start.
	BreachAt time.Time
	// Elapsed is the time on the clock: to its stop, or to the end of the
	// data when it is running (next reply: the longest turn).
	Elapsed time.Duration
}

// Over returns how far the clock went past its target, Elapsed − Target,
// for a breach; 0 otherwise.
func (v *SLAVerdict) Over() time.Duration {
	if v.Status != SLABreached {
		return 0
	}
	return v.Elapsed - v.Target.Target
}

// slaConfig is a checked policy.
type slaConfig struct {
	targets  []SLATarget
	business *BusinessHours
	asOf     time.Time
	stats    durationsConfig
}

// sameSettings reports whether two configurations measure alike.
func (c *slaConfig) sameSettings(o *slaConfig) bool {
	if len(c.targets) != len(o.targets) || c.business != o.business || !c.asOf.Equal(o.asOf) || !c.stats.sameState(&o.stats) {
		return false
	}
	for i := range c.targets {
		if c.targets[i] != o.targets[i] {
			return false
		}
	}
	return true
}

func newSLAConfig(p *SLAPolicy) (slaConfig, error) {
	if err := p.check(); err != nil {
		return slaConfig{}, err
	}
	stats, err := p.Durations.config()
	if err != nil {
		return slaConfig{}, err
	}
	ts := p.targets()
	return slaConfig{targets: append([]SLATarget(nil), ts...), business: p.BusinessHours, asOf: p.AsOf, stats: stats}, nil
}

// measureOf returns the time measure of a target.
func (c *slaConfig) measureOf(t *SLATarget) timeMeasure {
	if t.BusinessHours {
		return c.business
	}
	return calendarTime{}
}

// slaSpan is a stretch [from, to) in which an SLA clock runs; open spans
// run to the end of the data.
type slaSpan struct {
	from, to time.Time
	open     bool
}

// clockVerdict runs a clock over its spans (in time order) against target
// t: stopped says its stop condition was reached, end is the end of the
// data (for open spans).
func (c *slaConfig) clockVerdict(t *SLATarget, spans []slaSpan, stopped bool, end time.Time) (SLAVerdict, error) {
	v := SLAVerdict{Target: *t, Start: spans[0].from}
	m := c.measureOf(t)
	var acc time.Duration
	for _, s := range spans {
		to := s.to
		if s.open {
			to = end
		}
		if !to.After(s.from) {
			continue
		}
		d, err := m.Elapsed(s.from, to)
		if err != nil {
			return v, err
		}
		if v.BreachAt.IsZero() && acc+d > t.Target {
			if v.BreachAt, err = deadline(m, s.from, to, t.Target-acc); err != nil {
				return v, err
			}
		}
		acc += d
	}
	v.Elapsed = acc
	switch {
	case acc > t.Target:
		v.Status = SLABreached
	case stopped:
		v.Status = SLAMet
	default:
		v.Status = SLARunning
	}
	return v, nil
}

// deadline returns the earliest instant d in [from, to] at which m has
// measured rem since from; the caller knows that m measures more than rem
// over [from, to). Calendar time: from + rem. Business time grows at most
// as fast as calendar time (m(from, t) − m(from, s) = m(s, t) ≤ t − s), so
// lo + (rem − m(from, lo)) is never past the deadline, and is the deadline
// when the calendar is open all the way to it: each step tries that
// instant, then halves [lo, hi] to get past closed hours — exact to the
// nanosecond, in a few dozen measures at most.
func deadline(m timeMeasure, from, to time.Time, rem time.Duration) (time.Time, error) {
	if _, ok := m.(calendarTime); ok || rem <= 0 {
		return from.Add(max(rem, 0)), nil
	}
	lo, hi := from, to // m(from, lo) = elo < rem ≤ m(from, hi)
	var elo time.Duration
	for {
		cand := lo.Add(rem - elo)
		if !cand.Before(hi) {
			return hi, nil // the deadline is at least cand and at most hi
		}
		e, err := m.Elapsed(from, cand)
		if err != nil {
			return time.Time{}, err
		}
		if e >= rem {
			return cand, nil // open all the way from lo: no earlier instant reaches rem
		}
		lo, elo = cand, e
		if hi.Sub(lo) <= 1 {
			return hi, nil
		}
		mid := lo.Add(hi.Sub(lo) / 2)
		if e, err = m.Elapsed(from, mid); err != nil {
			return time.Time{}, err
		}
		if e >= rem {
			hi = mid
		} else {
			lo, elo = mid, e
		}
	}
}

// slaScan measures every target of a policy on conversations.
type slaScan struct {
	timeline ticketTimeline
	spans    []slaSpan
}

// verdicts appends to out the verdict of each metric of the policy that
// has a target for the conversation and whose clock started. The events
// passed checkEvents.
func (c *slaConfig) verdicts(sc *slaScan, info *Info, ev []Event, out []SLAVerdict) ([]SLAVerdict, error) {
	out = out[:0]
	if len(c.targets) == 0 {
		return out, nil
	}
	start := info.Start
	if start.IsZero() {
		if len(ev) == 0 {
			return out, nil
		}
		start = ev[0].Time
	}
	end := start
	if n := len(ev); n > 0 && ev[n-1].Time.After(end) {
		end = ev[n-1].Time
	}
	if c.asOf.After(end) {
		end = c.asOf
	}
	timelineBuilt := false
	for m := FirstReplySLA; m < numSLAMetrics; m++ {
		k := slaTargetFor(c.targets, m, info.Priority, info.Channel)
		if k < 0 {
			continue
		}
		t := &c.targets[k]
		var v SLAVerdict
		ok, err := false, error(nil)
		switch m {
		case FirstReplySLA:
			v, ok, err = c.firstReply(sc, t, info, ev, end)
		case NextReplySLA:
			v, ok, err = c.nextReply(sc, t, ev, end)
		case RequesterWaitSLA, ResolutionSLA:
			if !timelineBuilt {
				if err := sc.timeline.build(info, ev); err != nil {
					return out, err
				}
				timelineBuilt = true
			}
			v, ok, err = c.untilResolved(sc, t, ev, start, end)
		}
		if err != nil {
			return out, measureErr(info.ID, -1, err)
		}
		if ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// firstReply runs the first-reply clock: from the first customer message
// to the first public reply after it.
func (c *slaConfig) firstReply(sc *slaScan, t *SLATarget, info *Info, ev []Event, end time.Time) (SLAVerdict, bool, error) {
	if info.Outbound {
		return SLAVerdict{}, false, nil
	}
	for i := range ev {
		if !ev[i].IsCustomerMessage() {
			continue
		}
		sc.spans = append(sc.spans[:0], slaSpan{from: ev[i].Time, open: true})
		for j := i + 1; j < len(ev); j++ {
			if ev[j].IsReply() {
				sc.spans[0] = slaSpan{from: ev[i].Time, to: ev[j].Time}
				v, err := c.clockVerdict(t, sc.spans, true, end)
				return v, true, err
			}
		}
		v, err := c.clockVerdict(t, sc.spans, false, end)
		return v, true, err
	}
	return SLAVerdict{}, false, nil
}

// nextReply runs one clock per customer turn after the first reply: from
// the turn's first customer message to the next public reply. The
// conversation's verdict is breached when any turn breached (BreachAt the
// earliest breach), else running when its last turn is unanswered, else
// met; Elapsed is the longest turn.
func (c *slaConfig) nextReply(sc *slaScan, t *SLATarget, ev []Event, end time.Time) (SLAVerdict, bool, error) {
	replied, waiting := false, false
	var from time.Time
	var out SLAVerdict
	turns := 0
	add := func(v SLAVerdict) {
		turns++
		if turns == 1 {
			out = v
			return
		}
		if v.Elapsed > out.Elapsed {
			out.Elapsed = v.Elapsed
		}
		if v.Status == SLABreached && out.Status != SLABreached {
			out.Status, out.BreachAt = SLABreached, v.BreachAt
		} else if v.Status == SLARunning && out.Status == SLAMet {
			out.Status = SLARunning
		}
	}
	for i := range ev {
		e := &ev[i]
		switch {
		case e.IsReply():
			if waiting {
				sc.spans = append(sc.spans[:0], slaSpan{from: from, to: e.Time})
				v, err := c.clockVerdict(t, sc.spans, true, end)
				if err != nil {
					return out, false, err
				}
				add(v)
			}
			replied, waiting = true, false
		case e.IsCustomerMessage() && replied && !waiting:
			waiting, from = true, e.Time
		}
	}
	if waiting {
		sc.spans = append(sc.spans[:0], slaSpan{from: from, open: true})
		v, err := c.clockVerdict(t, sc.spans, false, end)
		if err != nil {
			return out, false, err
		}
		add(v)
	}
	return out, turns > 0, nil
}

// untilResolved runs the requester-wait and resolution clocks, from the
// start to the last resolution of a conversation that ends resolved (else
// to the end of the data, running): the resolution clock without a pause,
// the requester-wait clock in the new, open and on-hold states of the
// ticket timeline only.
func (c *slaConfig) untilResolved(sc *slaScan, t *SLATarget, ev []Event, start, end time.Time) (SLAVerdict, bool, error) {
	tl := &sc.timeline
	stopped := tl.resolvedAtEnd
	var stop time.Time
	if stopped {
		stop = ev[tl.lastResolved].Time
	}
	sc.spans = sc.spans[:0]
	if t.Metric == ResolutionSLA {
		sc.spans = append(sc.spans, slaSpan{from: start, to: stop, open: !stopped})
	} else {
		for i := range tl.spans {
			sp := &tl.spans[i]
			if !requesterWaitStates.has(sp.state) {
				continue
			}
			s := slaSpan{from: sp.from, open: true}
			if i+1 < len(tl.spans) {
				s.to, s.open = tl.spans[i+1].from, false
			}
			if stopped && (s.open || s.to.After(stop)) {
				s.to, s.open = stop, false
			}
			sc.spans = append(sc.spans, s)
		}
		if len(sc.spans) == 0 {
			// Never waiting (pending from its start): the clock starts and
			// stays at 0.
			sc.spans = append(sc.spans, slaSpan{from: start, to: start})
		}
	}
	v, err := c.clockVerdict(t, sc.spans, stopped, end)
	v.Start = start
	return v, true, err
}

// slaCounts are the verdicts of one SLA metric.
type slaCounts struct {
	met, breached, running int64
	over                   Durations // Elapsed − Target of the breaches
}

// SLA accumulates the verdicts of an [SLAPolicy] over conversations: per
// SLA metric, the conversations whose clock met its target, breached it
// and is still running at the end of the data, the attainment met ÷
// (met + breached) — running clocks are not decided and are left out —
// and the time over target of the breaches (Elapsed − Target; for a breach
// whose clock still runs, as of the end of the data).
//
// The clocks (each in calendar time or the business hours of the policy,
// per target):
//
//   - first reply: from the first customer message to the first public
//     reply after it (an agent's or the bot's, [Event.IsReply]); not for
//     outbound conversations or conversations without a customer message;
//   - next reply: each customer turn after the first reply, from its first
//     message to the next public reply; the conversation breaches when one
//     turn does (see [SLAVerdict]);
//   - requester wait: the time the conversation is new, open or on hold
//     (the ticket states, see [WaitTimes]), from its start (Info.Start,
//     else its first event) to its last [Resolved] event when it ends
//     resolved: it pauses while pending and while resolved before a
//     reopen;
//   - resolution: from the start to the last Resolved event when it ends
//     resolved, without pause.
//
// A clock that has not stopped by the end of the data — the conversation's
// last event, or the policy's AsOf when later — is breached if it has
// passed its target by then (at the instant it did), and running
// otherwise. A clock meets its target when it stops at or before it:
// 60 s on a 60 s target is met.
//
// The zero value has no targets and counts nothing; build one with
// [NewSLA]. It is not safe for concurrent use.
type SLA struct {
	cfg slaConfig
	// counts are the verdicts by SLA metric (index metric − 1), allocated
	// at the first verdict, so that an SLA without any (a report's group
	// without a policy) stays small.
	counts   *[numSLAMetrics - 1]slaCounts
	scan     slaScan
	verdicts []SLAVerdict
	buf      []Event
}

// newCounts returns empty counts with the statistics settings.
func (s *SLA) newCounts() *[numSLAMetrics - 1]slaCounts {
	c := new([numSLAMetrics - 1]slaCounts)
	for i := range c {
		c[i].over = Durations{cfg: s.cfg.stats}
	}
	return c
}

// NewSLA returns an empty accumulator for the policy, or an error wrapping
// [ErrInvalid] for an invalid policy.
func NewSLA(p SLAPolicy) (*SLA, error) {
	cfg, err := newSLAConfig(&p)
	if err != nil {
		return nil, err
	}
	return &SLA{cfg: cfg}, nil
}

// Verdicts returns the verdicts of the policy's targets on c, one per SLA
// metric that has a target for c and whose clock started, in metric order,
// without adding c: the drill-down behind the counts. Events out of order
// give an [*InputError].
func (s *SLA) Verdicts(c Conversation) ([]SLAVerdict, error) {
	info := c.Info()
	ev := readEvents(c, &s.buf)
	if err := checkEvents(info.ID, ev); err != nil {
		return nil, err
	}
	vs, err := s.cfg.verdicts(&s.scan, &info, ev, nil)
	return vs, err
}

// AddConversation adds the verdicts on c. Invalid events give an
// [*InputError]; nothing is added then.
func (s *SLA) AddConversation(c Conversation) error {
	info := c.Info()
	ev := readEvents(c, &s.buf)
	if err := checkEvents(info.ID, ev); err != nil {
		return err
	}
	vs, err := s.cfg.verdicts(&s.scan, &info, ev, s.verdicts)
	s.verdicts = vs
	if err != nil {
		return err
	}
	s.record(vs)
	return nil
}

// record adds measured verdicts.
func (s *SLA) record(vs []SLAVerdict) {
	if len(vs) == 0 {
		return
	}
	if s.counts == nil {
		s.counts = s.newCounts()
	}
	for i := range vs {
		v := &vs[i]
		c := &s.counts[v.Target.Metric-1]
		switch v.Status {
		case SLAMet:
			c.met++
		case SLABreached:
			c.breached++
			_ = c.over.Add(v.Over()) // positive
		case SLARunning:
			c.running++
		}
	}
}

// Merge adds o's conversations; a different policy (targets, calendar
// pointer, AsOf, statistics settings) gives [ErrIncompatible].
func (s *SLA) Merge(o *SLA) error {
	if !s.cfg.sameSettings(&o.cfg) {
		return ErrIncompatible
	}
	if o.counts == nil {
		return nil
	}
	if s.counts == nil {
		s.counts = s.newCounts()
	}
	for i := range s.counts {
		if err := s.counts[i].over.Merge(&o.counts[i].over); err != nil {
			return err
		}
	}
	for i := range s.counts {
		a, b := &s.counts[i], &o.counts[i]
		a.met += b.met
		a.breached += b.breached
		a.running += b.running
	}
	return nil
}

// SLAResult is the result of an [SLA].
type SLAResult struct {
	// Metrics has one entry per SLA metric with a verdict, in the order of
	// the constants.
	Metrics []SLAMetricResult
}

// SLAMetricResult is the verdicts of one SLA metric.
type SLAMetricResult struct {
	Metric SLAMetric
	// Met, Breached and Running count conversations (see [SLAStatus]).
	Met, Breached, Running int64
	// Attainment is Met out of Met + Breached (the decided clocks); its
	// [Proportion.Wilson] with [Z95] is the 95 % interval.
	Attainment Proportion
	// OverTarget is the time over target of the breaches (Count =
	// Breached); empty without breaches.
	OverTarget DurationStats
}

// Result returns the verdicts per metric, or [ErrNoData] when no clock
// started.
func (s *SLA) Result() (SLAResult, error) {
	var r SLAResult
	if s.counts == nil {
		return r, ErrNoData
	}
	for m := FirstReplySLA; m < numSLAMetrics; m++ {
		c := &s.counts[m-1]
		if c.met+c.breached+c.running == 0 {
			continue
		}
		mr := SLAMetricResult{Metric: m, Met: c.met, Breached: c.breached, Running: c.running,
			Attainment: Proportion{Successes: c.met, Trials: c.met + c.breached}}
		mr.OverTarget, _ = c.over.Result()
		r.Metrics = append(r.Metrics, mr)
	}
	if len(r.Metrics) == 0 {
		return r, ErrNoData
	}
	return r, nil
}

// MarshalBinary encodes the policy (not its calendar) and the state.
func (s *SLA) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagSLA, 64)
	e.uvarint(uint64(len(s.cfg.targets)))
	for _, t := range s.cfg.targets {
		e.byte1(byte(t.Metric))
		e.string(t.Priority)
		e.string(t.Channel)
		e.varint(int64(t.Target))
		e.bool(t.BusinessHours)
	}
	asOf := int64(0)
	if !s.cfg.asOf.IsZero() {
		asOf, _ = unixNanos(s.cfg.asOf)
	}
	e.bool(!s.cfg.asOf.IsZero())
	e.varint(asOf)
	counts := s.counts
	if counts == nil {
		counts = s.newCounts()
	}
	for m := FirstReplySLA; m < numSLAMetrics; m++ {
		c := &counts[m-1]
		e.uvarint(uint64(c.met))
		e.uvarint(uint64(c.breached))
		e.uvarint(uint64(c.running))
		encodeStats(e, &c.over)
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces s's state and policy with the encoded ones,
// keeping s's calendar (required when a target is in business hours).
// Corrupt input gives an error wrapping [ErrInvalid]; s is then unchanged.
func (s *SLA) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagSLA, "sla")
	n := d.length(5)
	var p SLAPolicy
	if d.err == nil && n > MaxSLAPolicyTargets {
		d.fail("%d targets, more than %d", n, MaxSLAPolicyTargets)
	}
	for i := 0; i < n && d.err == nil; i++ {
		p.Targets[i] = SLATarget{Metric: SLAMetric(d.byte1()), Priority: d.string(), Channel: d.string(),
			Target: time.Duration(d.varint()), BusinessHours: d.bool()}
	}
	if d.bool() {
		p.AsOf = time.Unix(0, d.varint()).UTC()
	} else if d.varint() != 0 {
		d.fail("an instant without as-of")
	}
	var t SLA
	counts := new([numSLAMetrics - 1]slaCounts)
	used := false
	for m := FirstReplySLA; m < numSLAMetrics; m++ {
		c := &counts[m-1]
		c.met, c.breached, c.running = d.count(), d.count(), d.count()
		decodeStats(d, &c.over)
		if d.err == nil && c.over.n != c.breached {
			d.fail("%s: %d times over target for %d breaches", m, c.over.n, c.breached)
		}
		used = used || c.met+c.breached+c.running > 0
	}
	if err := d.finish(); err != nil {
		return err
	}
	p.BusinessHours = s.cfg.business
	stats := counts[0].over.cfg
	for i := range counts {
		if !counts[i].over.cfg.sameState(&stats) {
			return invalidf("sla", "the statistics of the SLA metrics have different settings")
		}
	}
	cfg, err := newSLAConfig(&p)
	if err != nil {
		return err
	}
	cfg.stats = stats
	t.cfg = cfg
	if used {
		t.counts = counts
	}
	*s = t
	return nil
}
