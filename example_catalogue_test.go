package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// The rest of the catalogue in a report: u1's first chat is resolved and
// u1 is back two hours later, so it is not a successful chat (a repeat
// contact within 24 h), though its resolution held (completion); ana held
// both chats, one at a time.
func ExampleReport_catalogue() {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chat := func(id string, start time.Time) *chatkpi.Chat {
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: "u1"}, Events: []chatkpi.Event{
			{Time: start, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: start.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
			{Time: start.Add(10 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
		}}
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.DefaultMetrics | chatkpi.MetricSuccessfulChat | chatkpi.MetricAgents})
	if err != nil {
		panic(err)
	}
	for _, c := range []*chatkpi.Chat{chat("1", at), chat("2", at.Add(2*time.Hour))} {
		if err := r.AddConversation(c); err != nil {
			panic(err)
		}
	}
	s, err := r.Summary()
	if err != nil {
		panic(err)
	}
	m := s.Overall
	fmt.Printf("completion %d of %d\n", m.Completion.Count, m.Completion.Of)
	fmt.Printf("successful chat %d of %d\n", m.SuccessfulChat.Count, m.SuccessfulChat.Of)
	a := m.Agents[0]
	fmt.Printf("%s: %d conversations, %d replies, peak %d, busy %.0f s\n", a.Agent, a.Conversations, a.Replies, a.MaxConcurrent, a.BusySeconds)
	// Output:
	// completion 2 of 2
	// successful chat 1 of 2
	// ana: 2 conversations, 2 replies, peak 1, busy 1080 s
}
