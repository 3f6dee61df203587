package chatkpi

import (
	"slices"
	"time"
)

// radixMin is the length from which sortDurations uses a radix sort; below
// it a comparison sort is faster.
const radixMin = 512

// sortDurations sorts non-negative durations in increasing order. Long
// slices are sorted by a least-significant-digit radix sort on bytes, which
// takes a pass over the data per byte in which the values differ (six for
// durations of up to a few days, in nanoseconds) instead of the n log n
// comparisons of a comparison sort, and a scratch slice of the same length.
func sortDurations(v []time.Duration) {
	if len(v) < radixMin {
		slices.Sort(v)
		return
	}
	var counts [8][256]int
	for _, x := range v {
		u := uint64(x)
		for b := range 8 {
			counts[b][byte(u>>(8*b))]++
		}
	}
	src, dst := v, make([]time.Duration, len(v))
	for b := range 8 {
		c := &counts[b]
		if c[byte(uint64(src[0])>>(8*b))] == len(src) {
			continue // every value has the same byte here
		}
		at := 0
		for i, n := range c {
			c[i] = at
			at += n
		}
		shift := 8 * b
		for _, x := range src {
			k := byte(uint64(x) >> shift)
			dst[c[k]] = x
			c[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
}
