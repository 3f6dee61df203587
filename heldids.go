package chatkpi

import (
	"strings"
	"unsafe"
)

// heldIDs numbers the ids of the conversations that [Joiner.Read] holds 0,
// 1, 2, … in the order it first sees them. Most systems number their
// conversations (see counterID): an id that is a prefix and a counter is
// looked up in its prefix's counterPages, an array indexed by the counter,
// with neither a hash nor a probe; any other id (and a counter that the
// pages do not take) in a hash table, customerIDs. An id is in one of the
// two, always the same: a counter of a prefix is looked for in the hash
// table only once the pages refused one of that prefix's counters.
//
// With interleaved input nearly every line looks up another conversation
// than the line before: at 10 M events of a million conversations, the
// table costs a hash and a probe per line and, for each new conversation,
// a probe of a table too large for the caches to the first empty slot, and
// its doublings; the pages cost a dependent load or two per line, and 4
// bytes per counter in a page used.
//
// # Memory
//
// A page holds the numbers of counterPage consecutive counters, 4 bytes
// each, allocated when a counter of it comes first; a directory of a
// pointer per page spans the prefix's pages. The pages of every prefix
// together take at most 4 counters per id held plus heldSlack (so at most
// 16 bytes per id and 4 MiB in all; the hash table takes 18 to 37 bytes
// per id of at most 8 bytes), a directory at most 8 entries per page it
// holds plus heldSlack/counterPage, and there are at most closedPrefixes
// prefixes: a counter beyond that goes to the hash table. A million
// conversations numbered in any order within 0 … 1.1 M take 4.2 MiB.
type heldIDs struct {
	prefixes []counterPages
	last     int         // the prefix of the last counter looked up
	pages    int         // pages of every prefix
	hashed   customerIDs // the ids not in pages
	number   []uint32    // the number of hashed id i (hashed numbers them in its own order)
	n        int         // ids numbered
}

// counterPages holds the numbers of the counters of one prefix: that of
// counter c is dir[c/counterPage − base][c%counterPage] − 1, 0 none.
type counterPages struct {
	prefix string
	base   uint64 // the page of dir[0]
	dir    []*[counterPage]uint32
	// first … end-1 are the pages between the first and the last made.
	first, end uint64
	// spilled: a counter of the prefix went to the hash table, so that one
	// not in the pages is looked for there too.
	spilled bool
}

const (
	counterPageBits = 10
	counterPage     = 1 << counterPageBits // counters a page
	heldSlack       = 1 << 20              // counters the pages may take besides 4 per id
)

// counterOf splits id into the length of its prefix and its counter, when
// it is a prefix and a counter: the prefix is id without its trailing
// digits, which must be a decimal number without a leading zero and below
// 10¹⁸ (counterID gives the prefix itself). It reads the digits once,
// from the last.
func counterOf[T text](id T) (prefix int, counter uint64, ok bool) {
	i, unit := len(id), uint64(1)
	for i > 0 {
		d := uint64(id[i-1] - '0')
		if d > 9 {
			break
		}
		counter += d * unit // wrong past 19 digits, which are not a counter
		unit *= 10
		i--
	}
	if d := len(id) - i; d == 0 || d > 18 || d > 1 && id[i] == '0' {
		return 0, 0, false
	}
	return i, counter, true
}

// prefixOf returns the pages of the counters of prefix; nil when there are
// none, unless add, when there is room for a new prefix.
func prefixOf[T text](t *heldIDs, prefix T, add bool) *counterPages {
	if i := prefixIndex(t, prefix); i >= 0 {
		return &t.prefixes[i]
	}
	if !add || len(t.prefixes) == closedPrefixes {
		return nil
	}
	t.prefixes = append(t.prefixes, counterPages{prefix: strings.Clone(string(prefix))})
	t.last = len(t.prefixes) - 1
	return &t.prefixes[t.last]
}

// prefixIndex returns the index in t.prefixes of prefix, or −1.
func prefixIndex[T text](t *heldIDs, prefix T) int {
	if t.last < len(t.prefixes) && t.prefixes[t.last].prefix == string(prefix) {
		return t.last
	}
	for i := range t.prefixes {
		if t.prefixes[i].prefix == string(prefix) {
			t.last = i
			return i
		}
	}
	return -1
}

