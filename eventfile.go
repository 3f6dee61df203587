package chatkpi

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// DefaultMaxLineSize is the default limit on the length of one line (JSON
// Lines) or one record (CSV) of an event file: 1 MiB.
// It bounds the memory a reader uses, whatever the input.
const DefaultMaxLineSize = 1 << 20

// Record is one line of an event file: an event and the conversation-level
// fields given on that line.
//
// # The event file format
//
// One event per line (JSON Lines, see [JSONLReader] and [JSONLWriter]) or per
// row (CSV, see [CSVReader] and [CSVWriter]), with the same field names in
// both, so that users can export from their backend and feed the library.
//
// Per event:
//
//	conversation  string, required: the conversation id
//	id            string: the event's id within its conversation ([Event].ID), optional;
//	              two lines of one conversation with the same id are one event delivered
//	              twice (see [Joiner] for the duplicate rule); JSON: a string, or an integer
//	              (no fraction or exponent), which is kept as its digits (17 is "17")
//	time          RFC 3339 instant, required ("2024-05-01T09:30:00.25+02:00")
//	role          customer | agent | bot | system, required
//	type          message | handoff | queued | joined | left | resolved | reopened |
//	              goal | survey_sent | rating | feedback | fallback | online | offline |
//	              pending | on_hold | opened, required
//	agent         string
//	survey        csat | nps | ces
//	score         integer (JSON: a number without fraction or exponent)
//	value         decimal string ("12.50", "-3", never an exponent; JSON: a string,
//	              never a number, so that no exporter passes it through floating point)
//	currency      ISO 4217 code
//	helpful, private, automatic   booleans (JSON: true/false; CSV: "true"/"false")
//
// Per conversation, on any line of it, in any input (see [Joiner] for conflicts):
//
//	customer, channel, source   strings
//	priority      string: the ticket's priority ([Info].Priority)
//	start         RFC 3339 instant, see [Info].Start (an addition to the base format,
//	              so that every Info survives a round trip)
//	outbound      boolean
//	dims          JSON: an object of string → string; CSV: one column "dim.NAME" per dimension
//
// The ticket states pending (the conversation waits on the customer),
// on_hold (it waits on a third party) and opened (open again) are set by
// an agent, the bot or the system (a customer's is an error) and carry no
// field but agent; what ends each state is in [WaitTimes]. priority is the
// ticket's, as the help desk names it; [ReportSettings].Priorities can
// list the valid ones in order.
//
// The event-level fields other than agent apply to some types only: survey
// to rating and survey_sent, score to rating, value and currency to goal,
// helpful to feedback, private and automatic to message. Given on another
// type, such a field is an error (a [Mapping] can drop it instead), because
// it would be read and ignored.
//
// Conventions shared by both formats, chosen to be strict rather than to
// guess: field names are case-sensitive; an unknown field is an error naming
// it (a [Mapping] renames or ignores fields of other exports); a field given
// twice on a line is an error; an empty string (an empty CSV cell) or a JSON
// null is the same as an absent field, so an empty dimension value is no
// dimension; false is the same as an absent boolean. A UTF-8 byte order mark
// at the start of the input is ignored. Text must be valid UTF-8 (in JSON, a
// lone surrogate escape such as \ud800 decodes to U+FFFD, as encoding/json
// does). Times are RFC 3339 (offsets up to ±23:59) and must fall after
// 0001-01-01T00:00:00Z (the zero instant, which stands for "no time") and in
// the years 1–9999 in UTC; readers keep the offset given, writers write UTC
// with RFC3339Nano, so the instant and its sub-second precision survive a
// round trip but the original offset does not. Scores are integers of 64
// bits. Each event must pass [ValidateEvent].
type Record struct {
	// Line is the 1-based line number of the record (for CSV, the line where
	// the record starts).
	Line int
	// Info holds the conversation id in ID (always set) and the
	// conversation-level fields given on this line; the others are zero.
	Info  Info
	Event Event
}

