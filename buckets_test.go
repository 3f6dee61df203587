package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every timing metric of a report, a Durations of its own and a timing
// calculator's zero value have the default chat buckets documented on
// DurationsSettings.Buckets (30 s, 1 m, 5 m, 15 m, 1 h, 4 h, 24 h); given
// buckets replace them.
func TestChatBuckets(t *testing.T) {
	labels := func(ts *chatkpi.TimingSummary) []string {
		require.NotNil(t, ts)
		var l []string
		for _, b := range ts.Histogram {
			l = append(l, b.Label)
		}
		return l
	}
	chat := []string{"0–30s", "30–60s", "1–5m", "5–15m", "15–60m", "1–4h", "4–24h", "24h+"}

	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics, ChatDuration: chatkpi.ChatDurationSettings{ActiveGap: time.Minute}})
	require.NoError(t, err)
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	o := &s.Overall
	for name, ts := range map[string]*chatkpi.TimingSummary{
		"frt": o.FirstResponseTime, "human frt": o.HumanFirstResponseTime, "bot frt": o.BotFirstResponseTime,
		"assignment": o.TimeToAssignment, "after assignment": o.FirstResponseAfterAssignment,
		"response": o.ResponseTime, "human response": o.HumanResponseTime, "bot response": o.BotResponseTime,
		"queue": o.QueueWait, "resolution": o.ResolutionTime, "full resolution": o.FullResolution,
		"duration": o.ChatDuration, "active duration": o.ActiveChatDuration,
	} {
		assert.Equal(t, chat, labels(ts), name)
	}

	var zero chatkpi.FirstResponseTime
	require.NoError(t, zero.AddConversation(reportChats()[0]))
	res, err := zero.Result()
	require.NoError(t, err)
	var highs []time.Duration
	for _, b := range res.Stats.Histogram {
		highs = append(highs, b.High)
	}
	assert.Equal(t, []time.Duration{30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour, 0}, highs, "the zero value's")

	r, err = chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.MetricResolutionTime,
		ResolutionTime: chatkpi.ResolutionTimeSettings{Durations: chatkpi.DurationsSettings{Buckets: [chatkpi.MaxBuckets]time.Duration{time.Hour}}}})
	require.NoError(t, err)
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(c))
	}
	s, err = r.Summary()
	require.NoError(t, err)
	assert.Equal(t, []string{"0–1h", "1h+"}, labels(s.Overall.ResolutionTime))
}

// The zero value of every timing calculator is the calculator built from
// zero settings: the two encode alike and merge.
func TestTimingZeroValuesMergeWithDefaults(t *testing.T) {
	chats := reportChats()
	var zf chatkpi.FirstResponseTime
	nf, err := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{})
	require.NoError(t, err)
	var zr chatkpi.ResolutionTime
	nr, err := chatkpi.NewResolutionTime(chatkpi.ResolutionTimeSettings{})
	require.NoError(t, err)
	var zd chatkpi.ChatDuration
	nd, err := chatkpi.NewChatDuration(chatkpi.ChatDurationSettings{})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, zf.AddConversation(c))
		require.NoError(t, nf.AddConversation(c))
		require.NoError(t, zr.AddConversation(c))
		require.NoError(t, nr.AddConversation(c))
		require.NoError(t, zd.AddConversation(c))
		require.NoError(t, nd.AddConversation(c))
	}
	zb, err := zf.MarshalBinary()
	require.NoError(t, err)
	nb, err := nf.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, nb, zb, "first response")
	require.NoError(t, nf.Merge(&zf))
	require.NoError(t, nr.Merge(&zr))
	require.NoError(t, nd.Merge(&zd))
}
