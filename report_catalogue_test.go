package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// catalogueChats are eight conversations whose catalogue figures are worked
// out by hand in TestReportCatalogueKnownAnswers.
//
//	A u1  23rd 22:00 customer, 22:01 ana, resolved 24th 00:05
//	B u1  24th 08:00 customer, 08:02 ana, resolved 08:10  (7h55m after A's resolution: A is repeated)
//	G u3  24th 08:05 customer, 08:06 ana, resolved 08:20  (ana has B and G open 08:06–08:10)
//	D u2  24th 09:00 customer, 09:02 bob, resolved 09:05, reopened 15:00 (ends reopened)
//	E --  24th 11:00 customer, 11:00:05 bot, resolved 11:01 (no customer id)
//	F u4  24th 12:00 outbound, ana writes; never engaged
//	H --  24th 13:00 bot greeting only; never engaged
//	C u1  25th 10:00 customer, 10:03 bob, resolved 10:20, reopened 10:50, resolved 12:30
//	      (25h50m after B's resolution: B is not repeated)
func catalogueChats() []*chatkpi.Chat {
	day := func(d, h, m, s int) time.Time { return time.Date(2026, 11, d, h, m, s, 0, time.UTC) }
	cust := func(t time.Time) chatkpi.Event {
		return chatkpi.Event{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer}
	}
	agent := func(t time.Time, a string) chatkpi.Event {
		return chatkpi.Event{Time: t, Type: chatkpi.Message, Role: chatkpi.Agent, Agent: a}
	}
	resolved := func(t time.Time) chatkpi.Event {
		return chatkpi.Event{Time: t, Type: chatkpi.Resolved, Role: chatkpi.Agent}
	}
	reopened := func(t time.Time) chatkpi.Event {
		return chatkpi.Event{Time: t, Type: chatkpi.Reopened, Role: chatkpi.Customer}
	}
	bot := func(t time.Time) chatkpi.Event {
		return chatkpi.Event{Time: t, Type: chatkpi.Message, Role: chatkpi.Bot}
	}
	return []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "A", Customer: "u1"}, Events: []chatkpi.Event{
			cust(day(23, 22, 0, 0)), agent(day(23, 22, 1, 0), "ana"), resolved(day(24, 0, 5, 0))}},
		{Meta: chatkpi.Info{ID: "B", Customer: "u1"}, Events: []chatkpi.Event{
			cust(day(24, 8, 0, 0)), agent(day(24, 8, 2, 0), "ana"), resolved(day(24, 8, 10, 0))}},
		{Meta: chatkpi.Info{ID: "G", Customer: "u3"}, Events: []chatkpi.Event{
			cust(day(24, 8, 5, 0)), agent(day(24, 8, 6, 0), "ana"), resolved(day(24, 8, 20, 0))}},
		{Meta: chatkpi.Info{ID: "D", Customer: "u2"}, Events: []chatkpi.Event{
			cust(day(24, 9, 0, 0)), agent(day(24, 9, 2, 0), "bob"), resolved(day(24, 9, 5, 0)), reopened(day(24, 15, 0, 0))}},
		{Meta: chatkpi.Info{ID: "E"}, Events: []chatkpi.Event{
			cust(day(24, 11, 0, 0)), bot(day(24, 11, 0, 5)), {Time: day(24, 11, 1, 0), Type: chatkpi.Resolved, Role: chatkpi.Bot}}},
		{Meta: chatkpi.Info{ID: "F", Customer: "u4", Outbound: true}, Events: []chatkpi.Event{agent(day(24, 12, 0, 0), "ana")}},
		{Meta: chatkpi.Info{ID: "H"}, Events: []chatkpi.Event{bot(day(24, 13, 0, 0))}},
		{Meta: chatkpi.Info{ID: "C", Customer: "u1"}, Events: []chatkpi.Event{
			cust(day(25, 10, 0, 0)), agent(day(25, 10, 3, 0), "bob"), resolved(day(25, 10, 20, 0)),
			reopened(day(25, 10, 50, 0)), resolved(day(25, 12, 30, 0))}},
	}
}

