package chatkpi

import (
	"fmt"
	"time"
)

// The duplicate rule, written once for everything that assembles
// conversations from delivered events (the event file readers through
// [Joiner], and any live assembler):
//
//   - Two events of one conversation with the same non-empty [Event.ID] are
//     one event delivered twice. The later delivery is dropped and counted.
//   - If the two differ in any other field (their [eventKey]s differ; the
//     first such field is what [eventDiff] returns), they are not a
//     redelivery but two events claiming one id: an error naming both.
//   - Events without an ID are all distinct, unless the caller opts in to
//     "identical events are duplicates" ([Joiner].DropIdentical): then two
//     events of one conversation, both without an ID and equal in every
//     field, are one event delivered twice.
//
// Conversation-level fields given with a delivery (customer, channel, ...)
// play no part in the rule: they are merged, duplicate or not, and a conflict
// among them is an error of its own.

// eventDiff names, for a message, the first field of [eventKey] in which
// the contents of a and b differ (the event file format's name, in the
// order time, role, type, agent, survey, score, value, currency, helpful,
// private, automatic), or returns "" when their keys are equal.
func eventDiff(a, b *Event) string {
	ka, kb := keyOf(a), keyOf(b)
	switch {
	case ka.sec != kb.sec || ka.nsec != kb.nsec:
		return "time"
	case ka.role != kb.role:
		return "role"
	case ka.typ != kb.typ:
		return "type"
	case ka.agent != kb.agent:
		return "agent"
	case ka.survey != kb.survey:
		return "survey"
	case ka.score != kb.score:
		return "score"
	case ka.value != kb.value:
		return "value"
	case ka.currency != kb.currency:
		return "currency"
	case ka.flags&flagHelpful != kb.flags&flagHelpful:
		return "helpful"
	case ka.flags&flagPrivate != kb.flags&flagPrivate:
		return "private"
	case ka.flags&flagAutomatic != kb.flags&flagAutomatic:
		return "automatic"
	}
	return ""
}

// eventKey is the content of an event as a comparable value, the one
// definition of "the same event": every field of [Event] but ID, times as
// instants (the offset they were given in does not matter) and values as
// decimals ("12.5" is "12.50").
type eventKey struct {
	sec      int64 // the instant: Unix seconds and nanoseconds
	nsec     int32
	typ      EventType
	role     Role
	survey   Survey
	flags    uint8 // flagHelpful | flagPrivate | flagAutomatic
	score    int
	agent    string
	currency string
	value    string // Value.String() (canonical: no trailing zeros), "" for zero
}

const (
	flagHelpful uint8 = 1 << iota
	flagPrivate
	flagAutomatic
)

func keyOf(e *Event) eventKey {
	k := eventKey{sec: e.Time.Unix(), nsec: int32(e.Time.Nanosecond()), typ: e.Type, role: e.Role,
		survey: e.Survey, score: int(e.Score), agent: e.Agent, currency: e.Currency}
	if e.Helpful {
		k.flags |= flagHelpful
	}
	if e.Private {
		k.flags |= flagPrivate
	}
	if e.Automatic {
		k.flags |= flagAutomatic
	}
	if !e.Value.IsZero() {
		k.value = e.Value.String()
	}
	return k
}

// eventSet remembers the events of one conversation so far, to find those
// delivered twice under the duplicate rule. P is what the caller keeps about
// each first delivery to name it in an error (for a reader, its line). The
// zero value is ready; it allocates only for events with an ID, or for all
// events when identical is set.
type eventSet[P any] struct {
	byID      map[string]firstDelivery[P]
	byContent map[eventKey]firstDelivery[P]
}

// firstDelivery is where the first delivery of an event is: its index in the
// caller's events of the conversation and the caller's position.
type firstDelivery[P any] struct {
	index int
	at    P
}

// add applies the duplicate rule to e, about to become event index of a
// conversation whose event i so far is event(i). It returns dup = true with
// the first delivery when e is a redelivery (the caller drops e); a non-empty
// diff, the first field that differs, with the first delivery when e has the
// ID of an earlier event with other content (an error: see [idConflict]);
// and otherwise remembers e at (index, at). With identical, events without
// an ID that are equal in every field are duplicates too.
func (s *eventSet[P]) add(event func(i int) Event, e *Event, index int, at P, identical bool) (first firstDelivery[P], dup bool, diff string) {
	switch {
	case e.ID != "":
		if s.byID == nil {
			s.byID = make(map[string]firstDelivery[P])
		}
		if f, ok := s.byID[e.ID]; ok {
			first := event(f.index)
			if diff := eventDiff(&first, e); diff != "" {
				return f, false, diff
			}
			return f, true, ""
		}
		s.byID[e.ID] = firstDelivery[P]{index, at}
	case identical:
		if s.byContent == nil {
			s.byContent = make(map[eventKey]firstDelivery[P])
		}
		k := keyOf(e)
		if f, ok := s.byContent[k]; ok {
			return f, true, ""
		}
		s.byContent[k] = firstDelivery[P]{index, at}
	}
	return firstDelivery[P]{}, false, ""
}

// idConflict is the error about e, of conversation conv, which has the ID
// of the earlier event first but differs from it in field diff; where names
// the first one's place ("line 3 of a.jsonl"). The caller sets the location
// of e (its Line, or its Event index).
func idConflict(conv string, e, first *Event, diff, where string) *InputError {
	return &InputError{Conversation: conv, Event: -1, Field: "id",
		Reason: fmt.Sprintf("%s is the id of two different events: %s %s here, %s on %s (a redelivery must repeat the event exactly)",
			quoteShort(e.ID), diff, fieldText(e, diff), fieldText(first, diff), where)}
}

// reset forgets every event, keeping the maps' memory for the next
// conversation.
func (s *eventSet[P]) reset() {
	clear(s.byID)
	clear(s.byContent)
}

// fieldText is the value of field name of e (a name [eventDiff] returns) for
// an error message.
func fieldText(e *Event, name string) string {
	switch name {
	case "time":
		return e.Time.Format(time.RFC3339Nano)
	case "role":
		return e.Role.String()
	case "type":
		return e.Type.String()
	case "agent":
		return quoteShort(e.Agent)
	case "survey":
		if e.Survey == 0 {
			return "none"
		}
		return e.Survey.String()
	case "score":
		return itoa(int(e.Score))
	case "value":
		return e.Value.String()
	case "currency":
		return quoteShort(e.Currency)
	case "helpful":
		return fmt.Sprint(e.Helpful)
	case "private":
		return fmt.Sprint(e.Private)
	case "automatic":
		return fmt.Sprint(e.Automatic)
	}
	return ""
}
