package chatkpi

import (
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
// The values are a multiset: Result reorders them in place, within each
// block, to select its percentiles (see selectParts), and gather puts them
// in one slice for the readers that sort them.

// durationBlock is the number of values of a full block: 64 KiB.
const durationBlock = 8192

// grow makes room in d.values for one more value (exact mode). A store
// starts small (a report keeps one per group and statistic, most of them
// short) and doubles (append would grow a large slice by 1.25×, copying its
// values about five times over) up to durationBlock values.
func (d *Durations) grow() {
	if n := len(d.values); n < durationBlock {
		d.values = slices.Grow(d.values, min(max(n, 16), durationBlock-n))
		return
	}
	d.fold()
	d.blocks = append(d.blocks, d.values)
	d.values, d.folded = make([]time.Duration, 0, durationBlock), 0
}

// appendCounted appends values whose statistics are already in d's fields
// (exact mode, d folded): those of a merged Durations.
func (d *Durations) appendCounted(vs []time.Duration) {
	for len(vs) > 0 {
		if len(d.values) == cap(d.values) {
			d.grow()
		}
		n := len(d.values)
		k := copy(d.values[n:cap(d.values)], vs)
		d.values, vs = d.values[:n+k], vs[k:]
		d.folded = len(d.values)
	}
}

// valueParts appends to dst the non-empty slices that hold d's kept values
// (its blocks, its last values, those of the Durations it borrowed) and
// returns it. With reorder, the caller is about to reorder the values
// within each slice: a borrowed store is then no longer sorted.
func (d *Durations) valueParts(dst [][]time.Duration, reorder bool) [][]time.Duration {
	d.fold()
	dst = append(dst, d.blocks...)
	if len(d.values) > 0 {
		dst = append(dst, d.values)
	}
	for _, b := range d.borrowed {
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
	if len(d.blocks) == 0 && len(d.borrowed) == 0 {
		return
	}
	all := make([]time.Duration, 0, d.n)
	for _, vs := range d.valueParts(nil, false) {
		all = append(all, vs...)
	}
	d.values, d.folded, d.blocks, d.borrowed, d.sorted = all, len(all), nil, nil, false
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
// its groups, and reads, before anything is added again.
func (d *Durations) borrowValues() { d.borrow = true }

// selectQuantiles returns the percentiles qs of d's kept values (exact
// mode, at least one), selecting the order statistics they interpolate
// between in place rather than sorting every value.
func (d *Durations) selectQuantiles(qs []float64) []Percentile {
	n := int(d.n)
	ranks := make([]int, 0, 2*len(qs))
	for _, q := range qs {
		lo := rankOf(q, n).lo
		ranks = append(ranks, lo, min(lo+1, n-1))
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	at := make([]time.Duration, len(ranks))
	selectParts(d.valueParts(nil, true), n, ranks, at)
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
// values within each part, and overwrites parts: a multiple quickselect over all the parts at
// once (see selectRanks), which partitions every part around one pivot and
// keeps, of each, only the pieces that hold a wanted rank.
func selectParts(parts [][]time.Duration, n int, ranks []int, at []time.Duration) {
	selectPartsIn(parts, n, 0, ranks, at, 2*bits.Len(uint(n)))
}

// selectPartsIn is selectParts for the values of ranks off to off+n−1,
// in parts.
func selectPartsIn(parts [][]time.Duration, n, off int, ranks []int, at []time.Duration, depth int) {
	for len(ranks) > 0 {
		if len(parts) == 1 {
			v := parts[0]
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
				v = append(v, p...)
			}
			selectIn(v, off, ranks, depth)
			for i, k := range ranks {
				at[i] = v[k-off]
			}
			return
		}
		depth--
		first, last, mid := parts[0], parts[len(parts)-1], parts[len(parts)/2]
		a, b, c := first[0], mid[len(mid)/2], last[len(last)-1]
		p := max(min(a, b), min(max(a, b), c)) // the median of the three
		var less [][]time.Duration
		more := parts[:0] // parts is the caller's scratch (selectParts)
		lt, gt := 0, 0    // values < p, values ≤ p
		for _, v := range parts {
			l := partitionLess(v, p)
			e := l + partitionEqual(v[l:], p)
			if l > 0 {
				less = append(less, v[:l])
			}
			if e < len(v) {
				more = append(more, v[e:])
			}
			lt, gt = lt+l, gt+e
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
