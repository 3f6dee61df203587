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
	// 2024-02-07 08:16:16 bot message
	// 2024-02-07 08:17:04 customer message
	// 2024-02-07 08:17:09 bot message
	// 2024-02-07 08:18:46 customer message
	// 2024-02-07 08:18:49 bot message
	// 2024-02-07 08:18:57 bot handoff
	// 2024-02-07 08:18:57 system queued
	// 2024-02-07 08:33:54 system joined eli
	// 2024-02-07 08:36:23 agent message eli
	// 2024-02-07 08:38:22 customer message
	// 2024-02-07 08:41:23 agent message eli
	// 2024-02-07 08:43:53 customer message
	// 2024-02-07 08:47:12 agent message eli
	// 2024-02-07 08:54:35 agent resolved eli
}
