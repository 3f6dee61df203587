package chatkpi

import "unsafe"

// Prefetching a conversation's customer state. The per-customer states of
// a Report — the customer table's slot, the repeat ledger's record and
// segment, the cohorts' period set — are each a cache miss per
// conversation when the customers come in random order (a table of a
// million customers does not fit in a cache): about a third of
// AddConversation's time at 10 M events, spent waiting. AddConversation
// asks for them ahead, each as soon as its address is known (the slot
// before the conversation is checked, the records before it is measured,
// the segment after), so that the checking and measuring overlap the waits.
// A prefetch changes nothing but what is in the cache.

// customerPrefetch is where AddConversation stands in prefetching the
// state of one conversation's customer.
type customerPrefetch struct {
	ids *customerIDs // the report's shared customer ids; nil: nothing to prefetch
	id  string
	h   uint64 // the id's hash in ids
	k   int    // the customer's number, −1 unknown (new, or not looked up yet)
}

// prefetchCustomer starts loading the table slot of customer id (empty:
// none) of a conversation about to be added, and sets p up for the next
// steps. It fills the caller's p in place: a returned value, copied in
// 16-byte moves from the 8-byte stores that made it, waits for them.
func (r *Report) prefetchCustomer(p *customerPrefetch, id string) {
	p.ids, p.k = nil, -1
	if id != "" && r.perCustomer { // inlined: no customer state
		r.prefetchSlot(p, id)
	}
}

func (r *Report) prefetchSlot(p *customerPrefetch, id string) {
	p.id = id
	switch {
	case r.repeats != nil:
		p.ids = r.repeats.ids
	case r.touchLedger != nil:
		p.ids = r.touchLedger.ids
	case r.customers != nil:
		p.ids = r.customers.cohorts.customers.ids
	}
	if p.ids == nil || len(p.ids.slots) == 0 {
		p.ids = nil
		return
	}
	p.h = p.ids.hash(id)
	prefetch(unsafe.Pointer(&p.ids.slots[p.h&uint64(len(p.ids.slots)-1)]))
}

// records looks the customer up (its slot prefetched) and starts loading
// its records: the repeat ledgers' and the cohorts' period set.
func (p *customerPrefetch) records(r *Report) {
	if p.ids != nil { // inlined: nothing to prefetch
		p.lookUp(r)
	}
}

func (p *customerPrefetch) lookUp(r *Report) {
	if p.k = p.ids.find(p.h, p.id); p.k < 0 {
		p.ids.rememberMissing(p.id, p.h) // the states number a new customer without a lookup
		return
	}
	p.ids.remember(p.id, p.k) // the states number the customer without a lookup
	r.repeats.prefetchRecord(p.k)
	r.touchLedger.prefetchRecord(p.k)
	if cs := r.customers; cs != nil && p.k < len(cs.cohorts.customers.sets) {
		prefetch(unsafe.Pointer(&cs.cohorts.customers.sets[p.k]))
	}
}

// segments starts loading the customer's segments in the repeat ledgers
// (their records prefetched).
func (p *customerPrefetch) segments(r *Report) {
	if p.k >= 0 { // inlined: nothing to prefetch
		p.segmentsOf(r)
	}
}

func (p *customerPrefetch) segmentsOf(r *Report) {
	r.repeats.prefetchSegment(p.k)
	r.touchLedger.prefetchSegment(p.k)
}

// prefetchRecord starts loading the record of customer k (l nil: none).
func (l *repeatLedger[T]) prefetchRecord(k int) {
	if l != nil && k < len(l.recs) {
		prefetch(unsafe.Pointer(&l.recs[k]))
	}
}

// prefetchSegment starts loading the segment of customer k (l nil: none).
func (l *repeatLedger[T]) prefetchSegment(k int) {
	if l == nil || !l.has(k) {
		return
	}
	if r := l.recs[k]; r.class != heavyClass {
		page, at := r.off>>poolPageBits, int(r.off&(poolPage-1))
		prefetch(unsafe.Pointer(&l.pool.pages[page][at]))
	}
}

// Prefetching the events ahead. Report.check's scan is the first pass over
// a conversation's events and waits for their memory; callers hold the
// events of consecutive conversations one after the other in large blocks
// (the readers' batches, a decoded file), so the next conversations'
// events most likely follow this one's. prefetchEventsAhead starts loading
// the memory eventsAhead bytes past each event of ev — past the slice's
// end, where nothing may be allocated: a prefetch never faults — so that
// at the rate the events are read, the memory of about the next two
// conversations is on its way.
const eventsAhead = 2048

func prefetchEventsAhead(ev []Event) {
	if len(ev) > 0 { // inlined: the call below is one per conversation
		// An address, not a pointer: it may point outside any allocation.
		prefetchSpan(uintptr(unsafe.Pointer(unsafe.SliceData(ev)))+eventsAhead, uintptr(len(ev))*unsafe.Sizeof(Event{}))
	}
}
