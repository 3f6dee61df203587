package chatkpi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compareChat is a conversation of source with a first reply by role after
// frt; contained (resolved by the bot), a goal, and CSAT and NPS answers
// (0: none) as given.
func compareChat(id, source string, role chatkpi.Role, frt time.Duration, contained, goal bool, csat, nps int) *chatkpi.Chat {
	t := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	agent := ""
	if role == chatkpi.Agent {
		agent = "ana"
	}
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Source: source}, Events: []chatkpi.Event{
		{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: t.Add(frt), Type: chatkpi.Message, Role: role, Agent: agent},
	}}
	at := t.Add(10 * time.Minute)
	if contained {
		c.Events = append(c.Events, chatkpi.Event{Time: at, Type: chatkpi.Resolved, Role: chatkpi.Bot})
	}
	if goal {
		c.Events = append(c.Events, chatkpi.Event{Time: at.Add(time.Second), Type: chatkpi.Goal, Role: chatkpi.Customer,
			Value: decimal.NewFromInt(10), Currency: "EUR"})
	}
	if csat > 0 {
		c.Events = append(c.Events, chatkpi.Event{Time: at.Add(2 * time.Second), Type: chatkpi.Rating, Role: chatkpi.Customer,
			Survey: chatkpi.CSATSurvey, Score: int8(csat)})
	}
	if nps > 0 {
		c.Events = append(c.Events, chatkpi.Event{Time: at.Add(3 * time.Second), Type: chatkpi.Rating, Role: chatkpi.Customer,
			Survey: chatkpi.NPSSurvey, Score: int8(nps)})
	}
	return c
}

// compareChats: greeting-a has 4 conversations (2 contained, 2 goals, CSAT
// 5 and 2, NPS 10 and 3, first responses 5, 10, 60, 120 s); greeting-b 3
// (1 contained, 1 goal, CSAT 4, NPS 9, first responses 30, 90, 20 s).
func compareChats() []*chatkpi.Chat {
	s := time.Second
	return []*chatkpi.Chat{
		compareChat("a1", "greeting-a", chatkpi.Bot, 5*s, true, true, 0, 0),
		compareChat("a2", "greeting-a", chatkpi.Bot, 10*s, true, false, 0, 10),
		compareChat("a3", "greeting-a", chatkpi.Agent, 60*s, false, true, 5, 0),
		compareChat("a4", "greeting-a", chatkpi.Agent, 120*s, false, false, 2, 3),
		compareChat("b1", "greeting-b", chatkpi.Agent, 30*s, false, false, 4, 9),
		compareChat("b2", "greeting-b", chatkpi.Agent, 90*s, false, true, 0, 0),
		compareChat("b3", "greeting-b", chatkpi.Bot, 20*s, true, false, 0, 0),
	}
}

func compareReport(t *testing.T, rs chatkpi.ReportSettings) *chatkpi.Report {
	t.Helper()
	if rs.GroupBy[0] == (chatkpi.Grouping{}) {
		rs.GroupBy[0] = chatkpi.GroupBySource()
	}
	r, err := chatkpi.NewReport(rs)
	require.NoError(t, err)
	for _, c := range compareChats() {
		require.NoError(t, r.AddConversation(c))
	}
	return r
}

