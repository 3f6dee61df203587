package chatkpi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/chatkpi/chatkpi/datasets/twitter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// reportChats is a small hand-made set: two conversations of agent ana on
// 2026-11-23 and two without an agent on 2026-11-24.
func reportChats() []*chatkpi.Chat {
	at := func(d, h, m, s int) time.Time { return time.Date(2026, 11, d, h, m, s, 0, time.UTC) }
	cust := func(t time.Time) chatkpi.Event {
		return chatkpi.Event{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer}
	}
	ana := func(t time.Time, typ chatkpi.EventType) chatkpi.Event {
		return chatkpi.Event{Time: t, Type: typ, Role: chatkpi.Agent, Agent: "ana"}
	}
	survey := func(t time.Time, typ chatkpi.EventType, score int) chatkpi.Event {
		role := chatkpi.System
		if typ == chatkpi.Rating {
			role = chatkpi.Customer
		}
		return chatkpi.Event{Time: t, Type: typ, Role: role, Survey: chatkpi.CSATSurvey, Score: int8(score)}
	}
	return []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "a", Customer: "c1", Channel: "chat"}, Events: []chatkpi.Event{
			cust(at(23, 9, 0, 0)),
			ana(at(23, 9, 0, 30), chatkpi.Joined),
			ana(at(23, 9, 1, 0), chatkpi.Message), // FRT 60 s, run 1: 60 s
			cust(at(23, 9, 5, 0)),
			ana(at(23, 9, 6, 0), chatkpi.Message), // run 2: 60 s
			ana(at(23, 9, 10, 0), chatkpi.Resolved),
			survey(at(23, 9, 11, 0), chatkpi.SurveySent, 0),
			survey(at(23, 9, 12, 0), chatkpi.Rating, 5),
		}},
		{Meta: chatkpi.Info{ID: "b", Customer: "c2", Channel: "chat"}, Events: []chatkpi.Event{
			cust(at(23, 10, 0, 0)),
			ana(at(23, 10, 2, 0), chatkpi.Message), // FRT 120 s, run 120 s
			ana(at(23, 10, 30, 0), chatkpi.Resolved),
			survey(at(23, 10, 30, 30), chatkpi.SurveySent, 0),
			survey(at(23, 10, 31, 0), chatkpi.Rating, 2),
		}},
		{Meta: chatkpi.Info{ID: "c", Customer: "c3", Channel: "web"}, Events: []chatkpi.Event{
			cust(at(24, 8, 0, 0)),
			{Time: at(24, 8, 0, 5), Type: chatkpi.Message, Role: chatkpi.Bot}, // FRT 5 s, run 5 s
			cust(at(24, 8, 1, 0)), // run never answered
		}},
		{Meta: chatkpi.Info{ID: "d", Customer: "c4", Channel: "web"}, Events: []chatkpi.Event{
			cust(at(24, 9, 0, 0)), // never answered
		}},
	}
}

// notChat is a Conversation that is not a *Chat, to exercise the copy path.
type notChat struct{ c *chatkpi.Chat }

func (n notChat) Info() chatkpi.Info        { return n.c.Meta }
func (n notChat) Len() int                  { return len(n.c.Events) }
func (n notChat) Event(i int) chatkpi.Event { return n.c.Events[i] }

func ptr(x float64) *float64 { return &x }

// assertTiming compares timing summaries with a tolerance on the seconds.
func assertTiming(t *testing.T, want, got *chatkpi.TimingSummary) {
	t.Helper()
	if want == nil {
		assert.Nil(t, got)
		return
	}
	require.NotNil(t, got)
	assert.Equal(t, want.Count, got.Count, "count")
	assert.Equal(t, want.Unanswered, got.Unanswered, "unanswered")
	for _, f := range []struct {
		name      string
		want, got *float64
	}{
		{"mean", want.MeanSeconds, got.MeanSeconds}, {"stderr", want.StdErrSeconds, got.StdErrSeconds},
		{"min", want.MinSeconds, got.MinSeconds}, {"max", want.MaxSeconds, got.MaxSeconds},
		{"p50", want.P50Seconds, got.P50Seconds}, {"p90", want.P90Seconds, got.P90Seconds},
		{"p95", want.P95Seconds, got.P95Seconds}, {"p99", want.P99Seconds, got.P99Seconds},
	} {
		if f.want == nil {
			assert.Nil(t, f.got, f.name)
			continue
		}
		if assert.NotNil(t, f.got, f.name) {
			assert.InDelta(t, *f.want, *f.got, 1e-9, f.name)
		}
	}
	if want.Histogram != nil {
		assert.Equal(t, want.Histogram, got.Histogram)
	}
}

