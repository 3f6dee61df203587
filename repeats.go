package chatkpi

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strings"
)

// repeatLedger decides which resolutions of identified customers are
// followed by a repeat contact, a start of an inbound engaged conversation
// of the same customer within the repeat window (start in (r, r + window],
// see isRepeat): the successful chats of [Outcomes] (T *Outcomes) and, in
// a streaming [Report], the first-contact resolutions of [Touches]
// (T *Touches). It keeps per customer the starts and the resolutions that
// are still open — no start within the window after them yet — and counts
// a resolution as repeated into the target it was recorded in (its
// group's) the moment a start covers it; an open resolution is successful
// (first-contact), or pending by the as-of rule, at the end, which its
// target counted when it was recorded. A covered resolution stays covered
// whatever comes later, so it is dropped.
//
// Exact (not bounded), it keeps every start and every open resolution, in
// any order. Bounded (the report in streaming mode), it keeps what
// conversations arriving in start order per customer can still change:
// the latest start, the open resolutions at or after it (normally one, more
// while the customer's conversations overlap), and as a margin for
// conversations that arrive a little late the repeatHistory starts and open
// resolutions before those; besides, the customer's earliest
// repeatHistory + 1 starts, which the open resolutions of a report of
// earlier conversations need when the two are merged: a constant per
// customer. Everything else is dropped, and only the bounds of what was
// dropped (and the customer's first start) are kept, to know whether a
// later conversation could have changed a dropped verdict. When one could, the customer is lost and the rate has
// no exact answer (Summary says so instead of giving a wrong one); when
// one arrives out of start order without that, the customer is kept whole
// from then on (full), so that later ones cannot lose it.
type repeatLedger[T repeatTarget] struct {
	window  int64 // the repeat-contact window, nanoseconds
	bounded bool
	// The customers, numbered by ids (which a Report shares with its other
	// per-customer states: a number may have no record here), each with
	// its record in recs and its instants in a segment of pool, or, with a
	// long state, unpacked in heavy (see repeatstore.go).
	ids   *customerIDs
	n     int // the customers with a record
	recs  []repeatRecord
	pool  wordPool
	heavy map[int]*customerRepeats[T]
	// The targets of the open resolutions, which the segments hold by
	// number (targetIndex: the number of each; lastTarget: the last one
	// asked for).
	targets     []T
	targetIndex map[T]int
	lastTarget  int
	full        int64 // customers kept whole (bounded only)
	lost        int64 // customers whose verdicts could not be kept exact (bounded only)
	// cur and other are the unpacked states of the customers being
	// worked on.
	cur, other customerRepeats[T]
}

// repeatTarget is where a repeatLedger counts resolutions: the target
// counted each one, pending or not, when it was recorded; repeated counts
// one of them as followed by a repeat contact, and openResolutions is how
// many are not (pending or not).
type repeatTarget interface {
	comparable
	repeated(pending bool)
	openResolutions(pending bool) int64
}

// repeatHistory is how many starts before a customer's latest, and open
// resolutions before it, a bounded ledger keeps (see repeatLedger).
const repeatHistory = 2

// noInstant marks an instant that is not there (Unix nanoseconds).
const noInstant = math.MinInt64

// customerRepeats is one customer's state in a repeatLedger, unpacked
// (load) to be worked on and packed again (save).
type customerRepeats[T repeatTarget] struct {
	k         int                 // the customer's number in the ledger's ids
	first     int64               // the earliest start of the customer's conversations
	starts    []int64             // the kept starts, sorted
	open      []openResolution[T] // the kept open resolutions, sorted by time
	dropFrom  int64               // the earliest dropped start (if dropStart is not noInstant)
	dropStart int64               // the latest dropped start, or noInstant; dropped ones lie in [dropFrom, dropStart]
	dropOpen  int64               // the latest dropped open resolution, or noInstant; dropped ones lie in [first, dropOpen]
	full      bool                // kept whole after a conversation out of start order
	lost      bool                // a conversation could have changed a dropped verdict: the state is gone
}