// slot returns where the number of counter c is, nil when its page is not
// made.
func (p *counterPages) slot(c uint64) *uint32 {
	if i := c>>counterPageBits - p.base; c>>counterPageBits >= p.base && i < uint64(len(p.dir)) && p.dir[i] != nil {
		return &p.dir[i][c&(counterPage-1)]
	}
	return nil
}

// place makes the page of counter c, when the bounds on memory let it
// (n ids are held), and returns where its number goes; nil when they do
// not.
func (t *heldIDs) place(p *counterPages, c uint64, n int) *uint32 {
	pg := c >> counterPageBits
	if i := pg - p.base; pg >= p.base && i < uint64(len(p.dir)) && p.dir[i] != nil {
		return &p.dir[i][c&(counterPage-1)]
	}
	if uint64(t.pages+1)*counterPage > 4*uint64(n+1)+heldSlack {
		return nil
	}
	if len(p.dir) == 0 {
		p.base, p.first, p.end = pg, pg, pg+1
	}
	first, end := min(p.first, pg), max(p.end, pg+1)
	if end-first > 8*uint64(t.pages+1)+heldSlack/counterPage {
		return nil
	}
	p.first, p.end = first, end
	if first < p.base || end > p.base+uint64(len(p.dir)) { // a larger directory, with room to grow either way
		room := (end - first) / 2
		lo := first - min(first, room)
		dir := make([]*[counterPage]uint32, end+room-lo)
		copy(dir[p.base-lo:], p.dir)
		p.base, p.dir = lo, dir
	}
	t.pages++
	pp := &p.dir[pg-p.base]
	*pp = new([counterPage]uint32)
	return &(*pp)[c&(counterPage-1)]
}

// numberHeld returns the number of conversation id, numbering it t.n when
// new (added). ahead, when not nil, is the hash that prefetchHeldID kept
// for the id, used if it is this id's (see heldIndex).
func numberHeld[T text](t *heldIDs, id T, ahead *idHash) (k int, added bool) {
	var p *counterPages // the id's prefix, while the id may go to its pages
	var c uint64
	hashed := true // the id may be in the hash table
	if at, counter, ok := counterOf(id); ok {
		if p, c = prefixOf(t, id[:at], true), counter; p != nil {
			if s := p.slot(c); s != nil && *s != 0 {
				return int(*s - 1), false
			}
			hashed = p.spilled
		}
	}
	var h uint64
	if hashed || p == nil {
		if ahead != nil && len(id) <= idInline && ahead.n == len(id)+1 && ahead.key == inlineKey(id) {
			h = ahead.h
		} else {
			h = t.hashed.hash(string(id))
		}
		if x := t.hashed.find(h, string(id)); x >= 0 {
			return int(t.number[x]), false
		}
	}
	if p != nil { // new
		if s := t.place(p, c, t.n); s != nil {
			*s = uint32(t.n + 1)
			t.n++
			return t.n - 1, true
		}
		if !p.spilled { // from now on the prefix's counters not in its pages are looked for in the table too
			p.spilled = true
			h = t.hashed.hash(string(id))
		}
	}
	t.hashed.add(h, string(id))
	t.number = append(t.number, uint32(t.n))
	t.n++
	return t.n - 1, true
}

// prefetchHeldID starts loading where numberHeld will look id up: the
// counter's slot in its page, or the hash table's slot, whose hash it
// keeps in ahead when the id is short.
func prefetchHeldID[T text](t *heldIDs, id T, ahead *idHash) {
	if at, c, ok := counterOf(id); ok {
		if p := prefixOf(t, id[:at], false); p != nil {
			if s := p.slot(c); s != nil {
				prefetch(unsafe.Pointer(s))
				if !p.spilled {
					return
				}
			} else if !p.spilled {
				return // new, placed in a page not made yet
			}
		}
	}
	if t.hashed.len() == 0 {
		return
	}
	h := t.hashed.hash(string(id))
	t.hashed.prefetchSlot(h)
	if len(id) <= idInline {
		*ahead = idHash{inlineKey(id), h, len(id) + 1}
	}
}
