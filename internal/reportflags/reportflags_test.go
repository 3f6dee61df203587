package reportflags

import (
	"errors"
	"flag"
	"io"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, args ...string) (chatkpi.ReportSettings, error) {
	t.Helper()
	var f Flags
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.Register(fs)
	require.NoError(t, fs.Parse(args))
	return f.ReportSettings()
}

// Without flags the settings are the report's defaults, cut by month in UTC
// and with -ces-scale's default written out.
func TestDefaults(t *testing.T) {
	rs, err := parse(t)
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Month, rs.Period)
	assert.Equal(t, time.UTC, rs.Periods.Location())
	assert.Equal(t, time.Monday, rs.Periods.WeekStart())
	assert.Equal(t, chatkpi.DefaultMaxGroups, rs.MaxGroups)
	assert.Equal(t, chatkpi.Scale{}, rs.CSAT.Scale, "-csat-scale not given: the report's default")
	assert.Equal(t, chatkpi.CESAgreement7, rs.CES.Scale)
	assert.False(t, rs.FirstResponse.Durations.Streaming)
	// DefaultSLA; the buckets are the library's defaults (no entry).
	m := time.Minute
	assert.Equal(t, [chatkpi.MaxSLATargets]time.Duration{m}, rs.FirstResponse.Durations.SLA)
	assert.Equal(t, [chatkpi.MaxSLATargets]time.Duration{m}, rs.ResponseTime.Durations.SLA)
	assert.Equal(t, [chatkpi.MaxSLATargets]time.Duration{24 * time.Hour}, rs.ResolutionTime.Durations.SLA)
	assert.Zero(t, rs.ChatDuration.Durations.SLA)
	assert.Equal(t, [chatkpi.MaxSLATargets]time.Duration{m}, rs.QueueWait.Durations.SLA)
	for _, d := range timingSettings(&rs) {
		assert.Zero(t, d.Buckets)
	}
	_, err = chatkpi.NewReport(rs)
	require.NoError(t, err)
}

// Given flags reach their settings; -tz is the periods' zone, which the
// Chatwoot command also reads its -since and -until dates in.
func TestFlags(t *testing.T) {
	rs, err := parse(t, "-tz", "Europe/Berlin", "-week-start", "sun", "-period", "none", "-mode", "streaming",
		"-accuracy", "0.02", "-max-bins", "512", "-frt-human-only", "-sla", "queue=30s,2m", "-percentiles", "75,99")
	require.NoError(t, err)
	assert.Equal(t, "Europe/Berlin", rs.Periods.Location().String())
	assert.Equal(t, time.Sunday, rs.Periods.WeekStart())
	assert.True(t, rs.FirstResponse.HumanOnly)
	for _, d := range timingSettings(&rs) {
		assert.True(t, d.Streaming)
		assert.Equal(t, 0.02, d.RelativeAccuracy)
		assert.Equal(t, 512, d.MaxBins)
		assert.Equal(t, 0.75, d.Quantiles[0])
		assert.Zero(t, d.Quantiles[1], "p99 is always reported")
	}
	assert.Equal(t, 30*time.Second, rs.QueueWait.Durations.SLA[0])
	assert.Equal(t, 2*time.Minute, rs.QueueWait.Durations.SLA[1])
	assert.Zero(t, rs.FirstResponse.Durations.SLA[0], "-sla names queue only: no FRT target")

	_, err = parse(t, "-format", "pdf")
	var ue *UsageError
	require.True(t, errors.As(err, &ue), "%v", err)
	assert.Equal(t, `-format: "pdf" is not table, json, csv, html, conversations or conversations-jsonl`, err.Error())
}
