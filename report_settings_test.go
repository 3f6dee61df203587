package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// Whatever a calculator can be told, a Report can be told under the same
// name: for every metric, a report built with a random setting of that
// metric (ungrouped or grouped by day) gives the calculator's result on
// random conversations.

// drawDurationsSettings draws valid statistics settings, every field
// included.
func drawDurationsSettings(t *rapid.T) chatkpi.DurationsSettings {
	var s chatkpi.DurationsSettings
	if s.Streaming = rapid.Bool().Draw(t, "streaming"); s.Streaming {
		s.RelativeAccuracy = rapid.SampledFrom([]float64{0, 0.001, 0.02}).Draw(t, "accuracy")
		s.MaxBins = rapid.SampledFrom([]int{0, 64, 4096}).Draw(t, "maxBins")
	}
	for i, q := range rapid.SliceOfNDistinct(rapid.SampledFrom([]float64{0.1, 0.25, 0.5, 0.75, 0.999, 1}), 0, chatkpi.MaxQuantiles, rapid.ID[float64]).Draw(t, "quantiles") {
		s.Quantiles[i] = q
	}
	bounds := rapid.SliceOfNDistinct(rapid.Int64Range(1, int64(48*time.Hour)), 0, chatkpi.MaxBuckets, rapid.ID[int64]).Draw(t, "buckets")
	for i, b := range sortedDurations(bounds) {
		s.Buckets[i] = b
	}
	for i, x := range rapid.SliceOfN(rapid.Int64Range(1, int64(24*time.Hour)), 0, chatkpi.MaxSLATargets).Draw(t, "sla") {
		s.SLA[i] = time.Duration(x)
	}
	return s
}

func sortedDurations(xs []int64) []time.Duration {
	out := make([]time.Duration, len(xs))
	for i, x := range xs {
		out[i] = time.Duration(x)
	}
	for i := range out { // insertion sort: a handful of entries
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// drawBusinessHours draws nil (calendar time) or a business calendar.
func drawBusinessHours(t *rapid.T) *chatkpi.BusinessHours {
	if !rapid.Bool().Draw(t, "businessHours") {
		return nil
	}
	var ranges []chatkpi.OpeningRange
	for d := time.Monday; d <= time.Friday; d++ {
		ranges = append(ranges, chatkpi.OpeningRange{Day: d, Start: 8 * time.Hour, End: 20 * time.Hour})
	}
	bh, err := chatkpi.NewBusinessHours(time.UTC, ranges)
	require.NoError(t, err)
	return bh
}

// settingsChats draws conversations every report accepts.
func settingsChats(t *rapid.T, gen *rapid.Generator[*chatkpi.Chat]) []*chatkpi.Chat {
	chats := rapid.SliceOfN(gen, 0, 30).Draw(t, "chats")
	for i, c := range chats {
		if len(c.Events) == 0 { // a report needs a start
			c.Meta.Start = chatkpitest.Epoch()
		}
		c.Meta.ID = c.Meta.ID + "#" + string(rune('a'+i%26))
	}
	return chats
}

// overall builds a report with rs (ungrouped or grouped by day), adds
// chats, and returns its overall accumulators.
type overallMetrics struct {
	frt   *chatkpi.FirstResponseTime
	resp  *chatkpi.ResponseTime
	res   *chatkpi.ResolutionTime
	dur   *chatkpi.ChatDuration
	queue *chatkpi.QueueWait
	csat  *chatkpi.CSAT
	ces   *chatkpi.CES
	out   *chatkpi.Outcomes
}

func reportWith(t *rapid.T, rs chatkpi.ReportSettings, chats []*chatkpi.Chat) overallMetrics {
	if rapid.Bool().Draw(t, "grouped") {
		rs.Period = chatkpi.Day
	}
	r, err := chatkpi.NewReport(rs)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	var m overallMetrics
	m.frt, m.resp, m.res, m.dur, m.queue, m.csat, m.ces, m.out, err = chatkpi.ReportOverallMetrics(r)
	require.NoError(t, err)
	return m
}

// calculator adds chats to acc, built with the same settings.
func calculator[A interface {
	AddConversation(chatkpi.Conversation) error
	Result() (R, error)
}, R any](t *rapid.T, acc A, err error, chats []*chatkpi.Chat) (R, error) {
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, acc.AddConversation(c))
	}
	return acc.Result()
}

