package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueueWait(t *testing.T) {
	q, err := NewQueueWait(QueueWaitSettings{})
	require.NoError(t, err)
	for _, c := range []*Chat{
		// Queued at 5, agent joins at 65: wait 60 s, served.
		tchat("1", tev(0, Customer, Message), tev(5, System, Queued), tev(65, Agent, Joined), tev(70, Agent, Message)),
		// Never queued: wait from the first customer message to the agent reply.
		tchat("2", tev(0, Customer, Message), tev(30, Agent, Message)),
		// Escalated by the bot: wait from the handoff.
		tchat("3", tev(0, Customer, Message), tev(1, Bot, Message), tev(20, Bot, Handoff), tev(140, Agent, Message)),
		// Left the queue: abandoned, no wait.
		tchat("4", tev(0, Customer, Message), tev(1, System, Queued), tev(90, Customer, Left), tev(100, Agent, Joined)),
		// Queue and conversation ended without an agent: abandoned.
		tchat("5", tev(0, Customer, Message), tev(1, System, Queued)),
		// Agent joined, customer left before the agent wrote: wait and abandoned.
		tchat("6", tev(0, System, Queued), tev(10, Agent, Joined), tev(20, Customer, Left)),
		// Bot served it alone: never waited for an agent.
		tchat("7", tev(0, Customer, Message), tev(1, Bot, Message)),
		// No customer message, never queued: not waiting.
		tchat("8", tev(0, Agent, Message)),
	} {
		require.NoError(t, q.AddConversation(c))
	}
	r, err := q.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(6), r.Waited)
	assert.Equal(t, int64(3), r.Abandoned)
	assert.Equal(t, int64(2), r.Unserved)
	assert.Equal(t, int64(2), r.NotWaiting)
	assert.Equal(t, Proportion{3, 6}, r.AbandonmentRate())
	q.stats.sortValues()
	assert.Equal(t, []time.Duration{10 * time.Second, 30 * time.Second, 60 * time.Second, 120 * time.Second}, q.stats.values)

	b, err := q.MarshalBinary()
	require.NoError(t, err)
	var back QueueWait
	require.NoError(t, back.UnmarshalBinary(b))
	r2, err := back.Result()
	require.NoError(t, err)
	assert.Equal(t, r, r2)
}

func TestQueueWaitEdges(t *testing.T) {
	var q QueueWait
	_, err := q.Result()
	require.ErrorIs(t, err, ErrNoData)
	err = q.AddConversation(tchat("q", tev(10, System, Queued), tev(5, Agent, Joined)))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "q", ie.Conversation)
	assert.Equal(t, 1, ie.Event)
	b, _ := NewQueueWait(QueueWaitSettings{})
	b.cfg.measure = halfTimeMeasure{}
	require.NoError(t, b.AddConversation(tchat("b", tev(0, System, Queued), tev(100, Agent, Joined))))
	r, _ := b.Result()
	assert.Equal(t, 50*time.Second, r.Stats.Mean)
	require.ErrorIs(t, q.Merge(b), ErrIncompatible)
}

func FuzzQueueWaitUnmarshal(f *testing.F) {
	var q QueueWait
	_ = q.AddConversation(tchat("1", tev(0, System, Queued), tev(10, Agent, Joined), tev(20, Customer, Left)))
	b, _ := q.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var q QueueWait
		if err := q.UnmarshalBinary(data); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}
