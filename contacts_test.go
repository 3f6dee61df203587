package chatkpi

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// Long logs are grouped with a map, short ones with a sort: both give every
// customer's sorted instants.
func TestContactLogGrouping(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var l contactLog
		customers := rapid.IntRange(1, 50).Draw(t, "customers")
		for i, n := 0, rapid.IntRange(0, 700).Draw(t, "instants"); i < n; i++ {
			id := fmt.Sprint("u", rapid.IntRange(0, customers-1).Draw(t, "customer"))
			c := contactAt{id, customerHash(id), rapid.Int64Range(-5, 5).Draw(t, "at")}
			if rapid.Bool().Draw(t, "resolution") {
				l.resolutions = append(l.resolutions, c)
			} else {
				l.starts = append(l.starts, c)
			}
		}
		want := l.byCustomerSorted()
		got := l.byCustomer()
		require.Len(t, got, len(want))
		for i := range want {
			require.Equal(t, want[i].id, got[i].id)
			require.Equal(t, len(want[i].starts), len(got[i].starts))
			require.Equal(t, len(want[i].resolutions), len(got[i].resolutions))
			for j := range want[i].starts {
				require.Equal(t, want[i].starts[j], got[i].starts[j])
			}
			for j := range want[i].resolutions {
				require.Equal(t, want[i].resolutions[j], got[i].resolutions[j])
			}
		}
		total := 0
		for _, c := range got {
			require.NotZero(t, len(c.starts)+len(c.resolutions))
			total += len(c.starts) + len(c.resolutions)
		}
		require.Equal(t, l.size(), total)

		// eachCustomer gives the same lists, with a good hash and with one
		// where most customers collide.
		key := func(starts, resolutions []int64) string { return fmt.Sprint(starts, resolutions) }
		wantLists := map[string]int{}
		for _, c := range want {
			wantLists[key(c.starts, c.resolutions)]++
		}
		for name, hash := range map[string]func(string) uint64{
			"kept":       nil,
			"collisions": func(id string) uint64 { return uint64(len(id) % 2) },
		} {
			gotLists := map[string]int{}
			each := func(starts, resolutions []int64) { gotLists[key(starts, resolutions)]++ }
			if hash == nil {
				l.eachCustomer(each)
			} else {
				l.eachCustomerHashed(hash, each)
			}
			require.Equal(t, wantLists, gotLists, name)
		}
	})
}