// hist is the default histogram (30 s, 1 m, 5 m, 15 m, 1 h, 4 h, 24 h)
// with the counts of its eight buckets; a duration on a bound goes to the
// upper bucket.
func hist(c ...int64) []chatkpi.BucketSummary {
	h := []chatkpi.BucketSummary{
		{Label: "0–30s", FromSeconds: 0, ToSeconds: ptr(30)},
		{Label: "30–60s", FromSeconds: 30, ToSeconds: ptr(60)},
		{Label: "1–5m", FromSeconds: 60, ToSeconds: ptr(300)},
		{Label: "5–15m", FromSeconds: 300, ToSeconds: ptr(900)},
		{Label: "15–60m", FromSeconds: 900, ToSeconds: ptr(3600)},
		{Label: "1–4h", FromSeconds: 3600, ToSeconds: ptr(4 * 3600)},
		{Label: "4–24h", FromSeconds: 4 * 3600, ToSeconds: ptr(24 * 3600)},
		{Label: "24h+", FromSeconds: 24 * 3600},
	}
	for i := range h {
		h[i].Count = c[i]
	}
	return h
}

func TestReportKnownAnswers(t *testing.T) {
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}, FirstResponse: chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.75}}}, ResponseTime: chatkpi.ResponseTimeSettings{Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.75}}}, ResolutionTime: chatkpi.ResolutionTimeSettings{Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.75}}}, ChatDuration: chatkpi.ChatDurationSettings{Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.75}}}, QueueWait: chatkpi.QueueWaitSettings{Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.75}}}})
	require.NoError(t, err)
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)

	assert.Equal(t, 2, s.SchemaVersion)
	assert.Equal(t, "UTC", s.TimeZone)
	assert.Equal(t, "monday", s.WeekStart)
	assert.Equal(t, "day", s.Period)
	assert.Equal(t, "exact", s.Percentiles)
	assert.Equal(t, "calendar", s.TimeBasis)
	assert.Equal(t, []string{"agent"}, s.GroupBy)

	// Overall: 4 conversations, 4 + 2 + 3 + 1 = 10 messages.
	o := s.Overall
	assert.Equal(t, int64(4), o.Conversations)
	assert.Equal(t, int64(10), o.Messages)
	// FRT: 5, 60, 120 s answered, d unanswered. Mean 185/3. With h = q(n−1):
	// p50 = 60; p75: h = 1.5 → 90; p90: h = 1.8 → 60 + 0.8×60 = 108;
	// p95: 114; p99: 118.8. s² = ((5−61.67)² + (60−61.67)² + (120−61.67)²)/2
	// = 3308.33, stderr = √(3308.33/3) = 33.208. Histogram: 5 s in 0–30s,
	// 60 s (on the 1 m bound: it goes up) and 120 s in 1–5m.
	assertTiming(t, &chatkpi.TimingSummary{Count: 3, Unanswered: 1, MeanSeconds: ptr(185.0 / 3),
		StdErrSeconds: ptr(math.Sqrt((math.Pow(5-185.0/3, 2) + math.Pow(60-185.0/3, 2) + math.Pow(120-185.0/3, 2)) / 2 / 3)),
		MinSeconds:    ptr(5), MaxSeconds: ptr(120), P50Seconds: ptr(60), P90Seconds: ptr(108), P95Seconds: ptr(114),
		P99Seconds: ptr(118.8), Histogram: hist(1, 0, 2, 0, 0, 0, 0, 0)}, o.FirstResponseTime)
	assert.InDelta(t, 90, o.FirstResponseTime.Percentiles["p75"], 1e-9)
	// Response runs: 60, 60, 120, 5 answered; c's second run and d's unanswered.
	assert.Equal(t, int64(4), o.ResponseTime.Count)
	assert.Equal(t, int64(2), o.ResponseTime.Unanswered)
	// Resolution: a 600 s, b 1800 s; c and d never resolved.
	assertTiming(t, &chatkpi.TimingSummary{Count: 2, Unanswered: 2, MeanSeconds: ptr(1200), StdErrSeconds: ptr(600),
		MinSeconds: ptr(600), MaxSeconds: ptr(1800), P50Seconds: ptr(1200), P90Seconds: ptr(1680),
		P95Seconds: ptr(1740), P99Seconds: ptr(1788)}, o.ResolutionTime)
	assert.Equal(t, &chatkpi.OutcomeSummary{ResolvedByAgent: 2, Abandoned: 2}, o.Outcomes)
	assert.Equal(t, &chatkpi.RateSummary{Count: 0, Of: 4, Percent: 0, CILow: 0, CIHigh: o.Containment.CIHigh, SmallSample: true}, o.Containment)
	assert.Nil(t, o.NPS)
	assert.Nil(t, o.CES)
	assert.Empty(t, o.Conversion.Value)
	assert.Equal(t, int64(0), o.Conversion.Count)

	require.Len(t, s.Groups, 2)
	ana, none := s.Groups[0], s.Groups[1]
	assert.Equal(t, "2026-11-23", ana.Period)
	assert.Equal(t, map[string]string{"agent": "ana"}, ana.Key)
	assert.Equal(t, "2026-11-24", none.Period)
	assert.Equal(t, map[string]string{"agent": ""}, none.Key)

	assert.Equal(t, int64(2), ana.Conversations)
	assert.Equal(t, int64(6), ana.Messages)
	// FRT of ana: 60 and 120 s. Mean 90, s = √1800, stderr = √1800/√2 = 30;
	// p50 = 90, p90 = 60 + 0.9×60 = 114, p95 = 117, p99 = 119.4.
	assertTiming(t, &chatkpi.TimingSummary{Count: 2, MeanSeconds: ptr(90), StdErrSeconds: ptr(30),
		MinSeconds: ptr(60), MaxSeconds: ptr(120), P50Seconds: ptr(90), P90Seconds: ptr(114), P95Seconds: ptr(117),
		P99Seconds: ptr(119.4), Histogram: hist(0, 0, 2, 0, 0, 0, 0, 0)}, ana.FirstResponseTime)
	// CSAT of ana: answers 5 and 2, one satisfied: 50 %. Wilson for 1/2 with
	// z = Z95: centre 0.5, half = z/(1 + z²/2) × √(0.125 + z²/16) =
	// 0.405468, so [9.4532, 90.5468] %. Two surveys sent, two answers.
	require.NotNil(t, ana.CSAT)
	assert.Equal(t, "1-5", ana.CSAT.Scale)
	assert.Equal(t, int64(2), ana.CSAT.Responses)
	assert.Equal(t, int64(1), ana.CSAT.Satisfied)
	assert.InDelta(t, 50, ana.CSAT.Percent, 1e-9)
	assert.InDelta(t, 9.4532, ana.CSAT.CILow, 1e-3)
	assert.InDelta(t, 90.5468, ana.CSAT.CIHigh, 1e-3)
	assert.InDelta(t, 3.5, ana.CSAT.Mean, 1e-9)
	assert.Equal(t, map[string]int64{"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}, ana.CSAT.Distribution)
	assert.Equal(t, &chatkpi.RateSummary{Count: 2, Of: 2, Percent: 100, CILow: ana.CSATResponseRate.CILow, CIHigh: 100, SmallSample: true},
		ana.CSATResponseRate)
	assert.Equal(t, &chatkpi.OutcomeSummary{ResolvedByAgent: 2}, ana.Outcomes)

	// The other day: c (FRT 5 s) and d (unanswered); no CSAT, no resolution.
	assert.Equal(t, int64(2), none.Conversations)
	assert.Equal(t, int64(4), none.Messages)
	assertTiming(t, &chatkpi.TimingSummary{Count: 1, Unanswered: 1, MeanSeconds: ptr(5), MinSeconds: ptr(5),
		MaxSeconds: ptr(5), P50Seconds: ptr(5), P90Seconds: ptr(5), P95Seconds: ptr(5), P99Seconds: ptr(5),
		Histogram: hist(1, 0, 0, 0, 0, 0, 0, 0)}, none.FirstResponseTime)
	assert.Nil(t, none.CSAT)
	assertTiming(t, &chatkpi.TimingSummary{Count: 0, Unanswered: 2}, none.ResolutionTime)
	// Bot: one public reply, no fallback: 0 of 1.
	require.NotNil(t, none.FallbackRate)
	assert.Equal(t, int64(1), none.FallbackRate.Of)
	assert.Nil(t, none.BotAccuracy)
	assert.Equal(t, &chatkpi.OutcomeSummary{Abandoned: 2}, none.Outcomes)
}

func TestReportEmpty(t *testing.T) {
	var r chatkpi.Report
	_, err := r.Summary()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
	var l chatkpi.LiveReport
	_, err = l.Summary()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
}

func TestReportSettingsInvalid(t *testing.T) {
	for name, opts := range map[string]chatkpi.ReportSettings{
		"period":     {Period: 9},
		"quantile":   {QueueWait: chatkpi.QueueWaitSettings{Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{1.5}}}},
		"frt start":  {FirstResponse: chatkpi.FirstResponseSettings{Start: 9}},
		"active gap": {ChatDuration: chatkpi.ChatDurationSettings{ActiveGap: -1}},
		"metrics":    {Metrics: ^chatkpi.AllMetrics},
		"sla policy": {SLA: chatkpi.SLAPolicy{Targets: [chatkpi.MaxSLAPolicyTargets]chatkpi.SLATarget{{Metric: chatkpi.ResolutionSLA}}}},
		"twice":      {GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent(), chatkpi.GroupByAgent()}},
		"zero":       {GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{{}, chatkpi.GroupByAgent()}},
		"accuracy":   chatkpi.ReportSettings{}.WithStreaming(2),
		"csat":       {CSAT: chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 5, Max: 1}}},
		"ces":        {CES: chatkpi.CESSettings{Scale: 7}},
		"outcomes":   {Outcomes: chatkpi.OutcomesSettings{CompletionWindow: -1}},
		"custom nil": {GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBy("x", nil)}},
	} {
		_, err := chatkpi.NewReport(opts)
		assert.ErrorIs(t, err, chatkpi.ErrInvalid, name)
	}
}

