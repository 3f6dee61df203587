package chatkpi

import "time"

// ResolutionTimeSettings is how a [ResolutionTime] measures, as a plain
// comparable value. The zero value is the default: calendar time, exact
// statistics (the same settings for the first and the full resolution).
type ResolutionTimeSettings struct {
	// BusinessHours measures every duration in the open time of the
	// calendar. Default (nil): calendar time. It is not part of
	// MarshalBinary, and Merge requires the same calendar (pointer).
	BusinessHours *BusinessHours
	// Durations sets the statistics. Default: see [DurationsSettings].
	Durations DurationsSettings
}

type resolutionConfig struct {
	timingConfig
}

// ResolutionTime accumulates resolution times, from the conversation start
// (Info.Start, or the first event when Start is zero):
//
//   - first resolution: to the first [Resolved] event;
//   - full resolution: to the last [Resolved] event, for conversations that
//     end resolved; a conversation reopened after its last resolution is
//     still open and is counted in ReopenedOpen instead.
//
// Every [Reopened] event counts as a reopen; a resolve–reopen cycle is a
// Reopened that follows a Resolved (a Reopened without a resolution before
// it counts as a reopen but not a cycle). Conversations never resolved are
// counted in Unresolved, never as 0.
//
// The zero value is ready to use (calendar time, exact statistics). It is
// not safe for concurrent use.
type ResolutionTime struct {
	cfg                            resolutionConfig
	first, full                    Durations
	unresolved, reopenedOpen       int64
	reopens, cycles, reopenedConvs int64
	buf                            []Event
}

// NewResolutionTime returns an empty accumulator with the settings, or an
// error wrapping [ErrInvalid] for invalid settings.
func NewResolutionTime(s ResolutionTimeSettings) (*ResolutionTime, error) {
	t, err := newTiming(s.BusinessHours, &s.Durations)
	if err != nil {
		return nil, err
	}
	stats := Durations{cfg: t.stats}
	return &ResolutionTime{cfg: resolutionConfig{timingConfig: t}, first: stats, full: stats}, nil
}

// AddConversation adds c. Events out of order give an [*InputError];
// nothing is added then.
func (r *ResolutionTime) AddConversation(c Conversation) error {
	info := c.Info()
	ev := readEvents(c, &r.buf)
	if err := checkEvents(info.ID, ev); err != nil {
		return err
	}
	m, err := r.cfg.measureChecked(&info, ev)
	if err != nil {
		return err
	}
	r.record(&m)
	return nil
}

// resolutionMeasure is what one conversation adds to a [ResolutionTime].
type resolutionMeasure struct {
	resolved        bool          // resolved at least once
	open            bool          // reopened after its last resolution
	first, full     time.Duration // to the first and the last resolution (full: when not open)
	firstAt         int           // index of the first Resolved event, −1 for none
	reopens, cycles int64
}

// measureChecked measures a conversation whose events passed checkEvents.
func (cfg *resolutionConfig) measureChecked(info *Info, ev []Event) (resolutionMeasure, error) {
	var m resolutionMeasure
	first, last := -1, -1
	for i := range ev {
		e := &ev[i]
		switch e.Type {
		case Resolved:
			if first < 0 {
				first = i
			}
			last, m.open = i, false
		case Reopened:
			m.reopens++
			if last >= 0 && !m.open {
				m.cycles++
			}
			m.open = true
		}
	}
	m.firstAt = first
	if first < 0 {
		m.open = false
		return m, nil
	}
	m.resolved = true
	from := info.Start
	if from.IsZero() {
		from = ev[0].Time
	}
	var err error
	if m.first, err = cfg.elapsed(from, ev[first].Time); err != nil {
		return m, measureErr(info.ID, first, err)
	}
	if !m.open {
		if m.full, err = cfg.elapsed(from, ev[last].Time); err != nil {
			return m, measureErr(info.ID, last, err)
		}
	}
	if m.first < 0 || m.full < 0 {
		return m, &InputError{Conversation: info.ID, Event: -1, Field: "duration", Reason: "time measure returned a negative duration"}
	}
	return m, nil
}

// record adds a measured conversation.
func (r *ResolutionTime) record(m *resolutionMeasure) {
	r.recordResolution(m)
	r.reopens += m.reopens
	r.cycles += m.cycles
}

