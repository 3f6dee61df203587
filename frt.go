package chatkpi

import (
	"fmt"
	"time"
)

// Tags of the timing calculators' encodings (this file and its siblings).
const (
	tagFirstResponseTime byte = 0x60 + iota
	tagResponseTime
	tagResolutionTime
	tagChatDuration
	tagQueueWait
)

// FRTStart is where the first-response clock starts.
type FRTStart uint8

// The clock starts.
const (
	// FromCustomerMessage starts at the first customer message (default).
	FromCustomerMessage FRTStart = iota
	// FromConversationStart starts at Info.Start, or the first event when
	// Start is zero.
	FromConversationStart
	// FromHandoff starts at the last bot→human [Handoff], for the human FRT
	// of escalated conversations (combine with [HumanReplies]).
	// Conversations without a handoff are excluded as [FRTNotEscalated].
	FromHandoff
)

// FRTStatus says whether a conversation has a first response time, and if
// not, why.
type FRTStatus uint8

// The statuses. Only Answered conversations enter the statistics;
// Unanswered ones are counted apart (never as 0); the others are excluded.
const (
	FRTAnswered     FRTStatus = iota + 1 // a reply stopped the clock
	FRTUnanswered                        // the customer wrote and nobody replied
	FRTOutbound                          // the business started it (see IncludeOutbound)
	FRTUnengaged                         // no customer message: nothing to respond to
	FRTNotEscalated                      // FromHandoff without a handoff
)

// String returns the status in lower case, e.g. "unanswered".
func (s FRTStatus) String() string {
	switch s {
	case FRTAnswered:
		return "answered"
	case FRTUnanswered:
		return "unanswered"
	case FRTOutbound:
		return "outbound"
	case FRTUnengaged:
		return "unengaged"
	case FRTNotEscalated:
		return "not escalated"
	}
	return fmt.Sprintf("FRTStatus(%d)", uint8(s))
}

// FirstResponseOption configures a [FirstResponseTime]. Every
// [TimingOption] is one.
type FirstResponseOption interface {
	applyFirstResponse(*frtConfig)
}

type frtConfig struct {
	timingConfig
	start           FRTStart
	humanOnly       bool
	includeOutbound bool
}

type frtOption func(*frtConfig)

func (f frtOption) applyFirstResponse(c *frtConfig) { f(c) }

// WithFRTStart sets where the clock starts. Default: [FromCustomerMessage].
func WithFRTStart(s FRTStart) FirstResponseOption {
	return frtOption(func(c *frtConfig) { c.start = s })
}

// ReplyOption is an option of both [FirstResponseTime] and [ResponseTime].
type ReplyOption interface {
	FirstResponseOption
	ResponseTimeOption
}

type humanReplies struct{}

func (humanReplies) applyFirstResponse(c *frtConfig)     { c.humanOnly = true }
func (humanReplies) applyResponseTime(c *responseConfig) { c.humanOnly = true }

// HumanReplies makes only public replies by human agents stop the clock;
// bot replies and fallbacks are ignored. Default: agents and bots both stop
// it.
func HumanReplies() ReplyOption { return humanReplies{} }

// IncludeOutbound measures outbound conversations ([Info].Outbound) too,
// from their first customer message. Default: they have no FRT and are
// counted as [FRTOutbound].
func IncludeOutbound() FirstResponseOption {
	return frtOption(func(c *frtConfig) { c.includeOutbound = true })
}

// FirstResponseTime accumulates the first response time of conversations.
//
// Per conversation the clock starts at the first customer message (or, by
// [WithFRTStart], the conversation start or the last bot→human handoff) and
// stops at the first public reply by an agent or a bot ([Event.IsReply]) that
// comes after the first customer message (and after the handoff), in event
// order. System messages, automatic messages (auto-acknowledgements) and
// private notes never stop it; [HumanReplies] leaves out bots. A reply at the
// same instant as the customer message gives an FRT of 0, which counts.
//
// Conventions: a conversation without a customer message is [FRTUnengaged] in
// every mode — there was nothing to respond to — and is neither answered nor
// unanswered. Unanswered conversations are excluded from the statistics and
// counted in Unanswered, never as 0. Outbound conversations are excluded by
// default. Durations are measured with the [TimeMeasure] (default calendar
// time) and summarized by a [Durations] ([StatsOption]s apply).
//
// The zero value is ready to use with these defaults. It is not safe for
// concurrent use; build one per goroutine and Merge.
type FirstResponseTime struct {
	cfg                                           frtConfig
	stats                                         Durations
	unanswered, outbound, unengaged, notEscalated int64
	buf                                           []Event
}