// requireSameStats compares statistics of the report and of the
// calculator: the report always adds p50, p90, p95 and p99 to the
// calculator's percentiles, so each of the calculator's must be among the
// report's with the same value.
func requireSameStats(t *rapid.T, want, got chatkpi.DurationStats) {
	for _, q := range want.Quantiles {
		v, ok := got.Quantile(q.Q)
		require.True(t, ok, "p%v missing from the report", q.Q*100)
		require.Equal(t, q.Value, v, "p%v", q.Q*100)
	}
	want.Quantiles, got.Quantiles = nil, nil
	require.Equal(t, want, got)
}

func TestReportSettingsFirstResponseEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpi.FirstResponseSettings{
			Start:           rapid.SampledFrom([]chatkpi.FRTStart{chatkpi.FromCustomerMessage, chatkpi.FromConversationStart, chatkpi.FromHandoff}).Draw(t, "start"),
			HumanOnly:       rapid.Bool().Draw(t, "humanOnly"),
			IncludeOutbound: rapid.Bool().Draw(t, "includeOutbound"),
			BusinessHours:   drawBusinessHours(t),
			Durations:       drawDurationsSettings(t),
		}
		chats := settingsChats(t, chatkpitest.Chat())
		m := reportWith(t, chatkpi.ReportSettings{FirstResponse: s}, chats)
		acc, err := chatkpi.NewFirstResponseTime(s)
		want, wantErr := calculator[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t, acc, err, chats)
		got, gotErr := m.frt.Result()
		require.Equal(t, wantErr, gotErr)
		requireSameStats(t, want.Stats, got.Stats)
		want.Stats, got.Stats = chatkpi.DurationStats{}, chatkpi.DurationStats{}
		require.Equal(t, want, got)
	})
}

func TestReportSettingsResponseTimeEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpi.ResponseTimeSettings{HumanOnly: rapid.Bool().Draw(t, "humanOnly"),
			BusinessHours: drawBusinessHours(t), Durations: drawDurationsSettings(t)}
		chats := settingsChats(t, chatkpitest.Chat())
		m := reportWith(t, chatkpi.ReportSettings{ResponseTime: s}, chats)
		acc, err := chatkpi.NewResponseTime(s)
		want, wantErr := calculator[*chatkpi.ResponseTime, chatkpi.ResponseTimeResult](t, acc, err, chats)
		got, gotErr := m.resp.Result()
		require.Equal(t, wantErr, gotErr)
		requireSameStats(t, want.Stats, got.Stats)
		want.Stats, got.Stats = chatkpi.DurationStats{}, chatkpi.DurationStats{}
		require.Equal(t, want, got)
	})
}

func TestReportSettingsResolutionTimeEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpi.ResolutionTimeSettings{BusinessHours: drawBusinessHours(t), Durations: drawDurationsSettings(t)}
		chats := settingsChats(t, chatkpitest.Chat())
		m := reportWith(t, chatkpi.ReportSettings{ResolutionTime: s}, chats)
		acc, err := chatkpi.NewResolutionTime(s)
		want, wantErr := calculator[*chatkpi.ResolutionTime, chatkpi.ResolutionTimeResult](t, acc, err, chats)
		got, gotErr := m.res.Result()
		require.Equal(t, wantErr, gotErr)
		requireSameStats(t, want.First, got.First)
		requireSameStats(t, want.Full, got.Full)
		want.First, got.First, want.Full, got.Full = chatkpi.DurationStats{}, chatkpi.DurationStats{}, chatkpi.DurationStats{}, chatkpi.DurationStats{}
		require.Equal(t, want, got)
	})
}

func TestReportSettingsChatDurationEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpi.ChatDurationSettings{
			ActiveGap:     time.Duration(rapid.SampledFrom([]int64{0, 1, int64(time.Minute), int64(time.Hour)}).Draw(t, "gap")),
			BusinessHours: drawBusinessHours(t),
			Durations:     drawDurationsSettings(t),
		}
		chats := settingsChats(t, chatkpitest.Chat())
		m := reportWith(t, chatkpi.ReportSettings{ChatDuration: s}, chats)
		acc, err := chatkpi.NewChatDuration(s)
		want, wantErr := calculator[*chatkpi.ChatDuration, chatkpi.ChatDurationResult](t, acc, err, chats)
		got, gotErr := m.dur.Result()
		require.Equal(t, wantErr, gotErr)
		requireSameStats(t, want.Full, got.Full)
		requireSameStats(t, want.Active, got.Active)
		want.Full, got.Full, want.Active, got.Active = chatkpi.DurationStats{}, chatkpi.DurationStats{}, chatkpi.DurationStats{}, chatkpi.DurationStats{}
		require.Equal(t, want, got)
	})
}

func TestReportSettingsQueueWaitEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpi.QueueWaitSettings{BusinessHours: drawBusinessHours(t), Durations: drawDurationsSettings(t)}
		chats := settingsChats(t, chatkpitest.Chat())
		m := reportWith(t, chatkpi.ReportSettings{QueueWait: s}, chats)
		acc, err := chatkpi.NewQueueWait(s)
		want, wantErr := calculator[*chatkpi.QueueWait, chatkpi.QueueWaitResult](t, acc, err, chats)
		got, gotErr := m.queue.Result()
		require.Equal(t, wantErr, gotErr)
		requireSameStats(t, want.Stats, got.Stats)
		want.Stats, got.Stats = chatkpi.DurationStats{}, chatkpi.DurationStats{}
		require.Equal(t, want, got)
	})
}

func TestReportSettingsCSATEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		scale := chatkpitest.Scale().Draw(t, "scale")
		s := chatkpi.CSATSettings{Scale: scale}
		sat := scale.Max
		if rapid.Bool().Draw(t, "satisfied") {
			sat = rapid.IntRange(scale.Min+1, scale.Max).Draw(t, "satisfiedFrom")
			s.SatisfiedFrom = sat
		}
		if rapid.Bool().Draw(t, "dissatisfied") {
			s.DissatisfiedBelow = rapid.IntRange(scale.Min+1, sat).Draw(t, "dissatisfiedBelow")
		}
		acc, err := chatkpi.NewCSAT(s)
		if err != nil { // a drawn threshold contradicts a default one
			_, rerr := chatkpi.NewReport(chatkpi.ReportSettings{CSAT: s})
			require.ErrorIs(t, rerr, chatkpi.ErrInvalid)
			return
		}
		chats := settingsChats(t, chatkpitest.SurveyChat(chatkpi.CSATSurvey, scale))
		m := reportWith(t, chatkpi.ReportSettings{CSAT: s}, chats)
		want, wantErr := calculator[*chatkpi.CSAT, chatkpi.CSATResult](t, acc, nil, chats)
		got, gotErr := m.csat.Result()
		require.Equal(t, wantErr, gotErr)
		require.Equal(t, want, got)
	})
}

func TestReportSettingsCESEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpi.CESSettings{Scale: rapid.SampledFrom([]chatkpi.CESScale{chatkpi.CESAgreement7, chatkpi.CESEffort5}).Draw(t, "scale")}
		chats := settingsChats(t, chatkpitest.SurveyChat(chatkpi.CESSurvey, s.Scale.Scale()))
		m := reportWith(t, chatkpi.ReportSettings{CES: s}, chats)
		acc, err := chatkpi.NewCES(s)
		want, wantErr := calculator[*chatkpi.CES, chatkpi.CESResult](t, acc, err, chats)
		got, gotErr := m.ces.Result()
		require.Equal(t, wantErr, gotErr)
		require.Equal(t, want, got)
	})
}