func TestParseGrouping(t *testing.T) {
	for _, name := range []string{"agent", "handler", "source", "channel", "priority", "dim:greeting"} {
		g, err := chatkpi.ParseGrouping(name)
		require.NoError(t, err)
		assert.Equal(t, name, g.Name())
	}
	for _, name := range []string{"", "dim:", "custom:x", "Agent"} {
		_, err := chatkpi.ParseGrouping(name)
		assert.ErrorIs(t, err, chatkpi.ErrInvalid, name)
	}
}

func TestReportGroupByPriority(t *testing.T) {
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	chat := func(id, priority string) *chatkpi.Chat {
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Priority: priority}, Events: []chatkpi.Event{
			{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at.Add(time.Minute), Type: chatkpi.Pending, Role: chatkpi.Agent, Agent: "ana"},
		}}
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByPriority()}})
	require.NoError(t, err)
	for _, c := range []*chatkpi.Chat{chat("a", "high"), chat("b", "low"), chat("c", "high")} {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	require.Len(t, s.Groups, 2)
	assert.Equal(t, map[string]string{"priority": "high"}, s.Groups[0].Key)
	assert.Equal(t, int64(2), s.Groups[0].Conversations)
	assert.Equal(t, map[string]string{"priority": "low"}, s.Groups[1].Key)
	assert.Equal(t, int64(1), s.Groups[1].Conversations)
}

