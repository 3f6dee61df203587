package render

import (
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
)

// pageFixture is the summary of a real report, by month, over 600
// conversations drawn deterministically by the chatkpitest generator and
// spread over twelve months:
// bots and humans, surveys, goals, queues and resolutions, so that every
// chart of the page has data.
func pageFixture(t *testing.T) *chatkpi.Summary {
	t.Helper()
	sla := func(ds ...time.Duration) chatkpi.DurationsSettings {
		var d chatkpi.DurationsSettings
		copy(d.SLA[:], ds)
		return d
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month,
		FirstResponse:  chatkpi.FirstResponseSettings{Durations: sla(time.Minute, 5*time.Minute)},
		ResolutionTime: chatkpi.ResolutionTimeSettings{Durations: sla(24 * time.Hour)}})
	require.NoError(t, err)
	gen := chatkpitest.Chat()
	for i := range 600 {
		c := gen.Example(i)
		c.Meta.ID = fmt.Sprintf("c%d", i)
		// Move each conversation into one of twelve months from 2024-01
		// (the generator's starts spread over three years, crowded in
		// the first month).
		first := c.Meta.Start
		if first.IsZero() && len(c.Events) > 0 {
			first = c.Events[0].Time
		}
		delta := chatkpitest.Epoch().AddDate(0, i%12, i%27).Sub(first)
		if !c.Meta.Start.IsZero() {
			c.Meta.Start = c.Meta.Start.Add(delta)
		}
		for j := range c.Events {
			c.Events[j].Time = c.Events[j].Time.Add(delta)
		}
		if err := r.AddConversation(c); err != nil {
			continue // the generator draws a few the report rejects (a score off the default scale)
		}
	}
	s, err := r.Summary()
	require.NoError(t, err)
	return s
}
