package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChatDurationFallbackIsAMessage: a bot fallback is a message of the
// conversation for its duration and its active gaps (issue 10).
func TestChatDurationFallbackIsAMessage(t *testing.T) {
	tests := []struct {
		name         string
		events       []Event
		gap          time.Duration
		full, active time.Duration
	}{
		{"customer, then a fallback 5 min later", []Event{tev(0, Customer, Message), tev(300, Bot, Fallback)}, 0, 300 * time.Second, 300 * time.Second},
		{"only a fallback lasts 0 and counts", []Event{tev(300, Bot, Fallback)}, 0, 0, 0},
		{"a fallback splits the gaps", []Event{tev(0, Customer, Message), tev(50, Bot, Fallback), tev(200, Customer, Message), tev(240, Bot, Message)},
			time.Minute, 240 * time.Second, 90 * time.Second},
		{"events that are not messages do not count", []Event{tev(0, System, Queued), tev(10, Customer, Message), tev(70, Bot, Fallback), tev(900, Agent, Resolved)},
			0, 60 * time.Second, 60 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []ChatDurationOption
			if tc.gap > 0 {
				opts = append(opts, WithActiveGap(tc.gap))
			}
			h, err := NewChatDuration(opts...)
			require.NoError(t, err)
			require.NoError(t, h.AddConversation(tchat("c", tc.events...)))
			r, err := h.Result()
			require.NoError(t, err)
			assert.Equal(t, int64(0), r.NoMessages)
			assert.Equal(t, int64(1), r.Full.Count)
			assert.Equal(t, tc.full, r.Full.Max)
			assert.Equal(t, tc.active, r.Active.Max)
		})
	}
}

func TestChatDuration(t *testing.T) {
	c := tchat("1", tev(0, Customer, Queued), tev(10, Customer, Message), tev(40, Agent, Message), tev(40, Agent, Message, privateNote),
		tev(340, Customer, Message), tev(400, Agent, Message), tev(900, Agent, Resolved))
	tests := []struct {
		name         string
		opts         []ChatDurationOption
		full, active time.Duration
	}{
		{"default: active = full", nil, 390 * time.Second, 390 * time.Second},
		{"60 s gap threshold", []ChatDurationOption{WithActiveGap(time.Minute)}, 390 * time.Second, 90 * time.Second},
		{"gap equal to the threshold counts", []ChatDurationOption{WithActiveGap(30 * time.Second)}, 390 * time.Second, 30 * time.Second},
		{"business time", []ChatDurationOption{WithTimeMeasure(halfTimeMeasure{}), WithActiveGap(time.Minute)}, 195 * time.Second, 45 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewChatDuration(tt.opts...)
			require.NoError(t, err)
			require.NoError(t, h.AddConversation(c))
			require.NoError(t, h.AddConversation(tchat("none", tev(0, Customer, Queued))))
			require.NoError(t, h.AddConversation(tchat("one", tev(0, Customer, Message))))
			r, err := h.Result()
			require.NoError(t, err)
			assert.Equal(t, int64(1), r.NoMessages)
			assert.Equal(t, int64(2), r.Full.Count)
			assert.Equal(t, tt.full, r.Full.Max)
			assert.Equal(t, tt.active, r.Active.Max)
			assert.Equal(t, time.Duration(0), r.Full.Min, "one message lasts 0 and counts")

			b, err := h.MarshalBinary()
			require.NoError(t, err)
			back, _ := NewChatDuration(tt.opts...)
			require.NoError(t, back.UnmarshalBinary(b))
			r2, err := back.Result()
			require.NoError(t, err)
			assert.Equal(t, r, r2)
		})
	}
}

func TestChatDurationErrors(t *testing.T) {
	_, err := NewChatDuration(WithActiveGap(-1))
	require.ErrorIs(t, err, ErrInvalid)
	var h ChatDuration
	_, err = h.Result()
	require.ErrorIs(t, err, ErrNoData)
	err = h.AddConversation(tchat("o", tev(10, Customer, Message), tev(5, Agent, Message)))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "o", ie.Conversation)
	g, _ := NewChatDuration(WithActiveGap(time.Minute))
	require.ErrorIs(t, h.Merge(g), ErrIncompatible)
}

func FuzzChatDurationUnmarshal(f *testing.F) {
	h, _ := NewChatDuration(WithActiveGap(time.Minute))
	_ = h.AddConversation(tchat("1", tev(10, Customer, Message), tev(40, Agent, Message), tev(340, Customer, Message)))
	b, _ := h.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var h ChatDuration
		if err := h.UnmarshalBinary(data); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}

// Encodings from before ChatDuration stopped keeping the active durations
// without a threshold (active = full) still decode, to today's state.
func TestChatDurationDecodesKeptActive(t *testing.T) {
	var h ChatDuration
	for _, d := range []time.Duration{time.Minute, time.Hour} {
		h.record(&chatDurationMeasure{messages: true, full: d, active: d})
	}
	want, err := h.MarshalBinary()
	require.NoError(t, err)
	for _, d := range []time.Duration{time.Minute, time.Hour} {
		require.NoError(t, h.active.Add(d)) // as the old record did
	}
	old, err := h.MarshalBinary()
	require.NoError(t, err)
	require.NotEqual(t, want, old)
	var back ChatDuration
	require.NoError(t, back.UnmarshalBinary(old))
	again, err := back.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, want, again)
	r, err := back.Result()
	require.NoError(t, err)
	require.Equal(t, time.Hour, r.Active.Max)

	require.NoError(t, h.active.Add(time.Second)) // neither none nor all: corrupt
	bad, err := h.MarshalBinary()
	require.NoError(t, err)
	require.ErrorIs(t, back.UnmarshalBinary(bad), ErrInvalid)
}
