package chatkpi

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestCohortCustomersIsAMapOfSets checks the packed period sets against a
// map of sets: periods in any order, within 64 of the earliest (a mask),
// before it (the mask shifts), spanning more than 64 (spilled), outside 32
// bits; a shared customerIDs numbering customers that have no activity
// here; merging (a union), also with a state of the same ids.
func TestCohortCustomersIsAMapOfSets(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		shared := new(customerIDs)
		for range rapid.IntRange(0, 3).Draw(t, "others") { // numbered by another state of a report
			id := fmt.Sprint("other", shared.len())
			shared.add(shared.hash(id), id)
		}
		a, b := cohortCustomers{ids: shared}, cohortCustomers{}
		want := map[string]map[int64]bool{}
		add := func(cc *cohortCustomers, want map[string]map[int64]bool, id string, p int64) {
			cc.add(id, p)
			if want[id] == nil {
				want[id] = map[int64]bool{}
			}
			want[id][p] = true
		}
		period := rapid.OneOf(rapid.Int64Range(-70, 140), rapid.Int64Range(1<<31-70, 1<<31+70), rapid.Int64Range(-1<<40, 1<<40))
		for range rapid.IntRange(0, 60).Draw(t, "adds") {
			add(&a, want, rapid.SampledFrom([]string{"a", "b", "c", "d"}).Draw(t, "id"), period.Draw(t, "period"))
		}
		check := func(cc *cohortCustomers, want map[string]map[int64]bool) {
			t.Helper()
			if cc.len() != len(want) {
				t.Fatalf("%d customers, want %d", cc.len(), len(want))
			}
			got := map[string][]int64{}
			cc.each(func(k int, id []byte, ps []int64) {
				got[string(id)] = slices.Clone(ps)
				if cc.first(k) != ps[0] || cc.last(k) != ps[len(ps)-1] || cc.count(k) != len(ps) {
					t.Fatalf("%s: first %d last %d count %d, periods %v", id, cc.first(k), cc.last(k), cc.count(k), ps)
				}
			})
			for id, ps := range want {
				if w := slices.Sorted(maps.Keys(ps)); !slices.Equal(w, got[id]) {
					t.Fatalf("%s: periods %v, want %v", id, got[id], w)
				}
				if cc.find(id) < 0 {
					t.Fatalf("%s not found", id)
				}
			}
			if cc.find("other0") >= 0 || cc.find("zz") >= 0 {
				t.Fatal("a customer without activity found")
			}
			var ids []string
			ks, list := cc.sorted()
			for _, k := range ks {
				ids = append(ids, string(list[k]))
			}
			if !slices.IsSorted(ids) || len(ids) != len(want) {
				t.Fatalf("sorted: %v", ids)
			}
		}
		check(&a, want)
		wantB := map[string]map[int64]bool{}
		for range rapid.IntRange(0, 20).Draw(t, "addsB") {
			add(&b, wantB, rapid.SampledFrom([]string{"a", "c", "e"}).Draw(t, "idB"), period.Draw(t, "periodB"))
		}
		check(&b, wantB)
		a.merge(&b)
		for id, ps := range wantB {
			if want[id] == nil {
				want[id] = map[int64]bool{}
			}
			maps.Copy(want[id], ps)
		}
		check(&a, want)
		a.merge(&a) // a union with itself
		check(&a, want)
	})
}

// TestPeriodSetMemory: a customer's periods within 64 of each other take
// the 12 bytes of its set, nothing more.
func TestPeriodSetMemory(t *testing.T) {
	var cc cohortCustomers
	for k := range 1000 {
		for _, p := range []int64{100, 163, 120, 101} {
			cc.add(fmt.Sprint(k), p)
		}
	}
	require.Empty(t, cc.spill)
	require.Len(t, cc.sets, 1000)
	require.Equal(t, []int64{100, 101, 120, 163}, cc.periods(7, nil))
	cc.add("7", 99) // 65 periods: spilled
	require.Len(t, cc.spill, 1)
	require.Equal(t, []int64{99, 100, 101, 120, 163}, cc.periods(7, nil))
}

// TestCohortsMemoryPerCustomer checks Cohorts' figure: about 50 bytes per
// customer with a 7-byte id, active in three months (a map entry, a slice
// and its array before: 90, besides the caller's id; 40 with 8-byte slots
// in the customers' table, which kept no id).
func TestCohortsMemoryPerCustomer(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	const customers = 50_000
	ids := make([]string, customers)
	for k := range ids {
		ids[k] = fmt.Sprintf("u%06d", k)
	}
	heap := func() int64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	before := heap()
	c, err := NewCohorts(CohortsSettings{Period: Month})
	require.NoError(t, err)
	t0 := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	for m := range 3 {
		for _, id := range ids {
			require.NoError(t, c.Add(id, t0.AddDate(0, m, 0)))
		}
	}
	perCustomer := float64(heap()-before) / customers
	runtime.KeepAlive(c)
	runtime.KeepAlive(ids) // counted before
	t.Logf("%.1f bytes per customer", perCustomer)
	require.Less(t, perCustomer, 56.0)
}
