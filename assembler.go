package chatkpi

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// ConversationAdder is what an [Assembler] feeds closed conversations to:
// a [*Report], a [*LiveReport] or any calculator with AddConversation.
type ConversationAdder interface {
	AddConversation(Conversation) error
}

// AssemblerSettings are the settings of an [Assembler]. The zero value is
// the defaults; each field documents its own. Settings are compared with ==
// (after the defaults are filled in): only assemblers with equal settings
// merge.
type AssemblerSettings struct {
	// ResolvedQuiet closes a resolved conversation (its latest Resolved is
	// after its latest Reopened) once its latest event is this old.
	// Default (0): 15 minutes.
	ResolvedQuiet time.Duration
	// IdleTimeout closes any conversation once its latest event is this
	// old, resolved or not. Default (0): 24 hours.
	IdleTimeout time.Duration
	// Lateness is how long a conversation is held after it closed, still
	// taking late and out-of-order events, before it goes to the report;
	// after that its events are rejected. Default (0): none, a conversation
	// goes to the report the moment it closes.
	Lateness time.Duration
	// ClosedRecord is how many conversations that went to the report are
	// remembered, so that their re-delivered events are dropped as
	// duplicates and their new events rejected. The oldest is forgotten
	// first; an event for a forgotten conversation starts a new one with
	// the same id. Choose it above the number of conversations that close
	// within the longest re-delivery delay. Default (0): 100,000.
	ClosedRecord int
	// MaxEvents bounds the events of one open conversation; one more is an
	// error. Default (0): 10,000.
	MaxEvents int
}

// The defaults of [AssemblerSettings].
const (
	DefaultResolvedQuiet = 15 * time.Minute
	DefaultIdleTimeout   = 24 * time.Hour
	DefaultClosedRecord  = 100_000
	DefaultMaxEvents     = 10_000
)

// withDefaults checks s and fills in the defaults.
func (s AssemblerSettings) withDefaults() (AssemblerSettings, error) {
	switch {
	case s.ResolvedQuiet < 0:
		return s, invalidf("ResolvedQuiet", "negative duration %v", s.ResolvedQuiet)
	case s.IdleTimeout < 0:
		return s, invalidf("IdleTimeout", "negative duration %v", s.IdleTimeout)
	case s.Lateness < 0:
		return s, invalidf("Lateness", "negative duration %v", s.Lateness)
	case s.ClosedRecord < 0:
		return s, invalidf("ClosedRecord", "negative count %d", s.ClosedRecord)
	case s.MaxEvents < 0:
		return s, invalidf("MaxEvents", "negative count %d", s.MaxEvents)
	}
	if s.ResolvedQuiet == 0 {
		s.ResolvedQuiet = DefaultResolvedQuiet
	}
	if s.IdleTimeout == 0 {
		s.IdleTimeout = DefaultIdleTimeout
	}
	if s.ClosedRecord == 0 {
		s.ClosedRecord = DefaultClosedRecord
	}
	if s.MaxEvents == 0 {
		s.MaxEvents = DefaultMaxEvents
	}
	return s, nil
}

