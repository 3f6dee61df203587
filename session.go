package chatkpi

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Role says who produced an event. The zero value is not a role, so an
// event whose role was never set fails validation.
type Role uint8

// The roles.
const (
	Customer Role = iota + 1 // the person the business serves
	Agent                    // a human agent
	Bot                      // an automated conversational agent
	System                   // the platform itself (assignments, auto-replies, timers)
)

// roleName is the file-format name of a valid role.
func roleName(r Role) string {
	switch r {
	case Customer:
		return "customer"
	case Agent:
		return "agent"
	case Bot:
		return "bot"
	case System:
		return "system"
	}
	return ""
}

// String returns the role's name in the event file format: "customer",
// "agent", "bot" or "system".
func (r Role) String() string {
	if r >= Customer && r <= System {
		return roleName(r)
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// ParseRole reads a role name as [Role.String] writes it.
func ParseRole(s string) (Role, error) {
	for r := Customer; r <= System; r++ {
		if roleName(r) == s {
			return r, nil
		}
	}
	return 0, invalidf("role", "%q is not one of customer, agent, bot, system", s)
}

// EventType says what happened. The zero value is not a type.
type EventType uint8

// The event types. The comment of each says what it means for the metrics.
const (
	// Message is a message in the conversation by its Role. A public message
	// by an agent or a bot is a reply and stops the response clocks, unless
	// it is Private (an internal note) or Automatic (an auto-acknowledgement);
	// messages by System never stop them.
	Message EventType = iota + 1
	// Handoff is the bot handing the conversation over to human agents (an
	// escalation). Role is Bot or System.
	Handoff
	// Queued is the conversation entering the queue for a human agent.
	Queued
	// Joined is the human agent named in Agent joining (or being assigned to)
	// the conversation, whatever its Role: an agent joining has role Agent,
	// the platform assigning one has role System.
	Joined
	// Left is the customer leaving the conversation (closing the chat or
	// abandoning the queue), whatever its Role: the customer's own event or
	// the platform recording it (role System).
	Left
	// Resolved marks the conversation resolved; there may be several when it
	// is reopened.
	Resolved
	// Reopened reopens a resolved conversation.
	Reopened
	// Goal is a target action by the customer (a purchase, a sign-up), with an
	// optional money Value in Currency.
	Goal
	// SurveySent is a survey of kind Survey offered to the customer; it is the
	// denominator of the response rate.
	SurveySent
	// Rating is the customer's answer Score to a survey of kind Survey.
	Rating
	// Feedback is a rating of the bot's most recent answer: Helpful or not
	// (from the customer or a reviewer).
	Feedback
	// Fallback is a bot reply that was a fallback ("I did not understand"). It
	// is a public bot reply like a bot Message.
	Fallback
	// Online is the agent named in Agent becoming available.
	Online
	// Offline is the agent named in Agent becoming unavailable.
	Offline
	// Pending is the conversation starting to wait on the customer (a
	// ticket's "pending" state: the team asked a question). A customer
	// message, a public human agent reply or [Opened] ends it (see
	// [WaitTimes] for every rule). Role Agent, Bot or System.
	Pending
	// OnHold is the conversation starting to wait on a third party (a
	// ticket's "on-hold" state). A customer message (as in Zendesk, where
	// an end user's comment sets an on-hold ticket open), [Opened] or a
	// resolution ends it; an agent's reply does not. Role Agent, Bot or
	// System.
	OnHold
	// Opened is the conversation explicitly set open again (back from
	// pending or on hold). Role Agent, Bot or System.
	Opened
)

// lastEventType is the last valid event type.
const lastEventType = Opened

// eventTypeName is the file-format name of a valid event type.
func eventTypeName(t EventType) string {
	switch t {
	case Message:
		return "message"
	case Handoff:
		return "handoff"
	case Queued:
		return "queued"
	case Joined:
		return "joined"
	case Left:
		return "left"
	case Resolved:
		return "resolved"
	case Reopened:
		return "reopened"
	case Goal:
		return "goal"
	case SurveySent:
		return "survey_sent"
	case Rating:
		return "rating"
	case Feedback:
		return "feedback"
	case Fallback:
		return "fallback"
	case Online:
		return "online"
	case Offline:
		return "offline"
	case Pending:
		return "pending"
	case OnHold:
		return "on_hold"
	case Opened:
		return "opened"
	}
	return ""
}

// String returns the type's name in the event file format, e.g. "message".
func (t EventType) String() string {
	if t >= Message && t <= lastEventType {
		return eventTypeName(t)
	}
	return fmt.Sprintf("EventType(%d)", uint8(t))
}

// ParseEventType reads a type name as [EventType.String] writes it.
func ParseEventType(s string) (EventType, error) {
	for t := Message; t <= lastEventType; t++ {
		if eventTypeName(t) == s {
			return t, nil
		}
	}
	return 0, invalidf("type", "%q is not an event type", s)
}

// Survey is the kind of a survey question. The zero value means "none".
type Survey uint8

// The survey kinds.
const (
	CSATSurvey Survey = iota + 1 // customer satisfaction, see [CSAT]
	NPSSurvey                    // net promoter score, see [NPS]
	CESSurvey                    // customer effort score, see [CES]
)

// surveyName is the file-format name of a valid survey kind.
func surveyName(s Survey) string {
	switch s {
	case CSATSurvey:
		return "csat"
	case NPSSurvey:
		return "nps"
	case CESSurvey:
		return "ces"
	}
	return ""
}

// String returns "csat", "nps" or "ces".
func (s Survey) String() string {
	if s >= CSATSurvey && s <= CESSurvey {
		return surveyName(s)
	}
	return fmt.Sprintf("Survey(%d)", uint8(s))
}

// ParseSurvey reads "csat", "nps" or "ces".
func ParseSurvey(s string) (Survey, error) {
	for k := CSATSurvey; k <= CESSurvey; k++ {
		if surveyName(k) == s {
			return k, nil
		}
	}
	return 0, invalidf("survey", "%q is not one of csat, nps, ces", s)
}

// Event is one thing that happened in a conversation. It is a plain value:
// adapting a backend's own event is one struct literal, and reading the events
// of a conversation costs one call per event, not one per field. Fields that
// do not apply to the Type are left zero.
type Event struct {
	Time time.Time // when it happened; required
	// Value is the money value of a Goal, in Currency. Zero means no value.
	Value decimal.Decimal
	// Agent identifies the human agent of an agent Message, Joined, Online or
	// Offline, and may name the agent on any other event.
	Agent string
	// Currency is the ISO 4217 code of Value ("EUR"); required when Value is
	// not zero.
	Currency string
	Type     EventType // required
	Role     Role      // required
	// Score is the answer of a Rating, on the scale of its Survey (every
	// scale lies within 0–10; see [Scale]).
	Score int8
	// Survey is the kind of a Rating or SurveySent.
	Survey Survey
	// Private marks an internal note (a Message customers do not see).
	Private bool
	// Automatic marks an automatic message such as an auto-acknowledgement;
	// it is not a reply.
	Automatic bool
	// Helpful is the verdict of a Feedback event.
	Helpful bool
	// ID identifies the event within its conversation, optional ("" is no
	// id): the message or event id of the chat backend, for de-duplication.
	// Two events of one conversation with the same non-empty ID are one
	// event delivered twice: [Joiner] (and so [ReadConversations] and
	// [Conversations]) keeps the first, drops and counts the others, and
	// rejects two events with one ID that differ in any other field. IDs of
	// different conversations are unrelated ("m1" may occur in each). The
	// calculators and [Report] ignore it. In the event file format it is the
	// field "id" (see [Record]).
	ID string
}

// IsReply reports whether e is a public reply by an agent or a bot: an agent
// or bot Message that is neither Private nor Automatic, or a bot Fallback.
// Replies stop the first-response and response clocks.
func (e *Event) IsReply() bool {
	switch e.Type {
	case Message:
		return (e.Role == Agent || e.Role == Bot) && !e.Private && !e.Automatic
	case Fallback:
		return e.Role == Bot
	}
	return false
}

// isHumanReply reports whether e is a public reply by a human agent.
func (e *Event) isHumanReply() bool {
	return e.Role == Agent && e.IsReply()
}

// agentServes reports whether e brings a human agent to the conversation: a
// [Joined] event, whoever emitted it (an agent joining, or the platform —
// role System — assigning one), or a public agent reply. The event type
// names the actor; the role only says who recorded it.
func (e *Event) agentServes() bool {
	return e.Type == Joined || e.isHumanReply()
}

// isMessage reports whether e is a message of the conversation, whoever sent
// it: a [Message] event (private notes and automatic messages included) or
// a bot [Fallback], which is a reply that failed but a message all the same.
func (e *Event) isMessage() bool {
	return e.Type == Message || e.Type == Fallback
}

// IsCustomerMessage reports whether e is a message sent by the customer.
func (e *Event) IsCustomerMessage() bool {
	return e.Type == Message && e.Role == Customer
}

// Info is what is known about a conversation apart from its events.
type Info struct {
	ID       string // conversation id; required
	Customer string // customer id, for retention and repeat contacts
	Channel  string // "chat", "email", "social", "call", ...
	Source   string // engagement source: page, link, product or greeting that started it
	// Priority is the conversation's (ticket's) priority, as the help desk
	// names it ("urgent", "high", ...); "" is none.
	Priority string
	// Outbound marks a conversation the business started; it has no first
	// response time.
	Outbound bool
	// Start is when the conversation was opened, if that is known apart from
	// its first event (a widget opened before the first message). The zero
	// value means the time of the first event.
	Start time.Time
	// Dims holds caller-defined dimensions for grouping ("greeting": "A").
	Dims map[string]string
}

// Conversation is what callers adapt their own data to: a conversation's
// [Info] and its events in time order (see [Validate]). Event must not
// allocate; returning a struct literal built from the caller's own record is
// the intended implementation. [*Chat] is a ready implementation.
type Conversation interface {
	Info() Info
	Len() int          // number of events
	Event(i int) Event // the i-th event, 0 ≤ i < Len()
}

// EventSource is a caller's own event type that can describe itself as an
// [Event]. [Adapt] turns a slice of them into a [Conversation].
type EventSource interface {
	ChatEvent() Event
}

// Adapt returns a [Conversation] over the caller's own events. It does not
// copy the slice; the events must be in time order (see [Validate]).
func Adapt[E EventSource](info Info, events []E) Conversation {
	return adapted[E]{info: info, events: events}
}

type adapted[E EventSource] struct {
	info   Info
	events []E
}

func (a adapted[E]) Info() Info        { return a.info }
func (a adapted[E]) Len() int          { return len(a.events) }
func (a adapted[E]) Event(i int) Event { return a.events[i].ChatEvent() }

// Chat is a ready [Conversation] for callers who have no types of their own:
// its Info and a slice of events. Calculators read a *Chat's slice directly,
// without a method call per event.
type Chat struct {
	Meta   Info
	Events []Event
}

// Info returns c.Meta.
func (c *Chat) Info() Info { return c.Meta }

// Len returns the number of events.
func (c *Chat) Len() int { return len(c.Events) }

// Event returns the i-th event.
func (c *Chat) Event(i int) Event { return c.Events[i] }

// SortEvents orders the events by time, keeping the given order of events
// with equal times (a stable sort). Use it when a backend delivers events out
// of order; calculators require time order and report an error otherwise.
func (c *Chat) SortEvents() {
	slices.SortStableFunc(c.Events, func(a, b Event) int { return a.Time.Compare(b.Time) })
}

// NewChat copies any [Conversation] into a *Chat.
func NewChat(c Conversation) *Chat {
	if ch, ok := c.(*Chat); ok {
		return &Chat{Meta: ch.Meta, Events: slices.Clone(ch.Events)}
	}
	n := c.Len()
	ch := &Chat{Meta: c.Info(), Events: make([]Event, n)}
	for i := range n {
		ch.Events[i] = c.Event(i)
	}
	return ch
}

// eventsOf returns the events of c as a slice without copying when c is a
// *Chat, and otherwise copies them into buf (reusing its capacity). Hot loops
// call it once per conversation so that reading an event is a slice index.
func eventsOf(c Conversation, buf []Event) []Event {
	if ch, ok := c.(*Chat); ok {
		return ch.Events
	}
	n := c.Len()
	buf = slices.Grow(buf[:0], n)[:n]
	for i := range n {
		buf[i] = c.Event(i)
	}
	return buf
}

// readEvents returns the events of c without copying when c is a *Chat, and
// otherwise copies them into *buf, whose capacity the next call reuses (a
// *Chat's own slice never becomes the buffer, so it is never overwritten).
// Calculators call it once per conversation and then index the slice.
func readEvents(c Conversation, buf *[]Event) []Event {
	if ch, ok := c.(*Chat); ok {
		return ch.Events
	}
	*buf = eventsOf(c, *buf)
	return *buf
}

// checkEvent checks event i of the events ev of conversation id as
// [Validate] does: the event itself and that it is not before the event
// before it. Every calculator's scan of a conversation calls it.
func checkEvent(id string, ev []Event, i int) error {
	e := &ev[i]
	if err := ValidateEvent(id, i, e); err != nil {
		return err
	}
	if i > 0 && e.Time.Before(ev[i-1].Time) {
		return outOfOrder(id, i, e.Time, ev[i-1].Time)
	}
	return nil
}

// checkEvents checks every event of conversation id with [checkEvent].
// Calculators validate a conversation with it once and then scan the checked
// events, so that a report running many calculators validates only once.
func checkEvents(id string, ev []Event) error {
	for i := range ev {
		if e := &ev[i]; !eventOK(e) || i > 0 && e.Time.Before(ev[i-1].Time) {
			if err := checkEvent(id, ev, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// eventOK reports whether [ValidateEvent] accepts e, without building an
// error: the fast path of validation. A test checks that the two agree on
// every kind of event. It is a call on purpose: inlined, it made the
// report's first scan over a conversation's events slower (more of its
// state spilled to the stack); that scan inlines eventSurelyOK instead
// and calls eventOK for the rest (see Report.firstFailing).
func eventOK(e *Event) bool {
	if e.Role < Customer || e.Role > System || e.Time.IsZero() {
		return false
	}
	if commonFieldsOK(e) {
		return true
	}
	switch e.Type {
	case Pending, OnHold, Opened:
		return e.Role != Customer
	case Rating:
		return eventScoreOK(e)
	case Goal:
		return goalOK(e)
	}
	return false
}

// anyFieldsTypes is the set (bit t for type t) of the event types that
// [ValidateEvent] accepts whatever their fields but Time and Role.
const anyFieldsTypes uint32 = 1<<Message | 1<<Handoff | 1<<Queued | 1<<Left | 1<<Resolved | 1<<Reopened | 1<<Feedback

// agentTypes is the set of the event types that need an Agent.
const agentTypes uint32 = 1<<Joined | 1<<Online | 1<<Offline

// commonFieldsOK reports whether the fields of e but Time and Role are what
// [ValidateEvent] accepts, for the event types whose rule is cheap enough
// to be inlined into a scan (anyFieldsTypes, agentTypes, Fallback,
// SurveySent); false for the others: eventOK tells.
func commonFieldsOK(e *Event) bool {
	return anyFieldsTypes>>e.Type&1 != 0 || agentTypes>>e.Type&1 != 0 && e.Agent != "" ||
		e.Type == Fallback && e.Role == Bot || e.Type == SurveySent && e.Survey-CSATSurvey <= CESSurvey-CSATSurvey
}

// eventSurelyOK is a test of most events that passes only events that
// eventOK accepts, cheap enough to be inlined into a scan: commonFieldsOK,
// a known role and a time other than the zero Time; at is
// instantOf(&e.Time), whose seconds are the Time's own seconds since the
// zero Time (IsZero: both parts zero). False says nothing: ask eventOK.
func eventSurelyOK(e *Event, at instant) bool {
	return commonFieldsOK(e) && knownRoleAndTime(e, at)
}

// knownRoleAndTime reports whether e has a known role and a time other than
// the zero Time, where at is instantOf(&e.Time) (see eventSurelyOK).
func knownRoleAndTime(e *Event, at instant) bool {
	return e.Role-Customer <= System-Customer && at.sec|int64(at.nsec) != 0
}

func eventScoreOK(e *Event) bool {
	lo, hi := surveyScores(e.Survey)
	return e.Score >= lo && e.Score <= hi
}

// surveyScores returns the range of the scores of a Rating of survey kind
// s: 0–10 for CSAT and NPS, 1–7 for CES, and an empty range (1, 0) for an
// unknown kind.
func surveyScores(s Survey) (lo, hi int8) {
	switch s {
	case CSATSurvey, NPSSurvey:
		return 0, 10
	case CESSurvey:
		return 1, 7
	}
	return 1, 0
}

func goalOK(e *Event) bool {
	if e.Value.IsNegative() {
		return false
	}
	if e.Currency == "" {
		return e.Value.IsZero()
	}
	return isCurrencyCode(e.Currency)
}

// outOfOrder is the error about event i of conversation id, at t, which is
// before the previous event's time prev.
func outOfOrder(id string, i int, t, prev time.Time) error {
	return eventErrorf(id, i, "time", "%s is before the previous event's %s: events must be in time order (see Chat.SortEvents)",
		t.Format(time.RFC3339Nano), prev.Format(time.RFC3339Nano))
}

// Survey scales that any event may carry. Calculators check the exact scale
// they were configured with; Validate checks only these outer bounds.
const (
	npsMin, npsMax = 0, 10
	maxScaleWidth  = 11 // the widest supported survey scale has 11 points (0–10)
)

// Validate checks a conversation and returns the first problem as an
// [*InputError] naming the conversation, the event index and the field:
//
//   - the conversation id is empty;
//   - an event has a zero Time, an unknown Role or Type;
//   - events are not in time order (equal times are fine);
//   - a Rating has no Survey, or a Score outside 0–10 (NPS, CSAT) or 1–7 (CES);
//     accumulators check the exact scale they were configured with;
//   - a SurveySent has no Survey;
//   - a Goal has a negative Value, or a non-zero Value without a Currency,
//     or a Currency that is not three upper-case letters;
//   - an Online, Offline or Joined event has no Agent;
//   - a Fallback is not by the Bot;
//   - a Pending, OnHold or Opened event is by the Customer;
//   - a Feedback comes before any bot reply (it has no answer to rate).
//
// Calculators validate what they read, so calling Validate first is only
// needed to reject bad input early.
func Validate(c Conversation) error {
	info := c.Info()
	if info.ID == "" {
		return &InputError{Event: -1, Field: "conversation", Reason: "empty conversation id"}
	}
	n := c.Len()
	var prev time.Time
	botReplied := false
	for i := range n {
		e := c.Event(i)
		if err := ValidateEvent(info.ID, i, &e); err != nil {
			return err
		}
		if e.Type == Feedback && !botReplied {
			return eventErrorf(info.ID, i, "type", "feedback before any bot reply: it has no answer to rate")
		}
		botReplied = botReplied || e.Role == Bot && e.IsReply()
		if i > 0 && e.Time.Before(prev) {
			return outOfOrder(info.ID, i, e.Time, prev)
		}
		prev = e.Time
	}
	return nil
}

// ValidateEvent checks one event as [Validate] does, except for its order;
// id and i only label the error.
func ValidateEvent(id string, i int, e *Event) error {
	if e.Time.IsZero() {
		return eventErrorf(id, i, "time", "the zero instant 0001-01-01T00:00:00Z, which means no time: every event needs its time (the event files take the years 1–9999)")
	}
	if e.Role < Customer || e.Role > System {
		return eventErrorf(id, i, "role", "unknown role %d", uint8(e.Role))
	}
	switch e.Type {
	case Message, Handoff, Queued, Left, Resolved, Reopened, Feedback:
	case Joined, Online, Offline:
		if e.Agent == "" {
			return eventErrorf(id, i, "agent", "%s event without an agent", e.Type)
		}
	case Fallback:
		if e.Role != Bot {
			return eventErrorf(id, i, "role", "fallback by %s; only the bot has fallbacks", e.Role)
		}
	case Pending, OnHold, Opened:
		if e.Role == Customer {
			return eventErrorf(id, i, "role", "%s by the customer; the team (agent, bot or system) sets a conversation's state", e.Type)
		}
	case SurveySent:
		if e.Survey < CSATSurvey || e.Survey > CESSurvey {
			return eventErrorf(id, i, "survey", "survey_sent without a survey kind (csat, nps or ces)")
		}
	case Rating:
		lo, hi := 0, 10
		switch e.Survey {
		case CSATSurvey, NPSSurvey:
		case CESSurvey:
			lo, hi = 1, 7
		default:
			return eventErrorf(id, i, "survey", "rating without a survey kind (csat, nps or ces)")
		}
		if s := int(e.Score); s < lo || s > hi {
			return eventErrorf(id, i, "score", "%d is outside every %s scale (%d–%d)", e.Score, e.Survey, lo, hi)
		}
	case Goal:
		if e.Value.IsNegative() {
			return eventErrorf(id, i, "value", "negative goal value %s", e.Value)
		}
		if !e.Value.IsZero() && e.Currency == "" {
			return eventErrorf(id, i, "currency", "goal value %s without a currency", e.Value)
		}
		if e.Currency != "" && !isCurrencyCode(e.Currency) {
			return eventErrorf(id, i, "currency", "%q is not an ISO 4217 code (three upper-case letters)", e.Currency)
		}
	default:
		return eventErrorf(id, i, "type", "unknown event type %d", uint8(e.Type))
	}
	return nil
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