func catalogueSummary(t *testing.T, s chatkpi.ReportSettings) *chatkpi.Summary {
	t.Helper()
	if s.Metrics == 0 {
		s.Metrics = chatkpi.AllMetrics
	}
	r, err := chatkpi.NewReport(s)
	require.NoError(t, err)
	for _, c := range catalogueChats() {
		require.NoError(t, r.AddConversation(c))
	}
	sum, err := r.Summary()
	require.NoError(t, err)
	return sum
}

func rateCounts(r *chatkpi.RateSummary) [2]int64 {
	if r == nil {
		return [2]int64{-1, -1}
	}
	return [2]int64{r.Count, r.Of}
}

func TestReportCatalogueKnownAnswers(t *testing.T) {
	m := catalogueSummary(t, chatkpi.ReportSettings{}).Overall
	assert.Equal(t, int64(8), m.Conversations)
	assert.Equal(t, int64(8), m.ActiveConversations)
	// Engaged: A B C D E G. Durable within 7 days: all but D (reopened
	// after 5h55m and never resolved again); C's reopen after 30 min is
	// undone by its resolution at 12:30.
	require.NotNil(t, m.Completion)
	assert.Equal(t, [2]int64{5, 6}, rateCounts(&m.Completion.RateSummary))
	assert.Equal(t, int64(0), m.Completion.Pending)
	// Successful: B (C starts 25h50m after it), C, E (no customer id), G;
	// not A (B starts 7h55m after it) nor D (ends reopened).
	require.NotNil(t, m.SuccessfulChat)
	assert.Equal(t, [2]int64{4, 6}, rateCounts(&m.SuccessfulChat.RateSummary))
	assert.Equal(t, int64(1), m.SuccessfulChat.WithoutCustomer)
	assert.InDelta(t, 400.0/6, m.SuccessfulChat.Percent, 1e-9)
	// Resolved A B C D E G; reopened C and D, once each, each a cycle; D
	// ends reopened.
	assert.Equal(t, &chatkpi.ResolutionsSummary{Resolved: 6, Reopened: 2, Reopens: 2, Cycles: 2, EndsReopened: 1}, m.Resolutions)
	// F is outbound, H unengaged: both excluded from the first response.
	require.NotNil(t, m.FirstResponseTime)
	assert.Equal(t, int64(1), m.FirstResponseTime.Outbound)
	assert.Equal(t, int64(1), m.FirstResponseTime.Unengaged)
	assert.Equal(t, int64(2), m.FirstResponseTime.Excluded)
	assert.Nil(t, m.ResolutionTime.Percentiles)
	assert.Zero(t, m.ResolutionTime.Outbound)
	// ana: A [22:01, 00:05) 7440 s, B [08:02, 08:10) 480 s, G [08:06,
	// 08:20) 840 s, F (one event: no time open); busy 7440 + 1080 s.
	// bob: D [09:02, 15:00) 21480 s (it ends reopened, at its last event),
	// C [10:03, 12:30) 8820 s (closed by the last resolution).
	require.Len(t, m.Agents, 2)
	ana, bob := m.Agents[0], m.Agents[1]
	mean := 8760.0 / 8520
	assert.Equal(t, chatkpi.AgentSummary{Agent: "ana", Conversations: 4, Replies: 4, MaxConcurrent: 2,
		MeanConcurrency: &mean, OpenSeconds: 8760, BusySeconds: 8520}, ana)
	one := 1.0
	assert.Equal(t, chatkpi.AgentSummary{Agent: "bob", Conversations: 2, Replies: 2, MaxConcurrent: 1,
		MeanConcurrency: &one, OpenSeconds: 30300, BusySeconds: 30300}, bob)

	// The windows change the figures: with 1 h, D's reopen (after 5h55m)
	// no longer undoes its resolution, and B (7h55m after A's resolution)
	// is no longer a repeat contact of A.
	w := catalogueSummary(t, chatkpi.ReportSettings{Outcomes: chatkpi.OutcomesSettings{
		CompletionWindow: time.Hour, RepeatContactWindow: time.Hour}}).Overall
	assert.Equal(t, [2]int64{6, 6}, rateCounts(&w.Completion.RateSummary))
	assert.Equal(t, [2]int64{5, 6}, rateCounts(&w.SuccessfulChat.RateSummary))

	// The metrics can be left out.
	off := catalogueSummary(t, chatkpi.ReportSettings{Metrics: chatkpi.DefaultMetrics &^ (chatkpi.MetricSuccessfulChat | chatkpi.MetricAgents)}).Overall
	assert.Nil(t, off.SuccessfulChat)
	assert.Nil(t, off.Agents)
	assert.NotNil(t, off.Completion)
	only := catalogueSummary(t, chatkpi.ReportSettings{Metrics: chatkpi.MetricSuccessfulChat}).Overall
	assert.Equal(t, [2]int64{4, 6}, rateCounts(&only.SuccessfulChat.RateSummary))
	assert.Nil(t, only.Outcomes)
	assert.Nil(t, only.Completion)
}

