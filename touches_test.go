package chatkpi

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// touchChats are the worked example of the touches: t1 one-touch,
// reopened; t2 two-touch, its customer back 10 h later (t5, a repeat
// contact); t3 multi-touch (a note and a bot reply are no touches); t4
// resolved by the bot, zero-touch, no customer id; t6 one-touch, its
// customer's next conversation outbound (t7, not a repeat).
func touchChats() []*Chat {
	day2 := func(h int) time.Time { return ticketAt(h, 0).Add(24 * time.Hour) }
	return []*Chat{
		ticketChat(), // customer c1: agent reply 09:10, resolved 13:00, reopened
		{Meta: Info{ID: "t2", Customer: "c2"}, Events: []Event{
			{Time: ticketAt(9, 0), Type: Message, Role: Customer},
			{Time: ticketAt(9, 1), Type: Message, Role: Agent, Agent: "ana"},
			{Time: ticketAt(9, 2), Type: Message, Role: Customer},
			{Time: ticketAt(9, 3), Type: Message, Role: Agent, Agent: "ana"},
			{Time: ticketAt(9, 4), Type: Resolved, Role: Agent, Agent: "ana"},
			{Time: ticketAt(9, 5), Type: Message, Role: Agent, Agent: "ana"}, // after the resolution
		}},
		{Meta: Info{ID: "t3", Customer: "c3"}, Events: []Event{
			{Time: ticketAt(9, 0), Type: Message, Role: Customer},
			{Time: ticketAt(9, 1), Type: Message, Role: Bot},
			{Time: ticketAt(9, 2), Type: Message, Role: Agent, Agent: "ana"},
			{Time: ticketAt(9, 3), Type: Message, Role: Agent, Agent: "ana", Private: true},
			{Time: ticketAt(9, 4), Type: Message, Role: Agent, Agent: "ana"},
			{Time: ticketAt(9, 5), Type: Message, Role: Agent, Agent: "ana", Automatic: true},
			{Time: ticketAt(9, 6), Type: Message, Role: Agent, Agent: "ana"},
			{Time: ticketAt(9, 7), Type: Resolved, Role: Agent, Agent: "ana"},
		}},
		{Meta: Info{ID: "t4"}, Events: []Event{
			{Time: ticketAt(9, 0), Type: Message, Role: Customer},
			{Time: ticketAt(9, 1), Type: Message, Role: Bot},
			{Time: ticketAt(9, 2), Type: Resolved, Role: Bot},
		}},
		{Meta: Info{ID: "t5", Customer: "c2"}, Events: []Event{{Time: ticketAt(19, 4), Type: Message, Role: Customer}}},
		{Meta: Info{ID: "t6", Customer: "c4"}, Events: []Event{
			{Time: day2(9), Type: Message, Role: Customer},
			{Time: day2(10), Type: Message, Role: Agent, Agent: "bob"},
			{Time: day2(11), Type: Resolved, Role: Agent, Agent: "bob"},
		}},
		{Meta: Info{ID: "t7", Customer: "c4", Outbound: true}, Events: []Event{
			{Time: day2(12), Type: Message, Role: Agent, Agent: "bob"},
			{Time: day2(13), Type: Message, Role: Customer},
		}},
	}
}

