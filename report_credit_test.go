package chatkpi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// ev builds the events of the crediting tests: seconds after 2026-11-23
// 09:00 UTC.
func ev(sec int, typ chatkpi.EventType, role chatkpi.Role, agent string) chatkpi.Event {
	return chatkpi.Event{Time: time.Date(2026, 11, 23, 9, 0, sec, 0, time.UTC), Type: typ, Role: role, Agent: agent}
}

// meanOf is the mean of a timing summary, or −1 when it has no duration.
func meanOf(ts *chatkpi.TimingSummary) float64 {
	if ts == nil || ts.MeanSeconds == nil {
		return -1
	}
	return *ts.MeanSeconds
}

// groupOf returns the summary of the group with the agent value, failing
// when there is none.
func groupOf(t *testing.T, s *chatkpi.Summary, agent string) *chatkpi.GroupSummary {
	t.Helper()
	for i := range s.Groups {
		if s.Groups[i].Key["agent"] == agent {
			return &s.Groups[i]
		}
	}
	require.Failf(t, "no group", "agent %q", agent)
	return nil
}

// The scenario of issue 10: customer +0 s, bot +5 s, handoff +20 s, agent
// +62 s. The human first response runs from the handoff.
func TestReportBotAndHumanFirstResponse(t *testing.T) {
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "x"}, Events: []chatkpi.Event{
		ev(0, chatkpi.Message, chatkpi.Customer, ""),
		ev(5, chatkpi.Message, chatkpi.Bot, ""),
		ev(20, chatkpi.Handoff, chatkpi.Bot, ""),
		ev(30, chatkpi.Joined, chatkpi.System, "ana"),
		ev(62, chatkpi.Message, chatkpi.Agent, "ana"),
	}}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(c))
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Overall.TimeToAssignment, "an option, not a default")
	assert.Equal(t, 42.0, meanOf(s.Overall.HumanFirstResponseTime))

	r, err = chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(c))
	s, err = r.Summary()
	require.NoError(t, err)
	o := s.Overall
	assert.Equal(t, 5.0, meanOf(o.FirstResponseTime))
	assert.Equal(t, 5.0, meanOf(o.BotFirstResponseTime))
	assert.Equal(t, 42.0, meanOf(o.HumanFirstResponseTime))
	assert.Equal(t, 10.0, meanOf(o.TimeToAssignment), "handoff +20 s to the join +30 s")
	assert.Equal(t, 32.0, meanOf(o.FirstResponseAfterAssignment), "join +30 s to the agent +62 s")
	assert.Equal(t, 5.0, meanOf(o.ResponseTime))
	assert.Equal(t, 62.0, meanOf(o.HumanResponseTime))
	assert.Equal(t, 5.0, meanOf(o.BotResponseTime))
	assert.True(t, o.HumanFirstResponseTime.SmallSample)

	// The standalone calculator says the same with the same settings.
	d, st, err := chatkpi.FirstResponse(c, chatkpi.FirstResponseSettings{HumanOnly: true, Start: chatkpi.FromHandoffOrCustomerMessage})
	require.NoError(t, err)
	assert.Equal(t, chatkpi.FRTAnswered, st)
	assert.Equal(t, 42*time.Second, d)

	// By handler the conversation is human's; by agent each reply is
	// credited to who sent it: the bot's to "", the agent's to ana.
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}, Metrics: chatkpi.AllMetrics})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(c))
	s, err = r.Summary()
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.Overall.Conversations)
	bot, ana := groupOf(t, s, ""), groupOf(t, s, "ana")
	assert.Equal(t, int64(1), bot.Conversations)
	assert.Equal(t, int64(1), ana.Conversations)
	assert.Equal(t, 5.0, meanOf(bot.FirstResponseTime))
	assert.Equal(t, 5.0, meanOf(bot.BotFirstResponseTime))
	assert.Nil(t, bot.HumanFirstResponseTime)
	assert.Nil(t, ana.FirstResponseTime)
	assert.Equal(t, 42.0, meanOf(ana.HumanFirstResponseTime))
	assert.Equal(t, 10.0, meanOf(ana.TimeToAssignment))
	assert.NotNil(t, ana.Outcomes, "the conversation is at home with the agent holding it at the end")
	assert.Nil(t, bot.Outcomes)
}

