package chatkpi

import "time"

// QueueWaitSettings is how a [QueueWait] measures, as a plain comparable
// value. The zero value is the default: calendar time, exact statistics.
type QueueWaitSettings struct {
	// BusinessHours measures every duration in the open time of the
	// calendar. Default (nil): calendar time. It is not part of
	// MarshalBinary, and Merge requires the same calendar (pointer).
	BusinessHours *BusinessHours
	// Durations sets the statistics. Default: see [DurationsSettings].
	Durations DurationsSettings
}

type queueConfig struct {
	timingConfig
}

// QueueWait accumulates how long customers wait for a human agent and how
// many give up.
//
// A conversation waits for an agent from its first [Queued] event; if it is
// never queued, from its first bot→human [Handoff]; if it has neither, from
// its first customer message, unless a bot replied before any human agent
// took part (joined, was assigned or wrote); then the bot served it and it
// never waited for an agent; it is counted in NotWaiting, like
// conversations without a customer message.
//
// The wait ends at the first [Joined] event (an agent joining, or the
// platform assigning one: any Role) or public agent reply after it started,
// if that comes before the customer [Left] (any Role: the customer's own
// event or the platform recording it). A customer who leaves first has no
// wait — a later join or reply serves nobody, and contact centres keep
// abandoned contacts out of the speed of answer — and is counted in
// Unserved.
//
// Abandoned: the conversation waited and the customer left, or the
// conversation ended, before any public agent reply. A conversation where
// an agent joined but the customer left before the agent wrote has a wait
// and is also abandoned. Abandonment rate = abandoned ÷ conversations that
// waited.
//
// The zero value is ready to use (calendar time, exact statistics). It is
// not safe for concurrent use.
type QueueWait struct {
	cfg                           queueConfig
	stats                         Durations
	waited, abandoned, notWaiting int64
	unserved                      int64 // waited, no agent joined or replied
	buf                           []Event
}

// NewQueueWait returns an empty accumulator with the settings, or an error
// wrapping [ErrInvalid] for invalid settings.
func NewQueueWait(s QueueWaitSettings) (*QueueWait, error) {
	t, err := newTiming(s.BusinessHours, &s.Durations)
	if err != nil {
		return nil, err
	}
	return &QueueWait{cfg: queueConfig{timingConfig: t}, stats: Durations{cfg: t.stats}}, nil
}

// AddConversation adds c. Events out of order give an [*InputError];
// nothing is added then.
func (q *QueueWait) AddConversation(c Conversation) error {
	info := c.Info()
	ev := readEvents(c, &q.buf)
	if err := checkEvents(info.ID, ev); err != nil {
		return err
	}
	m, err := q.cfg.measureChecked(&info, ev)
	if err != nil {
		return err
	}
	q.record(&m)
	return nil
}

// queueMeasure is what one conversation adds to a [QueueWait].
type queueMeasure struct {
	waited  bool          // the conversation waited for an agent
	served  bool          // an agent joined or replied: wait is measured
	replied bool          // an agent replied before the customer left
	wait    time.Duration // to the first agent join or reply
}