func TestReportCatalogueByDay(t *testing.T) {
	s := catalogueSummary(t, chatkpi.ReportSettings{Period: chatkpi.Day})
	require.Len(t, s.Groups, 3)
	d23, d24, d25 := s.Groups[0].MetricsSummary, s.Groups[1].MetricsSummary, s.Groups[2].MetricsSummary
	// A starts on the 23rd and is resolved on the 24th: active on both,
	// its resolution on the 24th, its repeat contact (B) on the 24th.
	assert.Equal(t, [3]int64{1, 6, 1}, [3]int64{d23.Conversations, d24.Conversations, d25.Conversations})
	assert.Equal(t, [3]int64{1, 7, 1}, [3]int64{d23.ActiveConversations, d24.ActiveConversations, d25.ActiveConversations})
	assert.Equal(t, [2]int64{0, 1}, rateCounts(&d23.SuccessfulChat.RateSummary))
	assert.Equal(t, [2]int64{3, 4}, rateCounts(&d24.SuccessfulChat.RateSummary)) // B, E, G of B, D, E, G
	assert.Equal(t, [2]int64{1, 1}, rateCounts(&d25.SuccessfulChat.RateSummary))
	assert.Nil(t, d23.Resolutions)
	assert.Equal(t, &chatkpi.ResolutionsSummary{Resolved: 5, Reopened: 1, Reopens: 1, Cycles: 1, EndsReopened: 1}, d24.Resolutions)
	assert.Equal(t, &chatkpi.ResolutionsSummary{Resolved: 1, Reopened: 1, Reopens: 1, Cycles: 1}, d25.Resolutions)
	// The overall counts each conversation once.
	assert.Equal(t, int64(8), s.Overall.ActiveConversations)
	assert.Equal(t, [2]int64{4, 6}, rateCounts(&s.Overall.SuccessfulChat.RateSummary))
}

// The report's per-agent figures are those of an Agents calculator fed the
// same conversations, ungrouped and grouped (the groups then hold each
// conversation once, in its home group).
func TestReportSettingsAgentsEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := settingsChats(t, chatkpitest.Chat())
		var calc chatkpi.Agents
		kept := chats[:0]
		for _, c := range chats {
			// The calculator rejects an agent reply without an agent id,
			// which the report takes as nobody's.
			if calc.AddConversation(c) == nil {
				kept = append(kept, c)
			}
		}
		rs := chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics}
		switch rapid.IntRange(0, 2).Draw(t, "grouping") {
		case 1:
			rs.Period = chatkpi.Day
		case 2:
			rs.GroupBy[0] = chatkpi.GroupByAgent()
		}
		r, err := chatkpi.NewReport(rs)
		require.NoError(t, err)
		for _, c := range kept {
			require.NoError(t, r.AddConversation(c))
		}
		got, err := chatkpi.ReportOverallAgents(r)
		require.NoError(t, err)
		want, wantErr := calc.Result()
		have, haveErr := got.Result()
		require.Equal(t, wantErr, haveErr)
		require.Equal(t, want, have)
	})
}

