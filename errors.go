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

// Kinds of [*InputError] from the event file readers, for callers that
// explain them in their own terms (a command names its flags): each is
// matched with [errors.Is] by the errors of its kind, which match
// [ErrInvalid] as well.
var (
	// ErrLineTooLong: a line (JSON Lines) or record (CSV) longer than the
	// reader's [MaxLineSize].
	ErrLineTooLong = errors.New("chatkpi: line too long")
	// ErrUnknownField: a field or column that the event file format does not
	// know and the reader's [Mapping] neither renames nor ignores.
	ErrUnknownField = errors.New("chatkpi: unknown field")
	// ErrFieldNotApplicable: a field that has no meaning for the event's
	// type, such as a score on a message (see [Record]).
	ErrFieldNotApplicable = errors.New("chatkpi: field not applicable")
	// ErrNotGrouped: a conversation whose lines are not contiguous, read
	// with [Conversations].
	ErrNotGrouped = errors.New("chatkpi: input not grouped by conversation")
)

// InputError says what is wrong with an input and where. Fields that do not
// apply are zero: Line is 0 when the input did not come from a file, Event is
// -1 when the error is not about one event.
type InputError struct {
	Line         int    // 1-based line in a file, or 0
	Conversation string // conversation id, or ""
	Event        int    // 0-based index of the event in its conversation, or -1
	Field        string // the field at fault, e.g. "score", or ""
	Reason       string // what is wrong, e.g. "7 is outside the NPS scale 0–10"

	kind error // ErrLineTooLong, ErrUnknownField, …, or nil
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
	if h := libraryHint(e.kind); h != "" {
		b.WriteString(" (")
		b.WriteString(h)
		b.WriteString(")")
	}
	return b.String()
}

// libraryHint says, for an error kind, which setting of the library changes
// the outcome. A program with settings of its own (a command's flags) builds
// its own InputError from the exported fields, which has no such hint, and
// says it in its own terms.
func libraryHint(kind error) string {
	switch kind {
	case ErrLineTooLong:
		return "see MaxLineSize"
	case ErrUnknownField:
		return "a Mapping can rename or ignore it"
	case ErrFieldNotApplicable:
		return "a Mapping with IgnoreInapplicable drops it"
	case ErrNotGrouped:
		return "ReadConversations reads interleaved lines"
	}
	return ""
}

// Unwrap makes every InputError match [ErrInvalid].
func (e *InputError) Unwrap() error { return ErrInvalid }

// Is makes an InputError of a reader match its kind, such as
// [ErrLineTooLong].
func (e *InputError) Is(target error) bool { return e.kind != nil && target == e.kind }

// invalidf returns an *InputError about a value that is not tied to a
// conversation or event (for example a score passed to an accumulator's Add).
func invalidf(field, format string, args ...any) error {
	return &InputError{Event: -1, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// eventErrorf returns an *InputError about event i of conversation id.
func eventErrorf(id string, i int, field, format string, args ...any) error {
	return &InputError{Conversation: id, Event: i, Field: field, Reason: fmt.Sprintf(format, args...)}
}
