package chatkpi

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"
)

// packedEvent is an event that a [Joiner] holds between [Joiner.Read] and
// [Joiner.Conversations]: 48 bytes without pointers, so that the garbage
// collector never scans the events held. Its strings and money are
// indexes into the store's tables; Event rebuilds the [Event].
type packedEvent struct {
	sec   int64   // the instant: Unix seconds and nanoseconds
	line  lineRef // where it was read
	nsec  int32
	score int32  // the score
	agent uint32 // index in strs; 0: none
	id    uint32 // index in ids; 0: none
	extra uint32 // index in extras; 0: none
	conv  uint32 // index of its conversation
	zone  uint16 // index in zones of its time's location
	typ   EventType
	role  Role
	surv  Survey
	flags uint8 // flagHelpful | flagPrivate | flagAutomatic
}

// eventExtra holds the rare fields of an event: its money.
type eventExtra struct {
	value    decimal.Decimal
	currency string
}

// eventStore holds the events of every conversation a Joiner reads, in
// reading order, in blocks.
type eventStore struct {
	blocks [][]packedEvent
	n      int // events held

	strs   []string // agents; strs[0] = ""
	strIdx map[string]uint32
	strNow uint32   // the index of the agent looked up last, tried first
	ids    []string // event ids, one per event with one; ids[0] = ""
	extras []eventExtra
	zones  []*time.Location
	zone   *time.Location // the location of zones[lastZone], looked up first
	last   uint16
	fixed  map[int32]uint16 // the zones of the packed records' offsets (recordpack.go)
}

const (
	storeBlockBits = 14 // 16,384 events (768 KiB) a block
	storeBlock     = 1 << storeBlockBits
	maxStored      = math.MaxUint32
)

var errStoreFull = errors.New("chatkpi: Joiner: more than 4,294,967,295 events, agents, ids or money values held")

// at returns event i.
func (s *eventStore) at(i int) *packedEvent {
	return &s.blocks[i>>storeBlockBits][i&(storeBlock-1)]
}

// reserve makes room for one more event, at s.at(s.n).
func (s *eventStore) reserve() error {
	if s.strs == nil {
		s.strs = []string{""}
	}
	if s.n == maxStored || len(s.strs) == maxStored || len(s.ids) == maxStored || len(s.extras) == maxStored {
		return errStoreFull
	}
	if s.n&(storeBlock-1) == 0 && s.n>>storeBlockBits == len(s.blocks) {
		s.blocks = append(s.blocks, make([]packedEvent, storeBlock))
	}
	return nil
}

// add appends e of conversation conv, read at line.
func (s *eventStore) add(e *Event, conv int, line lineRef) error {
	if err := s.reserve(); err != nil {
		return err
	}
	p := s.at(s.n)
	*p = packedEvent{sec: e.Time.Unix(), nsec: int32(e.Time.Nanosecond()), line: line, conv: uint32(conv),
		typ: e.Type, role: e.Role, surv: e.Survey}
	zone, err := s.zoneOf(e.Time.Location())
	if err != nil {
		return err
	}
	p.zone = zone
	if e.Helpful {
		p.flags |= flagHelpful
	}
	if e.Private {
		p.flags |= flagPrivate
	}
	if e.Automatic {
		p.flags |= flagAutomatic
	}
	if e.Agent != "" {
		p.agent = internStr(s, e.Agent)
	}
	if e.ID != "" {
		if len(s.ids) == 0 {
			s.ids = append(s.ids, "")
		}
		p.id = uint32(len(s.ids))
		s.ids = append(s.ids, e.ID)
	}
	p.score = int32(e.Score)
	if e.Value != (decimal.Decimal{}) || e.Currency != "" {
		if len(s.extras) == 0 {
			s.extras = append(s.extras, eventExtra{})
		}
		p.extra = uint32(len(s.extras))
		s.extras = append(s.extras, eventExtra{value: e.Value, currency: e.Currency})
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

func (s *eventStore) zoneOf(loc *time.Location) (uint16, error) {
	if loc == s.zone && s.zones != nil {
		return s.last, nil
	}
	for i, z := range s.zones {
		if z == loc {
			s.zone, s.last = loc, uint16(i)
			return s.last, nil
		}
	}
	if len(s.zones) == math.MaxUint16+1 {
		return 0, fmt.Errorf("chatkpi: Joiner: events in more than %d time zones", math.MaxUint16+1)
	}
	s.zones = append(s.zones, loc)
	s.zone, s.last = loc, uint16(len(s.zones)-1)
	return s.last, nil
}

// event rebuilds the Event p holds.
func (s *eventStore) event(p *packedEvent) Event {
	e := Event{Time: time.Unix(p.sec, int64(p.nsec)).In(s.zones[p.zone]), Type: p.typ, Role: p.role, Survey: p.surv,
		Score: int8(p.score), Agent: s.strs[p.agent], Helpful: p.flags&flagHelpful != 0, Private: p.flags&flagPrivate != 0,
		Automatic: p.flags&flagAutomatic != 0}
	if p.id != 0 {
		e.ID = s.ids[p.id]
	}
	if p.extra != 0 {
		x := &s.extras[p.extra]
		e.Value, e.Currency = x.value, x.currency
	}
	return e
}