// EventReader reads an event file one record at a time. [*JSONLReader] and
// [*CSVReader] implement it.
//
// Next returns [io.EOF] at the end of the input. An [*InputError] (wrapping
// [ErrInvalid]) is about one line, and Next may be called again to go on with
// the next line, unless the reader's documentation says the error is
// permanent. Any other error (an I/O error) is permanent: Next returns it
// again.
type EventReader interface {
	Next() (Record, error)
}

// Records returns an iterator over the records of r. It stops after the
// first error, which it yields; to go past bad lines, build the reader with
// [SkipInvalid].
func Records(r EventReader) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

// ReaderOption changes a default of [NewJSONLReader] and [NewCSVReader].
type ReaderOption interface {
	applyReader(*readerConfig)
}

type readerConfig struct {
	maxLine int
	skip    bool
	report  func(*InputError)
	mapping *fieldMap // nil: no mapping
}

type maxLineSize int

func (n maxLineSize) applyReader(c *readerConfig) { c.maxLine = int(n) }

// MaxLineSize sets the limit on the length in bytes of one line (JSON Lines,
// terminator excluded) or one record (CSV, terminator included); the default
// is [DefaultMaxLineSize]. A longer line is an error, not a reason to use
// unbounded memory. n must be positive.
func MaxLineSize(n int) ReaderOption { return maxLineSize(n) }

type skipInvalid func(*InputError)

func (f skipInvalid) applyReader(c *readerConfig) { c.skip, c.report = true, f }

// SkipInvalid makes a reader go past invalid lines instead of returning
// their errors from Next. Nothing is dropped silently: report is called with
// the error of every skipped line, in file order, and the reader's Skipped
// method counts them: each skipped line or record is one error, and no line
// is dropped without one (after a CSV quote that is never closed, reading
// goes on at the next line). Permanent errors (I/O errors, a bad CSV header,
// a broken JSON array) are still returned. report must not be nil.
func SkipInvalid(report func(*InputError)) ReaderOption { return skipInvalid(report) }

func newReaderConfig(opts []ReaderOption) (readerConfig, error) {
	c := readerConfig{maxLine: DefaultMaxLineSize}
	for _, o := range opts {
		if o == nil {
			return c, invalidf("option", "nil ReaderOption")
		}
		o.applyReader(&c)
	}
	if c.mapping != nil && c.mapping.err != nil {
		return c, c.mapping.err
	}
	if c.maxLine <= 0 {
		return c, invalidf("MaxLineSize", "%d is not a positive number of bytes", c.maxLine)
	}
	if c.skip && c.report == nil {
		return c, invalidf("SkipInvalid", "nil report function: skipped lines must be reported")
	}
	return c, nil
}

// mergeInfo adds the conversation-level fields of one line to dst.
func mergeInfo(dst, src *Info) *InputError {
	if err := mergeText(dst.ID, "customer", &dst.Customer, src.Customer); err != nil {
		return err
	}
	if err := mergeText(dst.ID, "channel", &dst.Channel, src.Channel); err != nil {
		return err
	}
	if err := mergeText(dst.ID, "source", &dst.Source, src.Source); err != nil {
		return err
	}
	if err := mergeText(dst.ID, "priority", &dst.Priority, src.Priority); err != nil {
		return err
	}
	if !src.Start.IsZero() {
		switch {
		case dst.Start.IsZero():
			dst.Start = src.Start
		case !dst.Start.Equal(src.Start):
			return conflict(dst.ID, "start", src.Start.Format(time.RFC3339Nano), dst.Start.Format(time.RFC3339Nano))
		}
	}
	dst.Outbound = dst.Outbound || src.Outbound
	if len(src.Dims) > 0 {
		if dst.Dims == nil {
			dst.Dims = src.Dims // a fresh map per line: adopting it is safe
			return nil
		}
		for k, v := range src.Dims {
			cur := dst.Dims[k]
			if err := mergeText(dst.ID, "dims."+k, &cur, v); err != nil {
				return err
			}
			dst.Dims[k] = cur
		}
	}
	return nil
}

func mergeText(id, name string, dst *string, v string) *InputError {
	switch {
	case v == "" || v == *dst:
	case *dst == "":
		*dst = v
	default:
		return conflict(id, name, v, *dst)
	}
	return nil
}

