package chatkpi

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
)

// Joiner groups the records of one or more event files into conversations
// and drops the events delivered twice. [ReadConversations] and
// [Conversations] are a Joiner with the default settings; use one directly
// to read inputs with names, to count the duplicates or to change a setting.
//
// # Conversations across inputs
//
// Lines are joined by conversation id wherever they are: spread over several
// inputs and interleaved with other conversations ([Joiner.Read]), or, for
// input grouped by conversation, as contiguous runs ([Joiner.Grouped]).
// Conversation-level fields (customer, channel, source, start, outbound and
// each dimension) may be given on any line of a conversation, in any input:
// the first non-empty value wins, and a different non-empty value on a later
// line is an [*InputError] naming that line and the field (the same value
// again is fine). outbound cannot conflict: true on any line makes the
// conversation outbound. Each conversation's events are sorted by time with
// a stable sort, so events with equal times keep their reading order.
//
// # Duplicates
//
// Two lines of one conversation with the same non-empty id ([Event].ID) are
// one event delivered twice: the later one is dropped and counted
// ([Joiner.Duplicates]). If they differ in any other field of the event,
// that is an [*InputError] naming both lines; their conversation-level fields
// are merged as above whether or not the event is a duplicate. Lines without
// an id are all events, unless DropIdentical is set. So reading an export
// whose events have ids twice, or two exports that overlap, gives the same
// conversations as reading each event once.
//
// The zero value is ready to use. A Joiner is not safe for concurrent use.
type Joiner struct {
	// DropIdentical makes two lines of one conversation without an id whose
	// events are equal in every field (the same instant, role, type, agent,
	// survey, score, value, currency and flags) one event delivered twice:
	// the later one is dropped and counted. The default, false, keeps every
	// line without an id as an event: two real messages can be identical
	// when times have a resolution of seconds. Events with an id are
	// compared by id only, whatever this setting.
	DropIdentical bool

	inputs []string // names, for messages
	dups   int
	mode   joinMode

	// Read
	chats []*joining
	byID  map[string]*joining

	// Grouped
	cur    joining
	closed closedSet
}

type joinMode uint8

const (
	joinIdle joinMode = iota
	joinHolding
	joinGrouped
	joinDone
)

// joining is a conversation being joined.
type joining struct {
	chat   *Chat
	begin  lineRef // its first line
	events eventSet[lineRef]
}

// lineRef is a line of one of the inputs.
type lineRef struct {
	input int
	line  int
}

// Read reads every record of r, the input called name in messages about its
// lines from another input ("line 3 of name"; "" names it "input N" when
// there are several), and adds them to the conversations of the earlier
// inputs. It returns the first error of r, or the first conflict or id
// conflict, as is (its Line is a line of r); build r with [SkipInvalid] to go
// past invalid lines. Read cannot follow [Joiner.Grouped] on one Joiner, nor
// [Joiner.Conversations].
func (j *Joiner) Read(name string, r EventReader) error {
	if err := j.start(joinHolding); err != nil {
		return err
	}
	in := j.addInput(name)
	if j.byID == nil {
		j.byID = make(map[string]*joining)
	}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		c := j.byID[rec.Info.ID]
		if c == nil {
			c = &joining{chat: &Chat{Meta: Info{ID: rec.Info.ID}}, begin: lineRef{in, rec.Line}}
			j.byID[rec.Info.ID] = c
			j.chats = append(j.chats, c)
		}
		if err := j.add(c, &rec, in); err != nil {
			return err
		}
	}
}

// Conversations returns the conversations of every input given to
// [Joiner.Read], in the order in which each id first appeared, each with its
// events sorted by time, or nil when there were none. It ends the Joiner's
// reading.
func (j *Joiner) Conversations() []*Chat {
	j.mode = joinDone
	if len(j.chats) == 0 {
		return nil
	}
	chats := make([]*Chat, len(j.chats))
	for i, c := range j.chats {
		c.chat.SortEvents()
		chats[i] = c.chat
	}
	j.chats, j.byID = nil, nil
	return chats
}

// Duplicates returns the number of lines dropped so far as a second delivery
// of an event.
func (j *Joiner) Duplicates() int { return j.dups }

// Grouped returns an iterator over the conversations of r, an input whose
// lines are grouped by conversation, as [JSONLWriter] and [CSVWriter] write
// them, named name as in [Joiner.Read]. It holds one conversation at a time,
// each merged, de-duplicated and sorted as Read does, and yields it when its
// lines end. Successive calls on one Joiner read successive inputs, and a
// conversation may not continue from one input into the next.
//
// A conversation that comes back after its lines ended, in the same or a
// later input, is an [*InputError] naming the line where it comes back,
// which matches [ErrNotGrouped]. To
// find it the Joiner keeps a 64-bit hash of each closed conversation's id
// (about 14.5 bytes per conversation, whatever the length of the ids): such a
// conversation is always found, but a new id whose hash equals that of a
// closed one is taken for it, with a probability the message states (n/2⁶⁴
// for n closed conversations; a valid input of N conversations is rejected
// with probability below N²/2⁶⁵, 2.7·10⁻⁸ for N = 10⁶). The seed of the
// hash is drawn for each Joiner, so such a rejection does not repeat.
//
// The iterator stops after the first error, which it yields. Grouped cannot
// follow [Joiner.Read] on one Joiner.
func (j *Joiner) Grouped(name string, r EventReader) iter.Seq2[*Chat, error] {
	return func(yield func(*Chat, error) bool) {
		if err := j.start(joinGrouped); err != nil {
			yield(nil, err)
			return
		}
		in := j.addInput(name)
		c := &j.cur
		if c.chat != nil { // left open by a loop over the previous input that stopped early
			c.chat = nil
			c.events.reset()
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if c.chat == nil || rec.Info.ID != c.chat.Meta.ID {
				if j.closed.has(rec.Info.ID) {
					yield(nil, j.cameBack(&rec))
					return
				}
				if c.chat != nil && !yield(j.close(c), nil) {
					return
				}
				c.chat, c.begin = &Chat{Meta: Info{ID: rec.Info.ID}}, lineRef{in, rec.Line}
			}
			if err := j.add(c, &rec, in); err != nil {
				yield(nil, err)
				return
			}
		}
		if c.chat != nil {
			yield(j.close(c), nil)
		}
	}
}

