package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// Reads, merges and encodings between adds (which sort or select the kept
// values in place) give what adding everything first gives.
func TestDurationsReadsBetweenAddsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(durationGen(), 1, 200).Draw(t, "xs")
		opts := DurationsSettings{SLA: [8]time.Duration{time.Minute, time.Hour}}
		whole := mustDurations(t, xs, opts)
		d, err := NewDurations(opts)
		require.NoError(t, err)
		for i, x := range xs {
			switch rapid.IntRange(0, 6).Draw(t, "read") {
			case 0:
				_, _ = d.Result()
			case 1:
				_, _ = d.mean()
			case 2:
				_, _ = d.Within(time.Minute)
			case 3:
				_, _ = d.Quantile(0.5)
			case 4:
				_, _ = d.MarshalBinary()
			case 5: // merge the next value in from another store
				o, err := NewDurations(opts)
				require.NoError(t, err)
				require.NoError(t, o.Add(x))
				require.NoError(t, d.Merge(o))
				continue
			}
			require.NoError(t, d.Add(x), "value %d", i)
		}
		rw, err := whole.Result()
		require.NoError(t, err)
		rd, err := d.Result()
		require.NoError(t, err)
		require.Equal(t, rw, rd)
		bw, _ := whole.MarshalBinary()
		bd, _ := d.MarshalBinary()
		require.Equal(t, bw, bd)
	})
}