// TestReportCompare pins every comparison, computed by hand:
//   - conversion 2 of 4 vs 1 of 3: d = 16.67 points, Wald SE
//     √(.25/4 + (2/9)/3) = 0.36956, CI 16.67 ± 72.43; pooled 3/7, SE₀
//     √(3/7 · 4/7 · (1/4 + 1/3)) = 0.37796, z = 0.44096, p = 0.65924;
//   - NPS 0 (1 promoter, 1 detractor; SE 100√(1/2) = 70.71) vs 100 (one
//     promoter, SE 0): d = −100, CI −100 ± 138.59, z = −1.41421, p = 0.15730;
//   - first response: U = 5 of 12 pairs, μ = 6, σ² = 8, z =
//     −(1 − 0.5)/√8 = −0.17678, p = 0.85968; the 12 differences sorted are
//     −85 −80 −30 −25 −20 −15 −10 30 30 40 90 100, their median (−15 − 10)/2
//     = −12.5 s (though the median of A, 35 s, is above B's 30 s); k = ⌊6 − 1.96 · √8⌋ < 1, so the interval is [−85, 100] s;
//   - human first response: only the agents' replies count (a3, a4: 60,
//     120 s; b1, b2: 30, 90 s), U = 3 of 4 pairs (60 > 30, 120 > 30, 120 >
//     90), μ = 2, σ² = 2 · 2 · 5 / 12 = 5/3, z = (1 − 0.5)/√(5/3) =
//     0.38730, p = 0.69854; medians 90 and 60 s; the differences −30 30 30
//     90, their median 30 s; k = ⌊2 − 1.96 · √(5/3)⌋ < 1: [−30, 90] s.
func TestReportCompare(t *testing.T) {
	for _, period := range []chatkpi.Period{0, chatkpi.Day} {
		r := compareReport(t, chatkpi.ReportSettings{Period: period})
		c, err := r.Compare("source", "greeting-a", "greeting-b")
		require.NoError(t, err)
		assert.Equal(t, "source", c.Grouping)
		assert.Equal(t, "greeting-a", c.A)
		assert.Equal(t, "greeting-b", c.B)

		conv := c.Conversion
		assert.Equal(t, "two-proportion z", conv.Test)
		assert.Equal(t, [2]int64{4, 3}, [2]int64{conv.NA, conv.NB})
		assert.InDelta(t, 50, *conv.A, 1e-9)
		assert.InDelta(t, 100.0/3, *conv.B, 1e-9)
		assert.InDelta(t, 16.666666666666668, *conv.Difference, 1e-9)
		assert.InDelta(t, -55.76562458039969, *conv.CILow, 1e-9)
		assert.InDelta(t, 89.09895791373303, *conv.CIHigh, 1e-9)
		assert.InDelta(t, 0.4409585518440985, *conv.Z, 1e-9)
		assert.InDelta(t, 0.6592430036926306, *conv.P, 1e-9)
		assert.True(t, conv.SmallSample)
		assert.Empty(t, conv.Undefined)

		// CSAT 1 of 2 vs 1 of 1 and containment 2 of 4 vs 1 of 3, as
		// CompareProportions gives them.
		for _, tc := range []struct {
			got  chatkpi.MetricComparison
			a, b chatkpi.Proportion
		}{
			{c.CSAT, chatkpi.Proportion{Successes: 1, Trials: 2}, chatkpi.Proportion{Successes: 1, Trials: 1}},
			{c.Containment, chatkpi.Proportion{Successes: 2, Trials: 4}, chatkpi.Proportion{Successes: 1, Trials: 3}},
		} {
			want, err := chatkpi.CompareProportions(tc.a, tc.b)
			require.NoError(t, err)
			assert.Equal(t, [2]int64{tc.a.Trials, tc.b.Trials}, [2]int64{tc.got.NA, tc.got.NB})
			assert.InDelta(t, 100*want.Difference, *tc.got.Difference, 1e-9)
			assert.InDelta(t, 100*want.Interval.Low, *tc.got.CILow, 1e-9)
			assert.InDelta(t, want.P, *tc.got.P, 1e-12)
		}

		nps := c.NPS
		assert.Equal(t, "nps z", nps.Test)
		assert.Equal(t, [2]int64{2, 1}, [2]int64{nps.NA, nps.NB})
		assert.InDelta(t, 0, *nps.A, 1e-9)
		assert.InDelta(t, 100, *nps.B, 1e-9)
		assert.InDelta(t, -100, *nps.Difference, 1e-9)
		assert.InDelta(t, -238.59038243496778, *nps.CILow, 1e-9)
		assert.InDelta(t, 38.59038243496778, *nps.CIHigh, 1e-9)
		assert.InDelta(t, -1.414213562373095, *nps.Z, 1e-9)
		assert.InDelta(t, 0.1572992070502852, *nps.P, 1e-9)

		frt := c.FirstResponseTime
		assert.Equal(t, "mann-whitney u", frt.Test)
		assert.Equal(t, [2]int64{4, 3}, [2]int64{frt.NA, frt.NB})
		assert.Equal(t, 35.0, *frt.A) // (10 + 60) / 2
		assert.Equal(t, 30.0, *frt.B)
		assert.Equal(t, -12.5, *frt.Difference)
		assert.Equal(t, -85.0, *frt.CILow)
		assert.Equal(t, 100.0, *frt.CIHigh)
		assert.InDelta(t, -0.17677669529663687, *frt.Z, 1e-12)
		assert.InDelta(t, 0.8596837951986662, *frt.P, 1e-12)

		human := c.HumanFirstResponseTime
		assert.Equal(t, "mann-whitney u", human.Test)
		assert.Equal(t, [2]int64{2, 2}, [2]int64{human.NA, human.NB})
		assert.Equal(t, [2]float64{90, 60}, [2]float64{*human.A, *human.B})
		assert.Equal(t, 30.0, *human.Difference)
		assert.Equal(t, [2]float64{-30, 90}, [2]float64{*human.CILow, *human.CIHigh})
		assert.InDelta(t, 0.3872983346207417, *human.Z, 1e-12)
		assert.InDelta(t, 0.6985353583033387, *human.P, 1e-12)
		assert.True(t, human.SmallSample)
		assert.Empty(t, human.Undefined)
	}
}

