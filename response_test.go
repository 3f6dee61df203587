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
		opts       ResponseTimeSettings
		want       []time.Duration // sorted
		unanswered int64
	}{
		{"run from its first message",
			tchat("a", tev(0, Customer, Message), tev(10, Customer, Message), tev(40, Agent, Message), tev(100, Customer, Message), tev(160, Bot, Message)),
			ResponseTimeSettings{}, []time.Duration{40 * time.Second, 60 * time.Second}, 0},
		{"notes, system and autoAck messages are not replies",
			tchat("a", tev(0, Customer, Message), tev(1, System, Message), tev(2, Agent, Message, autoAck), tev(3, Agent, Message, privateNote), tev(50, Agent, Message)),
			ResponseTimeSettings{}, []time.Duration{50 * time.Second}, 0},
		{"second reply to the same run is not a new response",
			tchat("a", tev(0, Customer, Message), tev(5, Bot, Message), tev(9, Agent, Message)), ResponseTimeSettings{}, []time.Duration{5 * time.Second}, 0},
		{"a message after a resolution starts a new run",
			tchat("a", tev(0, Customer, Message), tev(10, Agent, Resolved), tev(100, Customer, Message), tev(130, Agent, Message)),
			ResponseTimeSettings{}, []time.Duration{30 * time.Second}, 1},
		{"unanswered last run", tchat("a", tev(0, Customer, Message), tev(20, Bot, Message), tev(30, Customer, Message)),
			ResponseTimeSettings{}, []time.Duration{20 * time.Second}, 1},
		{"human responses only", tchat("a", tev(0, Customer, Message), tev(1, Bot, Message), tev(80, Agent, Message)),
			ResponseTimeSettings{HumanOnly: true}, []time.Duration{80 * time.Second}, 0},
		{"business time", tchat("a", tev(0, Customer, Message), tev(60, Agent, Message)),
			ResponseTimeSettings{}, []time.Duration{30 * time.Second}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewResponseTime(tt.opts)
			require.NoError(t, err)
			if tt.name == "business time" { // a fake calendar, set on the accumulator
				r.cfg.measure = halfTimeMeasure{}
			}
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
	err := r.AddConversation(tchat("x", tev(5, Customer, Message), tev(9, Agent, Message), tev(1, Customer, Message), tev(20, Agent, Message)))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "x", ie.Conversation)
	assert.Equal(t, 2, ie.Event)
	_, err = r.Result()
	require.ErrorIs(t, err, ErrNoData, "nothing was added")

	require.NoError(t, r.AddConversation(tchat("y", tev(0, Customer, Message), tev(9, Agent, Message), tev(20, Customer, Message))))
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var back ResponseTime
	require.NoError(t, back.UnmarshalBinary(b))
	r1, _ := r.Result()
	r2, _ := back.Result()
	assert.Equal(t, r1, r2)
	h, _ := NewResponseTime(ResponseTimeSettings{HumanOnly: true})
	require.ErrorIs(t, r.Merge(h), ErrIncompatible)
}

func FuzzResponseTimeUnmarshal(f *testing.F) {
	var r ResponseTime
	_ = r.AddConversation(tchat("y", tev(0, Customer, Message), tev(9, Agent, Message), tev(20, Customer, Message)))
	b, _ := r.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r ResponseTime
		if err := r.UnmarshalBinary(data); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}
