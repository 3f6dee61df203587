package chatkpi

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// How a [Durations] in exact mode keeps its values: the last ones in
// values, which doubles as it grows from 16 up to durationBlock values;
// a full block moves to blocks, folded, and the next values go to a new
// block. Growing so copies no value twice and leaves at most one block of
// spare capacity per store (a doubling slice leaves up to as much again as
// it holds: 8 more bytes per duration for the large stores of a report).
// A full block whose values are all whole milliseconds below 2³² ms (49.7
// days) — timestamps are mostly written to the millisecond or the second —
// is kept in 4 bytes a value instead of 8, exactly.
//
// The values are a multiset: Result selects its percentiles by counting
// them (from bucketSelectMin values, see selectByBuckets) or by reordering
// them in place, within each block (see selectParts), and gather puts them
// in one slice for the readers that sort them.

// durationBlock is the number of values of a full block: 64 KiB, or 32 KiB
// in milliseconds.
const durationBlock = 8192

// keptPart is a piece of kept values: in ns, or in ms (whole milliseconds)
// when ns is nil.
type keptPart struct {
	ns []time.Duration
	ms []uint32
}

func (p keptPart) len() int { return len(p.ns) + len(p.ms) }

// first returns the part's first value, at its i-th (from 0).
func (p keptPart) first() time.Duration {
	if p.ns != nil {
		return p.ns[0]
	}
	return time.Duration(p.ms[0]) * time.Millisecond
}

func (p keptPart) at(i int) time.Duration {
	if p.ns != nil {
		return p.ns[i]
	}
	return time.Duration(p.ms[i]) * time.Millisecond
}

// appendTo appends the part's values to dst, in ns.
func (p keptPart) appendTo(dst []time.Duration) []time.Duration {
	if p.ns != nil {
		return append(dst, p.ns...)
	}
	for _, x := range p.ms {
		dst = append(dst, time.Duration(x)*time.Millisecond)
	}
	return dst
}

// partition moves the values below x to the front of the part, the values
// equal to x after them, and returns the part split in three.
func (p keptPart) partition(x time.Duration) (less, equal, more keptPart) {
	if p.ns != nil {
		l := partitionLess(p.ns, x)
		e := l + partitionEqual(p.ns[l:], x)
		return keptPart{ns: p.ns[:l]}, keptPart{ns: p.ns[l:e]}, keptPart{ns: p.ns[e:]}
	}
	// y ms < x ⇔ y < ⌈x / 1 ms⌉; y ms = x only when x is whole ms.
	ceil := (uint64(x) + uint64(time.Millisecond) - 1) / uint64(time.Millisecond)
	if ceil > math.MaxUint32 {
		return keptPart{ms: p.ms}, keptPart{ms: p.ms[:0]}, keptPart{ms: p.ms[len(p.ms):]}
	}
	l := partitionLess(p.ms, uint32(ceil))
	e := l
	if x%time.Millisecond == 0 {
		e += partitionEqual(p.ms[l:], uint32(ceil))
	}
	return keptPart{ms: p.ms[:l]}, keptPart{ms: p.ms[l:e]}, keptPart{ms: p.ms[e:]}
}

// wholeMilliseconds reports whether every value of vs is a whole number of
// milliseconds below 2³² ms.
func wholeMilliseconds(vs []time.Duration) bool {
	for _, x := range vs {
		if x%time.Millisecond != 0 || x > math.MaxUint32*time.Millisecond {
			return false
		}
	}
	return true
}

// grow makes room in d.values for one more value (exact mode). A store
// starts small (a report keeps one per group and statistic, most of them
// short) and doubles (append would grow a large slice by 1.25×, copying its
// values about five times over) up to durationBlock values.
func (d *Durations) grow() {
	n := len(d.values)
	if n < durationBlock {
		d.values = slices.Grow(d.values, min(max(n, 16), durationBlock-n))
		return
	}
	d.fold()
	if wholeMilliseconds(d.values) {
		ms := make([]uint32, n)
		for i, x := range d.values {
			ms[i] = uint32(x / time.Millisecond)
		}
		d.blocks = append(d.blocks, keptPart{ms: ms})
		if cap(d.values) == durationBlock {
			d.values, d.folded = d.values[:0], 0 // the next block, in place
			return
		}
	} else {
		d.blocks = append(d.blocks, keptPart{ns: d.values})
	}
	d.values, d.folded = make([]time.Duration, 0, durationBlock), 0
}

// appendCounted appends values whose statistics are already in d's fields
// (exact mode, d folded): those of a merged Durations.
func (d *Durations) appendCounted(p keptPart) {
	for i := 0; i < p.len(); {
		if len(d.values) == cap(d.values) {
			d.grow()
		}
		n := len(d.values)
		k := min(cap(d.values)-n, p.len()-i)
		d.values = d.values[:n+k]
		if p.ns != nil {
			copy(d.values[n:], p.ns[i:i+k])
		} else {
			for j, x := range p.ms[i : i+k] {
				d.values[n+j] = time.Duration(x) * time.Millisecond
			}
		}
		i += k
		d.folded = len(d.values)
	}
}

// valueParts appends to dst the non-empty parts that hold d's kept values
// (its blocks, its last values, those of the Durations it borrowed) and
// returns it. With reorder, the caller is about to reorder the values
// within each part: a borrowed store is then no longer sorted.
func (d *Durations) valueParts(dst []keptPart, reorder bool) []keptPart {
	d.fold()
	dst = append(dst, d.blocks...)
	if len(d.values) > 0 {
		dst = append(dst, keptPart{ns: d.values})
	}
	if d.borrow == nil {
		return dst
	}
	for _, b := range d.borrow.from {
		if reorder {
			b.sorted = false
		}
		dst = b.valueParts(dst, reorder)
	}
	return dst
}