// ncust is the number of customers of l.
func (l *repeatLedger[T]) ncust() int { return l.n }

// has reports whether customer k has a record in l.
func (l *repeatLedger[T]) has(k int) bool { return k < len(l.recs) && l.recs[k].flags&flagSegment != 0 }

// customer returns the state of the customer id (unpacked into c, or its
// own when heavy) and false, or when l has none c set to a new one (only
// first set), to be saved, and true.
func (l *repeatLedger[T]) customer(id string, first int64, c *customerRepeats[T]) (_ *customerRepeats[T], isNew bool) {
	k, _ := l.number(id)
	return l.customerAt(k, first, c)
}

// customerAt is customer of the customer numbered k (below len(l.recs)).
func (l *repeatLedger[T]) customerAt(k int, first int64, c *customerRepeats[T]) (_ *customerRepeats[T], isNew bool) {
	if l.has(k) {
		return l.load(k, c), false
	}
	c.reset(k, first)
	l.n++
	return c, true
}

// reset makes c the empty state of customer k, whose first start is
// first, in c's slices. It sets the fields one by one: a composite
// literal assigned to *c is built on the stack with 8-byte stores and
// copied with 16-byte loads, which wait for those stores (once or more a
// conversation).
func (c *customerRepeats[T]) reset(k int, first int64) {
	c.k, c.first = k, first
	c.starts, c.open = c.starts[:0], c.open[:0]
	c.dropFrom, c.dropStart, c.dropOpen = 0, noInstant, noInstant
	c.full, c.lost = false, false
}

// number returns the number of customer id, numbering it when new, and
// whether l has a record of it (else its record is there, empty).
func (l *repeatLedger[T]) number(id string) (k int, has bool) {
	if k = l.ids.number(id); k >= len(l.recs) {
		l.recs = extendTo(l.recs, k+1)
	}
	return k, l.has(k)
}

// openResolution is a resolution with no repeat contact so far.
type openResolution[T repeatTarget] struct {
	at      int64 // Unix nanoseconds
	to      T     // where it was counted, and where a repeat is counted
	pending bool  // its window ends after the as-of instant
}

// isRepeat reports whether a start at s is a repeat contact of a
// resolution at r (Unix nanoseconds): s in (r, r + window]. It is the rule
// of both the successful chats of [Outcomes] and the first-contact
// resolutions of [Touches].
func isRepeat(r, s, window int64) bool { return s > r && s-r <= window }

func newRepeatLedger[T repeatTarget](window int64, bounded bool) *repeatLedger[T] {
	return &repeatLedger[T]{window: window, bounded: bounded, ids: new(customerIDs)}
}

// add records a conversation of customer id that starts at start, whose
// start is a contact when inbound (inbound and engaged) and which is
// resolved at the end at `at` when resolved, counted in to (pending: by the
// as-of rule). Its Outcomes has counted the resolution already.
func (l *repeatLedger[T]) add(id string, start int64, inbound, resolved bool, at int64, to T, pending bool) {
	c, isNew := l.customer(id, start, &l.cur)
	if !isNew && c.lost {
		return
	}
	if inbound && c.mayCoverDropped(start, start, l.window) || resolved && c.mayStartDropped(at, at+l.window) {
		l.lose(c)
		l.save(c)
		return
	}
	if l.bounded && !c.full && len(c.starts) > 0 && start < c.starts[len(c.starts)-1] {
		c.full = true
		l.full++
	}
	c.first = min(c.first, start)
	if inbound {
		c.addStart(start, l.window)
	}
	if resolved {
		c.addOpen(openResolution[T]{at, to, pending}, l.window)
	}
	l.trim(c)
	l.save(c)
}