func TestReportGroupByHandlerAndChannel(t *testing.T) {
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByChannel(), chatkpi.GroupByHandler()}})
	require.NoError(t, err)
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(notChat{c}))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Equal(t, "", s.Period)
	require.Len(t, s.Groups, 2)
	assert.Equal(t, map[string]string{"channel": "chat", "handler": "human"}, s.Groups[0].Key)
	assert.Equal(t, map[string]string{"channel": "web", "handler": "bot"}, s.Groups[1].Key)
	assert.Equal(t, int64(2), s.Groups[1].Conversations)
}

// acceptedChats draws conversations and keeps those a report accepts (the
// generator may draw a Feedback before any bot reply, which is an error).
func acceptedChats(t *rapid.T, max int) []*chatkpi.Chat {
	n := rapid.IntRange(0, max).Draw(t, "n")
	all := rapid.SliceOfN(chatkpitest.Chat(), n, n).Draw(t, "chats")
	for i, c := range all {
		c.Meta.ID = fmt.Sprintf("conv-%d", i)
	}
	r := &chatkpi.Report{}
	var ok []*chatkpi.Chat
	for _, c := range all {
		// Drop the Feedback events that have no bot answer to rate yet.
		evs, replied := c.Events[:0], false
		for _, e := range c.Events {
			replied = replied || e.Role == chatkpi.Bot && e.IsReply()
			if e.Type != chatkpi.Feedback || replied {
				evs = append(evs, e)
			}
		}
		c.Events = evs
		if r.AddConversation(c) == nil {
			ok = append(ok, c)
		}
	}
	return ok
}

func summaryJSON(t require.TestingT, r *chatkpi.Report) string {
	s, err := r.Summary()
	if errors.Is(err, chatkpi.ErrNoData) {
		return "no data"
	}
	require.NoError(t, err)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

func TestReportMergeEqualsWhole(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		opts := rapid.SampledFrom([]chatkpi.ReportSettings{
			{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}},
			{Period: chatkpi.Year, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByChannel(), chatkpi.GroupByHandler()}},
			{ResponseTime: chatkpi.ResponseTimeSettings{Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.75, 0.999}}}},
		}).Draw(t, "options")
		opts = drawMetricSettings(t, opts)
		chats := acceptedChats(t, 60)
		whole, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, whole.AddConversation(c))
		}
		// Up to 16 shards, each encoded and decoded into a zero-value
		// Report (which takes the settings from the encoding), merged in a
		// random order and tree.
		merged := mergeShards(t, chats,
			func() *chatkpi.Report {
				r, err := chatkpi.NewReport(opts)
				require.NoError(t, err)
				return r
			},
			func(r *chatkpi.Report, c *chatkpi.Chat) { require.NoError(t, r.AddConversation(c)) },
			func(r *chatkpi.Report) *chatkpi.Report {
				b, err := r.MarshalBinary()
				require.NoError(t, err)
				var back chatkpi.Report
				require.NoError(t, back.UnmarshalBinary(b))
				return &back
			},
			func(a, b *chatkpi.Report) *chatkpi.Report {
				require.NoError(t, a.Merge(b))
				return a
			})
		want := summaryJSON(t, whole)
		assert.Equal(t, want, summaryJSON(t, merged))

		// The order of the conversations does not matter.
		reversed, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		for i := len(chats) - 1; i >= 0; i-- {
			require.NoError(t, reversed.AddConversation(chats[i]))
		}
		assert.Equal(t, want, summaryJSON(t, reversed))

		// MarshalBinary round trip, and equal reports encode equally.
		b, err := merged.MarshalBinary()
		require.NoError(t, err)
		wb, err := whole.MarshalBinary()
		require.NoError(t, err)
		assert.Equal(t, wb, b)
		back, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		require.NoError(t, back.UnmarshalBinary(b))
		assert.Equal(t, want, summaryJSON(t, back))
		// A zero-value report takes every setting from the encoding.
		zero := new(chatkpi.Report)
		require.NoError(t, zero.UnmarshalBinary(b))
		assert.Equal(t, want, summaryJSON(t, zero))
		zb, err := zero.MarshalBinary()
		require.NoError(t, err)
		assert.Equal(t, b, zb)
	})
}

