package chatkpi

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestSlabProperties: slices grown through a slab, in any interleaving,
// hold what the built-in append gives them, and an append by their user
// writes over no other slice.
func TestSlabProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s slab[int]
		n := rapid.IntRange(1, 5).Draw(t, "slices")
		got := make([][]int, n)
		want := make([][]int, n)
		for step, steps := 0, rapid.IntRange(0, 3*slabBlock).Draw(t, "steps"); step < steps; step++ {
			k := rapid.IntRange(0, n-1).Draw(t, "slice")
			got[k] = s.append(got[k], step)
			want[k] = append(want[k], step)
		}
		for k := range got {
			if !slices.Equal(got[k], want[k]) {
				t.Fatalf("slice %d: %v, want %v", k, got[k], want[k])
			}
			_ = append(got[k], -1) // a user's append writes over no other slice
		}
		for k := range got {
			if !slices.Equal(got[k], want[k]) {
				t.Fatalf("after appends by users, slice %d: %v, want %v", k, got[k], want[k])
			}
		}
	})
}

// TestSlabGrowsInPlace: a run of appends to one slice allocates only the
// slab's blocks.
func TestSlabGrowsInPlace(t *testing.T) {
	var s slab[Event]
	var a, b []Event
	allocs := testing.AllocsPerRun(10, func() {
		a, b = a[:0], b[:0]
		for range 1000 {
			a = s.append(a, Event{Score: 1})
		}
		for range 1000 {
			b = s.append(b, Event{Score: 2})
		}
	})
	if allocs > 1 { // 2,000 events of 10 runs: at most 5 blocks of 4,096
		t.Errorf("%.1f allocations per run of 2,000 appends", allocs)
	}
}
