package chatkpi_test

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// outcAgentTimeline is the hand-made day of agents ana and bo (minutes after
// outcT0 = 09:00 UTC, so minute 60 is 10:00):
//
//	A: ana joins 60, replies 61 (and a private note), outcResolved 90      → ana [60, 90)
//	B: ana joins 70, replies 72, the customer leaves 80               → ana [70, 80)
//	C: bo joins 75, replies 76, ana joins 85 and replies 86,
//	   outcResolved 110, a rating at 115 does not extend it               → bo [75, 85), ana [85, 110)
//	D: ana replies 120 without joining, the customer writes at 130    → ana [120, 130)
//	E: ana replies 140 after the customer left at 135                  → ana handled it, open for no time
func outcAgentTimeline() []*chatkpi.Chat {
	note := outcAgent(62, outcMsg, "ana")
	note.Private = true
	rating := outcE(115, chatkpi.Rating, outcCust)
	rating.Survey, rating.Score = chatkpi.CSATSurvey, 5
	return []*chatkpi.Chat{
		outcChat("A", "a", outcE(59, outcMsg, outcCust), outcAgent(60, chatkpi.Joined, "ana"), outcAgent(61, outcMsg, "ana"), note, outcE(90, outcResolved, chatkpi.Agent)),
		outcChat("B", "b", outcE(69, outcMsg, outcCust), outcAgent(70, chatkpi.Joined, "ana"), outcAgent(72, outcMsg, "ana"), outcE(80, chatkpi.Left, outcCust)),
		outcChat("C", "c", outcE(74, outcMsg, outcCust), outcAgent(75, chatkpi.Joined, "bo"), outcAgent(76, outcMsg, "bo"),
			outcAgent(85, chatkpi.Joined, "ana"), outcAgent(86, outcMsg, "ana"), outcE(110, outcResolved, chatkpi.Agent), rating),
		outcChat("D", "d", outcE(119, outcMsg, outcCust), outcAgent(120, outcMsg, "ana"), outcE(130, outcMsg, outcCust)),
		outcChat("E", "e", outcE(134, outcMsg, outcCust), outcE(135, chatkpi.Left, outcCust), outcAgent(140, outcMsg, "ana")),
	}
}

func TestAgentsConcurrency(t *testing.T) {
	var a chatkpi.Agents
	_, err := a.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	for _, c := range outcAgentTimeline() {
		require.NoError(t, a.AddConversation(c))
	}
	stats, err := a.Result()
	require.NoError(t, err)
	require.Len(t, stats, 2)
	// ana: [60,90) [70,80) [85,110) [120,130): two at once during 70–80 and
	// 85–90; open 30+10+25+10 = 75 min over a busy union 60–110, 120–130 =
	// 60 min, so 1.25 on average.
	assert.Equal(t, chatkpi.AgentStats{Agent: "ana", Conversations: 5, Messages: 5, MaxConcurrent: 2,
		OpenTime: 75 * time.Minute, BusyTime: 60 * time.Minute}, stats[0])
	avg, err := stats[0].AverageConcurrency()
	require.NoError(t, err)
	assert.InDelta(t, 1.25, avg, 1e-12)
	over, err := stats[0].AverageConcurrencyOver(150 * time.Minute)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, over, 1e-12)
	assert.Equal(t, chatkpi.AgentStats{Agent: "bo", Conversations: 1, Messages: 1, MaxConcurrent: 1,
		OpenTime: 10 * time.Minute, BusyTime: 10 * time.Minute}, stats[1])
	_, err = chatkpi.AgentStats{}.AverageConcurrency()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)

	// Touching intervals are not concurrent (they are half-open).
	var b chatkpi.Agents
	require.NoError(t, b.AddConversation(outcChat("x", "x", outcAgent(0, chatkpi.Joined, "cy"), outcE(10, outcResolved, chatkpi.Agent))))
	require.NoError(t, b.AddConversation(outcChat("y", "y", outcAgent(10, chatkpi.Joined, "cy"), outcE(20, outcResolved, chatkpi.Agent))))
	bs, err := b.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), bs[0].MaxConcurrent)
	assert.Equal(t, 20*time.Minute, bs[0].BusyTime)
}

