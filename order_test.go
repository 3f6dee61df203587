package chatkpi

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// sortDurations sorts as slices.Sort does, for short and long slices, small
// and huge values and many repeats.
func TestSortDurations(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hi := rapid.SampledFrom([]int64{1, 255, 1 << 20, int64(90 * 24 * time.Hour), 1<<63 - 1}).Draw(t, "max")
		n := rapid.SampledFrom([]int{0, 1, 7, radixMin - 1, radixMin, 3000}).Draw(t, "n")
		seed := rapid.Uint64().Draw(t, "seed")
		v := make([]time.Duration, n)
		for i := range v {
			seed = seed*6364136223846793005 + 1442695040888963407
			v[i] = time.Duration((seed >> 1) % uint64(hi))
		}
		want := slices.Clone(v)
		slices.Sort(want)
		sortDurations(v)
		require.Equal(t, want, v)
	})
}

// selectRanks puts the wanted order statistics where a sort would.
func TestSelectRanks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hi := rapid.SampledFrom([]int64{1, 3, 1 << 20, 1<<63 - 1}).Draw(t, "max")
		n := rapid.IntRange(1, 3000).Draw(t, "n")
		seed := rapid.Uint64().Draw(t, "seed")
		v := make([]time.Duration, n)
		for i := range v {
			seed = seed*6364136223846793005 + 1442695040888963407
			v[i] = time.Duration((seed >> 1) % uint64(hi))
		}
		if rapid.Bool().Draw(t, "presorted") {
			slices.Sort(v)
		}
		ranks := rapid.SliceOfNDistinct(rapid.IntRange(0, n-1), 0, 8, rapid.ID[int]).Draw(t, "ranks")
		slices.Sort(ranks)
		want := slices.Clone(v)
		slices.Sort(want)
		selectRanks(v, ranks)
		for _, k := range ranks {
			require.Equal(t, want[k], v[k], "rank %d", k)
		}
		slices.Sort(v)
		require.Equal(t, want, v, "the same values")
	})
}

func BenchmarkSortDurations(b *testing.B) {
	v := make([]time.Duration, 100_000)
	seed := uint64(1)
	for i := range v {
		seed = seed*6364136223846793005 + 1442695040888963407
		v[i] = time.Duration((seed >> 1) % uint64(48*time.Hour))
	}
	w := make([]time.Duration, len(v))
	for _, sorter := range []struct {
		name string
		sort func([]time.Duration)
	}{{"radix", sortDurations}, {"pdqsort", slices.Sort[[]time.Duration]}, {"select-p50-p90-p95-p99", func(v []time.Duration) {
		ranks := []int{}
		for _, q := range defaultDurationQuantiles() {
			lo := int(q * float64(len(v)-1))
			ranks = append(ranks, lo, lo+1)
		}
		selectRanks(v, ranks)
	}}} {
		b.Run(sorter.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				copy(w, v)
				sorter.sort(w)
			}
			b.ReportMetric(float64(b.N)*float64(len(v))/b.Elapsed().Seconds(), "values/s")
		})
	}
}

// Result selects its percentiles from long unsorted value lists; they are
// those of the sorted values (R type 7).
func TestResultSelectsPercentiles(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(selectMin-2, 3*radixMin).Draw(t, "n")
		qs := rapid.SliceOfNDistinct(rapid.Float64Range(0, 1), 1, 6, rapid.ID[float64]).Draw(t, "quantiles")
		var s DurationsSettings
		for i, q := range qs {
			s.Quantiles[i] = max(q, 1e-9) // 0 ends the list
		}
		d, err := NewDurations(s)
		require.NoError(t, err)
		seed := rapid.Uint64().Draw(t, "seed")
		sorted := make([]time.Duration, n)
		for i := range sorted {
			seed = seed*6364136223846793005 + 1442695040888963407
			sorted[i] = time.Duration((seed >> 1) % uint64(time.Hour))
			require.NoError(t, d.Add(sorted[i]))
		}
		slices.Sort(sorted)
		r, err := d.Result()
		require.NoError(t, err)
		for _, p := range r.Quantiles {
			require.Equal(t, quantileSorted(sorted, p.Q), p.Value, "q %v", p.Q)
		}
	})
}