// gather puts every kept value in d.values (exact mode), for the readers
// that sort them. A sorted d already has them there.
func (d *Durations) gather() {
	d.fold()
	if len(d.blocks) == 0 && (d.borrow == nil || len(d.borrow.from) == 0) {
		return
	}
	all := make([]time.Duration, 0, d.n)
	for _, p := range d.valueParts(nil, false) {
		all = p.appendTo(all)
	}
	d.values, d.folded, d.blocks, d.sorted = all, len(all), nil, false
	if d.borrow != nil {
		d.borrow.from = nil
	}
}

// keptValues returns every kept value (exact mode), in some order, in one
// slice that d keeps.
func (d *Durations) keptValues() []time.Duration {
	d.gather()
	return d.values
}

// borrowValues makes every later Merge into d (exact mode) borrow the
// merged Durations' kept values instead of copying them: d then reads
// them where they are, and may reorder them there (their order does not
// matter). It is for a Durations that lives while the ones merged into it
// do not change: the overall statistics that [Report.Summary] merges from
// its groups, and reads, before anything is added again. d keeps its
// Result until it counts more values, so that once read it no longer
// touches the borrowed values: the Durations it borrowed from may then be
// read, and reordered, at the same time as d (not before).
func (d *Durations) borrowValues() { d.borrow = &borrowing{} }

// borrowing is what a Durations borrows (see borrowValues).
type borrowing struct {
	from []*Durations   // whose kept values count as d's; their statistics are in d's fields
	read *DurationStats // d's last Result, of read.Count values
}

// selectQuantiles returns the percentiles qs of d's kept values (exact
// mode, at least one), selecting the order statistics they interpolate
// between — by counting, or in place when the values crowd into few
// buckets or are fewer than bucketSelectMin — rather than sorting every
// value.
func (d *Durations) selectQuantiles(qs []float64) []Percentile {
	n := int(d.n)
	var rankBuf [2 * MaxQuantiles]int
	var atBuf [2 * MaxQuantiles]time.Duration
	var partBuf [4]keptPart
	ranks := rankBuf[:0]
	for _, q := range qs {
		lo := rankOf(q, n).lo
		ranks = append(ranks, lo, min(lo+1, n-1))
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	at := atBuf[:0]
	at = append(at, make([]time.Duration, len(ranks))...) // on the stack unless long
	if parts := d.valueParts(partBuf[:0], true); n < bucketSelectMin || !selectByBuckets(parts, n, ranks, at) {
		selectParts(parts, n, ranks, at)
	}
	value := func(k int) time.Duration {
		i, _ := slices.BinarySearch(ranks, k)
		return at[i]
	}
	ps := make([]Percentile, 0, len(qs))
	for _, q := range qs {
		r := rankOf(q, n)
		v := value(r.lo)
		if r.lo < n-1 {
			v = r.interpolate(v, value(r.lo+1))
		}
		ps = append(ps, Percentile{Q: q, Value: v})
	}
	return ps
}

// selectParts sets at[i] to the ranks[i]-th smallest (from 0) of the n
// values of parts, for sorted, distinct ranks below n. It reorders the
// values within each part, and overwrites parts: a multiple quickselect
// over all the parts at once (see selectRanks), which partitions every
// part around one pivot and keeps, of each, only the pieces that hold a
// wanted rank.
func selectParts(parts []keptPart, n int, ranks []int, at []time.Duration) {
	selectPartsIn(parts, n, 0, ranks, at, 2*bits.Len(uint(n)))
}

// selectPartsIn is selectParts for the values of ranks off to off+n−1,
// in parts.
func selectPartsIn(parts []keptPart, n, off int, ranks []int, at []time.Duration, depth int) {
	for len(ranks) > 0 {
		if len(parts) == 1 && parts[0].ns != nil {
			v := parts[0].ns
			selectIn(v, off, ranks, depth)
			for i, k := range ranks {
				at[i] = v[k-off]
			}
			return
		}
		if n <= 16*len(parts) || depth == 0 {
			// Few values left in many short pieces, or parts that
			// partition badly too often: select in a copy.
			v := make([]time.Duration, 0, n)
			for _, p := range parts {
				v = p.appendTo(v)
			}
			selectIn(v, off, ranks, depth)
			for i, k := range ranks {
				at[i] = v[k-off]
			}
			return
		}
		depth--
		first, last, mid := parts[0], parts[len(parts)-1], parts[len(parts)/2]
		a, b, c := first.first(), mid.at(mid.len()/2), last.at(last.len()-1)
		p := max(min(a, b), min(max(a, b), c)) // the median of the three
		var less []keptPart
		more := parts[:0] // parts is the caller's scratch (selectParts)
		lt, gt := 0, 0    // values < p, values ≤ p
		for _, v := range parts {
			l, e, m := v.partition(p)
			if l.len() > 0 {
				less = append(less, l)
			}
			if m.len() > 0 {
				more = append(more, m)
			}
			lt, gt = lt+l.len(), gt+l.len()+e.len()
		}
		below, _ := slices.BinarySearch(ranks, off+lt)
		above, _ := slices.BinarySearch(ranks, off+gt)
		if below > 0 {
			selectPartsIn(less, lt, off, ranks[:below], at[:below], depth)
		}
		for i := below; i < above; i++ {
			at[i] = p
		}
		parts, n, off, ranks, at = more, n-gt, off+gt, ranks[above:], at[above:]
	}
}
