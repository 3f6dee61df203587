package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

func TestReportMetricsOptions(t *testing.T) {
	_, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: ^chatkpi.AllMetrics})
	require.ErrorIs(t, err, chatkpi.ErrInvalid, "unknown bits")

	for m := chatkpi.MetricFirstResponse; m <= chatkpi.MetricConversion; m <<= 1 {
		names := m.Names()
		require.Len(t, names, 1)
		back, err := chatkpi.ParseMetric(names[0])
		require.NoError(t, err)
		require.Equal(t, m, back)
	}
	require.Len(t, chatkpi.AllMetrics.Names(), 15)
	require.Equal(t, "csat+nps", (chatkpi.MetricNPS | chatkpi.MetricCSAT).String())
	_, err = chatkpi.ParseMetric("containment")
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
}

// A restricted report fills only its metrics, merges only with reports of
// the same metrics, and its encoding carries the restriction into a
// zero-value Report.
func TestReportMetricsRestricts(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chat := &chatkpi.Chat{Meta: chatkpi.Info{ID: "1"}, Events: []chatkpi.Event{
		{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at.Add(2 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at.Add(3 * time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 5},
	}}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.MetricCSAT | chatkpi.MetricResolutionTime})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(chat))
	s, err := r.Summary()
	require.NoError(t, err)
	require.Equal(t, []string{"resolution_time", "csat"}, s.Metrics)
	require.EqualValues(t, 1, s.Overall.Conversations)
	require.EqualValues(t, 2, s.Overall.Messages, "messages are always counted")
	require.NotNil(t, s.Overall.CSAT)
	require.NotNil(t, s.Overall.ResolutionTime)
	require.Nil(t, s.Overall.FirstResponseTime)
	require.Nil(t, s.Overall.NPS)
	require.Nil(t, s.Overall.Outcomes)
	require.Nil(t, s.Overall.Conversion)

	full, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	require.ErrorIs(t, full.Merge(r), chatkpi.ErrIncompatible)
	fullSummary := func() *chatkpi.Summary {
		require.NoError(t, full.AddConversation(chat))
		s, err := full.Summary()
		require.NoError(t, err)
		return s
	}()
	require.Nil(t, fullSummary.Metrics, "an unrestricted report lists no metrics")

	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var decoded chatkpi.Report
	require.NoError(t, decoded.UnmarshalBinary(b))
	ds, err := decoded.Summary()
	require.NoError(t, err)
	require.Equal(t, s, ds)
	require.NoError(t, decoded.AddConversation(chat))
	require.NoError(t, r.Merge(&decoded))

	c := chatkpi.ReportCombiner{Metrics: []string{"csat", "resolution_time"}}
	acc := c.CreateAccumulator()
	acc, err = c.AddInput(acc, chat)
	require.NoError(t, err)
	cs, err := c.ExtractOutput(acc)
	require.NoError(t, err)
	require.Equal(t, s, cs)
	_, err = chatkpi.ReportCombiner{Metrics: []string{"speed"}}.Settings()
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
}
