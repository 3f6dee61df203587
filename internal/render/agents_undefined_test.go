package render

import (
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
)

// TestAgentRowsConcurrencyUndefined: an agent whose concurrency a
// streaming report could not measure shows no peak and no busy time, not 0.
func TestAgentRowsConcurrencyUndefined(t *testing.T) {
	m := &chatkpi.MetricsSummary{Agents: []chatkpi.AgentSummary{
		{Agent: "ana", Conversations: 4, Replies: 8, MaxConcurrent: 2, BusySeconds: 600, OpenSeconds: 900},
		{Agent: "bo", Conversations: 3, Replies: 3, OpenSeconds: 300, ConcurrencyUndefined: "out of start order"},
	}}
	rows := agentRows(m, nil)
	assert.Equal(t, "8 replies; concurrency peak 2, mean no data (busy 10m00s)", rows[0].Detail)
	assert.Equal(t, "3 replies; concurrency peak no data, mean no data (busy no data)", rows[1].Detail)
}
