package chatkpi

import (
	"cmp"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// sweepByEdges is the sweep by its definition: every start and end as an
// edge, sorted by instant, an end before a start at the same instant.
func sweepByEdges(spans []span, from, to int64) (peak, open, busy int64) {
	type edge struct{ at, delta int64 }
	var edges []edge
	for _, s := range spans {
		lo, hi := max(s.from, from), min(s.to, to)
		if lo < hi {
			edges = append(edges, edge{lo, 1}, edge{hi, -1})
			open += hi - lo
		}
	}
	slices.SortFunc(edges, func(x, y edge) int {
		return cmp.Or(cmp.Compare(x.at, y.at), cmp.Compare(x.delta, y.delta))
	})
	var n, since int64
	for _, e := range edges {
		if n == 0 && e.delta > 0 {
			since = e.at
		}
		n += e.delta
		peak = max(peak, n)
		if n == 0 {
			busy += e.at - since
		}
	}
	return peak, open, busy
}

// sweepSpans, which sorts starts and ends apart, agrees with the sweep of
// sorted edges, with touching, nested, equal and clipped intervals.
func TestSweepSpansMatchesEdgesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{0, 1, 2, 7, 60, radixMin, 2 * radixMin}).Draw(t, "n") // radix-sorted from radixMin
		spans := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) span {
			from := rapid.Int64Range(-20, 20).Draw(t, "from")
			return span{from, from + rapid.Int64Range(0, 15).Draw(t, "length")}
		}), n, n).Draw(t, "spans")
		from, to := int64(math.MinInt64), int64(math.MaxInt64)
		if rapid.Bool().Draw(t, "clip") {
			from = rapid.Int64Range(-25, 25).Draw(t, "clip from")
			to = from + rapid.Int64Range(0, 30).Draw(t, "clip length")
		}
		buf := make([]int64, rapid.IntRange(0, 200).Draw(t, "buf"))
		peak, open, busy, _ := sweepSpans(spans, from, to, buf)
		wp, wo, wb := sweepByEdges(spans, from, to)
		require.Equal(t, [3]int64{wp, wo, wb}, [3]int64{peak, open, busy})
	})
}

// radixSort sorts any int64s, negative ones too, as a comparison sort does.
func TestRadixSortInt64sProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{0, 1, 3, radixMin, 3 * radixMin}).Draw(t, "n")
		v := rapid.SliceOfN(rapid.OneOf(rapid.Int64(), rapid.Int64Range(-300, 300),
			rapid.SampledFrom([]int64{math.MinInt64, math.MaxInt64, 0, -1})), n, n).Draw(t, "v")
		want := slices.Clone(v)
		slices.Sort(want)
		var scratch []int64
		if rapid.Bool().Draw(t, "scratch") {
			scratch = make([]int64, len(v))
		}
		radixSort(v, scratch)
		require.Equal(t, want, v)
	})
}
