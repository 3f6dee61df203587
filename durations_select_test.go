package chatkpi

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// selectBucket never puts a value below the bucket of a smaller one, and
// keeps each bucket within 1/128 of its values (the small ones exact).
func TestSelectBucketMonotonic(t *testing.T) {
	require.Equal(t, 0, selectBucket(0))
	require.Equal(t, 255, selectBucket(255))
	require.Equal(t, 256, selectBucket(256))
	require.Equal(t, 256, selectBucket(257))
	require.Equal(t, 257, selectBucket(258))
	require.Equal(t, selectBuckets-1, selectBucket(^uint64(0)))
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.Uint64().Draw(t, "a")
		b := rapid.Uint64Range(a, ^uint64(0)).Draw(t, "b")
		require.LessOrEqual(t, selectBucket(a), selectBucket(b))
		if b-a > b>>7 {
			require.Less(t, selectBucket(a), selectBucket(b), "a bucket at most 1/128 of its values wide")
		}
	})
}

// selectByBuckets finds the ranks of the values of many parts as sorting
// them does, and leaves the parts as they were; when the wanted buckets
// hold too many of the values it sets nothing.
func TestSelectByBucketsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		limit := time.Duration(rapid.SampledFrom([]int64{2, 3000, int64(time.Second), int64(time.Hour), 1 << 62}).Draw(t, "limit"))
		lens := rapid.SliceOfN(rapid.IntRange(1, 5000), 1, 12).Draw(t, "lens")
		parts, all := drawKeptParts(t, lens, limit)
		before := make([]time.Duration, 0, len(all))
		for _, p := range parts {
			before = p.appendTo(before)
		}
		slices.Sort(all)
		ranks := rapid.SliceOfNDistinct(rapid.IntRange(0, len(all)-1), 1, 2*MaxQuantiles, rapid.ID[int]).Draw(t, "ranks")
		slices.Sort(ranks)
		at := make([]time.Duration, len(ranks))
		ok := selectByBuckets(parts, len(all), ranks, at)
		after := make([]time.Duration, 0, len(all))
		for _, p := range parts {
			after = p.appendTo(after)
		}
		require.Equal(t, before, after, "the parts are left as they are")
		if !ok {
			require.Equal(t, make([]time.Duration, len(ranks)), at)
			return
		}
		for i, k := range ranks {
			require.Equal(t, all[k], at[i], "rank %d", k)
		}
	})
}

// Spread values are selected by counting (it does not give up), and
// values crowded into one bucket are left to selectParts.
func TestSelectByBucketsGivesUpOnCrowdedBuckets(t *testing.T) {
	spread := lcgDurations(1, 1<<15, time.Hour)
	at := make([]time.Duration, 1)
	require.True(t, selectByBuckets([]keptPart{{ns: spread}}, len(spread), []int{len(spread) / 2}, at))
	sorted := slices.Sorted(slices.Values(spread))
	require.Equal(t, sorted[len(spread)/2], at[0])
	same := make([]time.Duration, 1<<15)
	for i := range same {
		same[i] = time.Second + time.Duration(i%3)
	}
	require.False(t, selectByBuckets([]keptPart{{ns: same}}, len(same), []int{10}, at))
}

// Values crowded into buckets that hold one value each (durations in whole
// seconds: a bucket at a few seconds is 16 ms wide) are selected without a
// copy; a crowded bucket holding two values is left to selectParts.
func TestSelectByBucketsUniformCrowdedBuckets(t *testing.T) {
	secs := make([]time.Duration, 1<<15)
	for i := range secs {
		secs[i] = time.Duration(1+i*7%5) * time.Second // 1–5 s, each a fifth of the values
	}
	ranks := []int{0, len(secs) / 2, len(secs)/2 + 1, len(secs) * 9 / 10, len(secs) - 1}
	at := make([]time.Duration, len(ranks))
	require.True(t, selectByBuckets([]keptPart{{ns: secs}}, len(secs), ranks, at))
	sorted := slices.Sorted(slices.Values(secs))
	for i, k := range ranks {
		require.Equal(t, sorted[k], at[i], "rank %d", k)
	}
	ms := make([]uint32, len(secs))
	for i, x := range secs {
		ms[i] = uint32(x / time.Millisecond)
	}
	clear(at)
	require.True(t, selectByBuckets([]keptPart{{ms: ms[:len(ms)/2]}, {ns: secs[len(secs)/2:]}}, len(ms), ranks, at))
	for i, k := range ranks {
		require.Equal(t, sorted[k], at[i], "rank %d (milliseconds)", k)
	}
	secs[slices.Index(secs, sorted[len(secs)/2])]++ // the median's bucket now holds two values
	clear(at)
	require.False(t, selectByBuckets([]keptPart{{ns: secs}}, len(secs), ranks, at))
	require.Equal(t, make([]time.Duration, len(ranks)), at)
}

// BenchmarkSelectQuantiles: the default percentiles of 2 M durations kept
// in whole milliseconds (blocks), heavy-tailed as response times are.
func BenchmarkSelectQuantiles(b *testing.B) {
	const n = 2 << 20
	xs := lcgDurations(7, n, time.Hour)
	for i, x := range xs {
		// Skewed: most values small, a long tail.
		ms := int64(x / time.Millisecond)
		xs[i] = time.Duration(ms*ms/int64(time.Hour/time.Millisecond)) * time.Millisecond
	}
	d := mustDurations(b, xs, DurationsSettings{})
	qs := d.cfg.quantileList()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		d.selectQuantiles(qs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/value")
}