// mayCoverDropped reports whether a start in [lo, hi] could be a repeat
// contact of a dropped open resolution (one in [first, dropOpen]).
func (c *customerRepeats[T]) mayCoverDropped(lo, hi, window int64) bool {
	return c.dropOpen != noInstant && hi > c.first && lo <= c.dropOpen+window
}

// mayStartDropped reports whether a dropped start (one in [dropFrom,
// dropStart]) could lie in (lo, hi].
func (c *customerRepeats[T]) mayStartDropped(lo, hi int64) bool {
	return c.dropStart != noInstant && c.dropStart > lo && c.dropFrom <= hi
}

// mayStart reports whether a start of c, kept or dropped, could lie in
// (lo, hi].
func (c *customerRepeats[T]) mayStart(lo, hi int64) bool {
	j, _ := slices.BinarySearch(c.starts, lo+1)
	return j < len(c.starts) && c.starts[j] <= hi || c.mayStartDropped(lo, hi)
}

// addStart adds a start, counting the open resolutions it repeats.
func (c *customerRepeats[T]) addStart(s, window int64) {
	kept := c.open[:0]
	for _, o := range c.open {
		if isRepeat(o.at, s, window) {
			o.to.repeated(o.pending)
			continue
		}
		kept = append(kept, o)
	}
	clear(c.open[len(kept):])
	c.open = kept
	j, _ := slices.BinarySearch(c.starts, s)
	c.starts = slices.Insert(c.starts, j, s)
}

// addOpen adds a resolution: repeated if a kept start repeats it, open
// otherwise.
func (c *customerRepeats[T]) addOpen(o openResolution[T], window int64) {
	if c.keptRepeats(o.at, window) {
		o.to.repeated(o.pending)
		return
	}
	j, _ := slices.BinarySearchFunc(c.open, o.at, func(x openResolution[T], at int64) int { return cmp.Compare(x.at, at) })
	c.open = slices.Insert(c.open, j, o)
}

// trim drops, in a bounded ledger, what conversations in start order no
// longer need (see repeatLedger).
func (l *repeatLedger[T]) trim(c *customerRepeats[T]) {
	if !l.bounded || c.full || len(c.starts) == 0 {
		return
	}
	if n := len(c.starts) - 2*(repeatHistory+1); n > 0 {
		// The earliest ones stay too, for the open resolutions of a
		// report of earlier conversations merged with this one.
		k := repeatHistory + 1
		c.dropStarts(c.starts[k], c.starts[k+n-1])
		c.starts = slices.Delete(c.starts, k, k+n)
	}
	latest := c.starts[len(c.starts)-1]
	judged := 0 // open resolutions before the latest start: no later start in order repeats them
	for judged < len(c.open) && c.open[judged].at < latest {
		judged++
	}
	if n := judged - repeatHistory; n > 0 {
		c.dropOpen = max(c.dropOpen, c.open[n-1].at)
		rest := copy(c.open, c.open[n:])
		clear(c.open[rest:])
		c.open = c.open[:rest]
	}
}

// dropStarts notes that starts in [from, to] were dropped.
func (c *customerRepeats[T]) dropStarts(from, to int64) {
	if c.dropStart == noInstant {
		c.dropFrom, c.dropStart = from, to
		return
	}
	c.dropFrom, c.dropStart = min(c.dropFrom, from), max(c.dropStart, to)
}

// lose gives up a customer whose verdicts can no longer be exact.
func (l *repeatLedger[T]) lose(c *customerRepeats[T]) {
	c.lost, c.starts, c.open = true, c.starts[:0], c.open[:0]
	l.lost++
}

// merge adds the customers of o, whose open resolutions go to the Outcomes
// that to gives for theirs (see mergeNumbered).
func (l *repeatLedger[T]) merge(o *repeatLedger[T], to func(T) T) {
	if o != nil {
		l.mergeNumbered(o, to, l.ids.numbers(o.ids))
	}
}

