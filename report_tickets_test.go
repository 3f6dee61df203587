package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func ticketReport(t require.TestingT, s ReportSettings, chats []*Chat) *Summary {
	r, err := NewReport(s)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	sum, err := r.Summary()
	require.NoError(t, err)
	return sum
}

func TestReportTickets(t *testing.T) {
	s := ticketReport(t, ReportSettings{Metrics: MetricWaitTimes | MetricTouches}, touchChats())
	assert.Equal(t, []string{"wait_times", "touches"}, s.Metrics)
	m := s.Overall
	require.NotNil(t, m.Touches)
	assert.Equal(t, int64(5), m.Touches.Resolved)
	assert.Equal(t, RateSummary{Count: 3, Of: 5, Percent: 60}, withoutCI(*m.Touches.FirstContactResolution))
	assert.Equal(t, int64(2), m.Touches.OneTouch.Count)
	assert.Equal(t, int64(1), m.Touches.ZeroTouch.Count)
	assert.Equal(t, int64(1), m.Touches.TwoTouch.Count)
	assert.Equal(t, int64(1), m.Touches.MultiTouch.Count)
	assert.Equal(t, int64(1), m.Touches.Reopened)
	assert.Equal(t, int64(1), m.Touches.WithoutCustomer)
	require.NotNil(t, m.WaitTimes)
	// t1: 180, 60, 120 min to the first resolution, 220, 80, 120 to the
	// last; t2, t3, t4, t6: open or new until resolved, never pending.
	rw := m.WaitTimes.RequesterWaitTime
	assert.Equal(t, int64(5), rw.Count)
	assert.Equal(t, int64(2), rw.Unanswered, "t5 and t7 never resolved")
	assert.Equal(t, 180.0*60, *rw.MaxSeconds)
	assert.Equal(t, 60.0*60, *m.WaitTimes.AgentWaitTime.MaxSeconds)
	assert.Equal(t, 0.0, *m.WaitTimes.AgentWaitTime.MinSeconds)
	assert.Equal(t, 120.0*60, *m.WaitTimes.OnHoldTime.MaxSeconds)
	assert.Equal(t, 220.0*60, *m.WaitTimes.FullRequesterWaitTime.MaxSeconds)
	assert.Equal(t, 80.0*60, *m.WaitTimes.FullAgentWaitTime.MaxSeconds)
	assert.Equal(t, int64(1), m.WaitTimes.PendingConversations)
	assert.Equal(t, int64(1), m.WaitTimes.OnHoldConversations)

	// Off by default: absent.
	d := ticketReport(t, ReportSettings{}, touchChats())
	assert.Nil(t, d.Overall.WaitTimes)
	assert.Nil(t, d.Overall.Touches)
}

// withoutCI drops the interval and the small-sample flag of a rate.
func withoutCI(r RateSummary) RateSummary {
	r.CILow, r.CIHigh, r.SmallSample = 0, 0, false
	return r
}

func TestReportFirstContactAcrossGroups(t *testing.T) {
	// A is resolved on day 1 at 20:00; its customer comes back on day 2 at
	// 08:00 (B), within the 24-hour window: A is no first-contact
	// resolution, also in the group of day 1, which does not hold B.
	day := func(d, h int) time.Time { return time.Date(2026, 11, 22+d, h, 0, 0, 0, time.UTC) }
	chats := []*Chat{
		{Meta: Info{ID: "A", Customer: "u"}, Events: []Event{
			{Time: day(1, 19), Type: Message, Role: Customer},
			{Time: day(1, 19).Add(time.Minute), Type: Message, Role: Agent, Agent: "ana"},
			{Time: day(1, 20), Type: Resolved, Role: Agent, Agent: "ana"},
		}},
		{Meta: Info{ID: "B", Customer: "u"}, Events: []Event{
			{Time: day(2, 8), Type: Message, Role: Customer},
			{Time: day(2, 8).Add(time.Minute), Type: Message, Role: Agent, Agent: "bob"},
			{Time: day(2, 9), Type: Resolved, Role: Agent, Agent: "bob"},
		}},
	}
	for _, g := range [][MaxGroupings]Grouping{{}, {GroupByAgent()}} {
		s := ticketReport(t, ReportSettings{Period: Day, GroupBy: g, Metrics: MetricTouches}, chats)
		require.Len(t, s.Groups, 2)
		assert.Equal(t, int64(0), s.Groups[0].Touches.FirstContactResolution.Count, "day 1: A had a repeat contact")
		assert.Equal(t, int64(1), s.Groups[0].Touches.FirstContactResolution.Of)
		assert.Equal(t, int64(1), s.Groups[1].Touches.FirstContactResolution.Count, "day 2: B held")
		assert.Equal(t, int64(1), s.Overall.Touches.FirstContactResolution.Count)
		assert.Equal(t, int64(2), s.Overall.Touches.FirstContactResolution.Of)
	}
}

