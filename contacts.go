package chatkpi

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
)

// contactLog keeps the contact and resolution instants (Unix nanoseconds)
// of identified customers, which repeat contacts and successful chats need.
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

// customerInstants is one customer's sorted instants.
type customerInstants struct {
	id                  string
	starts, resolutions []int64
}

// byCustomer returns every customer's instants, each list sorted, in the
// order of customer ids (for the encoding; see eachCustomer for reading).
func (l *contactLog) byCustomer() []customerInstants {
	if l.size() <= 256 {
		return l.byCustomerSorted()
	}
	number := make(map[string]int32, l.size()/2)
	var ids []string
	numbers := func(cs []contactAt) []int32 {
		ns := make([]int32, len(cs))
		for i, c := range cs {
			n, ok := number[c.customer]
			if !ok {
				n = int32(len(ids))
				number[c.customer] = n
				ids = append(ids, c.customer)
			}
			ns[i] = n
		}
		return ns
	}
	sn, rn := numbers(l.starts), numbers(l.resolutions)
	starts, so := groupInstants(l.starts, sn, len(ids))
	res, ro := groupInstants(l.resolutions, rn, len(ids))
	out := make([]customerInstants, len(ids))
	for i, id := range ids {
		out[i] = customerInstants{id: id, starts: starts[so[i]:so[i+1]:so[i+1]], resolutions: res[ro[i]:ro[i+1]:ro[i+1]]}
	}
	slices.SortFunc(out, func(a, b customerInstants) int { return strings.Compare(a.id, b.id) })
	return out
}

// groupInstants sorts the instants of cs, whose customers are numbered
// ns[i] among n, by customer (a counting sort) and each customer's instants
// by time. The instants of customer i are at[offsets[i]:offsets[i+1]].
func groupInstants(cs []contactAt, ns []int32, n int) (at []int64, offsets []int) {
	offsets = make([]int, n+1)
	for _, c := range ns {
		offsets[c+1]++
	}
	for i := range n {
		offsets[i+1] += offsets[i]
	}
	at = make([]int64, len(cs))
	next := slices.Clone(offsets[:n])
	for i, c := range cs {
		at[next[ns[i]]] = c.at
		next[ns[i]]++
	}
	for i := range n {
		if s := at[offsets[i]:offsets[i+1]]; len(s) > 1 {
			slices.Sort(s)
		}
	}
	return at, offsets
}

// byCustomerSorted is byCustomer for short logs, which a sort groups
// faster than a map; the customers come in the order of their ids.
func (l *contactLog) byCustomerSorted() []customerInstants {
	type instant struct {
		contactAt
		resolution bool
	}
	all := make([]instant, 0, l.size())
	for _, c := range l.starts {
		all = append(all, instant{c, false})
	}
	for _, c := range l.resolutions {
		all = append(all, instant{c, true})
	}
	slices.SortFunc(all, func(a, b instant) int {
		if c := strings.Compare(a.customer, b.customer); c != 0 {
			return c
		}
		if a.resolution != b.resolution {
			if a.resolution {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.at, b.at)
	})
	at := make([]int64, len(all))
	var out []customerInstants
	for i := 0; i < len(all); {
		j, k := i, i
		for k < len(all) && all[k].customer == all[i].customer {
			at[k] = all[k].at
			if !all[k].resolution {
				j = k + 1
			}
			k++
		}
		out = append(out, customerInstants{id: all[i].customer, starts: at[i:j:j], resolutions: at[j:k:k]})
		i = k
	}
	return out
}

// contactKey is an instant of a log keyed by a hash of its customer; index
// is its index in starts, or ^index in resolutions.
type contactKey struct {
	hash  uint64
	at    int64
	index int
}

// eachCustomer calls fn with every customer's sorted starts and
// resolutions, in no particular order (the slices are reused between
// calls). It groups the instants by sorting them on the hash of the
// customer id kept with each and on the time, integer comparisons only; a
// run of equal hashes whose ids differ (a collision) is sorted again by id,
// so the grouping is exact.
func (l *contactLog) eachCustomer(fn func(starts, resolutions []int64)) {
	l.eachCustomerHashed(nil, fn)
}

// eachCustomerHashed is eachCustomer with another hash of customer ids
// (nil: the kept one); tests pass a poor one to exercise collisions.
func (l *contactLog) eachCustomerHashed(hash func(string) uint64, fn func(starts, resolutions []int64)) {
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
			fn(starts, resolutions)
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
