package chatkpi

import (
	"cmp"
	"slices"
)

// How a repeatLedger stores its customers: without a pointer per customer,
// so that the garbage collector does not scan them, and in about a third of
// the memory of a heap object per customer. Customer k (its number in the
// ledger's customerIDs) has the record recs[k], 8 bytes, and a segment of
// words in the ledger's wordPool holding, in order:
//
//	first              unless it is the first kept start (flagFirstIsStart)
//	dropFrom dropStart when starts were dropped (flagDropStart)
//	dropOpen           when open resolutions were dropped (flagDropOpen)
//	starts…            ns of them
//	at…                the no open resolutions' instants
//	metas…             theirs, meta = target number << 1 | pending: four
//	                   16-bit ones a word, or one a word when a target's
//	                   number is 2¹⁵ − 1 or more (flagWide)
//
// The segment's size is a class of 1, 2, … 8, 10, 12, 14, 16, 20, 24, …
// words (at most a quarter more than it holds, besides what a conversation
// more needs). A customer whose state outgrows heavyWords (some 40
// conversations kept) is kept unpacked instead, in heavy (class
// heavyClass), so that a conversation costs no copy of a long state.
// A customer with two conversations, both inbound and resolved, takes 8 +
// 5·8 = 48 bytes (before: a 192-byte object and its 16-byte slot).

// repeatRecord is a customer's record in a repeatLedger.
type repeatRecord struct {
	off    uint32 // the segment: page << poolPageBits | word
	class  uint8  // its size class
	flags  uint8
	ns, no uint8 // the counts of starts and open resolutions (a packed state has at most heavyWords words)
}

// The flags of a repeatRecord.
const (
	flagFull uint8 = 1 << iota
	flagLost
	flagDropStart
	flagDropOpen
	flagFirstIsStart
	flagWide
	flagSegment // a customer of the ledger: a segment, or heavy
)

// wordPool is memory for segments of words: pages of poolPage words (the
// pool grows by a page, never copying what it holds) and free lists of
// segments by size class. When the free segments are more than a quarter
// of the pool and it needs a page more, the ledger compacts it instead
// (repeatLedger.compact), so that customers whose segments grow in step —
// leaving segments of classes nobody needs any more — cost at most a
// third more than their segments.
type wordPool struct {
	pages     [][]int64
	used      int // words used of the last page
	free      [poolClasses][]uint32
	freeWords int // the words of the free segments
}

const (
	heavyWords   = 128 // the largest packed state
	heavyClass   = 255 // the class of a customer kept in heavy
	poolPageBits = 12
	poolPage     = 1 << poolPageBits
	poolClasses  = 44 // classes 0 … 43: 1 to 4,096 words (a page)
)

// classWords is the size of class c: 1 to 8 words, then four classes per
// doubling: 10, 12, 14, 16, 20, 24, 28, 32, … words.
func classWords(c uint8) int {
	if c < 7 {
		return int(c) + 1
	}
	return (4 + int(c-7)%4) << (int(c-7)/4 + 1)
}

// classFor returns the smallest class of at least n words; poolClasses or
// more for more than a page.
func classFor(n int) uint8 {
	c := uint8(0)
	for classWords(c) < n {
		c++
	}
	return c
}

// alloc returns a segment of class c (below poolClasses).
func (p *wordPool) alloc(c uint8) uint32 {
	if f := p.free[c]; len(f) > 0 {
		off := f[len(f)-1]
		p.free[c] = f[:len(f)-1]
		p.freeWords -= classWords(c)
		return off
	}
	n := classWords(c)
	if len(p.pages) == 0 || p.used+n > poolPage {
		p.pages = append(p.pages, make([]int64, poolPage))
		p.used = 0
	}
	off := uint32(len(p.pages)-1)<<poolPageBits | uint32(p.used)
	p.used += n
	return off
}

// release gives back the segment off of class c.
func (p *wordPool) release(off uint32, c uint8) {
	p.free[c] = append(p.free[c], off)
	p.freeWords += classWords(c)
}

// wasteful reports whether a segment of class c needs a page more while a
// quarter of the pool is free: time to compact.
func (p *wordPool) wasteful(c uint8) bool {
	return len(p.free[c]) == 0 && p.used+classWords(c) > poolPage && len(p.pages) >= 4 && 4*p.freeWords > len(p.pages)*poolPage
}

