package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// ev builds an event at t0 + sec seconds; mods adjust it.
func ev(sec float64, role Role, typ EventType, mods ...func(*Event)) Event {
	e := Event{Time: t0.Add(time.Duration(sec * float64(time.Second))), Role: role, Type: typ}
	if typ == Joined || (role == Agent && typ == Message) {
		e.Agent = "ana"
	}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func private(e *Event)   { e.Private = true }
func automatic(e *Event) { e.Automatic = true }

func chat(id string, events ...Event) *Chat {
	return &Chat{Meta: Info{ID: id}, Events: events}
}

// halfTime is a fake business calendar: half of the elapsed time counts.
type halfTime struct{}

func (halfTime) Elapsed(from, to time.Time) (time.Duration, error) {
	d, err := CalendarTime{}.Elapsed(from, to)
	return d / 2, err
}

func TestFirstResponseCases(t *testing.T) {
	tests := []struct {
		name   string
		c      *Chat
		opts   []FirstResponseOption
		want   time.Duration
		status FRTStatus
	}{
		{"agent reply", chat("a", ev(0, Customer, Message), ev(30, Agent, Message)), nil, 30 * time.Second, FRTAnswered},
		{"first of several customer messages", chat("a", ev(0, Customer, Message), ev(10, Customer, Message), ev(45, Bot, Message)), nil, 45 * time.Second, FRTAnswered},
		{"bot then human: bot stops the default clock",
			chat("a", ev(0, Customer, Message), ev(2, Bot, Message), ev(60, Bot, Handoff), ev(100, Customer, Message), ev(300, Agent, Message)),
			nil, 2 * time.Second, FRTAnswered},
		{"bot then human: human FRT from the handoff",
			chat("a", ev(0, Customer, Message), ev(2, Bot, Message), ev(60, Bot, Handoff), ev(100, Customer, Message), ev(300, Agent, Message)),
			[]FirstResponseOption{WithFRTStart(FromHandoff), HumanReplies()}, 240 * time.Second, FRTAnswered},
		{"human FRT from the last handoff",
			chat("a", ev(0, Customer, Message), ev(10, Bot, Handoff), ev(20, Bot, Handoff), ev(50, Agent, Message)),
			[]FirstResponseOption{WithFRTStart(FromHandoff), HumanReplies()}, 30 * time.Second, FRTAnswered},
		{"human only without handoff", chat("a", ev(0, Customer, Message), ev(2, Bot, Message), ev(90, Agent, Message)),
			[]FirstResponseOption{HumanReplies()}, 90 * time.Second, FRTAnswered},
		{"not escalated", chat("a", ev(0, Customer, Message), ev(2, Bot, Message)),
			[]FirstResponseOption{WithFRTStart(FromHandoff)}, 0, FRTNotEscalated},
		{"outbound has no FRT", &Chat{Meta: Info{ID: "o", Outbound: true}, Events: []Event{ev(0, Agent, Message), ev(60, Customer, Message), ev(90, Agent, Message)}},
			nil, 0, FRTOutbound},
		{"outbound included: from the first customer message", &Chat{Meta: Info{ID: "o", Outbound: true}, Events: []Event{ev(0, Agent, Message), ev(60, Customer, Message), ev(90, Agent, Message)}},
			[]FirstResponseOption{IncludeOutbound()}, 30 * time.Second, FRTAnswered},
		{"system auto-reply does not stop the clock",
			chat("a", ev(0, Customer, Message), ev(1, System, Message, automatic), ev(1, System, Message), ev(120, Agent, Message)), nil, 120 * time.Second, FRTAnswered},
		{"automatic agent acknowledgement does not stop the clock",
			chat("a", ev(0, Customer, Message), ev(1, Agent, Message, automatic), ev(120, Agent, Message)), nil, 120 * time.Second, FRTAnswered},
		{"private note does not stop the clock",
			chat("a", ev(0, Customer, Message), ev(5, Agent, Message, private), ev(70, Agent, Message)), nil, 70 * time.Second, FRTAnswered},
		{"bot fallback is a reply", chat("a", ev(0, Customer, Message), ev(3, Bot, Fallback)), nil, 3 * time.Second, FRTAnswered},
		{"unanswered", chat("a", ev(0, Customer, Message), ev(5, Agent, Message, private), ev(9, Customer, Left)), nil, 0, FRTUnanswered},
		{"reply at the same instant: 0, counted", chat("a", ev(0, Customer, Message), ev(0, Bot, Message)), nil, 0, FRTAnswered},
		{"greeting before the customer does not count",
			chat("a", ev(0, Bot, Message), ev(10, Customer, Message), ev(25, Bot, Message)), nil, 15 * time.Second, FRTAnswered},
		{"from the conversation start (first event)",
			chat("a", ev(0, Bot, Message), ev(10, Customer, Message), ev(25, Bot, Message)),
			[]FirstResponseOption{WithFRTStart(FromConversationStart)}, 25 * time.Second, FRTAnswered},
		{"from Info.Start", &Chat{Meta: Info{ID: "s", Start: t0.Add(-time.Minute)}, Events: []Event{ev(10, Customer, Message), ev(25, Bot, Message)}},
			[]FirstResponseOption{WithFRTStart(FromConversationStart)}, 85 * time.Second, FRTAnswered},
		{"no customer message: unengaged", chat("a", ev(0, Bot, Message), ev(10, System, Message)), nil, 0, FRTUnengaged},
		{"empty: unengaged", chat("a"), nil, 0, FRTUnengaged},
		{"business time through the measure", chat("a", ev(0, Customer, Message), ev(100, Agent, Message)),
			[]FirstResponseOption{WithTimeMeasure(halfTime{})}, 50 * time.Second, FRTAnswered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, st, err := FirstResponse(tt.c, tt.opts...)
			require.NoError(t, err)
			assert.Equal(t, tt.status, st)
			assert.Equal(t, tt.want, d)
			// The same through the Conversation interface, not a *Chat.
			d2, st2, err := FirstResponse(Adapt(tt.c.Meta, plainEvents(tt.c.Events)), tt.opts...)
			require.NoError(t, err)
			assert.Equal(t, st, st2)
			assert.Equal(t, d, d2)
		})
	}
}