func TestReportMergeIncompatible(t *testing.T) {
	a, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day})
	for _, opts := range []chatkpi.ReportSettings{
		{Period: chatkpi.Week},
		chatkpi.ReportSettings{Period: chatkpi.Day}.WithStreaming(0),
		{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}},
		{Period: chatkpi.Day, CES: chatkpi.CESSettings{Scale: chatkpi.CESEffort5}},
		{Period: chatkpi.Day, ResponseTime: chatkpi.ResponseTimeSettings{BusinessHours: alwaysOpen(t)}},
	} {
		b, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		require.NoError(t, b.AddConversation(&chatkpi.Chat{Meta: reportChats()[0].Meta, Events: reportChats()[0].Events[:3]}))
		assert.ErrorIs(t, a.Merge(b), chatkpi.ErrIncompatible)
		enc, err := b.MarshalBinary()
		require.NoError(t, err)
		assert.ErrorIs(t, a.UnmarshalBinary(enc), chatkpi.ErrIncompatible)
	}
	_, err := a.Summary()
	assert.ErrorIs(t, err, chatkpi.ErrNoData, "a is unchanged")
}

func TestReportSelfMerge(t *testing.T) {
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(c))
	}
	require.NoError(t, r.Merge(r))
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Equal(t, int64(8), s.Overall.Conversations)
	assert.Equal(t, int64(6), s.Overall.FirstResponseTime.Count)
}

// alwaysOpen is a business calendar open around the clock.
func alwaysOpen(t *testing.T) *chatkpi.BusinessHours {
	var ranges []chatkpi.OpeningRange
	for d := time.Sunday; d <= time.Saturday; d++ {
		ranges = append(ranges, chatkpi.OpeningRange{Day: d, Start: 0, End: 24 * time.Hour})
	}
	bh, err := chatkpi.NewBusinessHours(time.UTC, ranges)
	require.NoError(t, err)
	return bh
}

// failingMeasure fails for any interval ending after 2026-11-23 09:05.
type failingMeasure struct{}

func (failingMeasure) Elapsed(from, to time.Time) (time.Duration, error) {
	if to.After(time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)) {
		return 0, errors.New("closed")
	}
	return to.Sub(from), nil
}

func TestReportAtomicity(t *testing.T) {
	good := reportChats()
	bad := func(c *chatkpi.Chat, e chatkpi.Event) *chatkpi.Chat {
		cp := *c
		cp.Events = append(append([]chatkpi.Event(nil), c.Events...), e)
		return &cp
	}
	late := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for name, c := range map[string]chatkpi.Conversation{
		"zero time":      bad(good[2], chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer}),
		"out of order":   bad(good[2], chatkpi.Event{Time: good[2].Events[0].Time.Add(-time.Second), Type: chatkpi.Message}),
		"csat scale":     bad(good[2], chatkpi.Event{Time: late, Type: chatkpi.Rating, Survey: chatkpi.CSATSurvey, Score: 9}),
		"ces scale":      bad(good[3], chatkpi.Event{Time: late, Type: chatkpi.Rating, Survey: chatkpi.CESSurvey, Score: 0}),
		"feedback":       bad(good[3], chatkpi.Event{Time: late, Type: chatkpi.Feedback, Role: chatkpi.Customer}),
		"not a chat":     notChat{bad(good[3], chatkpi.Event{Time: late, Type: chatkpi.Rating})},
		"no id":          &chatkpi.Chat{Events: good[0].Events},
		"nothing":        &chatkpi.Chat{Meta: chatkpi.Info{ID: "x"}},
		"start too late": &chatkpi.Chat{Meta: chatkpi.Info{ID: "x", Start: late}, Events: good[0].Events},
	} {
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
		require.NoError(t, err)
		require.NoError(t, r.AddConversation(good[0]))
		before := summaryJSON(t, r)
		err = r.AddConversation(c)
		var ie *chatkpi.InputError
		assert.ErrorAs(t, err, &ie, name)
		assert.ErrorIs(t, err, chatkpi.ErrInvalid, name)
		assert.Equal(t, before, summaryJSON(t, r), name)
	}

	// A time measure that fails on the response to the second run, after
	// the first response time was measured.
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	chatkpi.SetReportMeasure(r, failingMeasure{})
	assert.Error(t, r.AddConversation(good[0]))
	_, err = r.Summary()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
	require.NoError(t, r.AddConversation(&chatkpi.Chat{Meta: good[0].Meta, Events: good[0].Events[:3]}))
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Equal(t, "business", s.TimeBasis)
	assert.Equal(t, int64(1), s.Overall.Conversations)
	assert.Equal(t, int64(1), s.Overall.FirstResponseTime.Count)
}