func conflict(id, name, v, first string) *InputError {
	return &InputError{Conversation: id, Event: -1, Field: name,
		Reason: fmt.Sprintf("%s conflicts with %s given on an earlier line of the conversation", quoteShort(v), quoteShort(first))}
}

// field is a field of the event file format.
type field uint8

const (
	fNone field = iota
	fConversation
	fTime
	fRole
	fType
	fCustomer
	fAgent
	fChannel
	fSource
	fStart
	fSurvey
	fScore
	fValue
	fCurrency
	fHelpful
	fPrivate
	fAutomatic
	fOutbound
	fDims
	fID
	fPriority
	numFields
)

// String returns the field's name in the file format.
func (f field) String() string {
	switch f {
	case fConversation:
		return "conversation"
	case fTime:
		return "time"
	case fRole:
		return "role"
	case fType:
		return "type"
	case fCustomer:
		return "customer"
	case fAgent:
		return "agent"
	case fChannel:
		return "channel"
	case fSource:
		return "source"
	case fStart:
		return "start"
	case fSurvey:
		return "survey"
	case fScore:
		return "score"
	case fValue:
		return "value"
	case fCurrency:
		return "currency"
	case fHelpful:
		return "helpful"
	case fPrivate:
		return "private"
	case fAutomatic:
		return "automatic"
	case fOutbound:
		return "outbound"
	case fDims:
		return "dims"
	case fID:
		return "id"
	case fPriority:
		return "priority"
	}
	return ""
}

func (f field) isBool() bool { return f >= fHelpful && f <= fOutbound }

type text interface{ ~string | ~[]byte }

func lookupField[T text](b T) field {
	switch string(b) {
	case "conversation":
		return fConversation
	case "time":
		return fTime
	case "role":
		return fRole
	case "type":
		return fType
	case "customer":
		return fCustomer
	case "agent":
		return fAgent
	case "channel":
		return fChannel
	case "source":
		return fSource
	case "start":
		return fStart
	case "survey":
		return fSurvey
	case "score":
		return fScore
	case "value":
		return fValue
	case "currency":
		return fCurrency
	case "helpful":
		return fHelpful
	case "private":
		return fPrivate
	case "automatic":
		return fAutomatic
	case "outbound":
		return fOutbound
	case "dims":
		return fDims
	case "id":
		return fID
	case "priority":
		return fPriority
	}
	return fNone
}

// fieldParser turns field text into a Record, shared by both formats. It
// keeps the last string of each field so that the repeated ids of
// consecutive lines cost no allocation, and the last time zone.
type fieldParser struct {
	last  [numFields]string
	names map[string]string // values of the fields of few values (agent, channel, ...)
	// recent holds, of those values, the last interned in each slot of
	// recentSlot, which finds most of them without the map's hashing.
	recent [recentSlots]string
	zone   *time.Location
	offset int
	given  uint32 // bit f: field f given a value on the current line
	// hourWords is the date and hour "2006-01-02T15" of the last time read
	// (when hourSet), as its bytes 0–7 and 5–12 (little-endian), hourUnix
	// their Unix seconds as if in UTC.
	hourWords [2]uint64
	hourUnix  int64
	hourSet   bool
	// roles, types and surveys find the values of these fields by name.
	roles, types, surveys nameTable
}

// maxNames bounds fieldParser.names; it starts again empty when full.
const maxNames = 4096

// intern returns b as a string, reusing the previous value of the field when
// equal, and for the fields that take few values (agent, channel, source,
// currency) any value seen recently. The string never shares memory with
// the reader's buffers.
func intern[T text](p *fieldParser, f field, b T) string {
	if string(b) == p.last[f] {
		return p.last[f]
	}
	few := f == fAgent || f == fChannel || f == fSource || f == fCurrency
	var slot *string
	if few {
		slot = &p.recent[recentSlot(f, b)]
		if *slot == string(b) {
			p.last[f] = *slot
			return *slot
		}
		if s, ok := p.names[string(b)]; ok {
			p.last[f], *slot = s, s
			return s
		}
	}
	s := string([]byte(b))
	p.last[f] = s
	if few {
		if p.names == nil || len(p.names) == maxNames {
			p.names = make(map[string]string)
		}
		p.names[s], *slot = s, s
	}
	return s
}