func TestAgentsErrors(t *testing.T) {
	var a chatkpi.Agents
	noID := outcE(1, outcMsg, chatkpi.Agent)
	err := a.AddConversation(outcChat("n", "n", outcE(0, outcMsg, outcCust), noID))
	var ie *chatkpi.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 1, ie.Event)
	assert.Equal(t, "agent", ie.Field)
	assert.ErrorIs(t, a.AddConversation(outcChat("o", "o", outcAgent(2, outcMsg, "ana"), outcE(1, outcMsg, outcCust))), chatkpi.ErrInvalid)
	_, err = a.Result()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
}

func TestHandlingAgent(t *testing.T) {
	c := outcAgentTimeline()[2]
	for i, want := range []string{"", "bo", "bo", "ana", "ana", "ana", "ana"} {
		assert.Equal(t, want, chatkpi.HandlingAgent(c.Events, i), "event %d (%s)", i, c.Events[i].Type)
	}
	assert.Equal(t, "", chatkpi.HandlingAgent(c.Events, -1))
	assert.Equal(t, "", chatkpi.HandlingAgent(c.Events, len(c.Events)))
	// A private note does not make its author the handler.
	note := outcAgent(1, outcMsg, "cy")
	note.Private = true
	assert.Equal(t, "", chatkpi.HandlingAgent([]chatkpi.Event{outcE(0, outcMsg, outcCust), note}, 1))
}

func outcAgentsOf(t require.TestingT, chats []*chatkpi.Chat) *chatkpi.Agents {
	var a chatkpi.Agents
	for _, c := range chats {
		require.NoError(t, a.AddConversation(c))
	}
	return &a
}

func TestAgentsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(30).Draw(t, "chats")
		whole := outcAgentsOf(t, chats)
		want, werr := whole.Result()
		merged := shardAccumulator(t, chats, func() *chatkpi.Agents { return &chatkpi.Agents{} },
			func(a *chatkpi.Agents, c *chatkpi.Chat) { require.NoError(t, a.AddConversation(c)) })
		data, err := whole.MarshalBinary()
		require.NoError(t, err)
		var back chatkpi.Agents
		require.NoError(t, back.UnmarshalBinary(data))
		for _, other := range []*chatkpi.Agents{merged, outcAgentsOf(t, rapid.Permutation(chats).Draw(t, "perm")), &back} {
			got, gerr := other.Result()
			require.Equal(t, werr, gerr)
			require.Equal(t, want, got)
		}
		handled := map[string]int64{}
		for _, c := range chats {
			seen := map[string]bool{}
			for i := range c.Events {
				if h := chatkpi.HandlingAgent(c.Events, i); h != "" && !seen[h] {
					seen[h] = true
					handled[h]++
				}
			}
		}
		require.Len(t, want, len(handled))
		for _, s := range want {
			require.Equal(t, handled[s.Agent], s.Conversations, s.Agent)
			require.LessOrEqual(t, s.MaxConcurrent, s.Conversations)
			require.LessOrEqual(t, s.BusyTime, s.OpenTime)
			require.LessOrEqual(t, s.OpenTime, time.Duration(s.MaxConcurrent)*s.BusyTime)
		}
	})
}

func FuzzAgentsUnmarshal(f *testing.F) {
	var a chatkpi.Agents
	empty, _ := a.MarshalBinary()
	f.Add(empty)
	for _, c := range outcAgentTimeline() {
		if err := a.AddConversation(c); err != nil {
			f.Fatal(err)
		}
	}
	data, _ := a.MarshalBinary()
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a chatkpi.Agents
		if err := a.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		if _, err := a.Result(); err != nil && !errors.Is(err, chatkpi.ErrNoData) {
			t.Fatal(err)
		}
		canon, _ := a.MarshalBinary()
		var back chatkpi.Agents
		if err := back.UnmarshalBinary(canon); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		again, _ := back.MarshalBinary()
		if string(again) != string(canon) {
			t.Fatal("re-encoding differs")
		}
	})
}

