package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// Known answers for the conversations of TestReportKnownAnswers.
func TestReportMeasure(t *testing.T) {
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	chats := reportChats()
	var m chatkpi.MeasuredConversation
	require.NoError(t, r.Measure(chats[0], &m))
	at := func(d, h, mi, s int) time.Time { return time.Date(2026, 11, d, h, mi, s, 0, time.UTC) }
	assert.Equal(t, "a", m.ID)
	assert.Equal(t, "c1", m.Customer)
	assert.Equal(t, "chat", m.Channel)
	assert.Equal(t, at(23, 9, 0, 0), m.Start, "the first event: Info.Start is zero")
	assert.Equal(t, "ana", m.Agent)
	assert.Equal(t, "human", m.Handler)
	assert.Equal(t, int64(4), m.Messages)
	assert.Equal(t, chatkpi.DefaultMetrics, m.Metrics)
	assert.Equal(t, 60*time.Second, m.FirstResponse)
	assert.Equal(t, chatkpi.FRTAnswered, m.FirstResponseStatus)
	assert.Equal(t, 60*time.Second, m.HumanFirstResponse, "no handoff: from the first customer message")
	assert.Equal(t, chatkpi.FRTAnswered, m.HumanFirstResponseStatus)
	assert.NotEqual(t, chatkpi.FRTAnswered, m.BotFirstResponseStatus, "no bot replied")
	assert.True(t, m.Resolved)
	assert.True(t, m.ResolvedAtEnd)
	assert.Equal(t, 10*time.Minute, m.ResolutionTime)
	assert.Equal(t, 10*time.Minute, m.FullResolutionTime)
	assert.Equal(t, int64(0), m.Reopens)
	assert.True(t, m.HasMessages)
	assert.Equal(t, 6*time.Minute, m.ChatDuration, "first to last message: 09:00 to 09:06")
	assert.Equal(t, chatkpi.ResolvedByAgent, m.Outcome)
	assert.Equal(t, int64(1), m.CSAT[5])
	assert.Equal(t, int64(1), m.CSAT.Total())
	assert.Zero(t, m.Goals)

	// c: a bot answered in 5 s; reusing m leaves nothing of a.
	require.NoError(t, r.Measure(notChat{chats[2]}, &m))
	assert.Equal(t, "c", m.ID)
	assert.Equal(t, "", m.Agent)
	assert.Equal(t, "bot", m.Handler)
	assert.Equal(t, 5*time.Second, m.FirstResponse)
	assert.Equal(t, 5*time.Second, m.BotFirstResponse)
	assert.Equal(t, chatkpi.FRTAnswered, m.BotFirstResponseStatus)
	assert.False(t, m.Resolved)
	assert.Zero(t, m.ResolutionTime)
	assert.Zero(t, m.CSAT.Total())

	// d: never answered.
	require.NoError(t, r.Measure(chats[3], &m))
	assert.Equal(t, chatkpi.FRTUnanswered, m.FirstResponseStatus)
	assert.Zero(t, m.FirstResponse)

	// Goals and their value; only the metrics asked for.
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.MetricConversion})
	require.NoError(t, err)
	g := &chatkpi.Chat{Meta: chatkpi.Info{ID: "g"}, Events: []chatkpi.Event{
		{Time: at(1, 9, 0, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(1, 9, 1, 0), Type: chatkpi.Goal, Role: chatkpi.System, Value: decimal.RequireFromString("12.50"), Currency: "EUR"},
		{Time: at(1, 9, 2, 0), Type: chatkpi.Goal, Role: chatkpi.System, Value: decimal.RequireFromString("2.5"), Currency: "EUR"},
		{Time: at(1, 9, 3, 0), Type: chatkpi.Goal, Role: chatkpi.System},
	}}
	require.NoError(t, r.Measure(g, &m))
	assert.Equal(t, int64(3), m.Goals)
	assert.Equal(t, "15.00", m.Value.Amount("EUR").StringFixed(2))
	assert.Zero(t, m.FirstResponseStatus, "not measured")
	assert.Zero(t, m.Outcome, "not measured")

	// The report's errors.
	bad := &chatkpi.Chat{Meta: chatkpi.Info{ID: "x"}, Events: []chatkpi.Event{{Time: at(1, 9, 0, 0), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 9}}}
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	err = r.Measure(bad, &m)
	var ie *chatkpi.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, r.AddConversation(bad).Error(), err.Error(), "the same error as AddConversation")
}