// The groups' successful chats and completions add up to the overall
// figures (each conversation's outcome is in one group), and every
// conversation is active in its start period and in no more periods than
// it has events.
func TestReportCatalogueGroupsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := acceptedChats(t, 40)
		rs := rapid.SampledFrom([]chatkpi.ReportSettings{
			{Period: chatkpi.Day},
			{Period: chatkpi.Week, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}},
			{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByChannel()}},
		}).Draw(t, "settings")
		rs.Metrics = chatkpi.AllMetrics
		rs = drawMetricSettings(t, rs)
		r, err := chatkpi.NewReport(rs)
		require.NoError(t, err)
		events := 0
		for _, c := range chats {
			require.NoError(t, r.AddConversation(c))
			events += max(1, len(c.Events))
		}
		s, err := r.Summary()
		if len(chats) == 0 {
			require.ErrorIs(t, err, chatkpi.ErrNoData)
			return
		}
		require.NoError(t, err)
		var succ, compl [2]int64
		var pending, active int64
		for _, g := range s.Groups {
			if g.SuccessfulChat != nil {
				succ[0] += g.SuccessfulChat.Count
				succ[1] += g.SuccessfulChat.Of
				pending += g.SuccessfulChat.Pending
			}
			if g.Completion != nil {
				compl[0] += g.Completion.Count
				compl[1] += g.Completion.Of
			}
			active += g.ActiveConversations
		}
		o := s.Overall
		if o.SuccessfulChat != nil {
			require.Equal(t, rateCounts(&o.SuccessfulChat.RateSummary), succ)
			require.Equal(t, o.SuccessfulChat.Pending, pending)
		} else {
			require.Zero(t, succ[1])
		}
		if o.Completion != nil {
			require.Equal(t, rateCounts(&o.Completion.RateSummary), compl)
		}
		require.GreaterOrEqual(t, active, o.Conversations)
		require.LessOrEqual(t, active, int64(events))
		require.Equal(t, o.Conversations, o.ActiveConversations)
	})
}

// The greeting funnel counts the conversations with a source: g1 was shown
// three times (one visitor never wrote, one wrote, one wrote and bought), g2
// once and answered; the conversation without a source is not in it, goal
// or not.
func TestReportGreetingFunnel(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	greet := chatkpi.Event{Time: at, Type: chatkpi.Message, Role: chatkpi.Bot}
	wrote := chatkpi.Event{Time: at.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Customer}
	goal := chatkpi.Event{Time: at.Add(2 * time.Minute), Type: chatkpi.Goal, Role: chatkpi.Customer}
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "1", Source: "g1"}, Events: []chatkpi.Event{greet}},
		{Meta: chatkpi.Info{ID: "2", Source: "g1"}, Events: []chatkpi.Event{greet, wrote}},
		{Meta: chatkpi.Info{ID: "3", Source: "g1"}, Events: []chatkpi.Event{greet, wrote, goal}},
		{Meta: chatkpi.Info{ID: "4", Source: "g2"}, Events: []chatkpi.Event{greet, wrote}},
		{Meta: chatkpi.Info{ID: "5"}, Events: []chatkpi.Event{wrote, goal}},
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBySource()}})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	f := s.Overall.Funnel
	require.NotNil(t, f)
	assert.Equal(t, [3]int64{4, 3, 1}, [3]int64{f.Displayed, f.Accepted, f.Converted})
	assert.Equal(t, [2]int64{3, 4}, rateCounts(&f.Acceptance))
	assert.Equal(t, [2]int64{1, 3}, rateCounts(f.GoalRate))
	assert.Equal(t, [2]int64{1, 4}, rateCounts(&f.Overall))
	require.Len(t, s.Groups, 3) // "", g1, g2
	assert.Nil(t, s.Groups[0].Funnel)
	g1 := s.Groups[1].Funnel
	assert.Equal(t, "g1", s.Groups[1].Key["source"])
	assert.Equal(t, [3]int64{3, 2, 1}, [3]int64{g1.Displayed, g1.Accepted, g1.Converted})
	assert.InDelta(t, 50.0, g1.GoalRate.Percent, 1e-12)
	// Without outcomes there is no acceptance to count.
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.MetricConversion})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	s, err = r.Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Overall.Funnel)
}

