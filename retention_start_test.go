package chatkpi

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCheckCustomerStartBounds: retention takes a start from the first to
// the last instant of Unix nanoseconds, to the nanosecond, whatever the
// zone, and names the conversation and the start otherwise.
func TestCheckCustomerStartBounds(t *testing.T) {
	lo, hi := time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)
	east := time.FixedZone("east", 14*3600)
	for _, tc := range []struct {
		start time.Time
		ok    bool
	}{
		{lo, true}, {lo.In(east), true}, {lo.Add(-time.Nanosecond), false}, {lo.Add(-time.Second), false},
		{lo.Add(time.Second), true}, {hi, true}, {hi.In(east), true}, {hi.Add(time.Nanosecond), false},
		{hi.Add(-time.Second), true}, {hi.Add(time.Second), false}, {time.Time{}, false},
		{time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), true}, {time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		err := checkCustomerStart(&Info{ID: "c1"}, tc.start)
		if tc.ok {
			require.NoError(t, err, tc.start)
			continue
		}
		var ie *InputError
		require.ErrorAs(t, err, &ie, tc.start)
		require.Equal(t, "c1", ie.Conversation)
		require.Equal(t, "start", ie.Field)
	}
}