// Assembler turns events that arrive one at a time — webhooks, broker
// messages, rows written by a chat backend — into whole conversations for a
// report, exactly once.
//
// [Assembler.Add] takes one event with the conversation-level fields known
// so far (an [Info]; the first non-empty value of each field wins and a
// different one later is an error, as in [ReadConversations]). Events may
// come in any order and more than once: an event with the [Event].ID of one
// already held is dropped and counted when it is the same event, and an
// error when its content differs (the package's duplicate rule, see
// dedup.go; events without an ID are all distinct). A conversation stays
// open until it closes:
//
//   - resolved and then quiet: its latest Resolved is after its latest
//     Reopened, and its latest event is ResolvedQuiet old;
//   - idle: its latest event is IdleTimeout old;
//   - explicitly, by [Assembler.Close].
//
// Then it is held for the Lateness, still taking events (a late one may
// reopen it), and then [Assembler.Advance] sorts its events by time (equal
// times by ID, then in arrival order) and adds it to the report. An event
// for a conversation that went to the report is dropped when it is a
// duplicate of one of its events and otherwise rejected with an error
// naming the conversation and the event.
//
// Time is passed in, never read from a clock: "now" is the latest instant
// given to Add, Close or Advance (it never goes back), and "old" is
// measured from the events' own times to it. A backend passes its receipt
// time, a replay the latest event time it has read.
//
// Memory is bounded by the open conversations and the record of closed
// ones: each open conversation holds its Info and its events (about 200
// bytes per event plus the strings, at most MaxEvents), and each of the
// ClosedRecord remembered conversations its id and 16 bytes per event with
// an ID (hashes, 2⁻⁶⁴ chance that a new event passes for a duplicate).
//
// Like every accumulator, an Assembler merges ([Assembler.Merge], for
// assemblers fed different events) and serializes
// ([Assembler.MarshalBinary]): checkpoint it together with its report and a
// restarted backend loses and double counts nothing. [LiveReport] pairs one
// with a report for concurrent use. The zero value is an empty assembler
// with the default settings. An Assembler is not safe for concurrent use.
type Assembler struct {
	cfg        AssemblerSettings // with the defaults; zero until init
	now        time.Time
	open       map[string]*openConversation
	due        dueQueue
	ids        map[openEventKey]int32 // (conversation, event id) → index in the open conversation's events
	closed     map[string][]eventDigest
	ring       []string // closed conversations, oldest first from ringHead
	ringHead   int
	duplicates int64
	spare      []*openConversation // emptied conversations, reused
	chat       Chat                // the conversation being added to a report
	scratch    []byte
}

// openConversation is a conversation the assembler holds.
type openConversation struct {
	info       Info
	events     []Event // in arrival order until it goes to the report
	latest     time.Time
	resolvedAt time.Time // latest Resolved
	reopenedAt time.Time // latest Reopened
	closedAt   time.Time // explicit close; zero if none
	facts      openFacts // what the open view needs, kept as events arrive
	at         time.Time // when it goes to the report (closesAt), its place in the due queue
	index      int       // in the due queue, or −1
}

// closesAt is when the conversation goes to the report.
func (c *openConversation) closesAt(s *AssemblerSettings) time.Time {
	wait := s.IdleTimeout
	if !c.resolvedAt.IsZero() && c.resolvedAt.After(c.reopenedAt) {
		wait = min(wait, s.ResolvedQuiet)
	}
	at := c.latest.Add(wait)
	if !c.closedAt.IsZero() && c.closedAt.Before(at) {
		at = c.closedAt
	}
	return at.Add(s.Lateness)
}

// openEventKey is an event id of an open conversation.
type openEventKey struct{ conversation, id string }

// eventDigest remembers an event with an ID of a closed conversation.
type eventDigest struct{ id, content uint64 }

// NewAssembler returns an empty assembler with the settings, or an error
// wrapping [ErrInvalid] for a negative setting.
func NewAssembler(s AssemblerSettings) (*Assembler, error) {
	cfg, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	a := &Assembler{}
	a.setup(cfg)
	return a, nil
}

func (a *Assembler) setup(cfg AssemblerSettings) {
	a.cfg = cfg
	a.open = make(map[string]*openConversation)
	a.ids = make(map[openEventKey]int32)
	a.closed = make(map[string][]eventDigest)
}

// init gives the zero value the defaults.
func (a *Assembler) init() {
	if a.cfg.MaxEvents == 0 {
		cfg, _ := AssemblerSettings{}.withDefaults()
		a.setup(cfg)
	}
}

// Settings returns the settings with the defaults filled in.
func (a *Assembler) Settings() AssemblerSettings {
	a.init()
	return a.cfg
}

func (a *Assembler) advanceClock(now time.Time) {
	if now.After(a.now) {
		a.now = now
	}
}

