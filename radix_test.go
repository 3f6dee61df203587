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
	}{{"radix", sortDurations}, {"pdqsort", slices.Sort[[]time.Duration]}} {
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