// Availability from presence events: ana online 08:00–12:00 and from
// 23:00, bob 11:00–13:30 on the 23rd; on the 25th bob goes offline at 10:00
// in a conversation that began at 09:00 without his Online (online since
// before it: from 09:00), and that conversation's last event, 10:00, ends
// the data, where ana's open online time stops.
func TestReportAvailability(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	pres := func(tm time.Time, typ chatkpi.EventType, a string) chatkpi.Event {
		return chatkpi.Event{Time: tm, Type: typ, Role: chatkpi.Agent, Agent: a}
	}
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "presence"}, Events: []chatkpi.Event{
			pres(at(23, 8, 0), chatkpi.Online, "ana"), pres(at(23, 11, 0), chatkpi.Online, "bob"),
			pres(at(23, 12, 0), chatkpi.Offline, "ana"), pres(at(23, 13, 30), chatkpi.Offline, "bob"),
			pres(at(23, 23, 0), chatkpi.Online, "ana")}},
		{Meta: chatkpi.Info{ID: "x"}, Events: []chatkpi.Event{
			{Time: at(24, 0, 30), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(24, 0, 40), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(24, 1, 0), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"}}},
		{Meta: chatkpi.Info{ID: "y"}, Events: []chatkpi.Event{
			{Time: at(25, 9, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
			pres(at(25, 10, 0), chatkpi.Offline, "bob")}},
	}
	type av = []chatkpi.AvailabilitySummary
	byAgent := [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}
	for _, tc := range []struct {
		rs     chatkpi.ReportSettings
		groups map[string]av // by period and agent; absent: none
	}{
		{chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics}, nil},
		// Each day its own availability (the data ends on the 25th at 10:00).
		{chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics, Period: chatkpi.Day}, map[string]av{
			"2026-11-23 ": {{Day: "2026-11-23", OnlineHours: 6.5}}, "2026-11-24 ": {{Day: "2026-11-24", OnlineHours: 24}},
			"2026-11-25 ": {{Day: "2026-11-25", OnlineHours: 10}}}},
		// ana's group (x) her own online time: 08:00–12:00 and 23:00–24:00
		// on the 23rd, all the 24th, 00:00–10:00 on the 25th; bob has no
		// group, the conversations without an agent none.
		{chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics, GroupBy: byAgent}, map[string]av{
			" ana": {{Day: "2026-11-23", OnlineHours: 5}, {Day: "2026-11-24", OnlineHours: 24}, {Day: "2026-11-25", OnlineHours: 10}}}},
		{chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics, GroupBy: byAgent, Period: chatkpi.Day}, map[string]av{
			"2026-11-24 ana": {{Day: "2026-11-24", OnlineHours: 24}}}},
		// Other groupings: presence is not per channel.
		{chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics, Period: chatkpi.Day,
			GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByChannel()}}, nil},
	} {
		rs := tc.rs
		r, err := chatkpi.NewReport(rs)
		require.NoError(t, err)
		for i := range chats {
			require.NoError(t, r.AddConversation(chats[len(chats)-1-i])) // any order
		}
		s, err := r.Summary()
		require.NoError(t, err)
		assert.Equal(t, []chatkpi.AvailabilitySummary{{Day: "2026-11-23", OnlineHours: 6.5}, {Day: "2026-11-24", OnlineHours: 24},
			{Day: "2026-11-25", OnlineHours: 10}}, s.Overall.Availability)
		require.Len(t, s.Overall.Agents, 1)
		require.NotNil(t, s.Overall.Agents[0].OnlineSeconds)
		assert.Equal(t, (4+35)*3600.0, *s.Overall.Agents[0].OnlineSeconds) // ana
		got := map[string]av{}
		for _, g := range s.Groups {
			if g.Availability != nil {
				got[g.Period+" "+g.Key["agent"]] = g.Availability
			}
		}
		if tc.groups == nil {
			tc.groups = map[string]av{}
		}
		assert.Equal(t, tc.groups, got, "%+v", rs)
	}
}

