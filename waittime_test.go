package chatkpi

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestWaitTimesWorkedExample(t *testing.T) {
	w, err := NewWaitTimes(WaitTimesSettings{})
	require.NoError(t, err)
	require.NoError(t, w.AddConversation(ticketChat()))
	// Reopened after its resolution and not resolved again: first waits
	// only. Customer 09:00, pending 09:05, resolved 09:35, reopened 10:00.
	open := &Chat{Meta: Info{ID: "t2"}, Events: []Event{
		{Time: ticketAt(9, 0), Type: Message, Role: Customer},
		{Time: ticketAt(9, 5), Type: Pending, Role: Agent},
		{Time: ticketAt(9, 35), Type: Resolved, Role: Agent},
		{Time: ticketAt(10, 0), Type: Reopened, Role: Customer},
	}}
	require.NoError(t, w.AddConversation(open))
	never := &Chat{Meta: Info{ID: "t3"}, Events: []Event{{Time: ticketAt(9, 0), Type: Message, Role: Customer},
		{Time: ticketAt(9, 1), Type: OnHold, Role: Agent}}}
	require.NoError(t, w.AddConversation(never))

	r, err := w.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.Resolved)
	assert.Equal(t, int64(1), r.Unresolved)
	assert.Equal(t, int64(1), r.ReopenedOpen)
	assert.Equal(t, int64(2), r.Pending)
	assert.Equal(t, int64(2), r.OnHoldConversations)
	// First: t1 180, 60, 120 min; t2 5, 30, 0 min.
	assert.Equal(t, int64(2), r.Requester.First.Count)
	assert.Equal(t, 185*time.Minute, 2*r.Requester.First.Mean)
	assert.Equal(t, 90*time.Minute, 2*r.Agent.First.Mean)
	assert.Equal(t, 120*time.Minute, 2*r.OnHold.First.Mean)
	assert.Equal(t, 5*time.Minute, r.Requester.First.Min)
	// Full: t1 only: 220, 80, 120 min.
	assert.Equal(t, int64(1), r.Requester.Full.Count)
	assert.Equal(t, 220*time.Minute, r.Requester.Full.Mean)
	assert.Equal(t, 80*time.Minute, r.Agent.Full.Mean)
	assert.Equal(t, 120*time.Minute, r.OnHold.Full.Mean)

	empty, err := NewWaitTimes(WaitTimesSettings{})
	require.NoError(t, err)
	require.NoError(t, empty.AddConversation(never))
	_, err = empty.Result()
	assert.ErrorIs(t, err, ErrNoData, "never resolved: no waits, not 0")
}

func TestWaitTimesBusinessHours(t *testing.T) {
	bh, err := NewBusinessHours(time.UTC, weekdays(9*time.Hour, 17*time.Hour))
	require.NoError(t, err)
	w, err := NewWaitTimes(WaitTimesSettings{BusinessHours: bh})
	require.NoError(t, err)
	fri := func(h int) time.Time { return time.Date(2026, 11, 27, h, 0, 0, 0, time.UTC) }
	mon := func(h int) time.Time { return time.Date(2026, 11, 30, h, 0, 0, 0, time.UTC) }
	// Customer Friday 15:00, on hold 16:00, customer Monday 10:00 (open),
	// resolved Monday 11:00: requester wait 1 h + 1 h (on hold, Fri 16–17)
	// + 1 h (Mon 9–10) + 1 h = 4 h of business time, on hold 2 h, agent 0.
	c := &Chat{Meta: Info{ID: "b"}, Events: []Event{
		{Time: fri(15), Type: Message, Role: Customer},
		{Time: fri(16), Type: OnHold, Role: Agent},
		{Time: mon(10), Type: Message, Role: Customer},
		{Time: mon(11), Type: Resolved, Role: Agent},
	}}
	require.NoError(t, w.AddConversation(c))
	r, err := w.Result()
	require.NoError(t, err)
	assert.Equal(t, 4*time.Hour, r.Requester.First.Mean)
	assert.Equal(t, 2*time.Hour, r.OnHold.First.Mean)
	assert.Equal(t, time.Duration(0), r.Agent.First.Mean)
	assert.Equal(t, int64(1), r.Agent.First.Count, "never pending: 0 s counts")

	never, err := NewWaitTimes(WaitTimesSettings{BusinessHours: &BusinessHours{}})
	require.NoError(t, err)
	err = never.AddConversation(c)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 3, ie.Event)
	assert.ErrorIs(t, err, ErrInvalid)
}