func TestReportUnmarshalCorrupt(t *testing.T) {
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(c))
	}
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	want := summaryJSON(t, r)
	for i := range b {
		for _, cut := range []bool{false, true} {
			c := append([]byte(nil), b...)
			if cut {
				c = c[:i]
			} else {
				c[i] ^= 0x5a
			}
			err := r.UnmarshalBinary(c)
			if err != nil {
				assert.True(t, errors.Is(err, chatkpi.ErrInvalid) || errors.Is(err, chatkpi.ErrIncompatible), err)
				assert.Equal(t, want, summaryJSON(t, r), "unchanged after error")
			} else {
				require.NoError(t, r.UnmarshalBinary(b))
			}
		}
	}
}

func FuzzReportUnmarshal(f *testing.F) {
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
	for _, c := range reportChats() {
		_ = r.AddConversation(c)
	}
	b, _ := r.MarshalBinary()
	f.Add(b)
	f.Add([]byte{})
	// Seeds for a zero-value Report, which takes the encoded settings: a
	// streaming report restricted to some metrics.
	restricted, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Week, Metrics: chatkpi.MetricFirstResponse | chatkpi.MetricCSAT | chatkpi.MetricNPS}.WithStreaming(0))
	for _, c := range reportChats() {
		_ = restricted.AddConversation(c)
	}
	rb, _ := restricted.MarshalBinary()
	f.Add(rb)
	// The ticket metrics and a priorities list, by day and agent.
	tickets, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()},
		Metrics: chatkpi.MetricWaitTimes | chatkpi.MetricTouches | chatkpi.MetricResolutionTime, Priorities: [chatkpi.MaxPriorities]string{"high", "low"}})
	for _, c := range reportChats() {
		_ = tickets.AddConversation(c)
	}
	tb, _ := tickets.MarshalBinary()
	f.Add(tb)
	f.Fuzz(func(t *testing.T, data []byte) {
		var z chatkpi.Report
		if err := z.UnmarshalBinary(data); err == nil {
			if _, err := z.Summary(); err != nil && !errors.Is(err, chatkpi.ErrNoData) {
				t.Fatal(err)
			}
			again, err := z.MarshalBinary()
			require.NoError(t, err)
			// Decoding canonicalizes (a group's settings become the
			// report's): from then on the encoding is stable.
			var z2 chatkpi.Report
			require.NoError(t, z2.UnmarshalBinary(again))
			twice, err := z2.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, again, twice, "a decoded report encodes to the same bytes")
		}
		r, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
		if err := r.UnmarshalBinary(data); err != nil {
			return
		}
		if _, err := r.Summary(); err != nil && !errors.Is(err, chatkpi.ErrNoData) {
			t.Fatal(err)
		}
		again, err := r.MarshalBinary()
		require.NoError(t, err)
		r2, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
		require.NoError(t, r2.UnmarshalBinary(again))
	})
}

func loadTwitter(t *testing.T) []*chatkpi.Chat {
	t.Helper()
	var all []*chatkpi.Chat
	for _, f := range []string{"datasets/twitter/testdata/dev.json", "datasets/twitter/testdata/test.json"} {
		chats, err := twitter.LoadFile(f)
		require.NoError(t, err)
		all = append(all, chats...)
	}
	return all
}

// TestReportTwitter checks the report against the independently computed
// first response times of the Twitter customer-support data (see
// /work/shared/data and datasets/twitter).
func TestReportTwitter(t *testing.T) {
	all := loadTwitter(t)
	exact, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByHandler()}})
	require.NoError(t, err)
	streaming, err := chatkpi.NewReport(chatkpi.ReportSettings{}.WithStreaming(0))
	require.NoError(t, err)
	for _, c := range all {
		require.NoError(t, exact.AddConversation(c))
		require.NoError(t, streaming.AddConversation(c))
	}
	s, err := exact.Summary()
	require.NoError(t, err)
	frt := s.Overall.FirstResponseTime
	require.NotNil(t, frt)
	assert.Equal(t, int64(1025), s.Overall.Conversations)
	assert.Equal(t, int64(1025), frt.Count)
	assert.Equal(t, int64(0), frt.Unanswered)
	assert.InDelta(t, 7481.521, *frt.P50Seconds, 1e-6)
	assert.InDelta(t, 200074.2038, *frt.P90Seconds, 1e-6)
	assert.InDelta(t, 125913.8175, *frt.MeanSeconds, 1e-4) // the published mean is rounded to 4 decimals
	assert.InDelta(t, 125913.81745560716, *frt.MeanSeconds, 1e-6)
	var groups int64
	for _, g := range s.Groups {
		groups += g.Conversations
	}
	assert.Equal(t, int64(1025), groups)

	ss, err := streaming.Summary()
	require.NoError(t, err)
	assert.Equal(t, "streaming", ss.Percentiles)
	assert.Equal(t, 0.01, ss.RelativeAccuracy)
	sf := ss.Overall.FirstResponseTime
	assert.Equal(t, frt.Count, sf.Count)
	assert.InDelta(t, *frt.MeanSeconds, *sf.MeanSeconds, 1e-6)
	for _, p := range [][2]*float64{{frt.P50Seconds, sf.P50Seconds}, {frt.P90Seconds, sf.P90Seconds},
		{frt.P95Seconds, sf.P95Seconds}, {frt.P99Seconds, sf.P99Seconds}} {
		assert.InEpsilon(t, *p[0], *p[1], 0.01)
	}
}