// Human FRT without a handoff: from the first customer message; a
// conversation only the bot answered is excluded, not unanswered.
func TestReportHumanFirstResponseWithoutHandoff(t *testing.T) {
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "human"}, Events: []chatkpi.Event{
			ev(0, chatkpi.Message, chatkpi.Customer, ""), ev(48, chatkpi.Message, chatkpi.Agent, "ana")}},
		{Meta: chatkpi.Info{ID: "contained"}, Events: []chatkpi.Event{
			ev(0, chatkpi.Message, chatkpi.Customer, ""), ev(2, chatkpi.Message, chatkpi.Bot, ""), ev(9, chatkpi.Resolved, chatkpi.Bot, "")}},
		{Meta: chatkpi.Info{ID: "missed"}, Events: []chatkpi.Event{
			ev(0, chatkpi.Message, chatkpi.Customer, ""), ev(2, chatkpi.Message, chatkpi.Bot, ""), ev(3, chatkpi.Handoff, chatkpi.Bot, "")}},
		{Meta: chatkpi.Info{ID: "nobody"}, Events: []chatkpi.Event{ev(0, chatkpi.Message, chatkpi.Customer, "")}},
		{Meta: chatkpi.Info{ID: "quiet"}, Events: []chatkpi.Event{ev(0, chatkpi.Message, chatkpi.Bot, "")}},
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	h, b, a := s.Overall.HumanFirstResponseTime, s.Overall.BotFirstResponseTime, s.Overall.FirstResponseTime
	// human: 48 s answered; missed and nobody unanswered; contained (the bot
	// kept it) and quiet (unengaged) excluded.
	assert.Equal(t, [3]int64{1, 2, 2}, [3]int64{h.Count, h.Unanswered, h.Excluded})
	assert.Equal(t, 48.0, meanOf(h))
	// bot: contained and missed answered (2 s); nobody unanswered; human
	// (only a human answered) and quiet excluded.
	assert.Equal(t, [3]int64{2, 1, 2}, [3]int64{b.Count, b.Unanswered, b.Excluded})
	assert.Equal(t, [3]int64{3, 1, 1}, [3]int64{a.Count, a.Unanswered, a.Excluded})
	// Time to assignment: nobody joined. Missed (handed off) and nobody
	// wait; human (answered without a join), contained (the bot kept it)
	// and quiet are excluded.
	ta := s.Overall.TimeToAssignment
	assert.Equal(t, [3]int64{0, 2, 3}, [3]int64{ta.Count, ta.Unanswered, ta.Excluded})
}

// Transfers: every reply time goes to the agent who replied, the
// resolution to who resolved, the CSAT to the agent at the survey; each
// agent who handled the conversation counts it.
func TestReportCreditsTransfers(t *testing.T) {
	cust := func(sec int) chatkpi.Event { return ev(sec, chatkpi.Message, chatkpi.Customer, "") }
	sent := func(sec int) chatkpi.Event {
		e := ev(sec, chatkpi.SurveySent, chatkpi.System, "")
		e.Survey = chatkpi.CSATSurvey
		return e
	}
	rating := func(sec, score int) chatkpi.Event {
		e := ev(sec, chatkpi.Rating, chatkpi.Customer, "")
		e.Survey, e.Score = chatkpi.CSATSurvey, int8(score)
		return e
	}
	chats := []*chatkpi.Chat{
		// Ana answers in 60 s, the survey is sent while she holds it, then bob
		// takes over, answers the second run in 30 s and resolves.
		{Meta: chatkpi.Info{ID: "before"}, Events: []chatkpi.Event{
			cust(0), ev(10, chatkpi.Joined, chatkpi.Agent, "ana"), ev(60, chatkpi.Message, chatkpi.Agent, "ana"),
			sent(100), cust(120), ev(130, chatkpi.Joined, chatkpi.Agent, "bob"), ev(150, chatkpi.Message, chatkpi.Agent, "bob"),
			rating(200, 5), ev(300, chatkpi.Resolved, chatkpi.Agent, "bob"),
		}},
		// The same, with the survey sent after the transfer: bob's.
		{Meta: chatkpi.Info{ID: "after"}, Events: []chatkpi.Event{
			cust(0), ev(10, chatkpi.Joined, chatkpi.Agent, "ana"), ev(60, chatkpi.Message, chatkpi.Agent, "ana"),
			cust(120), ev(130, chatkpi.Joined, chatkpi.Agent, "bob"), ev(150, chatkpi.Message, chatkpi.Agent, "bob"),
			sent(160), rating(200, 2), ev(300, chatkpi.Resolved, chatkpi.Agent, "bob"),
		}},
	}
	for _, streaming := range []bool{false, true} {
		opts := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}
		if streaming {
			opts = opts.WithStreaming(0)
		}
		r, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, r.AddConversation(c))
		}
		s, err := r.Summary()
		require.NoError(t, err)
		require.Len(t, s.Groups, 2)
		ana, bob := groupOf(t, s, "ana"), groupOf(t, s, "bob")
		assert.Equal(t, int64(2), ana.Conversations)
		assert.Equal(t, int64(2), bob.Conversations)
		assert.Equal(t, int64(2), s.Overall.Conversations)
		assert.Equal(t, [2]float64{60, 60}, [2]float64{meanOf(ana.FirstResponseTime), meanOf(ana.HumanFirstResponseTime)})
		assert.Nil(t, bob.FirstResponseTime, "bob did not answer first")
		assert.Equal(t, int64(2), ana.ResponseTime.Count)
		assert.Equal(t, 60.0, meanOf(ana.ResponseTime))
		assert.Equal(t, int64(2), bob.ResponseTime.Count)
		assert.Equal(t, 30.0, meanOf(bob.ResponseTime))
		assert.Nil(t, ana.ResolutionTime)
		assert.Equal(t, 300.0, meanOf(bob.ResolutionTime))
		require.NotNil(t, ana.CSAT)
		assert.Equal(t, int64(1), ana.CSAT.Responses)
		assert.Equal(t, 5.0, ana.CSAT.Mean)
		require.NotNil(t, bob.CSAT)
		assert.Equal(t, 2.0, bob.CSAT.Mean)
		assert.Nil(t, ana.Outcomes)
		assert.Equal(t, int64(2), bob.Outcomes.ResolvedByAgent)

		b, err := r.MarshalBinary()
		require.NoError(t, err)
		var z chatkpi.Report
		require.NoError(t, z.UnmarshalBinary(b))
		assert.Equal(t, summaryJSON(t, r), summaryJSON(t, &z))
	}
}