// recentSlots is the number of slots of fieldParser.recent.
const recentSlots = 64

// recentSlot returns the slot of value b of field f in fieldParser.recent:
// a hash of f, b's length and its first and last bytes.
func recentSlot[T text](f field, b T) int {
	if len(b) == 0 {
		return int(f) & (recentSlots - 1)
	}
	return (int(f)*13 + len(b)*7 + int(b[0]) + int(b[len(b)-1])*5) & (recentSlots - 1)
}

// setField parses the non-empty text b of field f (not dims) into rec. For
// JSON, b is the decoded string, or the literal of a number or boolean. The
// fields of every line are set here, the others in setOtherField.
func setField[T text](p *fieldParser, rec *Record, f field, b T) *InputError {
	p.given |= 1 << f
	switch f {
	case fConversation:
		rec.Info.ID = intern(p, f, b)
		return nil
	case fAgent:
		rec.Event.Agent = intern(p, f, b)
		return nil
	case fTime:
		return setTime(p, &rec.Event.Time, f, b)
	case fRole:
		return parseName(b, Customer, System, &p.roles, ParseRole, &rec.Event.Role)
	case fType:
		return parseName(b, Message, lastEventType, &p.types, ParseEventType, &rec.Event.Type)
	}
	return setOtherField(p, rec, f, b)
}

// setTime parses the time b of field f into *t.
func setTime[T text](p *fieldParser, t *time.Time, f field, b T) *InputError {
	var ok bool
	*t, ok = parseTime(p, b)
	switch {
	case !ok:
		return fieldErr(f, "%s is not an RFC 3339 time such as \"2024-05-01T09:30:00Z\"", quoteShort(string(b)))
	case t.IsZero():
		return fieldErr(f, "%s is the zero instant, which stands for no time; the supported range is after it, up to the end of the year 9999 (UTC)", quoteShort(string(b)))
	case !writableTime(*t):
		return fieldErr(f, "%s is outside the supported range, the years 1–9999 (UTC)", quoteShort(string(b)))
	}
	return nil
}

// setOtherField is setField for the fields that it does not set itself.
func setOtherField[T text](p *fieldParser, rec *Record, f field, b T) *InputError {
	switch f {
	case fCustomer:
		rec.Info.Customer = intern(p, f, b)
	case fChannel:
		rec.Info.Channel = intern(p, f, b)
	case fSource:
		rec.Info.Source = intern(p, f, b)
	case fPriority:
		rec.Info.Priority = intern(p, f, b)
	case fCurrency:
		rec.Event.Currency = intern(p, f, b)
	case fID:
		rec.Event.ID = intern(p, f, b)
	case fStart:
		return setTime(p, &rec.Info.Start, f, b)
	case fSurvey:
		return parseName(b, CSATSurvey, CESSurvey, &p.surveys, ParseSurvey, &rec.Event.Survey)
	case fScore:
		n, ok, inRange := parseInt(b)
		switch {
		case !ok:
			return fieldErr(f, "%s is not an integer", quoteShort(string(b)))
		case !inRange || n < math.MinInt8 || n > math.MaxInt8:
			return fieldErr(f, "%s is outside the range of a score, %d to %d (every survey scale lies within 0–10)", quoteShort(string(b)), math.MinInt8, math.MaxInt8)
		}
		rec.Event.Score = int8(n)
	case fValue:
		if !isDecimal(b) {
			return fieldErr(f, "%s is not a decimal number such as \"12.50\"", quoteShort(string(b)))
		}
		d, err := parseMoney(b)
		if err != nil {
			return fieldErr(f, "%s: %v", quoteShort(string(b)), err)
		}
		rec.Event.Value = d
	case fHelpful, fPrivate, fAutomatic, fOutbound:
		var v bool
		switch string(b) {
		case "true":
			v = true
		case "false":
		default:
			return fieldErr(f, "%s is not true or false", quoteShort(string(b)))
		}
		if !v {
			p.given &^= 1 << f // false is an absent boolean
		}
		switch f {
		case fHelpful:
			rec.Event.Helpful = v
		case fPrivate:
			rec.Event.Private = v
		case fAutomatic:
			rec.Event.Automatic = v
		default:
			rec.Info.Outbound = v
		}
	default:
		return fieldErr(f, "unknown field")
	}
	return nil
}

