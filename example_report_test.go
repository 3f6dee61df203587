package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// A report per day and agent over two conversations: every metric of the
// catalogue in one pass, in the documented Summary schema.
func ExampleReport() {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, time.UTC) }
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "1", Customer: "u1"}, Events: []chatkpi.Event{
			{Time: at(9, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(9, 2), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(9, 10), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(9, 11), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 5},
		}},
		{Meta: chatkpi.Info{ID: "2", Customer: "u2"}, Events: []chatkpi.Event{
			{Time: at(10, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(10, 6), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(10, 30), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(10, 31), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 3},
		}},
	}
	r, err := chatkpi.NewReport(chatkpi.ReportPeriod(chatkpi.Day), chatkpi.ReportGroupBy(chatkpi.GroupByAgent()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range chats {
		if err := r.AddConversation(c); err != nil {
			fmt.Println(err)
			return
		}
	}
	s, err := r.Summary()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range s.Groups {
		frt := g.FirstResponseTime
		fmt.Printf("%s agent=%s: %d conversations, FRT p50 %.0f s (n=%d), CSAT %.0f %% of %d\n",
			g.Period, g.Key["agent"], g.Conversations, *frt.P50Seconds, frt.Count, g.CSAT.Percent, g.CSAT.Responses)
	}
	fmt.Printf("resolution mean %.0f s, resolved by agent %d\n",
		*s.Overall.ResolutionTime.MeanSeconds, s.Overall.Outcomes.ResolvedByAgent)
	// Output:
	// 2026-11-23 agent=ana: 2 conversations, FRT p50 240 s (n=2), CSAT 50 % of 2
	// resolution mean 1200 s, resolved by agent 2
}
