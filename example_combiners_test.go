package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// What Beam does with a combine function, by hand: one accumulator per
// worker, each encoded and decoded into a new value to travel, then merged
// and extracted. In a pipeline it is beam.Combine(s, chatkpi.NPSCombiner{},
// chats) on a PCollection of *chatkpi.Chat.
func ExampleNPSCombiner() {
	rating := func(id string, scores ...int) *chatkpi.Chat {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id}}
		for i, s := range scores {
			c.Events = append(c.Events, chatkpi.Event{Time: time.Date(2026, 11, 23, 9, i, 0, 0, time.UTC),
				Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: int8(s)})
		}
		return c
	}
	workers := [][]*chatkpi.Chat{
		{rating("a", 10), rating("b", 9, 3)},
		{rating("c", 7), rating("d", 0, 10)},
	}
	var c chatkpi.NPSCombiner
	merged := c.CreateAccumulator()
	for _, chats := range workers {
		acc := c.CreateAccumulator()
		for _, ch := range chats {
			if _, err := c.AddInput(acc, ch); err != nil {
				fmt.Println(err)
				return
			}
		}
		b, err := acc.MarshalBinary()
		if err != nil {
			fmt.Println(err)
			return
		}
		travelled := new(chatkpi.NPS)
		if err := travelled.UnmarshalBinary(b); err != nil {
			fmt.Println(err)
			return
		}
		if merged, err = c.MergeAccumulators(merged, travelled); err != nil {
			fmt.Println(err)
			return
		}
	}
	r, err := c.ExtractOutput(merged)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d answers: %d promoters, %d passives, %d detractors, NPS %+.1f\n",
		r.Responses, r.Promoters, r.Passives, r.Detractors, r.Score)
	// Output:
	// 6 answers: 3 promoters, 1 passives, 2 detractors, NPS +16.7
}

// Settings are plain fields, so that Beam can ship the combine function;
// invalid ones are reported by Check when the pipeline is built, and by
// every method after that.
func ExampleFirstResponseCombiner() {
	at := func(m, s int) time.Time { return time.Date(2026, 11, 23, 9, m, s, 0, time.UTC) }
	chat := &chatkpi.Chat{Meta: chatkpi.Info{ID: "1"}, Events: []chatkpi.Event{
		{Time: at(0, 0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(0, 5), Type: chatkpi.Message, Role: chatkpi.Bot},
		{Time: at(0, 30), Type: chatkpi.Handoff, Role: chatkpi.Bot},
		{Time: at(2, 30), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
	}}
	c := chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{Start: chatkpi.FromHandoff, HumanOnly: true,
		Durations: chatkpi.DurationsSettings{SLA: [chatkpi.MaxSLATargets]time.Duration{3 * time.Minute}}}}
	acc, err := c.AddInput(c.CreateAccumulator(), chat)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := c.ExtractOutput(acc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("human FRT after the handoff:", r.Stats.Mean)
	fmt.Println("within 3 min:", r.Stats.SLA[0].Within)

	bad := chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{Start: 7}}
	_, err = bad.AddInput(bad.CreateAccumulator(), chat)
	fmt.Println(err)
	// Output:
	// human FRT after the handoff: 2m0s
	// within 3 min: 1/1 (100.00 %)
	// first response combiner: chatkpi: frt start: unknown start 7
}
