package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueueWait(t *testing.T) {
	q, err := NewQueueWait()
	require.NoError(t, err)
	for _, c := range []*Chat{
		// Queued at 5, agent joins at 65: wait 60 s, served.
		chat("1", ev(0, Customer, Message), ev(5, System, Queued), ev(65, Agent, Joined), ev(70, Agent, Message)),
		// Never queued: wait from the first customer message to the agent reply.
		chat("2", ev(0, Customer, Message), ev(30, Agent, Message)),
		// Escalated by the bot: wait from the handoff.
		chat("3", ev(0, Customer, Message), ev(1, Bot, Message), ev(20, Bot, Handoff), ev(140, Agent, Message)),
		// Left the queue: abandoned, no wait.
		chat("4", ev(0, Customer, Message), ev(1, System, Queued), ev(90, Customer, Left), ev(100, Agent, Joined)),
		// Queue and conversation ended without an agent: abandoned.
		chat("5", ev(0, Customer, Message), ev(1, System, Queued)),
		// Agent joined, customer left before the agent wrote: wait and abandoned.
		chat("6", ev(0, System, Queued), ev(10, Agent, Joined), ev(20, Customer, Left)),
		// Bot served it alone: never waited for an agent.
		chat("7", ev(0, Customer, Message), ev(1, Bot, Message)),
		// No customer message, never queued: not waiting.
		chat("8", ev(0, Agent, Message)),
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
	err = q.AddConversation(chat("q", ev(10, System, Queued), ev(5, Agent, Joined)))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "q", ie.Conversation)
	assert.Equal(t, 1, ie.Event)
	b, _ := NewQueueWait(WithTimeMeasure(halfTime{}))
	require.NoError(t, b.AddConversation(chat("b", ev(0, System, Queued), ev(100, Agent, Joined))))
	r, _ := b.Result()
	assert.Equal(t, 50*time.Second, r.Stats.Mean)
	require.ErrorIs(t, q.Merge(b), ErrIncompatible)
}

func FuzzQueueWaitUnmarshal(f *testing.F) {
	var q QueueWait
	_ = q.AddConversation(chat("1", ev(0, System, Queued), ev(10, Agent, Joined), ev(20, Customer, Left)))
	b, _ := q.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var q QueueWait
		if err := q.UnmarshalBinary(data); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}
