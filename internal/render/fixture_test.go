package render

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name byte for byte, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	require.Equal(t, string(want), string(got), "output differs from %s; if the change is intended, run go test -update", path)
}

func ptr(x float64) *float64 { return &x }

// rateOf builds a RateSummary from counts with the percentage and the Wilson
// interval the library computes.
func rateOf(t testing.TB, count, of int64) *chatkpi.RateSummary {
	p := chatkpi.Proportion{Successes: count, Trials: of}
	pc, err := p.Percent()
	require.NoError(t, err)
	ci, err := p.Wilson(chatkpi.Z95)
	require.NoError(t, err)
	return &chatkpi.RateSummary{Count: count, Of: of, Percent: pc, CILow: 100 * ci.Low, CIHigh: 100 * ci.High}
}

// timingOf builds a TimingSummary; a count of 0 leaves every statistic nil.
func timingOf(count, unanswered int64, mean, p50, p90, p95, p99, max float64) *chatkpi.TimingSummary {
	t := &chatkpi.TimingSummary{Count: count, Unanswered: unanswered}
	if count == 0 {
		return t
	}
	t.MeanSeconds, t.MinSeconds, t.MaxSeconds = ptr(mean), ptr(1.5), ptr(max)
	if count > 1 {
		t.StdErrSeconds = ptr(mean / math.Sqrt(float64(count)))
	}
	t.P50Seconds, t.P90Seconds, t.P95Seconds, t.P99Seconds = ptr(p50), ptr(p90), ptr(p95), ptr(p99)
	return t
}

func csatOf(t testing.TB, dist [5]int64) *chatkpi.CSATSummary {
	c := &chatkpi.CSATSummary{Scale: "1-5", Distribution: map[string]int64{}}
	var sum int64
	for i, n := range dist {
		c.Distribution[string(rune('1'+i))] = n
		c.Responses += n
		sum += int64(i+1) * n
	}
	c.Satisfied = dist[3] + dist[4]
	r := rateOf(t, c.Satisfied, c.Responses)
	c.Percent, c.CILow, c.CIHigh = r.Percent, r.CILow, r.CIHigh
	c.Mean = float64(sum) / float64(c.Responses)
	c.Dissatisfied = dist[0] + dist[1]
	c.Net = 100 * float64(c.Satisfied-c.Dissatisfied) / float64(c.Responses)
	return c
}

func npsOf(p, pa, d int64) *chatkpi.NPSSummary {
	n := float64(p + pa + d)
	fp, fd := float64(p)/n, float64(d)/n
	score := 100 * (fp - fd)
	se := 100 * math.Sqrt((fp+fd-(fp-fd)*(fp-fd))/n)
	return &chatkpi.NPSSummary{Responses: p + pa + d, Promoters: p, Passives: pa, Detractors: d,
		Score: score, StandardError: se, CILow: score - 1.959963984540054*se, CIHigh: score + 1.959963984540054*se}
}

func cesOf(t testing.TB, dist [7]int64) *chatkpi.CESSummary {
	c := &chatkpi.CESSummary{Scale: "1-7 agreement (higher is better)", Distribution: map[string]int64{}}
	var sum int64
	for i, n := range dist {
		c.Distribution[string(rune('1'+i))] = n
		c.Responses += n
		sum += int64(i+1) * n
	}
	c.LowEffort = dist[4] + dist[5] + dist[6]
	c.Mean = float64(sum) / float64(c.Responses)
	c.LowEffortPercent = 100 * float64(c.LowEffort) / float64(c.Responses)
	r := rateOf(t, c.LowEffort, c.Responses)
	c.LowEffortCILow, c.LowEffortCIHigh = r.CILow, r.CIHigh
	return c
}

func conversionOf(t testing.TB, count, of, goals int64, value map[string]string) *chatkpi.ConversionSummary {
	return &chatkpi.ConversionSummary{RateSummary: rateOf(t, count, of), Goals: goals, Value: value}
}

