package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var timingT0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// ev builds an event at timingT0 + sec seconds; mods adjust it.
func tev(sec float64, role Role, typ EventType, mods ...func(*Event)) Event {
	e := Event{Time: timingT0.Add(time.Duration(sec * float64(time.Second))), Role: role, Type: typ}
	if typ == Joined || (role == Agent && typ == Message) {
		e.Agent = "ana"
	}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func privateNote(e *Event) { e.Private = true }
func autoAck(e *Event)     { e.Automatic = true }

func tchat(id string, events ...Event) *Chat {
	return &Chat{Meta: Info{ID: id}, Events: events}
}

// halfTimeMeasure is a fake business calendar: half of the elapsed time counts.
type halfTimeMeasure struct{}

func (halfTimeMeasure) Elapsed(from, to time.Time) (time.Duration, error) {
	d, err := calendarTime{}.Elapsed(from, to)
	return d / 2, err
}

func TestFirstResponseCases(t *testing.T) {
	tests := []struct {
		name   string
		c      *Chat
		opts   FirstResponseSettings
		want   time.Duration
		status FRTStatus
	}{
		{"agent reply", tchat("a", tev(0, Customer, Message), tev(30, Agent, Message)), FirstResponseSettings{}, 30 * time.Second, FRTAnswered},
		{"first of several customer messages", tchat("a", tev(0, Customer, Message), tev(10, Customer, Message), tev(45, Bot, Message)), FirstResponseSettings{}, 45 * time.Second, FRTAnswered},
		{"bot then human: bot stops the default clock",
			tchat("a", tev(0, Customer, Message), tev(2, Bot, Message), tev(60, Bot, Handoff), tev(100, Customer, Message), tev(300, Agent, Message)),
			FirstResponseSettings{}, 2 * time.Second, FRTAnswered},
		{"bot then human: human FRT from the handoff",
			tchat("a", tev(0, Customer, Message), tev(2, Bot, Message), tev(60, Bot, Handoff), tev(100, Customer, Message), tev(300, Agent, Message)),
			FirstResponseSettings{Start: FromHandoff, HumanOnly: true}, 240 * time.Second, FRTAnswered},
		{"human FRT from the last handoff",
			tchat("a", tev(0, Customer, Message), tev(10, Bot, Handoff), tev(20, Bot, Handoff), tev(50, Agent, Message)),
			FirstResponseSettings{Start: FromHandoff, HumanOnly: true}, 30 * time.Second, FRTAnswered},
		{"human only without handoff", tchat("a", tev(0, Customer, Message), tev(2, Bot, Message), tev(90, Agent, Message)),
			FirstResponseSettings{HumanOnly: true}, 90 * time.Second, FRTAnswered},
		{"not escalated", tchat("a", tev(0, Customer, Message), tev(2, Bot, Message)),
			FirstResponseSettings{Start: FromHandoff}, 0, FRTNotEscalated},
		{"outbound has no FRT", &Chat{Meta: Info{ID: "o", Outbound: true}, Events: []Event{tev(0, Agent, Message), tev(60, Customer, Message), tev(90, Agent, Message)}},
			FirstResponseSettings{}, 0, FRTOutbound},
		{"outbound included: from the first customer message", &Chat{Meta: Info{ID: "o", Outbound: true}, Events: []Event{tev(0, Agent, Message), tev(60, Customer, Message), tev(90, Agent, Message)}},
			FirstResponseSettings{IncludeOutbound: true}, 30 * time.Second, FRTAnswered},
		{"system auto-reply does not stop the clock",
			tchat("a", tev(0, Customer, Message), tev(1, System, Message, autoAck), tev(1, System, Message), tev(120, Agent, Message)), FirstResponseSettings{}, 120 * time.Second, FRTAnswered},
		{"automatic agent acknowledgement does not stop the clock",
			tchat("a", tev(0, Customer, Message), tev(1, Agent, Message, autoAck), tev(120, Agent, Message)), FirstResponseSettings{}, 120 * time.Second, FRTAnswered},
		{"private note does not stop the clock",
			tchat("a", tev(0, Customer, Message), tev(5, Agent, Message, privateNote), tev(70, Agent, Message)), FirstResponseSettings{}, 70 * time.Second, FRTAnswered},
		{"bot fallback is a reply", tchat("a", tev(0, Customer, Message), tev(3, Bot, Fallback)), FirstResponseSettings{}, 3 * time.Second, FRTAnswered},
		{"unanswered", tchat("a", tev(0, Customer, Message), tev(5, Agent, Message, privateNote), tev(9, Customer, Left)), FirstResponseSettings{}, 0, FRTUnanswered},
		{"reply at the same instant: 0, counted", tchat("a", tev(0, Customer, Message), tev(0, Bot, Message)), FirstResponseSettings{}, 0, FRTAnswered},
		{"greeting before the customer does not count",
			tchat("a", tev(0, Bot, Message), tev(10, Customer, Message), tev(25, Bot, Message)), FirstResponseSettings{}, 15 * time.Second, FRTAnswered},
		{"from the conversation start (first event)",
			tchat("a", tev(0, Bot, Message), tev(10, Customer, Message), tev(25, Bot, Message)),
			FirstResponseSettings{Start: FromConversationStart}, 25 * time.Second, FRTAnswered},
		{"from Info.Start", &Chat{Meta: Info{ID: "s", Start: timingT0.Add(-time.Minute)}, Events: []Event{tev(10, Customer, Message), tev(25, Bot, Message)}},
			FirstResponseSettings{Start: FromConversationStart}, 85 * time.Second, FRTAnswered},
		{"no customer message: unengaged", tchat("a", tev(0, Bot, Message), tev(10, System, Message)), FirstResponseSettings{}, 0, FRTUnengaged},
		{"empty: unengaged", tchat("a"), FirstResponseSettings{}, 0, FRTUnengaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, st, err := FirstResponse(tt.c, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.status, st)
			assert.Equal(t, tt.want, d)
			// The same through the Conversation interface, not a *Chat.
			d2, st2, err := FirstResponse(Adapt(tt.c.Meta, timingPlainEvents(tt.c.Events)), tt.opts)
			require.NoError(t, err)
			assert.Equal(t, st, st2)
			assert.Equal(t, d, d2)
		})
	}
	// Business time through the measure (a fake calendar, set on the
	// accumulator: the settings take a *BusinessHours).
	f, err := NewFirstResponseTime(FirstResponseSettings{})
	require.NoError(t, err)
	f.cfg.measure = halfTimeMeasure{}
	d, st, err := f.measure(tchat("a", tev(0, Customer, Message), tev(100, Agent, Message)))
	require.NoError(t, err)
	assert.Equal(t, FRTAnswered, st)
	assert.Equal(t, 50*time.Second, d)
}

