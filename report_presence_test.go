package chatkpi_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// presenceChats draws n conversations (starting at or after minute from
// after outcT0, over two days, so that online time crosses midnight) in
// which agents ana, bo and cy go online and offline: each opens with a
// customer message, is perhaps answered by an agent, and has up to four
// presence events minutes to hours apart; an agent's first presence event
// in a conversation may be an Offline (online since before it), and an
// agent may still be online at its end.
func presenceChats(t *rapid.T, n int, from float64, label string) []*chatkpi.Chat {
	agents := []string{"ana", "bo", "cy"}
	out := make([]*chatkpi.Chat, n)
	for i := range out {
		s := from + float64(rapid.IntRange(0, 2*int(outcDay)).Draw(t, "start"))
		ev := []chatkpi.Event{outcE(s, outcMsg, outcCust)}
		if rapid.Bool().Draw(t, "answered") {
			ev = append(ev, outcAgent(s, outcMsg, agents[rapid.IntRange(0, 2).Draw(t, "handler")]))
		}
		at, online := s, map[string]bool{}
		for range rapid.IntRange(0, 4).Draw(t, "presence events") {
			at += float64(rapid.IntRange(0, 400).Draw(t, "gap"))
			a := agents[rapid.IntRange(0, 2).Draw(t, "who")]
			_, seen := online[a]
			typ := chatkpi.Online
			if online[a] || !seen && rapid.Bool().Draw(t, "online before") {
				typ = chatkpi.Offline
			}
			online[a] = typ == chatkpi.Online
			ev = append(ev, outcAgent(at, typ, a))
		}
		out[i] = outcChat(fmt.Sprintf("%s%d", label, i), fmt.Sprintf("c%d", i), ev...)
	}
	return out
}

// presenceSettings draws the settings of a report with presence:
// ungrouped, by day, by agent, or by agent and day.
func presenceSettings(t *rapid.T) chatkpi.ReportSettings {
	s := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}
	if rapid.Bool().Draw(t, "by day") {
		s.Period = chatkpi.Day
	}
	if rapid.Bool().Draw(t, "by agent") {
		s.GroupBy[0] = chatkpi.GroupByAgent()
	}
	return s
}

// TestReportPresenceStreamingEqualsExact: in start order a streaming
// report gives the exact availability per day (overall and in every
// group) and each agent's exact online time, serial and on several
// workers; in another order those or none, saying why.
func TestReportPresenceStreamingEqualsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := presenceChats(t, rapid.IntRange(1, 40).Draw(t, "n"), 0, "x")
		s := presenceSettings(t)
		exact := reportOf(t, s, rapid.Permutation(chats).Draw(t, "exact order"))
		in, ordered := succOrder(t, chats)
		streaming := reportOf(t, s.WithStreaming(0), in)
		requirePresenceMatch(t, exact, streaming, !ordered)
		if ordered {
			parallel, err := chatkpi.BuildReport(in, rapid.IntRange(2, 8).Draw(t, "workers"), s.WithStreaming(0))
			require.NoError(t, err)
			require.Equal(t, summaryJSON(t, streaming), summaryJSON(t, parallel))
		}
	})
}

// TestReportPresenceStreamingMerge: two streaming reports of parts in
// start order, a week apart, merge into the exact presence (an agent left
// online in the first part covers the second's settled time); parts that
// overlap in time, or out of start order, into the exact presence or
// none, never a wrong one.
func TestReportPresenceStreamingMerge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		apart := rapid.Bool().Draw(t, "apart")
		a := presenceChats(t, rapid.IntRange(0, 20).Draw(t, "na"), 0, "a")
		from := 0.0
		if apart {
			from = 7 * outcDay
		}
		b := presenceChats(t, rapid.IntRange(0, 20).Draw(t, "nb"), from, "b")
		if len(a)+len(b) == 0 {
			return
		}
		s := presenceSettings(t)
		exact := reportOf(t, s, append(a, b...))
		ra, ordered := mergedStreaming(t, s, a, b)
		requirePresenceMatch(t, exact, ra, !apart || !ordered)
	})
}

