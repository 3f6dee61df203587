package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handoffEvents is the scenario: customer +0 s, bot +5 s, handoff
// +20 s, agent +62 s, then a customer reply 30 min later and a rating.
const handoffEvents = `{"conversation":"h1","time":"2026-11-23T09:00:00Z","role":"customer","type":"message"}
{"conversation":"h1","time":"2026-11-23T09:00:05Z","role":"bot","type":"message"}
{"conversation":"h1","time":"2026-11-23T09:00:20Z","role":"bot","type":"handoff"}
{"conversation":"h1","time":"2026-11-23T09:01:02Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"h1","time":"2026-11-23T09:31:02Z","role":"customer","type":"message"}
{"conversation":"h1","time":"2026-11-23T09:31:10Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"h1","time":"2026-11-23T09:32:00Z","role":"customer","type":"rating","survey":"csat","score":2}
`

// Every setting of a calculator is a flag: each flag reaches the metric's
// settings under the same name.
func TestMetricSettingsFlags(t *testing.T) {
	s := summaryOf(t, handoffEvents, "-")
	require.NotNil(t, s.Overall.FirstResponseTime)
	assert.Equal(t, 5.0, *s.Overall.FirstResponseTime.MeanSeconds, "the bot's reply by default")
	assert.Equal(t, 6.5, *s.Overall.ResponseTime.MeanSeconds, "bot 5 s and agent 8 s")
	assert.Equal(t, 1870.0, *s.Overall.ChatDuration.MeanSeconds)
	assert.Nil(t, s.Overall.ActiveChatDuration, "no active gap: active = full")
	assert.Equal(t, int64(1), s.Overall.CSAT.Responses)
	require.Len(t, s.Overall.FirstResponseTime.SLA, 1, "the default -sla: first_response_time=1m")
	assert.Equal(t, 60.0, s.Overall.FirstResponseTime.SLA[0].TargetSeconds)
	assert.Equal(t, int64(1), s.Overall.FirstResponseTime.SLA[0].Count, "the bot's 5 s")
	assert.Empty(t, s.Overall.ChatDuration.SLA)
	require.Len(t, s.Overall.FirstResponseTime.Histogram, 7, "the chat buckets of the reply times")
	assert.Equal(t, "0–30s", s.Overall.FirstResponseTime.Histogram[0].Label)
	assert.Equal(t, int64(1), s.Overall.FirstResponseTime.Histogram[0].Count)

	s = summaryOf(t, handoffEvents, "-frt-start", "handoff", "-frt-human-only", "-sla", "frt=30s,1m",
		"-buckets", "frt=10s,1m", "-response-human-only", "-active-gap", "5m", "-metrics",
		"first_response_time,response_time,chat_duration,csat", "-csat-dissatisfied-below", "2", "-")
	frt := s.Overall.FirstResponseTime
	assert.Equal(t, 42.0, *frt.MeanSeconds, "human FRT from the handoff")
	require.Len(t, frt.SLA, 2)
	assert.Equal(t, 30.0, frt.SLA[0].TargetSeconds)
	assert.Equal(t, int64(0), frt.SLA[0].Count)
	assert.Equal(t, int64(1), frt.SLA[1].Count)
	require.Len(t, frt.Histogram, 3)
	assert.Equal(t, []int64{0, 1, 0}, []int64{frt.Histogram[0].Count, frt.Histogram[1].Count, frt.Histogram[2].Count})
	assert.Equal(t, 35.0, *s.Overall.ResponseTime.MeanSeconds, "agent 62 s and 8 s")
	assert.Equal(t, 1870.0, *s.Overall.ChatDuration.MeanSeconds)
	require.NotNil(t, s.Overall.ActiveChatDuration)
	assert.Equal(t, 70.0, *s.Overall.ActiveChatDuration.MeanSeconds, "gaps of 5 s, 57 s and 8 s; not the 30 min one")
	require.NotNil(t, s.Overall.CSAT)
	assert.Equal(t, 0.0, s.Overall.CSAT.Percent)
	assert.Nil(t, s.Overall.QueueWait, "not among -metrics")
	assert.Nil(t, s.Overall.NPS)

	for _, tc := range []struct{ args []string }{
		{[]string{"-frt-start", "first-message"}},
		{[]string{"-sla", "frt=1m,soon"}},
		{[]string{"-sla", "frtt=1m"}},
		{[]string{"-buckets", "queue=1h,1m"}},
		{[]string{"-sla", "resolution=1s,2s,3s,4s,5s,6s,7s,8s,9s"}},
		{[]string{"-active-gap", "-1s"}},
		{[]string{"-metrics", "speed"}},
		{[]string{"-as-of", "yesterday"}},
		{[]string{"-csat-dissatisfied-below", "6"}},
	} {
		res := runCmd(t, handoffEvents, append(tc.args, "-")...)
		assert.Equal(t, 2, res.code, "%v: %s", tc.args, res.stderr)
	}
}
