package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// nov returns an instant of November 2026 in UTC.
func nov(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, time.UTC) }

// goal is a Goal event worth eur euros.
func goal(t time.Time, eur int64) chatkpi.Event {
	return chatkpi.Event{Time: t, Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.New(eur, 0), Currency: "EUR"}
}

// summaryGroups returns the summary's groups by "period|agent".
func summaryGroups(t *testing.T, r *chatkpi.Report) (*chatkpi.Summary, map[string]*chatkpi.GroupSummary) {
	t.Helper()
	s, err := r.Summary()
	require.NoError(t, err)
	gs := map[string]*chatkpi.GroupSummary{}
	for i := range s.Groups {
		g := &s.Groups[i]
		gs[g.Period+"|"+g.Key["agent"]] = g
	}
	return s, gs
}

// Goals land in the period of each Goal event, the conversion rate in the
// period of the conversation's start. Conversation a starts on the 23rd at
// 23:50 and reaches a goal of 10 € on the 24th and one of 5 € on the 25th;
// b starts on the 24th and reaches none. By day:
//
//	23rd: 1 conversation (a), converted 1 of 1, goals 0, value none
//	24th: 1 conversation (b), converted 0 of 1, goals 1, value 10 €
//	25th: 0 conversations, no rate, goals 1, value 5 €
//	overall: converted 1 of 2, goals 2, value 15 €
func TestReportGoalsInTheirPeriod(t *testing.T) {
	a := &chatkpi.Chat{Meta: chatkpi.Info{ID: "a"}, Events: []chatkpi.Event{
		{Time: nov(23, 23, 50), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: nov(23, 23, 51), Type: chatkpi.Message, Role: chatkpi.Bot},
		goal(nov(24, 0, 30), 10),
		goal(nov(25, 9, 0), 5),
	}}
	b := &chatkpi.Chat{Meta: chatkpi.Info{ID: "b"}, Events: []chatkpi.Event{
		{Time: nov(24, 10, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
	}}
	for _, streaming := range []bool{false, true} {
		opts := chatkpi.ReportSettings{Period: chatkpi.Day}
		if streaming {
			opts = opts.WithStreaming(0)
		}
		r, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		require.NoError(t, r.AddConversation(a))
		require.NoError(t, r.AddConversation(b))
		s, gs := summaryGroups(t, r)
		require.Len(t, gs, 3)

		d23 := gs["2026-11-23|"]
		assert.Equal(t, int64(1), d23.Conversations)
		require.NotNil(t, d23.Conversion)
		require.NotNil(t, d23.Conversion.RateSummary)
		assert.Equal(t, [2]int64{1, 1}, [2]int64{d23.Conversion.Count, d23.Conversion.Of}, "a started on the 23rd and reached a goal")
		assert.Equal(t, int64(0), d23.Conversion.Goals)
		assert.Empty(t, d23.Conversion.Value)

		d24 := gs["2026-11-24|"]
		assert.Equal(t, int64(1), d24.Conversations)
		require.NotNil(t, d24.Conversion.RateSummary)
		assert.Equal(t, [2]int64{0, 1}, [2]int64{d24.Conversion.Count, d24.Conversion.Of})
		assert.Equal(t, int64(1), d24.Conversion.Goals, "a's first goal")
		assert.Equal(t, map[string]string{"EUR": "10"}, d24.Conversion.Value)

		d25 := gs["2026-11-25|"]
		assert.Equal(t, int64(0), d25.Conversations)
		require.NotNil(t, d25.Conversion)
		assert.Nil(t, d25.Conversion.RateSummary, "no conversation started on the 25th")
		assert.Equal(t, int64(1), d25.Conversion.Goals)
		assert.Equal(t, map[string]string{"EUR": "5"}, d25.Conversion.Value)
		assert.Nil(t, d25.FirstResponseTime, "conversation-level measures stay on the day of the start")

		o := s.Overall.Conversion
		require.NotNil(t, o.RateSummary)
		assert.Equal(t, [2]int64{1, 2}, [2]int64{o.Count, o.Of})
		assert.Equal(t, int64(2), o.Goals)
		assert.Equal(t, map[string]string{"EUR": "15"}, o.Value)
	}
}

// Reopens land in the period of each Reopened event; the resolution, and
// whether the resolved conversation was reopened (the reopen rate's
// numerator), in the period of the first resolution. Resolved on Monday
// 23rd, reopened by the customer on Monday 30th (the next week) and
// resolved again:
//
//	week of the 23rd: 1 resolution (600 s), 0 reopens, 1 resolved conversation reopened
//	week of the 30th: no resolution, 1 reopen, 1 resolve–reopen cycle
func TestReportReopensInTheirPeriod(t *testing.T) {
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "r"}, Events: []chatkpi.Event{
		{Time: nov(23, 9, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: nov(23, 9, 2), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: nov(23, 9, 10), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
		{Time: nov(30, 10, 0), Type: chatkpi.Reopened, Role: chatkpi.Customer},
		{Time: nov(30, 10, 5), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
	}}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Week})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(c))
	assert.Equal(t, map[string][3]int64{
		"2026-11-23|": {0, 0, 1}, // reopens, cycles, reopened resolved conversations
		"2026-11-30|": {1, 1, 0},
	}, chatkpi.ReportGroupReopens(r))
	_, gs := summaryGroups(t, r)
	assert.Equal(t, 600.0, meanOf(gs["2026-11-23|"].ResolutionTime))
	assert.Nil(t, gs["2026-11-30|"].ResolutionTime)
	assert.Equal(t, int64(0), gs["2026-11-30|"].Conversations)
}

