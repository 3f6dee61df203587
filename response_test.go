package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseTimeRuns(t *testing.T) {
	tests := []struct {
		name       string
		c          *Chat
		opts       []ResponseTimeOption
		want       []time.Duration // sorted
		unanswered int64
	}{
		{"run from its first message",
			chat("a", ev(0, Customer, Message), ev(10, Customer, Message), ev(40, Agent, Message), ev(100, Customer, Message), ev(160, Bot, Message)),
			nil, []time.Duration{40 * time.Second, 60 * time.Second}, 0},
		{"notes, system and automatic messages are not replies",
			chat("a", ev(0, Customer, Message), ev(1, System, Message), ev(2, Agent, Message, automatic), ev(3, Agent, Message, private), ev(50, Agent, Message)),
			nil, []time.Duration{50 * time.Second}, 0},
		{"second reply to the same run is not a new response",
			chat("a", ev(0, Customer, Message), ev(5, Bot, Message), ev(9, Agent, Message)), nil, []time.Duration{5 * time.Second}, 0},
		{"a message after a resolution starts a new run",
			chat("a", ev(0, Customer, Message), ev(10, Agent, Resolved), ev(100, Customer, Message), ev(130, Agent, Message)),
			nil, []time.Duration{30 * time.Second}, 1},
		{"unanswered last run", chat("a", ev(0, Customer, Message), ev(20, Bot, Message), ev(30, Customer, Message)),
			nil, []time.Duration{20 * time.Second}, 1},
		{"human responses only", chat("a", ev(0, Customer, Message), ev(1, Bot, Message), ev(80, Agent, Message)),
			[]ResponseTimeOption{HumanReplies()}, []time.Duration{80 * time.Second}, 0},
		{"business time", chat("a", ev(0, Customer, Message), ev(60, Agent, Message)),
			[]ResponseTimeOption{WithTimeMeasure(halfTime{})}, []time.Duration{30 * time.Second}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewResponseTime(tt.opts...)
			require.NoError(t, err)
			require.NoError(t, r.AddConversation(tt.c))
			res, err := r.Result()
			require.NoError(t, err)
			assert.Equal(t, tt.unanswered, res.Unanswered)
			assert.Equal(t, int64(len(tt.want)), res.Answered)
			r.stats.sortValues()
			assert.Equal(t, tt.want, r.stats.values)
		})
	}
}

func TestResponseTimeErrorsAndCodec(t *testing.T) {
	var r ResponseTime
	err := r.AddConversation(chat("x", ev(5, Customer, Message), ev(9, Agent, Message), ev(1, Customer, Message), ev(20, Agent, Message)))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "x", ie.Conversation)
	assert.Equal(t, 2, ie.Event)
	_, err = r.Result()
	require.ErrorIs(t, err, ErrNoData, "nothing was added")

	require.NoError(t, r.AddConversation(chat("y", ev(0, Customer, Message), ev(9, Agent, Message), ev(20, Customer, Message))))
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var back ResponseTime
	require.NoError(t, back.UnmarshalBinary(b))
	r1, _ := r.Result()
	r2, _ := back.Result()
	assert.Equal(t, r1, r2)
	h, _ := NewResponseTime(HumanReplies())
	require.ErrorIs(t, r.Merge(h), ErrIncompatible)
}

func FuzzResponseTimeUnmarshal(f *testing.F) {
	var r ResponseTime
	_ = r.AddConversation(chat("y", ev(0, Customer, Message), ev(9, Agent, Message), ev(20, Customer, Message)))
	b, _ := r.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r ResponseTime
		if err := r.UnmarshalBinary(data); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}
