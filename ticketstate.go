package chatkpi

import "time"

// The ticket states of a conversation, written once here for the wait
// times ([WaitTimes]), the touches ([Touches]) and the SLA targets that
// measure time by state.
//
// A conversation is in exactly one state at every instant from its start
// (Info.Start, else its first event) on, as help desks define it (Zendesk,
// "About ticket statuses" and "About native system ticket rules",
// support.zendesk.com/hc/en-us/articles/4408832151834 and 4408894213018;
// Freshdesk, "Understanding ticket statuses",
// support.freshdesk.com/en/support/solutions/articles/37600):
//
//   - new from its start until someone on the team acts: a human agent's
//     public reply, a [Joined] (an agent joins or is assigned), or a state
//     event ([Pending], [OnHold], [Opened]);
//   - open: the team has it and the customer waits for it;
//   - pending after a [Pending] event: it waits on the customer;
//   - on hold after an [OnHold] event: it waits on a third party (the
//     customer still waits, for the team's partner);
//   - resolved after a [Resolved] event, until a [Reopened].
//
// What ends a state, event by event, in event order (events at one instant
// apply in their order, so a state may last 0 s):
//
//   - [Resolved] resolves, from any state; [Reopened] opens (from any
//     state: a Reopened of a conversation that is not resolved ends its
//     pending or on-hold state);
//   - [Pending], [OnHold] and [Opened] set their state (Opened: open) from
//     new, open, pending or on hold; on a resolved conversation they change
//     nothing: only a Reopened reopens it, as for [ResolutionTime] and
//     [Outcomes], so that every metric agrees on when a conversation is
//     resolved (a converter from a help desk whose agents set a solved
//     ticket back to pending writes a Reopened before the Pending);
//   - a customer message ends pending and on hold (open again), as every
//     help desk does: Zendesk's fixed rule is that an end user's comment on
//     a pending, on-hold or solved ticket sets it open, Freshdesk's that a
//     customer reply moves any ticket back to open. On a resolved
//     conversation it changes nothing: a customer who writes after the
//     resolution is a reopen only when a Reopened says so (Zendesk reopens
//     solved tickets on such a comment; its converter writes the Reopened);
//   - a human agent's public reply ends pending (open again): a help desk
//     records the status an agent submits a reply with, an event file a
//     reply without one, so a reply counts as taking the conversation back
//     (BusinessOnBot's "reopen tickets on new replies" does the same) and an
//     agent who submits a reply as pending records a [Pending] after it. It
//     does not end on hold: the team is still waiting on the third party,
//     whatever it tells the customer meanwhile;
//   - bot replies, system messages, private notes and every other event
//     change nothing (beyond new → open for a join).
//
// The state after the last event lasts for ever: a conversation still open
// at the end of the data is open at every later instant.
type ticketState uint8

// The states; the zero value is "before the conversation's start".
const (
	stateNew ticketState = iota + 1
	stateOpen
	statePending
	stateOnHold
	stateResolved
)

// String returns "new", "open", "pending", "on_hold" or "resolved".
func (s ticketState) String() string {
	switch s {
	case stateNew:
		return "new"
	case stateOpen:
		return "open"
	case statePending:
		return "pending"
	case stateOnHold:
		return "on_hold"
	case stateResolved:
		return "resolved"
	}
	return "none"
}

// stateSet is a set of ticket states, bit 1<<state.
type stateSet uint8

func (s stateSet) has(t ticketState) bool { return s&(1<<t) != 0 }

// The sets of states that the wait times add up (Zendesk's "ticket
// metrics": requester wait = new + open + on hold, agent wait = pending,
// on-hold time = on hold).
const (
	requesterWaitStates stateSet = 1<<stateNew | 1<<stateOpen | 1<<stateOnHold
	agentWaitStates     stateSet = 1 << statePending
	onHoldStates        stateSet = 1 << stateOnHold
)

// nextState returns the state after event e of a conversation in state s.
func nextState(s ticketState, e *Event) ticketState {
	switch {
	case e.Type == Resolved:
		return stateResolved
	case e.Type == Reopened:
		return stateOpen
	case s == stateResolved:
		return s
	case e.Type == Pending:
		return statePending
	case e.Type == OnHold:
		return stateOnHold
	case e.Type == Opened:
		return stateOpen
	case e.Type == Joined:
		if s == stateNew {
			return stateOpen
		}
	case e.IsCustomerMessage():
		if s == statePending || s == stateOnHold {
			return stateOpen
		}
	case e.isHumanReply():
		if s == stateNew || s == statePending {
			return stateOpen
		}
	}
	return s
}

// ticketSpan is a stretch of one state: from its instant until the next
// span's (the last span lasts for ever).
type ticketSpan struct {
	from  time.Time
	state ticketState
}

