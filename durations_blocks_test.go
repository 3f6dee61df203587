package chatkpi

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// lcgDurations returns n pseudo-random durations below limit from seed, with
// runs of equal values when limit is small.
func lcgDurations(seed uint64, n int, limit time.Duration) []time.Duration {
	xs := make([]time.Duration, n)
	for i := range xs {
		seed = seed*6364136223846793005 + 1442695040888963407
		xs[i] = time.Duration((seed >> 1) % uint64(limit))
	}
	return xs
}

// A store of several blocks, read (Result selects in place, within each
// block) between adds and merges, gives what a store that got every value
// at once gives, and so do its encoding and the store decoded from it.
func TestDurationsBlocksReadsBetweenAddsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(durationBlock+1, 3*durationBlock+5).Draw(t, "n")
		limit := time.Duration(rapid.SampledFrom([]int64{3, 1000, int64(time.Hour)}).Draw(t, "limit"))
		xs := lcgDurations(rapid.Uint64().Draw(t, "seed"), n, limit)
		if rapid.Bool().Draw(t, "whole ms") { // blocks in ms, but for one value
			for i := range xs {
				xs[i] *= time.Millisecond
			}
			if rapid.Bool().Draw(t, "one in ns") {
				xs[rapid.IntRange(0, n-1).Draw(t, "at")]++
			}
		}
		s := DurationsSettings{SLA: [8]time.Duration{limit / 2}, Quantiles: [8]float64{0.5, 0.9, 0.95, 0.99, 0.999}}
		whole := mustDurations(t, xs, s)
		d, err := NewDurations(s)
		require.NoError(t, err)
		reads := rapid.SliceOfN(rapid.IntRange(1, n-1), 1, 6).Draw(t, "reads at")
		slices.Sort(reads)
		for i := 0; i < n; {
			if len(reads) > 0 && reads[0] == i {
				reads = reads[1:]
				_, err := d.Result()
				require.NoError(t, err)
				if rapid.Bool().Draw(t, "merge a chunk") {
					k := min(n-i, rapid.IntRange(1, durationBlock+10).Draw(t, "chunk"))
					require.NoError(t, d.Merge(mustDurations(t, xs[i:i+k], s)))
					i += k
					continue
				}
			}
			require.NoError(t, d.Add(xs[i]))
			i++
		}
		require.Greater(t, len(d.blocks), 0, "the values fill several blocks")
		want, err := whole.Result()
		require.NoError(t, err)
		for range 2 { // a second read of the reordered values too
			got, err := d.Result()
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		for _, p := range want.Quantiles {
			require.Equal(t, quantileSorted(sorted, p.Q), p.Value, "q %v", p.Q)
		}
		b, err := d.MarshalBinary()
		require.NoError(t, err)
		bw, _ := whole.MarshalBinary()
		require.Equal(t, bw, b)
		var back Durations
		require.NoError(t, back.UnmarshalBinary(b))
		got, err := back.Result()
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}

// Spare capacity stays within one block per store once it holds a block,
// and whole milliseconds take 4 bytes each.
func TestDurationsBlocksBoundSpareCapacity(t *testing.T) {
	for _, c := range []struct {
		unit    time.Duration
		perByte int // bytes per value in a full block
	}{{1, 8}, {time.Millisecond, 4}, {time.Second, 4}} {
		var d Durations
		n := 5*durationBlock + 7
		for i := range n {
			require.NoError(t, d.Add(time.Duration(i)*c.unit))
		}
		bytes := 8 * cap(d.values)
		for _, b := range d.blocks {
			bytes += 8*cap(b.ns) + 4*cap(b.ms)
		}
		require.Len(t, d.blocks, 5, "unit %v", c.unit)
		require.LessOrEqual(t, bytes, c.perByte*5*durationBlock+8*durationBlock, "unit %v", c.unit)
		r, err := d.Result()
		require.NoError(t, err)
		require.Equal(t, time.Duration(n-1)*c.unit, r.Max)
		require.Equal(t, time.Duration(n-1)*c.unit/2, r.Quantiles[0].Value, "p50, unit %v", c.unit)
	}
}