// applicable is, per event type, the event-level fields other than agent
// that it may have (see [Record]).
func applicable(t EventType) uint32 {
	switch t {
	case Message:
		return 1<<fPrivate | 1<<fAutomatic
	case Goal:
		return 1<<fValue | 1<<fCurrency
	case SurveySent:
		return 1 << fSurvey
	case Rating:
		return 1<<fSurvey | 1<<fScore
	case Feedback:
		return 1 << fHelpful
	}
	return 0
}

// typedFields are the fields that [applicable] restricts.
const typedFields = 1<<fSurvey | 1<<fScore | 1<<fValue | 1<<fCurrency | 1<<fHelpful | 1<<fPrivate | 1<<fAutomatic

// checkRecord checks what a line must have once all its fields are read
// (p.given, which the parsers reset at the start of each line, says which
// were given). With dropInapplicable, fields that do not apply to the
// event's type are cleared instead of rejected.
func checkRecord(p *fieldParser, rec *Record, dropInapplicable bool) *InputError {
	given := p.given
	switch {
	case rec.Info.ID == "":
		return fieldErr(fConversation, "missing (required)")
	case rec.Event.Time.IsZero():
		return fieldErr(fTime, "missing (required)")
	case rec.Event.Role == 0:
		return fieldErr(fRole, "missing (required)")
	case rec.Event.Type == 0:
		return fieldErr(fType, "missing (required)")
	}
	if bad := given & typedFields &^ applicable(rec.Event.Type); bad != 0 {
		if !dropInapplicable {
			f := field(bits.TrailingZeros32(bad))
			err := fieldErr(f, "has no meaning on a %s event (only on %s)", rec.Event.Type, applicableTypes(f))
			var others []string
			for g := f + 1; g < numFields; g++ {
				if bad&(1<<g) != 0 {
					others = append(others, g.String())
				}
			}
			if len(others) > 0 {
				err.Reason += "; nor have " + strings.Join(others, ", ")
			}
			err.kind = ErrFieldNotApplicable
			return err
		}
		e := &rec.Event
		for f := field(0); f < numFields; f++ {
			if bad&(1<<f) == 0 {
				continue
			}
			switch f {
			case fSurvey:
				e.Survey = 0
			case fScore:
				e.Score = 0
			case fValue:
				e.Value = decimal.Decimal{}
			case fCurrency:
				e.Currency = ""
			case fHelpful:
				e.Helpful = false
			case fPrivate:
				e.Private = false
			case fAutomatic:
				e.Automatic = false
			}
		}
	}
	if err := ValidateEvent(rec.Info.ID, -1, &rec.Event); err != nil {
		return asInputError(err)
	}
	return nil
}

// applicableTypes names the event types that field f applies to.
func applicableTypes(f field) string {
	var names []string
	for t := Message; t <= lastEventType; t++ {
		if applicable(t)&(1<<f) != 0 {
			names = append(names, t.String())
		}
	}
	return strings.Join(names, " and ")
}

func fieldErr(f field, format string, args ...any) *InputError {
	return &InputError{Event: -1, Field: f.String(), Reason: fmt.Sprintf(format, args...)}
}