var errClosedCalendar = errors.New("calendar is never open")

// closedTimeMeasure is a fake calendar that is never open.
type closedTimeMeasure struct{}

func (closedTimeMeasure) Elapsed(from, to time.Time) (time.Duration, error) {
	return 0, errClosedCalendar
}

type timingPlainEvent Event

func (e timingPlainEvent) ChatEvent() Event { return Event(e) }

func timingPlainEvents(es []Event) []timingPlainEvent {
	out := make([]timingPlainEvent, len(es))
	for i, e := range es {
		out[i] = timingPlainEvent(e)
	}
	return out
}

func TestFirstResponseOutOfOrder(t *testing.T) {
	c := tchat("late", tev(10, Customer, Message), tev(20, Bot, Message), tev(15, Agent, Message))
	_, _, err := FirstResponse(c, FirstResponseSettings{})
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
	bad := &Chat{Meta: Info{ID: "s", Start: timingT0.Add(time.Hour)}, Events: []Event{tev(0, Customer, Message), tev(1, Bot, Message)}}
	_, _, err = FirstResponse(bad, FirstResponseSettings{Start: FromConversationStart})
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "s", ie.Conversation)

	// The measure's own error stays visible to errors.Is.
	closed, _ := NewFirstResponseTime(FirstResponseSettings{})
	closed.cfg.measure = closedTimeMeasure{}
	_, _, err = closed.measure(tchat("c", tev(0, Customer, Message), tev(1, Bot, Message)))
	require.ErrorIs(t, err, errClosedCalendar)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 0, ie.Event)
}

func TestFirstResponseTimeAccumulator(t *testing.T) {
	f, err := NewFirstResponseTime(FirstResponseSettings{Durations: DurationsSettings{SLA: [MaxSLATargets]time.Duration{time.Minute}}})
	require.NoError(t, err)
	for _, c := range []*Chat{
		tchat("1", tev(0, Customer, Message), tev(30, Agent, Message)),
		tchat("2", tev(0, Customer, Message), tev(90, Agent, Message)),
		tchat("3", tev(0, Customer, Message)),
		tchat("4", tev(0, Bot, Message)),
		{Meta: Info{ID: "5", Outbound: true}, Events: []Event{tev(0, Agent, Message)}},
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

	h, _ := NewFirstResponseTime(FirstResponseSettings{HumanOnly: true})
	require.ErrorIs(t, f.Merge(h), ErrIncompatible)
	m, _ := NewFirstResponseTime(FirstResponseSettings{Durations: DurationsSettings{SLA: [MaxSLATargets]time.Duration{time.Minute}}})
	m.cfg.measure = halfTimeMeasure{}
	require.ErrorIs(t, f.Merge(m), ErrIncompatible)
	_, err = NewFirstResponseTime(FirstResponseSettings{Start: 9})
	require.ErrorIs(t, err, ErrInvalid)
}

// TestFirstResponseTimeUnmarshalRejectsCountsOfOtherSettings: outbound
// conversations cannot be excluded when they are included, and only
// FromHandoff leaves conversations not escalated.
func TestFirstResponseTimeUnmarshalRejectsCountsOfOtherSettings(t *testing.T) {
	for name, build := range map[string]func() *FirstResponseTime{
		"outbound counted although included": func() *FirstResponseTime {
			f, _ := NewFirstResponseTime(FirstResponseSettings{IncludeOutbound: true})
			f.outbound = 2
			return f
		},
		"not escalated without FromHandoff": func() *FirstResponseTime {
			f, _ := NewFirstResponseTime(FirstResponseSettings{})
			f.notEscalated = 3
			return f
		},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := build().MarshalBinary()
			require.NoError(t, err)
			require.ErrorIs(t, new(FirstResponseTime).UnmarshalBinary(b), ErrInvalid)
		})
	}
	ok, _ := NewFirstResponseTime(FirstResponseSettings{Start: FromHandoff})
	ok.notEscalated, ok.outbound = 3, 2
	b, err := ok.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, new(FirstResponseTime).UnmarshalBinary(b))
}

func FuzzFirstResponseTimeUnmarshal(f *testing.F) {
	fr, _ := NewFirstResponseTime(FirstResponseSettings{Durations: DurationsSettings{Streaming: true}})
	_ = fr.AddConversation(tchat("1", tev(0, Customer, Message), tev(30, Agent, Message)))
	b, _ := fr.MarshalBinary()
	f.Add(b)
	var ex FirstResponseTime
	_ = ex.AddConversation(tchat("1", tev(0, Customer, Message), tev(30, Agent, Message)))
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
