package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// An SLA policy with a first-reply target per priority: a high-priority
// conversation answered after 40 minutes breaches its 30-minute target at
// 09:30; a normal one answered after 3 hours meets its 4-hour target.
func ExampleSLA() {
	policy, err := chatkpi.ParseSLAPolicy([]byte(`{"targets": [
		{"metric": "first_reply", "priority": "high", "target": "30m"},
		{"metric": "first_reply", "target": "4h"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	sla, err := chatkpi.NewSLA(policy)
	if err != nil {
		fmt.Println(err)
		return
	}
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, c := range []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "a", Priority: "high"}, Events: []chatkpi.Event{
			{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: t0.Add(40 * time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"}}},
		{Meta: chatkpi.Info{ID: "b"}, Events: []chatkpi.Event{
			{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: t0.Add(3 * time.Hour), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "bob"}}},
	} {
		vs, _ := sla.Verdicts(c)
		for _, v := range vs {
			fmt.Printf("%s %s: %s", c.Meta.ID, v.Target.Metric, v.Status)
			if v.Status == chatkpi.SLABreached {
				fmt.Printf(" at %s, %v over", v.BreachAt.Format("15:04"), v.Over())
			}
			fmt.Println()
		}
		if err := sla.AddConversation(c); err != nil {
			fmt.Println(err)
			return
		}
	}
	r, _ := sla.Result()
	m := r.Metrics[0]
	iv, _ := m.Attainment.Wilson(chatkpi.Z95)
	fmt.Printf("attainment %s, 95 %% CI %.1f–%.1f %%\n", m.Attainment, 100*iv.Low, 100*iv.High)
	// Output:
	// a first_reply: breached at 09:30, 10m0s over
	// b first_reply: met
	// attainment 1/2 (50.00 %), 95 % CI 9.5–90.5 %
}
