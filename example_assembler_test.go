package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// A backend's webhook delivers events one at a time, one of them twice and
// one out of order; the assembler gives the report each conversation once,
// when it has been resolved and quiet for ResolvedQuiet.
func ExampleAssembler() {
	a, _ := chatkpi.NewAssembler(chatkpi.AssemblerSettings{ResolvedQuiet: 10 * time.Minute})
	report, _ := chatkpi.NewReport(chatkpi.ReportSettings{})
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	deliveries := []chatkpi.Event{
		{ID: "m1", Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
		{ID: "r1", Time: at.Add(3 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
		{ID: "m2", Time: at.Add(2 * time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"}, // late
		{ID: "m1", Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},                                 // again
	}
	for i, e := range deliveries {
		now := at.Add(time.Duration(i+3) * time.Minute) // when the webhook arrives
		if err := a.Add(now, chatkpi.Info{ID: "c1", Channel: "chat"}, e); err != nil {
			fmt.Println(err)
		}
	}
	_ = a.Advance(at.Add(12*time.Minute), report) // resolved at 3 min, quiet for 9: still open
	fmt.Println("open:", a.Open())
	_ = a.Advance(at.Add(13*time.Minute), report)
	fmt.Println("open:", a.Open(), "duplicates:", a.Duplicates())
	s, _ := report.Summary()
	fmt.Println("conversations:", s.Overall.Conversations, "first response:", *s.Overall.FirstResponseTime.MeanSeconds, "s")
	// Output:
	// open: 1
	// open: 0 duplicates: 1
	// conversations: 1 first response: 120 s
}