// parseName reads one of the names of the values lo…hi (a Role, EventType
// or Survey) into *into without allocating a string for b; an
// unknown name gets parse's error, which lists the valid names. tab, filled
// on first use, finds the value whose name b may be in one look-up.
func parseName[B text, T interface {
	~uint8
	String() string
}](b B, lo, hi T, tab *nameTable, parse func(string) (T, error), into *T) *InputError {
	if !tab.filled {
		tab.fill(uint8(lo), uint8(hi), func(v uint8) string { return T(v).String() })
	}
	if k := nameSlot(b); tab.at[k] != 0 && tab.name[k] == string(b) {
		*into = T(tab.at[k])
		return nil
	}
	for v := lo; v <= hi; v++ {
		if v.String() == string(b) {
			*into = v
			return nil
		}
	}
	_, err := parse(string(b))
	return asInputError(err)
}

// nameTable holds the values of one kind (roles, event types or surveys,
// numbered from 1) by the [nameSlot] of their names: a hint that
// parseName checks; each name of today's kinds has a slot of its own.
type nameTable struct {
	filled bool
	at     [32]uint8
	name   [32]string // at's names
}

func (t *nameTable) fill(lo, hi uint8, name func(uint8) string) {
	for v := lo; v <= hi; v++ {
		if s := nameSlot(name(v)); t.at[s] == 0 {
			t.at[s], t.name[s] = v, name(v)
		}
	}
	t.filled = true
}

// nameSlot hashes a name of 3 bytes or more into 0–31 (shorter text: 0).
func nameSlot[T text](b T) int {
	if len(b) < 3 {
		return 0
	}
	return (2*int(b[0]) + int(b[2]) + 2*len(b)) & 31
}

func asInputError(err error) *InputError {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	return &InputError{Event: -1, Reason: err.Error()}
}

// fieldLabel returns an unknown field name as an error names it: as is when
// it looks like a name, quoted and cut otherwise.
func fieldLabel(name string) string {
	if len(name) > 64 || name == "" {
		return quoteShort(name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return quoteShort(name)
		}
	}
	return name
}

// quoteShort quotes s for an error message, cut to a readable length.
func quoteShort(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// parseInt reads -?[0-9]+ into an int: ok reports the syntax, inRange that
// the number fits in 64 bits.
func parseInt[T text](b T) (n int, ok, inRange bool) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	if i == len(b) {
		return 0, false, false
	}
	var u uint64
	inRange = true
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false, false
		}
		if u > (math.MaxUint64-uint64(c-'0'))/10 {
			inRange = false
			continue
		}
		u = u*10 + uint64(c-'0')
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // math.MinInt64
	}
	if !inRange || u > limit {
		return 0, true, false
	}
	if neg {
		return -int(u), true, true
	}
	return int(u), true, true
}

// isDecimal reports whether b is -?[0-9]+(\.[0-9]+)?: the plain notation
// that decimal.Decimal.String writes.
func isDecimal[T text](b T) bool {
	i := 0
	if len(b) > 0 && b[0] == '-' {
		i = 1
	}
	digits := func() bool {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > start
	}
	if !digits() {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	return i == len(b)
}

// parseTime reads an RFC 3339 date-time without allocating:
// YYYY-MM-DDTHH:MM:SS(.fraction)? followed by Z or ±HH:MM, with an offset of
// at most 23:59, upper-case T and Z, and no leap second (60), as
// [time.Parse] reads it (which would also take offsets of 24:00–24:59 and
// minutes of 60, and a comma before the fraction). Digits of the fraction
// beyond nanoseconds are dropped, as time.Parse does.
func parseTime[T text](p *fieldParser, s T) (time.Time, bool) {
	t, end, ok := parseTimeAt(p, s, 0)
	return t, ok && end == len(s)
}

// parseTimeAt reads the time that starts at s[at], as parseTime does, and
// returns the index after it: the text is s[at:end], and what follows it
// is the caller's to check (the end of a CSV field, a JSON string's quote).
// Every byte of the text is a digit or one of "-T:.Z+".
func parseTimeAt[T text](p *fieldParser, s T, at int) (t time.Time, end int, ok bool) {
	if len(s)-at < len("2006-01-02T15:04:05Z") {
		return time.Time{}, 0, false
	}
	s = s[at:]
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, 0, false
	}
	minute, ok1 := twoDigits(s[14], s[15])
	sec, ok2 := twoDigits(s[17], s[18])
	if !ok1 || !ok2 || minute > 59 || sec > 59 {
		return time.Time{}, 0, false
	}
	// The date and hour, as often as not those of the time before.
	if !p.hourSet || le64(s) != p.hourWords[0] || le64(s[5:]) != p.hourWords[1] {
		century, ok1 := twoDigits(s[0], s[1])
		yy, ok2 := twoDigits(s[2], s[3])
		month, ok3 := twoDigits(s[5], s[6])
		day, ok4 := twoDigits(s[8], s[9])
		hour, ok5 := twoDigits(s[11], s[12])
		year := century*100 + yy
		if !(ok1 && ok2 && ok3 && ok4 && ok5) || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 {
			return time.Time{}, 0, false
		}
		p.hourWords = [2]uint64{le64(s), le64(s[5:])}
		p.hourUnix, p.hourSet = daysSinceUnixEpoch(year, month, day)*86400+int64(hour*3600), true
	}
	i := 19
	nsec := 0
	if i+9 < len(s) && s[i] == '.' {
		// Up to 7 digits after the '.' read from one word, without a
		// branch per digit (the number of digits varies from time to time).
		if n, digits := fractionDigits(le64(s[i+1:])); digits > 0 && digits < 8 {
			nsec, i = n, i+1+digits
			goto zone
		}
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i++
		digits := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if digits < 9 { // digits beyond nanoseconds are dropped, as time.Parse does
				nsec = nsec*10 + int(s[i]-'0')
				digits++
			}
		}
		nsec *= [...]int{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}[9-digits] // to nanoseconds
	}
