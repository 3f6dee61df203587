package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticketAt is 2026-11-23 (a Monday) at h:m UTC.
func ticketAt(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, time.UTC) }

// ticketChat is the worked example of the wait times: customer 09:00; agent
// reply 09:10 (open); pending 09:20; customer 10:20 (open); on hold 10:30;
// opened 12:30; resolved 13:00; reopened 14:00; agent reply 14:30; pending
// 14:40; resolved 15:00.
func ticketChat() *Chat {
	return &Chat{Meta: Info{ID: "t1", Customer: "c1"}, Events: []Event{
		{Time: ticketAt(9, 0), Type: Message, Role: Customer},
		{Time: ticketAt(9, 10), Type: Message, Role: Agent, Agent: "ana"},
		{Time: ticketAt(9, 20), Type: Pending, Role: Agent, Agent: "ana"},
		{Time: ticketAt(10, 20), Type: Message, Role: Customer},
		{Time: ticketAt(10, 30), Type: OnHold, Role: Agent, Agent: "ana"},
		{Time: ticketAt(12, 30), Type: Opened, Role: System},
		{Time: ticketAt(13, 0), Type: Resolved, Role: Agent, Agent: "ana"},
		{Time: ticketAt(14, 0), Type: Reopened, Role: Customer},
		{Time: ticketAt(14, 30), Type: Message, Role: Agent, Agent: "ana"},
		{Time: ticketAt(14, 40), Type: Pending, Role: Agent, Agent: "ana"},
		{Time: ticketAt(15, 0), Type: Resolved, Role: Agent, Agent: "ana"},
	}}
}

func TestTicketStates(t *testing.T) {
	c := ticketChat()
	var tl ticketTimeline
	require.NoError(t, tl.build(&c.Meta, c.Events))
	for _, tc := range []struct {
		at   time.Time
		want ticketState
	}{
		{ticketAt(8, 59), 0}, {ticketAt(9, 0), stateNew}, {ticketAt(9, 5), stateNew}, {ticketAt(9, 10), stateOpen},
		{ticketAt(9, 20), statePending}, {ticketAt(10, 19), statePending}, {ticketAt(10, 20), stateOpen},
		{ticketAt(11, 0), stateOnHold}, {ticketAt(12, 30), stateOpen}, {ticketAt(13, 30), stateResolved},
		{ticketAt(14, 10), stateOpen}, {ticketAt(14, 50), statePending}, {ticketAt(23, 0), stateResolved},
	} {
		assert.Equal(t, tc.want, tl.stateAt(tc.at), "at %s", tc.at.Format("15:04"))
	}
	assert.True(t, tl.everPending)
	assert.True(t, tl.everOnHold)
	assert.True(t, tl.resolvedAtEnd)

	// Hand-computed: requester wait to 13:00 is new 10 + open 10 + open 10
	// + on hold 120 + open 30 = 180 min; agent wait 60 min; on hold 120.
	for _, tc := range []struct {
		set    stateSet
		t0, t1 time.Time
		want   time.Duration
	}{
		{requesterWaitStates, ticketAt(9, 0), ticketAt(13, 0), 180 * time.Minute},
		{agentWaitStates, ticketAt(9, 0), ticketAt(13, 0), 60 * time.Minute},
		{onHoldStates, ticketAt(9, 0), ticketAt(13, 0), 120 * time.Minute},
		{requesterWaitStates, ticketAt(9, 0), ticketAt(15, 0), 220 * time.Minute}, // + open 14:00–14:40
		{agentWaitStates, ticketAt(9, 0), ticketAt(15, 0), 80 * time.Minute},      // + pending 14:40–15:00
		{requesterWaitStates, ticketAt(9, 30), ticketAt(11, 0), 40 * time.Minute}, // open 10:20–10:30, on hold 10:30–11:00
		{requesterWaitStates, ticketAt(8, 0), ticketAt(9, 5), 5 * time.Minute},    // nothing before the start
		{agentWaitStates, ticketAt(16, 0), ticketAt(17, 0), 0},                    // resolved
		{requesterWaitStates, ticketAt(10, 0), ticketAt(10, 0), 0},
	} {
		got, err := tl.timeIn(tc.set, tc.t0, tc.t1, nil)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%b %s–%s", tc.set, tc.t0.Format("15:04"), tc.t1.Format("15:04"))
	}
	got, err := tl.requesterWait(ticketAt(9, 0), ticketAt(13, 0), nil)
	require.NoError(t, err)
	assert.Equal(t, 180*time.Minute, got)
	_, err = tl.timeIn(requesterWaitStates, ticketAt(10, 0), ticketAt(9, 0), nil)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestTicketStateRules(t *testing.T) {
	at := func(m int) time.Time { return ticketAt(9, m) }
	for name, tc := range map[string]struct {
		events []Event
		want   []ticketState // the state just after each event
	}{
		"customer message ends pending and on hold": {
			[]Event{{Type: Pending, Role: Agent}, {Type: Message, Role: Customer}, {Type: OnHold, Role: Agent}, {Type: Message, Role: Customer}},
			[]ticketState{statePending, stateOpen, stateOnHold, stateOpen},
		},
		"agent reply ends pending, not on hold": {
			[]Event{{Type: Pending, Role: Agent}, {Type: Message, Role: Agent}, {Type: OnHold, Role: Agent}, {Type: Message, Role: Agent}},
			[]ticketState{statePending, stateOpen, stateOnHold, stateOnHold},
		},
		"notes, automatic messages and bots do not end pending": {
			[]Event{{Type: Message, Role: Customer}, {Type: Pending, Role: Bot}, {Type: Message, Role: Agent, Private: true},
				{Type: Message, Role: Agent, Automatic: true}, {Type: Message, Role: Bot}, {Type: Message, Role: System}, {Type: Opened, Role: System}},
			[]ticketState{stateNew, statePending, statePending, statePending, statePending, statePending, stateOpen},
		},
		"new until the team acts": {
			[]Event{{Type: Message, Role: Customer}, {Type: Message, Role: Bot}, {Type: Joined, Role: System, Agent: "ana"}, {Type: Joined, Role: Agent, Agent: "bob"}},
			[]ticketState{stateNew, stateNew, stateOpen, stateOpen},
		},
		"joined keeps pending": {
			[]Event{{Type: Pending, Role: Agent}, {Type: Joined, Role: Agent, Agent: "bob"}},
			[]ticketState{statePending, statePending},
		},
		"resolved stays resolved until reopened": {
			[]Event{{Type: Resolved, Role: Agent}, {Type: Message, Role: Customer}, {Type: Pending, Role: Agent}, {Type: Opened, Role: Agent},
				{Type: Reopened, Role: Customer}, {Type: Pending, Role: Agent}, {Type: Reopened, Role: Agent}},
			[]ticketState{stateResolved, stateResolved, stateResolved, stateResolved, stateOpen, statePending, stateOpen},
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := stateNew
			for i := range tc.events {
				tc.events[i].Time = at(i)
				s = nextState(s, &tc.events[i])
				assert.Equal(t, tc.want[i], s, "after event %d (%s)", i, tc.events[i].Type)
			}
			// The timeline agrees with the rule, event by event.
			var tl ticketTimeline
			require.NoError(t, tl.build(&Info{ID: "r"}, tc.events))
			for i := range tc.events {
				assert.Equal(t, tc.want[i], tl.stateAt(at(i)), "timeline after event %d", i)
			}
		})
	}
}

