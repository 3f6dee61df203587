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
	// of escalated conversations (combine with HumanOnly).
	// Conversations without a handoff are excluded as [FRTNotEscalated].
	FromHandoff
	// FromHandoffOrCustomerMessage starts at the last bot→human [Handoff]
	// when there was one, else at the first customer message: the human FRT
	// of a bot + human team (combine with HumanOnly; it is the report's
	// human_first_response_time). With HumanOnly, a conversation without
	// a handoff that only a bot answered is excluded as [FRTNotEscalated]:
	// the bot kept it and nobody asked for a human.
	FromHandoffOrCustomerMessage
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
	FRTNotEscalated                      // FromHandoff without a handoff (see FromHandoffOrCustomerMessage)
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

// FirstResponseSettings is how a [FirstResponseTime] measures, as a plain
// comparable value. The zero value is the default: the clock starts at the
// first customer message, agent and bot replies stop it, outbound
// conversations are excluded, calendar time, exact statistics.
type FirstResponseSettings struct {
	// Start is where the clock starts. Default: [FromCustomerMessage].
	Start FRTStart
	// HumanOnly lets only public replies by human agents stop the clock;
	// bot replies and fallbacks are ignored. Default false: agents and
	// bots both stop it.
	HumanOnly bool
	// IncludeOutbound measures outbound conversations ([Info].Outbound)
	// too, from their first customer message. Default false: they have no
	// FRT and are counted as [FRTOutbound].
	IncludeOutbound bool
	// BusinessHours measures every duration in the open time of the
	// calendar. Default (nil): calendar time. It is not part of
	// MarshalBinary: decode into a calculator built with the same calendar.
	// Merge requires the same calendar (the same pointer, not merely an
	// equal calendar).
	BusinessHours *BusinessHours
	// Durations sets the statistics. Default: see [DurationsSettings].
	Durations DurationsSettings
}

// check returns the settings' error, wrapping [ErrInvalid], or nil.
func (s FirstResponseSettings) check() error {
	if s.Start > FromHandoffOrCustomerMessage {
		return invalidf("frt start", "unknown start %d", s.Start)
	}
	return checkTiming(&s.Durations)
}

func (s *FirstResponseSettings) config() (frtConfig, error) {
	if err := s.check(); err != nil {
		return frtConfig{}, err
	}
	t, err := newTiming(s.BusinessHours, &s.Durations)
	return frtConfig{timingConfig: t, start: s.Start, humanOnly: s.HumanOnly, includeOutbound: s.IncludeOutbound}, err
}

type frtConfig struct {
	timingConfig
	start           FRTStart
	humanOnly       bool
	includeOutbound bool
}

// FirstResponseTime accumulates the first response time of conversations.
//
// Per conversation the clock starts at the first customer message (or, by
// [FirstResponseSettings].Start, the conversation start, the last
// bot→human handoff, or the last handoff when there was one and else the
// first customer message) and stops at the first public reply by an agent
// or a bot ([Event.IsReply]) that comes after the first customer message
// (and after the handoff), in event order. System messages, automatic
// messages (auto-acknowledgements) and private notes never stop it;
// HumanOnly leaves out bots. A reply at the same instant as the customer
// message gives an FRT of 0, which counts.
//
// Conventions: a conversation without a customer message is [FRTUnengaged] in
// every mode — there was nothing to respond to — and is neither answered nor
// unanswered. Unanswered conversations are excluded from the statistics and
// counted in Unanswered, never as 0. Outbound conversations are excluded by
// default. Durations are measured in calendar time (or business hours) and
// summarized by a [Durations] ([FirstResponseSettings]).
//
// The zero value is ready to use with these defaults. It is not safe for
// concurrent use; build one per goroutine and Merge.
type FirstResponseTime struct {
	cfg                                           frtConfig
	stats                                         Durations
	unanswered, outbound, unengaged, notEscalated int64
	buf                                           []Event
}

// NewFirstResponseTime returns an empty accumulator with the settings, or
// an error wrapping [ErrInvalid] for invalid settings.
func NewFirstResponseTime(s FirstResponseSettings) (*FirstResponseTime, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	return &FirstResponseTime{cfg: cfg, stats: Durations{cfg: cfg.stats}}, nil
}