// Add takes event e of the conversation info.ID, with the conversation-level
// fields of info, at the instant now. It returns an [*InputError] for an
// invalid event (see [ValidateEvent]), a conflicting conversation-level
// field, an event ID delivered before with other content, an event for a
// conversation that went to the report, or an open conversation's event
// beyond MaxEvents; nothing is recorded then. A duplicate is dropped and
// counted ([Assembler.Duplicates]). Add does not close conversations; call
// [Assembler.Advance].
func (a *Assembler) Add(now time.Time, info Info, e Event) error {
	a.init()
	if info.ID == "" {
		return noConversationID()
	}
	if err := ValidateEvent(info.ID, -1, &e); err != nil {
		if ie, ok := err.(*InputError); ok {
			ie.Reason = "event " + eventName(&e) + ": " + ie.Reason
		}
		return err
	}
	a.advanceClock(now)
	c := a.open[info.ID]
	if c == nil {
		if digests, ok := a.closed[info.ID]; ok {
			if e.ID != "" && slices.Contains(digests, a.digest(&e)) {
				a.duplicates++
				return nil
			}
			return &InputError{Conversation: info.ID, Event: -1, Field: "conversation", Reason: fmt.Sprintf(
				"event %s at %s: the conversation closed and went to the report (beyond the lateness %v)",
				eventName(&e), e.Time.Format(time.RFC3339Nano), a.cfg.Lateness)}
		}
		c = a.newConversation(info)
	} else {
		// The duplicate rule first, then the conversation-level fields
		// (merged for a duplicate too; a conflict is an error either way),
		// so that an error records nothing.
		dup := false
		if e.ID != "" {
			if i, ok := a.ids[openEventKey{info.ID, e.ID}]; ok {
				if diff := eventDiff(&c.events[i], &e); diff != "" {
					return idConflict(info.ID, &e, &c.events[i], diff, "an earlier delivery")
				}
				dup = true
			}
		}
		if !dup && len(c.events) >= a.cfg.MaxEvents {
			return &InputError{Conversation: info.ID, Event: -1, Field: "conversation", Reason: fmt.Sprintf(
				"event %s would be event %d of an open conversation: more than MaxEvents %d", eventName(&e), len(c.events)+1, a.cfg.MaxEvents)}
		}
		if err := c.mergeInfo(&info); err != nil {
			return err
		}
		if dup {
			a.duplicates++
			return nil
		}
	}
	c.add(&e)
	if e.ID != "" {
		a.ids[openEventKey{info.ID, e.ID}] = int32(len(c.events) - 1)
	}
	a.schedule(c)
	return nil
}

// eventName names an event in errors: its id, or its type.
func eventName(e *Event) string {
	if e.ID != "" {
		return quoteShort(e.ID)
	}
	return "(" + e.Type.String() + ", no id)"
}

func (a *Assembler) newConversation(info Info) *openConversation {
	var c *openConversation
	if n := len(a.spare); n > 0 {
		c, a.spare = a.spare[n-1], a.spare[:n-1]
	} else {
		c = &openConversation{events: make([]Event, 0, 16)}
	}
	c.info = info
	c.facts.outbound = info.Outbound
	c.info.Dims = maps.Clone(info.Dims) // the caller may reuse its map
	delete(c.info.Dims, "")
	maps.DeleteFunc(c.info.Dims, func(_, v string) bool { return v == "" })
	c.index = -1
	a.open[info.ID] = c
	return c
}

func (c *openConversation) add(e *Event) {
	c.events = append(c.events, *e)
	c.facts.add(e)
	if e.Time.After(c.latest) {
		c.latest = e.Time
	}
	switch e.Type {
	case Resolved:
		if e.Time.After(c.resolvedAt) {
			c.resolvedAt = e.Time
		}
	case Reopened:
		if e.Time.After(c.reopenedAt) {
			c.reopenedAt = e.Time
		}
	}
}

// mergeInfo adds the conversation-level fields of src, or returns the
// conflict and changes nothing.
func (c *openConversation) mergeInfo(src *Info) error {
	merged := c.info
	s := *src
	s.Dims = nil
	if err := mergeInfo(&merged, &s); err != nil {
		return err
	}
	grow := false
	for k, v := range src.Dims {
		switch cur := merged.Dims[k]; {
		case v == "" || cur == v:
		case cur == "":
			grow = true
		default:
			return conflict(merged.ID, "dims."+k, v, cur)
		}
	}
	if grow {
		merged.Dims = maps.Clone(merged.Dims)
		if merged.Dims == nil {
			merged.Dims = make(map[string]string, len(src.Dims))
		}
		for k, v := range src.Dims {
			if v != "" {
				merged.Dims[k] = v
			}
		}
	}
	c.info = merged
	c.facts.outbound = merged.Outbound
	return nil
}