// drawTicketChats draws valid conversations with ticket states.
func drawTicketChats(t *rapid.T) []*Chat {
	n := rapid.IntRange(0, 12).Draw(t, "n")
	chats := make([]*Chat, n)
	for i := range chats {
		c := &Chat{Meta: Info{ID: "c" + string(rune('a'+i)), Customer: rapid.SampledFrom([]string{"", "u1", "u2"}).Draw(t, "customer"),
			Outbound: rapid.IntRange(0, 5).Draw(t, "outbound") == 0}}
		at := ticketAt(0, 0).Add(time.Duration(rapid.IntRange(0, 96).Draw(t, "start")) * time.Hour)
		if rapid.Bool().Draw(t, "has start") {
			c.Meta.Start = at
		}
		for range rapid.IntRange(0, 14).Draw(t, "events") {
			at = at.Add(time.Duration(rapid.IntRange(0, 600).Draw(t, "gap")) * time.Minute)
			e := Event{Time: at}
			switch rapid.IntRange(0, 9).Draw(t, "kind") {
			case 0, 1:
				e.Type, e.Role = Message, Customer
			case 2, 3:
				e.Type, e.Role, e.Agent = Message, Agent, "ana"
				e.Private = rapid.IntRange(0, 4).Draw(t, "private") == 0
			case 4:
				e.Type, e.Role = Message, Bot
			case 5:
				e.Type, e.Role = rapid.SampledFrom([]EventType{Pending, OnHold, Opened}).Draw(t, "state"), Agent
			case 6:
				e.Type, e.Role, e.Agent = Joined, System, "bob"
			case 7, 8:
				e.Type, e.Role = Resolved, Agent
			default:
				e.Type, e.Role = Reopened, Customer
			}
			c.Events = append(c.Events, e)
		}
		chats[i] = c
	}
	return chats
}

func waitTimesOf(t *rapid.T, s WaitTimesSettings, chats []*Chat) *WaitTimes {
	w, err := NewWaitTimes(s)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, w.AddConversation(c))
	}
	return w
}