zone:
	unix := p.hourUnix + int64(minute*60+sec)
	if i < len(s) && s[i] == 'Z' {
		return time.Unix(unix, int64(nsec)).UTC(), at + i + 1, true
	}
	rest := s[i:]
	if len(rest) < len("+07:00") || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' {
		return time.Time{}, 0, false
	}
	hh, ok1 := twoDigits(rest[1], rest[2])
	mm, ok2 := twoDigits(rest[4], rest[5])
	if !ok1 || !ok2 || hh > 23 || mm > 59 {
		return time.Time{}, 0, false
	}
	off := (hh*60 + mm) * 60
	if rest[0] == '-' {
		off = -off
	}
	if p.zone == nil || p.offset != off {
		p.zone, p.offset = time.FixedZone("", off), off
	}
	return time.Unix(unix-int64(off), int64(nsec)).In(p.zone), at + i + len("+07:00"), true
}

// fractionDigits reads the decimal digits that w (8 bytes of text,
// little-endian) starts with: their number, 0 to 8, and, when fewer than
// 8, the fraction of a second they write, in nanoseconds (".438" is
// 438,000,000 ns). Bytes are digits when their high nibble is 3 and their
// low one at most 9; the digits are then summed in pairs, fours and eights
// (the first byte the most significant).
func fractionDigits(w uint64) (nsec, digits int) {
	const nibbles, threes = 0x0f0f0f0f0f0f0f0f, 0x3030303030303030
	other := (w&^nibbles ^ threes) | ((w&nibbles)+0x0606060606060606)&^nibbles
	digits = bits.TrailingZeros64(other) >> 3
	if digits == 0 || digits == 8 {
		return 0, digits
	}
	d := w & nibbles & (1<<(8*digits) - 1) // the digits, then zeros: digits·10^(8−digits) as 8 digits
	d = (d*10 + d>>8) & 0x00ff00ff00ff00ff
	d = (d*100 + d>>16) & 0x0000ffff0000ffff
	d = (d*10000 + d>>32) & 0xffffffff
	return int(d) * 10, digits
}

// le64 returns the first 8 bytes of s as a little-endian word.
func le64[T text](s T) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// twoDigits reads the decimal digits hi and lo as a number 0–99.
func twoDigits(hi, lo byte) (int, bool) {
	h, l := hi-'0', lo-'0'
	return int(h)*10 + int(l), h <= 9 && l <= 9
}

