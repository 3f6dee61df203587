package chatkpi

import (
	"runtime"
	"sync"
)

// mergeCustomers merges the per-customer states of o — the repeat ledgers
// and the customers' state — into r's, the open resolutions of o's ledgers
// going to the Outcomes and Touches that outcomes and touches give for
// theirs. r's states number the customers with one customerIDs (see
// shareCustomerIDs), and so do o's: o's customers are numbered in r's
// table once, the new ones in o's order (customerIDs.numbers), and every
// state merges by that translation, with no lookup of its own. Each state
// then merges only its own memory, so with several cores and many
// customers they merge at the same time, each on a goroutine; the result
// is that of merging them one after the other.
func (r *Report) mergeCustomers(o *Report, outcomes func(*Outcomes) *Outcomes, touches func(*Touches) *Touches) error {
	if r.customers != nil && o.customers != nil {
		if err := r.customers.cohorts.compatible(&o.customers.cohorts); err != nil {
			return err
		}
	}
	var tr customerTranslation
	var merges []func()
	if r.repeats != nil && o.repeats != nil {
		ks := tr.numbers(r.repeats.ids, o.repeats.ids)
		merges = append(merges, func() { r.repeats.mergeNumbered(o.repeats, outcomes, ks) })
	}
	if r.touchLedger != nil && o.touchLedger != nil {
		ks := tr.numbers(r.touchLedger.ids, o.touchLedger.ids)
		merges = append(merges, func() { r.touchLedger.mergeNumbered(o.touchLedger, touches, ks) })
	}
	var err error
	if r.customers != nil && o.customers != nil {
		var ks []int
		if cc, occ := &r.customers.cohorts.customers, &o.customers.cohorts.customers; occ.n > 0 {
			if cc.ids == nil {
				cc.ids = new(customerIDs)
			}
			ks = tr.numbers(cc.ids, occ.ids)
		}
		merges = append(merges, func() { err = r.customers.mergeNumbered(o.customers, ks) })
	}
	if len(merges) < 2 || tr.translated < concurrentMergeCustomers || runtime.GOMAXPROCS(0) < 2 {
		for _, m := range merges {
			m()
		}
		return err
	}
	var wg sync.WaitGroup
	for _, m := range merges[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m()
		}()
	}
	merges[0]()
	wg.Wait()
	return err
}

// concurrentMergeCustomers is how many customers the states of a report
// merged into another must have, counted once per state, for
// mergeCustomers to merge the states at the same time: below, starting
// goroutines costs more than it saves.
const concurrentMergeCustomers = 1 << 14

// customerTranslation numbers the customers of one customerIDs in another
// once for every per-customer state that the two tables number (the
// states of a report share one; a decoded report's may not).
type customerTranslation struct {
	dst, src   *customerIDs
	ks         []int // src's customers' numbers in dst, by src's number
	translated int   // the customers translated, counted once per state
}

// numbers returns the numbers in dst of src's customers, numbering the new
// ones (see customerIDs.numbers), unless the last call was for the same
// tables, whose translation it returns again.
func (t *customerTranslation) numbers(dst, src *customerIDs) []int {
	if t.ks == nil || t.dst != dst || t.src != src {
		t.dst, t.src, t.ks = dst, src, dst.numbers(src)
	}
	t.translated += len(t.ks)
	return t.ks
}
