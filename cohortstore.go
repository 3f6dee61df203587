package chatkpi

import (
	"bytes"
	"math"
	"math/bits"
	"slices"
)

// cohortCustomers is the active periods of each customer of a [Cohorts]:
// customer k (its number in ids, which a Report shares with its other
// per-customer states; nil: none yet) has the set sets[k], a period index and a
// 64-bit mask of the periods from it on (12 bytes), or, when its periods
// span more than 64, a sorted slice in spill. Customers the ids number but
// that have no activity here have the zero set. Memory: 12 bytes and the id
// (see customerIDs) per customer whose periods span at most 64 periods
// (every customer by month or week over a year), and a map entry and 8
// bytes per period for the others.
type cohortCustomers struct {
	ids   *customerIDs
	sets  []periodSet
	spill map[int][]int64
	n     int // customers with activity
}

// periodSet is a customer's active periods: base + j for every bit j of
// lo | hi << 32 (bit 0, the earliest, always set); the mask zero: none
// (base 0), or in spill (base 1, see spilled).
type periodSet struct {
	base   int32
	lo, hi uint32
}

func (s periodSet) mask() uint64 { return uint64(s.lo) | uint64(s.hi)<<32 }

// spilled reports whether the set is in spill.
func (s periodSet) spilled() bool { return s.lo == 0 && s.hi == 0 && s.base != 0 }

func (s *periodSet) setMask(m uint64) { s.lo, s.hi = uint32(m), uint32(m>>32) }

// len is the number of customers with activity.
func (cc *cohortCustomers) len() int { return cc.n }

// add records that customer id was active in period i.
func (cc *cohortCustomers) add(id string, i int64) { cc.addPeriod(cc.number(id), i) }

// number returns the number of customer id, numbering it when new.
func (cc *cohortCustomers) number(id string) int {
	if cc.ids == nil {
		cc.ids = new(customerIDs)
	}
	return cc.ids.number(id)
}

// addPeriod records that customer k was active in period i.
func (cc *cohortCustomers) addPeriod(k int, i int64) {
	if k >= len(cc.sets) {
		cc.sets = extendTo(cc.sets, k+1)
	}
	s := &cc.sets[k]
	switch {
	case s.spilled():
		ps := cc.spill[k]
		if j, found := slices.BinarySearch(ps, i); !found {
			cc.spill[k] = slices.Insert(ps, j, i)
		}
		return
	case s.mask() == 0:
		if i >= math.MinInt32 && i <= math.MaxInt32 {
			*s = periodSet{base: int32(i), lo: 1}
		} else {
			cc.spillSet(k, []int64{i})
		}
		cc.n++
		return
	}
	base, m := int64(s.base), s.mask()
	switch hiBit := base + 63 - int64(bits.LeadingZeros64(m)); {
	case i >= base && i-base < 64:
		s.setMask(m | 1<<(i-base))
	case i < base && hiBit-i < 64 && i >= math.MinInt32:
		s.base = int32(i)
		s.setMask(m<<(base-i) | 1)
	default:
		cc.spillSet(k, append(cc.periods(k, nil), i))
	}
}

// spillSet keeps ps, sorted and distinct after sorting, as customer k's
// set in spill.
func (cc *cohortCustomers) spillSet(k int, ps []int64) {
	slices.Sort(ps)
	if cc.spill == nil {
		cc.spill = make(map[int][]int64)
	}
	cc.spill[k] = slices.Compact(ps)
	cc.sets[k] = periodSet{base: 1}
}

// periods appends customer k's periods, in order, to buf.
func (cc *cohortCustomers) periods(k int, buf []int64) []int64 {
	if k >= len(cc.sets) {
		return buf
	}
	s := cc.sets[k]
	if s.spilled() {
		return append(buf, cc.spill[k]...)
	}
	for m := s.mask(); m != 0; m &= m - 1 {
		buf = append(buf, int64(s.base)+int64(bits.TrailingZeros64(m)))
	}
	return buf
}

