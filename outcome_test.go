package chatkpi_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// outcT0 is the reference instant of the hand-made conversations.
var outcT0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// outcE is an event at minute m after outcT0.
func outcE(m float64, typ chatkpi.EventType, role chatkpi.Role) chatkpi.Event {
	return chatkpi.Event{Time: outcT0.Add(time.Duration(m * float64(time.Minute))), Type: typ, Role: role}
}

// outcAgent is an event by (or about) the named agent.
func outcAgent(m float64, typ chatkpi.EventType, agent string) chatkpi.Event {
	e := outcE(m, typ, chatkpi.Agent)
	e.Agent = agent
	return e
}

func outcChat(id, customer string, events ...chatkpi.Event) *chatkpi.Chat {
	return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: customer}, Events: events}
}

const (
	outcDay  = 24 * 60.0 // minutes
	outcHour = 60.0
)

var (
	outcCust     = chatkpi.Customer
	outcBot      = chatkpi.Bot
	outcSystem   = chatkpi.System
	outcMsg      = chatkpi.Message
	outcResolved = chatkpi.Resolved
	outcReopened = chatkpi.Reopened
)

func TestClassify(t *testing.T) {
	private := outcAgent(3, outcMsg, "ana")
	private.Private = true
	auto := outcE(1, outcMsg, outcBot)
	auto.Automatic = true
	tests := []struct {
		name   string
		events []chatkpi.Event
		want   chatkpi.Outcome
	}{
		{"no events", nil, chatkpi.Unengaged},
		{"bot greeting only", []chatkpi.Event{outcE(0, outcMsg, outcBot)}, chatkpi.Unengaged},
		{"handoff without a customer message", []chatkpi.Event{outcE(0, outcMsg, outcBot), outcE(1, chatkpi.Handoff, outcBot)}, chatkpi.Unengaged},
		{"contained", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot)}, chatkpi.ResolvedByBot},
		{"fallback counts as a outcBot reply", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, chatkpi.Fallback, outcBot), outcE(2, outcResolved, outcSystem)}, chatkpi.ResolvedByBot},
		{"handoff then resolved", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, chatkpi.Handoff, outcBot), outcAgent(3, outcMsg, "ana"), outcE(4, outcResolved, chatkpi.Agent)}, chatkpi.Escalated},
		{"two handoffs, unresolved", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, chatkpi.Handoff, outcBot), outcE(2, chatkpi.Handoff, outcSystem)}, chatkpi.Escalated},
		{"bot and agent replied without handoff", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcAgent(2, outcMsg, "ana"), outcE(3, outcResolved, chatkpi.Agent)}, chatkpi.ResolvedByAgent},
		{"agent joined and outcResolved without replying", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcAgent(1, chatkpi.Joined, "ana"), outcE(2, outcResolved, chatkpi.Agent)}, chatkpi.ResolvedByAgent},
		{"assigned by the outcSystem and outcResolved without a reply", []chatkpi.Event{outcE(0, outcMsg, outcCust), {Time: outcT0.Add(time.Minute), Type: chatkpi.Joined, Role: outcSystem, Agent: "ana"}, outcE(2, outcResolved, outcSystem)}, chatkpi.ResolvedByAgent},
		{"private note is not a reply", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(2, outcMsg, outcBot), private, outcE(4, outcResolved, outcBot)}, chatkpi.ResolvedByBot},
		{"automatic message is not a reply", []chatkpi.Event{outcE(0, outcMsg, outcCust), auto, outcE(2, outcResolved, outcSystem)}, chatkpi.Abandoned},
		{"bot replied, never resolved", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, chatkpi.Left, outcCust)}, chatkpi.Abandoned},
		{"resolved then reopened", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot), outcE(3, outcReopened, outcCust)}, chatkpi.Abandoned},
		{"reopened then outcResolved again", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot), outcE(3, outcReopened, outcCust), outcE(4, outcResolved, outcBot)}, chatkpi.ResolvedByBot},
		{"reopen of an open conversation changes nothing", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcReopened, outcCust), outcE(3, outcResolved, outcBot)}, chatkpi.ResolvedByBot},
		{"closed with no reply at all", []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(30, outcResolved, outcSystem)}, chatkpi.Abandoned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chatkpi.Classify(outcChat("c", "x", tt.events...))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestClassifyErrors(t *testing.T) {
	_, err := chatkpi.Classify(outcChat("c", "x", outcE(5, outcMsg, outcCust), outcE(4, outcMsg, outcBot)))
	var ie *chatkpi.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "c", ie.Conversation)
	assert.Equal(t, 1, ie.Event)
	assert.Equal(t, "time", ie.Field)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)

	_, err = chatkpi.Classify(outcChat("", "x"))
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)

	_, err = chatkpi.Classify(outcChat("c", "x", chatkpi.Event{Time: outcT0, Type: outcMsg}))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "role", ie.Field)

	c := outcChat("c", "x", outcE(0, outcMsg, outcCust))
	c.Meta.Start = outcT0.Add(time.Minute)
	_, err = chatkpi.Classify(c)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
}