// outcPresenceDay is the hand-made presence of ana and bo around the switch to
// summer time in Berlin (Sunday 29 March 2026).
func outcPresenceDay() []chatkpi.Event {
	on := func(agent string, tm time.Time) chatkpi.Event {
		return chatkpi.Event{Time: tm, Type: chatkpi.Online, Role: chatkpi.Agent, Agent: agent}
	}
	off := func(agent string, tm time.Time) chatkpi.Event {
		return chatkpi.Event{Time: tm, Type: chatkpi.Offline, Role: chatkpi.Agent, Agent: agent}
	}
	utc := func(d, h, m int) time.Time { return time.Date(2026, time.March, d, h, m, 0, 0, time.UTC) }
	return []chatkpi.Event{
		on("ana", utc(28, 7, 0)),   // 08:00 CET
		on("bo", utc(28, 14, 0)),   // overlaps ana for an hour
		off("ana", utc(28, 15, 0)), //
		off("bo", utc(28, 23, 30)), // 00:30 CET on the 29th: past local midnight
		on("ana", utc(29, 6, 0)),   // 08:00 CEST, never closed
	}
}

func TestPresenceAvailability(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ps, err := chatkpi.NewPeriods(berlin, time.Monday)
	require.NoError(t, err)
	var p chatkpi.Presence
	_, err = p.Availability(ps, outcT0)
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	for _, e := range outcPresenceDay() {
		require.NoError(t, p.Add(e))
	}
	until := time.Date(2026, time.March, 29, 12, 0, 0, 0, time.UTC)
	days, err := p.Availability(ps, until)
	require.NoError(t, err)
	require.Len(t, days, 2)
	assert.Equal(t, "2026-03-28", days[0].Label)
	assert.Equal(t, 16*time.Hour, days[0].Online) // 07:00–23:00 UTC, the union of ana and bo
	assert.Equal(t, "2026-03-29", days[1].Label)
	assert.Equal(t, 6*time.Hour+30*time.Minute, days[1].Online) // 23:00–23:30 and 06:00–12:00 UTC
	assert.InDelta(t, 6.5, days[1].Hours(), 1e-12)

	ana, err := p.OnlineTime("ana", until)
	require.NoError(t, err)
	assert.Equal(t, 14*time.Hour, ana)
	bo, err := p.OnlineTime("bo", until)
	require.NoError(t, err)
	assert.Equal(t, 9*time.Hour+30*time.Minute, bo)
	_, err = p.OnlineTime("cy", until)
	assert.ErrorIs(t, err, chatkpi.ErrNoData)

	// A day in between with nobody online is listed with zero; in UTC the
	// days split differently.
	require.NoError(t, p.Add(chatkpi.Event{Time: until.Add(time.Hour), Type: chatkpi.Offline, Role: chatkpi.Agent, Agent: "ana"}))
	require.NoError(t, p.Add(chatkpi.Event{Time: until.Add(48 * time.Hour), Type: chatkpi.Online, Role: chatkpi.Agent, Agent: "bo"}))
	require.NoError(t, p.Add(chatkpi.Event{Time: until.Add(50 * time.Hour), Type: chatkpi.Offline, Role: chatkpi.Agent, Agent: "bo"}))
	utcDays, err := p.Availability(chatkpi.Periods{}, until)
	require.NoError(t, err)
	var got []time.Duration
	for _, d := range utcDays {
		got = append(got, d.Online)
	}
	assert.Equal(t, []time.Duration{16*time.Hour + 30*time.Minute, 7 * time.Hour, 0, 2 * time.Hour}, got)
}