// TestReportPresenceStreamingRoundTrip: a streaming report decoded from
// its encoding re-encodes the same and continues as the report itself.
func TestReportPresenceStreamingRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats, _ := succOrder(t, presenceChats(t, rapid.IntRange(1, 30).Draw(t, "n"), 0, "x"))
		s := presenceSettings(t).WithStreaming(0)
		k := rapid.IntRange(1, len(chats)).Draw(t, "split")
		r := reportOf(t, s, chats[:k])
		data, err := r.MarshalBinary()
		require.NoError(t, err)
		back, err := chatkpi.NewReport(s)
		require.NoError(t, err)
		require.NoError(t, back.UnmarshalBinary(data))
		again, err := back.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, data, again)
		for _, c := range chats[k:] {
			require.NoError(t, r.AddConversation(c))
			require.NoError(t, back.AddConversation(c))
		}
		require.Equal(t, summaryJSON(t, r), summaryJSON(t, back))
	})
}

// presenceDays is the hand-made presence of TestReportAvailability, in
// start order: ana online 08:00–12:00 and from 23:00 (until the end of
// the data, across two midnights), bob 11:00–13:30 on the 23rd; on the
// 25th bob goes offline at 10:00 in a conversation that began at 09:00,
// whose last event ends the data; then three conversations without
// presence that move the sweep line past the 23rd.
func presenceDays() []*chatkpi.Chat {
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	pres := func(tm time.Time, typ chatkpi.EventType, a string) chatkpi.Event {
		return chatkpi.Event{Time: tm, Type: typ, Role: chatkpi.Agent, Agent: a}
	}
	msg := func(tm time.Time) chatkpi.Event {
		return chatkpi.Event{Time: tm, Type: chatkpi.Message, Role: chatkpi.Customer}
	}
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "presence"}, Events: []chatkpi.Event{
			pres(at(23, 8, 0), chatkpi.Online, "ana"), pres(at(23, 11, 0), chatkpi.Online, "bob"),
			pres(at(23, 12, 0), chatkpi.Offline, "ana"), pres(at(23, 13, 30), chatkpi.Offline, "bob"),
			pres(at(23, 23, 0), chatkpi.Online, "ana")}},
		{Meta: chatkpi.Info{ID: "x"}, Events: []chatkpi.Event{
			msg(at(24, 0, 30)),
			{Time: at(24, 0, 40), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(24, 1, 0), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"}}},
		{Meta: chatkpi.Info{ID: "y"}, Events: []chatkpi.Event{msg(at(25, 9, 0)), pres(at(25, 10, 0), chatkpi.Offline, "bob")}},
	}
	for i, m := range []int{10, 20, 30} {
		chats = append(chats, &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprintf("f%d", i)}, Events: []chatkpi.Event{msg(at(25, 9, m))}})
	}
	return chats
}

// TestReportPresenceStreaming: in start order a streaming report settles
// the 23rd (its line passes 25th 09:10) and gives the exact availability
// — 6.5 h on the 23rd (08:00–13:30, 23:00–24:00), 24 h on the 24th, 10 h
// on the 25th — and ana's 39 hours, overall and per agent and day; with
// the presence conversation last (after the line), it says the presence
// is undefined instead; with only the conversation y late, whose bob
// interval (25th 09:00–10:00) lies after the line, it is still exact.
func TestReportPresenceStreaming(t *testing.T) {
	chats := presenceDays()
	want := []chatkpi.AvailabilitySummary{{Day: "2026-11-23", OnlineHours: 6.5}, {Day: "2026-11-24", OnlineHours: 24}, {Day: "2026-11-25", OnlineHours: 10}}
	for _, s := range []chatkpi.ReportSettings{
		{Metrics: chatkpi.MetricAgents},
		{Metrics: chatkpi.MetricAgents, Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}},
	} {
		exact := reportOf(t, s, chats)
		streaming := reportOf(t, s.WithStreaming(0), chats)
		sum, err := streaming.Summary()
		require.NoError(t, err)
		assert.Equal(t, want, sum.Overall.Availability)
		require.Len(t, sum.Overall.Agents, 1)
		require.NotNil(t, sum.Overall.Agents[0].OnlineSeconds)
		assert.Equal(t, 39*3600.0, *sum.Overall.Agents[0].OnlineSeconds)
		requirePresenceMatch(t, exact, streaming, false)

		late := append([]*chatkpi.Chat{chats[1], chats[2], chats[3], chats[4], chats[5]}, chats[0])
		sum, err = reportOf(t, s.WithStreaming(0), late).Summary()
		require.NoError(t, err)
		assert.Contains(t, sum.Overall.AvailabilityUndefined, "out of start order")
		assert.Nil(t, sum.Overall.Availability)
		assert.Nil(t, sum.Overall.Agents[0].OnlineSeconds)
		for _, g := range sum.Groups {
			assert.Nil(t, g.Availability)
		}

		yLate := []*chatkpi.Chat{chats[0], chats[1], chats[3], chats[4], chats[2], chats[5]}
		requirePresenceMatch(t, exact, reportOf(t, s.WithStreaming(0), yLate), false)
	}
}

