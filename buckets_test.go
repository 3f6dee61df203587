package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every timing metric of a report has the chat buckets documented on
// DurationsSettings.Buckets by default; a Durations of its own keeps
// 1h, 4h, 8h, 24h; given buckets replace the default.
func TestChatBuckets(t *testing.T) {
	labels := func(ts *chatkpi.TimingSummary) []string {
		require.NotNil(t, ts)
		var l []string
		for _, b := range ts.Histogram {
			l = append(l, b.Label)
		}
		return l
	}
	reply := []string{"0–30s", "30–60s", "1–2m", "2–5m", "5–15m", "15–60m", "1h+"}
	resolution := []string{"0–5m", "5–15m", "15–60m", "1–4h", "4–24h", "24–72h", "72h+"}
	duration := []string{"0–1m", "1–5m", "5–15m", "15–30m", "30–60m", "1–4h", "4h+"}

	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics, ChatDuration: chatkpi.ChatDurationSettings{ActiveGap: time.Minute}})
	require.NoError(t, err)
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	o := &s.Overall
	for name, c := range map[string]struct {
		ts   *chatkpi.TimingSummary
		want []string
	}{
		"frt": {o.FirstResponseTime, reply}, "human frt": {o.HumanFirstResponseTime, reply}, "bot frt": {o.BotFirstResponseTime, reply},
		"assignment": {o.TimeToAssignment, reply}, "after assignment": {o.FirstResponseAfterAssignment, reply},
		"response": {o.ResponseTime, reply}, "human response": {o.HumanResponseTime, reply}, "bot response": {o.BotResponseTime, reply},
		"queue": {o.QueueWait, reply}, "resolution": {o.ResolutionTime, resolution}, "full resolution": {o.FullResolution, resolution},
		"duration": {o.ChatDuration, duration}, "active duration": {o.ActiveChatDuration, duration},
	} {
		assert.Equal(t, c.want, labels(c.ts), name)
	}

	d, err := chatkpi.NewDurations(chatkpi.DurationsSettings{})
	require.NoError(t, err)
	require.NoError(t, d.Add(90*time.Minute))
	res, err := d.Result()
	require.NoError(t, err)
	var highs []time.Duration
	for _, b := range res.Histogram {
		highs = append(highs, b.High)
	}
	assert.Equal(t, []time.Duration{time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour, 0}, highs, "a bare Durations: 1h, 4h, 8h, 24h")

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
