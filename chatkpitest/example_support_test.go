package chatkpitest_test

import (
	"fmt"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
)

// A support conversation drawn at a fixed seed is the same every time: the
// chatkpi command's demo sample is 900 of them.
func ExampleSupportChat() {
	c := chatkpitest.SupportChat().Example(7)
	fmt.Println(c.Meta.Customer, c.Meta.Channel, c.Meta.Source, chatkpi.Validate(c))
	for _, e := range c.Events {
		line := fmt.Sprint(e.Time.Format("2006-01-02 15:04:05"), " ", e.Role, " ", e.Type)
		if e.Agent != "" {
			line += " " + e.Agent
		}
		fmt.Println(line)
	}
	// Output:
	// cust-091 chat checkout <nil>
	// 2024-02-07 08:16:15 customer message
	// 2024-02-07 08:16:17 bot message
	// 2024-02-07 08:16:24 bot handoff
	// 2024-02-07 08:16:24 system queued
	// 2024-02-07 08:26:44 system joined dara
	// 2024-02-07 08:29:29 agent message dara
	// 2024-02-07 08:30:16 customer message
	// 2024-02-07 08:34:31 agent message dara
	// 2024-02-07 08:36:40 agent resolved dara
	// 2024-02-07 08:37:35 system survey_sent dara
}
