package chatkpi

import (
	"bytes"
	"cmp"
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
// (valid during the call), in the order of the numbers. It sorts s.
func (s customerStarts) eachCustomer(fn func(k int, starts []int64)) {
	slices.SortFunc(s, func(a, b customerStart) int {
		if c := cmp.Compare(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.at, b.at)
	})
	var starts []int64
	for i := 0; i < len(s); {
		starts = starts[:0]
		j := i
		for ; j < len(s) && s[j].k == s[i].k; j++ {
			starts = append(starts, s[j].at)
		}
		fn(s[i].k, starts)
		i = j
	}
}

// encode writes the starts by customer, in the order of their ids (ids:
// the cohorts' ids by number), each customer's sorted: the same encoding
// whatever the order of the conversations. It sorts s.
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

// merged returns s with the starts of o, whose customer numbers are those
// of oc, renumbered as cc numbers them (cc holds every customer of oc).
func (s customerStarts) merged(o customerStarts, cc, oc *cohortCustomers) customerStarts {
	if len(o) == 0 {
		return s
	}
	ids := oc.ids.list()
	to := make([]int, len(ids))
	for i := range to {
		to[i] = -1
	}
	for _, x := range o {
		if to[x.k] < 0 {
			to[x.k] = cc.number(string(ids[x.k]))
		}
		s = append(s, customerStart{to[x.k], x.at})
	}
	return s
}