func TestReportTicketsCredit(t *testing.T) {
	// Ana answers, bob resolves the next day: the waits and the touches go
	// to bob, in the day of the resolution; the conversation counts for
	// both on the day it started.
	c := &Chat{Meta: Info{ID: "x", Customer: "u"}, Events: []Event{
		{Time: ticketAt(9, 0), Type: Message, Role: Customer},
		{Time: ticketAt(9, 10), Type: Message, Role: Agent, Agent: "ana"},
		{Time: ticketAt(9, 20), Type: Pending, Role: Agent, Agent: "ana"},
		{Time: ticketAt(10, 20), Type: Message, Role: Customer},
		{Time: ticketAt(9, 0).Add(24 * time.Hour), Type: Joined, Role: Agent, Agent: "bob"},
		{Time: ticketAt(10, 0).Add(24 * time.Hour), Type: Resolved, Role: Agent, Agent: "bob"},
	}}
	s := ticketReport(t, ReportSettings{Period: Day, GroupBy: [MaxGroupings]Grouping{GroupByAgent()}, Metrics: MetricWaitTimes | MetricTouches}, []*Chat{c})
	var bob *GroupSummary
	for i := range s.Groups {
		g := &s.Groups[i]
		if g.Key["agent"] == "bob" && g.Period == "2026-11-24" {
			bob = g
			continue
		}
		assert.Nil(t, g.WaitTimes, "%v %s", g.Key, g.Period)
		assert.Nil(t, g.Touches, "%v %s", g.Key, g.Period)
	}
	require.NotNil(t, bob)
	require.NotNil(t, bob.WaitTimes)
	// Requester wait: new 10 min + open 09:10–09:20 and 10:20 → next day
	// 10:00 = 10 min + 10 min + 23 h 40 min = 24 h; agent wait 60 min.
	assert.Equal(t, (24 * time.Hour).Seconds(), *bob.WaitTimes.RequesterWaitTime.MeanSeconds)
	assert.Equal(t, time.Hour.Seconds(), *bob.WaitTimes.AgentWaitTime.MeanSeconds)
	assert.Equal(t, int64(1), bob.Touches.OneTouch.Count)
}

func TestReportTicketsBusinessHours(t *testing.T) {
	bh, err := NewBusinessHours(time.UTC, weekdays(9*time.Hour, 17*time.Hour))
	require.NoError(t, err)
	fri := func(h int) time.Time { return time.Date(2026, 11, 27, h, 0, 0, 0, time.UTC) }
	mon := func(h int) time.Time { return time.Date(2026, 11, 30, h, 0, 0, 0, time.UTC) }
	c := &Chat{Meta: Info{ID: "b"}, Events: []Event{
		{Time: fri(15), Type: Message, Role: Customer},
		{Time: fri(16), Type: Pending, Role: Agent},
		{Time: mon(10), Type: Message, Role: Customer},
		{Time: mon(11), Type: Resolved, Role: Agent},
	}}
	s := ticketReport(t, ReportSettings{Metrics: MetricWaitTimes, WaitTimes: WaitTimesSettings{BusinessHours: bh}}, []*Chat{c})
	assert.Equal(t, "business", s.TimeBasis)
	assert.Equal(t, (2 * time.Hour).Seconds(), *s.Overall.WaitTimes.AgentWaitTime.MeanSeconds, "Fri 16–17, Mon 9–10")
	assert.Equal(t, (2 * time.Hour).Seconds(), *s.Overall.WaitTimes.RequesterWaitTime.MeanSeconds)
	cal := ticketReport(t, ReportSettings{Metrics: MetricWaitTimes}, []*Chat{c})
	assert.Equal(t, "calendar", cal.TimeBasis)
	assert.Equal(t, (66 * time.Hour).Seconds(), *cal.Overall.WaitTimes.AgentWaitTime.MeanSeconds)
}

// The overall ticket metrics of a grouped report, the merge of its groups,
// equal the ungrouped report's, before and after an encoding round trip;
// and every group's first-contact resolutions are judged against the whole
// report, so they add up to the overall ones.
func TestReportTicketsGroupedEqualsUngrouped(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		on := MetricWaitTimes | MetricTouches | MetricResolutionTime
		chats := drawTicketChats(t)
		if len(chats) == 0 {
			return
		}
		for _, c := range chats {
			if len(c.Events) == 0 { // a report needs a start
				c.Meta.Start = ticketAt(0, 0)
			}
		}
		window := time.Duration(rapid.IntRange(1, 72).Draw(t, "window hours")) * time.Hour
		base := ReportSettings{Metrics: on, Outcomes: OutcomesSettings{RepeatContactWindow: window}}
		flat := ticketReport(t, base, chats)
		grouped := base
		grouped.Period = rapid.SampledFrom([]Period{Day, Week}).Draw(t, "period")
		grouped.GroupBy[0] = rapid.SampledFrom([]Grouping{GroupByAgent(), GroupByHandler()}).Draw(t, "grouping")
		r, err := NewReport(grouped)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, r.AddConversation(c))
		}
		gs, err := r.Summary()
		require.NoError(t, err)
		require.Equal(t, flat.Overall.WaitTimes, gs.Overall.WaitTimes)
		require.Equal(t, flat.Overall.Touches, gs.Overall.Touches)
		var fcr, judged, resolved int64
		for _, g := range gs.Groups {
			if g.Touches != nil {
				resolved += g.Touches.Resolved
				if f := g.Touches.FirstContactResolution; f != nil {
					fcr, judged = fcr+f.Count, judged+f.Of
				}
			}
		}
		if o := gs.Overall.Touches; o != nil {
			require.Equal(t, o.Resolved, resolved)
			require.Equal(t, o.FirstContactResolution.Count, fcr)
			require.Equal(t, o.FirstContactResolution.Of, judged)
		}
		b, err := r.MarshalBinary()
		require.NoError(t, err)
		var back Report
		require.NoError(t, back.UnmarshalBinary(b))
		bs, err := back.Summary()
		require.NoError(t, err)
		require.Equal(t, gs, bs)
	})
}
