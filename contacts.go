package chatkpi

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
)

// contactLog keeps the contact and resolution instants (Unix nanoseconds)
// of identified customers, which repeat contacts and first-contact
// resolutions need (successful chats keep less: see repeatLedger).
// Adding a conversation appends to a flat log, with no lookup and no
// allocation of its own, and merging two logs appends one to the other; the
// instants are grouped by customer only when they are read. The zero value
// is empty.
type contactLog struct {
	starts      []contactAt // starts of inbound engaged conversations
	resolutions []contactAt // resolutions in force at the end of engaged conversations
}

// contactAt is an instant of a customer, with the customerHash of its id.
type contactAt struct {
	customer string
	hash     uint64
	at       int64
}

// customerHash is a fixed 64-bit hash of a customer id (FNV-1a with a
// final mix, so that its top bits are spread too). It only speeds up
// grouping: a collision costs a sort, never a wrong group.
func customerHash(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// size is the number of instants.
func (l *contactLog) size() int { return len(l.starts) + len(l.resolutions) }

// merge appends o's instants.
func (l *contactLog) merge(o *contactLog) {
	l.starts = append(l.starts, o.starts...)
	l.resolutions = append(l.resolutions, o.resolutions...)
}

// encode writes the log by customer, in the order of customer ids, each
// customer's instants sorted: the same encoding whatever the order of the
// conversations.
func (l *contactLog) encode(e *encoder) {
	ccs := l.byCustomer()
	e.uvarint(uint64(len(ccs)))
	for _, cc := range ccs {
		e.string(cc.id)
		encodeInstants(e, cc.starts)
		encodeInstants(e, cc.resolutions)
	}
}

// decode appends the instants written by encode (ids non-empty, sorted
// and distinct, each with an instant) to l and returns the number of
// resolutions read; a problem fails d.
func (l *contactLog) decode(d *decoder) (resolutions int64) {
	nk := d.length(3)
	var prev string
	for i := 0; i < nk && d.err == nil; i++ {
		k := d.string()
		if d.err == nil && (k == "" || i > 0 && k <= prev) {
			d.fail("customer ids must be non-empty, sorted and distinct")
		}
		prev = k
		starts, res := decodeInstants(d), decodeInstants(d)
		if d.err == nil && len(starts)+len(res) == 0 {
			d.fail("customer %q without contacts", k)
		}
		if d.err != nil {
			break
		}
		resolutions += int64(len(res))
		h := customerHash(k)
		for _, at := range starts {
			l.starts = append(l.starts, contactAt{k, h, at})
		}
		for _, at := range res {
			l.resolutions = append(l.resolutions, contactAt{k, h, at})
		}
	}
	return resolutions
}

// customerInstants is one customer's sorted instants.
type customerInstants struct {
	id                  string
	starts, resolutions []int64
}

// byCustomer returns every customer's instants, each list sorted, in the
// order of customer ids: what the encoding writes.
func (l *contactLog) byCustomer() []customerInstants {
	var ids []string
	var at []int64
	var bounds []int // where each customer's starts and resolutions begin in at
	l.eachCustomer(func(id string, starts, resolutions []int64) {
		ids = append(ids, id)
		bounds = append(bounds, len(at))
		at = append(at, starts...)
		bounds = append(bounds, len(at))
		at = append(at, resolutions...)
	})
	bounds = append(bounds, len(at))
	out := make([]customerInstants, len(ids))
	for i, id := range ids {
		s, r, e := bounds[2*i], bounds[2*i+1], bounds[2*i+2]
		out[i] = customerInstants{id: id, starts: at[s:r:r], resolutions: at[r:e:e]}
	}
	slices.SortFunc(out, func(a, b customerInstants) int { return strings.Compare(a.id, b.id) })
	return out
}

// contactKey is an instant of a log keyed by a hash of its customer; index
// is its index in starts, or ^index in resolutions.
type contactKey struct {
	hash  uint64
	at    int64
	index int
}

// eachCustomer calls fn with every customer's id and sorted starts and
// resolutions, in no particular order (the slices are reused between
// calls). It groups the instants by sorting them on the hash of the
// customer id kept with each and on the time, integer comparisons only; a
// run of equal hashes whose ids differ (a collision) is sorted again by id,
// so the grouping is exact.
func (l *contactLog) eachCustomer(fn func(id string, starts, resolutions []int64)) {
	l.eachCustomerHashed(nil, fn)
}

// eachCustomerHashed is eachCustomer with another hash of customer ids
// (nil: the kept one); tests pass a poor one to exercise collisions.
func (l *contactLog) eachCustomerHashed(hash func(string) uint64, fn func(id string, starts, resolutions []int64)) {
	if l.size() == 0 {
		return
	}
	hashOf := func(c *contactAt) uint64 {
		if hash != nil {
			return hash(c.customer)
		}
		return c.hash
	}
	ks := make([]contactKey, 0, l.size())
	for i := range l.starts {
		ks = append(ks, contactKey{hashOf(&l.starts[i]), l.starts[i].at, i})
	}
	for i := range l.resolutions {
		ks = append(ks, contactKey{hashOf(&l.resolutions[i]), l.resolutions[i].at, ^i})
	}
	ks = sortContactKeys(ks)
	id := func(k contactKey) string {
		if k.index >= 0 {
			return l.starts[k.index].customer
		}
		return l.resolutions[^k.index].customer
	}
	var starts, resolutions []int64
	for i := 0; i < len(ks); {
		j := i + 1
		collision := false
		for j < len(ks) && ks[j].hash == ks[i].hash {
			collision = collision || id(ks[j]) != id(ks[i])
			j++
		}
		run := ks[i:j]
		if collision {
			slices.SortStableFunc(run, func(a, b contactKey) int { return strings.Compare(id(a), id(b)) })
		}
		for len(run) > 0 {
			k := 1
			for k < len(run) && (!collision || id(run[k]) == id(run[0])) {
				k++
			}
			starts, resolutions = starts[:0], resolutions[:0]
			for _, c := range run[:k] {
				if c.index >= 0 {
					starts = append(starts, c.at)
				} else {
					resolutions = append(resolutions, c.at)
				}
			}
			fn(id(run[0]), starts, resolutions)
			run = run[k:]
		}
		i = j
	}
}

// sortContactKeys returns ks sorted by hash and time. Hashes are uniform, so
// one counting pass on their top bits spreads ks over about as many
// buckets as keys; each bucket, usually of one or two keys, is then sorted
// on its own.
func sortContactKeys(ks []contactKey) []contactKey {
	b := max(1, bits.Len(uint(len(ks)))-2) // about four keys a bucket
	shift := 64 - b
	offsets := make([]int, 1<<b+1)
	for _, k := range ks {
		offsets[k.hash>>shift+1]++
	}
	for i := 1; i < len(offsets); i++ {
		offsets[i] += offsets[i-1]
	}
	out := make([]contactKey, len(ks))
	next := slices.Clone(offsets[:1<<b])
	for _, k := range ks {
		out[next[k.hash>>shift]] = k
		next[k.hash>>shift]++
	}
	less := func(a, b contactKey) bool { return a.hash < b.hash || a.hash == b.hash && a.at < b.at }
	for i := range 1 << b {
		bucket := out[offsets[i]:offsets[i+1]]
		if len(bucket) > 32 {
			slices.SortFunc(bucket, func(a, b contactKey) int {
				if c := cmp.Compare(a.hash, b.hash); c != 0 {
					return c
				}
				return cmp.Compare(a.at, b.at)
			})
			continue
		}
		for j := 1; j < len(bucket); j++ {
			for k := j; k > 0 && less(bucket[k], bucket[k-1]); k-- {
				bucket[k], bucket[k-1] = bucket[k-1], bucket[k]
			}
		}
	}
	return out
}