func TestPresenceErrors(t *testing.T) {
	ev := outcPresenceDay()
	var p chatkpi.Presence
	assert.ErrorIs(t, p.Add(ev[2]), chatkpi.ErrInvalid, "offline without online")
	require.NoError(t, p.Add(ev[0]))
	assert.ErrorIs(t, p.Add(ev[0]), chatkpi.ErrInvalid, "online twice")
	assert.ErrorIs(t, p.Add(outcE(0, outcMsg, outcCust)), chatkpi.ErrInvalid, "not a presence event")
	noAgent := ev[1]
	noAgent.Agent = ""
	assert.ErrorIs(t, p.Add(noAgent), chatkpi.ErrInvalid)
	back := ev[2]
	back.Time = ev[0].Time.Add(-time.Hour)
	assert.ErrorIs(t, p.Add(back), chatkpi.ErrInvalid, "before the agent's previous event")
	_, err := p.Availability(chatkpi.Periods{}, ev[0].Time.Add(-time.Minute))
	assert.ErrorIs(t, err, chatkpi.ErrInvalid, "until before an open interval")

	var q chatkpi.Presence
	require.NoError(t, q.Add(ev[0]))
	assert.ErrorIs(t, p.Merge(&q), chatkpi.ErrInvalid, "ana online in both")
}

func TestPresenceMergeAndEncoding(t *testing.T) {
	ev := outcPresenceDay()
	var whole, ana, bo chatkpi.Presence
	for _, e := range ev {
		require.NoError(t, whole.Add(e))
		if e.Agent == "ana" {
			require.NoError(t, ana.Add(e))
		} else {
			require.NoError(t, bo.Add(e))
		}
	}
	require.NoError(t, bo.Merge(&ana))
	until := time.Date(2026, time.March, 30, 0, 0, 0, 0, time.UTC)
	want, err := whole.Availability(chatkpi.Periods{}, until)
	require.NoError(t, err)
	got, err := bo.Availability(chatkpi.Periods{}, until)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	data, err := whole.MarshalBinary()
	require.NoError(t, err)
	var back chatkpi.Presence
	require.NoError(t, back.UnmarshalBinary(data))
	got, err = back.Availability(chatkpi.Periods{}, until)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	// The decoded state still knows ana is online.
	assert.ErrorIs(t, back.Add(ev[4]), chatkpi.ErrInvalid)
}

func FuzzPresenceUnmarshal(f *testing.F) {
	var p chatkpi.Presence
	empty, _ := p.MarshalBinary()
	f.Add(empty)
	for _, e := range outcPresenceDay() {
		if err := p.Add(e); err != nil {
			f.Fatal(err)
		}
		data, _ := p.MarshalBinary()
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p chatkpi.Presence
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		canon, _ := p.MarshalBinary()
		var back chatkpi.Presence
		if err := back.UnmarshalBinary(canon); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		again, _ := back.MarshalBinary()
		if string(again) != string(canon) {
			t.Fatal("re-encoding differs")
		}
		// Availability is bounded whatever the decoded intervals span.
		days, err := p.Availability(chatkpi.Periods{}, time.Date(2261, 12, 31, 0, 0, 0, 0, time.UTC))
		if err != nil && !errors.Is(err, chatkpi.ErrNoData) && !errors.Is(err, chatkpi.ErrInvalid) && !errors.Is(err, chatkpi.ErrLimit) {
			t.Fatalf("availability: %v", err)
		}
		if len(days) > chatkpi.MaxAvailabilityDays {
			t.Fatalf("%d days", len(days))
		}
	})
}

// outcPresenceStream draws valid presence events: per agent, alternating Online
// and Offline in time order, the last Online sometimes left open.
func outcPresenceStream(t *rapid.T) (byAgent map[string][]chatkpi.Event, last time.Time) {
	byAgent = map[string][]chatkpi.Event{}
	last = chatkpitest.Epoch()
	for _, agent := range []string{"ana", "bo", "chen"} {
		at := chatkpitest.Epoch().Add(time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "first")))
		n := rapid.IntRange(0, 8).Draw(t, "n")
		for i := range n {
			typ := chatkpi.Online
			if i%2 == 1 {
				typ = chatkpi.Offline
			}
			byAgent[agent] = append(byAgent[agent], chatkpi.Event{Time: at, Type: typ, Role: chatkpi.Agent, Agent: agent})
			if at.After(last) {
				last = at
			}
			at = at.Add(chatkpitest.Gap().Draw(t, "gap"))
		}
	}
	return byAgent, last
}

