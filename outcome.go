package chatkpi

import (
	"fmt"
	"math"
	"time"
)

// Outcome is how a conversation ended. Every conversation has exactly one, so
// the shares of the outcomes sum to 100 % and containment plus escalation
// never exceed it. The zero value is not an outcome.
type Outcome uint8

// The outcomes, in the order of precedence that [Classify] applies: the first
// that fits is the outcome.
const (
	// Unengaged: the customer never sent a message (a widget opened and left
	// alone, an outbound message never answered). Engaged conversations are
	// all the others, and they are the denominator of the outcome rates.
	Unengaged Outcome = iota + 1
	// Escalated: the bot handed the conversation over to human agents (a
	// Handoff event), counted once however many handoffs there were and
	// however the conversation ended afterwards.
	Escalated
	// ResolvedByBot (contained): resolved at the end, a bot replied, no human
	// agent ever sent a public reply, and no handoff.
	ResolvedByBot
	// ResolvedByAgent: resolved at the end without a handoff, and a human
	// agent replied; or nobody replied but a human agent took part (joined or
	// was assigned, wrote a note, or marked it resolved).
	ResolvedByAgent
	// Abandoned: engaged, not escalated, and not resolved at the end — the
	// customer left (or went silent) without a resolution. A conversation
	// closed without any reply and without any human taking part (an
	// automatic close for inactivity) is also abandoned: the customer got no
	// answer.
	Abandoned
)

// numOutcomes is the number of outcomes; Outcome values are 1..numOutcomes.
const numOutcomes = 5

// outcomeName is the name of a valid outcome.
func outcomeName(o Outcome) string {
	switch o {
	case Unengaged:
		return "unengaged"
	case Escalated:
		return "escalated"
	case ResolvedByBot:
		return "resolved_by_bot"
	case ResolvedByAgent:
		return "resolved_by_agent"
	case Abandoned:
		return "abandoned"
	}
	return ""
}