// fixture is a realistic weekly report by agent and channel over three
// weeks: the bot and two agents, a week where one agent has no surveys, a
// group whose conversations were never answered (FRT count 0, statistics
// nil), and metrics with no data at all (queue wait, full resolution).
func fixture(t testing.TB) *chatkpi.Summary {
	frtHist := []chatkpi.BucketSummary{
		{Label: "0–30s", FromSeconds: 0, ToSeconds: ptr(30), Count: 212},
		{Label: "30s–1m", FromSeconds: 30, ToSeconds: ptr(60), Count: 64},
		{Label: "1–5m", FromSeconds: 60, ToSeconds: ptr(300), Count: 51},
		{Label: "5–15m", FromSeconds: 300, ToSeconds: ptr(900), Count: 29},
		{Label: "15m–1h", FromSeconds: 900, ToSeconds: ptr(3600), Count: 17},
		{Label: "1h–", FromSeconds: 3600, ToSeconds: nil, Count: 7},
	}
	overallFRT := timingOf(380, 32, 412.37, 14.2, 745.5, 1863, 7481.25, 26310)
	overallFRT.Percentiles = map[string]float64{"p75": 88.4, "p99.9": 21034.5}
	overallFRT.Histogram = frtHist

	s := &chatkpi.Summary{
		SchemaVersion: 1, TimeZone: "Europe/Berlin", WeekStart: "monday", Period: "week",
		Percentiles: "exact", TimeBasis: "calendar", GroupBy: []string{"agent", "channel"},
		Overall: chatkpi.MetricsSummary{
			Conversations: 412, Messages: 5318,
			FirstResponseTime: overallFRT,
			ResponseTime:      timingOf(2204, 41, 95.25, 8, 240.5, 610, 3400, 9000),
			ResolutionTime:    timingOf(350, 62, 7481.6, 1210, 14402, 40000, 86400*2.5+7, 400000),
			ChatDuration:      timingOf(412, 0, 911.1, 402, 2100, 3010, 7260, 12000),
			Abandonment:       rateOf(t, 9, 118),
			CSAT:              csatOf(t, [5]int64{6, 4, 11, 39, 70}),
			CSATResponseRate:  rateOf(t, 130, 265),
			NPS:               npsOf(48, 27, 19),
			CES:               cesOf(t, [7]int64{2, 3, 5, 9, 14, 20, 8}),
			Outcomes:          &chatkpi.OutcomeSummary{ResolvedByBot: 151, Escalated: 188, ResolvedByAgent: 170, Abandoned: 23, Unengaged: 50},
			Containment:       rateOf(t, 151, 362),
			Escalation:        rateOf(t, 188, 362),
			BotAccuracy:       rateOf(t, 901, 1012),
			FallbackRate:      rateOf(t, 111, 1012),
			Conversion:        conversionOf(t, 37, 412, 41, map[string]string{"EUR": "4312.50", "USD": "129.99"}),

			ActiveConversations: 412,
			Availability:        []chatkpi.AvailabilitySummary{{Day: "2026-11-02", OnlineHours: 9.5}, {Day: "2026-11-03", OnlineHours: 10.5}},
			Funnel: &chatkpi.FunnelSummary{Displayed: 200, Accepted: 150, Converted: 30, Acceptance: *rateOf(t, 150, 200),
				GoalRate: rateOf(t, 30, 150), Overall: *rateOf(t, 30, 200)},
			Resolutions:    &chatkpi.ResolutionsSummary{Resolved: 350, Reopened: 21, Reopens: 25, Cycles: 24, EndsReopened: 4},
			Completion:     &chatkpi.CompletionSummary{RateSummary: *rateOf(t, 301, 362), Pending: 0},
			SuccessfulChat: &chatkpi.SuccessfulChatSummary{RateSummary: *rateOf(t, 280, 360), Pending: 2, WithoutCustomer: 12},
			Agents: []chatkpi.AgentSummary{
				{Agent: "ana", Conversations: 165, Replies: 1240, MaxConcurrent: 4, MeanConcurrency: ptr(1.75), OpenSeconds: 315000, BusySeconds: 180000, OnlineSeconds: ptr(540000)},
				{Agent: "chen", Conversations: 12, Replies: 0, MaxConcurrent: 0, OpenSeconds: 0, BusySeconds: 0},
			},
		},
	}
	s.Overall.FirstResponseTime.Excluded, s.Overall.FirstResponseTime.Outbound, s.Overall.FirstResponseTime.Unengaged = 0, 0, 0
	type g struct {
		period, agent, channel string
		conv                   int64
		m                      func(m *chatkpi.MetricsSummary)
	}
	groups := []g{
		{"2026-11-02", "ana", "chat", 61, func(m *chatkpi.MetricsSummary) {
			m.FirstResponseTime = timingOf(58, 3, 188.5, 41, 420, 800, 2900, 3100)
			m.CSAT = csatOf(t, [5]int64{1, 0, 2, 8, 12})
			m.CSATResponseRate = rateOf(t, 23, 40)
			m.NPS = npsOf(9, 5, 3)
			m.Conversion = conversionOf(t, 6, 61, 6, map[string]string{"EUR": "610.00"})
		}},
		{"2026-11-02", "bot", "web", 83, func(m *chatkpi.MetricsSummary) {
			m.FirstResponseTime = timingOf(83, 0, 1.8, 1.2, 2.9, 3.4, 7.95, 9)
			m.Containment = rateOf(t, 52, 83)
			m.Escalation = rateOf(t, 31, 83)
			m.Conversion = conversionOf(t, 4, 83, 4, map[string]string{"USD": "129.99"})
		}},
		{"2026-11-09", "ana", "chat", 55, func(m *chatkpi.MetricsSummary) {
			m.FirstResponseTime = timingOf(55, 0, 301.25, 62.5, 1180, 1900, 5021, 6000)
			m.CSAT = csatOf(t, [5]int64{2, 1, 3, 10, 15})
			m.NPS = npsOf(6, 6, 6)
			m.Conversion = conversionOf(t, 0, 55, 0, map[string]string{})
		}},
		{"2026-11-09", "bot", "web", 90, func(m *chatkpi.MetricsSummary) {
			m.FirstResponseTime = timingOf(90, 0, 1.6, 1.1, 2.5, 3.0, 6, 8)
			m.Containment = rateOf(t, 49, 90)
			m.Escalation = rateOf(t, 41, 90)
			m.Conversion = conversionOf(t, 3, 90, 3, nil)
		}},
		{"2026-11-09", "chen", "chat", 12, func(m *chatkpi.MetricsSummary) {
			m.FirstResponseTime = timingOf(0, 12, 0, 0, 0, 0, 0, 0) // nobody answered
			m.CSATResponseRate = rateOf(t, 0, 5)                    // surveys sent, none answered: no CSAT
			m.Conversion = conversionOf(t, 0, 12, 0, nil)
		}},
		{"2026-11-16", "ana", "chat", 49, func(m *chatkpi.MetricsSummary) {
			m.FirstResponseTime = timingOf(47, 2, 1290.5, 95, 3700, 7200, 21000, 26310)
			m.CSAT = csatOf(t, [5]int64{3, 3, 6, 21, 43})
			m.CSATResponseRate = rateOf(t, 76, 180)
			m.NPS = npsOf(33, 16, 10)
			m.CES = cesOf(t, [7]int64{2, 3, 5, 9, 14, 20, 8})
			m.Conversion = conversionOf(t, 24, 49, 28, map[string]string{"EUR": "3702.50"})
		}},
		{"2026-11-16", "bot", "web", 62, func(m *chatkpi.MetricsSummary) {
			m.FirstResponseTime = timingOf(47, 15, 2.05, 1.3, 3.1, 4.5, 9.5, 11)
			m.Containment = rateOf(t, 50, 62)
			m.Escalation = rateOf(t, 12, 62)
			m.Conversion = conversionOf(t, 0, 62, 0, nil)
		}},
	}
	for _, x := range groups {
		gs := chatkpi.GroupSummary{Key: map[string]string{"agent": x.agent, "channel": x.channel}, Period: x.period}
		gs.Conversations, gs.Messages, gs.ActiveConversations = x.conv, x.conv*13, x.conv+2
		gs.Resolutions = &chatkpi.ResolutionsSummary{Resolved: x.conv / 2}
		x.m(&gs.MetricsSummary)
		s.Groups = append(s.Groups, gs)
	}
	return s
}

// emptySummary has no data at all: every metric is nil.
func emptySummary() *chatkpi.Summary {
	return &chatkpi.Summary{SchemaVersion: 1, TimeZone: "UTC", WeekStart: "monday", Percentiles: "exact", TimeBasis: "calendar"}
}