func TestPresenceProperties(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ps, err := chatkpi.NewPeriods(berlin, time.Monday)
	require.NoError(t, err)
	rapid.Check(t, func(t *rapid.T) {
		byAgent, last := outcPresenceStream(t)
		until := last.Add(time.Duration(rapid.Int64Range(0, int64(24*time.Hour)).Draw(t, "until")))
		var whole chatkpi.Presence
		parts := map[string]*chatkpi.Presence{}
		var sum, longest time.Duration
		for agent, events := range byAgent {
			parts[agent] = &chatkpi.Presence{}
			for _, e := range events {
				require.NoError(t, whole.Add(e))
				require.NoError(t, parts[agent].Add(e))
			}
			d, err := whole.OnlineTime(agent, until)
			if len(events) == 0 {
				require.ErrorIs(t, err, chatkpi.ErrNoData)
				continue
			}
			require.NoError(t, err)
			sum += d
			longest = max(longest, d)
		}
		var merged chatkpi.Presence
		for _, p := range parts {
			require.NoError(t, merged.Merge(p))
		}
		want, werr := whole.Availability(ps, until)
		got, gerr := merged.Availability(ps, until)
		require.Equal(t, werr, gerr)
		require.Equal(t, want, got)
		data, err := whole.MarshalBinary()
		require.NoError(t, err)
		var back chatkpi.Presence
		require.NoError(t, back.UnmarshalBinary(data))
		got, gerr = back.Availability(ps, until)
		require.Equal(t, werr, gerr)
		require.Equal(t, want, got)

		// The union is at most the sum of the agents' online times, and a
		// day is never covered for longer than it lasts.
		var total time.Duration
		for _, d := range want {
			require.GreaterOrEqual(t, d.Online, time.Duration(0))
			require.LessOrEqual(t, d.Online, ps.Next(d.Start, chatkpi.Day).Sub(d.Start))
			total += d.Online
		}
		require.LessOrEqual(t, total, sum)
		require.GreaterOrEqual(t, total, longest)
		if werr == nil {
			require.Positive(t, total)
		} else {
			require.Zero(t, sum)
		}
	})
}

// TestPresenceAvailabilityBounded: one agent online from 1678 to 2261, a
// 38-byte state, made Availability allocate 56 MiB for 213,300 days; now it
// is an error naming the limit, found before anything is allocated, and a
// century of days still works.
func TestPresenceAvailabilityBounded(t *testing.T) {
	presence := func(from, to time.Time) *chatkpi.Presence {
		var p chatkpi.Presence
		require.NoError(t, p.Add(chatkpi.Event{Time: from, Type: chatkpi.Online, Role: chatkpi.Agent, Agent: "a"}))
		require.NoError(t, p.Add(chatkpi.Event{Time: to, Type: chatkpi.Offline, Role: chatkpi.Agent, Agent: "a"}))
		return &p
	}
	p := presence(time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2261, 12, 31, 0, 0, 0, 0, time.UTC))
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	_, err := p.Availability(chatkpi.Periods{}, time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC))
	runtime.ReadMemStats(&ms1)
	require.ErrorIs(t, err, chatkpi.ErrLimit)
	assert.Contains(t, err.Error(), "more than 36525 days")
	assert.Less(t, ms1.TotalAlloc-ms0.TotalAlloc, uint64(64<<10))

	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	exact := presence(from, from.AddDate(0, 0, chatkpi.MaxAvailabilityDays))
	days, err := exact.Availability(chatkpi.Periods{}, from)
	require.NoError(t, err)
	require.Len(t, days, chatkpi.MaxAvailabilityDays)
	assert.Equal(t, 24*time.Hour, days[len(days)-1].Online)
	// One more day, found only by counting (the quick bound allows it).
	_, err = presence(from, from.AddDate(0, 0, chatkpi.MaxAvailabilityDays).Add(time.Hour)).Availability(chatkpi.Periods{}, from)
	require.ErrorIs(t, err, chatkpi.ErrLimit)
}