// compact moves the pool's segments, of the customers ks in the order of
// their segments (recs gives each one's), down to the start of the pool,
// each after the one before or at the start of the next page when it does
// not fit in the rest of the page, and frees the pages and free segments
// that are left. A segment never moves past where it was (the packing of
// the same segments in the same order is at least as tight), so it moves
// in place.
func (p *wordPool) compact(ks []int32, recs []repeatRecord) {
	page, used := 0, 0
	for _, k := range ks {
		r := &recs[k]
		n := classWords(r.class)
		if used+n > poolPage {
			page, used = page+1, 0
		}
		if to := uint32(page)<<poolPageBits | uint32(used); to != r.off {
			copy(p.pages[page][used:used+n], p.words(r.off, r.class))
			r.off = to
		}
		used += n
	}
	clear(p.pages[page+1:])
	p.pages, p.used = p.pages[:page+1], used
	for c := range p.free {
		p.free[c] = nil
	}
	p.freeWords = 0
}

// words returns the segment off of class c.
func (p *wordPool) words(off uint32, c uint8) []int64 {
	page, at := off>>poolPageBits, int(off&(poolPage-1))
	return p.pages[page][at : at+classWords(c) : at+classWords(c)]
}

// clone returns a copy of p.
func (p *wordPool) clone() wordPool {
	n := wordPool{pages: make([][]int64, len(p.pages)), used: p.used, freeWords: p.freeWords}
	for i, pg := range p.pages {
		n.pages[i] = append([]int64(nil), pg...)
	}
	for c := range p.free {
		n.free[c] = append([]uint32(nil), p.free[c]...)
	}
	return n
}

// segment returns the words of customer k's segment (nil without one).
func (l *repeatLedger[T]) segment(k int) []int64 {
	r := &l.recs[k]
	if r.flags&flagSegment == 0 {
		return nil
	}
	return l.pool.words(r.off, r.class)
}

// load returns the state of customer k: unpacked into c, in c's own
// slices, or the customer's own when it is heavy.
func (l *repeatLedger[T]) load(k int, c *customerRepeats[T]) *customerRepeats[T] {
	r := l.recs[k]
	if r.class == heavyClass {
		return l.heavy[k]
	}
	w := l.segment(k)
	c.reset(k, 0)
	c.full, c.lost = r.flags&flagFull != 0, r.flags&flagLost != 0
	i := 0
	if r.flags&flagFirstIsStart == 0 {
		c.first, i = w[0], 1
	}
	ns, no := int(r.ns), int(r.no)
	if r.flags&flagDropStart != 0 {
		c.dropFrom, c.dropStart, i = w[i], w[i+1], i+2
	}
	if r.flags&flagDropOpen != 0 {
		c.dropOpen, i = w[i], i+1
	}
	c.starts = append(c.starts, w[i:i+ns]...)
	if r.flags&flagFirstIsStart != 0 {
		c.first = c.starts[0]
	}
	i += ns
	metas := w[i+no:]
	for j := 0; j < no; j++ {
		var meta uint64
		if r.flags&flagWide != 0 {
			meta = uint64(metas[j])
		} else {
			meta = uint64(metas[j/4]) >> (16 * (j % 4)) & 0xffff
		}
		c.open = append(c.open, openResolution[T]{at: w[i+j], to: l.targets[meta>>1], pending: meta&1 != 0})
	}
	return c
}

// unpacked copies c into u, in u's own slices.
func unpacked[T repeatTarget](u, c *customerRepeats[T]) *customerRepeats[T] {
	starts, open := append(u.starts[:0], c.starts...), append(u.open[:0], c.open...)
	*u = *c
	u.starts, u.open = starts, open
	return u
}

