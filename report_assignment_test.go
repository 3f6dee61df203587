package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Time to assignment runs to the first assignment; the first response
// after assignment from the assignment the first human reply answers: the
// replier's own last join, else the last join before the reply.
func TestAssignmentTransfers(t *testing.T) {
	cust := ev(0, chatkpi.Message, chatkpi.Customer, "")
	join := func(sec int, agent string) chatkpi.Event { return ev(sec, chatkpi.Joined, chatkpi.System, agent) }
	reply := func(sec int, agent string) chatkpi.Event { return ev(sec, chatkpi.Message, chatkpi.Agent, agent) }
	for name, tc := range map[string]struct {
		events       []chatkpi.Event
		toJoin, frt  float64
		joiner, repl string // the agents credited
	}{
		"transfer before any reply": {[]chatkpi.Event{cust, join(10, "ana"), join(100, "bob"), reply(130, "bob")}, 10, 30, "ana", "bob"},
		"first agent replied":       {[]chatkpi.Event{cust, join(10, "ana"), reply(40, "ana"), join(100, "bob"), reply(130, "bob")}, 10, 30, "ana", "ana"},
		"replier never joined":      {[]chatkpi.Event{cust, join(10, "ana"), join(50, "bob"), reply(80, "carol")}, 10, 30, "ana", "carol"},
		"earlier agent replies":     {[]chatkpi.Event{cust, join(10, "ana"), join(50, "bob"), reply(80, "ana")}, 10, 70, "ana", "ana"},
		"after a handoff": {[]chatkpi.Event{cust, ev(5, chatkpi.Message, chatkpi.Bot, ""), ev(20, chatkpi.Handoff, chatkpi.Bot, ""),
			join(30, "ana"), join(40, "bob"), reply(70, "bob")}, 10, 30, "ana", "bob"},
	} {
		t.Run(name, func(t *testing.T) {
			c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "x"}, Events: tc.events}
			r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.MetricAssignment})
			require.NoError(t, err)
			require.NoError(t, r.AddConversation(c))
			s, err := r.Summary()
			require.NoError(t, err)
			assert.Equal(t, tc.toJoin, meanOf(s.Overall.TimeToAssignment))
			assert.Equal(t, tc.frt, meanOf(s.Overall.FirstResponseAfterAssignment))

			r, err = chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.MetricAssignment,
				GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
			require.NoError(t, err)
			require.NoError(t, r.AddConversation(c))
			s, err = r.Summary()
			require.NoError(t, err)
			assert.Equal(t, tc.toJoin, meanOf(groupOf(t, s, tc.joiner).TimeToAssignment), "to the agent assigned first")
			assert.Equal(t, tc.frt, meanOf(groupOf(t, s, tc.repl).FirstResponseAfterAssignment), "to the replier")
		})
	}
}

// The assignment clocks measure business time with the first response's
// calendar (-calendar sets it).
func TestAssignmentBusinessHours(t *testing.T) {
	var week []chatkpi.OpeningRange
	for d := time.Monday; d <= time.Friday; d++ {
		week = append(week, chatkpi.OpeningRange{Day: d, Start: 9 * time.Hour, End: 17 * time.Hour})
	}
	bh, err := chatkpi.NewBusinessHours(time.UTC, week)
	require.NoError(t, err)
	fri := time.Date(2026, 11, 27, 16, 30, 0, 0, time.UTC)
	mon := time.Date(2026, 11, 30, 9, 15, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "b"}, Events: []chatkpi.Event{
		{Time: fri, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: mon, Type: chatkpi.Joined, Role: chatkpi.System, Agent: "ana"},
		{Time: mon.Add(30 * time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
	}}
	for _, tc := range []struct {
		bh            *chatkpi.BusinessHours
		toJoin, after time.Duration
	}{
		{nil, 64*time.Hour + 45*time.Minute, 30 * time.Minute},
		{bh, 45 * time.Minute, 30 * time.Minute}, // Fri 16:30–17:00, Mon 09:00–09:15
	} {
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.MetricAssignment,
			FirstResponse: chatkpi.FirstResponseSettings{BusinessHours: tc.bh}})
		require.NoError(t, err)
		require.NoError(t, r.AddConversation(c))
		s, err := r.Summary()
		require.NoError(t, err)
		assert.Equal(t, tc.toJoin.Seconds(), meanOf(s.Overall.TimeToAssignment))
		assert.Equal(t, tc.after.Seconds(), meanOf(s.Overall.FirstResponseAfterAssignment))
	}
}
