package chatkpi

import (
	"math"
	"math/bits"
	"time"
)

// Selecting the percentiles of many kept values by counting first. A
// multiple quickselect (selectParts) moves every value two or three times
// over, and writes it back; counting the values into a histogram of
// log-linear buckets instead only reads them, twice: once to count them
// per bucket, which says in which bucket each wanted rank lies and how
// many values lie below that bucket, and once more to copy the values of
// those few buckets, a small share of them, in which a quickselect then
// finds the ranks. The answer is the same — the k-th smallest value is
// one value whatever finds it — and the parts are left as they are.

// bucketSelectMin is the number of values from which selectQuantiles
// counts them first (selectByBuckets); below it the histogram's 29 KiB
// cost more than they save.
const bucketSelectMin = 1 << 14

// selectSubBits is the number of bits below the leading one that a bucket
// keeps: 128 buckets per doubling, each at most 1/128 of its values wide;
// the values below 256 (ns) have a bucket each.
const selectSubBits = 7

// selectBuckets is the number of buckets of a uint64: those of the values
// below 2^(selectSubBits+1), then 2^selectSubBits for each further bit.
const selectBuckets = (64-selectSubBits-1)<<selectSubBits + 1<<(selectSubBits+1)

// selectBucket returns the bucket of v: buckets increase with the values
// they hold (a value's bucket is never below that of a smaller one).
func selectBucket(v uint64) int {
	s := max(bits.Len64(v)-(selectSubBits+1), 0)
	return s<<selectSubBits + int(v>>s)
}

// selectByBuckets is selectParts by counting (see above), without
// reordering the parts. When the buckets of the wanted ranks hold more than
// an eighth of the values (the values crowd into few buckets), it answers
// only if each of those buckets holds a single value
// (selectInUniformBuckets), and otherwise returns false, having set
// nothing: selectParts is then the faster, and needs no copy.
func selectByBuckets(parts []keptPart, n int, ranks []int, at []time.Duration) bool {
	if uint64(n) > math.MaxUint32 {
		return false
	}
	counts := make([]uint32, selectBuckets)
	for _, p := range parts {
		if p.ns != nil {
			for _, x := range p.ns {
				counts[selectBucket(uint64(x))]++
			}
			continue
		}
		for _, x := range p.ms {
			counts[selectBucket(uint64(x)*uint64(time.Millisecond))]++
		}
	}
	// The bucket of each rank, and where the rank lies among the values
	// copied: those of the wanted buckets, which keep their order.
	var bucketBuf [2 * MaxQuantiles]int
	var localBuf, ofBuf [2 * MaxQuantiles]int
	// of[i] is the index in wanted of the bucket of ranks[i].
	wanted, local, of := bucketBuf[:0], localBuf[:0], ofBuf[:0]
	below, copied := 0, 0 // the values in buckets before b; those of them copied
	b := 0
	for _, r := range ranks {
		for below+int(counts[b]) <= r {
			if len(wanted) > 0 && wanted[len(wanted)-1] == b {
				copied += int(counts[b])
			}
			below += int(counts[b])
			b++
		}
		if len(wanted) == 0 || wanted[len(wanted)-1] != b {
			wanted = append(wanted, b)
		}
		local = append(local, copied+r-below)
		of = append(of, len(wanted)-1)
	}
	total := copied + int(counts[b])
	if total > n/8 {
		return selectInUniformBuckets(parts, counts, wanted, of, at)
	}
	// counts now marks the wanted buckets.
	clear(counts)
	for _, w := range wanted {
		counts[w] = 1
	}
	vals := make([]time.Duration, 0, total)
	for _, p := range parts {
		if p.ns != nil {
			for _, x := range p.ns {
				if counts[selectBucket(uint64(x))] != 0 {
					vals = append(vals, x)
				}
			}
			continue
		}
		for _, x := range p.ms {
			if v := time.Duration(x) * time.Millisecond; counts[selectBucket(uint64(v))] != 0 {
				vals = append(vals, v)
			}
		}
	}
	// The ranks in vals are distinct and sorted, as ranks are.
	selectIn(vals, 0, local, 2*bits.Len(uint(len(vals))))
	for i, k := range local {
		at[i] = vals[k]
	}
	return true
}

// selectInUniformBuckets is selectByBuckets' answer when the wanted buckets
// hold too many values to copy (few distinct values, as durations in whole
// seconds: a bucket at a few seconds is 16 ms wide): when each wanted
// bucket holds a single value, that value is the value of every rank in
// it. It finds a value of each wanted bucket, then counts the values equal
// to it, one bucket at a time (a loop without a branch), and returns false,
// having set nothing, when a bucket holds others. counts is the buckets'
// counts; of[i] is the index in wanted of rank i's bucket.
func selectInUniformBuckets(parts []keptPart, counts []uint32, wanted, of []int, at []time.Duration) bool {
	var valueBuf [2 * MaxQuantiles]time.Duration
	value := valueBuf[:len(wanted)]
	for j, w := range wanted {
		v, ok := firstInBucket(parts, w)
		if !ok { // cannot be: the bucket counted values
			return false
		}
		value[j] = v
	}
	for j, w := range wanted {
		if countEqual(parts, value[j]) != int(counts[w]) {
			return false
		}
	}
	for i, j := range of {
		at[i] = value[j]
	}
	return true
}

// firstInBucket returns the first value of the parts in bucket b, or false.
func firstInBucket(parts []keptPart, b int) (time.Duration, bool) {
	for _, p := range parts {
		for _, x := range p.ns {
			if selectBucket(uint64(x)) == b {
				return x, true
			}
		}
		for _, x := range p.ms {
			if v := time.Duration(x) * time.Millisecond; selectBucket(uint64(v)) == b {
				return v, true
			}
		}
	}
	return 0, false
}

// countEqual returns the number of values of the parts equal to v.
func countEqual(parts []keptPart, v time.Duration) int {
	n := 0
	for _, p := range parts {
		for _, x := range p.ns {
			if x == v {
				n++
			}
		}
		if v%time.Millisecond != 0 || v < 0 || v/time.Millisecond > math.MaxUint32 {
			continue // no whole millisecond below 2³² ms is v
		}
		ms := uint32(v / time.Millisecond)
		for _, x := range p.ms {
			if x == ms {
				n++
			}
		}
	}
	return n
}
