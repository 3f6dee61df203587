package chatkpi

import (
	"encoding/binary"
	"errors"
	"math"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"
)

// packedEvent is an event that a [Joiner] holds between [Joiner.Read] and
// [Joiner.Conversations]: 24 bytes without pointers, so that the garbage
// collector never scans the events held. Its agent is an index into the
// store's table, its id (when it has one) in a column of its block;
// [eventStore.event] rebuilds the [Event]. An event whose fields do not all
// fit (money, a time outside the years 1678–2261 of int64 nanoseconds, a
// 256th time zone, a role, survey or flag beyond the valid ones, a line far
// from its block's first) is held whole in the store's extras instead: its
// zone is then wholeZone and agent the index in extras, and only next is
// used besides.
type packedEvent struct {
	ns    int64  // the instant in Unix nanoseconds
	line  uint32 // where it was read: its lineRef minus that of its block's first event (blockMeta.base)
	next  uint32 // the index of the next event of its conversation, unless it is the last (see held)
	agent uint32 // index in strs; 0: none (whole: index in extras)
	typ   EventType
	kind  uint8 // its role, survey<<roleBits and flags<<(roleBits+surveyBits)
	score int8
	zone  uint8 // index in zones of its time's location; wholeZone: held whole
}

// The bits of packedEvent.kind.
const (
	roleBits   = 3
	surveyBits = 2
	flagBits   = 3
)

// blockMeta is what a block of the store holds besides its events.
type blockMeta struct {
	base lineRef  // the line of its first event
	ids  []string // the id of each event; nil while none has one
}

// eventExtra is an event held whole, with its line.
type eventExtra struct {
	event Event
	line  lineRef
}

// eventStore holds the events of every conversation a Joiner reads, in
// reading order, in blocks.
type eventStore struct {
	blocks [][]packedEvent
	meta   []blockMeta // per block
	n      int         // events held

	strs   []string // agents and the held conversations' channels; strs[0] = ""
	strIdx map[string]uint32
	strNow uint32 // the index of the agent looked up last, tried first
	extras []eventExtra
	zones  []*time.Location // at most wholeZone
	zone   *time.Location   // the location of zones[lastZone], looked up first
	last   uint8
	fixed  map[int32]*time.Location // the zones of the packed records' offsets (recordpack.go)
}

const (
	storeBlockBits = 14 // 16,384 events (384 KiB) a block
	storeBlock     = 1 << storeBlockBits
	maxStored      = math.MaxUint32
	wholeZone      = math.MaxUint8 // packedEvent.zone of an event held whole
	// Unix seconds whose nanoseconds an int64 holds, whatever the fraction.
	minNanoSec = math.MinInt64/1_000_000_000 + 1
	maxNanoSec = math.MaxInt64/1_000_000_000 - 1
)

var errStoreFull = errors.New("chatkpi: Joiner: more than 4,294,967,295 events, agents or whole events held")

// at returns event i.
func (s *eventStore) at(i int) *packedEvent {
	return &s.blocks[i>>storeBlockBits][i&(storeBlock-1)]
}

// lineOf returns the line of event i, p.
func (s *eventStore) lineOf(i int, p *packedEvent) lineRef {
	if p.zone == wholeZone {
		return s.extras[p.agent].line
	}
	return s.meta[i>>storeBlockBits].base + lineRef(p.line)
}

// eventsLeft returns, per block, its number of events: those left to
// build (see blockTally).
func (s *eventStore) eventsLeft() []atomic.Int32 {
	left := make([]atomic.Int32, len(s.blocks))
	for b := range left {
		left[b].Store(int32(min(storeBlock, s.n-b*storeBlock)))
	}
	return left
}

// heldTexts holds the ids and customers of the conversations that a
// Joiner holds without a pointer for the garbage collector to scan: each
// text once per conversation, length first (a uvarint), in pages of
// textPage bytes that are never copied (a longer text has a page of its
// own). A text is known by where it is: its page << 32 | its offset + 1;
// 0 is no text.
type heldTexts struct {
	pages [][]byte
}

const textPage = 1 << 18