func TestReportCompareUndefined(t *testing.T) {
	// Streaming: no ranks to test.
	r := compareReport(t, chatkpi.ReportSettings{}.WithStreaming(0))
	c, err := r.Compare("source", "greeting-a", "greeting-b")
	require.NoError(t, err)
	assert.Nil(t, c.FirstResponseTime.P)
	assert.Equal(t, [2]int64{4, 3}, [2]int64{c.FirstResponseTime.NA, c.FirstResponseTime.NB})
	assert.Contains(t, c.FirstResponseTime.Undefined, "needs exact mode")
	assert.NotNil(t, c.Conversion.P) // the rates do not need the durations
	assert.Nil(t, c.HumanFirstResponseTime.P)
	assert.Contains(t, c.HumanFirstResponseTime.Undefined, "human first response time streams")

	// Without the bot and human metrics, no human first response to compare.
	r = compareReport(t, chatkpi.ReportSettings{Metrics: chatkpi.MetricFirstResponse | chatkpi.MetricConversion})
	c = mustCompare(t, r, "source", "greeting-a", "greeting-b")
	assert.Equal(t, "the report does not compute the human first response time (see ReportSettings.Metrics)",
		c.HumanFirstResponseTime.Undefined)
	assert.Nil(t, c.HumanFirstResponseTime.P)
	assert.NotNil(t, c.FirstResponseTime.P)

	// Handler: the bot has no CSAT answers here.
	r = compareReport(t, chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByHandler()}})
	c, err = r.Compare("handler", "bot", "human")
	require.NoError(t, err)
	assert.Equal(t, "no data in A", c.CSAT.Undefined)
	assert.Nil(t, c.CSAT.Difference)
	assert.Equal(t, int64(0), c.CSAT.NA)
	assert.Equal(t, int64(3), c.CSAT.NB)
	assert.Equal(t, "no data in B", mustCompare(t, r, "handler", "human", "bot").CSAT.Undefined)

	// Errors.
	_, err = r.Compare("source", "greeting-a", "greeting-b")
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = r.Compare("handler", "bot", "bot")
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = r.Compare("handler", "bot", "robot")
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	assert.Contains(t, err.Error(), `handler="robot"`)
}

func mustCompare(t *testing.T, r *chatkpi.Report, g, a, b string) chatkpi.ComparisonSummary {
	t.Helper()
	c, err := r.Compare(g, a, b)
	require.NoError(t, err)
	return c
}

func ExampleReport_Compare() {
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBySource()}})
	for _, c := range compareChats() {
		_ = r.AddConversation(c)
	}
	c, _ := r.Compare("source", "greeting-a", "greeting-b")
	m := c.Conversion
	fmt.Printf("conversion %s%% vs %s%% (n %d, %d): %s points, 95 %% CI [%s, %s], p = %s\n",
		chatkpi.FormatFloat(*m.A, 1), chatkpi.FormatFloat(*m.B, 1), m.NA, m.NB, chatkpi.FormatFloat(*m.Difference, 1),
		chatkpi.FormatFloat(*m.CILow, 1), chatkpi.FormatFloat(*m.CIHigh, 1), chatkpi.FormatFloat(*m.P, 3))
	f := c.FirstResponseTime
	fmt.Printf("first response median %vs vs %vs: shift %vs, 95 %% CI [%v, %v] s, p = %s\n",
		*f.A, *f.B, *f.Difference, *f.CILow, *f.CIHigh, chatkpi.FormatFloat(*f.P, 3))
	// Output:
	// conversion 50.0% vs 33.3% (n 4, 3): 16.7 points, 95 % CI [-55.8, 89.1], p = 0.659
	// first response median 35s vs 30s: shift -12.5s, 95 % CI [-85, 100] s, p = 0.860
}
