package chatkpi

import (
	"math/bits"
	"slices"
	"time"
)

// radixMin is the length from which sortDurations uses a radix sort; below
// it a comparison sort is faster.
const radixMin = 512

// sortDurations sorts non-negative durations in increasing order: long
// slices by radixSort, with a scratch slice of the same length.
func sortDurations(v []time.Duration) {
	if len(v) < radixMin {
		slices.Sort(v)
		return
	}
	radixSort(v, nil)
}

// radixSort sorts v in increasing order by a least-significant-digit radix
// sort on bytes, which takes a pass over the data per byte in which the
// values differ (six for durations of up to a few days, in nanoseconds)
// instead of the n log n comparisons of a comparison sort. The sign bit is
// flipped in the keys, so that negative values come first. scratch, when
// at least as long as v, is used for the passes; otherwise one is made.
func radixSort[T ~int64](v, scratch []T) {
	if len(v) == 0 {
		return
	}
	const sign = 1 << 63
	var counts [8][256]int
	for _, x := range v {
		u := uint64(x) ^ sign
		for b := range 8 {
			counts[b][byte(u>>(8*b))]++
		}
	}
	if len(scratch) < len(v) {
		scratch = make([]T, len(v))
	}
	src, dst := v, scratch[:len(v)]
	for b := range 8 {
		c := &counts[b]
		shift := 8 * b
		if c[byte((uint64(src[0])^sign)>>shift)] == len(src) {
			continue // every value has the same byte here
		}
		at := 0
		for i, n := range c {
			c[i] = at
			at += n
		}
		for _, x := range src {
			k := byte((uint64(x) ^ sign) >> shift)
			dst[c[k]] = x
			c[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
}

// selectRanks reorders v so that v[k] is the k-th smallest value (from 0)
// for every k in ranks, which must be sorted and within v, as in a sorted v;
// the other values are left in some order. It is a multiple quickselect:
// each partition around a pivot keeps only the parts that hold a wanted
// rank, which takes time linear in len(v) for a few ranks, instead of a full
// sort, when only some percentiles are read. A part that partitions badly
// too often is sorted instead.
func selectRanks(v []time.Duration, ranks []int) {
	depth := 2 * bits.Len(uint(len(v)))
	selectIn(v, 0, ranks, depth)
}

func selectIn(v []time.Duration, off int, ranks []int, depth int) {
	for len(ranks) > 0 {
		if len(v) <= 16 || depth == 0 {
			sortDurations(v)
			return
		}
		depth--
		a, b, c := v[0], v[len(v)/2], v[len(v)-1]
		p := max(min(a, b), min(max(a, b), c)) // the median of the three
		// Three-way partition, v[:lt] < p, v[lt:gt] == p, v[gt:] > p, in
		// two passes without branches on the values (a branch on random
		// data mispredicts every other time): v[:lt] < p ≤ v[lt:], then
		// v[lt:gt] == p < v[gt:].
		lt := partitionLess(v, p)
		gt := lt + partitionEqual(v[lt:], p)
		below, _ := slices.BinarySearch(ranks, off+lt)
		above, _ := slices.BinarySearch(ranks, off+gt)
		if below > 0 {
			selectIn(v[:lt], off, ranks[:below], depth)
		}
		v, off, ranks = v[gt:], off+gt, ranks[above:]
	}
}

// partitionLess moves the values of v less than p to the front, keeping
// the others after them, and returns how many it moved. Each step swaps
// unconditionally and advances the boundary by 0 or 1, which the compiler
// turns into a conditional move.
func partitionLess[T ~int64 | ~uint32](v []T, p T) int {
	n := 0
	for i, x := range v {
		v[i] = v[n]
		v[n] = x
		step := 0
		if x < p {
			step = 1
		}
		n += step
	}
	return n
}

// partitionEqual is partitionLess for the values equal to p.
func partitionEqual[T ~int64 | ~uint32](v []T, p T) int {
	n := 0
	for i, x := range v {
		v[i] = v[n]
		v[n] = x
		step := 0
		if x == p {
			step = 1
		}
		n += step
	}
	return n
}