func TestWaitTimesProperties(t *testing.T) {
	bh, err := NewBusinessHours(time.UTC, weekdays(9*time.Hour, 17*time.Hour))
	require.NoError(t, err)
	rapid.Check(t, func(t *rapid.T) {
		chats := drawTicketChats(t)
		all := waitTimesOf(t, WaitTimesSettings{}, chats)
		// Merge = union, whatever the split and the order.
		k := rapid.IntRange(0, len(chats)).Draw(t, "split")
		a, b := waitTimesOf(t, WaitTimesSettings{}, chats[:k]), waitTimesOf(t, WaitTimesSettings{}, chats[k:])
		require.NoError(t, b.Merge(a))
		shuffled := append([]*Chat(nil), chats...)
		rand.New(rand.NewPCG(uint64(k), 7)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		perm := waitTimesOf(t, WaitTimesSettings{}, shuffled)
		want, _ := all.MarshalBinary()
		for _, o := range []*WaitTimes{b, perm} {
			got, _ := o.MarshalBinary()
			assert.Equal(t, want, got)
		}
		// Round trip.
		var back WaitTimes
		require.NoError(t, back.UnmarshalBinary(want))
		again, _ := back.MarshalBinary()
		assert.Equal(t, want, again)

		// Per conversation: business ≤ calendar; requester + agent wait =
		// the first resolution time (calendar); on hold ≤ requester wait.
		res, err := NewResolutionTime(ResolutionTimeSettings{})
		require.NoError(t, err)
		cal := waitTimesOf(t, WaitTimesSettings{}, nil)
		biz := waitTimesOf(t, WaitTimesSettings{BusinessHours: bh}, nil)
		for _, c := range chats {
			var mc, mb waitMeasure
			require.NoError(t, cal.cfg.measureWaits(&c.Meta, c.Events, &cal.timeline, &mc))
			require.NoError(t, biz.cfg.measureWaits(&c.Meta, c.Events, &biz.timeline, &mb))
			rm, err := res.cfg.measureChecked(&c.Meta, c.Events)
			require.NoError(t, err)
			require.Equal(t, rm.resolved, mc.resolved)
			require.Equal(t, rm.open, mc.open)
			if !mc.resolved {
				continue
			}
			assert.Equal(t, rm.first, mc.first[requesterWait]+mc.first[agentWait], "first waits add up to the first resolution time")
			assert.LessOrEqual(t, mc.first[onHoldWait], mc.first[requesterWait])
			for w := range numWaits {
				assert.LessOrEqual(t, mb.first[w], mc.first[w], "business ≤ calendar")
				assert.LessOrEqual(t, mb.full[w], mc.full[w], "business ≤ calendar")
				assert.LessOrEqual(t, mc.first[w], mc.full[w]+boolDuration(mc.open, mc.first[w]), "first ≤ full")
			}
			if !mc.open {
				assert.LessOrEqual(t, mc.full[requesterWait]+mc.full[agentWait], rm.full, "time resolved between resolutions is in no wait")
			}
		}
	})
}

// boolDuration returns d when b, else 0.
func boolDuration(b bool, d time.Duration) time.Duration {
	if b {
		return d
	}
	return 0
}

func TestWaitTimesMergeIncompatible(t *testing.T) {
	bh, err := NewBusinessHours(time.UTC, weekdays(9*time.Hour, 17*time.Hour))
	require.NoError(t, err)
	a, _ := NewWaitTimes(WaitTimesSettings{})
	b, _ := NewWaitTimes(WaitTimesSettings{BusinessHours: bh})
	c, _ := NewWaitTimes(WaitTimesSettings{Durations: DurationsSettings{Streaming: true}})
	assert.ErrorIs(t, a.Merge(b), ErrIncompatible)
	assert.ErrorIs(t, a.Merge(c), ErrIncompatible)
	_, err = NewWaitTimes(WaitTimesSettings{Durations: DurationsSettings{RelativeAccuracy: 2}})
	assert.ErrorIs(t, err, ErrInvalid)
}

func FuzzWaitTimesUnmarshal(f *testing.F) {
	w, _ := NewWaitTimes(WaitTimesSettings{})
	_ = w.AddConversation(ticketChat())
	b, _ := w.MarshalBinary()
	f.Add(b)
	e, _ := (&WaitTimes{}).MarshalBinary()
	f.Add(e)
	f.Fuzz(func(t *testing.T, data []byte) {
		var w WaitTimes
		if err := w.UnmarshalBinary(data); err != nil {
			require.ErrorIs(t, err, ErrInvalid)
			return
		}
		// A decoded state encodes and decodes to itself, and summarizes.
		b, err := w.MarshalBinary()
		require.NoError(t, err)
		var again WaitTimes
		require.NoError(t, again.UnmarshalBinary(b))
		_, _ = w.Result()
	})
}

func TestTicketCalculatorsZeroValue(t *testing.T) {
	var w WaitTimes
	require.NoError(t, w.AddConversation(ticketChat()))
	n, err := NewWaitTimes(WaitTimesSettings{})
	require.NoError(t, err)
	require.NoError(t, n.AddConversation(ticketChat()))
	a, _ := w.MarshalBinary()
	b, _ := n.MarshalBinary()
	assert.Equal(t, b, a)
	require.NoError(t, n.Merge(&w))

	var tc Touches
	for _, c := range touchChats() {
		require.NoError(t, tc.AddConversation(c))
	}
	m, err := NewTouches(TouchesSettings{})
	require.NoError(t, err)
	require.NoError(t, m.Merge(&tc))
	r, err := m.Result()
	require.NoError(t, err)
	assert.Equal(t, Proportion{3, 5}, r.FirstContact)
}