// FirstResponse measures one conversation with the settings: the duration
// when the status is [FRTAnswered], else 0 and the reason. Events out of time
// order or failing business hours give an [*InputError] naming the
// conversation and the event.
func FirstResponse(c Conversation, s FirstResponseSettings) (time.Duration, FRTStatus, error) {
	cfg, err := s.config()
	if err != nil {
		return 0, 0, err
	}
	var buf []Event
	info := c.Info()
	return cfg.measure1(&info, readEvents(c, &buf))
}

// measure returns the first response time of c as [FirstResponse] does,
// with f's settings, without adding it.
func (f *FirstResponseTime) measure(c Conversation) (time.Duration, FRTStatus, error) {
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
	by := anyReplier
	if cfg.humanOnly {
		by = humanReplier
	}
	var s replyScan
	s.scan(ev, cfg.stopAt(by))
	m, err := cfg.firstResponse(info, ev, &s, cfg.start, by)
	return m.d, m.status, err
}

// replier is who may stop a clock: anyone who replies, humans only or bots
// only.
type replier uint8

const (
	anyReplier replier = iota
	humanReplier
	botReplier
)

// replyScan is what every first-response measure of a conversation is read
// from, found in one pass over its events: event indices, −1 for none. A
// reply counts only after the first customer message (and, for the
// handoff-relative ones, after the last handoff), in event order.
type replyScan struct {
	firstCustomer int
	handoff       int    // the last bot→human handoff
	first         [3]int // first reply by each replier class
	afterHandoff  [3]int // first reply by each replier class after the last handoff
	joined        [2]int // first Joined after the clock start: [0] from the first customer message, [1] from the last handoff
	afterJoined   [2]int // first human reply after joined[k]
	// assigned[k] is the assignment that the reply afterJoined[k] answers:
	// the last Joined before it that names the replying agent, else the
	// last Joined before it (a transfer moves the start of the first
	// response after assignment to the agent who got the conversation).
	assigned [2]int
}

// stopAt returns the replier class whose first reply ends a scan for f's
// first response alone (see replyScan.scan), or −1 when the whole
// conversation must be read (a later handoff moves the clock).
func (cfg *frtConfig) stopAt(by replier) int {
	if cfg.start == FromHandoff || cfg.start == FromHandoffOrCustomerMessage {
		return -1
	}
	return int(by)
}

// scan reads the events; with stop ≥ 0 it stops at the first reply of
// class stop, leaving the later fields unset (for a single first response
// from the first customer message or the conversation start).
func (s *replyScan) scan(ev []Event, stop int) {
	*s = replyScan{firstCustomer: -1, handoff: -1, first: [3]int{-1, -1, -1}, afterHandoff: [3]int{-1, -1, -1},
		joined: [2]int{-1, -1}, afterJoined: [2]int{-1, -1}, assigned: [2]int{-1, -1}}
	for i := range ev {
		e := &ev[i]
		switch {
		case e.Type == Handoff:
			s.handoff = i
			s.afterHandoff = [3]int{-1, -1, -1}
			s.joined[1], s.afterJoined[1], s.assigned[1] = -1, -1, -1
		case e.Type == Joined:
			if s.firstCustomer >= 0 && s.joined[0] < 0 {
				s.joined[0] = i
			}
			if s.handoff >= 0 && s.joined[1] < 0 {
				s.joined[1] = i
			}
		case s.firstCustomer < 0 && e.IsCustomerMessage():
			s.firstCustomer = i
		case s.firstCustomer >= 0 && e.IsReply():
			human := e.Role == Agent
			class := botReplier
			if human {
				class = humanReplier
			}
			if s.first[anyReplier] < 0 {
				s.first[anyReplier] = i
			}
			if s.first[class] < 0 {
				s.first[class] = i
			}
			if s.handoff >= 0 {
				if s.afterHandoff[anyReplier] < 0 {
					s.afterHandoff[anyReplier] = i
				}
				if s.afterHandoff[class] < 0 {
					s.afterHandoff[class] = i
				}
			}
			if human {
				for k := range s.joined {
					if s.joined[k] >= 0 && s.afterJoined[k] < 0 {
						s.afterJoined[k], s.assigned[k] = i, assignmentOf(ev, s.joined[k], i)
					}
				}
			}
			if stop >= 0 && s.first[stop] >= 0 {
				return
			}
		}
	}
}

