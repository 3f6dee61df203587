package chatkpi

import "time"

// ResponseTimeSettings is how a [ResponseTime] measures, as a plain
// comparable value. The zero value is the default: agent and bot replies
// answer a turn, calendar time, exact statistics.
type ResponseTimeSettings struct {
	// HumanOnly lets only public replies by human agents answer a turn;
	// bot replies and fallbacks are ignored. Default false: agents and
	// bots both answer.
	HumanOnly bool
	// BusinessHours measures every duration in the open time of the
	// calendar. Default (nil): calendar time. It is not part of
	// MarshalBinary, and Merge requires the same calendar (pointer).
	BusinessHours *BusinessHours
	// Durations sets the statistics. Default: see [DurationsSettings].
	Durations DurationsSettings
}

type responseConfig struct {
	timingConfig
	humanOnly bool
}

// ResponseTime accumulates the response time of every customer turn (the
// average reply time): a run is a sequence of consecutive customer
// messages, and its response time goes from the first message of the run to
// the next public reply by an agent or a bot ([Event.IsReply]; with HumanOnly only agents'; system,
// automatic and private messages are not replies). A customer message after
// a [Resolved] starts a new run even if the previous one was not answered;
// runs that are never answered are counted in Unanswered, not in the
// statistics. Outbound conversations are measured too: every customer turn
// deserves a reply.
//
// The zero value is ready to use (calendar time, exact statistics). It is
// not safe for concurrent use.
type ResponseTime struct {
	cfg        responseConfig
	stats      Durations
	unanswered int64
	buf        []Event
	pending    []replyRun
}

// NewResponseTime returns an empty accumulator with the settings, or an
// error wrapping [ErrInvalid] for invalid settings.
func NewResponseTime(s ResponseTimeSettings) (*ResponseTime, error) {
	t, err := newTiming(s.BusinessHours, &s.Durations)
	if err != nil {
		return nil, err
	}
	return &ResponseTime{cfg: responseConfig{timingConfig: t, humanOnly: s.HumanOnly}, stats: Durations{cfg: t.stats}}, nil
}

// AddConversation adds the runs of c. Events out of order give an
// [*InputError]; nothing is added then.
func (r *ResponseTime) AddConversation(c Conversation) error {
	info := c.Info()
	ev := readEvents(c, &r.buf)
	if err := checkEvents(info.ID, ev); err != nil {
		return err
	}
	by := r.cfg.replier()
	var runs [3][]replyRun
	var unanswered [3]int64
	runs[by] = r.pending[:0]
	err := r.cfg.measureRuns(&info, ev, 1<<by, &runs, &unanswered)
	r.pending = runs[by]
	if err != nil {
		return err
	}
	r.record(runs[by], unanswered[by])
	return nil
}

// replier is the class of replies that answer a run.
func (cfg *responseConfig) replier() replier {
	if cfg.humanOnly {
		return humanReplier
	}
	return anyReplier
}

// record adds the measured runs of a conversation.
func (r *ResponseTime) record(runs []replyRun, unanswered int64) {
	for _, run := range runs {
		_ = r.stats.Add(run.d) // cannot fail: measureRuns checks d ≥ 0
	}
	r.unanswered += unanswered
}

// replyRun is one answered customer run: its response time and the index of
// the reply that answered it.
type replyRun struct {
	d     time.Duration
	reply int
}

// measureRuns measures, in one pass over the events of a conversation that
// passed checkEvents, the runs as each replier class c in the bit set want
// (1 << c) answers them: it appends the answered runs to runs[c] and counts
// the runs never answered in unanswered[c].
func (cfg *responseConfig) measureRuns(info *Info, ev []Event, want uint8, runs *[3][]replyRun, unanswered *[3]int64) error {
	var classes [3]replier
	n := 0
	for c := range classes {
		if want&(1<<c) != 0 {
			classes[n] = replier(c)
			n++
		}
	}
	// One tracker per wanted class: the first customer message of its open
	// run (−1 for none) and whether a resolution came after it.
	var open [3]int
	var resolved [3]bool
	var un [3]int64
	for k := range n {
		open[k] = -1
	}
	for i := range ev {
		e := &ev[i]
		switch {
		case e.Type == Resolved:
			resolved = [3]bool{true, true, true}
		case e.IsCustomerMessage():
			for k := range n {
				if open[k] >= 0 && resolved[k] {
					un[k]++
					open[k] = -1
				}
				if open[k] < 0 {
					open[k], resolved[k] = i, false
				}
			}
		case e.IsReply():
			by := botReplier
			if e.Role == Agent {
				by = humanReplier
			}
			from, d := -1, time.Duration(0) // the run this reply answered last, and its time
			for k := range n {
				c := classes[k]
				if open[k] < 0 || c != anyReplier && c != by {
					continue
				}
				if open[k] != from { // the classes often share the run: measure it once
					var err error
					if d, err = cfg.elapsed(ev[open[k]].Time, e.Time); err != nil {
						return measureErr(info.ID, i, err)
					}
					if d < 0 {
						return &InputError{Conversation: info.ID, Event: -1, Field: "duration", Reason: "time measure returned a negative duration"}
					}
					from = open[k]
				}
				runs[c] = append(runs[c], replyRun{d, i})
				open[k] = -1
			}
		}
	}
	for k := range n {
		if open[k] >= 0 {
			un[k]++
		}
		unanswered[classes[k]] += un[k]
	}
	return nil
}

// Merge adds o's runs; different settings give [ErrIncompatible].
func (r *ResponseTime) Merge(o *ResponseTime) error {
	if r.cfg.humanOnly != o.cfg.humanOnly || !r.cfg.compatible(&o.cfg.timingConfig) {
		return ErrIncompatible
	}
	if err := r.stats.Merge(&o.stats); err != nil {
		return err
	}
	r.unanswered += o.unanswered
	return nil
}

// ResponseTimeResult is the result of a [ResponseTime].
type ResponseTimeResult struct {
	Stats      DurationStats // over answered runs
	Answered   int64         // runs answered
	Unanswered int64         // runs never answered
}

// Result returns the statistics; with no answered run it returns
// [ErrNoData] together with the counts.
func (r *ResponseTime) Result() (ResponseTimeResult, error) {
	res := ResponseTimeResult{Answered: r.stats.size(), Unanswered: r.unanswered}
	var err error
	res.Stats, err = r.stats.Result()
	return res, err
}

// MarshalBinary encodes the settings (except the business hours) and state.
func (r *ResponseTime) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagResponseTime, 64)
	e.bool(r.cfg.humanOnly)
	e.uvarint(uint64(r.unanswered))
	encodeStats(e, &r.stats)
	return e.finish(), nil
}

// UnmarshalBinary replaces r's state and settings, keeping its business hours.
func (r *ResponseTime) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagResponseTime, "response time")
	var t ResponseTime
	t.cfg.measure = r.cfg.measure
	t.cfg.humanOnly = d.bool()
	t.unanswered = d.count()
	decodeStats(d, &t.stats)
	if err := d.finish(); err != nil {
		return err
	}
	t.cfg.stats = t.stats.cfg
	*r = t
	return nil
}
