package main

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/chatkpi/chatkpi"
)

// lineIndex is an [chatkpi.EventReader] that remembers the line of each
// record of the conversations read and not yet added to the report, so that
// an error of the report about an event (a score outside -csat-scale) can
// name the event's line. It costs 16 bytes a record while its conversation
// is held (with -grouped, one or two conversations at a time).
//
// A conversation's events are sorted by time and may lose duplicates, so an
// event is found by its content, not its position: a hash of every field;
// of equal events, the first line is named.
type lineIndex struct {
	r      chatkpi.EventReader
	seed   maphash.Seed
	byConv map[string][]recordLine
}

type recordLine struct {
	hash uint64
	line int
}

func newLineIndex(r chatkpi.EventReader) *lineIndex {
	return &lineIndex{r: r, seed: maphash.MakeSeed(), byConv: make(map[string][]recordLine)}
}

// Next returns the next record of the underlying reader.
func (x *lineIndex) Next() (chatkpi.Record, error) {
	rec, err := x.r.Next()
	if err == nil {
		id := rec.Info.ID
		x.byConv[id] = append(x.byConv[id], recordLine{x.hash(&rec.Event), rec.Line})
	}
	return rec, err
}

func (x *lineIndex) hash(e *chatkpi.Event) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	var b [8 * 7]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(e.Time.Unix()))
	binary.LittleEndian.PutUint64(b[8:], uint64(e.Time.Nanosecond()))
	binary.LittleEndian.PutUint64(b[16:], uint64(e.Score))
	binary.LittleEndian.PutUint64(b[24:], uint64(e.Value.CoefficientInt64()))
	binary.LittleEndian.PutUint64(b[32:], uint64(e.Value.Exponent()))
	b[40], b[41], b[42] = byte(e.Type), byte(e.Role), byte(e.Survey)
	b[43] = bit(e.Private) | bit(e.Automatic)<<1 | bit(e.Helpful)<<2
	h.Write(b[:])
	for _, s := range [...]string{e.Agent, e.Currency, e.ID} {
		binary.LittleEndian.PutUint64(b[:8], uint64(len(s)))
		h.Write(b[:8])
		h.WriteString(s)
	}
	return h.Sum64()
}

func bit(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// find returns the index in the conversation's list of the record of event
// i of c, or -1.
func (x *lineIndex) find(c *chatkpi.Chat, i int) int {
	h := x.hash(&c.Events[i])
	return slices.IndexFunc(x.byConv[c.Meta.ID], func(r recordLine) bool { return r.hash == h })
}

// locate returns err with the line it is about: the line of its event, or
// the first line of the conversation for an error about the whole
// conversation. The event's index, a position in the sorted conversation,
// is left out once the line is known.
func (x *lineIndex) locate(c *chatkpi.Chat, err *chatkpi.InputError) *chatkpi.InputError {
	e := &chatkpi.InputError{Line: err.Line, Conversation: err.Conversation, Event: err.Event, Field: err.Field, Reason: err.Reason}
	if e.Event >= 0 && e.Event < len(c.Events) {
		if k := x.find(c, e.Event); k >= 0 {
			e.Line, e.Event = x.byConv[c.Meta.ID][k].line, -1
		}
	} else if lines := x.of(c.Meta.ID); len(lines) > 0 {
		e.Line = lines[0]
	}
	return e
}

// of returns the lines of the records of conversation id, in order.
func (x *lineIndex) of(id string) []int {
	var lines []int
	for _, r := range x.byConv[id] {
		lines = append(lines, r.line)
	}
	slices.Sort(lines)
	return lines
}

// drop forgets the record of event i of c, which is being dropped.
func (x *lineIndex) drop(c *chatkpi.Chat, i int) {
	if k := x.find(c, i); k >= 0 {
		x.byConv[c.Meta.ID] = slices.Delete(x.byConv[c.Meta.ID], k, k+1)
	}
}

// forget drops what is known of conversation id, once it is added.
func (x *lineIndex) forget(id string) { delete(x.byConv, id) }
