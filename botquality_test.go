package chatkpi_test

import (
	"errors"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func outcFeedback(m float64, helpful bool) chatkpi.Event {
	e := outcE(m, chatkpi.Feedback, outcCust)
	e.Helpful = helpful
	return e
}

func TestBotQuality(t *testing.T) {
	var q chatkpi.BotQuality
	_, err := q.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)

	auto := outcE(1, outcMsg, outcBot)
	auto.Automatic = true
	note := outcE(2, outcMsg, outcBot)
	note.Private = true
	require.NoError(t, q.AddConversation(outcChat("a", "a",
		outcE(0, outcMsg, outcCust), auto, note, // neither is a reply
		outcE(3, outcMsg, outcBot), outcFeedback(4, true),
		outcE(5, outcMsg, outcCust), outcE(6, chatkpi.Fallback, outcBot), outcFeedback(7, false),
		outcE(8, outcMsg, outcCust), outcE(9, outcMsg, outcBot), outcFeedback(10, true), outcFeedback(11, true),
	)))
	require.NoError(t, q.AddConversation(outcChat("b", "b", outcE(0, outcMsg, outcCust), outcE(1, chatkpi.Fallback, outcBot), outcE(2, chatkpi.Fallback, outcBot))))
	r, err := q.Result()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 3, Trials: 4}, r.Accuracy)
	assert.Equal(t, chatkpi.Proportion{Successes: 3, Trials: 5}, r.Fallback)

	// Feedback before any outcBot answer rates nothing: an error, nothing counted.
	err = q.AddConversation(outcChat("c", "c", outcE(0, outcMsg, outcCust), outcFeedback(1, true), outcE(2, outcMsg, outcBot)))
	var ie *chatkpi.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 1, ie.Event)
	r2, err := q.Result()
	require.NoError(t, err)
	assert.Equal(t, r, r2)

	// Only ratings, no replies is impossible; only replies gives accuracy no data.
	var only chatkpi.BotQuality
	require.NoError(t, only.AddConversation(outcChat("d", "d", outcE(0, outcMsg, outcBot))))
	r3, err := only.Result()
	require.NoError(t, err)
	_, err = r3.Accuracy.Fraction()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)

	assert.ErrorIs(t, only.AddConversation(outcChat("e", "e", outcE(1, outcMsg, outcBot), outcE(0, outcMsg, outcCust))), chatkpi.ErrInvalid)
}

// outcBotQualityOf adds every chat and returns how many were rejected.
func outcBotQualityOf(t require.TestingT, chats []*chatkpi.Chat) (*chatkpi.BotQuality, int) {
	var q chatkpi.BotQuality
	rejected := 0
	for _, c := range chats {
		if err := q.AddConversation(c); err != nil {
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			rejected++
		}
	}
	return &q, rejected
}

func TestBotQualityProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(30).Draw(t, "chats")
		whole, _ := outcBotQualityOf(t, chats)
		a := shardAccumulator(t, chats, func() *chatkpi.BotQuality { return &chatkpi.BotQuality{} },
			func(q *chatkpi.BotQuality, c *chatkpi.Chat) {
				if err := q.AddConversation(c); err != nil {
					require.ErrorIs(t, err, chatkpi.ErrInvalid) // rejected by the whole too
				}
			})
		wr, werr := whole.Result()
		mr, merr := a.Result()
		require.Equal(t, werr, merr)
		require.Equal(t, wr, mr)
		pr, _ := outcBotQualityOf(t, rapid.Permutation(chats).Draw(t, "perm"))
		prr, _ := pr.Result()
		require.Equal(t, wr, prr)
		require.LessOrEqual(t, wr.Accuracy.Successes, wr.Accuracy.Trials)
		require.LessOrEqual(t, wr.Fallback.Successes, wr.Fallback.Trials)

		data, err := whole.MarshalBinary()
		require.NoError(t, err)
		var back chatkpi.BotQuality
		require.NoError(t, back.UnmarshalBinary(data))
		br, _ := back.Result()
		require.Equal(t, wr, br)
	})
}

func FuzzBotQualityUnmarshal(f *testing.F) {
	var q chatkpi.BotQuality
	empty, _ := q.MarshalBinary()
	f.Add(empty)
	_ = q.AddConversation(outcChat("a", "a", outcE(0, outcMsg, outcCust), outcE(1, chatkpi.Fallback, outcBot), outcFeedback(2, true)))
	data, _ := q.MarshalBinary()
	f.Add(data)
	f.Add([]byte{0x39, 1, 5, 2, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var q chatkpi.BotQuality
		if err := q.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		// Varints may be encoded longer than needed, so compare the
		// canonical re-encodings.
		canon, _ := q.MarshalBinary()
		var back chatkpi.BotQuality
		if err := back.UnmarshalBinary(canon); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		again, _ := back.MarshalBinary()
		if string(again) != string(canon) {
			t.Fatal("re-encoding differs")
		}
	})
}