// String returns "unengaged", "escalated", "resolved_by_bot",
// "resolved_by_agent" or "abandoned".
func (o Outcome) String() string {
	if o >= Unengaged && o <= Abandoned {
		return outcomeName(o)
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// ParseOutcome reads an outcome name as [Outcome.String] writes it.
func ParseOutcome(s string) (Outcome, error) {
	for o := Unengaged; o <= Abandoned; o++ {
		if outcomeName(o) == s {
			return o, nil
		}
	}
	return 0, invalidf("outcome", "%q is not an outcome", s)
}

// Classify returns the outcome of a conversation, judged on its events as
// they stand: the data are taken to be the whole conversation, so one that
// is engaged, not escalated and unresolved at its last event is [Abandoned].
// Classify has no clock and no notion of a conversation still in progress;
// callers analysing live data pass only conversations that are closed (or
// idle for longer than their inactivity timeout).
//
// The precedence is: [Unengaged] (no customer message) before [Escalated]
// (any Handoff) before [ResolvedByBot] / [ResolvedByAgent] (resolved at the
// end) before [Abandoned]. "Resolved at the end" follows the Resolved and
// Reopened events in order: a Resolved resolves, a Reopened of a resolved
// conversation opens it again, and a Reopened of an open one changes
// nothing. So a conversation that was handed off and then resolved is
// Escalated, and one where the bot and a human agent both replied without a
// handoff is ResolvedByAgent.
//
// It returns an [*InputError] if the conversation has no id, an event is
// invalid (see [ValidateEvent]) or the events are not in time order.
func Classify(c Conversation) (Outcome, error) {
	f, err := scanOutcome(c.Info(), eventsOf(c, nil), defaultCompletionWindow, time.Time{})
	return f.outcome, err
}

// The default windows of [Outcomes].
const (
	defaultCompletionWindow = 7 * 24 * time.Hour
	defaultRepeatWindow     = 24 * time.Hour
)

// outcomeFacts is what one scan of a conversation tells the outcome metrics.
type outcomeFacts struct {
	outcome       Outcome
	start         time.Time // Info.Start, or the first event's time
	resolvedEver  bool      // at least one Resolved event
	reopened      bool      // a Reopened followed a resolution
	resolvedAtEnd bool
	endResolution time.Time // when the resolution in force at the end was made
	durable       bool      // a resolution held for the completion window
	pending       bool      // not durable, but its window has not passed by asOf
}

// scanOutcome classifies one conversation and collects its completion facts.
// window is the completion window; asOf the instant up to which the data are
// complete (zero: final).
func scanOutcome(info Info, events []Event, window time.Duration, asOf time.Time) (outcomeFacts, error) {
	if info.ID == "" {
		return outcomeFacts{}, noConversationID()
	}
	if err := checkEvents(info.ID, events); err != nil {
		return outcomeFacts{}, err
	}
	return scanOutcomeChecked(&info, events, window, asOf)
}

// scanOutcomeChecked is scanOutcome on events that passed checkEvents.
func scanOutcomeChecked(info *Info, events []Event, window time.Duration, asOf time.Time) (outcomeFacts, error) {
	var f outcomeFacts
	id := info.ID
	var (
		engaged, handoff, botReplied, agentReplied, agentActed bool
		resolved                                               bool
		resolvedAt                                             time.Time
	)
	for i := range events {
		e := &events[i]
		if e.Role == Agent || e.Type == Joined {
			agentActed = true
		}
		switch e.Type {
		case Message, Fallback:
			switch {
			case e.IsCustomerMessage():
				engaged = true
			case e.IsReply() && e.Role == Bot:
				botReplied = true
			case e.IsReply() && e.Role == Agent:
				agentReplied = true
			}
		case Handoff:
			handoff = true
		case Resolved:
			f.resolvedEver = true
			if !resolved {
				resolved, resolvedAt = true, e.Time
			}
		case Reopened:
			if resolved {
				f.reopened = true
				if !f.durable {
					// A reopen after the window ends nothing that was not
					// already durable: the resolution held.
					f.durable = e.Time.Sub(resolvedAt) > window
				}
				resolved = false
			}
		}
	}
	f.start = info.Start
	if len(events) > 0 {
		if f.start.IsZero() {
			f.start = events[0].Time
		} else if events[0].Time.Before(f.start) {
			return f, eventErrorf(id, 0, "time", "%s is before the conversation's start %s",
				events[0].Time.Format(time.RFC3339Nano), f.start.Format(time.RFC3339Nano))
		}
	}
	f.resolvedAtEnd, f.endResolution = resolved, resolvedAt
	if resolved && !f.durable {
		if !asOf.IsZero() && resolvedAt.Add(window).After(asOf) {
			f.pending = true
		} else {
			f.durable = true
		}
	}
	switch {
	case !engaged:
		f.outcome = Unengaged
	case handoff:
		f.outcome = Escalated
	case resolved && agentReplied:
		f.outcome = ResolvedByAgent
	case resolved && botReplied:
		f.outcome = ResolvedByBot
	case resolved && agentActed:
		f.outcome = ResolvedByAgent
	default:
		f.outcome = Abandoned
	}
	return f, nil
}

// noConversationID is the error about a conversation whose Info.ID is
// empty (a new value each time: callers may annotate it, e.g. with a Line).
func noConversationID() error {
	return &InputError{Event: -1, Field: "conversation", Reason: "empty conversation id"}
}

// tagOutcomes is the wire tag of [Outcomes].
const tagOutcomes byte = 0x38

// OutcomesSettings is the windows and the as-of instant of an [Outcomes],
// as a plain comparable value (compare AsOf with == only for instants
// built the same way; Merge compares it with time.Time.Equal). The zero
// value is the default: a 7-day completion window, a 24-hour
// repeat-contact window, and data taken as final.
type OutcomesSettings struct {
	// CompletionWindow is how long a resolution must hold without a
	// reopen to count as durable for the conversation completion rate.
	// Positive. Default (0): 7 days.
	CompletionWindow time.Duration
	// RepeatContactWindow is how soon after a resolution a new
	// conversation by the same customer counts as a repeat contact for the
	// successful chat rate. Positive. Default (0): 24 hours.
	RepeatContactWindow time.Duration
	// AsOf says that the data are complete up to this instant (typically
	// the export time), within the years 1678–2261. A resolution whose
	// completion or repeat-contact window ends after it cannot be judged
	// yet: it is counted as pending and left out of that rate's numerator
	// and denominator. Default (the zero time): the data are final and
	// every window is observed.
	AsOf time.Time
}

// check returns the settings' error, wrapping [ErrInvalid], or nil.
func (s OutcomesSettings) check() error {
	if s.CompletionWindow < 0 {
		return invalidf("completion window", "must be positive (or 0 for the default), got %v", s.CompletionWindow)
	}
	if s.RepeatContactWindow < 0 {
		return invalidf("repeat contact window", "must be positive (or 0 for the default), got %v", s.RepeatContactWindow)
	}
	if !s.AsOf.IsZero() {
		if _, ok := unixNanos(s.AsOf); !ok {
			return invalidf("as of", "%s is outside the years 1678–2261", s.AsOf)
		}
	}
	return nil
}

type outcomesConfig struct {
	completionWindow time.Duration // 0: default
	repeatWindow     time.Duration // 0: default
	asOf             time.Time     // zero: the data are final
}

func (c outcomesConfig) completion() time.Duration {
	if c.completionWindow == 0 {
		return defaultCompletionWindow
	}
	return c.completionWindow
}

func (c outcomesConfig) repeat() time.Duration {
	if c.repeatWindow == 0 {
		return defaultRepeatWindow
	}
	return c.repeatWindow
}

func (c outcomesConfig) same(d outcomesConfig) bool {
	return c.completion() == d.completion() && c.repeat() == d.repeat() && c.asOf.Equal(d.asOf)
}

// Outcomes accumulates the outcome of each conversation and the rates built
// on them. The zero value uses the defaults: a 7-day completion window, a
// 24-hour repeat-contact window, and data taken as final.
//
// Rates, all as [Proportion] over conversations:
//
//   - containment = [ResolvedByBot] ÷ engaged (not [Unengaged]);
//   - escalation = [Escalated] ÷ engaged;
//   - conversation completion = engaged conversations with a durable
//     resolution ÷ engaged. A resolution is durable when no Reopened follows
//     it within the completion window (reopen − resolution ≤ window); the
//     window runs from the Resolved that resolved the conversation, and a
//     repeated Resolved while it is resolved does not restart it. A reopen
//     later than the window is a new request and does not undo the
//     completion; a reopen within it does, until a later resolution holds. A resolution whose window has not
//     passed by the [OutcomesSettings].AsOf instant, with no reopen so far, is pending;
//     pending conversations are left out of the numerator and denominator;
//   - successful chat = engaged conversations resolved at the end with no
//     repeat contact ÷ engaged. A repeat contact is another inbound (not
//     Outbound) engaged conversation of the same Info.Customer that starts
//     within the repeat window after the resolution in force at the end
//     (start in (r, r + window]). Pending as for completion. A conversation
//     without a Customer id cannot be linked to repeats and counts as
//     successful when resolved (their number is reported);
//   - reopen = conversations with a Reopened after a resolution ÷
//     conversations resolved at least once (engaged or not).
//
// Successful chats need the conversations of each customer: Outcomes keeps
// per identified customer the start of each inbound engaged conversation
// (8 bytes) and each resolution that no start has repeated yet (10 bytes),
// packed without pointers, about 40 bytes and the id per customer besides
// (see repeatLedger); a resolution is counted as a
// repeat, and dropped, when a start of the same customer within its window
// is added. All other state is a fixed set of counters. Merge is exact;
// conversation order does not matter. (A [Report] in streaming mode keeps
// a constant per customer instead: see [Report].)
//
// An Outcomes is not safe for concurrent use.
type Outcomes struct {
	cfg               outcomesConfig
	counts            [numOutcomes]int64
	resolvedEver      int64
	reopened          int64
	completed         int64
	completionPending int64
	anonymousResolved int64                    // resolved at the end, no customer id, window passed
	anonymousPending  int64                    // resolved at the end, no customer id, window not passed
	identified        [2]int64                 // resolved at the end with a customer id: window passed [0], pending [1]
	repeatedN         [2]int64                 // of those, followed by a repeat contact
	repeats           *repeatLedger[*Outcomes] // the open resolutions and starts of identified customers; nil: none yet
	shared            bool                     // repeats is a Report's, which merges and encodes it
	buf               []Event
}

// NewOutcomes returns an Outcomes with the settings, or an error wrapping
// [ErrInvalid] for invalid settings.
func NewOutcomes(s OutcomesSettings) (*Outcomes, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return &Outcomes{cfg: outcomesConfig{completionWindow: s.CompletionWindow, repeatWindow: s.RepeatContactWindow, asOf: s.AsOf}}, nil
}

// unixNanos returns t in Unix nanoseconds if it lies in the years
// 1678–2261 UTC, where Unix nanoseconds fit in an int64.
func unixNanos(t time.Time) (int64, bool) {
	if !inNanoRange(t) {
		return 0, false
	}
	return t.UnixNano(), true
}

// inNanoRange reports whether t lies in the years 1678–2261 UTC (see
// unixNanos).
func inNanoRange(t time.Time) bool {
	// The bounds are 1678-01-01 and 2262-01-01 UTC in Unix seconds: a
	// comparison instead of a calendar computation of the year.
	sec := t.Unix()
	return sec >= -9214560000 && sec < 9214646400
}

// Add classifies a conversation (see [Classify]) and counts it. On error
// nothing is counted.
func (o *Outcomes) AddConversation(c Conversation) error {
	info := c.Info()
	events := readEvents(c, &o.buf)
	if info.ID == "" {
		return noConversationID()
	}
	if err := checkEvents(info.ID, events); err != nil {
		return err
	}
	m, err := o.cfg.measureChecked(&info, events)
	if err != nil {
		return err
	}
	o.record(&info, &m, true)
	return nil
}

// outcomeMeasure is what one conversation adds to an [Outcomes].
type outcomeMeasure struct {
	f          outcomeFacts
	start, end int64 // Unix nanoseconds of the start and the resolution in force at the end, if engaged
}

// measureChecked classifies a conversation with an id whose events passed
// checkEvents.
func (cfg *outcomesConfig) measureChecked(info *Info, events []Event) (outcomeMeasure, error) {
	var m outcomeMeasure
	var err error
	if m.f, err = scanOutcomeChecked(info, events, cfg.completion(), cfg.asOf); err != nil {
		return m, err
	}
	if m.f.outcome != Unengaged {
		var ok1, ok2 bool
		m.start, ok1 = unixNanos(m.f.start)
		if m.f.resolvedAtEnd {
			m.end, ok2 = unixNanos(m.f.endResolution)
		}
		if !ok1 || m.f.resolvedAtEnd && !ok2 {
			return m, &InputError{Conversation: info.ID, Event: -1, Field: "time", Reason: "conversation time outside the years 1678–2261"}
		}
	}
	return m, nil
}

// record adds a measured conversation; with repeats false it leaves out the
// state of the successful-chat rate, whose SuccessfulChat is then
// meaningless.
func (o *Outcomes) record(info *Info, m *outcomeMeasure, repeats bool) {
	f, start, end := &m.f, m.start, m.end
	engaged := f.outcome != Unengaged
	o.counts[f.outcome-1]++
	if f.resolvedEver {
		o.resolvedEver++
		if f.reopened {
			o.reopened++
		}
	}
	if !engaged {
		return
	}
	switch {
	case f.pending:
		o.completionPending++
	case f.durable:
		o.completed++
	}
	if !repeats {
		return
	}
	if info.Customer == "" {
		if f.resolvedAtEnd {
			if o.repeatPending(end) {
				o.anonymousPending++
			} else {
				o.anonymousResolved++
			}
		}
		return
	}
	if !info.Outbound || f.resolvedAtEnd {
		pending := f.resolvedAtEnd && o.repeatPending(end)
		if f.resolvedAtEnd {
			o.identified[b2i(pending)]++
		}
		if o.repeats == nil {
			o.repeats = newRepeatLedger[*Outcomes](int64(o.cfg.repeat()), false)
		}
		o.repeats.add(info.Customer, start, !info.Outbound, f.resolvedAtEnd, end, o, pending)
	}
}

// repeated counts one of the identified resolutions as followed by a
// repeat contact.
func (o *Outcomes) repeated(pending bool) { o.repeatedN[b2i(pending)]++ }

// openResolutions is the number of identified resolutions (pending or not)
// with no repeat contact so far.
func (o *Outcomes) openResolutions(pending bool) int64 {
	k := b2i(pending)
	return o.identified[k] - o.repeatedN[k]
}

// repeatPending reports whether the repeat window of a resolution at r (Unix
// nanoseconds) ends after the as-of instant.
func (o *Outcomes) repeatPending(r int64) bool { return o.cfg.repeatPending(r) }

// repeatPending reports whether the repeat window of a resolution at r (Unix
// nanoseconds) ends after the as-of instant.
func (c outcomesConfig) repeatPending(r int64) bool {
	if c.asOf.IsZero() {
		return false
	}
	asOf, _ := unixNanos(c.asOf)
	return r > asOf-int64(c.repeat())
}

// The verdicts on a resolution's repeat contacts.
const (
	noRepeat      = iota // no repeat contact within the window: the resolution held
	repeatContact        // the customer came back within the window
	repeatPending        // no repeat yet, but the window ends after the as-of instant
)

// repeatVerdict judges a resolution at r (Unix nanoseconds) whose
// customer's next inbound engaged conversation after r starts at next
// (hasNext false: none): a repeat contact when next − r ≤ the repeat
// window, start in (r, r + window]; else pending when the window has not
// passed by the as-of instant; else no repeat. The first-contact
// resolutions of [Touches] follow it; the successful chats of [Outcomes]
// apply its two parts as the starts come (repeatLedger).
func (c outcomesConfig) repeatVerdict(r, next int64, hasNext bool) int {
	switch {
	case hasNext && isRepeat(r, next, int64(c.repeat())):
		return repeatContact
	case c.repeatPending(r):
		return repeatPending
	}
	return noRepeat
}

// Merge adds the conversations counted in other. Both must have the same
// windows and as-of instant, or it returns [ErrIncompatible].
func (o *Outcomes) Merge(other *Outcomes) error {
	if other == nil {
		return nil // nothing to add
	}
	if !o.cfg.same(other.cfg) {
		return fmt.Errorf("%w: outcomes with different windows or as-of instants", ErrIncompatible)
	}
	for i := range o.counts {
		o.counts[i] += other.counts[i]
	}
	o.resolvedEver += other.resolvedEver
	o.reopened += other.reopened
	o.completed += other.completed
	o.completionPending += other.completionPending
	o.anonymousResolved += other.anonymousResolved
	o.anonymousPending += other.anonymousPending
	for k := range o.identified {
		o.identified[k] += other.identified[k]
		o.repeatedN[k] += other.repeatedN[k]
	}
	if o.shared || other.repeats == nil {
		return nil // a report merges its ledger itself
	}
	if o.repeats == nil {
		o.repeats = newRepeatLedger[*Outcomes](int64(o.cfg.repeat()), false)
	}
	o.repeats.merge(other.repeats, func(*Outcomes) *Outcomes { return o })
	return nil
}

// OutcomeCounts counts conversations by [Outcome].
type OutcomeCounts struct {
	Unengaged, Escalated, ResolvedByBot, ResolvedByAgent, Abandoned int64
}

// Of returns the count of outcome k (0 for a value that is not an outcome).
func (c OutcomeCounts) Of(k Outcome) int64 {
	switch k {
	case Unengaged:
		return c.Unengaged
	case Escalated:
		return c.Escalated
	case ResolvedByBot:
		return c.ResolvedByBot
	case ResolvedByAgent:
		return c.ResolvedByAgent
	case Abandoned:
		return c.Abandoned
	}
	return 0
}

// OutcomesResult is the result of [Outcomes]. Each rate is a [Proportion]
// with its exact counts; one with no trials reports [ErrNoData].
type OutcomesResult struct {
	Conversations int64 // all conversations
	Engaged       int64 // conversations with a customer message
	Counts        OutcomeCounts
	Containment   Proportion // resolved by bot ÷ engaged
	Escalation    Proportion // escalated ÷ engaged
	// Completion is engaged conversations with a durable resolution ÷
	// engaged conversations whose completion could be judged.
	Completion        Proportion
	CompletionPending int64 // engaged conversations left out of Completion
	// SuccessfulChat is engaged conversations resolved with no repeat
	// contact ÷ engaged conversations that could be judged.
	SuccessfulChat    Proportion
	SuccessfulPending int64 // engaged conversations left out of SuccessfulChat
	// WithoutCustomer is the number of resolved conversations without a
	// Customer id, counted as successful for lack of a way to see repeats.
	WithoutCustomer int64
	Reopen          Proportion // reopened ÷ resolved at least once
}

// Share returns the share of all conversations that had outcome k. The
// shares of the five outcomes sum to 1; it has no data (see
// [Proportion.Fraction]) for a k that is not an outcome.
func (s OutcomesResult) Share(k Outcome) Proportion {
	if k < Unengaged || k > Abandoned {
		return Proportion{}
	}
	return Proportion{s.Counts.Of(k), s.Conversations}
}

// Result returns the counts and rates, or [ErrNoData] if no conversation was
// added.
func (o *Outcomes) Result() (OutcomesResult, error) {
	var s OutcomesResult
	for _, n := range o.counts {
		s.Conversations += n
	}
	if s.Conversations == 0 {
		return s, ErrNoData
	}
	s.Counts = OutcomeCounts{o.counts[0], o.counts[1], o.counts[2], o.counts[3], o.counts[4]}
	s.Engaged = s.Conversations - s.Counts.Unengaged
	s.Containment = Proportion{s.Counts.ResolvedByBot, s.Engaged}
	s.Escalation = Proportion{s.Counts.Escalated, s.Engaged}
	s.Completion = Proportion{o.completed, s.Engaged - o.completionPending}
	s.CompletionPending = o.completionPending
	s.Reopen = Proportion{o.reopened, o.resolvedEver}
	successful, pending := o.anonymousResolved+o.openResolutions(false), o.anonymousPending+o.openResolutions(true)
	s.SuccessfulChat = Proportion{successful, s.Engaged - pending}
	s.SuccessfulPending = pending
	s.WithoutCustomer = o.anonymousResolved + o.anonymousPending
	return s, nil
}

// MarshalBinary encodes the state, settings included. The encoding does not
// depend on the order in which conversations were added.
func (o *Outcomes) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagOutcomes, 64)
	e.varint(int64(o.cfg.completion()))
	e.varint(int64(o.cfg.repeat()))
	encodeAsOf(e, o.cfg.asOf)
	for _, n := range o.counts {
		e.uvarint(uint64(n))
	}
	for _, n := range [...]int64{o.resolvedEver, o.reopened, o.completed, o.completionPending, o.anonymousResolved, o.anonymousPending,
		o.identified[0], o.identified[1], o.repeatedN[0], o.repeatedN[1]} {
		e.uvarint(uint64(n))
	}
	if o.shared {
		e.uvarint(0) // the report encodes its ledger
	} else {
		o.repeats.encode(e, func(*Outcomes) int { return 0 })
	}
	return e.finish(), nil
}