// A Durations that borrows the values of the groups merged into it reads
// as one that copies them; reading it reorders the groups' values, which
// their own results, later adds and encodings do not see.
func TestDurationsBorrowEqualsCopyProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := DurationsSettings{Quantiles: [8]float64{0.5, 0.9, 0.99}}
		k := rapid.IntRange(1, 5).Draw(t, "groups")
		groups := make([]*Durations, k)
		fresh := make([]*Durations, k) // the same values, never borrowed
		for i := range groups {
			n := rapid.SampledFrom([]int{0, 1, 40, 100, durationBlock + 100}).Draw(t, "n")
			xs := lcgDurations(rapid.Uint64().Draw(t, "seed"), n, time.Duration(rapid.Int64Range(1, int64(time.Hour)).Draw(t, "limit")))
			if rapid.Bool().Draw(t, "whole ms") {
				for j := range xs {
					xs[j] = xs[j] / time.Millisecond * time.Millisecond
				}
			}
			groups[i], fresh[i] = mustDurations(t, xs, s), mustDurations(t, xs, s)
			if rapid.Bool().Draw(t, "sorted before") {
				_, _ = groups[i].Quantile(0.5)
			}
		}
		for round := range 2 {
			borrowed, copied := &Durations{cfg: groups[0].cfg}, &Durations{cfg: groups[0].cfg}
			borrowed.borrowValues()
			for i := range groups {
				require.NoError(t, borrowed.Merge(groups[i]))
				require.NoError(t, copied.Merge(fresh[i]))
			}
			want, errWant := copied.Result()
			got, err := borrowed.Result()
			require.Equal(t, errWant, err)
			require.Equal(t, want, got, "round %d", round)
			for i := range groups {
				want, errWant := fresh[i].Result()
				got, err := groups[i].Result()
				require.Equal(t, errWant, err)
				require.Equal(t, want, got)
				bw, _ := fresh[i].MarshalBinary()
				bg, _ := groups[i].MarshalBinary()
				require.Equal(t, bw, bg)
				x := time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "more"))
				require.NoError(t, groups[i].Add(x))
				require.NoError(t, fresh[i].Add(x))
			}
		}
	})
}

// selectParts finds the ranks of the values of many parts, however they
// are split, as sorting them all does.
func TestSelectPartsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		limit := time.Duration(rapid.SampledFrom([]int64{2, 50, int64(time.Hour)}).Draw(t, "limit"))
		lens := rapid.SliceOfN(rapid.IntRange(1, 3000), 1, 40).Draw(t, "lens")
		parts, all := drawKeptParts(t, lens, limit)
		slices.Sort(all)
		ranks := rapid.SliceOfNDistinct(rapid.IntRange(0, len(all)-1), 1, 10, rapid.ID[int]).Draw(t, "ranks")
		slices.Sort(ranks)
		at := make([]time.Duration, len(ranks))
		selectParts(parts, len(all), ranks, at)
		for i, k := range ranks {
			require.Equal(t, all[k], at[i], "rank %d", k)
		}
	})
}

// Once read, a borrowing Durations answers from its kept result: the
// stores it borrowed from may be read (and reordered) at the same time
// (the race detector watches), and a value added to it is counted.
func TestDurationsBorrowedReadOnceThenConcurrent(t *testing.T) {
	s := DurationsSettings{}
	groups := make([]*Durations, 3)
	view, copied := &Durations{}, &Durations{}
	view.borrowValues()
	for i := range groups {
		groups[i] = mustDurations(t, lcgDurations(uint64(i), 2*durationBlock, time.Hour), s)
		require.NoError(t, view.Merge(groups[i]))
		require.NoError(t, copied.Merge(groups[i]))
	}
	want, err := copied.Result()
	require.NoError(t, err)
	got, err := view.Result()
	require.NoError(t, err)
	require.Equal(t, want, got)
	done := make(chan DurationStats)
	for _, g := range groups {
		go func() {
			r, _ := g.Result()
			done <- r
		}()
	}
	again, err := view.Result()
	require.NoError(t, err)
	require.Equal(t, want, again)
	for range groups {
		<-done
	}
	require.NoError(t, view.Add(time.Hour))
	require.NoError(t, copied.Add(time.Hour))
	want, _ = copied.Result()
	got, _ = view.Result()
	require.Equal(t, want, got, "counted after the kept result")
}

// drawKeptParts draws parts of the given lengths of durations below limit,
// each in nanoseconds or in whole milliseconds (up to 2³² − 1 ms), and
// returns them and all their values, in order.
func drawKeptParts(t *rapid.T, lens []int, limit time.Duration) (parts []keptPart, all []time.Duration) {
	seed := rapid.Uint64().Draw(t, "seed")
	for i, n := range lens {
		p := lcgDurations(seed+uint64(i), n, limit)
		if rapid.Bool().Draw(t, "in ms") {
			ms := make([]uint32, n)
			for j, x := range p {
				ms[j] = uint32(x) | uint32(x>>32)
				p[j] = time.Duration(ms[j]) * time.Millisecond
			}
			parts = append(parts, keptPart{ms: ms})
		} else {
			parts = append(parts, keptPart{ns: p})
		}
		all = append(all, p...)
	}
	return parts, all
}
