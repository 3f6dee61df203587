package chatkpi

import (
	"bytes"
	"slices"
)

// customerStarts is what a report's retention keeps outside streaming mode
// for the repeat-contact rate: the start of each conversation of an
// identified customer, with the customer's number in the state's cohorts
// (16 bytes; the id is the cohorts'), appended as the conversations come,
// with no lookup besides the cohorts' own, and grouped by customer only
// when read.
type customerStarts []customerStart

type customerStart struct {
	k  int   // the customer's number in the cohorts' customerIDs
	at int64 // Unix nanoseconds
}

// eachCustomer calls fn with every customer's number and sorted starts
// (valid during the call), in the order of the numbers. It groups the
// starts by customer with a counting sort on the numbers (two passes over
// s, which it does not change, and a buffer of a start per start and an
// offset per number), then sorts each customer's few starts: a
// comparison sort of every start by number and instant took 5 times as
// long at a million conversations of 438 k customers.
func (s customerStarts) eachCustomer(fn func(k int, starts []int64)) {
	n := 0 // the numbers: the largest one + 1
	for _, x := range s {
		n = max(n, x.k+1)
	}
	end := make([]int, n+1) // end[k+1]: first the count of k, then where k's starts begin, then end
	for _, x := range s {
		end[x.k+1]++
	}
	for k := 1; k <= n; k++ {
		end[k] += end[k-1]
	}
	at := make([]int64, len(s))
	for _, x := range s {
		at[end[x.k]] = x.at
		end[x.k]++
	}
	from := 0
	for k := range n {
		if to := end[k]; to > from {
			starts := at[from:to]
			slices.Sort(starts)
			fn(k, starts)
			from = to
		}
	}
}

// encode writes the starts by customer, in the order of their ids (ids:
// the cohorts' ids by number), each customer's sorted: the same encoding
// whatever the order of the conversations.
func (s customerStarts) encode(e *encoder, ids [][]byte) {
	type run struct{ k, from, to int }
	var runs []run
	var all []int64
	s.eachCustomer(func(k int, starts []int64) {
		runs = append(runs, run{k, len(all), len(all) + len(starts)})
		all = append(all, starts...)
	})
	slices.SortFunc(runs, func(a, b run) int { return bytes.Compare(ids[a.k], ids[b.k]) })
	e.uvarint(uint64(len(runs)))
	for _, r := range runs {
		e.string(string(ids[r.k]))
		encodeInstants(e, all[r.from:r.to])
	}
}

// merged returns s with the starts of o, whose customer numbers ks
// translates (ks[k]: the number of o's customer k in s's numbering, see
// customerIDs.numbers).
func (s customerStarts) merged(o customerStarts, ks []int) customerStarts {
	s = slices.Grow(s, len(o))
	for _, x := range o {
		s = append(s, customerStart{ks[x.k], x.at})
	}
	return s
}