// save packs c into customer c.k's record and segment, or keeps it in
// heavy when it is (or becomes) too long.
func (l *repeatLedger[T]) save(c *customerRepeats[T]) {
	r := &l.recs[c.k]
	if r.class == heavyClass {
		if h := l.heavy[c.k]; h != c {
			unpacked(h, c)
		}
		return
	}
	if 3*len(c.open)+len(c.starts) > heavyWords {
		if r.flags&flagSegment != 0 {
			l.pool.release(r.off, r.class)
		}
		if l.heavy == nil {
			l.heavy = make(map[int]*customerRepeats[T])
		}
		l.heavy[c.k] = unpacked(new(customerRepeats[T]), c)
		r.class, r.flags = heavyClass, flagSegment
		return
	}
	flags := uint8(0)
	if c.full {
		flags |= flagFull
	}
	if c.lost {
		flags |= flagLost
	}
	wide := false
	for _, o := range c.open {
		wide = wide || l.target(o.to) >= 1<<15-1
	}
	n := len(c.starts) + len(c.open) + (len(c.open)+3)/4
	if wide {
		flags |= flagWide
		n += len(c.open) - (len(c.open)+3)/4
	}
	if len(c.starts) > 0 && c.first == c.starts[0] {
		flags |= flagFirstIsStart
	} else {
		n++
	}
	if c.dropStart != noInstant {
		flags |= flagDropStart
		n += 2
	}
	if c.dropOpen != noInstant {
		flags |= flagDropOpen
		n++
	}
	w := l.place(c.k, r, n)
	flags |= flagSegment
	r.flags, r.ns, r.no = flags, uint8(len(c.starts)), uint8(len(c.open))
	i := 0
	if flags&flagFirstIsStart == 0 {
		w[0], i = c.first, 1
	}
	if flags&flagDropStart != 0 {
		w[i], w[i+1], i = c.dropFrom, c.dropStart, i+2
	}
	if flags&flagDropOpen != 0 {
		w[i], i = c.dropOpen, i+1
	}
	i += copy(w[i:], c.starts)
	metas := w[i+len(c.open):]
	if !wide {
		clear(metas[:(len(c.open)+3)/4])
	}
	for j, o := range c.open {
		w[i+j] = o.at
		meta := uint64(l.target(o.to))<<1 | uint64(b2i(o.pending))
		if wide {
			metas[j] = int64(meta)
		} else {
			metas[j/4] |= int64(meta << (16 * (j % 4)))
		}
	}
}

// place returns a segment of at least n words for customer k, whose record
// is r: its own when it fits and is not more than two classes too large,
// else a new one (the old one freed).
func (l *repeatLedger[T]) place(k int, r *repeatRecord, n int) []int64 {
	c := classFor(n)
	if r.flags&flagSegment != 0 {
		if c <= r.class && c+2 >= r.class {
			return l.segment(k)
		}
		l.pool.release(r.off, r.class)
		r.flags &^= flagSegment // no segment while the pool compacts
	}
	if l.pool.wasteful(c) {
		l.compact()
	}
	r.flags |= flagSegment
	r.class = c
	r.off = l.pool.alloc(c)
	return l.pool.words(r.off, c)
}

// compact compacts the pool (see wordPool.compact). It takes a moment in
// proportion to the customers, when a quarter of the pool is free.
func (l *repeatLedger[T]) compact() {
	ks := make([]int32, 0, l.n)
	for k := range l.recs {
		if r := l.recs[k]; r.flags&flagSegment != 0 && r.class != heavyClass {
			ks = append(ks, int32(k))
		}
	}
	slices.SortFunc(ks, func(a, b int32) int { return cmp.Compare(l.recs[a].off, l.recs[b].off) })
	l.pool.compact(ks, l.recs)
}

// target returns the number of t in l.targets, adding it if new.
func (l *repeatLedger[T]) target(t T) int {
	if l.lastTarget < len(l.targets) && l.targets[l.lastTarget] == t {
		return l.lastTarget
	}
	i, ok := l.targetIndex[t]
	if !ok {
		if l.targetIndex == nil {
			l.targetIndex = make(map[T]int)
		}
		i = len(l.targets)
		l.targets = append(l.targets, t)
		l.targetIndex[t] = i
	}
	l.lastTarget = i
	return i
}

// indexTargets rebuilds the index of l.targets after they changed.
func (l *repeatLedger[T]) indexTargets() {
	l.targetIndex = make(map[T]int, len(l.targets))
	for i, t := range l.targets {
		if _, ok := l.targetIndex[t]; !ok {
			l.targetIndex[t] = i
		}
	}
	l.lastTarget = 0
}
