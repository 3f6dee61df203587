package chatkpi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The report's SLA figures are the SLA accumulator's, overall and by
// priority, and survive the encoding.
func TestReportSLASummary(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p := policy(chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Target: time.Hour},
		chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Priority: "high", Target: 10 * time.Minute})
	chat := func(id, priority string, reply time.Duration) *chatkpi.Chat {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Priority: priority}, Events: []chatkpi.Event{{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer}}}
		if reply >= 0 {
			c.Events = append(c.Events, chatkpi.Event{Time: t0.Add(reply), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"})
		}
		return c
	}
	// high: 5 min met, 30 min breached (20 over); low: 30 min met, 2 h
	// breached (1 h over), none (running).
	chats := []*chatkpi.Chat{chat("a", "high", 5*time.Minute), chat("b", "high", 30*time.Minute),
		chat("c", "low", 30*time.Minute), chat("d", "low", 2*time.Hour), chat("e", "low", -1)}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{SLA: p, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByPriority()}})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	require.NotNil(t, s.Overall.SLAPolicy)
	m := s.Overall.SLAPolicy.FirstReply
	require.NotNil(t, m)
	assert.Nil(t, s.Overall.SLAPolicy.Resolution)
	assert.Equal(t, [3]int64{2, 2, 1}, [3]int64{m.Met, m.Breached, m.Running})
	assert.Equal(t, int64(2), m.Attainment.Count)
	assert.Equal(t, int64(4), m.Attainment.Of)
	assert.InDelta(t, 50, m.Attainment.Percent, 1e-9)
	require.NotNil(t, m.OverTarget)
	assert.InDelta(t, 40*60, *m.OverTarget.P50Seconds, 1e-9) // 20 and 60 min over
	require.Len(t, s.Groups, 2)
	byPriority := map[string]*chatkpi.SLAMetricSummary{}
	for _, g := range s.Groups {
		byPriority[g.Key["priority"]] = g.SLAPolicy.FirstReply
	}
	assert.Equal(t, [3]int64{1, 1, 0}, [3]int64{byPriority["high"].Met, byPriority["high"].Breached, byPriority["high"].Running})
	assert.Equal(t, [3]int64{1, 1, 1}, [3]int64{byPriority["low"].Met, byPriority["low"].Breached, byPriority["low"].Running})
	assert.InDelta(t, 20*60, *byPriority["high"].OverTarget.MaxSeconds, 1e-9)

	// Encoded and decoded into a zero value: the same summary.
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var z chatkpi.Report
	require.NoError(t, z.UnmarshalBinary(b))
	zs, err := z.Summary()
	require.NoError(t, err)
	assert.Equal(t, s, zs)

	// Without MetricSLA among explicit metrics, nothing is measured.
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{SLA: p, Metrics: chatkpi.MetricFirstResponse})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(chats[0]))
	s, err = r.Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Overall.SLAPolicy)
}

// A report's SLA verdicts are those of an SLA accumulator fed the same
// conversations, and a report split in two and merged gives the same.
func TestReportSLAEqualsAccumulator(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	bh := officeHours(t, berlin)
	rapid.Check(t, func(t *rapid.T) {
		p := slaPolicy(t, bh, rapid.Bool().Draw(t, "business"))
		cs := slaChats(t)
		if len(cs) == 0 {
			return // an empty report has no summary (ErrNoData)
		}
		settings := chatkpi.ReportSettings{SLA: p}
		r, err := chatkpi.NewReport(settings)
		require.NoError(t, err)
		a, _ := chatkpi.NewReport(settings)
		b, _ := chatkpi.NewReport(settings)
		k := rapid.IntRange(0, len(cs)).Draw(t, "split")
		for i, c := range cs {
			require.NoError(t, r.AddConversation(c))
			part := a
			if i >= k {
				part = b
			}
			require.NoError(t, part.AddConversation(c))
		}
		require.NoError(t, a.Merge(b))
		// Measure gives each conversation's verdicts, as SLA.Verdicts.
		acc, err := chatkpi.NewSLA(p)
		require.NoError(t, err)
		var mc chatkpi.MeasuredConversation
		for _, c := range cs {
			require.NoError(t, r.Measure(c, &mc))
			want, err := acc.Verdicts(c)
			require.NoError(t, err)
			require.Equal(t, len(want), len(mc.SLA))
			for i := range want {
				require.Equal(t, want[i], mc.SLA[i])
			}
		}
		s, err := r.Summary()
		require.NoError(t, err)
		sm, err := a.Summary()
		require.NoError(t, err)
		require.Equal(t, s.Overall.SLAPolicy, sm.Overall.SLAPolicy)
		res, err := slaResult(t, p, cs)
		if err != nil {
			require.Nil(t, s.Overall.SLAPolicy)
			return
		}
		sp := s.Overall.SLAPolicy
		byMetric := map[chatkpi.SLAMetric]*chatkpi.SLAMetricSummary{chatkpi.FirstReplySLA: sp.FirstReply,
			chatkpi.NextReplySLA: sp.NextReply, chatkpi.RequesterWaitSLA: sp.RequesterWait, chatkpi.ResolutionSLA: sp.Resolution}
		n := 0
		for _, v := range byMetric {
			if v != nil {
				n++
			}
		}
		require.Equal(t, len(res.Metrics), n)
		for _, m := range res.Metrics {
			got := byMetric[m.Metric]
			require.NotNil(t, got)
			require.Equal(t, fmt.Sprint(m.Met, m.Breached, m.Running), fmt.Sprint(got.Met, got.Breached, got.Running))
		}
	})
}

// The Beam combine function ships the policy (in calendar time only).
func TestReportCombinerSLA(t *testing.T) {
	p := policy(chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Target: time.Hour})
	s, err := chatkpi.ReportCombiner{SLA: p}.Settings()
	require.NoError(t, err)
	assert.Equal(t, p, s.SLA)
	p.BusinessHours = officeHours(t, time.UTC)
	_, err = chatkpi.ReportCombiner{SLA: p}.Settings()
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
}

// With a list of priorities, a target of another priority is an error: no
// conversation could ever match it.
func TestReportSLAPriorities(t *testing.T) {
	p := policy(chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Priority: "urgent", Target: time.Hour},
		chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Priority: "hgih", Target: 4 * time.Hour})
	_, err := chatkpi.NewReport(chatkpi.ReportSettings{SLA: p, Priorities: [chatkpi.MaxPriorities]string{"urgent", "high"}})
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	assert.Contains(t, err.Error(), `targets[1].priority: "hgih" is not one of the priorities urgent, high`)
	p.Targets[1].Priority = "high"
	_, err = chatkpi.NewReport(chatkpi.ReportSettings{SLA: p, Priorities: [chatkpi.MaxPriorities]string{"urgent", "high"}})
	require.NoError(t, err)
}
