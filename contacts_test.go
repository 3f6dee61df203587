package chatkpi

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The contact log groups every customer's instants exactly as a plain map
// does, with its own hash and with one under which most customers collide.
func TestContactLogGrouping(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var l contactLog
		want := map[string]*customerInstants{}
		customers := rapid.IntRange(1, 50).Draw(t, "customers")
		for i, n := 0, rapid.IntRange(0, 700).Draw(t, "instants"); i < n; i++ {
			id := fmt.Sprint("u", rapid.IntRange(0, customers-1).Draw(t, "customer"))
			c := contactAt{id, customerHash(id), rapid.Int64Range(-5, 5).Draw(t, "at")}
			if want[id] == nil {
				want[id] = &customerInstants{id: id}
			}
			if rapid.Bool().Draw(t, "resolution") {
				l.resolutions = append(l.resolutions, c)
				want[id].resolutions = append(want[id].resolutions, c.at)
			} else {
				l.starts = append(l.starts, c)
				want[id].starts = append(want[id].starts, c.at)
			}
		}
		for _, c := range want {
			slices.Sort(c.starts)
			slices.Sort(c.resolutions)
		}
		same := func(name, id string, starts, resolutions []int64) {
			w := want[id]
			require.NotNil(t, w, "%s: customer %q", name, id)
			require.Equal(t, fmt.Sprint(w.starts, w.resolutions), fmt.Sprint(starts, resolutions), "%s: customer %q", name, id)
		}
		for name, hash := range map[string]func(string) uint64{
			"kept hash":  nil,
			"collisions": func(id string) uint64 { return uint64(len(id) % 2) },
		} {
			seen := map[string]bool{}
			l.eachCustomerHashed(hash, func(id string, starts, resolutions []int64) {
				require.False(t, seen[id], "%s: customer %q twice", name, id)
				seen[id] = true
				same(name, id, starts, resolutions)
			})
			require.Len(t, seen, len(want), name)
		}
		got := l.byCustomer()
		require.Len(t, got, len(want))
		for i, c := range got {
			if i > 0 {
				require.Less(t, got[i-1].id, c.id, "sorted by id")
			}
			same("byCustomer", c.id, c.starts, c.resolutions)
		}
	})
}
