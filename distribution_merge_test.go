package chatkpi

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// Distribution.merge adds the counts, and refuses (changing nothing) exactly
// the merges whose total exceeds MaxInt64, checked against big integers.
func TestDistributionMergeOverflow(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		count := rapid.OneOf(rapid.Int64Range(0, 100), rapid.Int64Range(0, math.MaxInt64),
			rapid.Int64Range(math.MaxInt64/12, math.MaxInt64/10))
		var d, o Distribution
		for s := range d {
			d[s] = count.Draw(t, "d")
		}
		for s := range o {
			o[s] = count.Draw(t, "o")
		}
		// Accumulators hold distributions whose total fits an int64.
		for total(&d).Cmp(big.NewInt(math.MaxInt64)) > 0 {
			d[rapid.IntRange(0, len(d)-1).Draw(t, "halve")] /= 2
		}
		for total(&o).Cmp(big.NewInt(math.MaxInt64)) > 0 {
			o[rapid.IntRange(0, len(o)-1).Draw(t, "halve")] /= 2
		}
		sum := new(big.Int).Add(total(&d), total(&o))
		before := d
		err := d.merge(&o)
		if sum.Cmp(big.NewInt(math.MaxInt64)) > 0 {
			require.Error(t, err)
			require.Equal(t, before, d, "a refused merge changes nothing")
			return
		}
		require.NoError(t, err)
		for s := range d {
			require.Equal(t, before[s]+o[s], d[s])
		}
	})
}

func TestDistributionMergeKnownOverflow(t *testing.T) {
	d := Distribution{5: math.MaxInt64 - 1}
	o := Distribution{9: 2}
	require.ErrorContains(t, d.merge(&o), "merging 9223372036854775806 and 2 responses overflows int64")
	require.Equal(t, Distribution{5: math.MaxInt64 - 1}, d)
	o = Distribution{9: 1}
	require.NoError(t, d.merge(&o))
	require.Equal(t, Distribution{5: math.MaxInt64 - 1, 9: 1}, d)
}

func total(d *Distribution) *big.Int {
	n := new(big.Int)
	for _, c := range d {
		n.Add(n, big.NewInt(c))
	}
	return n
}