func TestOutcomeNames(t *testing.T) {
	for o := chatkpi.Unengaged; o <= chatkpi.Abandoned; o++ {
		got, err := chatkpi.ParseOutcome(o.String())
		require.NoError(t, err)
		assert.Equal(t, o, got)
	}
	_, err := chatkpi.ParseOutcome("open")
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	assert.Equal(t, "Outcome(9)", chatkpi.Outcome(9).String())
}

func TestOutcomesRates(t *testing.T) {
	var o chatkpi.Outcomes
	_, err := o.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	for _, c := range []*chatkpi.Chat{
		outcChat("bot", "a", outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot)),
		outcChat("esc", "b", outcE(0, outcMsg, outcCust), outcE(1, chatkpi.Handoff, outcBot), outcAgent(2, outcMsg, "ana"), outcE(3, outcResolved, chatkpi.Agent)),
		outcChat("agent", "c", outcE(0, outcMsg, outcCust), outcAgent(2, outcMsg, "ana"), outcE(3, outcResolved, chatkpi.Agent), outcE(4, outcReopened, outcCust)),
		outcChat("gone", "d", outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, chatkpi.Left, outcCust)),
		outcChat("silent", "e", outcE(0, outcMsg, outcBot)),
	} {
		require.NoError(t, o.AddConversation(c))
	}
	s, err := o.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(5), s.Conversations)
	assert.Equal(t, int64(4), s.Engaged)
	assert.Equal(t, chatkpi.OutcomeCounts{Unengaged: 1, Escalated: 1, ResolvedByBot: 1, ResolvedByAgent: 0, Abandoned: 2}, s.Counts)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 4}, s.Containment)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 4}, s.Escalation)
	// "agent" was outcReopened and not outcResolved again: not completed, not successful.
	assert.Equal(t, chatkpi.Proportion{Successes: 2, Trials: 4}, s.Completion)
	assert.Equal(t, chatkpi.Proportion{Successes: 2, Trials: 4}, s.SuccessfulChat)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 3}, s.Reopen)
	iv, err := s.Containment.Wilson(chatkpi.Z95)
	require.NoError(t, err)
	assert.InDelta(t, 0.04558, iv.Low, 1e-5)
	assert.InDelta(t, 0.69936, iv.High, 1e-5)
	assert.Equal(t, int64(1), s.Counts.Of(chatkpi.Escalated))
}

