package chatkpi_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// agentChats draws n conversations of three agents (minutes after outcT0,
// starting at or after from): the customer writes, an agent joins after a
// queue wait and replies, another agent may take over, and the
// conversation is resolved; the queue waits make the agents' intervals
// come a little out of start order even when the conversations do not.
func agentChats(t *rapid.T, n int, from float64, label string) []*chatkpi.Chat {
	agents := []string{"ana", "bo", "cy"}
	out := make([]*chatkpi.Chat, n)
	for i := range out {
		s := from + float64(rapid.IntRange(0, 600).Draw(t, "start"))
		join := s + float64(rapid.IntRange(0, 30).Draw(t, "wait"))
		a := agents[rapid.IntRange(0, 2).Draw(t, "agent")]
		ev := []chatkpi.Event{outcE(s, outcMsg, outcCust), outcAgent(join, chatkpi.Joined, a), outcAgent(join+1, outcMsg, a)}
		end := join + 1 + float64(rapid.IntRange(0, 120).Draw(t, "length"))
		if rapid.Bool().Draw(t, "transfer") {
			b := agents[rapid.IntRange(0, 2).Draw(t, "to")]
			at := join + 1 + float64(rapid.IntRange(0, 60).Draw(t, "transfer at"))
			ev = append(ev, outcAgent(at, chatkpi.Joined, b))
			end = max(end, at)
		}
		ev = append(ev, outcE(end, outcResolved, chatkpi.Agent))
		out[i] = outcChat(fmt.Sprintf("%s%d", label, i), fmt.Sprintf("c%d", i), ev...)
	}
	return out
}

// agentSettings draws the settings of an agents report: ungrouped, by day,
// or by channel (groups that interleave in time).
func agentSettings(t *rapid.T) chatkpi.ReportSettings {
	s := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}
	switch rapid.IntRange(0, 2).Draw(t, "grouping") {
	case 1:
		s.Period = chatkpi.Day
	case 2:
		s.GroupBy[0] = chatkpi.GroupByChannel()
	}
	return s
}

// agentsOf returns the agents of a report's summary, overall ("") and per
// group key.
func agentsOf(t require.TestingT, r *chatkpi.Report) map[string][]chatkpi.AgentSummary {
	sum, err := r.Summary()
	require.NoError(t, err)
	out := map[string][]chatkpi.AgentSummary{"": sum.Overall.Agents}
	for _, g := range sum.Groups {
		out[g.Period+"|"+fmt.Sprint(g.Key)] = g.Agents
	}
	return out
}

// requireAgentsMatch checks a streaming report's agents against the exact
// ones: equal, or (allowed when undefined is) an agent whose concurrency is
// undefined with its exact open time. It returns how many were undefined.
// The online times are left to requirePresenceMatch.
func requireAgentsMatch(t require.TestingT, exact, streaming map[string][]chatkpi.AgentSummary, undefinedOK bool) int {
	require.Equal(t, len(exact), len(streaming))
	undefined := 0
	for key, want := range exact {
		got := streaming[key]
		require.Len(t, got, len(want), key)
		for i, w := range want {
			g := got[i]
			w.OnlineSeconds, g.OnlineSeconds = nil, nil
			if g.ConcurrencyUndefined != "" {
				require.True(t, undefinedOK, "group %q agent %s: %s", key, g.Agent, g.ConcurrencyUndefined)
				undefined++
				require.Equal(t, chatkpi.AgentSummary{Agent: w.Agent, Conversations: w.Conversations, Replies: w.Replies,
					OpenSeconds: w.OpenSeconds, ConcurrencyUndefined: g.ConcurrencyUndefined}, g, key)
				continue
			}
			require.Equal(t, w, g, "group %q", key)
		}
	}
	return undefined
}

// presenceOf returns the availability and online times of a report's
// summary: overall, per group key, and per agent; and why they are
// undefined, if they are.
func presenceOf(t require.TestingT, r *chatkpi.Report) (map[string][]chatkpi.AvailabilitySummary, map[string]*float64, string) {
	sum, err := r.Summary()
	require.NoError(t, err)
	days := map[string][]chatkpi.AvailabilitySummary{"": sum.Overall.Availability}
	for _, g := range sum.Groups {
		days[g.Period+"|"+fmt.Sprint(g.Key)] = g.Availability
	}
	online := map[string]*float64{}
	for _, a := range sum.Overall.Agents {
		online[a.Agent] = a.OnlineSeconds
	}
	return days, online, sum.Overall.AvailabilityUndefined
}