// addText adds s to t and returns where it is; 0 for "".
func addText[T text](t *heldTexts, s T) uint64 {
	if len(s) == 0 {
		return 0
	}
	var head [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(head[:], uint64(len(s)))
	last := len(t.pages) - 1
	if last < 0 || len(t.pages[last])+n+len(s) > cap(t.pages[last]) {
		t.pages = append(t.pages, make([]byte, 0, max(textPage, n+len(s))))
		last++
	}
	p := t.pages[last]
	where := uint64(last)<<32 | uint64(len(p)+1)
	t.pages[last] = append(append(p, head[:n]...), s...)
	return where
}

// text returns the text at where (not to be changed).
func (t *heldTexts) text(where uint64) []byte {
	if where == 0 {
		return nil
	}
	p := t.pages[where>>32]
	at := int(where&(1<<32-1)) - 1
	l, n := uint64(p[at]), 1 // most texts are shorter than 128 bytes
	if l >= 0x80 {
		l, n = binary.Uvarint(p[at:])
	}
	end := at + n + int(l)
	return p[at+n : end : end]
}

// str returns the text at where as a string that shares its page's
// memory, which is never changed once a text is in it: the ids and
// customers of the conversations built are not copied (the strings keep
// their pages alive, about the size of those texts).
func (t *heldTexts) str(where uint64) string {
	b := t.text(where)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// release drops block b, whose events are all built.
func (s *eventStore) release(b int) {
	s.blocks[b], s.meta[b].ids = nil, nil
}

// reserve makes room for one more event, at s.at(s.n), read at line.
func (s *eventStore) reserve(line lineRef) error {
	if s.strs == nil {
		s.strs = []string{""}
	}
	if uint64(s.n) == maxStored || uint64(len(s.strs)) == maxStored || uint64(len(s.extras)) == maxStored {
		return errStoreFull
	}
	if s.n&(storeBlock-1) == 0 && s.n>>storeBlockBits == len(s.blocks) {
		s.blocks = append(s.blocks, make([]packedEvent, storeBlock))
		s.meta = append(s.meta, blockMeta{base: line})
	}
	return nil
}

// compact packs the fields of an event that are not strings into p, and
// reports whether they fit; ns is its instant in Unix nanoseconds, line
// where it was read.
func (s *eventStore) compact(p *packedEvent, ns int64, loc *time.Location, typ EventType, role Role, surv Survey,
	flags uint8, score int8, line lineRef) bool {
	d := line - s.meta[s.n>>storeBlockBits].base
	if role >= 1<<roleBits || surv >= 1<<surveyBits || flags >= 1<<flagBits || d > math.MaxUint32 {
		return false
	}
	zone, ok := s.zoneOf(loc)
	if !ok {
		return false
	}
	p.ns, p.line, p.zone = ns, uint32(d), zone
	p.typ, p.kind, p.score = typ, uint8(role)|uint8(surv)<<roleBits|flags<<(roleBits+surveyBits), score
	return true
}

// whole holds e, read at line, whole in extras.
func (s *eventStore) whole(e *Event, line lineRef) {
	*s.at(s.n) = packedEvent{agent: uint32(len(s.extras)), zone: wholeZone}
	s.extras = append(s.extras, eventExtra{event: *e, line: line})
	s.n++
}

// add appends e, read at line.
func (s *eventStore) add(e *Event, line lineRef) error {
	if err := s.reserve(line); err != nil {
		return err
	}
	p := s.at(s.n)
	*p = packedEvent{}
	var flags uint8
	if e.Helpful {
		flags |= flagHelpful
	}
	if e.Private {
		flags |= flagPrivate
	}
	if e.Automatic {
		flags |= flagAutomatic
	}
	if sec := e.Time.Unix(); e.Value != (decimal.Decimal{}) || e.Currency != "" || sec < minNanoSec || sec > maxNanoSec ||
		!s.compact(p, sec*1e9+int64(e.Time.Nanosecond()), e.Time.Location(), e.Type, e.Role, e.Survey, flags, e.Score, line) {
		s.whole(e, line)
		return nil
	}
	if e.Agent != "" {
		p.agent = internStr(s, e.Agent)
	}
	if e.ID != "" {
		m := &s.meta[s.n>>storeBlockBits]
		if m.ids == nil {
			m.ids = make([]string, storeBlock)
		}
		m.ids[s.n&(storeBlock-1)] = e.ID
	}
	s.n++
	return nil
}

// internStr returns the index of agent v in s.strs, adding it when new.
func internStr[T text](s *eventStore, v T) uint32 {
	if s.strs[s.strNow] == string(v) {
		return s.strNow
	}
	if i, ok := s.strIdx[string(v)]; ok {
		s.strNow = i
		return i
	}
	if s.strIdx == nil {
		s.strIdx = make(map[string]uint32)
	}
	i := uint32(len(s.strs))
	str := string(v)
	s.strs = append(s.strs, str)
	s.strIdx[str] = i
	s.strNow = i
	return i
}

// internText returns the index of v (bytes or a string) in s.strs, adding
// it when new, also before s holds any event (a conversation's channel).
func internText[T text](s *eventStore, v T) uint32 {
	if s.strs == nil {
		s.strs = []string{""}
	}
	return internStr(s, v)
}

// str returns string i of s.strs.
func (s *eventStore) str(i uint32) string {
	if i == 0 {
		return ""
	}
	return s.strs[i]
}

// zoneOf returns the index of loc in zones, adding it when new; ok is
// false when zones are full.
func (s *eventStore) zoneOf(loc *time.Location) (uint8, bool) {
	if loc == s.zone && s.zones != nil {
		return s.last, true
	}
	for i, z := range s.zones {
		if z == loc {
			s.zone, s.last = loc, uint8(i)
			return s.last, true
		}
	}
	if len(s.zones) == wholeZone {
		return 0, false
	}
	s.zones = append(s.zones, loc)
	s.zone, s.last = loc, uint8(len(s.zones)-1)
	return s.last, true
}

// event rebuilds event i.
func (s *eventStore) event(i int) Event {
	var e Event
	s.eventTo(i, &e)
	return e
}

// eventTo rebuilds event i into e, in place: a conversation's events are
// built in memory of their own, without a copy through the stack.
func (s *eventStore) eventTo(i int, e *Event) {
	p := s.at(i)
	if p.zone == wholeZone {
		*e = s.extras[p.agent].event
		return
	}
	flags := p.kind >> (roleBits + surveyBits)
	*e = Event{Time: time.Unix(0, p.ns).In(s.zones[p.zone]), Type: p.typ, Role: Role(p.kind & (1<<roleBits - 1)),
		Survey: Survey(p.kind >> roleBits & (1<<surveyBits - 1)), Score: p.score, Agent: s.strs[p.agent],
		Helpful: flags&flagHelpful != 0, Private: flags&flagPrivate != 0, Automatic: flags&flagAutomatic != 0}
	if ids := s.meta[i>>storeBlockBits].ids; ids != nil {
		e.ID = ids[i&(storeBlock-1)]
	}
}