// With each agent's presence in a conversation of its own, in order, the
// report's availability is that of a Presence fed the same events, until
// the report's last event.
func TestReportAvailabilityEqualsPresence(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		t0 := chatkpitest.Epoch()
		var chats []*chatkpi.Chat
		var p chatkpi.Presence
		var last time.Time
		for i, agent := range []string{"ana", "bob", "chen"}[:rapid.IntRange(1, 3).Draw(t, "agents")] {
			c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "presence-" + agent}}
			tm := t0
			for k := range rapid.IntRange(1, 8).Draw(t, "events") {
				tm = tm.Add(time.Duration(rapid.Int64Range(0, int64(30*time.Hour)).Draw(t, "gap")))
				typ := chatkpi.Online
				if k%2 == 1 {
					typ = chatkpi.Offline
				}
				e := chatkpi.Event{Time: tm, Type: typ, Role: chatkpi.Agent, Agent: agent}
				c.Events = append(c.Events, e)
				require.NoError(t, p.Add(e))
			}
			chats = append(chats, c)
			if i == 0 || tm.After(last) {
				last = tm
			}
		}
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics})
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, r.AddConversation(c))
		}
		s, err := r.Summary()
		require.NoError(t, err)
		days, err := p.Availability(chatkpi.Periods{}, last)
		var want []chatkpi.AvailabilitySummary
		if err == nil {
			for _, d := range days {
				want = append(want, chatkpi.AvailabilitySummary{Day: d.Label, OnlineHours: d.Hours()})
			}
		} else {
			require.ErrorIs(t, err, chatkpi.ErrNoData)
			want = []chatkpi.AvailabilitySummary{}
		}
		got := s.Overall.Availability
		if got == nil {
			got = []chatkpi.AvailabilitySummary{}
		}
		require.Equal(t, want, got)
	})
}

// The conversations active in each period are those of Volume (the same
// rule: the period of the start and of every event), and the resolved ones
// per period those of the report's resolution time.
func TestReportActiveEqualsVolume(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := settingsChats(t, chatkpitest.Chat())
		p := rapid.SampledFrom([]chatkpi.Period{chatkpi.Day, chatkpi.Week, chatkpi.Month}).Draw(t, "period")
		byChannel := rapid.Bool().Draw(t, "byChannel")
		rs := chatkpi.ReportSettings{Period: p}
		vs := chatkpi.VolumeSettings{}
		if byChannel {
			rs.GroupBy[0], vs.GroupBy = chatkpi.GroupByChannel(), chatkpi.GroupByChannel()
		}
		r, err := chatkpi.NewReport(rs)
		require.NoError(t, err)
		v, err := chatkpi.NewVolume(vs)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, r.AddConversation(c))
			require.NoError(t, v.AddConversation(c))
		}
		want := map[[2]string]int64{}
		if rows, err := v.Result(p); err == nil {
			for _, row := range rows {
				want[[2]string{row.Label, row.Group}] = row.Active
			}
		}
		got := map[[2]string]int64{}
		if s, err := r.Summary(); err == nil {
			for _, g := range s.Groups {
				if g.ActiveConversations > 0 {
					got[[2]string{g.Period, g.Key["channel"]}] = g.ActiveConversations
				}
			}
		}
		require.Equal(t, want, got)
	})
}

