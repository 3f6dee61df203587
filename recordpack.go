package chatkpi

import (
	"math"
	"time"
)

// Pointer-free records: when a [Joiner] reads a reader that reads ahead
// (readahead.go), the goroutines that decode the chunks hand it most
// records as packedRecords instead of Records (232 bytes with pointers) — 56
// bytes without pointers, their strings copied into the chunk's arena — and the
// Joiner holds them in its store without building a Record or an Event: it
// looks up the conversation and interns the agent, in input order, from the
// arena's bytes. A record with more than the common fields (conversation-level
// fields, an event id, money, a time zone with a name) stays a Record, which the chunk keeps; so does an error.

// packedRecord is one item of a chunk decoded for a Joiner.
type packedRecord struct {
	sec    int64 // the instant: Unix seconds and nanoseconds
	line   int
	nsec   int32
	score  int32
	offset int32 // the time's offset from UTC in seconds, unless utc
	conv   arenaRef
	agent  arenaRef // n == 0: none
	// ref, when not 0, makes the item c.recs[ref-1] with its error
	// c.errs[ref-1]: the other fields are unused.
	ref   uint32
	typ   EventType
	role  Role
	surv  Survey
	flags uint8 // flagHelpful | flagPrivate | flagAutomatic
	utc   bool
}

// arenaRef is a string in a chunk's arena.
type arenaRef struct{ off, n uint32 }

func (c *chunk) arenaBytes(r arenaRef) []byte { return c.arena[r.off : r.off+r.n] }

func (c *chunk) toArena(s string) arenaRef {
	r := arenaRef{uint32(len(c.arena)), uint32(len(s))}
	c.arena = append(c.arena, s...)
	return r
}

// packable are the fields that a packedRecord holds.
const packable = 1<<fConversation | 1<<fTime | 1<<fRole | 1<<fType | 1<<fAgent | 1<<fSurvey | 1<<fScore |
	1<<fHelpful | 1<<fPrivate | 1<<fAutomatic

// pack turns the record decoded last, without an error, into a
// packedRecord when it has only the common fields; given are the fields
// given on its line (fieldParser.given).
func (c *chunk) pack(given uint32) {
	n := len(c.recs) - 1
	if !c.packed || c.errs[n] != nil {
		return
	}
	rec := &c.recs[n]
	e := &rec.Event
	if given&^packable != 0 || rec.Info.Dims != nil {
		return
	}
	p := packedRecord{sec: e.Time.Unix(), nsec: int32(e.Time.Nanosecond()), line: rec.Line, score: int32(e.Score),
		typ: e.Type, role: e.Role, surv: e.Survey}
	if e.Time.Location() == time.UTC {
		p.utc = true
	} else if name, off := e.Time.Zone(); name == "" {
		p.offset = int32(off)
	} else {
		return
	}
	if uint64(len(c.arena))+uint64(len(rec.Info.ID))+uint64(len(e.Agent)) > math.MaxUint32 {
		return
	}
	p.conv = c.toArena(rec.Info.ID)
	if e.Agent != "" {
		p.agent = c.toArena(e.Agent)
	}
	if e.Helpful {
		p.flags |= flagHelpful
	}
	if e.Private {
		p.flags |= flagPrivate
	}
	if e.Automatic {
		p.flags |= flagAutomatic
	}
	c.items[len(c.items)-1] = p
	c.recs, c.errs = c.recs[:n], c.errs[:n]
}

// record returns item p of c as a Record, for a reader's Next after a
// Joiner stopped reading it.
func (c *chunk) record(p *packedRecord) Record {
	loc := time.UTC
	if !p.utc {
		loc = time.FixedZone("", int(p.offset))
	}
	return Record{Line: p.line, Info: Info{ID: string(c.arenaBytes(p.conv))}, Event: Event{
		Time: time.Unix(p.sec, int64(p.nsec)).In(loc), Type: p.typ, Role: p.role, Survey: p.surv, Score: int8(p.score),
		Agent: string(c.arenaBytes(p.agent)), Helpful: p.flags&flagHelpful != 0, Private: p.flags&flagPrivate != 0,
		Automatic: p.flags&flagAutomatic != 0}}
}

// packedReader is a reader that can hand a Joiner packed records.
type packedReader interface {
	// packedAhead returns the reader's reading ahead, from now on making
	// packed records, with its SkipInvalid report and count; nil when it
	// does not read ahead.
	packedAhead() (ra *readAhead, report func(*InputError), skipped *int)
}

// addPacked appends the event of p, an item of c, of conversation conv,
// read at line.
func (s *eventStore) addPacked(c *chunk, p *packedRecord, conv int, line lineRef) error {
	if err := s.reserve(line); err != nil {
		return err
	}
	e := s.at(s.n)
	*e = packedEvent{conv: uint32(conv)}
	loc := time.UTC
	if !p.utc {
		loc = s.fixedZone(p.offset)
	}
	if !s.compact(e, p.sec, p.nsec, loc, p.typ, p.role, p.surv, p.flags, int8(p.score), line) {
		rec := c.record(p)
		rec.Event.Time = rec.Event.Time.In(loc) // the zone of the other events of its offset
		s.whole(&rec.Event, conv, line)
		return nil
	}
	if p.agent.n > 0 {
		e.agent = internStr(s, c.arenaBytes(p.agent))
	}
	s.n++
	return nil
}

// fixedZone returns the unnamed zone offset seconds east of UTC, one
// Location per offset.
func (s *eventStore) fixedZone(offset int32) *time.Location {
	if z, ok := s.fixed[offset]; ok {
		return z
	}
	z := time.FixedZone("", int(offset))
	if s.fixed == nil {
		s.fixed = make(map[int32]*time.Location)
	}
	s.fixed[offset] = z
	return z
}
