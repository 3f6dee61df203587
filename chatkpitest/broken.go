package chatkpitest

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Defect is one kind of bad input that [chatkpi.Validate] must report.
type Defect uint8

// The defects. Each names the [chatkpi.InputError] field Validate reports.
const (
	EmptyID              Defect = iota + 1 // the conversation id is empty ("conversation")
	ZeroTime                               // an event has a zero Time ("time")
	UnknownRole                            // an event's Role is not a role ("role")
	UnknownType                            // an event's Type is not a type ("type")
	OutOfOrder                             // an event is earlier than the one before ("time")
	RatingWithoutSurvey                    // a Rating has no Survey kind ("survey")
	SentWithoutSurvey                      // a SurveySent has no Survey kind ("survey")
	ScoreOutOfRange                        // a Rating's Score is outside every scale of its kind ("score")
	NegativeValue                          // a Goal has a negative Value ("value")
	ValueWithoutCurrency                   // a Goal has a Value and no Currency ("currency")
	BadCurrency                            // a Goal's Currency is not three upper-case letters ("currency")
	MissingAgent                           // a Joined, Online or Offline event names no Agent ("agent")
	FallbackNotByBot                       // a Fallback whose Role is not Bot ("role")
)

// Defects lists every defect, for tests that cover them all.
func Defects() []Defect {
	ds := make([]Defect, 0, FallbackNotByBot)
	for d := EmptyID; d <= FallbackNotByBot; d++ {
		ds = append(ds, d)
	}
	return ds
}

// describe returns the defect's name and the InputError field reporting it.
func (d Defect) describe() (name, field string) {
	switch d {
	case EmptyID:
		return "empty id", "conversation"
	case ZeroTime:
		return "zero time", "time"
	case UnknownRole:
		return "unknown role", "role"
	case UnknownType:
		return "unknown type", "type"
	case OutOfOrder:
		return "out of order", "time"
	case RatingWithoutSurvey:
		return "rating without survey", "survey"
	case SentWithoutSurvey:
		return "survey sent without survey", "survey"
	case ScoreOutOfRange:
		return "score out of range", "score"
	case NegativeValue:
		return "negative value", "value"
	case ValueWithoutCurrency:
		return "value without currency", "currency"
	case BadCurrency:
		return "bad currency", "currency"
	case MissingAgent:
		return "missing agent", "agent"
	case FallbackNotByBot:
		return "fallback not by bot", "role"
	}
	return "", ""
}

// String names the defect, e.g. "zero time".
func (d Defect) String() string {
	if name, _ := d.describe(); name != "" {
		return name
	}
	return fmt.Sprintf("Defect(%d)", uint8(d))
}

// Field returns the [chatkpi.InputError] Field that reports the defect.
func (d Defect) Field() string {
	_, field := d.describe()
	return field
}

// Broken is a conversation with exactly one known defect and where
// [chatkpi.Validate] must report it.
type Broken struct {
	Chat   *chatkpi.Chat
	Defect Defect
	// Conversation, Event and Field are what the *chatkpi.InputError of
	// Validate must say: the conversation id ("" for EmptyID), the index of
	// the broken event (-1 for EmptyID) and Defect.Field().
	Conversation string
	Event        int
	Field        string
}

// Break returns a copy of the valid conversation c with defect d put into
// event i (ignored for EmptyID), together with what Validate must report. c
// must pass Validate and have more than i events, and i must be at least 1
// for OutOfOrder. c itself is not changed.
func Break(c *chatkpi.Chat, d Defect, i int) Broken {
	b := chatkpi.NewChat(c)
	b.Meta.Dims = nil // not shared with c; no defect concerns dimensions
	out := Broken{Chat: b, Defect: d, Conversation: b.Meta.ID, Event: i, Field: d.Field()}
	if d == EmptyID {
		b.Meta.ID = ""
		out.Conversation, out.Event = "", -1
		return out
	}
	at := b.Events[i].Time
	switch d {
	case ZeroTime:
		b.Events[i].Time = time.Time{}
	case UnknownRole:
		// A message, so that no type-specific rule fires first.
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Message, Role: chatkpi.System + 1}
	case UnknownType:
		b.Events[i].Type = chatkpi.Opened + 1
	case OutOfOrder:
		b.Events[i].Time = b.Events[i-1].Time.Add(-time.Nanosecond)
	case RatingWithoutSurvey:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Rating, Role: chatkpi.Customer, Score: 3}
	case SentWithoutSurvey:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.SurveySent, Role: chatkpi.System}
	case ScoreOutOfRange:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 11}
	case NegativeValue:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.New(-5, 0), Currency: "EUR"}
	case ValueWithoutCurrency:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.New(1999, -2)}
	case BadCurrency:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.New(10, 0), Currency: "eur"}
	case MissingAgent:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Joined, Role: chatkpi.Agent}
	case FallbackNotByBot:
		b.Events[i] = chatkpi.Event{Time: at, Type: chatkpi.Fallback, Role: chatkpi.Agent, Agent: "ana"}
	default:
		panic(fmt.Sprintf("chatkpitest: Break with unknown defect %d", uint8(d)))
	}
	return out
}

// BrokenChat draws a conversation from [Chat] (with at least two events)
// broken by one defect from [Defects] at a random event.
func BrokenChat() *rapid.Generator[Broken] {
	return rapid.Custom(func(t *rapid.T) Broken {
		c := Chat().Draw(t, "chat")
		for len(c.Events) < 2 {
			at := Epoch()
			if n := len(c.Events); n > 0 {
				at = c.Events[n-1].Time
			}
			c.Events = append(c.Events, chatkpi.Event{Time: at.Add(time.Second), Type: chatkpi.Message, Role: chatkpi.Customer})
		}
		d := rapid.SampledFrom(Defects()).Draw(t, "defect")
		i := rapid.IntRange(1, len(c.Events)-1).Draw(t, "event")
		if d != OutOfOrder && rapid.Bool().Draw(t, "first") {
			i = 0
		}
		// OutOfOrder needs the previous event to be strictly later than the
		// new time, which subtracting a nanosecond from it guarantees.
		return Break(c, d, i)
	})
}