// mergeNumbered adds the customers of o, whose open resolutions go to the
// Outcomes that to gives for theirs, and which ks translates: ks[k] is l's
// number of o's customer k (see customerIDs.numbers). Two states of one
// customer combine exactly unless one has dropped instants that the
// other's could repeat or be repeated by; the customer is then lost. When
// neither's conversations all come before the other's, a bounded customer
// is kept whole from then on.
func (l *repeatLedger[T]) mergeNumbered(o *repeatLedger[T], to func(T) T, ks []int) {
	if o == nil {
		return
	}
	if o == l {
		o = o.clone(func(x T) T { return x })
	}
	l.mergeRange(o, to, ks, 0, len(o.recs))
}

// mergeRange is mergeNumbered of o's customers lo … hi-1, for which ks
// holds their numbers in l (o is not l).
func (l *repeatLedger[T]) mergeRange(o *repeatLedger[T], to func(T) T, ks []int, lo, hi int) {
	hi = min(hi, len(o.recs))
	if lo >= hi {
		return
	}
	if top := slices.Max(ks[lo:hi]); top >= len(l.recs) {
		l.recs = extendTo(l.recs, top+1)
	}
	for k := lo; k < hi; k++ {
		// The customers ahead are cache misses in both ledgers: their
		// records, then their segments (the records' loaded by then).
		if a := k + 2*mergeAhead; a < hi {
			l.prefetchRecord(ks[a])
			o.prefetchSegment(a)
		}
		if a := k + mergeAhead; a < hi {
			l.prefetchSegment(ks[a])
		}
		if !o.has(k) {
			continue
		}
		oc := o.load(k, &o.other)
		if oc != &o.other {
			oc = unpacked(&o.other, oc) // a heavy one: o's own, which the targets below are not to change
		}
		for i := range oc.open {
			oc.open[i].to = to(oc.open[i].to)
		}
		c, isNew := l.customerAt(ks[k], oc.first, &l.cur)
		if isNew {
			oc.k = c.k
			l.save(oc)
			l.full += b2i(oc.full)
			l.lost += b2i(oc.lost)
			continue
		}
		if c.lost {
			continue
		}
		if oc.lost || c.conflicts(oc, l.window) || oc.conflicts(c, l.window) {
			l.lose(c)
			l.save(c)
			continue
		}
		if l.bounded && !c.full && (oc.full || c.interleaves(oc)) {
			c.full = true
			l.full++
		}
		c.first = min(c.first, oc.first)
		if oc.dropStart != noInstant {
			c.dropStarts(oc.dropFrom, oc.dropStart)
		}
		c.dropOpen = max(c.dropOpen, oc.dropOpen)
		for _, s := range oc.starts {
			c.addStart(s, l.window)
		}
		for _, r := range oc.open {
			c.addOpen(r, l.window)
		}
		l.trim(c)
		l.save(c)
	}
}

// mergeAhead is how many customers ahead of the one it merges
// mergeNumbered prefetches the segments of, and twice as many their records.
const mergeAhead = 8

// conflicts reports whether o holds a start that could repeat a dropped
// open resolution of c, or an open resolution that only a dropped start of
// c could repeat (one that a kept start of c repeats is repeated whatever
// the dropped starts were).
func (c *customerRepeats[T]) conflicts(o *customerRepeats[T], window int64) bool {
	if c.dropOpen != noInstant && o.mayStart(c.first, c.dropOpen+window) {
		return true
	}
	for _, r := range o.open {
		if !c.keptRepeats(r.at, window) && c.mayStartDropped(r.at, r.at+window) {
			return true
		}
	}
	return false
}

// keptRepeats reports whether a kept start of c is a repeat contact of a
// resolution at r.
func (c *customerRepeats[T]) keptRepeats(r, window int64) bool {
	j, _ := slices.BinarySearch(c.starts, r+1)
	return j < len(c.starts) && isRepeat(r, c.starts[j], window)
}

// interleaves reports whether neither customer state's conversations all
// start before the other's.
func (c *customerRepeats[T]) interleaves(o *customerRepeats[T]) bool {
	return c.first < o.latest() && o.first < c.latest()
}

