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

// The core KPIs only — first response time, CSAT, NPS and conversations per
// day — from a report that runs just those accumulators; the other metrics
// of the summary are null.
func ExampleReportMetrics() {
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "1"}, Events: []chatkpi.Event{
			{Time: at(23, 9, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(23, 9, 1), Type: chatkpi.Message, Role: chatkpi.Bot},
			{Time: at(23, 9, 5), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 9},
		}},
		{Meta: chatkpi.Info{ID: "2"}, Events: []chatkpi.Event{
			{Time: at(23, 11, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(23, 11, 3), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(23, 11, 9), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 4},
		}},
		{Meta: chatkpi.Info{ID: "3"}, Events: []chatkpi.Event{
			{Time: at(24, 8, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(24, 8, 2), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ben"},
		}},
	}
	r, err := chatkpi.NewReport(chatkpi.ReportPeriod(chatkpi.Day),
		chatkpi.ReportMetrics(chatkpi.MetricFirstResponse, chatkpi.MetricCSAT, chatkpi.MetricNPS))
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
	fmt.Println("metrics:", s.Metrics)
	for _, g := range s.Groups {
		fmt.Printf("%s: %d conversations, FRT p50 %.0f s\n", g.Period, g.Conversations, *g.FirstResponseTime.P50Seconds)
	}
	o := s.Overall
	fmt.Printf("FRT p90 %.0f s, CSAT %.0f %%, NPS %.0f, outcomes computed: %t\n",
		*o.FirstResponseTime.P90Seconds, o.CSAT.Percent, o.NPS.Score, o.Outcomes != nil)
	// Output:
	// metrics: [first_response_time csat nps]
	// 2026-11-23: 2 conversations, FRT p50 120 s
	// 2026-11-24: 1 conversations, FRT p50 120 s
	// FRT p90 168 s, CSAT 100 %, NPS 100, outcomes computed: false
}

// Grouped by agent, every measure goes to who acted: the worked example of
// GroupByAgent. Ana answers first and holds the conversation when the CSAT
// survey is sent; bob takes it over, answers the second customer turn and
// resolves it.
func ExampleGroupByAgent() {
	at := func(m, s int) time.Time { return time.Date(2026, 11, 23, 9, m, s, 0, time.UTC) }
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "1"}, Events: []chatkpi.Event{
		{Time: at(0, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(0, 10), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(1, 0), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(1, 40), Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey},
		{Time: at(2, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(2, 10), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: "bob"},
		{Time: at(2, 30), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "bob"},
		{Time: at(3, 20), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 5},
		{Time: at(5, 0), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "bob"},
	}}
	r, err := chatkpi.NewReport(chatkpi.ReportGroupBy(chatkpi.GroupByAgent()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := r.AddConversation(c); err != nil {
		fmt.Println(err)
		return
	}
	s, err := r.Summary()
	if err != nil {
		fmt.Println(err)
		return
	}
	mean := func(t *chatkpi.TimingSummary) string {
		if t == nil || t.MeanSeconds == nil {
			return "-"
		}
		return fmt.Sprintf("%.0f s", *t.MeanSeconds)
	}
	for _, g := range s.Groups {
		csat := "-"
		if g.CSAT != nil {
			csat = fmt.Sprintf("%.0f", g.CSAT.Mean)
		}
		fmt.Printf("%s: %d conversation, FRT %s, response %s, resolution %s, CSAT %s, outcome at home: %t\n",
			g.Key["agent"], g.Conversations, mean(g.FirstResponseTime), mean(g.ResponseTime), mean(g.ResolutionTime),
			csat, g.Outcomes != nil)
	}
	fmt.Println("overall conversations:", s.Overall.Conversations)
	// Output:
	// ana: 1 conversation, FRT 60 s, response 60 s, resolution -, CSAT 5, outcome at home: false
	// bob: 1 conversation, FRT -, response 30 s, resolution 300 s, CSAT -, outcome at home: true
	// overall conversations: 1
}