var errClosed = errors.New("calendar is never open")

// closedTime is a fake calendar that is never open.
type closedTime struct{}

func (closedTime) Elapsed(from, to time.Time) (time.Duration, error) { return 0, errClosed }

type plainEvent Event

func (e plainEvent) ChatEvent() Event { return Event(e) }

func plainEvents(es []Event) []plainEvent {
	out := make([]plainEvent, len(es))
	for i, e := range es {
		out[i] = plainEvent(e)
	}
	return out
}

func TestFirstResponseOutOfOrder(t *testing.T) {
	c := chat("late", ev(10, Customer, Message), ev(20, Bot, Message), ev(15, Agent, Message))
	_, _, err := FirstResponse(c)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "late", ie.Conversation)
	assert.Equal(t, 2, ie.Event)
	require.ErrorIs(t, err, ErrInvalid)
	var f FirstResponseTime
	require.Error(t, f.AddConversation(c))
	r, err := f.Result()
	require.ErrorIs(t, err, ErrNoData)
	assert.Zero(t, r.Answered+r.Unanswered, "nothing is added on error")

	// Info.Start after the reply: the measure fails, named.
	bad := &Chat{Meta: Info{ID: "s", Start: t0.Add(time.Hour)}, Events: []Event{ev(0, Customer, Message), ev(1, Bot, Message)}}
	_, _, err = FirstResponse(bad, WithFRTStart(FromConversationStart))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "s", ie.Conversation)

	// The measure's own error stays visible to errors.Is.
	_, _, err = FirstResponse(chat("c", ev(0, Customer, Message), ev(1, Bot, Message)), WithTimeMeasure(closedTime{}))
	require.ErrorIs(t, err, errClosed)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 0, ie.Event)
}

func TestFirstResponseTimeAccumulator(t *testing.T) {
	f, err := NewFirstResponseTime(WithSLA(time.Minute))
	require.NoError(t, err)
	for _, c := range []*Chat{
		chat("1", ev(0, Customer, Message), ev(30, Agent, Message)),
		chat("2", ev(0, Customer, Message), ev(90, Agent, Message)),
		chat("3", ev(0, Customer, Message)),
		chat("4", ev(0, Bot, Message)),
		{Meta: Info{ID: "5", Outbound: true}, Events: []Event{ev(0, Agent, Message)}},
	} {
		require.NoError(t, f.AddConversation(c))
	}
	r, err := f.Result()
	require.NoError(t, err)
	assert.Equal(t, FirstResponseResult{Stats: r.Stats, Answered: 2, Unanswered: 1, Outbound: 1, Unengaged: 1}, r)
	assert.Equal(t, 60*time.Second, r.Stats.Mean, "unanswered is not counted as 0")
	assert.Equal(t, []SLAAttainment{{time.Minute, Proportion{1, 2}}}, r.Stats.SLA)
	assert.Equal(t, Proportion{2, 3}, r.AnswerRate())

	b, err := f.MarshalBinary()
	require.NoError(t, err)
	var g FirstResponseTime
	require.NoError(t, g.UnmarshalBinary(b))
	r2, err := g.Result()
	require.NoError(t, err)
	assert.Equal(t, r, r2)
	for i := range b {
		require.ErrorIs(t, new(FirstResponseTime).UnmarshalBinary(b[:i]), ErrInvalid)
	}

	h, _ := NewFirstResponseTime(HumanReplies())
	require.ErrorIs(t, f.Merge(h), ErrIncompatible)
	m, _ := NewFirstResponseTime(WithTimeMeasure(halfTime{}), WithSLA(time.Minute))
	require.ErrorIs(t, f.Merge(m), ErrIncompatible)
	_, err = NewFirstResponseTime(WithFRTStart(9))
	require.ErrorIs(t, err, ErrInvalid)
}

func FuzzFirstResponseTimeUnmarshal(f *testing.F) {
	fr, _ := NewFirstResponseTime(WithStreaming())
	_ = fr.AddConversation(chat("1", ev(0, Customer, Message), ev(30, Agent, Message)))
	b, _ := fr.MarshalBinary()
	f.Add(b)
	var ex FirstResponseTime
	_ = ex.AddConversation(chat("1", ev(0, Customer, Message), ev(30, Agent, Message)))
	b, _ = ex.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var fr FirstResponseTime
		if err := fr.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		_, _ = fr.Result()
	})
}
