package reportflags

import (
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTicketFlags(t *testing.T) {
	rs, err := parse(t, "-priorities", "urgent, high,normal,low", "-metrics", "wait_times,touches", "-percentiles", "75",
		"-mode", "streaming", "-max-bins", "512")
	require.NoError(t, err)
	assert.Equal(t, [chatkpi.MaxPriorities]string{"urgent", "high", "normal", "low"}, rs.Priorities)
	assert.Equal(t, chatkpi.MetricWaitTimes|chatkpi.MetricTouches, rs.Metrics)
	assert.Equal(t, 0.75, rs.WaitTimes.Durations.Quantiles[0], "-percentiles applies to the wait times")
	assert.True(t, rs.WaitTimes.Durations.Streaming)
	assert.Equal(t, 512, rs.WaitTimes.Durations.MaxBins)
	_, err = chatkpi.NewReport(rs)
	require.NoError(t, err)

	for _, bad := range [][]string{
		{"-priorities", "a,b,c,d,e,f,g,h,i"},
		{"-priorities", "high,,low"},
	} {
		_, err := parse(t, bad...)
		var u *UsageError
		assert.ErrorAs(t, err, &u, "%v", bad)
	}
}
