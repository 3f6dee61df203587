package chatkpi

import (
	"math"
	"time"
	"unsafe"
)

// Pointer-free records: when a [Joiner] reads a reader that reads ahead
// (readahead.go), the goroutines that decode the chunks hand it most
// records as packedRecords instead of Records (232 bytes with pointers) — 56
// bytes without pointers, their strings copied into the chunk's arena — and the
// Joiner holds them in its store without building a Record or an Event: it
// looks up the conversation, merges its customer and channel and interns the
// agent, in input order, from the arena's bytes. The decoding goroutine does
// what it can of that work on its own core: it splits the conversation id
// into its prefix and counter (counterOf), for the Joiner's lookup
// (heldIDs), and numbers the chunk's distinct agents, so that the Joiner
// interns each once per chunk instead of once per line. A record with more
// than the common fields (other conversation-level fields, an event id,
// money, a time zone with a name, a time outside the years 1678–2261) stays
// a Record, which the chunk keeps; so does an error.

// packedRecord is one item of a chunk decoded for a Joiner.
type packedRecord struct {
	ns int64 // the instant in Unix nanoseconds
	// counter is the counter of the conversation id when prefix, the
	// length of its prefix + 1, is not 0 (see counterOf; 0: the id is not a
	// prefix and a counter, or its prefix is longer than 254 bytes).
	counter uint64
	conv    arenaRef
	line    uint32 // the record's line, minus the chunk's first (chunk.line)
	// ref, when not 0, makes the item c.recs[ref-1] with its error
	// c.errs[ref-1]: the other fields are unused.
	ref    uint32
	agent  uint32 // the index + 1 of the agent in the chunk's agents; 0: none
	info   uint32 // the index + 1 in the chunk's infos of the conversation's customer and channel; 0: the line gives neither
	offset int32  // the time's offset from UTC in seconds, unless utc
	typ    EventType
	role   Role
	surv   Survey
	flags  uint8 // flagHelpful | flagPrivate | flagAutomatic
	score  int8
	prefix uint8
	// pages is the index + 1 in the Joiner's heldIDs of the pages of the
	// id's prefix, when it found them ahead (prefetchHeld); 0 unknown.
	pages uint8
	utc   bool
}

// packedInfo is the customer and channel that a packed record's line gives
// its conversation (n == 0: not that one).
type packedInfo struct{ customer, channel arenaRef }

// arenaRef is a string in a chunk's arena.
type arenaRef struct{ off, n uint32 }

func (c *chunk) arenaBytes(r arenaRef) []byte { return c.arena[r.off : r.off+r.n] }

func (c *chunk) toArena(s string) arenaRef {
	r := arenaRef{uint32(len(c.arena)), uint32(len(s))}
	c.arena = append(c.arena, s...)
	return r
}

// agentSpot is a spot of chunk.seen: an agent of the chunk and its index
// + 1 in chunk.agents.
type agentSpot struct {
	name string
	at   uint32
}

// agentSpots is the number of spots in which a chunk's decoding finds the
// agents it has numbered (a chunk has some hundreds of lines).
const agentSpots = 64

// agentOf returns the index + 1 of agent (not empty) in c.agents, adding
// it when new. It finds the agent by the address of its string, which the
// parser's intern gives once for lines of the same agent: two agents of
// one spot take turns, and an agent may then be numbered twice, which
// costs the Joiner one more lookup.
func (c *chunk) agentOf(agent string) uint32 {
	at := uintptr(unsafe.Pointer(unsafe.StringData(agent)))
	sp := &c.seen[(uint64(at)*0x9e3779b97f4a7c15)>>(64-6)]
	if sp.at != 0 && sp.name == agent {
		return sp.at
	}
	c.agents = append(c.agents, c.toArena(agent))
	c.agentIDs = append(c.agentIDs, 0)
	*sp = agentSpot{agent, uint32(len(c.agents))}
	return sp.at
}

// packable are the fields that a packedRecord holds.
const packable = 1<<fConversation | 1<<fTime | 1<<fRole | 1<<fType | 1<<fAgent | 1<<fSurvey | 1<<fScore |
	1<<fHelpful | 1<<fPrivate | 1<<fAutomatic | 1<<fCustomer | 1<<fChannel