func TestOutcomesCompletionWindow(t *testing.T) {
	asOf := outcT0.Add(30 * 24 * time.Hour)
	o, err := chatkpi.NewOutcomes(chatkpi.OutcomesSettings{AsOf: asOf})
	require.NoError(t, err)
	open := []chatkpi.Event{outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot)}
	add := func(id string, more ...chatkpi.Event) {
		t.Helper()
		require.NoError(t, o.AddConversation(outcChat(id, id, append(append([]chatkpi.Event(nil), open...), more...)...)))
	}
	add("durable")                                                                                            // completed
	add("reopened-within", outcE(2+2*outcDay, outcReopened, outcCust))                                        // not completed
	add("reopened-after", outcE(2+8*outcDay, outcReopened, outcCust))                                         // completed: the first resolution held 7 days
	add("re-resolved", outcE(2+2*outcDay, outcReopened, outcCust), outcE(3+2*outcDay, outcResolved, outcBot)) // completed by the second resolution
	// Resolved 3 days before asOf: too recent to know, left out.
	require.NoError(t, o.AddConversation(outcChat("recent", "r", outcE(27*outcDay, outcMsg, outcCust), outcE(27*outcDay+1, outcMsg, outcBot), outcE(27*outcDay+2, outcResolved, outcBot))))
	// Resolved 3 days before asOf and already outcReopened: known not completed.
	require.NoError(t, o.AddConversation(outcChat("recent-reopened", "rr", outcE(27*outcDay, outcMsg, outcCust), outcE(27*outcDay+1, outcMsg, outcBot),
		outcE(27*outcDay+2, outcResolved, outcBot), outcE(28*outcDay, outcReopened, outcCust))))
	s, err := o.Result()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 3, Trials: 5}, s.Completion)
	assert.Equal(t, int64(1), s.CompletionPending)
	assert.Equal(t, chatkpi.Proportion{Successes: 4, Trials: 6}, s.Reopen)

	// Without an as-of instant the data are final: "recent" is completed.
	var final chatkpi.Outcomes
	require.NoError(t, final.AddConversation(outcChat("recent", "r", outcE(27*outcDay, outcMsg, outcCust), outcE(27*outcDay+1, outcMsg, outcBot), outcE(27*outcDay+2, outcResolved, outcBot))))
	fs, err := final.Result()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 1}, fs.Completion)

	// A shorter window turns the 2-day reopen into a new request.
	short, err := chatkpi.NewOutcomes(chatkpi.OutcomesSettings{CompletionWindow: 24 * time.Hour})
	require.NoError(t, err)
	require.NoError(t, short.AddConversation(outcChat("x", "x", append(append([]chatkpi.Event(nil), open...), outcE(2+2*outcDay, outcReopened, outcCust))...)))
	ss, err := short.Result()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 1}, ss.Completion)
}

func TestOutcomesRepeatContact(t *testing.T) {
	var o chatkpi.Outcomes
	solved := func(id, customer string, m float64) *chatkpi.Chat {
		return outcChat(id, customer, outcE(m, outcMsg, outcCust), outcE(m+1, outcMsg, outcBot), outcE(m+2, outcResolved, outcBot))
	}
	for _, c := range []*chatkpi.Chat{
		solved("x1", "x", 0),          // repeat contact 2 h later: not successful
		solved("x2", "x", 2*outcHour), // outcResolved, nothing after: successful
		solved("y1", "y", 0),          // next contact after 25 h: successful
		outcChat("y2", "y", outcE(25*outcHour+2, outcMsg, outcCust)), // unresolved: not successful
		solved("z1", "z", 0), // an outbound contact is not a repeat: successful
		{Meta: chatkpi.Info{ID: "z2", Customer: "z", Outbound: true}, Events: []chatkpi.Event{outcE(60, outcMsg, outcBot), outcE(61, outcMsg, outcCust)}},
		solved("w1", "w", 0), // a contact without a customer message is not a repeat: successful
		outcChat("w2", "w", outcE(10, outcMsg, outcBot)),
		solved("anon", "", 0), // no customer id: successful, reported
	} {
		require.NoError(t, o.AddConversation(c))
	}
	s, err := o.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(8), s.Engaged)
	assert.Equal(t, chatkpi.Proportion{Successes: 5, Trials: 8}, s.SuccessfulChat)
	assert.Equal(t, int64(1), s.WithoutCustomer)
	assert.Equal(t, int64(0), s.SuccessfulPending)

	// The window is inclusive: a contact exactly 24 h after the resolution
	// is a repeat; one a nanosecond later is not.
	for _, tc := range []struct {
		after time.Duration
		want  int64
	}{{24 * time.Hour, 1}, {24*time.Hour + 1, 2}} {
		var p chatkpi.Outcomes
		first := solved("a", "a", 0)
		second := outcChat("b", "a", chatkpi.Event{Time: first.Events[2].Time.Add(tc.after), Type: outcMsg, Role: outcCust})
		require.NoError(t, p.AddConversation(first))
		require.NoError(t, p.AddConversation(second))
		ps, err := p.Result()
		require.NoError(t, err)
		assert.Equal(t, chatkpi.Proportion{Successes: tc.want - 1, Trials: 2}, ps.SuccessfulChat, "after %v", tc.after)
	}

	// As of 10 h after the resolution, the repeat window is still open.
	p, err := chatkpi.NewOutcomes(chatkpi.OutcomesSettings{AsOf: outcT0.Add(10 * time.Hour), RepeatContactWindow: 12 * time.Hour})
	require.NoError(t, err)
	require.NoError(t, p.AddConversation(solved("a", "a", 0)))
	require.NoError(t, p.AddConversation(solved("b", "", 0)))
	ps, err := p.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(2), ps.SuccessfulPending)
	_, err = ps.SuccessfulChat.Fraction()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
}