// schedule puts c in the due queue or moves it to its new place.
func (a *Assembler) schedule(c *openConversation) {
	c.at = c.closesAt(&a.cfg)
	if c.index < 0 {
		heap.Push(&a.due, c)
		return
	}
	heap.Fix(&a.due, c.index)
}

// Close closes the open conversation id explicitly at now (it still waits
// for the Lateness). Closing a conversation that already went to the report
// does nothing; an id the assembler does not know is an error.
func (a *Assembler) Close(now time.Time, id string) error {
	a.init()
	if now.IsZero() {
		return &InputError{Conversation: id, Event: -1, Field: "time", Reason: "closing at the zero instant"}
	}
	a.advanceClock(now)
	c := a.open[id]
	if c == nil {
		if _, ok := a.closed[id]; ok {
			return nil
		}
		return &InputError{Conversation: id, Event: -1, Field: "conversation", Reason: "not an open conversation: nothing to close"}
	}
	if c.closedAt.IsZero() || a.now.Before(c.closedAt) {
		c.closedAt = a.now
	}
	a.schedule(c)
	return nil
}

// Advance moves the assembler's time to now and adds every conversation
// whose time has come (see [Assembler]) to r. A conversation that r
// rejects is not recorded anywhere (its later events are rejected as those
// of a closed conversation); the errors of all of them are returned
// joined, each naming its conversation.
func (a *Assembler) Advance(now time.Time, r ConversationAdder) error {
	a.init()
	a.advanceClock(now)
	var errs []error
	for len(a.due) > 0 && !a.now.Before(a.due[0].at) {
		c := heap.Pop(&a.due).(*openConversation)
		if err := a.finish(c, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Drain adds every open conversation to r at once, whatever its time (for a
// shutdown without a checkpoint), as Advance does.
func (a *Assembler) Drain(r ConversationAdder) error {
	a.init()
	var errs []error
	for len(a.due) > 0 {
		c := heap.Pop(&a.due).(*openConversation)
		if err := a.finish(c, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// finish sorts c's events, remembers it as closed and adds it to r.
func (a *Assembler) finish(c *openConversation, r ConversationAdder) error {
	id := c.info.ID
	delete(a.open, id)
	slices.SortStableFunc(c.events, compareEvents)
	withID := 0
	for i := range c.events {
		if c.events[i].ID != "" {
			withID++
		}
	}
	var digests []eventDigest
	if withID > 0 {
		digests = make([]eventDigest, 0, withID)
	}
	for i := range c.events {
		if e := &c.events[i]; e.ID != "" {
			delete(a.ids, openEventKey{id, e.ID})
			digests = append(digests, a.digest(e))
		}
	}
	a.remember(id, digests)
	a.chat = Chat{Meta: c.info, Events: c.events}
	err := r.AddConversation(&a.chat)
	a.chat = Chat{}
	clear(c.events)
	*c = openConversation{events: c.events[:0], index: -1}
	if len(a.spare) < 1024 {
		a.spare = append(a.spare, c)
	}
	return err
}

// compareEvents orders events by time, then by ID.
func compareEvents(x, y Event) int {
	if c := x.Time.Compare(y.Time); c != 0 {
		return c
	}
	return cmp.Compare(x.ID, y.ID)
}

// remember records a closed conversation, forgetting the oldest when the
// record is full.
func (a *Assembler) remember(id string, digests []eventDigest) {
	if _, ok := a.closed[id]; ok {
		a.closed[id] = append(a.closed[id], digests...)
		return
	}
	if len(a.ring) < a.cfg.ClosedRecord {
		a.ring = append(a.ring, id)
	} else {
		delete(a.closed, a.ring[a.ringHead])
		a.ring[a.ringHead] = id
		a.ringHead = (a.ringHead + 1) % len(a.ring)
	}
	a.closed[id] = digests
}

// digest hashes an event with an ID (FNV-1a, 64 bits each, of the ID and
// of the event's encoding).
func (a *Assembler) digest(e *Event) eventDigest {
	enc := encoder{buf: a.scratch[:0]}
	encodeEvent(&enc, e)
	a.scratch = enc.buf
	return eventDigest{fnv64a(e.ID), fnv64a(enc.buf)}
}

func fnv64a[T string | []byte](b T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= 1099511628211
	}
	return h
}

// Duplicates returns the number of events dropped as duplicates.
func (a *Assembler) Duplicates() int64 { return a.duplicates }

// Open returns the number of open conversations (closed ones waiting for
// the Lateness included).
func (a *Assembler) Open() int { return len(a.open) }

// Merge adds o's events to a, as if a had been given them as well: open
// conversations of both are joined (duplicates dropped and counted), the
// records of closed conversations united, the time is the later one.
// Different settings give [ErrIncompatible]; a conversation open in one
// and closed in the other, or an event ID with two contents, an
// [*InputError]. On error a is unchanged.
func (a *Assembler) Merge(o *Assembler) error {
	a.init()
	o.init()
	if a.cfg != o.cfg {
		return fmt.Errorf("%w: assemblers with different settings", ErrIncompatible)
	}
	if o == a {
		cp, err := cloneAssembler(o)
		if err != nil {
			return err
		}
		o = cp
	}
	// Check everything first, so that an error changes nothing.
	for id, oc := range o.open {
		if _, ok := a.closed[id]; ok {
			return &InputError{Conversation: id, Event: -1, Field: "conversation", Reason: "open in one assembler and closed in the other"}
		}
		c := a.open[id]
		if c == nil {
			continue
		}
		probe := *c
		if err := probe.mergeInfo(&oc.info); err != nil {
			return err
		}
		n := len(c.events)
		for i := range oc.events {
			e := &oc.events[i]
			if e.ID != "" {
				if j, ok := a.ids[openEventKey{id, e.ID}]; ok {
					if diff := eventDiff(&c.events[j], e); diff != "" {
						return idConflict(id, e, &c.events[j], diff, "the other assembler")
					}
					continue
				}
			}
			n++
		}
		if n > a.cfg.MaxEvents {
			return &InputError{Conversation: id, Event: -1, Field: "conversation", Reason: fmt.Sprintf("merged, it has %d events: more than MaxEvents %d", n, a.cfg.MaxEvents)}
		}
	}
	for id := range o.closed {
		if _, ok := a.open[id]; ok {
			return &InputError{Conversation: id, Event: -1, Field: "conversation", Reason: "open in one assembler and closed in the other"}
		}
	}
	a.advanceClock(o.now)
	a.duplicates += o.duplicates
	for id, oc := range o.open {
		c := a.open[id]
		if c == nil {
			c = a.newConversation(oc.info)
		} else {
			_ = c.mergeInfo(&oc.info) // checked
		}
		for i := range oc.events {
			e := &oc.events[i]
			if e.ID != "" {
				if _, ok := a.ids[openEventKey{id, e.ID}]; ok {
					a.duplicates++
					continue
				}
			}
			c.add(e)
			if e.ID != "" {
				a.ids[openEventKey{id, e.ID}] = int32(len(c.events) - 1)
			}
		}
		if !oc.closedAt.IsZero() && (c.closedAt.IsZero() || oc.closedAt.Before(c.closedAt)) {
			c.closedAt = oc.closedAt
		}
		a.schedule(c)
	}
	for i := range o.ring {
		id := o.ring[(o.ringHead+i)%len(o.ring)]
		digests := o.closed[id]
		if mine, ok := a.closed[id]; ok {
			for _, d := range digests {
				if !slices.Contains(mine, d) {
					mine = append(mine, d)
				}
			}
			a.closed[id] = mine
			continue
		}
		a.remember(id, slices.Clone(digests))
	}
	return nil
}

func cloneAssembler(o *Assembler) (*Assembler, error) {
	b, err := o.MarshalBinary()
	if err != nil {
		return nil, err
	}
	var cp Assembler
	if err := cp.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return &cp, nil
}

// dueQueue orders open conversations by when they go to the report.
type dueQueue []*openConversation

func (q dueQueue) Len() int { return len(q) }
func (q dueQueue) Less(i, j int) bool {
	if c := q[i].at.Compare(q[j].at); c != 0 {
		return c < 0
	}
	return q[i].info.ID < q[j].info.ID
}
func (q dueQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *dueQueue) Push(x any) {
	c := x.(*openConversation)
	c.index = len(*q)
	*q = append(*q, c)
}
func (q *dueQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	c.index = -1
	return c
}
