package chatkpi

import (
	"cmp"
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

// contactAt is an instant of a customer.
type contactAt struct {
	customer string
	at       int64
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
// order of customer ids if byID, else in no particular order.
func (l *contactLog) byCustomer(byID bool) []customerInstants {
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
	if byID {
		slices.SortFunc(out, func(a, b customerInstants) int { return strings.Compare(a.id, b.id) })
	}
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
