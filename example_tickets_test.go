package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// A ticket that waits on the customer for an hour and on a supplier for two:
// the customer waited 3 h of its 4 h to the resolution.
func ExampleWaitTimes() {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, time.UTC) }
	ticket := &chatkpi.Chat{Meta: chatkpi.Info{ID: "t1"}, Events: []chatkpi.Event{
		{Time: at(9, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(9, 10), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(9, 20), Type: chatkpi.Pending, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(10, 20), Type: chatkpi.Message, Role: chatkpi.Customer}, // ends pending
		{Time: at(10, 30), Type: chatkpi.OnHold, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at(12, 30), Type: chatkpi.Opened, Role: chatkpi.System},
		{Time: at(13, 0), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
	}}
	w, err := chatkpi.NewWaitTimes(chatkpi.WaitTimesSettings{})
	if err != nil {
		panic(err)
	}
	if err := w.AddConversation(ticket); err != nil {
		panic(err)
	}
	r, err := w.Result()
	if err != nil {
		panic(err)
	}
	fmt.Println("requester wait:", r.Requester.First.Mean)
	fmt.Println("agent wait:", r.Agent.First.Mean)
	fmt.Println("on hold:", r.OnHold.First.Mean)
	// Output:
	// requester wait: 3h0m0s
	// agent wait: 1h0m0s
	// on hold: 2h0m0s
}

// Two resolved conversations of one customer, the second within a day of
// the first: both are one-touch, only the second a first-contact
// resolution.
func ExampleTouches() {
	at := func(d, h int) time.Time { return time.Date(2026, 11, 23+d, h, 0, 0, 0, time.UTC) }
	conv := func(id string, d int) *chatkpi.Chat {
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: "u1"}, Events: []chatkpi.Event{
			{Time: at(d, 9), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(d, 10), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
			{Time: at(d, 11), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
		}}
	}
	tc, err := chatkpi.NewTouches(chatkpi.TouchesSettings{}) // a 24-hour repeat window
	if err != nil {
		panic(err)
	}
	for _, c := range []*chatkpi.Chat{conv("a", 0), conv("b", 1)} {
		if err := tc.AddConversation(c); err != nil {
			panic(err)
		}
	}
	r, err := tc.Result()
	if err != nil {
		panic(err)
	}
	fmt.Println("one-touch:", r.OneTouch.Successes, "of", r.OneTouch.Trials)
	fmt.Println("first-contact:", r.FirstContact.Successes, "of", r.FirstContact.Trials)
	// Output:
	// one-touch: 2 of 2
	// first-contact: 1 of 2
}
