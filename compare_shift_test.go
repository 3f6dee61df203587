package chatkpi_test

import (
	"math"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestCompareDurationsShift pins the Hodges–Lehmann shift and interval of
// small samples computed by hand. A = {10, 20} s, B = {1, 2, 3} s: the
// differences are 7, 8, 9, 17, 18, 19; the median (9 + 17) / 2 = 13; σ² =
// 2 × 3 / 12 × 6 = 3, k = ⌊3 − 1.96 × 1.732⌋ < 1, so k = 1: [7, 19].
func TestCompareDurationsShift(t *testing.T) {
	s := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Second
		}
		return out
	}
	for _, tc := range []struct {
		name             string
		a, b             []time.Duration
		shift, low, high time.Duration
	}{
		{"even count", s(10, 20), s(1, 2, 3), 13 * time.Second, 7 * time.Second, 19 * time.Second},
		{"odd count", s(5), s(1, 2, 4), 3 * time.Second, 1 * time.Second, 4 * time.Second},
		{"identical", s(3, 3, 3), s(3, 3), 0, 0, 0},
		// Half a nanosecond rounds away from zero: (−1 + −2) / 2 = −1.5 ns.
		{"half away from zero", []time.Duration{0}, []time.Duration{1, 2}, -2, -2, -1},
		{"half away from zero, positive", []time.Duration{1, 2}, []time.Duration{0}, 2, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := chatkpi.CompareDurations(tc.a, tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.shift, r.Shift)
			assert.Equal(t, tc.low, r.ShiftLow)
			assert.Equal(t, tc.high, r.ShiftHigh)
		})
	}
}

// TestCompareDurationsShiftBruteForce checks the binary-search order
// statistics against sorting every difference, with k computed from the
// tie-corrected σ of U.
func TestCompareDurationsShiftBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.SliceOfN(rapid.Int64Range(0, 50), 1, 25)
		if rapid.Bool().Draw(t, "huge") {
			gen = rapid.SliceOfN(rapid.Int64Range(0, math.MaxInt64), 1, 25)
		}
		ai, bi := gen.Draw(t, "a"), gen.Draw(t, "b")
		a, b := make([]time.Duration, len(ai)), make([]time.Duration, len(bi))
		for i, x := range ai {
			a[i] = time.Duration(x)
		}
		for i, x := range bi {
			b[i] = time.Duration(x)
		}
		r, err := chatkpi.CompareDurations(a, b)
		require.NoError(t, err)
		var d []time.Duration
		for _, x := range a {
			for _, y := range b {
				d = append(d, x-y)
			}
		}
		slices.Sort(d)
		n := len(d)
		want := d[n/2]
		if n%2 == 0 { // the mean of the middle two, half away from zero
			sum := new(big.Int).Add(big.NewInt(int64(d[n/2-1])), big.NewInt(int64(d[n/2])))
			q, m := new(big.Int).QuoRem(sum, big.NewInt(2), new(big.Int))
			q.Add(q, m) // m is −1, 0 or 1: away from zero
			want = time.Duration(q.Int64())
		}
		assert.Equal(t, want, r.Shift, "shift")

		all := slices.Sorted(slices.Values(append(slices.Clone(a), b...)))
		var ties float64
		for i := 0; i < len(all); {
			j := i
			for j < len(all) && all[j] == all[i] {
				j++
			}
			tt := float64(j - i)
			ties += tt*tt*tt - tt
			i = j
		}
		na, nb, N := float64(len(a)), float64(len(b)), float64(len(a)+len(b))
		sd := math.Sqrt(max(0, na*nb/12*((N+1)-ties/(N*(N-1)))))
		k := max(1, int(math.Floor(float64(n)/2-chatkpi.Z95*sd)))
		assert.Equal(t, d[k-1], r.ShiftLow, "D(k), k = %d", k)
		assert.Equal(t, d[n-k], r.ShiftHigh, "D(N+1−k), k = %d", k)
	})
}