func TestReportSettingsOutcomesEqualCalculator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s chatkpi.OutcomesSettings
		if rapid.Bool().Draw(t, "windows") {
			s.CompletionWindow = time.Duration(rapid.Int64Range(1, int64(10*24*time.Hour)).Draw(t, "completion"))
			s.RepeatContactWindow = time.Duration(rapid.Int64Range(1, int64(48*time.Hour)).Draw(t, "repeat"))
		}
		if rapid.Bool().Draw(t, "asOf") {
			s.AsOf = chatkpitest.Epoch().Add(time.Duration(rapid.Int64Range(0, int64(3*365*24*time.Hour)).Draw(t, "asOfOffset")))
		}
		chats := settingsChats(t, chatkpitest.Chat())
		m := reportWith(t, chatkpi.ReportSettings{Outcomes: s, Metrics: chatkpi.DefaultMetrics | chatkpi.MetricSuccessfulChat}, chats)
		acc, err := chatkpi.NewOutcomes(s)
		want, wantErr := calculator[*chatkpi.Outcomes, chatkpi.OutcomesResult](t, acc, err, chats)
		got, gotErr := m.out.Result()
		require.Equal(t, wantErr, gotErr)
		require.Equal(t, want, got)
	})
}

// drawMetricSettings draws the settings of every metric at once (the CSAT
// and CES scales stay those of chatkpitest.Chat's answers), for the
// properties of whole reports: merge = union, order, encoding round trip,
// BuildReport = serial.
func drawMetricSettings(t *rapid.T, rs chatkpi.ReportSettings) chatkpi.ReportSettings {
	if rs.Metrics == 0 && rapid.Bool().Draw(t, "allMetrics") {
		rs.Metrics = chatkpi.AllMetrics // with the successful chats and the agents
	}
	if !rapid.Bool().Draw(t, "metricSettings") {
		return rs
	}
	rs.FirstResponse = chatkpi.FirstResponseSettings{
		Start:           rapid.SampledFrom([]chatkpi.FRTStart{chatkpi.FromCustomerMessage, chatkpi.FromConversationStart, chatkpi.FromHandoff}).Draw(t, "start"),
		HumanOnly:       rapid.Bool().Draw(t, "frtHumanOnly"),
		IncludeOutbound: rapid.Bool().Draw(t, "includeOutbound"),
		Durations:       drawDurationsSettings(t),
	}
	rs.ResponseTime = chatkpi.ResponseTimeSettings{HumanOnly: rapid.Bool().Draw(t, "responseHumanOnly"), Durations: drawDurationsSettings(t)}
	rs.ResolutionTime.Durations = drawDurationsSettings(t)
	rs.ChatDuration = chatkpi.ChatDurationSettings{ActiveGap: time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "gap")),
		Durations: drawDurationsSettings(t)}
	rs.QueueWait.Durations = drawDurationsSettings(t)
	rs.CSAT = chatkpi.CSATSettings{SatisfiedFrom: rapid.SampledFrom([]int{0, 4, 5}).Draw(t, "satisfied")}
	rs.CSAT.DissatisfiedBelow = rapid.IntRange(0, max(rs.CSAT.SatisfiedFrom, 4)).Draw(t, "dissatisfiedBelow")
	if rs.CSAT.DissatisfiedBelow == 1 {
		rs.CSAT.DissatisfiedBelow = 0 // no score is below the scale's bottom
	}
	rs.Outcomes = chatkpi.OutcomesSettings{CompletionWindow: time.Duration(rapid.Int64Range(0, int64(10*24*time.Hour)).Draw(t, "completion")),
		RepeatContactWindow: time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "repeat"))}
	return rs
}