// requirePresenceMatch checks a streaming report's availability and online
// times against an exact report's: equal, or (allowed when undefined is)
// all undefined, saying so. It reports whether they were undefined.
func requirePresenceMatch(t require.TestingT, exact, streaming *chatkpi.Report, undefinedOK bool) bool {
	wantDays, wantOnline, why := presenceOf(t, exact)
	require.Empty(t, why, "exact mode")
	days, online, why := presenceOf(t, streaming)
	if why == "" {
		require.Equal(t, wantDays, days)
		require.Equal(t, wantOnline, online)
		return false
	}
	require.True(t, undefinedOK, why)
	require.Contains(t, why, "out of start order")
	for key, d := range days {
		require.Nil(t, d, key)
	}
	for agent, o := range online {
		require.Nil(t, o, agent)
	}
	return true
}

// withShift puts each conversation in channel "chat" or "social" by its
// index, so that a grouping by channel interleaves in time.
func withShift(chats []*chatkpi.Chat) []*chatkpi.Chat {
	for i, c := range chats {
		c.Meta.Channel = []string{"chat", "social"}[i%2]
	}
	return chats
}

// TestReportAgentsStreamingEqualsExact: in start order a streaming report
// gives every agent's exact peak, open and busy time, overall and in every
// group; with a few conversations moved, the exact ones or, for an agent
// with an interval before its sweep line, none (and the exact open time).
// An exact report does not depend on the order.
func TestReportAgentsStreamingEqualsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := withShift(agentChats(t, rapid.IntRange(1, 40).Draw(t, "n"), 0, "x"))
		s := agentSettings(t)
		exact := agentsOf(t, reportOf(t, s, chats))
		require.Equal(t, exact, agentsOf(t, reportOf(t, s, rapid.Permutation(chats).Draw(t, "perm"))), "exact: any order")
		in, ordered := succOrder(t, chats)
		requireAgentsMatch(t, exact, agentsOf(t, reportOf(t, s.WithStreaming(0), in)), !ordered)
	})
}

// TestReportAgentsStreamingMerge: two streaming reports of parts in start
// order merge (either into the other) into the exact figures when the
// parts are apart in time; in any case, and in any order within the
// parts, into the exact figures or undefined ones, never wrong ones.
func TestReportAgentsStreamingMerge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		apart := rapid.Bool().Draw(t, "apart")
		a := agentChats(t, rapid.IntRange(0, 20).Draw(t, "na"), 0, "a")
		from := 0.0
		if apart {
			from = 7 * outcDay
		}
		b := agentChats(t, rapid.IntRange(0, 20).Draw(t, "nb"), from, "b")
		all := withShift(append(a, b...))
		if len(all) == 0 {
			return
		}
		s := agentSettings(t)
		exact := agentsOf(t, reportOf(t, s, all))
		ra, ordered := mergedStreaming(t, s, a, b)
		requireAgentsMatch(t, exact, agentsOf(t, ra), !apart || !ordered)
	})
}

// TestReportAgentsStreamingRoundTrip: a streaming report decoded from its
// encoding continues as the report itself does.
func TestReportAgentsStreamingRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats, _ := succOrder(t, withShift(agentChats(t, rapid.IntRange(1, 30).Draw(t, "n"), 0, "x")))
		s := agentSettings(t).WithStreaming(0)
		k := rapid.IntRange(1, len(chats)).Draw(t, "split")
		r := reportOf(t, s, chats[:k])
		data, err := r.MarshalBinary()
		require.NoError(t, err)
		back, err := chatkpi.NewReport(s)
		require.NoError(t, err)
		require.NoError(t, back.UnmarshalBinary(data))
		again, err := back.MarshalBinary()
		require.NoError(t, err)
		if i := firstDiff(data, again); i >= 0 {
			t.Fatalf("re-encoding differs at byte %d of %d/%d: % x vs % x", i, len(data), len(again), data[max(0, i-20):min(len(data), i+20)], again[max(0, i-20):min(len(again), i+20)])
		}
		for _, c := range chats[k:] {
			require.NoError(t, r.AddConversation(c))
			require.NoError(t, back.AddConversation(c))
		}
		require.Equal(t, agentsOf(t, r), agentsOf(t, back))
	})
}