func TestTicketTimelineSameInstant(t *testing.T) {
	// Pending and a customer message at one instant: a 0 s pending state,
	// which leaves the spans as if it never happened.
	ev := []Event{
		{Time: ticketAt(9, 0), Type: Message, Role: Customer},
		{Time: ticketAt(9, 10), Type: Message, Role: Agent},
		{Time: ticketAt(9, 20), Type: Pending, Role: Agent},
		{Time: ticketAt(9, 20), Type: Message, Role: Customer},
		{Time: ticketAt(9, 30), Type: Resolved, Role: Agent},
	}
	var tl ticketTimeline
	require.NoError(t, tl.build(&Info{ID: "s"}, ev))
	assert.Equal(t, []ticketSpan{{ticketAt(9, 0), stateNew}, {ticketAt(9, 10), stateOpen}, {ticketAt(9, 30), stateResolved}}, tl.spans)
	assert.True(t, tl.everPending, "it was pending, for 0 s")
	d, err := tl.timeIn(agentWaitStates, ticketAt(9, 0), ticketAt(9, 30), nil)
	require.NoError(t, err)
	assert.Zero(t, d)
}

func TestTicketTimelineStartAndBusinessHours(t *testing.T) {
	// Opened Friday 2026-11-27 15:00, pending from 16:00 to Monday 10:00,
	// resolved Monday 11:00; open 09:00–17:00 on weekdays.
	bh, err := NewBusinessHours(time.UTC, weekdays(9*time.Hour, 17*time.Hour))
	require.NoError(t, err)
	fri := func(h int) time.Time { return time.Date(2026, 11, 27, h, 0, 0, 0, time.UTC) }
	mon := func(h int) time.Time { return time.Date(2026, 11, 30, h, 0, 0, 0, time.UTC) }
	info := Info{ID: "b", Start: fri(15)}
	ev := []Event{
		{Time: fri(15).Add(time.Minute), Type: Message, Role: Customer},
		{Time: fri(16), Type: Pending, Role: Agent},
		{Time: mon(10), Type: Message, Role: Customer},
		{Time: mon(11), Type: Resolved, Role: Agent},
	}
	var tl ticketTimeline
	require.NoError(t, tl.build(&info, ev))
	assert.Equal(t, stateNew, tl.stateAt(fri(15)), "from Info.Start")
	for _, tc := range []struct {
		set            stateSet
		calendar, open time.Duration
	}{
		{agentWaitStates, 66 * time.Hour, 2 * time.Hour}, // Fri 16–17, Mon 9–10
		{requesterWaitStates, 2 * time.Hour, 2 * time.Hour},
	} {
		cal, err := tl.timeIn(tc.set, fri(15), mon(11), nil)
		require.NoError(t, err)
		assert.Equal(t, tc.calendar, cal)
		biz, err := tl.timeIn(tc.set, fri(15), mon(11), bh)
		require.NoError(t, err)
		assert.Equal(t, tc.open, biz)
	}
	_, err = tl.timeIn(agentWaitStates, fri(15), mon(11), &BusinessHours{})
	assert.ErrorIs(t, err, ErrInvalid, "a calendar never open")

	bad := Info{ID: "b", Start: fri(16)}
	err = tl.build(&bad, ev)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 0, ie.Event)

	require.NoError(t, tl.build(&Info{ID: "empty"}, nil))
	assert.Empty(t, tl.spans)
	assert.Equal(t, ticketState(0), tl.stateAt(fri(15)))
}