// NewFirstResponseTime returns an empty accumulator with the options
// applied, or an error wrapping [ErrInvalid] for an invalid option.
func NewFirstResponseTime(opts ...FirstResponseOption) (*FirstResponseTime, error) {
	f := &FirstResponseTime{}
	for _, o := range opts {
		o.applyFirstResponse(&f.cfg)
	}
	if f.cfg.start > FromHandoff {
		return nil, invalidf("frt start", "unknown start %d", f.cfg.start)
	}
	var err error
	if f.stats, err = f.cfg.newStats(); err != nil {
		return nil, err
	}
	return f, nil
}

// FirstResponse measures one conversation with the options: the duration
// when the status is [FRTAnswered], else 0 and the reason. Events out of time
// order or a failing [TimeMeasure] give an [*InputError] naming the
// conversation and the event.
func FirstResponse(c Conversation, opts ...FirstResponseOption) (time.Duration, FRTStatus, error) {
	var cfg frtConfig
	for _, o := range opts {
		o.applyFirstResponse(&cfg)
	}
	if cfg.start > FromHandoff {
		return 0, 0, invalidf("frt start", "unknown start %d", cfg.start)
	}
	var buf []Event
	info := c.Info()
	return cfg.measure1(&info, readEvents(c, &buf))
}

// Measure returns the first response time of c as [FirstResponse] does,
// with f's settings, without adding it.
func (f *FirstResponseTime) Measure(c Conversation) (time.Duration, FRTStatus, error) {
	if ch, ok := c.(*Chat); ok { // no copy of the Info or the events
		return f.cfg.measure1(&ch.Meta, ch.Events)
	}
	info := c.Info()
	return f.cfg.measure1(&info, readEvents(c, &f.buf))
}

func (cfg *frtConfig) measure1(info *Info, ev []Event) (time.Duration, FRTStatus, error) {
	if err := checkEvents(info.ID, ev); err != nil {
		return 0, 0, err
	}
	return cfg.measureChecked(info, ev)
}

// measureChecked is measure1 on events that passed checkEvents.
func (cfg *frtConfig) measureChecked(info *Info, ev []Event) (time.Duration, FRTStatus, error) {
	firstCustomer, handoff, reply := -1, -1, -1
	for i := range ev {
		e := &ev[i]
		switch {
		case e.Type == Handoff:
			if cfg.start == FromHandoff {
				handoff, reply = i, -1
			}
		case firstCustomer < 0 && e.IsCustomerMessage():
			firstCustomer = i
		case reply < 0 && firstCustomer >= 0 && e.IsReply() && (!cfg.humanOnly || e.Role == Agent):
			if cfg.start != FromHandoff || handoff >= 0 {
				reply = i
			}
		}
		if reply >= 0 && cfg.start != FromHandoff {
			break // only a later handoff could change the answer
		}
	}
	switch {
	case info.Outbound && !cfg.includeOutbound:
		return 0, FRTOutbound, nil
	case firstCustomer < 0:
		return 0, FRTUnengaged, nil
	case cfg.start == FromHandoff && handoff < 0:
		return 0, FRTNotEscalated, nil
	case reply < 0:
		return 0, FRTUnanswered, nil
	}
	from, at := ev[firstCustomer].Time, firstCustomer
	switch cfg.start {
	case FromConversationStart:
		from, at = ev[0].Time, 0
		if !info.Start.IsZero() {
			from = info.Start
		}
	case FromHandoff:
		from, at = ev[handoff].Time, handoff
	}
	d, err := cfg.elapsed(from, ev[reply].Time)
	if err != nil {
		return 0, 0, measureErr(info.ID, at, err)
	}
	if d < 0 {
		return 0, 0, &InputError{Conversation: info.ID, Event: -1, Field: "duration", Reason: "time measure returned a negative duration"}
	}
	return d, FRTAnswered, nil
}