// By agent and day, with a transfer: ana takes the conversation on the
// 23rd, a goal of 20 € is reached while she holds it; bob takes over,
// resolves it, the customer reopens it on the 24th while bob holds it and
// a goal of 30 € follows. The conversation is bob's at its end (its
// conversion rate, outcome), ana's and bob's as handled:
//
//	23rd ana: 1 conversation, no rate, goals 1, 20 €
//	23rd bob: 1 conversation, converted 1 of 1, goals 0, resolution, 0 reopens
//	24th bob: 0 conversations, no rate, goals 1, 30 €, 1 reopen
func TestReportGoalsAndReopensByAgent(t *testing.T) {
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "t"}, Events: []chatkpi.Event{
		{Time: nov(23, 22, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: nov(23, 22, 1), Type: chatkpi.Joined, Role: chatkpi.System, Agent: "ana"},
		{Time: nov(23, 22, 2), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		goal(nov(23, 22, 10), 20),
		{Time: nov(23, 22, 20), Type: chatkpi.Joined, Role: chatkpi.System, Agent: "bob"},
		{Time: nov(23, 22, 21), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "bob"},
		{Time: nov(23, 22, 30), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "bob"},
		{Time: nov(24, 8, 0), Type: chatkpi.Reopened, Role: chatkpi.Customer},
		goal(nov(24, 8, 30), 30),
	}}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(c))
	s, gs := summaryGroups(t, r)
	require.Len(t, gs, 3)

	ana := gs["2026-11-23|ana"]
	assert.Equal(t, int64(1), ana.Conversations)
	require.NotNil(t, ana.Conversion)
	assert.Nil(t, ana.Conversion.RateSummary, "the conversation is bob's at its end")
	assert.Equal(t, int64(1), ana.Conversion.Goals)
	assert.Equal(t, map[string]string{"EUR": "20"}, ana.Conversion.Value)

	bob := gs["2026-11-23|bob"]
	assert.Equal(t, int64(1), bob.Conversations)
	require.NotNil(t, bob.Conversion.RateSummary)
	assert.Equal(t, [2]int64{1, 1}, [2]int64{bob.Conversion.Count, bob.Conversion.Of})
	assert.Equal(t, int64(0), bob.Conversion.Goals)
	assert.Equal(t, 1800.0, meanOf(bob.ResolutionTime))

	bob24 := gs["2026-11-24|bob"]
	assert.Equal(t, int64(0), bob24.Conversations)
	assert.Nil(t, bob24.Conversion.RateSummary)
	assert.Equal(t, int64(1), bob24.Conversion.Goals)
	assert.Equal(t, map[string]string{"EUR": "30"}, bob24.Conversion.Value)

	assert.Equal(t, map[string][3]int64{
		"2026-11-23|ana": {0, 0, 0},
		"2026-11-23|bob": {0, 0, 1},
		"2026-11-24|bob": {1, 1, 0},
	}, chatkpi.ReportGroupReopens(r))

	assert.Equal(t, int64(1), s.Overall.Conversations)
	assert.Equal(t, int64(2), s.Overall.Conversion.Goals)
	assert.Equal(t, map[string]string{"EUR": "50"}, s.Overall.Conversion.Value)
}