func TestTouchesWorkedExample(t *testing.T) {
	tc, err := NewTouches(TouchesSettings{})
	require.NoError(t, err)
	for _, c := range touchChats() {
		require.NoError(t, tc.AddConversation(c))
	}
	r, err := tc.Result()
	require.NoError(t, err)
	assert.Equal(t, TouchesResult{
		Resolved: 5, Unresolved: 2,
		ZeroTouch: Proportion{1, 5}, OneTouch: Proportion{2, 5}, TwoTouch: Proportion{1, 5}, MultiTouch: Proportion{1, 5},
		FirstContact: Proportion{3, 5}, Reopened: 1, WithoutCustomer: 1,
	}, r)

	// A 9-hour window does not reach t5 (10 h after t2's resolution).
	short, err := NewTouches(TouchesSettings{RepeatContactWindow: 9 * time.Hour})
	require.NoError(t, err)
	for _, c := range touchChats() {
		require.NoError(t, short.AddConversation(c))
	}
	r, err = short.Result()
	require.NoError(t, err)
	assert.Equal(t, Proportion{4, 5}, r.FirstContact)

	// As of one hour after t6's resolution its window cannot be judged yet;
	// those of t3 and t4 (resolved on day 1 before 09:10) have passed.
	asOf := ticketAt(12, 0).Add(24 * time.Hour)
	pend, err := NewTouches(TouchesSettings{AsOf: asOf})
	require.NoError(t, err)
	for _, c := range touchChats() {
		require.NoError(t, pend.AddConversation(c))
	}
	r, err = pend.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.FirstContactPending, "t6 is pending; t3 and t4 resolved more than 24 h before")
	assert.Equal(t, Proportion{2, 4}, r.FirstContact)

	empty, err := NewTouches(TouchesSettings{})
	require.NoError(t, err)
	require.NoError(t, empty.AddConversation(touchChats()[4]))
	_, err = empty.Result()
	assert.ErrorIs(t, err, ErrNoData)
	_, err = NewTouches(TouchesSettings{RepeatContactWindow: -time.Second})
	assert.ErrorIs(t, err, ErrInvalid)
}

func touchesOf(t *rapid.T, s TouchesSettings, chats []*Chat) *Touches {
	tc, err := NewTouches(s)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, tc.AddConversation(c))
	}
	return tc
}

func TestTouchesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := drawTicketChats(t)
		s := TouchesSettings{RepeatContactWindow: time.Duration(rapid.IntRange(0, 48).Draw(t, "window")) * time.Hour}
		all := touchesOf(t, s, chats)
		k := rapid.IntRange(0, len(chats)).Draw(t, "split")
		a, b := touchesOf(t, s, chats[:k]), touchesOf(t, s, chats[k:])
		require.NoError(t, b.Merge(a))
		shuffled := append([]*Chat(nil), chats...)
		rand.New(rand.NewPCG(uint64(k), 3)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		perm := touchesOf(t, s, shuffled)
		want, _ := all.MarshalBinary()
		for _, o := range []*Touches{b, perm} {
			got, _ := o.MarshalBinary()
			assert.Equal(t, want, got, "merge = union, order does not matter")
		}
		var back Touches
		require.NoError(t, back.UnmarshalBinary(want))
		again, _ := back.MarshalBinary()
		assert.Equal(t, want, again)

		r, err := all.Result()
		if r.Resolved == 0 {
			require.ErrorIs(t, err, ErrNoData)
			return
		}
		require.NoError(t, err)
		br, err := back.Result()
		require.NoError(t, err)
		assert.Equal(t, r, br)
		assert.Equal(t, r.Resolved, r.ZeroTouch.Successes+r.OneTouch.Successes+r.TwoTouch.Successes+r.MultiTouch.Successes)
		assert.LessOrEqual(t, r.FirstContact.Successes+r.Reopened, r.Resolved, "a reopened conversation is never first-contact")
		// A longer window finds at least as many repeats.
		longer := touchesOf(t, TouchesSettings{RepeatContactWindow: 72 * time.Hour}, chats)
		lr, err := longer.Result()
		require.NoError(t, err)
		assert.LessOrEqual(t, lr.FirstContact.Successes, r.FirstContact.Successes)
	})
}

func FuzzTouchesUnmarshal(f *testing.F) {
	tc, _ := NewTouches(TouchesSettings{AsOf: ticketAt(23, 0)})
	for _, c := range touchChats() {
		_ = tc.AddConversation(c)
	}
	b, _ := tc.MarshalBinary()
	f.Add(b)
	e, _ := (&Touches{}).MarshalBinary()
	f.Add(e)
	f.Fuzz(func(t *testing.T, data []byte) {
		var tc Touches
		if err := tc.UnmarshalBinary(data); err != nil {
			require.ErrorIs(t, err, ErrInvalid)
			return
		}
		b, err := tc.MarshalBinary()
		require.NoError(t, err)
		var again Touches
		require.NoError(t, again.UnmarshalBinary(b))
		_, _ = tc.Result()
	})
}
