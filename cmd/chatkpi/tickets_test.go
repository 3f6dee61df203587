package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticketLines is a pending, on-hold and resolved ticket (t1: requester wait
// 180 min, agent wait 60 min, on hold 120 min, one touch) and a one-touch
// chat (t2: 2 min, never pending).
const ticketLines = `{"conversation":"t1","customer":"c1","time":"2026-11-23T09:00:00Z","role":"customer","type":"message"}
{"conversation":"t1","time":"2026-11-23T09:10:00Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"t1","time":"2026-11-23T09:20:00Z","role":"agent","type":"pending","agent":"ana"}
{"conversation":"t1","time":"2026-11-23T10:20:00Z","role":"customer","type":"message"}
{"conversation":"t1","time":"2026-11-23T10:30:00Z","role":"agent","type":"on_hold","agent":"ana"}
{"conversation":"t1","time":"2026-11-23T12:30:00Z","role":"system","type":"opened"}
{"conversation":"t1","time":"2026-11-23T13:00:00Z","role":"agent","type":"resolved","agent":"ana"}
{"conversation":"t2","customer":"c2","priority":"high","time":"2026-11-23T09:00:00Z","role":"customer","type":"message"}
{"conversation":"t2","time":"2026-11-23T09:01:00Z","role":"agent","type":"message","agent":"bob"}
{"conversation":"t2","time":"2026-11-23T09:02:00Z","role":"agent","type":"resolved","agent":"bob"}
`

func TestTicketMetrics(t *testing.T) {
	in := writeFile(t, "tickets.jsonl", ticketLines)
	s := summaryOf(t, "", "-period", "none", "-metrics", "wait_times,touches", in)
	w := s.Overall.WaitTimes
	require.NotNil(t, w)
	assert.Equal(t, 180.0*60, *w.RequesterWaitTime.MaxSeconds)
	assert.Equal(t, 2.0*60, *w.RequesterWaitTime.MinSeconds)
	assert.Equal(t, 60.0*60, *w.AgentWaitTime.MaxSeconds)
	assert.Equal(t, 120.0*60, *w.OnHoldTime.MaxSeconds)
	require.NotNil(t, s.Overall.Touches)
	assert.Equal(t, int64(2), s.Overall.Touches.OneTouch.Count)
	assert.Equal(t, int64(2), s.Overall.Touches.FirstContactResolution.Count)

	// Business hours from -calendar: open 10:00–12:00 on Mondays. The
	// pending 09:20–10:20 has 20 min open, the on hold 10:30–12:30 90 min.
	cal := writeFile(t, "cal.json", `{"time_zone":"UTC","hours":{"monday":[["10:00","12:00"]]}}`)
	b := summaryOf(t, "", "-period", "none", "-metrics", "wait_times", "-calendar", cal, in)
	assert.Equal(t, "business", b.TimeBasis)
	assert.Equal(t, 20.0*60, *b.Overall.WaitTimes.AgentWaitTime.MaxSeconds)
	assert.Equal(t, 90.0*60, *b.Overall.WaitTimes.OnHoldTime.MaxSeconds)

	// The table, the CSV and the page show them; without the metrics they
	// are absent.
	for format, want := range map[string][]string{
		"table": {"requester wait", "agent wait (pending)", "one-touch resolution", "first-contact resolution"},
		"csv":   {"wait_times,requester_wait_time.p50_seconds,", "touches,first_contact_resolution.percent,", "wait_times,pending_conversations,"},
		"html":  {"requester wait", "first-contact resolution"},
	} {
		res := runCmd(t, "", "-period", "none", "-metrics", "wait_times,touches", "-format", format, in)
		require.Equal(t, 0, res.code, res.stderr)
		for _, w := range want {
			assert.Contains(t, res.stdout, w, format)
		}
		plain := runCmd(t, "", "-period", "none", "-format", format, in)
		require.Equal(t, 0, plain.code, plain.stderr)
		for _, w := range want {
			assert.NotContains(t, plain.stdout, w, format)
		}
	}
	assert.True(t, strings.Contains(runCmd(t, "", "-h").stderr, "wait_times"), "-metrics lists the ticket metrics")
}