// pack turns the record decoded last, without an error, into a
// packedRecord when it has only the common fields, and reports whether it
// did; given are the fields given on its line (fieldParser.given).
func (c *chunk) pack(given uint32) bool {
	n := len(c.recs) - 1
	if !c.packed || c.errs[n] != nil {
		return false
	}
	rec := &c.recs[n]
	e, info := &rec.Event, &rec.Info
	line := int64(rec.Line) - int64(c.line)
	sec := e.Time.Unix()
	if given&^packable != 0 || info.Dims != nil || line < 0 || line > math.MaxUint32 || sec < minNanoSec || sec > maxNanoSec {
		return false
	}
	p := packedRecord{ns: sec*1e9 + int64(e.Time.Nanosecond()), line: uint32(line), score: e.Score, typ: e.Type, role: e.Role, surv: e.Survey}
	if e.Time.Location() == time.UTC {
		p.utc = true
	} else if name, off := e.Time.Zone(); name == "" {
		p.offset = int32(off)
	} else {
		return false
	}
	if uint64(len(c.arena))+uint64(len(info.ID))+uint64(len(e.Agent))+uint64(len(info.Customer))+uint64(len(info.Channel)) > math.MaxUint32 ||
		uint64(len(c.agents)) >= math.MaxUint32-1 || uint64(len(c.infos)) >= math.MaxUint32-1 {
		return false
	}
	p.conv = c.toArena(info.ID)
	if at, k, ok := counterOf(info.ID); ok && at < math.MaxUint8 {
		p.prefix, p.counter = uint8(at+1), k
	}
	if e.Agent != "" {
		p.agent = c.agentOf(e.Agent)
	}
	if info.Customer != "" || info.Channel != "" {
		c.infos = append(c.infos, packedInfo{c.toArena(info.Customer), c.toArena(info.Channel)})
		p.info = uint32(len(c.infos))
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
	return true
}

// infoOf returns the customer and channel that p gives its conversation
// (n == 0: none).
func (c *chunk) infoOf(p *packedRecord) packedInfo {
	if p.info == 0 {
		return packedInfo{}
	}
	return c.infos[p.info-1]
}

// record returns item p of c as a Record, for a reader's Next after a
// Joiner stopped reading it.
func (c *chunk) record(p *packedRecord) Record {
	loc := time.UTC
	if !p.utc {
		loc = time.FixedZone("", int(p.offset))
	}
	in := c.infoOf(p)
	rec := Record{Line: c.line + int(p.line), Info: Info{ID: string(c.arenaBytes(p.conv)), Customer: string(c.arenaBytes(in.customer)),
		Channel: string(c.arenaBytes(in.channel))}, Event: Event{
		Time: time.Unix(0, p.ns).In(loc), Type: p.typ, Role: p.role, Survey: p.surv, Score: p.score,
		Helpful: p.flags&flagHelpful != 0, Private: p.flags&flagPrivate != 0, Automatic: p.flags&flagAutomatic != 0}}
	if p.agent != 0 {
		rec.Event.Agent = string(c.arenaBytes(c.agents[p.agent-1]))
	}
	return rec
}

// packedReader is a reader that can hand a Joiner packed records.
type packedReader interface {
	// packedAhead returns the reader's reading ahead, from now on making
	// packed records, with its SkipInvalid report and count; nil when it
	// does not read ahead.
	packedAhead() (ra *readAhead, report func(*InputError), skipped *int)
}

// addPacked appends the event of p, an item of c, read at line.
func (s *eventStore) addPacked(c *chunk, p *packedRecord, line lineRef) error {
	if err := s.reserve(line); err != nil {
		return err
	}
	e := s.at(s.n)
	*e = packedEvent{}
	loc := time.UTC
	if !p.utc {
		loc = s.fixedZone(p.offset)
	}
	if !s.compact(e, p.ns, loc, p.typ, p.role, p.surv, p.flags, p.score, line) {
		rec := c.record(p)
		rec.Event.Time = rec.Event.Time.In(loc) // the zone of the other events of its offset
		s.whole(&rec.Event, line)
		return nil
	}
	if p.agent != 0 {
		g := &c.agentIDs[p.agent-1]
		if *g == 0 {
			*g = internStr(s, c.arenaBytes(c.agents[p.agent-1]))
		}
		e.agent = *g
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
