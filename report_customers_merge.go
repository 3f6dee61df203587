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
// merges only its own memory, so with several cores and many customers
// the successful chats' ledger merges on another goroutine, taking o's
// customers as soon as their numbers are known, while the caller numbers
// the others and then merges the other states; the result is that of
// merging them one after the other.
func (r *Report) mergeCustomers(o *Report, outcomes func(*Outcomes) *Outcomes, touches func(*Touches) *Touches) error {
	if r.customers != nil && o.customers != nil {
		if err := r.customers.cohorts.compatible(&o.customers.cohorts); err != nil {
			return err
		}
	}
	var tr customerTranslation
	var wg sync.WaitGroup
	if l, ol := r.repeats, o.repeats; l != nil && ol != nil {
		if ol == l || ol.ids.len() < concurrentMergeCustomers || runtime.GOMAXPROCS(0) < 2 {
			l.mergeNumbered(ol, outcomes, tr.numbers(l.ids, ol.ids))
		} else {
			ks := make([]int, ol.ids.len())
			ready := make(chan int, len(ks)/numbersStep+1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				lo := 0
				for n := range ready {
					l.mergeRange(ol, outcomes, ks, lo, n)
					lo = n
				}
			}()
			l.ids.numbersInto(ol.ids, ks, func(n int) { ready <- n })
			close(ready)
			tr.dst, tr.src, tr.ks = l.ids, ol.ids, ks
		}
	}
	if r.touchLedger != nil && o.touchLedger != nil {
		r.touchLedger.mergeNumbered(o.touchLedger, touches, tr.numbers(r.touchLedger.ids, o.touchLedger.ids))
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
		err = r.customers.mergeNumbered(o.customers, ks)
	}
	wg.Wait()
	return err
}

// concurrentMergeCustomers is how many customers the other report's
// ledger must have for mergeCustomers to merge it on another goroutine:
// below, starting one costs more than it saves.
const concurrentMergeCustomers = 1 << 14

// customerTranslation numbers the customers of one customerIDs in another
// once for every per-customer state that the two tables number (the
// states of a report share one; a decoded report's may not).
type customerTranslation struct {
	dst, src *customerIDs
	ks       []int // src's customers' numbers in dst, by src's number
}

// numbers returns the numbers in dst of src's customers, numbering the new
// ones (see customerIDs.numbers), unless the last call was for the same
// tables, whose translation it returns again.
func (t *customerTranslation) numbers(dst, src *customerIDs) []int {
	if t.ks == nil || t.dst != dst || t.src != src {
		t.dst, t.src, t.ks = dst, src, dst.numbers(src)
	}
	return t.ks
}
