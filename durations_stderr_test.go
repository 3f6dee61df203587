package chatkpi

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The integer fast path of the standard error gives math/big's result
// whenever it answers, and answers for the durations of chats.
func TestStdErrFastMatchesBigProperty(t *testing.T) {
	answered := 0
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(rapid.OneOf(
			durationGen(),
			rapid.Custom(func(t *rapid.T) time.Duration { // near overflowing the fast path
				return time.Duration(rapid.Int64Range(0, math.MaxInt64).Draw(t, "any"))
			}),
		), 2, 50).Draw(t, "xs")
		d := mustDurations(t, xs, DurationsSettings{})
		for range rapid.IntRange(0, 3).Draw(t, "doublings") { // larger n and sums
			require.NoError(t, d.Merge(mustDurations(t, xs, DurationsSettings{})))
		}
		d.fold()
		fast, ok := d.stdErrFast()
		if ok {
			answered++
			require.Equal(t, d.stdErrBig(), fast, "n %d", d.n)
		}
	})
	require.Greater(t, answered, 50, "the fast path answers most of the time")
}

// SE of two durations a ≤ b is (b − a)/2; with b − a odd it is a half
// nanosecond, where the fast path leaves it to math/big, which rounds half
// away from zero.
func TestStdErrHalfNanosecond(t *testing.T) {
	for _, c := range []struct {
		a, b, want time.Duration
	}{
		{0, 3, 2},
		{0, 4, 2},
		{time.Second, time.Second + 3e9 + 1, 1500000001},
		{7, 7 + 2*time.Hour + 1, time.Hour + 1},
	} {
		d := mustDurations(t, []time.Duration{c.a, c.b}, DurationsSettings{})
		got, err := d.stdErr()
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%v, %v", c.a, c.b)
		d.fold()
		_, ok := d.stdErrFast()
		require.Equal(t, (c.b-c.a)%2 == 0, ok, "a half nanosecond falls back")
	}
}

// A rank's fraction is the float64 nearest to num/den, as big.Rat gives
// it, with or without math/big.
func TestQuantileRankFractionProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(1, maxDecimalPlaces64).Draw(t, "decimal places")
		den := pow10(k)
		r := quantileRank{num: rapid.Uint64Range(0, den-1).Draw(t, "num"), den: den}
		want, _ := new(big.Rat).SetFrac(new(big.Int).SetUint64(r.num), new(big.Int).SetUint64(r.den)).Float64()
		require.Equal(t, want, r.fraction(), "%d/%d", r.num, r.den)
	})
}
