package chatkpi

import (
	"slices"
	"time"
)

// ChatDurationSettings is how a [ChatDuration] measures, as a plain
// comparable value. The zero value is the default: no active gap
// threshold, calendar time, exact statistics.
type ChatDurationSettings struct {
	// ActiveGap leaves out of the active duration every gap between two
	// consecutive messages longer than it (measured in the BusinessHours, if
	// any); a
	// gap equal to it counts. Not negative. Default (0): no threshold, so
	// the active duration equals the full duration. 60 s is one product's
	// choice.
	ActiveGap time.Duration
	// BusinessHours measures every duration in the open time of the
	// calendar. Default (nil): calendar time. It is not part of
	// MarshalBinary, and Merge requires the same calendar (pointer).
	BusinessHours *BusinessHours
	// Durations sets the statistics. Default: see [DurationsSettings].
	Durations DurationsSettings
}

// check returns the settings' error, wrapping [ErrInvalid], or nil.
func (s ChatDurationSettings) check() error {
	if s.ActiveGap < 0 {
		return invalidf("active gap", "negative threshold %v", s.ActiveGap)
	}
	return checkTiming(&s.Durations)
}

func (s *ChatDurationSettings) config() (handleConfig, error) {
	if err := s.check(); err != nil {
		return handleConfig{}, err
	}
	t, err := newTiming(s.BusinessHours, &s.Durations, durationTiming)
	return handleConfig{timingConfig: t, maxGap: s.ActiveGap}, err
}

type handleConfig struct {
	timingConfig
	maxGap time.Duration // 0: no threshold
}

// ChatDuration accumulates the duration (handle time) of conversations: from
// the first to the last message, a message being a [Message] event whoever
// sent it (customer, agent, bot, system; private notes included, since they
// are work on the conversation) or a bot [Fallback] (a bot reply that
// failed, but a message). The active duration is the sum of the gaps
// between consecutive messages that are not longer than the
// [ChatDurationSettings].ActiveGap threshold. A conversation with one message lasts 0 and counts; one with
// no message is counted in NoMessages.
//
// The zero value is ready to use (calendar time, exact statistics, no gap
// threshold). It is not safe for concurrent use.
type ChatDuration struct {
	cfg  handleConfig
	full Durations
	// active holds the active durations when there is a gap threshold;
	// without one they are the full durations, which are not kept twice.
	active     Durations
	noMessages int64
	buf        []Event
}

// NewChatDuration returns an empty accumulator with the settings, or an
// error wrapping [ErrInvalid] for invalid settings.
func NewChatDuration(s ChatDurationSettings) (*ChatDuration, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	stats := Durations{cfg: cfg.stats}
	return &ChatDuration{cfg: cfg, full: stats, active: stats}, nil
}

// AddConversation adds c. Events out of order give an [*InputError];
// nothing is added then.
func (h *ChatDuration) AddConversation(c Conversation) error {
	info := c.Info()
	ev := readEvents(c, &h.buf)
	if err := checkEvents(info.ID, ev); err != nil {
		return err
	}
	m, err := h.cfg.measureChecked(&info, ev)
	if err != nil {
		return err
	}
	h.record(&m)
	return nil
}

// chatDurationMeasure is what one conversation adds to a [ChatDuration].
type chatDurationMeasure struct {
	messages     bool // the conversation has a message
	full, active time.Duration
}

// measureChecked measures a conversation whose events passed checkEvents.
func (cfg *handleConfig) measureChecked(info *Info, ev []Event) (chatDurationMeasure, error) {
	var m chatDurationMeasure
	first, prev := -1, -1
	for i := range ev {
		e := &ev[i]
		if !e.isMessage() {
			continue
		}
		if first < 0 {
			first = i
		} else if cfg.maxGap > 0 {
			g, err := cfg.elapsed(ev[prev].Time, e.Time)
			if err != nil {
				return m, measureErr(info.ID, i, err)
			}
			if g <= cfg.maxGap {
				m.active += g
			}
		}
		prev = i
	}
	if first < 0 {
		return chatDurationMeasure{}, nil
	}
	m.messages = true
	var err error
	if m.full, err = cfg.elapsed(ev[first].Time, ev[prev].Time); err != nil {
		return m, measureErr(info.ID, prev, err)
	}
	if cfg.maxGap == 0 {
		m.active = m.full
	}
	if m.full < 0 || m.active < 0 {
		return m, &InputError{Conversation: info.ID, Event: -1, Field: "duration", Reason: "time measure returned a negative duration"}
	}
	return m, nil
}

// record adds a measured conversation.
func (h *ChatDuration) record(m *chatDurationMeasure) {
	if !m.messages {
		h.noMessages++
		return
	}
	_ = h.full.Add(m.full) // cannot fail: non-negative
	if h.cfg.maxGap > 0 {
		_ = h.active.Add(m.active)
	}
}

// Merge adds o's conversations; different settings give [ErrIncompatible].
func (h *ChatDuration) Merge(o *ChatDuration) error {
	if h.cfg.maxGap != o.cfg.maxGap || !h.cfg.compatible(&o.cfg.timingConfig) {
		return ErrIncompatible
	}
	if err := h.full.Merge(&o.full); err != nil {
		return err
	}
	if err := h.active.Merge(&o.active); err != nil {
		return err
	}
	h.noMessages += o.noMessages
	return nil
}

// ChatDurationResult is the result of a [ChatDuration].
type ChatDurationResult struct {
	Full       DurationStats // first to last message
	Active     DurationStats // gaps above the threshold left out
	NoMessages int64         // conversations without a message (excluded)
}

// Result returns the statistics; with no conversation with a message it
// returns [ErrNoData] together with NoMessages.
func (h *ChatDuration) Result() (ChatDurationResult, error) {
	res := ChatDurationResult{NoMessages: h.noMessages}
	var err error
	if res.Full, err = h.full.Result(); err != nil {
		return res, err
	}
	if h.cfg.maxGap == 0 {
		res.Active = res.Full
		res.Active.Quantiles = slices.Clone(res.Full.Quantiles)
		res.Active.Histogram = slices.Clone(res.Full.Histogram)
		res.Active.SLA = slices.Clone(res.Full.SLA)
		return res, nil
	}
	res.Active, err = h.active.Result()
	return res, err
}

// MarshalBinary encodes the settings (except the business hours) and state.
func (h *ChatDuration) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagChatDuration, 64)
	e.varint(int64(h.cfg.maxGap))
	e.uvarint(uint64(h.noMessages))
	encodeStats(e, &h.full)
	encodeStats(e, &h.active)
	return e.finish(), nil
}

// UnmarshalBinary replaces h's state and settings, keeping its business hours.
func (h *ChatDuration) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagChatDuration, "chat duration")
	var t ChatDuration
	t.cfg.measure = h.cfg.measure
	t.cfg.maxGap = time.Duration(d.varint())
	t.noMessages = d.count()
	decodeStats(d, &t.full)
	decodeStats(d, &t.active)
	if err := d.finish(); err != nil {
		return err
	}
	// Without a threshold the active durations are the full ones and are not
	// kept; encodings that kept them anyway (before this was so) decode to
	// the same state.
	kept := t.active.n == t.full.n
	if t.cfg.maxGap < 0 || !t.full.cfg.sameState(&t.active.cfg) || !kept && (t.cfg.maxGap > 0 || t.active.n != 0) {
		return invalidf("chat duration", "negative threshold, or full and active statistics disagree")
	}
	if t.cfg.maxGap == 0 {
		t.active = Durations{cfg: t.full.cfg}
	}
	t.cfg.stats = t.full.cfg
	*h = t
	return nil
}