// encodeAsOf writes an optional as-of instant (see OutcomesSettings.AsOf)
// as Unix nanoseconds.
func encodeAsOf(e *encoder, t time.Time) {
	e.bool(!t.IsZero())
	if !t.IsZero() {
		n, _ := unixNanos(t)
		e.varint(n)
	}
}

// decodeAsOf reads what encodeAsOf writes; an instant outside the range of
// Unix nanoseconds fails d.
func decodeAsOf(d *decoder) time.Time {
	if !d.bool() {
		return time.Time{}
	}
	t := time.Unix(0, d.varint()).UTC()
	if d.err == nil {
		if _, ok := unixNanos(t); !ok {
			d.fail("as-of instant out of range")
		}
	}
	return t
}

// encodeInstants writes sorted instants as a count, the first and the
// non-negative gaps.
func encodeInstants(e *encoder, s []int64) {
	e.uvarint(uint64(len(s)))
	var prev int64
	for i, t := range s {
		if i == 0 {
			e.varint(t)
		} else {
			e.uvarint(uint64(t - prev))
		}
		prev = t
	}
}

func decodeInstants(d *decoder) []int64 {
	n := d.length(1)
	if d.err != nil || n == 0 {
		return nil
	}
	s := make([]int64, n)
	for i := range s {
		if i == 0 {
			s[i] = d.varint()
			continue
		}
		gap := d.uvarint()
		if gap > math.MaxInt64 || s[i-1] > math.MaxInt64-int64(gap) {
			d.fail("instant overflows")
			return nil
		}
		s[i] = s[i-1] + int64(gap)
	}
	return s
}