// AddConversation measures c and adds it to the statistics or to the count
// of its status. On error nothing is added.
func (f *FirstResponseTime) AddConversation(c Conversation) error {
	d, st, err := f.Measure(c)
	if err != nil {
		return err
	}
	return f.record(c.Info().ID, d, st)
}

// record adds a measured conversation of id.
func (f *FirstResponseTime) record(id string, d time.Duration, st FRTStatus) error {
	switch st {
	case FRTAnswered:
		_ = f.stats.Add(d) // cannot fail: measureChecked checks d ≥ 0
	case FRTUnanswered:
		f.unanswered++
	case FRTOutbound:
		f.outbound++
	case FRTUnengaged:
		f.unengaged++
	case FRTNotEscalated:
		f.notEscalated++
	}
	return nil
}

// Merge adds o's conversations. Different options or time measures give
// [ErrIncompatible].
func (f *FirstResponseTime) Merge(o *FirstResponseTime) error {
	if f.cfg.start != o.cfg.start || f.cfg.humanOnly != o.cfg.humanOnly ||
		f.cfg.includeOutbound != o.cfg.includeOutbound || !f.cfg.compatible(&o.cfg.timingConfig) {
		return ErrIncompatible
	}
	if err := f.stats.Merge(&o.stats); err != nil {
		return err
	}
	f.unanswered += o.unanswered
	f.outbound += o.outbound
	f.unengaged += o.unengaged
	f.notEscalated += o.notEscalated
	return nil
}

// FirstResponseResult is the result of a [FirstResponseTime].
type FirstResponseResult struct {
	Stats        DurationStats // over answered conversations
	Answered     int64
	Unanswered   int64
	Outbound     int64 // excluded
	Unengaged    int64 // excluded: no customer message
	NotEscalated int64 // excluded: FromHandoff without a handoff
}

// AnswerRate returns answered ÷ (answered + unanswered).
func (r *FirstResponseResult) AnswerRate() Proportion {
	return Proportion{Successes: r.Answered, Trials: r.Answered + r.Unanswered}
}

// Result returns the statistics and counts. With no answered conversation
// it returns [ErrNoData] together with the counts (Stats is then zero).
func (f *FirstResponseTime) Result() (FirstResponseResult, error) {
	r := FirstResponseResult{Answered: f.stats.Count(), Unanswered: f.unanswered, Outbound: f.outbound,
		Unengaged: f.unengaged, NotEscalated: f.notEscalated}
	var err error
	r.Stats, err = f.stats.Result()
	return r, err
}

// MarshalBinary encodes the options (except the time measure), the counts
// and the statistics.
func (f *FirstResponseTime) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagFirstResponseTime, 64)
	e.byte1(byte(f.cfg.start))
	e.bool(f.cfg.humanOnly)
	e.bool(f.cfg.includeOutbound)
	e.uvarint(uint64(f.unanswered))
	e.uvarint(uint64(f.outbound))
	e.uvarint(uint64(f.unengaged))
	e.uvarint(uint64(f.notEscalated))
	encodeStats(e, &f.stats)
	return e.finish(), nil
}

// UnmarshalBinary replaces f's state and options with decoded ones, keeping
// f's time measure. Invalid input gives an error wrapping [ErrInvalid].
func (f *FirstResponseTime) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagFirstResponseTime, "first response time")
	var t FirstResponseTime
	t.cfg.measure = f.cfg.measure
	t.cfg.start = FRTStart(d.byte1())
	if t.cfg.start > FromHandoff {
		d.fail("unknown start %d", t.cfg.start)
	}
	t.cfg.humanOnly, t.cfg.includeOutbound = d.bool(), d.bool()
	t.unanswered, t.outbound, t.unengaged, t.notEscalated = d.count(), d.count(), d.count(), d.count()
	decodeStats(d, &t.stats)
	if err := d.finish(); err != nil {
		return err
	}
	// Counts that the settings cannot produce: outbound conversations are
	// measured with IncludeOutbound, and only FromHandoff leaves any
	// conversation not escalated.
	if t.cfg.includeOutbound && t.outbound != 0 || t.cfg.start != FromHandoff && t.notEscalated != 0 {
		return invalidf("first response time", "%d outbound and %d not escalated conversations cannot occur with these settings", t.outbound, t.notEscalated)
	}
	t.cfg.stats = t.stats.cfg
	*f = t
	return nil
}
