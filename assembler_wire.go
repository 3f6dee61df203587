package chatkpi

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// MarshalBinary encodes the settings, the time, the duplicate count, every
// open conversation (by id; its events in arrival order) and the record of
// closed conversations (oldest first). Instants are kept, their zones are
// not (they decode in UTC). Equal states encode equally.
func (a *Assembler) MarshalBinary() ([]byte, error) {
	a.init()
	e := newEncoder(tagAssembler, 256)
	s := &a.cfg
	e.varint(int64(s.ResolvedQuiet))
	e.varint(int64(s.IdleTimeout))
	e.varint(int64(s.Lateness))
	e.uvarint(uint64(s.ClosedRecord))
	e.uvarint(uint64(s.MaxEvents))
	encodeOptTime(e, a.now)
	e.uvarint(uint64(a.duplicates))
	ids := slices.Sorted(maps.Keys(a.open))
	e.uvarint(uint64(len(ids)))
	for _, id := range ids {
		c := a.open[id]
		encodeInfo(e, &c.info)
		encodeOptTime(e, c.closedAt)
		e.uvarint(uint64(len(c.events)))
		for i := range c.events {
			encodeEvent(e, &c.events[i])
		}
	}
	e.uvarint(uint64(len(a.ring)))
	for i := range a.ring {
		id := a.ring[(a.ringHead+i)%len(a.ring)]
		e.string(id)
		digests := a.closed[id]
		e.uvarint(uint64(len(digests)))
		for _, d := range digests {
			e.uint64(d.id)
			e.uint64(d.content)
		}
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces a's state with an encoding of
// [Assembler.MarshalBinary]. A zero-value Assembler takes the encoding's
// settings; one with other settings gives [ErrIncompatible]. Corrupt input
// (an invalid event, a repeated event ID, a conversation both open and
// closed, more than the settings allow) gives an error wrapping
// [ErrInvalid]. On error a is unchanged.
func (a *Assembler) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagAssembler, "assembler")
	var s AssemblerSettings
	s.ResolvedQuiet = time.Duration(d.varint())
	s.IdleTimeout = time.Duration(d.varint())
	s.Lateness = time.Duration(d.varint())
	s.ClosedRecord = d.int()
	s.MaxEvents = d.int()
	if d.err != nil {
		return d.finish()
	}
	if cfg, err := s.withDefaults(); err != nil || cfg != s {
		d.fail("settings %+v are not valid settings with their defaults", s)
		return d.finish()
	}
	if a.cfg.MaxEvents != 0 && a.cfg != s {
		return fmt.Errorf("%w: the assembler was encoded with other settings", ErrIncompatible)
	}
	var t Assembler
	t.setup(s)
	t.now = decodeOptTime(d)
	t.duplicates = d.count()
	n := d.length(8)
	prev := ""
	for i := range n {
		var info Info
		decodeInfo(d, &info)
		if d.err == nil && (info.ID == "" || i > 0 && info.ID <= prev) {
			d.fail("open conversation ids empty, out of order or repeated")
		}
		prev = info.ID
		closedAt := decodeOptTime(d)
		m := d.length(8)
		if d.err == nil && (m == 0 || m > s.MaxEvents) {
			d.fail("conversation %q has %d events, not 1 to MaxEvents %d", info.ID, m, s.MaxEvents)
		}
		if d.err != nil {
			break
		}
		c := t.newConversation(info)
		c.closedAt = closedAt
		c.events = make([]Event, 0, m)
		for range m {
			var ev Event
			decodeEvent(d, &ev)
			if d.err != nil {
				break
			}
			if err := ValidateEvent(info.ID, len(c.events), &ev); err != nil {
				d.fail("%v", err)
				break
			}
			if ev.ID != "" {
				k := openEventKey{info.ID, ev.ID}
				if _, ok := t.ids[k]; ok {
					d.fail("conversation %q repeats event id %q", info.ID, ev.ID)
					break
				}
				t.ids[k] = int32(len(c.events))
			}
			c.add(&ev)
		}
		if d.err != nil {
			break
		}
		t.schedule(c)
	}
	nc := d.length(2)
	if d.err == nil && nc > s.ClosedRecord {
		d.fail("%d closed conversations, more than ClosedRecord %d", nc, s.ClosedRecord)
	}
	for range nc {
		if d.err != nil {
			break
		}
		id := d.string()
		k := d.length(16)
		if d.err != nil {
			break
		}
		_, open := t.open[id]
		_, seen := t.closed[id]
		if id == "" || open || seen {
			d.fail("closed conversation %q is empty, open or repeated", id)
			break
		}
		var digests []eventDigest
		if k > 0 {
			digests = make([]eventDigest, k)
		}
		for j := range digests {
			digests[j] = eventDigest{d.uint64(), d.uint64()}
		}
		t.remember(id, digests)
	}
	if err := d.finish(); err != nil {
		return err
	}
	*a = t
	return nil
}