// UnmarshalBinary replaces the state with one written by
// [Outcomes.MarshalBinary]. It rejects corrupt or inconsistent encodings
// with an error wrapping [ErrInvalid] and then leaves o unchanged.
func (o *Outcomes) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagOutcomes, "outcomes")
	var n Outcomes
	n.cfg.completionWindow = time.Duration(d.varint())
	n.cfg.repeatWindow = time.Duration(d.varint())
	if d.err == nil && (n.cfg.completionWindow <= 0 || n.cfg.repeatWindow <= 0) {
		d.fail("windows must be positive")
	}
	n.cfg.asOf = decodeAsOf(d)
	var total int64
	for i := range n.counts {
		n.counts[i] = d.count()
		total += n.counts[i]
		if total < 0 {
			d.fail("counts overflow")
		}
	}
	for _, p := range []*int64{&n.resolvedEver, &n.reopened, &n.completed, &n.completionPending, &n.anonymousResolved, &n.anonymousPending,
		&n.identified[0], &n.identified[1], &n.repeatedN[0], &n.repeatedN[1]} {
		*p = d.count()
	}
	if d.err == nil && (n.repeatedN[0] > n.identified[0] || n.repeatedN[1] > n.identified[1]) {
		d.fail("more repeated than identified resolutions")
	}
	if o.shared {
		n.repeats, n.shared = o.repeats, true
		if d.err == nil && d.uvarint() != 0 {
			d.fail("the outcomes of a report hold no customers")
		}
	} else {
		n.repeats = newRepeatLedger[*Outcomes](int64(n.cfg.repeat()), false)
		if d.err == nil {
			n.repeats.decode(d, []*Outcomes{&n})
		}
	}
	if err := d.finish(); err != nil {
		return err
	}
	engaged := total - n.counts[Unengaged-1]
	resolvedEnd := n.identified[0] + n.identified[1] + n.anonymousResolved + n.anonymousPending
	switch {
	case n.reopened > n.resolvedEver:
		d.fail("more reopened (%d) than resolved (%d) conversations", n.reopened, n.resolvedEver)
	case n.resolvedEver > total:
		d.fail("more resolved (%d) than all (%d) conversations", n.resolvedEver, total)
	case n.completed > engaged || n.completionPending > engaged-n.completed:
		d.fail("completion counts exceed the %d engaged conversations", engaged)
	case resolvedEnd > engaged || resolvedEnd < 0:
		d.fail("resolutions exceed the %d engaged conversations", engaged)
	}
	if d.err != nil {
		return d.err
	}
	n.buf = o.buf
	*o = n
	o.repeats.retarget(&n, o)
	return nil
}