// TestReportPresenceStreamingMemory: in start order a streaming report's
// presence does not grow with the number of online intervals: 500 agents
// online 3 minutes every 5 minutes (10 or 100 times each, within a day);
// an exact one keeps each interval.
func TestReportPresenceStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	const agents = 500
	heap := func() int64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	perAgent := func(s chatkpi.ReportSettings, each int) float64 {
		before := heap()
		r, err := chatkpi.NewReport(s)
		require.NoError(t, err)
		for k := range each {
			for a := range agents {
				m := float64(5*k) + float64(a)/agents - 9*outcHour // from midnight
				name := fmt.Sprintf("agent-%d", a)
				require.NoError(t, r.AddConversation(outcChat(fmt.Sprintf("%d-%d", a, k), "",
					outcE(m, outcMsg, outcCust), outcAgent(m, chatkpi.Online, name), outcAgent(m+3, chatkpi.Offline, name))))
			}
		}
		grew := heap() - before
		sum, err := r.Summary()
		require.NoError(t, err)
		require.Empty(t, sum.Overall.AvailabilityUndefined)
		require.Len(t, sum.Overall.Availability, 1)
		runtime.KeepAlive(r)
		return float64(grew) / agents
	}
	stream := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}.WithStreaming(0)
	perAgent(stream, 1) // the first report's heap figure includes one-off allocations
	few, many := perAgent(stream, 10), perAgent(stream, 100)
	exact := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}
	exactFew, exactMany := perAgent(exact, 10), perAgent(exact, 100)
	t.Logf("streaming: %.0f B per agent with 10 online intervals each, %.0f B with 100; exact: %.0f B with 10, %.0f B with 100", few, many, exactFew, exactMany)
	require.Less(t, many, few*1.25+16, "streaming: constant per agent")
	require.Greater(t, exactMany, many+80*24, "exact mode keeps every interval")
}

// TestReportPresenceTooLong: presence over more days than
// MaxAvailabilityDays (ana online in 1700, the data ending in 2026) makes
// the availability and the online times undefined, with the reason, in
// exact and in streaming mode, overall and in every group; the other
// figures stay (both conversations, the first response time of one). It
// used to fail the whole Summary with ErrLimit.
func TestReportPresenceTooLong(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "old"}, Events: []chatkpi.Event{
			{Time: time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), Type: chatkpi.Online, Role: chatkpi.Agent, Agent: "ana"}}},
		{Meta: chatkpi.Info{ID: "now"}, Events: []chatkpi.Event{
			{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at.Add(30 * time.Second), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"}}},
	}
	for _, s := range []chatkpi.ReportSettings{
		{Metrics: chatkpi.AllMetrics},
		{Metrics: chatkpi.AllMetrics, Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}},
	} {
		for _, s := range []chatkpi.ReportSettings{s, s.WithStreaming(0)} {
			sum, err := reportOf(t, s, chats).Summary()
			require.NoError(t, err)
			assert.Contains(t, sum.Overall.AvailabilityUndefined, "MaxAvailabilityDays")
			assert.Nil(t, sum.Overall.Availability)
			for _, a := range sum.Overall.Agents {
				assert.Nil(t, a.OnlineSeconds)
			}
			for _, g := range sum.Groups {
				assert.Nil(t, g.Availability)
			}
			assert.Equal(t, int64(2), sum.Overall.Conversations)
			require.NotNil(t, sum.Overall.FirstResponseTime)
			assert.Equal(t, int64(1), sum.Overall.FirstResponseTime.Count)
		}
	}
}