// has reports whether customer k has activity.
func (cc *cohortCustomers) has(k int) bool {
	return k < len(cc.sets) && (cc.sets[k].spilled() || cc.sets[k].mask() != 0)
}

// first and last return customer k's earliest and latest periods (k has
// activity).
func (cc *cohortCustomers) first(k int) int64 {
	if s := cc.sets[k]; !s.spilled() {
		return int64(s.base)
	}
	return cc.spill[k][0]
}

func (cc *cohortCustomers) last(k int) int64 {
	if s := cc.sets[k]; !s.spilled() {
		return int64(s.base) + 63 - int64(bits.LeadingZeros64(s.mask()))
	}
	ps := cc.spill[k]
	return ps[len(ps)-1]
}

// count returns the number of customer k's periods.
func (cc *cohortCustomers) count(k int) int {
	if s := cc.sets[k]; !s.spilled() {
		return bits.OnesCount64(s.mask())
	}
	return len(cc.spill[k])
}

// each calls f with every customer with activity and their periods (valid
// during the call), in number order.
func (cc *cohortCustomers) each(f func(k int, id []byte, ps []int64)) {
	if cc.n == 0 {
		return
	}
	var buf []int64
	for k, id := range cc.ids.all() {
		if cc.has(k) {
			buf = cc.periods(k, buf[:0])
			f(k, id, buf)
		}
	}
}

// sorted returns the numbers of the customers with activity in the order
// of their ids, and the ids by number.
func (cc *cohortCustomers) sorted() (ks []int, ids [][]byte) {
	if cc.n == 0 {
		return nil, nil
	}
	ids = cc.ids.list()
	ks = make([]int, 0, cc.n)
	for k := range cc.sets {
		if cc.has(k) {
			ks = append(ks, k)
		}
	}
	slices.SortFunc(ks, func(a, b int) int { return bytes.Compare(ids[a], ids[b]) })
	return ks, ids
}

// find returns the number of customer id when it has activity, else −1.
func (cc *cohortCustomers) find(id string) int {
	if cc.ids == nil {
		return -1
	}
	if k := cc.ids.find(cc.ids.hash(id), id); k >= 0 && cc.has(k) {
		return k
	}
	return -1
}

// merge adds the activity of o (see mergeNumbered).
func (cc *cohortCustomers) merge(o *cohortCustomers) {
	if o == cc || o.n == 0 {
		return // the union of a set with itself
	}
	cc.mergeNumbered(o, cc.numbersOf(o))
}

// numbersOf numbers o's customers in cc (see customerIDs.numbers) and
// returns the translation of o's numbers into cc's.
func (cc *cohortCustomers) numbersOf(o *cohortCustomers) []int {
	if o.ids == nil || o.n == 0 {
		return nil
	}
	if cc.ids == nil {
		cc.ids = new(customerIDs)
	}
	return cc.ids.numbers(o.ids)
}

// mergeNumbered adds the activity of o, whose customers ks translates:
// ks[k] is cc's number of o's customer k (see customerIDs.numbers). A
// customer new to cc takes o's set as it is (adding its periods one by one
// in order gives the same set); the others add o's periods.
func (cc *cohortCustomers) mergeNumbered(o *cohortCustomers, ks []int) {
	if o == cc || o.n == 0 {
		return
	}
	if n := cc.ids.len(); n > len(cc.sets) {
		cc.sets = extendTo(cc.sets, n)
	}
	var buf []int64
	for k, s := range o.sets {
		if !o.has(k) {
			continue
		}
		to := ks[k]
		if !s.spilled() && !cc.has(to) {
			cc.sets[to] = s
			cc.n++
			continue
		}
		buf = o.periods(k, buf[:0])
		for _, p := range buf {
			cc.addPeriod(to, p)
		}
	}
}