// ticketTimeline is the states of one conversation over time, built once
// per conversation by [ticketTimeline.build] and then queried; its slice is
// reused by the next build, so a calculator keeps one timeline and builds
// it for every conversation without allocating.
type ticketTimeline struct {
	spans []ticketSpan // in time order; spans[0] begins at the start; consecutive spans differ in state
	// firstResolved and lastResolved are the indices of the first and the
	// last Resolved event, −1 for none; resolvedAtEnd says the conversation
	// is resolved after its last event.
	firstResolved, lastResolved int
	resolvedAtEnd               bool
	// everPending and everOnHold say a Pending or an OnHold event took
	// effect at some point.
	everPending, everOnHold bool
}

// build replaces tl with the states of a conversation whose events passed
// checkEvents. It returns an [*InputError] for a first event before
// Info.Start; a conversation without events and
// without a start has no spans.
func (tl *ticketTimeline) build(info *Info, ev []Event) error {
	*tl = ticketTimeline{spans: tl.spans[:0], firstResolved: -1, lastResolved: -1}
	start := info.Start
	switch {
	case start.IsZero() && len(ev) == 0:
		return nil
	case start.IsZero():
		start = ev[0].Time
	case len(ev) > 0 && ev[0].Time.Before(start):
		return eventErrorf(info.ID, 0, "time", "%s is before the conversation's start %s",
			ev[0].Time.Format(time.RFC3339Nano), start.Format(time.RFC3339Nano))
	}
	s := stateNew
	tl.spans = append(tl.spans, ticketSpan{from: start, state: s})
	for i := range ev {
		e := &ev[i]
		next := nextState(s, e)
		if e.Type == Resolved {
			if tl.firstResolved < 0 {
				tl.firstResolved = i
			}
			tl.lastResolved = i
		}
		if next == s {
			continue
		}
		tl.everPending = tl.everPending || next == statePending
		tl.everOnHold = tl.everOnHold || next == stateOnHold
		s = next
		if last := &tl.spans[len(tl.spans)-1]; last.from.Equal(e.Time) {
			// A state of 0 s: the event at the same instant replaces it,
			// merging with the span before when that has the new state.
			if n := len(tl.spans); n > 1 && tl.spans[n-2].state == s {
				tl.spans = tl.spans[:n-1]
			} else {
				last.state = s
			}
			continue
		}
		tl.spans = append(tl.spans, ticketSpan{from: e.Time, state: s})
	}
	tl.resolvedAtEnd = s == stateResolved
	return nil
}

// stateAt returns the state at instant t: after every event at t, 0 before
// the start (or with no spans).
func (tl *ticketTimeline) stateAt(t time.Time) ticketState {
	var s ticketState
	for i := range tl.spans {
		if tl.spans[i].from.After(t) {
			break
		}
		s = tl.spans[i].state
	}
	return s
}

// timeIn returns the time in [t0, t1) that the conversation spent in the
// states of set, measured with m (nil: calendar time; a *BusinessHours:
// its open time). Time before the start is in no state. Consecutive spans
// in the set are measured as one stretch. t1 before t0 is an error wrapping
// [ErrInvalid], as is an error of m (a calendar that is never open).
func (tl *ticketTimeline) timeIn(set stateSet, t0, t1 time.Time, m timeMeasure) (time.Duration, error) {
	if m == nil {
		m = calendarTime{}
	}
	if t1.Before(t0) {
		return m.Elapsed(t0, t1) // the measure's own error
	}
	var total time.Duration
	var runFrom time.Time
	inRun := false
	flush := func(to time.Time) error {
		if !inRun {
			return nil
		}
		inRun = false
		if !to.After(runFrom) {
			return nil
		}
		d, err := m.Elapsed(runFrom, to)
		total += d
		return err
	}
	for i := range tl.spans {
		sp := &tl.spans[i]
		if !sp.from.Before(t1) {
			break
		}
		from := sp.from
		if from.Before(t0) {
			from = t0
		}
		if set.has(sp.state) {
			if !inRun {
				runFrom, inRun = from, true
			}
			continue
		}
		if err := flush(from); err != nil {
			return 0, err
		}
	}
	if err := flush(t1); err != nil {
		return 0, err
	}
	return total, nil
}

// requesterWait returns the requester wait time in [t0, t1): the time new,
// open or on hold, in the calendar of m (see timeIn). It is the clock of an
// SLA's requester-wait target.
func (tl *ticketTimeline) requesterWait(t0, t1 time.Time, m timeMeasure) (time.Duration, error) {
	return tl.timeIn(requesterWaitStates, t0, t1, m)
}

// resolutions returns the instants of the first and the last Resolved
// event of the events ev the timeline was built from, and false when there
// is none.
func (tl *ticketTimeline) resolutions(ev []Event) (first, last time.Time, ok bool) {
	if tl.firstResolved < 0 {
		return first, last, false
	}
	return ev[tl.firstResolved].Time, ev[tl.lastResolved].Time, true
}
