package chatkpi

import (
	"slices"
	"strings"
)

// contactLog keeps the contact and resolution instants (Unix nanoseconds)
// of identified customers, which repeat contacts and successful chats need.
// Instants are appended to two flat logs under a dense customer number, so
// that adding a conversation costs one map lookup and no allocation of its
// own, and merging two logs renumbers the other's customers once each; the
// instants are grouped by customer only when they are read. The zero value
// is empty.
type contactLog struct {
	index       map[string]int32 // customer id → number
	ids         []string         // number → customer id
	starts      []contactAt      // starts of inbound engaged conversations
	resolutions []contactAt      // resolutions in force at the end of engaged conversations
}

// contactAt is an instant of the customer numbered customer.
type contactAt struct {
	customer int32
	at       int64
}

// customer returns the number of a customer id, numbering it if new.
func (l *contactLog) customer(id string) int32 {
	if n, ok := l.index[id]; ok {
		return n
	}
	if l.index == nil {
		l.index = make(map[string]int32)
	}
	n := int32(len(l.ids))
	l.index[id] = n
	l.ids = append(l.ids, id)
	return n
}

// customers returns the number of customers with an instant.
func (l *contactLog) customers() int { return len(l.ids) }

// merge appends o's instants, renumbering o's customers.
func (l *contactLog) merge(o *contactLog) {
	if len(o.ids) == 0 {
		return
	}
	renumber := make([]int32, len(o.ids))
	for i, id := range o.ids {
		renumber[i] = l.customer(id)
	}
	l.starts = slices.Grow(l.starts, len(o.starts))
	for _, c := range o.starts {
		l.starts = append(l.starts, contactAt{renumber[c.customer], c.at})
	}
	l.resolutions = slices.Grow(l.resolutions, len(o.resolutions))
	for _, c := range o.resolutions {
		l.resolutions = append(l.resolutions, contactAt{renumber[c.customer], c.at})
	}
}

// customerInstants is one customer's sorted instants.
type customerInstants struct {
	id                  string
	starts, resolutions []int64
}

// byCustomer returns every customer's instants, each list sorted, in the
// order of customer ids if byID, else in the order the customers came.
func (l *contactLog) byCustomer(byID bool) []customerInstants {
	starts, so := groupInstants(l.starts, len(l.ids))
	res, ro := groupInstants(l.resolutions, len(l.ids))
	out := make([]customerInstants, len(l.ids))
	for i, id := range l.ids {
		out[i] = customerInstants{id: id, starts: starts[so[i]:so[i+1]:so[i+1]], resolutions: res[ro[i]:ro[i+1]:ro[i+1]]}
	}
	if byID {
		slices.SortFunc(out, func(a, b customerInstants) int { return strings.Compare(a.id, b.id) })
	}
	return out
}

// groupInstants sorts the instants of cs by customer (a counting sort on
// the n customer numbers) and each customer's instants by time. The
// instants of customer i are at[offsets[i]:offsets[i+1]].
func groupInstants(cs []contactAt, n int) (at []int64, offsets []int) {
	offsets = make([]int, n+1)
	for _, c := range cs {
		offsets[c.customer+1]++
	}
	for i := range n {
		offsets[i+1] += offsets[i]
	}
	at = make([]int64, len(cs))
	next := slices.Clone(offsets[:n])
	for _, c := range cs {
		at[next[c.customer]] = c.at
		next[c.customer]++
	}
	for i := range n {
		if s := at[offsets[i]:offsets[i+1]]; len(s) > 1 {
			slices.Sort(s)
		}
	}
	return at, offsets
}
