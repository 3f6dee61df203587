package chatkpi

import (
	"errors"
	"time"
)

// tagWaitTimes is the wire tag of [WaitTimes].
const tagWaitTimes byte = 0x66

// WaitTimesSettings is how a [WaitTimes] measures, as a plain comparable
// value. The zero value is the default: calendar time, exact statistics
// (the same for the six statistics).
type WaitTimesSettings struct {
	// BusinessHours measures every wait in the open time of the calendar:
	// each stretch in a state counts only its open time. Default (nil):
	// calendar time. It is not part of MarshalBinary, and Merge requires the
	// same calendar (pointer).
	BusinessHours *BusinessHours
	// Durations sets the statistics. Default: see [DurationsSettings].
	Durations DurationsSettings
}

// The waits of a [WaitTimes], the rows of its statistics.
const (
	requesterWait = iota
	agentWait
	onHoldWait
	numWaits
)

// waitStates returns the states that wait k adds up.
func waitStates(k int) stateSet {
	switch k {
	case requesterWait:
		return requesterWaitStates
	case agentWait:
		return agentWaitStates
	}
	return onHoldStates
}

// WaitTimes accumulates the time conversations wait by ticket state, with
// Zendesk's definitions (its "ticket metrics": requester_wait_time,
// agent_wait_time and on_hold_time, developer.zendesk.com/api-reference/
// ticketing/tickets/ticket_metrics/, and "About native Support time
// duration metrics", support.zendesk.com/hc/en-us/articles/4408834848154):
//
//   - requester wait time: the time the conversation is new, open or on
//     hold — the customer waits on the team (or on its partner);
//   - agent wait time: the time it is pending — the team waits on the
//     customer;
//   - on-hold time: the time it is on hold — the team waits on a third
//     party (a part of the requester wait).
//
// The states, at every instant from the conversation's start: new until
// the team acts (a human agent's public reply, a [Joined], a state event);
// open; pending after a [Pending]; on hold after an [OnHold]; resolved
// after a [Resolved] until a [Reopened]. [Pending], [OnHold] and [Opened]
// set their state (on a resolved conversation they change nothing: only a
// Reopened reopens it, as for [ResolutionTime]); a customer message ends
// pending and on hold (Zendesk: "if an end user comments on a ticket with a
// status set to Pending, Solved, or On-hold, the ticket status is changed
// to Open", support.zendesk.com/hc/en-us/articles/4408894213018; Freshdesk
// likewise); a human agent's public reply ends pending but not on hold (an
// event file records a reply without the status a help desk submits it
// with, so a reply takes the conversation back, as BusinessOnBot's "reopen
// tickets on new replies" does; an agent who leaves it pending records a
// [Pending] after the reply). Events at one instant apply in their order.
// Each wait is measured from
// the conversation's start (Info.Start, else its first event) two ways:
// first, to its first [Resolved] event, and full, to its last one, for
// conversations that end resolved (one reopened after its last resolution
// has no full waits yet and is counted in ReopenedOpen, as for
// [ResolutionTime]); time resolved between a resolution and a reopen is in
// no wait. So per conversation, in calendar time, requester + agent wait =
// the first resolution time for the first waits. A conversation never
// resolved has no waits (Unresolved), never 0; one never pending has an
// agent wait of 0 s, which counts, as in Zendesk. In business time every
// stretch in a state counts its open time only ([WaitTimesSettings]), so a
// business wait never exceeds the calendar one.
//
// The zero value is ready to use (calendar time, exact statistics). It is
// not safe for concurrent use.
type WaitTimes struct {
	cfg timingConfig
	// stats holds the statistics by wait (first, full), all with the
	// settings cfg.stats; nil until the first resolved conversation, so
	// that the empty accumulator of every group of a report that does not
	// compute the wait times stays small.
	stats                    *[numWaits][2]Durations
	unresolved, reopenedOpen int64
	pending, onHold          int64 // conversations ever pending, ever on hold
	timeline                 ticketTimeline
	buf                      []Event
}