func TestLiveReportConcurrent(t *testing.T) {
	opts := chatkpi.ReportSettings{Period: chatkpi.Month, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByHandler()}}
	all := loadTwitter(t)
	serial, err := chatkpi.NewReport(opts)
	require.NoError(t, err)
	for _, c := range all {
		require.NoError(t, serial.AddConversation(c))
	}
	live, err := chatkpi.NewLiveReport(opts, chatkpi.AssemblerSettings{})
	require.NoError(t, err)
	const writers = 16
	var wg sync.WaitGroup
	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := live.Summary(); err != nil && !errors.Is(err, chatkpi.ErrNoData) {
					t.Error(err)
					return
				}
			}
		}()
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += writers {
				if err := live.AddConversation(all[i]); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readers.Wait()
	snap, err := live.Snapshot()
	require.NoError(t, err)
	want := summaryJSON(t, serial)
	assert.Equal(t, want, summaryJSON(t, snap))
	s, err := live.Summary()
	require.NoError(t, err)
	b, _ := json.Marshal(s)
	assert.Equal(t, want, string(b))

	// The snapshot is independent of later additions.
	require.NoError(t, live.AddConversation(reportChats()[0]))
	assert.Equal(t, want, summaryJSON(t, snap))
}

func TestReportAddAll(t *testing.T) {
	chats := reportChats()
	seq := func(yield func(*chatkpi.Chat, error) bool) {
		for _, c := range chats {
			if !yield(c, nil) {
				return
			}
		}
		yield(nil, fmt.Errorf("line 9: %w", chatkpi.ErrInvalid))
	}
	var r chatkpi.Report
	err := r.AddAll(seq)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Equal(t, int64(4), s.Overall.Conversations)
}

func TestReportCombiner(t *testing.T) {
	c := chatkpi.ReportCombiner{Period: "day", TimeZone: "Europe/Berlin", WeekStart: "sunday",
		GroupBy: []string{"agent", "channel"},
		FirstResponse: chatkpi.FirstResponseSettings{HumanOnly: true, Durations: chatkpi.DurationsSettings{Streaming: true,
			Quantiles: [chatkpi.MaxQuantiles]float64{0.75}}},
		CSAT: chatkpi.CSATSettings{SatisfiedFrom: 5}}
	opts, err := c.Settings()
	require.NoError(t, err)
	direct, err := chatkpi.NewReport(opts)
	require.NoError(t, err)

	chats := reportChats()
	a, b := c.CreateAccumulator(), c.CreateAccumulator()
	for i, ch := range chats {
		require.NoError(t, direct.AddConversation(ch))
		acc := a
		if i%2 == 1 {
			acc = b
		}
		got, err := c.AddInput(acc, ch)
		require.NoError(t, err)
		require.Same(t, acc, got)
	}
	// Beam encodes accumulators between workers and decodes them into new
	// values.
	enc, err := b.MarshalBinary()
	require.NoError(t, err)
	decoded := new(chatkpi.Report)
	require.NoError(t, decoded.UnmarshalBinary(enc))
	merged, err := c.MergeAccumulators(a, decoded)
	require.NoError(t, err)
	out, err := c.ExtractOutput(merged)
	require.NoError(t, err)
	assert.Equal(t, "Europe/Berlin", out.TimeZone)
	assert.Equal(t, "sunday", out.WeekStart)
	assert.Equal(t, []string{"agent", "channel"}, out.GroupBy)
	assert.Contains(t, out.Overall.FirstResponseTime.Percentiles, "p75")
	assert.Equal(t, summaryJSON(t, direct), summaryJSON(t, merged))

	for _, bad := range []chatkpi.ReportCombiner{{Period: "hour"}, {TimeZone: "Mars/Olympus"}, {WeekStart: "funday"},
		{GroupBy: []string{"nope"}}, {QueueWait: chatkpi.QueueWaitSettings{Durations: chatkpi.DurationsSettings{Streaming: true, RelativeAccuracy: 3}}},
		{ResolutionTime: chatkpi.ResolutionTimeSettings{BusinessHours: &chatkpi.BusinessHours{}}}, {Metrics: []string{"containment"}}} {
		acc := bad.CreateAccumulator()
		_, err := bad.AddInput(acc, chats[0])
		assert.ErrorIs(t, err, chatkpi.ErrInvalid, "%+v", bad)
		_, err = bad.ExtractOutput(acc)
		assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	}
}

