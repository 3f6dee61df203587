package chatkpi

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestCustomerStartsEachCustomer checks the grouping of the starts against
// a map: every customer with starts once, in the order of the numbers
// (numbers without starts skipped), with its starts sorted, duplicates
// kept; s unchanged.
func TestCustomerStartsEachCustomer(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s customerStarts
		want := map[int][]int64{}
		for range rapid.IntRange(0, 200).Draw(t, "starts") {
			x := customerStart{rapid.IntRange(0, 30).Draw(t, "k"), rapid.Int64Range(-5, 5).Draw(t, "at") << rapid.IntRange(0, 62).Draw(t, "shift")}
			s = append(s, x)
			want[x.k] = append(want[x.k], x.at)
		}
		before := slices.Clone(s)
		prev := -1
		s.eachCustomer(func(k int, starts []int64) {
			if k <= prev {
				t.Fatalf("customer %d after %d", k, prev)
			}
			prev = k
			w := slices.Clone(want[k])
			slices.Sort(w)
			if !slices.Equal(starts, w) {
				t.Fatalf("customer %d: starts %v, want %v", k, starts, w)
			}
			delete(want, k)
		})
		if len(want) > 0 {
			t.Fatalf("customers not called: %v", want)
		}
		if !slices.Equal(s, before) {
			t.Fatal("s changed")
		}
	})
}