// latest is the latest start of c, else its first.
func (c *customerRepeats[T]) latest() int64 {
	if len(c.starts) > 0 {
		return max(c.first, c.starts[len(c.starts)-1])
	}
	return c.first
}

// clone returns a copy of l whose open resolutions go to to's Outcomes.
func (l *repeatLedger[T]) clone(to func(T) T) *repeatLedger[T] {
	ids := l.ids.clone()
	n := &repeatLedger[T]{window: l.window, bounded: l.bounded, ids: &ids, n: l.n, recs: append([]repeatRecord(nil), l.recs...),
		pool: l.pool.clone(), full: l.full, lost: l.lost}
	for k, h := range l.heavy {
		if n.heavy == nil {
			n.heavy = make(map[int]*customerRepeats[T], len(l.heavy))
		}
		nh := unpacked(new(customerRepeats[T]), h)
		for i := range nh.open {
			nh.open[i].to = to(nh.open[i].to)
		}
		n.heavy[k] = nh
	}
	n.targets = make([]T, len(l.targets))
	for i, t := range l.targets {
		n.targets[i] = to(t)
	}
	n.indexTargets()
	return n
}

// retarget sends the open resolutions counted in from to to.
func (l *repeatLedger[T]) retarget(from, to T) {
	if l == nil || from == to {
		return
	}
	for i, t := range l.targets {
		if t == from {
			l.targets[i] = to
		}
	}
	l.indexTargets()
	for _, h := range l.heavy {
		for i := range h.open {
			if h.open[i].to == from {
				h.open[i].to = to
			}
		}
	}
}