// recordResolution adds the resolution of a measured conversation —
// whether and when it was first and last resolved, whether it was
// reopened — without its counts of Reopened events and cycles, which a
// grouped [Report] credits where each reopen happened (addReopen).
func (r *ResolutionTime) recordResolution(m *resolutionMeasure) {
	if !m.resolved {
		r.unresolved++
		return
	}
	_ = r.first.Add(m.first) // cannot fail: non-negative
	if m.open {
		r.reopenedOpen++
	} else {
		_ = r.full.Add(m.full)
	}
	if m.reopens > 0 {
		r.reopenedConvs++
	}
}

// addReopen counts one Reopened event, a resolve–reopen cycle when cycle.
func (r *ResolutionTime) addReopen(cycle bool) {
	r.reopens++
	if cycle {
		r.cycles++
	}
}

// Merge adds o's conversations; different settings give [ErrIncompatible].
func (r *ResolutionTime) Merge(o *ResolutionTime) error {
	if !r.cfg.compatible(&o.cfg.timingConfig) || !r.full.cfg.sameState(&o.full.cfg) {
		return ErrIncompatible
	}
	if err := r.first.Merge(&o.first); err != nil {
		return err
	}
	if err := r.full.Merge(&o.full); err != nil {
		return err
	}
	r.unresolved += o.unresolved
	r.reopenedOpen += o.reopenedOpen
	r.reopens += o.reopens
	r.cycles += o.cycles
	r.reopenedConvs += o.reopenedConvs
	return nil
}

// ResolutionTimeResult is the result of a [ResolutionTime].
type ResolutionTimeResult struct {
	First    DurationStats // start → first resolution, over Resolved conversations
	Full     DurationStats // start → last resolution, over conversations that end resolved
	Resolved int64         // conversations resolved at least once
	// Unresolved conversations were never resolved (excluded from both).
	Unresolved int64
	// ReopenedOpen conversations were reopened after their last resolution
	// (in First, not in Full).
	ReopenedOpen int64
	Reopens      int64 // Reopened events
	Cycles       int64 // resolve–reopen cycles
	// Reopened is the number of resolved conversations with a reopen.
	Reopened int64
}

// ReopenRate returns the share of resolved conversations that were
// reopened.
func (r *ResolutionTimeResult) ReopenRate() Proportion {
	return Proportion{Successes: r.Reopened, Trials: r.Resolved}
}

// Result returns the statistics; with no resolved conversation it returns
// [ErrNoData] together with the counts. Full may be empty (all reopened)
// while First is not: then its Count is 0.
func (r *ResolutionTime) Result() (ResolutionTimeResult, error) {
	res := ResolutionTimeResult{Resolved: r.first.size(), Unresolved: r.unresolved, ReopenedOpen: r.reopenedOpen,
		Reopens: r.reopens, Cycles: r.cycles, Reopened: r.reopenedConvs}
	var err error
	if res.First, err = r.first.Result(); err != nil {
		return res, err
	}
	res.Full, _ = r.full.Result()
	return res, nil
}

// MarshalBinary encodes the state (the time measure is not encoded).
func (r *ResolutionTime) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagResolutionTime, 64)
	for _, c := range []int64{r.unresolved, r.reopenedOpen, r.reopens, r.cycles, r.reopenedConvs} {
		e.uvarint(uint64(c))
	}
	encodeStats(e, &r.first)
	encodeStats(e, &r.full)
	return e.finish(), nil
}

// UnmarshalBinary replaces r's state and settings, keeping its business hours.
func (r *ResolutionTime) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagResolutionTime, "resolution time")
	var t ResolutionTime
	t.cfg.measure = r.cfg.measure
	t.unresolved, t.reopenedOpen, t.reopens, t.cycles, t.reopenedConvs = d.count(), d.count(), d.count(), d.count(), d.count()
	decodeStats(d, &t.first)
	decodeStats(d, &t.full)
	if err := d.finish(); err != nil {
		return err
	}
	if !t.first.cfg.sameState(&t.full.cfg) || t.full.n+t.reopenedOpen != t.first.n ||
		t.cycles > t.reopens || t.reopenedConvs > t.first.n {
		return invalidf("resolution time", "first and full statistics or the reopen counts disagree")
	}
	t.cfg.stats = t.first.cfg
	*r = t
	return nil
}