// TestReportAgentsStreamingLate: on the hand-made day of ana and bo (see
// outcAgentTimeline: ana peak 2, open 75 min, busy 60 min), a conversation
// two of ana's conversations late is still exact; in reverse order B comes
// after ana's sweep line reached C's start (74) with an interval from 70.
func TestReportAgentsStreamingLate(t *testing.T) {
	day := outcAgentTimeline()
	s := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}
	exact := agentsOf(t, reportOf(t, s, day))
	ana := exact[""][0]
	assert.Equal(t, int64(2), ana.MaxConcurrent)
	assert.Equal(t, 75*60.0, ana.OpenSeconds)
	assert.Equal(t, 60*60.0, ana.BusySeconds)
	streaming := s.WithStreaming(0)
	late := []*chatkpi.Chat{day[0], day[2], day[3], day[1], day[4]} // B after C and D
	assert.Equal(t, exact, agentsOf(t, reportOf(t, streaming, late)))
	back := agentsOf(t, reportOf(t, streaming, reversed(day)))[""]
	require.Len(t, back, 2)
	assert.Equal(t, chatkpi.AgentSummary{Agent: "ana", Conversations: 5, Replies: 5, OpenSeconds: 75 * 60,
		ConcurrencyUndefined: back[0].ConcurrencyUndefined}, back[0])
	assert.Contains(t, back[0].ConcurrencyUndefined, "too far out of start order")
	assert.Equal(t, exact[""][1], back[1], "bo has one conversation")
}

// TestReportAgentsStreamingMemoryPerAgent: in start order a streaming
// report keeps a constant state per agent, however many conversations the
// agent handles; an exact one 16 bytes per interval.
func TestReportAgentsStreamingMemoryPerAgent(t *testing.T) {
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
		for k := range each { // every 5 minutes a conversation of 12 minutes per agent: about 3 open at once
			for a := range agents {
				m := float64(5*k) + float64(a)/agents
				name := fmt.Sprintf("agent-%d", a)
				require.NoError(t, r.AddConversation(outcChat(fmt.Sprintf("%d-%d", a, k), "",
					outcE(m, outcMsg, outcCust), outcAgent(m, chatkpi.Joined, name), outcAgent(m+1, outcMsg, name), outcE(m+12, outcResolved, chatkpi.Agent))))
			}
		}
		grew := heap() - before
		sum, err := r.Summary()
		require.NoError(t, err)
		require.Len(t, sum.Overall.Agents, agents)
		require.Equal(t, int64(min(3, each)), sum.Overall.Agents[0].MaxConcurrent)
		require.Empty(t, sum.Overall.Agents[0].ConcurrencyUndefined)
		runtime.KeepAlive(r)
		return float64(grew) / agents
	}
	stream := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}.WithStreaming(0)
	perAgent(stream, 1) // the first report's heap figure includes one-off allocations
	few, many := perAgent(stream, 10), perAgent(stream, 100)
	exact := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}
	exactFew, exactMany := perAgent(exact, 10), perAgent(exact, 100)
	t.Logf("streaming: %.0f B per agent with 10 conversations each, %.0f B with 100; exact: %.0f B with 10, %.0f B with 100", few, many, exactFew, exactMany)
	require.Less(t, many, few*1.25+16, "streaming: constant per agent")
	require.Greater(t, exactMany, many+80*16, "exact mode keeps every interval")
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// FuzzReportAgentsStreamingUnmarshal decodes streaming reports whose agents
// have folded intervals, a head, kept ones and lost concurrency (in groups
// and overall), and whose presence has settled, kept and open online time
// or is lost: a decoded state re-encodes to what decodes to itself, and
// its agents' and presence figures are consistent; bad input wraps
// ErrInvalid.
func FuzzReportAgentsStreamingUnmarshal(f *testing.F) {
	day, presence := outcAgentTimeline(), presenceDays()
	byAgent := [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}
	for _, s := range []chatkpi.ReportSettings{{Metrics: chatkpi.MetricAgents}, {Metrics: chatkpi.MetricAgents, Period: chatkpi.Day},
		{Metrics: chatkpi.MetricAgents, Period: chatkpi.Day, GroupBy: byAgent}} {
		for _, in := range [][]*chatkpi.Chat{day, reversed(day), presence, append(slices.Clone(presence[1:]), presence[0]),
			slices.Concat(day, presence)} {
			enc, err := reportOf(f, s.WithStreaming(0), in).MarshalBinary()
			require.NoError(f, err)
			f.Add(enc)
		}
		// Shards in start order, the later one holding its head.
		whole := slices.Concat(presence, []*chatkpi.Chat{outcChat("late", "", outcE(30*outcDay, outcMsg, outcCust))})
		r, err := chatkpi.BuildReport(whole, 3, s.WithStreaming(0))
		require.NoError(f, err)
		enc, err := r.MarshalBinary()
		require.NoError(f, err)
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok := decodeReportStably(t, data)
		if !ok {
			return
		}
		sum, err := r.Summary()
		if err != nil { // no data, or presence over more days than MaxAvailabilityDays
			require.True(t, errors.Is(err, chatkpi.ErrNoData) || errors.Is(err, chatkpi.ErrLimit), "%v", err)
			return
		}
		sets := []chatkpi.MetricsSummary{sum.Overall}
		for _, g := range sum.Groups {
			sets = append(sets, g.MetricsSummary)
		}
		for _, m := range sets {
			for _, a := range m.Agents {
				require.True(t, a.BusySeconds <= a.OpenSeconds && a.MaxConcurrent >= 0 &&
					(a.ConcurrencyUndefined == "" || a.MaxConcurrent == 0 && a.BusySeconds == 0 && a.MeanConcurrency == nil), "%+v", a)
				require.True(t, a.OnlineSeconds == nil || *a.OnlineSeconds >= 0, "%+v", a)
				require.True(t, sum.Overall.AvailabilityUndefined == "" || a.OnlineSeconds == nil, "%+v", a)
			}
			for _, d := range m.Availability {
				require.True(t, d.OnlineHours >= 0 && !math.IsInf(d.OnlineHours, 0), "%+v", d)
			}
			require.True(t, sum.Overall.AvailabilityUndefined == "" || m.Availability == nil)
		}
	})
}