// The worked example of GroupByAgent's documentation, goals included.
func TestReportGroupByAgentWorkedExample(t *testing.T) {
	at := func(m, s int) time.Time { return time.Date(2026, 11, 23, 9, m, s, 0, time.UTC) }
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "w"}, Events: []chatkpi.Event{
		{Time: at(0, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(0, 10), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(1, 0), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(1, 40), Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey},
		goal(at(1, 50), 20),
		{Time: at(2, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(2, 10), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: "bob"},
		{Time: at(2, 30), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "bob"},
		{Time: at(3, 20), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 5},
		goal(at(4, 0), 30),
		{Time: at(5, 0), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "bob"},
	}}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(c))
	s, gs := summaryGroups(t, r)
	require.Len(t, gs, 2)
	ana, bob := gs["|ana"], gs["|bob"]
	assert.Equal(t, int64(1), ana.Conversations)
	assert.Equal(t, 60.0, meanOf(ana.FirstResponseTime))
	assert.Equal(t, [2]float64{1, 60}, [2]float64{float64(ana.ResponseTime.Count), meanOf(ana.ResponseTime)})
	require.NotNil(t, ana.CSAT)
	assert.Equal(t, 5.0, ana.CSAT.Mean)
	assert.Nil(t, ana.Conversion.RateSummary)
	assert.Equal(t, int64(1), ana.Conversion.Goals)
	assert.Equal(t, map[string]string{"EUR": "20"}, ana.Conversion.Value)
	assert.Nil(t, ana.Outcomes)

	assert.Equal(t, int64(1), bob.Conversations)
	assert.Nil(t, bob.FirstResponseTime)
	assert.Equal(t, [2]float64{1, 30}, [2]float64{float64(bob.ResponseTime.Count), meanOf(bob.ResponseTime)})
	assert.Equal(t, 300.0, meanOf(bob.ResolutionTime))
	assert.Equal(t, int64(1), bob.Outcomes.ResolvedByAgent)
	assert.Nil(t, bob.CSAT)
	require.NotNil(t, bob.Conversion.RateSummary)
	assert.Equal(t, [2]int64{1, 1}, [2]int64{bob.Conversion.Count, bob.Conversion.Of})
	assert.Equal(t, int64(1), bob.Conversion.Goals)
	assert.Equal(t, map[string]string{"EUR": "30"}, bob.Conversion.Value)

	o := s.Overall
	assert.Equal(t, int64(1), o.Conversations)
	assert.Equal(t, [3]int64{1, 1, 2}, [3]int64{o.Conversion.Count, o.Conversion.Of, o.Conversion.Goals})
	assert.Equal(t, map[string]string{"EUR": "50"}, o.Conversion.Value)
}

// Merge = union and permutation invariance for the state the summary does
// not show either (the reopens of each group): by day and agent, the
// encoding of a report equals that of the same conversations added in
// reverse order and that of two halves merged, and the reopens and goals of
// the groups add up to those of the ungrouped report.
func TestReportReopensAndGoalsMergeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := acceptedChats(t, 40)
		opts := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}
		build := func(cs []*chatkpi.Chat) *chatkpi.Report {
			r, err := chatkpi.NewReport(opts)
			require.NoError(t, err)
			for _, c := range cs {
				require.NoError(t, r.AddConversation(c))
			}
			return r
		}
		whole := build(chats)
		reversed := make([]*chatkpi.Chat, len(chats))
		for i, c := range chats {
			reversed[len(chats)-1-i] = c
		}
		half := rapid.IntRange(0, len(chats)).Draw(t, "half")
		merged := build(chats[:half])
		require.NoError(t, merged.Merge(build(chats[half:])))
		encoding := func(r *chatkpi.Report) []byte {
			b, err := r.MarshalBinary()
			require.NoError(t, err)
			return b
		}
		want := encoding(whole)
		require.Equal(t, want, encoding(build(reversed)))
		require.Equal(t, want, encoding(merged))

		var flat chatkpi.Report
		for _, c := range chats {
			require.NoError(t, flat.AddConversation(c))
		}
		var sum [3]int64
		for _, g := range chatkpi.ReportGroupReopens(whole) {
			for i := range sum {
				sum[i] += g[i]
			}
		}
		_, _, res, _, _, _, _, _, err := chatkpi.ReportOverallMetrics(&flat)
		require.NoError(t, err)
		rr, _ := res.Result()
		require.Equal(t, [3]int64{rr.Reopens, rr.Cycles, rr.Reopened}, sum)
	})
}

// A goal or a reopen in another period makes a group, which counts toward
// MaxGroups before anything is recorded.
func TestReportMaxGroupsCountsGoalAndReopenGroups(t *testing.T) {
	for name, late := range map[string]chatkpi.Event{
		"goal":   goal(nov(24, 9, 0), 10),
		"reopen": {Time: nov(24, 9, 0), Type: chatkpi.Reopened, Role: chatkpi.Customer},
	} {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: name}, Events: []chatkpi.Event{
			{Time: nov(23, 9, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: nov(23, 9, 1), Type: chatkpi.Resolved, Role: chatkpi.Bot},
			late,
		}}
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, MaxGroups: 1})
		require.NoError(t, err)
		require.ErrorIs(t, r.AddConversation(c), chatkpi.ErrLimit, name)
		_, err = r.Summary()
		require.ErrorIs(t, err, chatkpi.ErrNoData, "%s: nothing recorded", name)

		r, err = chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, MaxGroups: 2})
		require.NoError(t, err)
		require.NoError(t, r.AddConversation(c), name)
	}
}