func TestNewOutcomesValidates(t *testing.T) {
	for _, opt := range []chatkpi.OutcomesSettings{
		{CompletionWindow: -time.Hour},
		{RepeatContactWindow: -1},
		{AsOf: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		_, err := chatkpi.NewOutcomes(opt)
		assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	}
	a, err := chatkpi.NewOutcomes(chatkpi.OutcomesSettings{CompletionWindow: time.Hour})
	require.NoError(t, err)
	var b chatkpi.Outcomes
	assert.ErrorIs(t, b.Merge(a), chatkpi.ErrIncompatible)
	d, err := chatkpi.NewOutcomes(chatkpi.OutcomesSettings{CompletionWindow: 7 * 24 * time.Hour, RepeatContactWindow: 24 * time.Hour})
	require.NoError(t, err)
	assert.NoError(t, b.Merge(d), "explicit defaults merge with the zero value")
}

func TestOutcomesAddIsAtomic(t *testing.T) {
	var o chatkpi.Outcomes
	require.Error(t, o.AddConversation(outcChat("bad", "x", outcE(0, outcMsg, outcCust), outcE(1, outcResolved, outcBot), outcE(0.5, outcMsg, outcBot))))
	_, err := o.Result()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
}

// outcOutcomesOf adds every chat, failing the test on error.
func outcOutcomesOf(t require.TestingT, opts chatkpi.OutcomesSettings, chats []*chatkpi.Chat) *chatkpi.Outcomes {
	o, err := chatkpi.NewOutcomes(opts)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, o.AddConversation(c))
	}
	return o
}

func outcOutcomesOptions(t *rapid.T) chatkpi.OutcomesSettings {
	var opts chatkpi.OutcomesSettings
	if rapid.Bool().Draw(t, "asOf") {
		at := chatkpitest.Epoch().Add(time.Duration(rapid.Int64Range(0, int64(3*365*24*time.Hour)).Draw(t, "asOfOffset")))
		opts.AsOf = at
	}
	if rapid.Bool().Draw(t, "windows") {
		opts.CompletionWindow = time.Duration(rapid.Int64Range(1, int64(10*24*time.Hour)).Draw(t, "cw"))
		opts.RepeatContactWindow = time.Duration(rapid.Int64Range(1, int64(48*time.Hour)).Draw(t, "rw"))
	}
	return opts
}

func TestOutcomesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(40).Draw(t, "chats")
		opts := outcOutcomesOptions(t)
		whole := outcOutcomesOf(t, opts, chats)
		s, err := whole.Result()
		if len(chats) == 0 {
			require.ErrorIs(t, err, chatkpi.ErrNoData)
			return
		}
		require.NoError(t, err)

		// Exactly one outcome per conversation.
		var byClassify chatkpi.OutcomeCounts
		for _, c := range chats {
			k, err := chatkpi.Classify(c)
			require.NoError(t, err)
			require.True(t, k >= chatkpi.Unengaged && k <= chatkpi.Abandoned, "outcome %v", k)
			switch k {
			case chatkpi.Unengaged:
				byClassify.Unengaged++
			case chatkpi.Escalated:
				byClassify.Escalated++
			case chatkpi.ResolvedByBot:
				byClassify.ResolvedByBot++
			case chatkpi.ResolvedByAgent:
				byClassify.ResolvedByAgent++
			case chatkpi.Abandoned:
				byClassify.Abandoned++
			}
		}
		require.Equal(t, byClassify, s.Counts)
		c := s.Counts
		require.Equal(t, int64(len(chats)), c.Unengaged+c.Escalated+c.ResolvedByBot+c.ResolvedByAgent+c.Abandoned)
		require.LessOrEqual(t, s.Containment.Successes+s.Escalation.Successes, s.Engaged, "containment + escalation > 100 %%")
		for _, p := range []chatkpi.Proportion{s.Containment, s.Escalation, s.Completion, s.SuccessfulChat, s.Reopen} {
			require.GreaterOrEqual(t, p.Successes, int64(0))
			require.LessOrEqual(t, p.Successes, p.Trials)
		}

		// Merge of any sharding equals the whole.
		merged := shardAccumulator(t, chats, func() *chatkpi.Outcomes { return outcOutcomesOf(t, opts, nil) },
			func(o *chatkpi.Outcomes, c *chatkpi.Chat) { require.NoError(t, o.AddConversation(c)) })
		ms, err := merged.Result()
		require.NoError(t, err)
		require.Equal(t, s, ms)

		// Order of conversations does not matter.
		perm := rapid.Permutation(chats).Draw(t, "perm")
		ps, err := outcOutcomesOf(t, opts, perm).Result()
		require.NoError(t, err)
		require.Equal(t, s, ps)

		// MarshalBinary round trip; the encoding is canonical.
		data, err := whole.MarshalBinary()
		require.NoError(t, err)
		var back chatkpi.Outcomes
		require.NoError(t, back.UnmarshalBinary(data))
		bs, err := back.Result()
		require.NoError(t, err)
		require.Equal(t, s, bs)
		again, err := back.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, data, again)
		mdata, err := merged.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, data, mdata)
	})
}

func TestOutcomesUnmarshalRejects(t *testing.T) {
	var o chatkpi.Outcomes
	require.NoError(t, o.AddConversation(outcChat("a", "a", outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot))))
	data, err := o.MarshalBinary()
	require.NoError(t, err)
	for i := range data {
		var back chatkpi.Outcomes
		err := back.UnmarshalBinary(data[:i])
		assert.ErrorIs(t, err, chatkpi.ErrInvalid, "truncated at %d", i)
	}
	var back chatkpi.Outcomes
	assert.ErrorIs(t, back.UnmarshalBinary(append(data, 0)), chatkpi.ErrInvalid)
	bad := append([]byte(nil), data...)
	bad[0] = 0x01
	assert.ErrorIs(t, back.UnmarshalBinary(bad), chatkpi.ErrInvalid)
}

func FuzzOutcomesUnmarshal(f *testing.F) {
	var o chatkpi.Outcomes
	empty, _ := o.MarshalBinary()
	f.Add(empty)
	for _, c := range []*chatkpi.Chat{
		outcChat("a", "a", outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot), outcE(3, outcReopened, outcCust)),
		outcChat("b", "a", outcE(60, outcMsg, outcCust), outcE(61, chatkpi.Handoff, outcBot)),
		outcChat("c", "", outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot)),
	} {
		if err := o.AddConversation(c); err != nil {
			f.Fatal(err)
		}
		data, _ := o.MarshalBinary()
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var o chatkpi.Outcomes
		if err := o.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		s, err := o.Result()
		if err == nil {
			for _, p := range []chatkpi.Proportion{s.Containment, s.Escalation, s.Completion, s.SuccessfulChat, s.Reopen} {
				if p.Successes < 0 || p.Successes > p.Trials {
					t.Fatalf("decoded state gives %v", p)
				}
			}
		}
		// Varints may be encoded longer than needed, so compare the
		// canonical re-encodings.
		canon, err := o.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back chatkpi.Outcomes
		if err := back.UnmarshalBinary(canon); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		again, _ := back.MarshalBinary()
		if string(again) != string(canon) {
			t.Fatalf("re-encoding differs")
		}
	})
}