// Net CSAT and the CES low-effort interval, by hand: CSAT answers 1, 2, 4,
// 5, 5 are 3 satisfied and 2 dissatisfied of 5, net (3 − 2) ÷ 5 = +20; CES
// answers 2, 5, 6, 7 on the 1–7 scale are 3 low-effort of 4, whose Wilson
// interval is 30.06 % to 95.44 %.
func TestReportNetCSATAndLowEffortInterval(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "s"}, Events: []chatkpi.Event{{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer}}}
	for i, score := range []int{1, 2, 4, 5, 5} {
		c.Events = append(c.Events, chatkpi.Event{Time: at.Add(time.Duration(i+1) * time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: int8(score)})
	}
	for i, score := range []int{2, 5, 6, 7} {
		c.Events = append(c.Events, chatkpi.Event{Time: at.Add(time.Duration(i+10) * time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CESSurvey, Score: int8(score)})
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(c))
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Equal(t, int64(2), s.Overall.CSAT.Dissatisfied)
	assert.InDelta(t, 20.0, s.Overall.CSAT.Net, 1e-12)
	assert.InDelta(t, 30.06, s.Overall.CES.LowEffortCILow, 0.005)
	assert.InDelta(t, 95.44, s.Overall.CES.LowEffortCIHigh, 0.005)
}

// The groups' availability is the report's presence seen per group: for
// any order of the conversations, two halves merged, and an encoding
// decoded, the summaries' availability is the same; a period's days are
// the overall days of that period, and an agent's hours on a day are at
// most the day's availability (at least one agent online).
func TestReportGroupAvailabilityProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		t0 := chatkpitest.Epoch()
		agents := []string{"ana", "bob", "chen"}
		var chats []*chatkpi.Chat
		for i := range rapid.IntRange(1, 8).Draw(t, "chats") {
			agent := rapid.SampledFrom(agents).Draw(t, "agent")
			tm := t0.Add(time.Duration(rapid.Int64Range(0, int64(72*time.Hour)).Draw(t, "start")))
			c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "c" + string(rune('a'+i))}}
			if rapid.Bool().Draw(t, "handled") {
				c.Events = append(c.Events, chatkpi.Event{Time: tm, Type: chatkpi.Message, Role: chatkpi.Customer},
					chatkpi.Event{Time: tm.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: agent})
				tm = tm.Add(time.Minute)
			}
			for range rapid.IntRange(1, 4).Draw(t, "presence") {
				tm = tm.Add(time.Duration(rapid.Int64Range(0, int64(20*time.Hour)).Draw(t, "gap")))
				typ := rapid.SampledFrom([]chatkpi.EventType{chatkpi.Online, chatkpi.Offline}).Draw(t, "type")
				c.Events = append(c.Events, chatkpi.Event{Time: tm, Type: typ, Role: chatkpi.Agent,
					Agent: rapid.SampledFrom(agents).Draw(t, "who")})
			}
			chats = append(chats, c)
		}
		rs := chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics,
			Period: rapid.SampledFrom([]chatkpi.Period{0, chatkpi.Day, chatkpi.Week}).Draw(t, "period")}
		byAgent := rapid.Bool().Draw(t, "byAgent")
		if byAgent {
			rs.GroupBy[0] = chatkpi.GroupByAgent()
		}
		build := func(cs []*chatkpi.Chat) *chatkpi.Report {
			r, err := chatkpi.NewReport(rs)
			require.NoError(t, err)
			for _, c := range cs {
				require.NoError(t, r.AddConversation(c))
			}
			return r
		}
		groupsOf := func(r *chatkpi.Report) (map[string][]chatkpi.AvailabilitySummary, []chatkpi.AvailabilitySummary) {
			s, err := r.Summary()
			require.NoError(t, err)
			out := map[string][]chatkpi.AvailabilitySummary{}
			for _, g := range s.Groups {
				if g.Availability != nil {
					out[g.Period+" "+g.Key["agent"]] = g.Availability
				}
			}
			return out, s.Overall.Availability
		}
		want, overall := groupsOf(build(chats))
		half := rapid.IntRange(0, len(chats)).Draw(t, "half")
		merged := build(chats[:half])
		require.NoError(t, merged.Merge(build(chats[half:])))
		perm := rapid.Permutation(chats).Draw(t, "order")
		b, err := build(perm).MarshalBinary()
		require.NoError(t, err)
		var back chatkpi.Report
		require.NoError(t, back.UnmarshalBinary(b))
		for _, r := range []*chatkpi.Report{build(perm), merged, &back} {
			got, _ := groupsOf(r)
			require.Equal(t, want, got)
		}

		hours := map[string]float64{}
		for _, d := range overall {
			hours[d.Day] = d.OnlineHours
		}
		seen := map[string]bool{}
		for key, days := range want {
			require.NotEmpty(t, days)
			for _, d := range days {
				h, ok := hours[d.Day]
				require.True(t, ok, d.Day)
				if byAgent {
					require.LessOrEqual(t, d.OnlineHours, h+1e-9, key)
					continue
				}
				require.Equal(t, h, d.OnlineHours, key) // the period's share of the overall days
				require.False(t, seen[d.Day], "day %s in two periods", d.Day)
				seen[d.Day] = true
			}
		}
		if !byAgent && rs.Period == 0 {
			require.Empty(t, want)
		}
	})
}