// TestReportAgentsStreamingShards: ana has a long conversation L, minutes
// 0–100, and six of 5 minutes at 10, 20, 30, 40, 50 and 55 (a transfer to
// bo at minute 60 in L: ana 0–60, bo 60–100): peak 2, open 60 + 30 = 90
// min, busy 60 min for ana; bo 1, 40, 40. In start order a streaming
// report is exact; so is BuildReport on two shards ({L, 10, 20} and {30,
// 40, 50, 55}), whose second shard keeps its head until L ends. Merging
// two streaming reports of the same shards by hand is not: the second
// folded 30–40 while L was open (unknown to it), so ana's peak and busy
// time are undefined (her open time is still exact); bo, in one part
// only, is exact.
func TestReportAgentsStreamingShards(t *testing.T) {
	short := func(id string, m float64) *chatkpi.Chat {
		return outcChat(id, "", outcE(m, outcMsg, outcCust), outcAgent(m, chatkpi.Joined, "ana"), outcAgent(m+1, outcMsg, "ana"),
			outcE(m+5, outcResolved, chatkpi.Agent))
	}
	long := outcChat("L", "", outcE(0, outcMsg, outcCust), outcAgent(0, chatkpi.Joined, "ana"), outcAgent(1, outcMsg, "ana"),
		outcAgent(60, chatkpi.Joined, "bo"), outcAgent(61, outcMsg, "bo"), outcE(100, outcResolved, chatkpi.Agent))
	chats := []*chatkpi.Chat{long, short("s10", 10), short("s20", 20), short("s30", 30), short("s40", 40), short("s50", 50), short("s55", 55)}
	mean := 1.5
	ana := chatkpi.AgentSummary{Agent: "ana", Conversations: 7, Replies: 7, MaxConcurrent: 2, MeanConcurrency: &mean,
		OpenSeconds: 90 * 60, BusySeconds: 60 * 60}
	one := 1.0
	bo := chatkpi.AgentSummary{Agent: "bo", Conversations: 1, Replies: 1, MaxConcurrent: 1, MeanConcurrency: &one,
		OpenSeconds: 40 * 60, BusySeconds: 40 * 60}
	s := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}
	require.Equal(t, []chatkpi.AgentSummary{ana, bo}, agentsOf(t, reportOf(t, s, chats))[""], "exact")
	streaming := s.WithStreaming(0)
	assert.Equal(t, []chatkpi.AgentSummary{ana, bo}, agentsOf(t, reportOf(t, streaming, chats))[""], "serial")
	parallel, err := chatkpi.BuildReport(chats, 2, streaming)
	require.NoError(t, err)
	assert.Equal(t, []chatkpi.AgentSummary{ana, bo}, agentsOf(t, parallel)[""], "BuildReport")

	first, second := reportOf(t, streaming, chats[:3]), reportOf(t, streaming, chats[3:])
	require.NoError(t, first.Merge(second))
	got := agentsOf(t, first)[""]
	require.Len(t, got, 2)
	assert.Contains(t, got[0].ConcurrencyUndefined, "out of start order")
	assert.Equal(t, chatkpi.AgentSummary{Agent: "ana", Conversations: 7, Replies: 7, OpenSeconds: 90 * 60,
		ConcurrencyUndefined: got[0].ConcurrencyUndefined}, got[0])
	assert.Equal(t, bo, got[1])
}