// csat_sent_transfer.jsonl of issue 14: a survey sent while ana held the
// conversation, then bo took it over and replied. Ana handled it (she
// joined), so her group counts it; no group has CSAT without conversations.
func TestReportCSATSentBeforeTransfer(t *testing.T) {
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
	require.NoError(t, err)
	const file = `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}
{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"joined","agent":"ana"}
{"conversation":"c1","time":"2026-01-05T10:02:00Z","role":"system","type":"survey_sent","survey":"csat"}
{"conversation":"c1","time":"2026-01-05T10:03:00Z","role":"agent","type":"joined","agent":"bo"}
{"conversation":"c1","time":"2026-01-05T10:04:00Z","role":"agent","type":"message","agent":"bo"}
`
	jr, err := chatkpi.NewJSONLReader(strings.NewReader(file))
	require.NoError(t, err)
	require.NoError(t, r.AddAll(chatkpi.Conversations(jr)))
	s, err := r.Summary()
	require.NoError(t, err)
	for _, g := range s.Groups {
		assert.Equal(t, int64(1), g.Conversations, g.Key)
	}
	require.Len(t, s.Groups, 2)
	groupOf(t, s, "ana")
	bo := groupOf(t, s, "bo")
	assert.Equal(t, 240.0, meanOf(bo.FirstResponseTime))
	assert.Equal(t, int64(1), s.Overall.Conversations)
}

// Each event in its own period: a conversation started at 23:50 and
// resolved and rated the next day gives its resolution and its answer to
// the next day; its first response stays on the day it started.
func TestReportEventsInTheirPeriod(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	rating := chatkpi.Event{Time: at(24, 0, 20), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 10}
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "late"}, Events: []chatkpi.Event{
		{Time: at(23, 23, 50), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(23, 23, 52), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(24, 0, 10), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
		rating,
	}}
	for _, groupings := range [][]chatkpi.Grouping{nil, {chatkpi.GroupByAgent()}} {
		opts := chatkpi.ReportSettings{Period: chatkpi.Day}
		copy(opts.GroupBy[:], groupings)
		r, err := chatkpi.NewReport(opts.WithStreaming(0))
		require.NoError(t, err)
		require.NoError(t, r.AddConversation(c))
		s, err := r.Summary()
		require.NoError(t, err)
		require.Len(t, s.Groups, 2)
		d1, d2 := s.Groups[0], s.Groups[1]
		assert.Equal(t, "2026-11-23", d1.Period)
		assert.Equal(t, int64(1), d1.Conversations)
		assert.Equal(t, 120.0, meanOf(d1.FirstResponseTime))
		assert.NotNil(t, d1.Outcomes)
		assert.Nil(t, d1.ResolutionTime)
		assert.Nil(t, d1.NPS)
		assert.Equal(t, "2026-11-24", d2.Period)
		assert.Equal(t, int64(0), d2.Conversations, "the conversation started the day before")
		assert.Equal(t, 1200.0, meanOf(d2.ResolutionTime))
		require.NotNil(t, d2.NPS)
		assert.Equal(t, int64(1), d2.NPS.Responses)
		assert.True(t, d2.NPS.SmallSample, "one answer")
		assert.Equal(t, int64(1), s.Overall.Conversations)
		assert.Equal(t, 1200.0, meanOf(s.Overall.ResolutionTime))
	}
}