func (e *encoder) uint64(v uint64) {
	e.buf = append(e.buf, byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
}

func (d *decoder) uint64() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.buf)-d.off < 8 {
		d.fail("truncated uint64")
		return 0
	}
	b := d.buf[d.off : d.off+8]
	d.off += 8
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// int reads a non-negative count that fits an int.
func (d *decoder) int() int {
	v := d.uvarint()
	if v > math.MaxInt32 {
		d.fail("count %d is too large", v)
		return 0
	}
	return int(v)
}

// encodeTime writes an instant as Unix seconds and nanoseconds.
func encodeTime(e *encoder, t time.Time) {
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
}

func decodeTime(d *decoder) time.Time {
	sec, nsec := d.varint(), d.uvarint()
	if d.err == nil && nsec >= 1e9 {
		d.fail("nanoseconds %d out of range", nsec)
	}
	if d.err != nil {
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

// encodeOptTime writes a possibly zero instant.
func encodeOptTime(e *encoder, t time.Time) {
	e.bool(!t.IsZero())
	if !t.IsZero() {
		encodeTime(e, t)
	}
}

func decodeOptTime(d *decoder) time.Time {
	if !d.bool() {
		return time.Time{}
	}
	t := decodeTime(d)
	if d.err == nil && t.IsZero() {
		d.fail("a present instant is the zero instant")
	}
	return t
}

func encodeInfo(e *encoder, info *Info) {
	e.string(info.ID)
	e.string(info.Customer)
	e.string(info.Channel)
	e.string(info.Source)
	e.string(info.Priority)
	encodeOptTime(e, info.Start)
	e.bool(info.Outbound)
	keys := slices.Sorted(maps.Keys(info.Dims))
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.string(k)
		e.string(info.Dims[k])
	}
}

func decodeInfo(d *decoder, info *Info) {
	info.ID, info.Customer, info.Channel, info.Source = d.string(), d.string(), d.string(), d.string()
	info.Priority = d.string()
	info.Start = decodeOptTime(d)
	info.Outbound = d.bool()
	n := d.length(2)
	prev := ""
	for i := range n {
		k, v := d.string(), d.string()
		if d.err != nil {
			return
		}
		if k == "" || v == "" || i > 0 && cmp.Compare(k, prev) <= 0 {
			d.fail("dimensions empty, out of order or repeated")
			return
		}
		if info.Dims == nil {
			info.Dims = make(map[string]string, n)
		}
		info.Dims[k], prev = v, k
	}
}

// encodeEvent writes every field of an event (the flags as in [keyOf]);
// the digest of an event is the hash of this encoding, so it is canonical:
// events with equal [eventKey]s and IDs encode equally.
func encodeEvent(e *encoder, ev *Event) {
	encodeTime(e, ev.Time)
	e.byte1(byte(ev.Type))
	e.byte1(byte(ev.Role))
	e.byte1(byte(ev.Survey))
	e.varint(int64(ev.Score))
	e.string(ev.Agent)
	e.string(ev.Currency)
	if ev.Value.IsZero() {
		e.string("")
	} else {
		e.string(ev.Value.String())
	}
	var flags uint8
	if ev.Private {
		flags |= flagPrivate
	}
	if ev.Automatic {
		flags |= flagAutomatic
	}
	if ev.Helpful {
		flags |= flagHelpful
	}
	e.byte1(flags)
	e.string(ev.ID)
}

func decodeEvent(d *decoder, ev *Event) {
	ev.Time = decodeTime(d)
	ev.Type, ev.Role, ev.Survey = EventType(d.byte1()), Role(d.byte1()), Survey(d.byte1())
	score := d.varint()
	if d.err == nil && (score < math.MinInt8 || score > math.MaxInt8) {
		d.fail("score %d out of range", score)
	}
	ev.Score = int8(score)
	ev.Agent, ev.Currency = d.string(), d.string()
	if v := d.string(); v != "" && d.err == nil {
		dec, err := decimal.NewFromString(v)
		if err != nil || !isDecimal(v) || dec.IsZero() || dec.String() != v {
			d.fail("goal value %q is not a canonical non-zero decimal", quoteShort(v))
			return
		}
		ev.Value = dec
	}
	flags := d.byte1()
	if d.err == nil && flags&^(flagPrivate|flagAutomatic|flagHelpful) != 0 {
		d.fail("unknown event flags %#x", flags)
	}
	ev.Private, ev.Automatic, ev.Helpful = flags&flagPrivate != 0, flags&flagAutomatic != 0, flags&flagHelpful != 0
	ev.ID = d.string()
	if d.err == nil && ev.Time.IsZero() {
		d.fail("zero event time")
	}
}