// reset empties l, keeping its settings.
func (l *repeatLedger[T]) reset() {
	if l != nil {
		*l = repeatLedger[T]{window: l.window, bounded: l.bounded, ids: new(customerIDs)}
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// The flags of an encoded customer.
const (
	repeatsFull byte = 1 << iota
	repeatsLost
	repeatsDropStart
	repeatsDropOpen
)

// encode writes the customers in the order of their ids, each open
// resolution with the index that index gives its Outcomes. An exact
// ledger's encoding does not depend on the order of the conversations.
func (l *repeatLedger[T]) encode(e *encoder, index func(T) int) {
	if l == nil {
		e.uvarint(0)
		return
	}
	cs := make([]int, 0, l.ncust())
	for k := range l.recs {
		if l.has(k) {
			cs = append(cs, k)
		}
	}
	ids := l.ids.list()
	slices.SortFunc(cs, func(a, b int) int { return bytes.Compare(ids[a], ids[b]) })
	e.uvarint(uint64(len(cs)))
	type entry struct {
		at      int64
		index   int
		pending bool
	}
	var open []entry
	for _, k := range cs {
		c := l.load(k, &l.cur)
		e.string(string(ids[k]))
		e.varint(c.first)
		flags := byte(0)
		if c.full {
			flags |= repeatsFull
		}
		if c.lost {
			flags |= repeatsLost
		}
		if c.dropStart != noInstant {
			flags |= repeatsDropStart
		}
		if c.dropOpen != noInstant {
			flags |= repeatsDropOpen
		}
		e.byte1(flags)
		if c.dropStart != noInstant {
			e.varint(c.dropFrom)
			e.varint(c.dropStart)
		}
		if c.dropOpen != noInstant {
			e.varint(c.dropOpen)
		}
		encodeInstants(e, c.starts)
		open = open[:0]
		for _, r := range c.open {
			open = append(open, entry{r.at, index(r.to), r.pending})
		}
		slices.SortFunc(open, func(a, b entry) int {
			if c := cmp.Compare(a.at, b.at); c != 0 {
				return c
			}
			if c := cmp.Compare(a.index, b.index); c != 0 {
				return c
			}
			return cmp.Compare(b2i(a.pending), b2i(b.pending))
		})
		e.uvarint(uint64(len(open)))
		for _, r := range open {
			e.varint(r.at)
			e.uvarint(uint64(r.index))
			e.bool(r.pending)
		}
	}
}

// decodeRepeats reads what encode writes into l (empty), the open
// resolutions going to targets by index, and checks it: ids non-empty,
// sorted and distinct; instants after the customer's first start; open
// resolutions that no kept start repeats, no more per Outcomes and class
// than it counts as open; dropped instants, full and lost customers only
// in a bounded ledger. A problem fails d.
func (l *repeatLedger[T]) decode(d *decoder, targets []T) {
	n := d.length(4)
	var prev string
	type class struct {
		to      T
		pending bool
	}
	open := make(map[class]int64)
	for i := 0; i < n && d.err == nil; i++ {
		id := d.string()
		if d.err == nil && (id == "" || i > 0 && strings.Compare(id, prev) <= 0) {
			d.fail("customer ids must be non-empty, sorted and distinct")
		}
		prev = id
		c := &l.cur
		*c = customerRepeats[T]{first: d.varint(), dropStart: noInstant, dropOpen: noInstant, starts: c.starts[:0], open: c.open[:0]}
		flags := d.byte1()
		if d.err == nil && (flags >= repeatsDropOpen<<1 || !l.bounded && flags != 0) {
			d.fail("customer %q: flags %#x in a ledger that does not drop", id, flags)
		}
		c.full, c.lost = flags&repeatsFull != 0, flags&repeatsLost != 0
		if flags&repeatsDropStart != 0 {
			c.dropFrom, c.dropStart = d.varint(), d.varint()
		}
		if flags&repeatsDropOpen != 0 {
			c.dropOpen = d.varint()
		}
		c.starts = append(c.starts, decodeInstants(d)...)
		no := d.length(3)
		for range no {
			if d.err != nil {
				break
			}
			r := openResolution[T]{at: d.varint()}
			k := d.uvarint()
			r.pending = d.bool()
			if d.err == nil && k >= uint64(len(targets)) {
				d.fail("customer %q: a resolution of set %d of %d", id, k, len(targets))
			}
			if d.err != nil {
				break
			}
			r.to = targets[k]
			if nr := len(c.open); nr > 0 && c.open[nr-1].at > r.at {
				d.fail("customer %q: resolutions out of order", id)
			}
			c.open = append(c.open, r)
			open[class{r.to, r.pending}]++
		}
		if d.err != nil {
			break
		}
		switch {
		case c.lost && (len(c.starts) > 0 || len(c.open) > 0):
			d.fail("customer %q: lost with instants", id)
		case !c.lost && len(c.starts) == 0 && len(c.open) == 0:
			d.fail("customer %q without instants", id)
		case c.dropStart != noInstant && (c.dropFrom < c.first || c.dropStart < c.dropFrom) || c.dropOpen != noInstant && c.dropOpen < c.first:
			d.fail("customer %q: a dropped instant before the first start", id)
		case len(c.starts) > 0 && c.starts[0] < c.first || len(c.open) > 0 && c.open[0].at < c.first:
			d.fail("customer %q: an instant before the first start", id)
		}
		for _, r := range c.open {
			if j, _ := slices.BinarySearch(c.starts, r.at+1); d.err == nil && j < len(c.starts) && isRepeat(r.at, c.starts[j], l.window) {
				d.fail("customer %q: an open resolution with a repeat contact", id)
			}
		}
		if d.err != nil {
			break
		}
		l.ids.reserve(n)
		c.k, _ = l.number(id) // a new one: the ids are distinct
		l.n++
		l.save(c)
		l.full += b2i(c.full)
		l.lost += b2i(c.lost)
	}
	for k, n := range open {
		if d.err == nil && n > k.to.openResolutions(k.pending) {
			d.fail("more open resolutions (%d) than the outcomes count", n)
		}
	}
}