// daysSinceUnixEpoch returns the days from 1970-01-01 to the date (proleptic
// Gregorian; years 0–9999, month and day valid), by the era arithmetic of
// Howard Hinnant's days_from_civil: 400-year eras of 146,097 days, years
// starting in March so that February's leap day ends them.
func daysSinceUnixEpoch(year, month, day int) int64 {
	if month <= 2 {
		year--
	}
	era := (year+400)/400 - 1 // floor(year / 400) for year >= -400
	yoe := year - era*400     // 0–399
	doy := (153*((month+9)%12)+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468 // 719,468: days from 0000-03-01 to 1970-01-01
}

func daysIn(month, year int) int {
	if month == 2 {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + (month+month/8)%2
}

// writable returns the info and events of c after checking that the event
// file format can hold it so that reading it back gives the same
// conversation: c passes [Validate], has events, valid UTF-8 text, times in
// years 1–9999, dimension names that are not empty, and no event field that
// does not apply to the event's type (see [Record]).
func writable(c Conversation, buf []Event) (Info, []Event, error) {
	info := c.Info()
	if err := Validate(c); err != nil {
		return info, nil, err
	}
	events := eventsOf(c, buf)
	bad := func(field, reason string) error {
		return &InputError{Conversation: info.ID, Event: -1, Field: field, Reason: reason}
	}
	if len(events) == 0 {
		return info, nil, bad("", "no events: an event file has one line per event and cannot hold an empty conversation")
	}
	for _, s := range [...]struct{ name, v string }{{"conversation", info.ID}, {"customer", info.Customer}, {"channel", info.Channel}, {"source", info.Source}, {"priority", info.Priority}} {
		if !utf8.ValidString(s.v) {
			return info, nil, bad(s.name, "not valid UTF-8")
		}
	}
	if !info.Start.IsZero() && !writableTime(info.Start) {
		return info, nil, bad("start", "year outside 1–9999 (UTC)")
	}
	for k, v := range info.Dims {
		if k == "" {
			return info, nil, bad("dims", "empty dimension name")
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return info, nil, bad("dims", quoteShort(k)+": not valid UTF-8")
		}
	}
	for i := range events {
		e := &events[i]
		if !writableTime(e.Time) {
			return info, nil, eventErrorf(info.ID, i, "time", "year outside 1–9999 (UTC)")
		}
		if !utf8.ValidString(e.Agent) {
			return info, nil, eventErrorf(info.ID, i, "agent", "not valid UTF-8")
		}
		if !utf8.ValidString(e.Currency) {
			return info, nil, eventErrorf(info.ID, i, "currency", "not valid UTF-8")
		}
		if !utf8.ValidString(e.ID) {
			return info, nil, eventErrorf(info.ID, i, "id", "not valid UTF-8")
		}
		if bad := typedFieldsOf(e) &^ applicable(e.Type); bad != 0 {
			f := field(bits.TrailingZeros32(bad))
			return info, nil, eventErrorf(info.ID, i, f.String(), "has no meaning on a %s event (only on %s), and the event file format rejects it", e.Type, applicableTypes(f))
		}
	}
	return info, events, nil
}

// typedFieldsOf returns the fields restricted by [applicable] that e sets.
func typedFieldsOf(e *Event) uint32 {
	var set uint32
	for _, x := range [...]struct {
		f  field
		on bool
	}{{fSurvey, e.Survey != 0}, {fScore, e.Score != 0}, {fValue, !e.Value.IsZero()}, {fCurrency, e.Currency != ""},
		{fHelpful, e.Helpful}, {fPrivate, e.Private}, {fAutomatic, e.Automatic}} {
		if x.on {
			set |= 1 << x.f
		}
	}
	return set
}

// writableTime reports whether t falls in the years 1–9999 in UTC: from
// 0001-01-01T00:00:00Z (Unix second -62,135,596,800) to before
// 10000-01-01T00:00:00Z (253,402,300,800).
func writableTime(t time.Time) bool {
	sec := t.Unix()
	return sec >= -62135596800 && sec < 253402300800
}

// appendTime writes t in UTC with as many fraction digits as needed.
func appendTime(b []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(b, time.RFC3339Nano)
}