// The measures of Measure are the report's: adding up the measured
// conversations gives the report's counts and sums, whatever the
// conversations.
func TestReportMeasureIsTheReports(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
		if err != nil {
			t.Fatal(err)
		}
		var frtN, humanN, botN, resolved, full, reopens, durN, queued, served, abandoned, csat, goals int64
		var frtSum, resSum, durSum, waitSum time.Duration
		outcomes := map[chatkpi.Outcome]int64{}
		var m chatkpi.MeasuredConversation
		for _, c := range chatkpitest.Chats(12).Draw(t, "chats") {
			if err := r.Measure(c, &m); err != nil {
				if r.AddConversation(c) == nil {
					t.Fatalf("Measure rejects what AddConversation takes: %v", err)
				}
				continue
			}
			if err := r.AddConversation(c); err != nil {
				t.Fatalf("AddConversation rejects what Measure takes: %v", err)
			}
			if m.FirstResponseStatus == chatkpi.FRTAnswered {
				frtN++
				frtSum += m.FirstResponse
			}
			if m.HumanFirstResponseStatus == chatkpi.FRTAnswered {
				humanN++
			}
			if m.BotFirstResponseStatus == chatkpi.FRTAnswered {
				botN++
			}
			if m.Resolved {
				resolved++
				resSum += m.ResolutionTime
			}
			if m.ResolvedAtEnd {
				full++
			}
			reopens += m.Reopens
			if m.HasMessages {
				durN++
				durSum += m.ChatDuration
			}
			if m.Queued {
				queued++
			}
			if m.QueueServed {
				served++
				waitSum += m.QueueWait
			}
			if m.QueueAbandoned {
				abandoned++
			}
			outcomes[m.Outcome]++
			csat += m.CSAT.Total()
			goals += m.Goals
		}
		s, err := r.Summary()
		if err != nil {
			return // no conversation was valid
		}
		o := &s.Overall
		count := func(ts *chatkpi.TimingSummary) int64 {
			if ts == nil {
				return 0
			}
			return ts.Count
		}
		mean := func(sum time.Duration, n int64) float64 { return sum.Seconds() / float64(n) }
		assertMean := func(name string, ts *chatkpi.TimingSummary, sum time.Duration, n int64) {
			if n > 0 && (ts == nil || ts.MeanSeconds == nil || *ts.MeanSeconds-mean(sum, n) > 1e-6 || mean(sum, n)-*ts.MeanSeconds > 1e-6) {
				t.Fatalf("%s: mean of the measures %v, report %+v", name, mean(sum, n), ts)
			}
		}
		for _, c := range []struct {
			name      string
			got, want int64
		}{
			{"frt", frtN, count(o.FirstResponseTime)}, {"human frt", humanN, count(o.HumanFirstResponseTime)},
			{"bot frt", botN, count(o.BotFirstResponseTime)}, {"resolved", resolved, count(o.ResolutionTime)},
			{"full", full, count(o.FullResolution)}, {"durations", durN, count(o.ChatDuration)}, {"served", served, count(o.QueueWait)},
		} {
			if c.got != c.want {
				t.Fatalf("%s: %d measured, report %d", c.name, c.got, c.want)
			}
		}
		assertMean("frt", o.FirstResponseTime, frtSum, frtN)
		assertMean("resolution", o.ResolutionTime, resSum, resolved)
		assertMean("duration", o.ChatDuration, durSum, durN)
		assertMean("queue", o.QueueWait, waitSum, served)
		if o.Abandonment != nil && (o.Abandonment.Count != abandoned || o.Abandonment.Of != queued) {
			t.Fatalf("abandonment %d of %d measured, report %+v", abandoned, queued, o.Abandonment)
		}
		if oc := o.Outcomes; oc != nil && (oc.ResolvedByBot != outcomes[chatkpi.ResolvedByBot] || oc.Escalated != outcomes[chatkpi.Escalated] ||
			oc.ResolvedByAgent != outcomes[chatkpi.ResolvedByAgent] || oc.Abandoned != outcomes[chatkpi.Abandoned] || oc.Unengaged != outcomes[chatkpi.Unengaged]) {
			t.Fatalf("outcomes %v measured, report %+v", outcomes, oc)
		}
		if o.CSAT != nil && o.CSAT.Responses != csat || o.CSAT == nil && csat != 0 {
			t.Fatalf("csat answers %d measured, report %+v", csat, o.CSAT)
		}
		if o.Conversion != nil && o.Conversion.Goals != goals {
			t.Fatalf("goals %d measured, report %d", goals, o.Conversion.Goals)
		}
	})
}