// NewWaitTimes returns an empty accumulator with the settings, or an error
// wrapping [ErrInvalid] for invalid settings.
func NewWaitTimes(s WaitTimesSettings) (*WaitTimes, error) {
	t, err := newTiming(s.BusinessHours, &s.Durations)
	if err != nil {
		return nil, err
	}
	return &WaitTimes{cfg: t}, nil
}

// statistics returns w's statistics, allocating them empty with w's
// settings the first time.
func (w *WaitTimes) statistics() *[numWaits][2]Durations {
	if w.stats == nil {
		w.stats = new([numWaits][2]Durations)
		for k := range w.stats {
			w.stats[k] = [2]Durations{{cfg: w.cfg.stats}, {cfg: w.cfg.stats}}
		}
	}
	return w.stats
}

// stat returns statistic j (0 first, 1 full) of wait k, an empty one with
// w's settings when none was allocated (not to be added to).
func (w *WaitTimes) stat(k, j int) *Durations {
	if w.stats == nil {
		return &Durations{cfg: w.cfg.stats}
	}
	return &w.stats[k][j]
}

// resolvedCount is the number of conversations resolved at least once.
func (w *WaitTimes) resolvedCount() int64 {
	if w.stats == nil {
		return 0
	}
	return w.stats[requesterWait][0].n
}

// AddConversation adds c. Invalid events, a first event before Info.Start
// or a business calendar that is never open give an [*InputError]; nothing
// is added then.
func (w *WaitTimes) AddConversation(c Conversation) error {
	info := c.Info()
	ev := readEvents(c, &w.buf)
	if info.ID == "" {
		return noConversationID()
	}
	if err := checkEvents(info.ID, ev); err != nil {
		return err
	}
	var m waitMeasure
	if err := w.cfg.measureWaits(&info, ev, &w.timeline, &m); err != nil {
		return err
	}
	w.record(&m)
	return nil
}

// waitMeasure is what one conversation adds to a [WaitTimes].
type waitMeasure struct {
	resolved, open      bool // resolved at least once; reopened after its last resolution
	first, full         [numWaits]time.Duration
	firstAt             int // index of the first Resolved event, −1 for none
	everPending, onHold bool
}

// measureWaits measures a conversation whose events passed checkEvents,
// building its states into tl.
func (cfg *timingConfig) measureWaits(info *Info, ev []Event, tl *ticketTimeline, m *waitMeasure) error {
	*m = waitMeasure{firstAt: -1}
	if err := tl.build(info, ev); err != nil {
		return err
	}
	m.everPending, m.onHold = tl.everPending, tl.everOnHold
	first, last, ok := tl.resolutions(ev)
	if !ok {
		return nil
	}
	m.resolved, m.open, m.firstAt = true, !tl.resolvedAtEnd, tl.firstResolved
	start := tl.spans[0].from
	for k := range numWaits {
		var err error
		if m.first[k], err = tl.timeIn(waitStates(k), start, first, cfg.measure); err != nil {
			return measureErr(info.ID, tl.firstResolved, err)
		}
		if !m.open {
			if m.full[k], err = tl.timeIn(waitStates(k), start, last, cfg.measure); err != nil {
				return measureErr(info.ID, tl.lastResolved, err)
			}
		}
		if m.first[k] < 0 || m.full[k] < 0 {
			return &InputError{Conversation: info.ID, Event: -1, Field: "duration", Reason: "time measure returned a negative duration"}
		}
	}
	return nil
}

// record adds a measured conversation.
func (w *WaitTimes) record(m *waitMeasure) {
	if m.everPending {
		w.pending++
	}
	if m.onHold {
		w.onHold++
	}
	if !m.resolved {
		w.unresolved++
		return
	}
	st := w.statistics()
	for k := range numWaits {
		_ = st[k][0].Add(m.first[k]) // cannot fail: non-negative
		if !m.open {
			_ = st[k][1].Add(m.full[k])
		}
	}
	if m.open {
		w.reopenedOpen++
	}
}