// measureChecked measures a conversation whose events passed checkEvents.
func (cfg *queueConfig) measureChecked(info *Info, ev []Event) (queueMeasure, error) {
	var m queueMeasure
	queued, handoff, customer, end := -1, -1, -1, -1
	botFirst, agentSeen := false, false
	for i := range ev {
		e := &ev[i]
		switch {
		case e.Type == Queued && queued < 0:
			queued = i
		case e.Type == Handoff && handoff < 0:
			handoff = i
		case e.IsCustomerMessage() && customer < 0:
			customer = i
		case e.Type == Joined || e.Role == Agent && e.Type == Message:
			agentSeen = true
		case e.Role == Bot && e.IsReply() && !agentSeen:
			botFirst = true
		}
	}
	start := queued
	switch {
	case start >= 0:
	case handoff >= 0:
		start = handoff
	case customer >= 0 && !botFirst:
		start = customer
	default:
		return m, nil // not waiting
	}
	m.waited = true
	replied := false
	for i := start + 1; i < len(ev); i++ {
		e := &ev[i]
		if e.Type == Left {
			break // the customer left before any agent reply: abandoned
		}
		if end < 0 && e.agentServes() {
			end = i
		}
		if e.isHumanReply() {
			replied = true
			break
		}
	}
	m.replied = replied
	if end >= 0 {
		d, err := cfg.elapsed(ev[start].Time, ev[end].Time)
		if err != nil {
			return m, measureErr(info.ID, end, err)
		}
		if d < 0 {
			return m, &InputError{Conversation: info.ID, Event: end, Field: "duration", Reason: "time measure returned a negative duration"}
		}
		m.served, m.wait = true, d
	}
	return m, nil
}

// record adds a measured conversation.
func (q *QueueWait) record(m *queueMeasure) {
	if !m.waited {
		q.notWaiting++
		return
	}
	if m.served {
		_ = q.stats.Add(m.wait) // cannot fail: non-negative
	} else {
		q.unserved++
	}
	q.waited++
	if !m.replied {
		q.abandoned++
	}
}

// Merge adds o's conversations; different settings give [ErrIncompatible].
func (q *QueueWait) Merge(o *QueueWait) error {
	if !q.cfg.compatible(&o.cfg.timingConfig) {
		return ErrIncompatible
	}
	if err := q.stats.Merge(&o.stats); err != nil {
		return err
	}
	q.waited += o.waited
	q.abandoned += o.abandoned
	q.notWaiting += o.notWaiting
	q.unserved += o.unserved
	return nil
}

// QueueWaitResult is the result of a [QueueWait].
type QueueWaitResult struct {
	Stats      DurationStats // waits that ended with an agent joining or replying
	Waited     int64         // conversations that waited for an agent
	Abandoned  int64         // of those, no agent reply before the customer left or it ended
	Unserved   int64         // of those, no agent joined or replied before the customer left (no wait recorded)
	NotWaiting int64         // bot-served or without a customer message (excluded)
}

// AbandonmentRate returns abandoned ÷ conversations that waited.
func (r *QueueWaitResult) AbandonmentRate() Proportion {
	return Proportion{Successes: r.Abandoned, Trials: r.Waited}
}

// Result returns the statistics and counts; with no recorded wait it
// returns [ErrNoData] together with the counts.
func (q *QueueWait) Result() (QueueWaitResult, error) {
	res := QueueWaitResult{Waited: q.waited, Abandoned: q.abandoned, Unserved: q.unserved, NotWaiting: q.notWaiting}
	var err error
	res.Stats, err = q.stats.Result()
	return res, err
}

// MarshalBinary encodes the state (the time measure is not encoded).
func (q *QueueWait) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagQueueWait, 64)
	for _, c := range []int64{q.waited, q.abandoned, q.notWaiting, q.unserved} {
		e.uvarint(uint64(c))
	}
	encodeStats(e, &q.stats)
	return e.finish(), nil
}

// UnmarshalBinary replaces q's state and settings, keeping its business hours.
func (q *QueueWait) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagQueueWait, "queue wait")
	var t QueueWait
	t.cfg.measure = q.cfg.measure
	t.waited, t.abandoned, t.notWaiting, t.unserved = d.count(), d.count(), d.count(), d.count()
	decodeStats(d, &t.stats)
	if err := d.finish(); err != nil {
		return err
	}
	if t.abandoned > t.waited || t.unserved > t.abandoned || t.stats.n+t.unserved != t.waited {
		return invalidf("queue wait", "counts disagree: %d waited, %d abandoned, %d unserved, %d waits",
			t.waited, t.abandoned, t.unserved, t.stats.n)
	}
	t.cfg.stats = t.stats.cfg
	*q = t
	return nil
}