// TestSuccessfulChatModel checks the successful chat count against a
// brute-force comparison of every pair of conversations.
func TestSuccessfulChatModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(40).Draw(t, "chats")
		// Move every conversation into the same few days so that repeat
		// contacts are common.
		for i, c := range chats {
			if len(c.Events) == 0 {
				continue
			}
			at := chatkpitest.Epoch().Add(time.Duration(rapid.Int64Range(0, int64(96*time.Hour)).Draw(t, fmt.Sprintf("at%d", i))))
			shift := at.Sub(c.Events[0].Time)
			for j := range c.Events {
				c.Events[j].Time = c.Events[j].Time.Add(shift)
			}
			if !c.Meta.Start.IsZero() {
				c.Meta.Start = c.Meta.Start.Add(shift)
			}
		}
		window := time.Duration(rapid.Int64Range(1, int64(72*time.Hour)).Draw(t, "window"))
		o := outcOutcomesOf(t, chatkpi.OutcomesSettings{RepeatContactWindow: window}, chats)
		s, err := o.Result()
		if len(chats) == 0 {
			require.ErrorIs(t, err, chatkpi.ErrNoData)
			return
		}
		require.NoError(t, err)

		engaged := func(c *chatkpi.Chat) bool {
			for _, e := range c.Events {
				if e.IsCustomerMessage() {
					return true
				}
			}
			return false
		}
		resolution := resolutionInForce
		var want, nEngaged int64
		for _, c := range chats {
			if !engaged(c) {
				continue
			}
			nEngaged++
			r, ok := resolution(c)
			if !ok {
				continue
			}
			repeat := false
			for _, d := range chats {
				if d != c && c.Meta.Customer != "" && d.Meta.Customer == c.Meta.Customer && !d.Meta.Outbound && engaged(d) {
					start := d.Meta.Start // opened before its first event
					if start.IsZero() {
						start = d.Events[0].Time
					}
					if start.After(r) && !start.After(r.Add(window)) {
						repeat = true
					}
				}
			}
			if !repeat {
				want++
			}
		}
		require.Equal(t, chatkpi.Proportion{Successes: want, Trials: nEngaged}, s.SuccessfulChat)
	})
}

// outcRow is a caller's own event type, to check the non-*Chat path.
type outcRow struct{ e chatkpi.Event }

func (r outcRow) ChatEvent() chatkpi.Event { return r.e }

func TestOutcAdaptedConversations(t *testing.T) {
	chats := outcAgentTimeline()
	var o1, o2 chatkpi.Outcomes
	var q1, q2 chatkpi.BotQuality
	var v1, v2 chatkpi.Volume
	var a1, a2 chatkpi.Agents
	for _, c := range chats {
		rows := make([]outcRow, len(c.Events))
		for i, e := range c.Events {
			rows[i] = outcRow{e}
		}
		ad := chatkpi.Adapt(c.Meta, rows)
		for _, add := range []func(chatkpi.Conversation) error{o2.AddConversation, q2.AddConversation, v2.AddConversation, a2.AddConversation} {
			require.NoError(t, add(ad))
		}
		for _, add := range []func(chatkpi.Conversation) error{o1.AddConversation, q1.AddConversation, v1.AddConversation, a1.AddConversation} {
			require.NoError(t, add(c))
		}
		k1, err := chatkpi.Classify(c)
		require.NoError(t, err)
		k2, err := chatkpi.Classify(ad)
		require.NoError(t, err)
		require.Equal(t, k1, k2)
	}
	r1, err := o1.Result()
	require.NoError(t, err)
	r2, err := o2.Result()
	require.NoError(t, err)
	assert.Equal(t, r1, r2)
	var shares int64
	for k := chatkpi.Unengaged; k <= chatkpi.Abandoned; k++ {
		shares += r1.Share(k).Successes
		assert.Equal(t, r1.Conversations, r1.Share(k).Trials)
	}
	assert.Equal(t, r1.Conversations, shares)
	_, err = r1.Share(0).Fraction()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
	b1, _ := q1.Result()
	b2, _ := q2.Result()
	assert.Equal(t, b1, b2)
	d1, _ := v1.Result(chatkpi.Day)
	d2, _ := v2.Result(chatkpi.Day)
	assert.Equal(t, d1, d2)
	s1, _ := a1.Result()
	s2, _ := a2.Result()
	assert.Equal(t, s1, s2)
	assert.NotEmpty(t, s1)
}