// assignmentOf returns the assignment that the human reply at index reply
// answers: the last [Joined] in [from, reply) naming the replier, else the
// last Joined in [from, reply) (ev[from] is one).
func assignmentOf(ev []Event, from, reply int) int {
	last := -1
	for j := reply - 1; j >= from; j-- {
		if ev[j].Type != Joined {
			continue
		}
		if ev[j].Agent == ev[reply].Agent {
			return j
		}
		if last < 0 {
			last = j
		}
	}
	return last
}

// firstResponse reads the first response time from a scan: the clock
// starts at start and is stopped by the first reply of class by (see
// [FirstResponseTime] and [FRTStart]).
func (cfg *frtConfig) firstResponse(info *Info, ev []Event, s *replyScan, start FRTStart, by replier) (frtMeasure, error) {
	switch {
	case info.Outbound && !cfg.includeOutbound:
		return frtMeasure{status: FRTOutbound, at: -1}, nil
	case s.firstCustomer < 0:
		return frtMeasure{status: FRTUnengaged, at: -1}, nil
	case start == FromHandoff && s.handoff < 0:
		return frtMeasure{status: FRTNotEscalated, at: -1}, nil
	}
	from, at, reply := ev[s.firstCustomer].Time, s.firstCustomer, s.first[by]
	switch {
	case start == FromConversationStart:
		from, at = ev[0].Time, 0
		if !info.Start.IsZero() {
			from = info.Start
		}
	case start == FromHandoff || start == FromHandoffOrCustomerMessage && s.handoff >= 0:
		from, at, reply = ev[s.handoff].Time, s.handoff, s.afterHandoff[by]
	}
	if reply < 0 {
		switch {
		case start == FromHandoffOrCustomerMessage && by == humanReplier && s.handoff < 0 && s.first[botReplier] >= 0:
			return frtMeasure{status: FRTNotEscalated, at: -1}, nil
		case by == botReplier && s.first[humanReplier] >= 0:
			// The report's bot first response: only humans answered, no bot
			// took part; excluded like a conversation not escalated.
			return frtMeasure{status: FRTNotEscalated, at: -1}, nil
		}
		return frtMeasure{status: FRTUnanswered, at: -1}, nil
	}
	m := frtMeasure{at: reply}
	var err error
	m.d, m.status, err = cfg.clock(info, ev, from, at, reply)
	return m, err
}

// clock measures from the instant from (of event at) to event to.
func (cfg *frtConfig) clock(info *Info, ev []Event, from time.Time, at, to int) (time.Duration, FRTStatus, error) {
	d, err := cfg.elapsed(from, ev[to].Time)
	if err != nil {
		return 0, 0, measureErr(info.ID, at, err)
	}
	if d < 0 {
		return 0, 0, &InputError{Conversation: info.ID, Event: -1, Field: "duration", Reason: "time measure returned a negative duration"}
	}
	return d, FRTAnswered, nil
}