// Merge adds o's conversations; different settings or business hours give
// [ErrIncompatible].
func (w *WaitTimes) Merge(o *WaitTimes) error {
	if !w.cfg.compatible(&o.cfg) { // the measure and the statistics' settings
		return ErrIncompatible
	}
	var errs []error
	if o.stats != nil {
		st := w.statistics()
		for k := range numWaits {
			for j := range 2 {
				errs = append(errs, st[k][j].Merge(&o.stats[k][j]))
			}
		}
	}
	w.unresolved += o.unresolved
	w.reopenedOpen += o.reopenedOpen
	w.pending += o.pending
	w.onHold += o.onHold
	return errors.Join(errs...)
}

// WaitStats is one wait of a [WaitTimesResult], to the first and to the
// last resolution.
type WaitStats struct {
	First DurationStats // over conversations resolved at least once
	Full  DurationStats // over conversations that end resolved (Count 0 when none)
}

// WaitTimesResult is the result of a [WaitTimes].
type WaitTimesResult struct {
	Requester WaitStats // new + open + on hold
	Agent     WaitStats // pending
	OnHold    WaitStats // on hold
	// Resolved conversations are in every First; Unresolved ones (never
	// resolved) in none; ReopenedOpen ones (reopened after their last
	// resolution) in First, not in Full.
	Resolved, Unresolved, ReopenedOpen int64
	// Pending and OnHoldConversations count the conversations that were
	// pending, and on hold, at some point (resolved or not).
	Pending, OnHoldConversations int64
}

// Result returns the statistics; with no resolved conversation it returns
// [ErrNoData] together with the counts.
func (w *WaitTimes) Result() (WaitTimesResult, error) {
	r := WaitTimesResult{Resolved: w.resolvedCount(), Unresolved: w.unresolved,
		ReopenedOpen: w.reopenedOpen, Pending: w.pending, OnHoldConversations: w.onHold}
	out := [numWaits]*WaitStats{&r.Requester, &r.Agent, &r.OnHold}
	for k := range numWaits {
		var err error
		if out[k].First, err = w.stat(k, 0).Result(); err != nil {
			return r, err
		}
		out[k].Full, _ = w.stat(k, 1).Result()
	}
	return r, nil
}

// MarshalBinary encodes the state (the time measure is not encoded).
func (w *WaitTimes) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagWaitTimes, 64)
	for _, c := range [...]int64{w.unresolved, w.reopenedOpen, w.pending, w.onHold} {
		e.uvarint(uint64(c))
	}
	for k := range numWaits {
		encodeStats(e, w.stat(k, 0))
		encodeStats(e, w.stat(k, 1))
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces w's state and settings, keeping its business
// hours. Corrupt or inconsistent input gives an error wrapping
// [ErrInvalid]; w is unchanged then.
func (w *WaitTimes) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagWaitTimes, "wait times")
	var t WaitTimes
	t.cfg.measure = w.cfg.measure
	t.unresolved, t.reopenedOpen, t.pending, t.onHold = d.count(), d.count(), d.count(), d.count()
	t.stats = new([numWaits][2]Durations)
	for k := range numWaits {
		decodeStats(d, &t.stats[k][0])
		decodeStats(d, &t.stats[k][1])
	}
	if err := d.finish(); err != nil {
		return err
	}
	first, full := t.stats[0][0].n, t.stats[0][1].n
	for k := range numWaits {
		for j := range 2 {
			if !t.stats[k][j].cfg.sameState(&t.stats[0][0].cfg) {
				return invalidf("wait times", "the statistics have different settings")
			}
		}
		if t.stats[k][0].n != first || t.stats[k][1].n != full {
			return invalidf("wait times", "the waits count different conversations")
		}
	}
	if full > first || first-full != t.reopenedOpen {
		return invalidf("wait times", "%d first and %d full waits disagree with %d reopened conversations", first, full, t.reopenedOpen)
	}
	t.cfg.stats = t.stats[0][0].cfg
	if first == 0 {
		t.stats = nil // empty: allocated at the first resolution, as in a new accumulator
	}
	t.timeline.spans, t.buf = w.timeline.spans, w.buf
	*w = t
	return nil
}