// close ends the current conversation of a grouped reading.
func (j *Joiner) close(c *joining) *Chat {
	chat := c.chat
	j.closed.add(chat.Meta.ID)
	c.chat = nil
	c.events.reset()
	chat.SortEvents()
	return chat
}

func (j *Joiner) cameBack(rec *Record) *InputError {
	return &InputError{Line: rec.Line, Conversation: rec.Info.ID, Event: -1, Field: "conversation", kind: ErrNotGrouped,
		Reason: fmt.Sprintf("the conversation's lines are not contiguous: it came before, in this input or an earlier one, "+
			"so the input is not grouped by conversation (the chance that its id merely shares a 64-bit hash with one of the %d conversations closed before is %.2g)",
			j.closed.n, j.closed.falsePositive())}
}

func (j *Joiner) start(m joinMode) error {
	switch j.mode {
	case joinIdle, m:
		j.mode = m
		return nil
	case joinDone:
		return errors.New("chatkpi: Joiner: reading after Conversations")
	}
	return errors.New("chatkpi: Joiner: Read and Grouped cannot be mixed on one Joiner")
}

func (j *Joiner) addInput(name string) int {
	j.inputs = append(j.inputs, name)
	return len(j.inputs) - 1
}

// add merges one record into conversation c.
func (j *Joiner) add(c *joining, rec *Record, in int) error {
	if err := mergeInfo(&c.chat.Meta, &rec.Info); err != nil {
		err.Line = rec.Line
		if c.begin.input != in || len(j.inputs) > 1 {
			err.Reason += " (the conversation began on " + j.where(c.begin) + ")"
		}
		return err
	}
	at := lineRef{in, rec.Line}
	first, dup, diff := c.events.add(c.chat.Events, &rec.Event, len(c.chat.Events), at, j.DropIdentical)
	switch {
	case diff != "":
		err := idConflict(c.chat.Meta.ID, &rec.Event, &c.chat.Events[first.index], diff, j.where(first.at))
		err.Line = rec.Line
		return err
	case dup:
		j.dups++
		return nil
	}
	c.chat.Events = append(c.chat.Events, rec.Event)
	return nil
}

// where names a line in a message about a line of another input.
func (j *Joiner) where(l lineRef) string {
	s := "line " + strconv.Itoa(l.line)
	switch {
	case j.inputs[l.input] != "":
		s += " of " + j.inputs[l.input]
	case len(j.inputs) > 1:
		s += " of input " + strconv.Itoa(l.input+1)
	}
	return s
}

// ReadConversations reads every record of the readers, one after the other,
// and groups them into conversations by id, in the order in which each id
// first appears, as a [Joiner] with the default settings does: the lines of
// a conversation may be spread over the inputs and interleave with others,
// its conversation-level fields are merged, events delivered twice (the same
// id) are dropped, and its events are sorted by time. It holds all
// conversations in memory; see [Conversations] for a streaming reader.
//
// The first error from a reader, or the first conflict, ends the reading and
// is returned with no conversations; with several readers, it names the
// input ("input 2: line 3: ..."). Build the readers with [SkipInvalid] to go
// past invalid lines (a conflict is not skipped: which value is right cannot
// be known).
func ReadConversations(rs ...EventReader) ([]*Chat, error) {
	var j Joiner
	for i, r := range rs {
		if err := j.Read("", r); err != nil {
			return nil, inputErr(rs, i, err)
		}
	}
	return j.Conversations(), nil
}

// Conversations returns an iterator over the conversations of inputs whose
// lines are grouped by conversation, as [JSONLWriter] and [CSVWriter] write
// them, read one after the other as [Joiner.Grouped] does with the default
// settings: it holds one conversation's events at a time (and about 14.5
// bytes per conversation read), so it reads inputs of any size. A
// conversation whose lines are not contiguous is an [*InputError] naming the
// line where it comes back (matching [ErrNotGrouped]); use
// [ReadConversations] for inputs with interleaved lines. The iterator stops
// after the first error, which it yields.
func Conversations(rs ...EventReader) iter.Seq2[*Chat, error] {
	return func(yield func(*Chat, error) bool) {
		var j Joiner
		for i, r := range rs {
			for c, err := range j.Grouped("", r) {
				if err != nil {
					yield(nil, inputErr(rs, i, err))
					return
				}
				if !yield(c, nil) {
					return
				}
			}
		}
	}
}

// inputErr names input i in err when there are several.
func inputErr(rs []EventReader, i int, err error) error {
	if len(rs) < 2 {
		return err
	}
	return &namedInputError{name: "input " + strconv.Itoa(i+1), err: err}
}

type namedInputError struct {
	name string
	err  error
}

func (e *namedInputError) Error() string {
	return "chatkpi: " + e.name + ": " + strings.TrimPrefix(e.err.Error(), "chatkpi: ")
}

func (e *namedInputError) Unwrap() error { return e.err }