// assignment reads the time to assignment from a scan: from the last
// handoff when there was one, else the first customer message, to the first
// [Joined] after it (an agent joining or the platform assigning one: a
// transfer later does not restart it, as Zendesk's initially_assigned_at);
// afterAssignment, to the first human reply after that join, from the
// assignment that reply answers: the last join of the replying agent
// before it, else the last join before it. So after a transfer (ana
// assigned, never replies, bob assigned and replies) the first response
// after assignment runs from bob's assignment, as the products measure an
// agent's first reply from when the conversation was assigned to that
// agent (Voximplant's "first reply time", Stonly's "agent's first response
// time"; Quiq starts an assignment interval at the transfer). A
// conversation never joined is Unanswered for the first and NotEscalated
// (excluded: never assigned) for the second, unless a human replied after
// the clock start all the same (an agent who picked it up without a join)
// or, without a handoff, a bot answered (the bot kept it, as for the human
// first response): then it is excluded from both.
func (cfg *frtConfig) assignment(info *Info, ev []Event, s *replyScan) (toJoin, afterJoin frtMeasure, err error) {
	toJoin.at, afterJoin.at = -1, -1
	switch {
	case info.Outbound && !cfg.includeOutbound:
		toJoin.status, afterJoin.status = FRTOutbound, FRTOutbound
		return toJoin, afterJoin, nil
	case s.firstCustomer < 0:
		toJoin.status, afterJoin.status = FRTUnengaged, FRTUnengaged
		return toJoin, afterJoin, nil
	}
	k, from, human := 0, s.firstCustomer, s.first[humanReplier]
	if s.handoff >= 0 {
		k, from, human = 1, s.handoff, s.afterHandoff[humanReplier]
	}
	joined := s.joined[k]
	switch {
	case joined < 0 && (human >= 0 || s.handoff < 0 && s.first[botReplier] >= 0):
		toJoin.status, afterJoin.status = FRTNotEscalated, FRTNotEscalated
		return toJoin, afterJoin, nil
	case joined < 0:
		toJoin.status, afterJoin.status = FRTUnanswered, FRTNotEscalated
		return toJoin, afterJoin, nil
	}
	toJoin.at = joined
	if toJoin.d, toJoin.status, err = cfg.clock(info, ev, ev[from].Time, from, joined); err != nil {
		return toJoin, afterJoin, err
	}
	afterJoin.at = s.afterJoined[k]
	if afterJoin.at < 0 {
		afterJoin.status = FRTUnanswered
		return toJoin, afterJoin, nil
	}
	from = s.assigned[k]
	afterJoin.d, afterJoin.status, err = cfg.clock(info, ev, ev[from].Time, from, afterJoin.at)
	return toJoin, afterJoin, err
}

// frtMeasure is one measured first-response-like clock of a conversation:
// its duration and status, and the event that stopped it (−1 for none).
type frtMeasure struct {
	d      time.Duration
	status FRTStatus
	at     int
}

// AddConversation measures c and adds it to the statistics or to the count
// of its status. On error nothing is added.
func (f *FirstResponseTime) AddConversation(c Conversation) error {
	d, st, err := f.measure(c)
	if err != nil {
		return err
	}
	f.record(frtMeasure{d: d, status: st})
	return nil
}

// record adds a measured conversation.
func (f *FirstResponseTime) record(m frtMeasure) {
	switch m.status {
	case FRTAnswered:
		_ = f.stats.Add(m.d) // cannot fail: clock checks d ≥ 0
	case FRTUnanswered:
		f.unanswered++
	case FRTOutbound:
		f.outbound++
	case FRTUnengaged:
		f.unengaged++
	case FRTNotEscalated:
		f.notEscalated++
	}
}

// Merge adds o's conversations. Different settings or business hours give
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
	r := FirstResponseResult{Answered: f.stats.size(), Unanswered: f.unanswered, Outbound: f.outbound,
		Unengaged: f.unengaged, NotEscalated: f.notEscalated}
	var err error
	r.Stats, err = f.stats.Result()
	return r, err
}

// MarshalBinary encodes the settings (except the business hours), the counts
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

// UnmarshalBinary replaces f's state and settings with decoded ones, keeping
// f's business hours. Invalid input gives an error wrapping [ErrInvalid].
func (f *FirstResponseTime) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagFirstResponseTime, "first response time")
	var t FirstResponseTime
	t.cfg.measure = f.cfg.measure
	t.cfg.start = FRTStart(d.byte1())
	if t.cfg.start > FromHandoffOrCustomerMessage {
		d.fail("unknown start %d", t.cfg.start)
	}
	t.cfg.humanOnly, t.cfg.includeOutbound = d.bool(), d.bool()
	t.unanswered, t.outbound, t.unengaged, t.notEscalated = d.count(), d.count(), d.count(), d.count()
	decodeStats(d, &t.stats)
	if err := d.finish(); err != nil {
		return err
	}
	// Counts that the settings cannot produce: outbound conversations are
	// measured with IncludeOutbound, and only FromHandoff and
	// FromHandoffOrCustomerMessage leave any conversation not escalated.
	if t.cfg.includeOutbound && t.outbound != 0 ||
		t.cfg.start != FromHandoff && t.cfg.start != FromHandoffOrCustomerMessage && t.notEscalated != 0 {
		return invalidf("first response time", "%d outbound and %d not escalated conversations cannot occur with these settings", t.outbound, t.notEscalated)
	}
	t.cfg.stats = t.stats.cfg
	*f = t
	return nil
}
