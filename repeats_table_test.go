package chatkpi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRepeatLedgerSharedHash: customers whose ids share a hash (forced
// here; 64-bit hashes of real ids practically never do) are told apart by
// their ids, short or long, and each is found, cloned and listed once.
func TestRepeatLedgerSharedHash(t *testing.T) {
	l := newRepeatLedger[*Outcomes](int64(1e9), false)
	l.init(0)
	long := strings.Repeat("x", shortID) + "1"
	ids := []string{"a", "b", long, long[:shortID] + "2", long[:shortID]}
	for i, id := range ids {
		require.Nil(t, l.find(7, id), id)
		c := l.newCustomer(int64(i))
		c.setID(id)
		l.insert(7, c)
	}
	check := func(l *repeatLedger[*Outcomes], h func(string) uint64) {
		t.Helper()
		for i, id := range ids {
			c := l.find(h(id), id)
			require.NotNil(t, c, id)
			require.Equal(t, id, c.id)
			require.Equal(t, int64(i), c.first)
		}
		require.Nil(t, l.find(h("c"), "c"))
		require.Nil(t, l.find(h(long+"x"), long+"x"))
		var seen []string
		for c := range l.all() {
			seen = append(seen, c.id)
		}
		require.ElementsMatch(t, ids, seen)
		require.Equal(t, len(ids), l.ncust)
	}
	check(l, func(string) uint64 { return 7 })
	n := l.clone(func(o *Outcomes) *Outcomes { return o })
	check(n, n.hash) // rehashed: its own hashes
}

// TestRepeatLedgerGrows: the table of customers grows past its first size
// and keeps finding every customer, each listed once.
func TestRepeatLedgerGrows(t *testing.T) {
	l := newRepeatLedger[*Outcomes](int64(1e9), false)
	var o Outcomes
	const n = 1000
	for i := range n {
		l.add(fmt.Sprint("customer-", i), int64(i), true, false, 0, &o, false)
	}
	require.Equal(t, n, l.ncust)
	require.Greater(t, len(l.customers), n)
	seen := map[string]bool{}
	for c := range l.all() {
		require.False(t, seen[c.id], c.id)
		seen[c.id] = true
	}
	require.Len(t, seen, n)
	for i := range n {
		id := fmt.Sprint("customer-", i)
		c := l.find(l.hash(id), id)
		require.NotNil(t, c, id)
		require.Equal(t, []int64{int64(i)}, c.starts)
		require.Same(t, &c.startsBuf[0], &c.starts[0]) // in its own memory
	}
}
