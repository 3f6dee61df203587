package main

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/chatkpi/chatkpi"
)

// lineIndex remembers the input and line of each record of the
// conversations read (through its readers) and not yet added to the report,
// so that an error of the report about an event (a score outside
// -csat-scale) can name the event's file and line. It costs 24 bytes a
// record while its conversation is held (with -grouped, one or two
// conversations at a time).
//
// A conversation's events are sorted by time and may lose duplicates, so an
// event is found by its content, not its position: a hash of every field;
// of equal events, the first line is named.
type lineIndex struct {
	seed   maphash.Seed
	files  []string
	byConv map[string][]recordLine
}

type recordLine struct {
	hash uint64
	place
}

// place is where a record is: an input (an index in files) and a line.
type place struct{ file, line int }

func newLineIndex() *lineIndex {
	return &lineIndex{seed: maphash.MakeSeed(), byConv: make(map[string][]recordLine)}
}

// reader returns r, remembering where its records are; name is the input's
// name in messages.
func (x *lineIndex) reader(name string, r chatkpi.EventReader) chatkpi.EventReader {
	x.files = append(x.files, name)
	return &indexedReader{x, len(x.files) - 1, r}
}

type indexedReader struct {
	x    *lineIndex
	file int
	r    chatkpi.EventReader
}

// Next returns the next record of the underlying reader.
func (ir *indexedReader) Next() (chatkpi.Record, error) {
	rec, err := ir.r.Next()
	if err == nil {
		id := rec.Info.ID
		ir.x.byConv[id] = append(ir.x.byConv[id], recordLine{ir.x.hash(&rec.Event), place{ir.file, rec.Line}})
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

// locate returns the input that err is about and err with its line: the
// line of its event, or the first line of the conversation for an error
// about the whole conversation. The event's index, a position in the sorted
// conversation, is left out once the line is known.
func (x *lineIndex) locate(c *chatkpi.Chat, err *chatkpi.InputError) (string, *chatkpi.InputError) {
	e := &chatkpi.InputError{Line: err.Line, Conversation: err.Conversation, Event: err.Event, Field: err.Field, Reason: err.Reason}
	var at place
	k := -1
	if e.Event >= 0 && e.Event < len(c.Events) {
		k = x.find(c, e.Event)
	}
	switch places := x.byConv[c.Meta.ID]; {
	case k >= 0:
		at, e.Event = places[k].place, -1
	case len(places) > 0 && (e.Event < 0 || e.Event >= len(c.Events)):
		at = x.of(c.Meta.ID)[0]
	default: // not found: the last input read, without a line
		return x.files[len(x.files)-1], e
	}
	e.Line = at.line
	return x.files[at.file], e
}

// of returns where the records of conversation id are, in reading order.
func (x *lineIndex) of(id string) []place {
	var places []place
	for _, r := range x.byConv[id] {
		places = append(places, r.place)
	}
	slices.SortFunc(places, func(a, b place) int {
		if a.file != b.file {
			return a.file - b.file
		}
		return a.line - b.line
	})
	return places
}

// drop forgets the record of event i of c, which is being dropped.
func (x *lineIndex) drop(c *chatkpi.Chat, i int) {
	if k := x.find(c, i); k >= 0 {
		x.byConv[c.Meta.ID] = slices.Delete(x.byConv[c.Meta.ID], k, k+1)
	}
}

// forget drops what is known of conversation id, once it is added.
func (x *lineIndex) forget(id string) { delete(x.byConv, id) }
