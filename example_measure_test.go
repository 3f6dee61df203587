package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// One row per conversation, measured as the report measures it: a bot
// answers in 5 s, hands over, and an agent answers 42 s after the handoff
// and resolves.
func ExampleReport_Measure() {
	at := func(s int) time.Time { return time.Date(2026, 11, 23, 9, 0, s, 0, time.UTC) }
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "42", Channel: "web"}, Events: []chatkpi.Event{
		{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(5), Type: chatkpi.Message, Role: chatkpi.Bot},
		{Time: at(20), Type: chatkpi.Handoff, Role: chatkpi.Bot},
		{Time: at(62), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(300), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
	}}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var m chatkpi.MeasuredConversation
	if err := r.Measure(c, &m); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.ID, m.Handler, m.Agent, m.Outcome)
	fmt.Println("first response", m.FirstResponse, m.FirstResponseStatus)
	fmt.Println("human", m.HumanFirstResponse, "bot", m.BotFirstResponse)
	fmt.Println("resolved after", m.ResolutionTime)
	// Output:
	// 42 human ana escalated
	// first response 5s answered
	// human 42s bot 5s
	// resolved after 5m0s
}
