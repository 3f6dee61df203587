package chatkpi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNoData is returned (wrapped or as is) when a result has an empty
// denominator: no responses, no answered conversations, no customers at the
// start of a period. "No data" is never reported as 0. Check it with
// [errors.Is].
var ErrNoData = errors.New("chatkpi: no data")

// ErrInvalid is wrapped by every error about bad input: a score outside its
// scale, an unknown role, events out of time order, a corrupt encoding. The
// concrete error is usually an [*InputError] that says where.
var ErrInvalid = errors.New("chatkpi: invalid input")

// ErrUndefined is returned when a formula is undefined for its input, for
// example ROI with a zero cost or cost per conversion with zero conversions.
var ErrUndefined = errors.New("chatkpi: undefined")

// ErrIncompatible is returned by Merge when two accumulators were built with
// different settings (for example CSAT on a 1–5 and on a 1–10 scale) and so
// cannot be combined.
var ErrIncompatible = errors.New("chatkpi: incompatible accumulators")

// ErrLimit is wrapped by errors about input that would take a result or a
// state past a documented limit of the package, such as the groups of a
// report ([ReportMaxGroups]) or the days of [Presence.Availability]. The
// error names the limit; nothing is recorded.
var ErrLimit = errors.New("chatkpi: limit exceeded")

// InputError says what is wrong with an input and where. Fields that do not
// apply are zero: Line is 0 when the input did not come from a file, Event is
// -1 when the error is not about one event.
type InputError struct {
	Line         int    // 1-based line in a file, or 0
	Conversation string // conversation id, or ""
	Event        int    // 0-based index of the event in its conversation, or -1
	Field        string // the field at fault, e.g. "score", or ""
	Reason       string // what is wrong, e.g. "7 is outside the NPS scale 0–10"
}

// Error formats the location first: "line 12: conversation "c1": event 3: score: ...".
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("chatkpi: ")
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Conversation != "" {
		b.WriteString("conversation ")
		b.WriteString(strconv.Quote(e.Conversation))
		b.WriteString(": ")
	}
	if e.Event >= 0 {
		b.WriteString("event ")
		b.WriteString(strconv.Itoa(e.Event))
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap makes every InputError match [ErrInvalid].
func (e *InputError) Unwrap() error { return ErrInvalid }

// invalidf returns an *InputError about a value that is not tied to a
// conversation or event (for example a score passed to an accumulator's Add).
func invalidf(field, format string, args ...any) error {
	return &InputError{Event: -1, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// eventErrorf returns an *InputError about event i of conversation id.
func eventErrorf(id string, i int, field, format string, args ...any) error {
	return &InputError{Conversation: id, Event: i, Field: field, Reason: fmt.Sprintf(format, args...)}
}
