package bench

import (
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerateValidAndDeterministic(t *testing.T) {
	const n = 20_000
	a, b := Generate(42, n), Generate(42, n)
	require.Equal(t, a, b, "same seed, same workload")
	total, rated, handoffs := 0, 0, 0
	for _, c := range a {
		require.NoError(t, chatkpi.Validate(c))
		total += len(c.Events)
		for i := range c.Events {
			switch c.Events[i].Type {
			case chatkpi.Rating:
				rated++
			case chatkpi.Handoff:
				handoffs++
			}
		}
	}
	assert.Equal(t, n, total, "exact event count")
	perConv := float64(n) / float64(len(a))
	assert.InDelta(t, 10, perConv, 2.5, "about ten events per conversation")
	assert.InDelta(t, 0.95*0.2*2, float64(rated)/float64(len(a)), 0.06, "a fifth of the answered conversations rate CSAT and NPS")
	assert.Greater(t, handoffs, len(a)/2)
	assert.NotEqual(t, a, Generate(43, n), "another seed, another workload")
}

func TestGenerateResults(t *testing.T) {
	chats := Generate(1, 50_000)
	frt, err := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{})
	require.NoError(t, err)
	var csat chatkpi.CSAT
	var nps chatkpi.NPS
	var vol chatkpi.Volume
	for _, c := range chats {
		require.NoError(t, frt.AddConversation(c))
		require.NoError(t, csat.AddConversation(c))
		require.NoError(t, nps.AddConversation(c))
		require.NoError(t, vol.AddConversation(c))
	}
	fr, err := frt.Result()
	require.NoError(t, err)
	assert.Positive(t, fr.Unanswered)
	assert.Equal(t, int64(len(chats)), fr.Answered+fr.Unanswered)
	cr, err := csat.Result()
	require.NoError(t, err)
	assert.Equal(t, cr.Sent, cr.Responses)
	nr, err := nps.Result()
	require.NoError(t, err)
	assert.Equal(t, cr.Responses, nr.Responses)
	days, err := vol.Result(chatkpi.Day)
	require.NoError(t, err)
	assert.InDelta(t, 91, len(days), 1, "starts spread over about 90 days")
	var conv int64
	for _, d := range days {
		conv += d.Conversations
	}
	assert.Equal(t, int64(len(chats)), conv)
}