func TestReportDecodeIntoZeroValue(t *testing.T) {
	// A business-time report cannot be rebuilt from its encoding alone.
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	chatkpi.SetReportMeasure(r, failingMeasure{})
	enc, err := r.MarshalBinary()
	require.NoError(t, err)
	assert.ErrorIs(t, new(chatkpi.Report).UnmarshalBinary(enc), chatkpi.ErrIncompatible)

	// A custom grouping comes back without its function: it merges and
	// summarizes but cannot add.
	g := chatkpi.GroupBy("first-letter", func(i chatkpi.Info) string { return i.ID[:1] })
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{g}, CSAT: chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}}})
	require.NoError(t, err)
	for _, c := range reportChats() {
		require.NoError(t, r.AddConversation(c))
	}
	enc, err = r.MarshalBinary()
	require.NoError(t, err)
	var z chatkpi.Report
	require.NoError(t, z.UnmarshalBinary(enc))
	assert.Equal(t, summaryJSON(t, r), summaryJSON(t, &z))
	assert.ErrorIs(t, z.AddConversation(reportChats()[0]), chatkpi.ErrIncompatible)
	require.NoError(t, r.Merge(&z))
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Equal(t, int64(8), s.Overall.Conversations)
	assert.Equal(t, "1-10", s.Overall.CSAT.Scale)
}

func TestReportCSATByAgentAtSurveySent(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 23, 9, m, 0, 0, time.UTC) }
	join := func(m int, a string) chatkpi.Event {
		return chatkpi.Event{Time: at(m), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: a}
	}
	csat := func(m int, typ chatkpi.EventType, score int) chatkpi.Event {
		return chatkpi.Event{Time: at(m), Type: typ, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: int8(score)}
	}
	cust := chatkpi.Event{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer}
	chats := []*chatkpi.Chat{
		// Ana is asked and answered 5, then the conversation goes to bob:
		// the conversation is bob's, the CSAT ana's.
		{Meta: chatkpi.Info{ID: "t"}, Events: []chatkpi.Event{cust, join(1, "ana"), csat(2, chatkpi.SurveySent, 0),
			join(3, "bob"), csat(4, chatkpi.Rating, 5)}},
		// An answer without a survey sent goes to the agent handling the
		// conversation when it was given: carl, then dan takes over.
		{Meta: chatkpi.Info{ID: "u"}, Events: []chatkpi.Event{cust, join(1, "carl"), csat(2, chatkpi.Rating, 1),
			join(3, "dan")}},
		// No transfer: bob's own conversation and answer.
		{Meta: chatkpi.Info{ID: "v"}, Events: []chatkpi.Event{cust, join(1, "bob"), csat(2, chatkpi.SurveySent, 0),
			csat(3, chatkpi.Rating, 2)}},
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByChannel(), chatkpi.GroupByAgent()}})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	type row struct {
		agent                      string
		conversations, sent, csatN int64
	}
	var got []row
	for _, g := range s.Groups {
		x := row{agent: g.Key["agent"], conversations: g.Conversations}
		if g.CSAT != nil {
			x.csatN = g.CSAT.Responses
		}
		if g.CSATResponseRate != nil {
			x.sent = g.CSATResponseRate.Of
		}
		got = append(got, x)
	}
	// Every agent who joined handled the conversation: no group has CSAT
	// without its conversation (issue 14: ana's and carl's groups had 0).
	assert.Equal(t, []row{{"ana", 1, 1, 1}, {"bob", 2, 1, 1}, {"carl", 1, 0, 1}, {"dan", 1, 0, 0}}, got)
	assert.Equal(t, int64(3), s.Overall.CSAT.Responses)
	assert.Equal(t, int64(3), s.Overall.Conversations)

	// The credited groups survive the binary round trip.
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var z chatkpi.Report
	require.NoError(t, z.UnmarshalBinary(b))
	assert.Equal(t, summaryJSON(t, r), summaryJSON(t, &z))
}

// TestReportSurveysSentNoneAnswered: surveys sent without an answer give no
// CSAT but a response rate of 0 of N (repro edge_survey_sent_only.jsonl);
// before, the rate lived inside the null CSAT and 0 % was never reported.
func TestReportSurveysSentNoneAnswered(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	for _, id := range []string{"c1", "c2"} {
		require.NoError(t, r.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: id}, Events: []chatkpi.Event{
			{Time: at, Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey},
		}}))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Overall.CSAT, "no answers, no CSAT")
	require.NotNil(t, s.Overall.CSATResponseRate)
	assert.Equal(t, int64(0), s.Overall.CSATResponseRate.Count)
	assert.Equal(t, int64(2), s.Overall.CSATResponseRate.Of)
	assert.Equal(t, 0.0, s.Overall.CSATResponseRate.Percent)
}
