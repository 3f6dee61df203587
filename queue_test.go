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
	b, _ := NewQueueWait(WithTimeMeasure(halfTimeMeasure{}))
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

// TestQueueWaitEventTypeNamesTheActor: a joined event ends the wait and a
// left event abandons it whoever recorded them (issue 10: the platform,
// role System, assigns agents and records customers leaving).
func TestQueueWaitEventTypeNamesTheActor(t *testing.T) {
	zoe := func(e *Event) { e.Agent = "zoe" }
	tests := []struct {
		name                        string
		events                      []Event
		waited, abandoned, unserved int64
		notWaiting                  int64
		wait                        time.Duration // when served
	}{
		{"assigned by the system, then the reply",
			[]Event{tev(0, Customer, Message), tev(10, System, Queued), tev(60, System, Joined, zoe), tev(180, Agent, Message, zoe)},
			1, 0, 0, 0, 50 * time.Second},
		{"assigned by the system, no reply: a wait, abandoned",
			[]Event{tev(0, Customer, Message), tev(10, System, Queued), tev(60, System, Joined, zoe)},
			1, 1, 0, 0, 50 * time.Second},
		{"the system records the customer leaving; a later message serves nobody",
			[]Event{tev(0, Customer, Message), tev(10, System, Queued), tev(120, System, Left), tev(300, Agent, Message, zoe)},
			1, 1, 1, 0, 0},
		{"the customer leaves; a later join serves nobody",
			[]Event{tev(0, Customer, Message), tev(10, System, Queued), tev(120, Customer, Left), tev(300, Agent, Joined, zoe)},
			1, 1, 1, 0, 0},
		{"assigned by the system before the bot's reply: the human took part first",
			[]Event{tev(0, Customer, Message), tev(30, System, Joined, zoe), tev(40, Bot, Message)},
			1, 1, 0, 0, 30 * time.Second},
		{"the bot replied before any human: not waiting",
			[]Event{tev(0, Customer, Message), tev(5, Bot, Message), tev(30, System, Joined, zoe)},
			0, 0, 0, 1, 0},
		{"left before the queue: the earlier left does not end the wait",
			[]Event{tev(0, Customer, Message), tev(5, Customer, Left), tev(10, System, Queued), tev(40, System, Joined, zoe), tev(50, Agent, Message, zoe)},
			1, 0, 0, 0, 30 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var q QueueWait
			require.NoError(t, q.AddConversation(tchat("c", tc.events...)))
			r, err := q.Result()
			assert.Equal(t, tc.waited, r.Waited, "waited")
			assert.Equal(t, tc.abandoned, r.Abandoned, "abandoned")
			assert.Equal(t, tc.unserved, r.Unserved, "unserved")
			assert.Equal(t, tc.notWaiting, r.NotWaiting, "not waiting")
			if tc.waited == 1 && tc.unserved == 0 {
				require.NoError(t, err)
				assert.Equal(t, tc.wait, r.Stats.Mean)
			} else {
				assert.ErrorIs(t, err, ErrNoData)
			}
		})
	}
}