// Without periods, crediting by agent never makes a group without
// conversations: every agent credited with a measure counts the
// conversation as handled; the overall count is the number of
// conversations, and the outcomes of the groups add up to it.
func TestReportAgentGroupsHaveConversations(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
		require.NoError(t, err)
		chats := chatkpitest.Chats(30).Draw(t, "chats")
		var added int64
		for _, c := range chats {
			if r.AddConversation(c) == nil {
				added++
			}
		}
		s, err := r.Summary()
		if added == 0 {
			require.ErrorIs(t, err, chatkpi.ErrNoData)
			return
		}
		require.NoError(t, err)
		assert.Equal(t, added, s.Overall.Conversations)
		var outcomes int64
		for _, g := range s.Groups {
			assert.Positive(t, g.Conversations, g.Key)
			if o := g.Outcomes; o != nil {
				outcomes += o.ResolvedByBot + o.Escalated + o.ResolvedByAgent + o.Abandoned + o.Unengaged
			}
		}
		assert.Equal(t, added, outcomes)
	})
}

// FromHandoffOrCustomerMessage with HumanOnly: the human first response
// time of a bot + human team.
func TestFirstResponseFromHandoffOrCustomerMessage(t *testing.T) {
	at := func(s int) time.Time { return time.Date(2026, 11, 23, 9, 0, s, 0, time.UTC) }
	msg := func(s int, role chatkpi.Role) chatkpi.Event {
		return chatkpi.Event{Time: at(s), Type: chatkpi.Message, Role: role, Agent: map[bool]string{true: "ana"}[role == chatkpi.Agent]}
	}
	handoff := func(s int) chatkpi.Event { return chatkpi.Event{Time: at(s), Type: chatkpi.Handoff, Role: chatkpi.Bot} }
	for _, tc := range []struct {
		name   string
		events []chatkpi.Event
		want   time.Duration
		status chatkpi.FRTStatus
	}{
		{"from the handoff", []chatkpi.Event{msg(0, chatkpi.Customer), msg(5, chatkpi.Bot), handoff(20), msg(62, chatkpi.Agent)}, 42 * time.Second, chatkpi.FRTAnswered},
		{"from the last handoff", []chatkpi.Event{msg(0, chatkpi.Customer), handoff(10), msg(15, chatkpi.Agent), handoff(30), msg(40, chatkpi.Agent)}, 10 * time.Second, chatkpi.FRTAnswered},
		{"no handoff: from the customer", []chatkpi.Event{msg(0, chatkpi.Customer), msg(48, chatkpi.Agent)}, 48 * time.Second, chatkpi.FRTAnswered},
		{"the bot kept it", []chatkpi.Event{msg(0, chatkpi.Customer), msg(2, chatkpi.Bot)}, 0, chatkpi.FRTNotEscalated},
		{"handed off, no human", []chatkpi.Event{msg(0, chatkpi.Customer), msg(2, chatkpi.Bot), handoff(3)}, 0, chatkpi.FRTUnanswered},
		{"nobody answered", []chatkpi.Event{msg(0, chatkpi.Customer)}, 0, chatkpi.FRTUnanswered},
		{"no customer", []chatkpi.Event{msg(0, chatkpi.Bot)}, 0, chatkpi.FRTUnengaged},
	} {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "x"}, Events: tc.events}
		d, st, err := chatkpi.FirstResponse(c, chatkpi.FirstResponseSettings{HumanOnly: true, Start: chatkpi.FromHandoffOrCustomerMessage})
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.status, st, tc.name)
		assert.Equal(t, tc.want, d, tc.name)
	}
}

// The group limit counts every group a conversation credits, not only its
// home: a bot reply credits the bot's group "" besides the agent's.
func TestReportMaxGroupsCountsCreditedGroups(t *testing.T) {
	chat := func(id string, sec int, agent string) *chatkpi.Chat {
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id}, Events: []chatkpi.Event{
			ev(sec, chatkpi.Message, chatkpi.Customer, ""),
			ev(sec+1, chatkpi.Message, chatkpi.Bot, ""),
			ev(sec+2, chatkpi.Handoff, chatkpi.Bot, ""),
			ev(sec+9, chatkpi.Message, chatkpi.Agent, agent),
		}}
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}, MaxGroups: 2})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(chat("a", 0, "ana")), `"" and ana`)
	before, err := r.MarshalBinary()
	require.NoError(t, err)
	err = r.AddConversation(chat("b", 10, "bob"))
	require.ErrorIs(t, err, chatkpi.ErrLimit)
	require.Contains(t, err.Error(), `conversation "b"`)
	after, err := r.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, before, after, "nothing recorded")
	require.NoError(t, r.AddConversation(chat("c", 20, "ana")), "existing groups take more")

	// The home group alone would fit: only the credited bot group is new.
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}, MaxGroups: 1})
	require.NoError(t, err)
	require.ErrorIs(t, r.AddConversation(chat("d", 0, "ana")), chatkpi.ErrLimit)
}
