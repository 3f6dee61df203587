package chatkpi_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

func ExampleDurations() {
	var d chatkpi.Durations // exact mode, p50/p90/p95/p99, default buckets
	for _, s := range []int{15, 20, 35, 40, 50} {
		_ = d.Add(time.Duration(s) * time.Second)
	}
	r, _ := d.Result()
	fmt.Println("n:", r.Count, "mean:", r.Mean, "min:", r.Min, "max:", r.Max)
	for _, q := range r.Quantiles {
		fmt.Printf("p%v: %v\n", q.Q*100, q.Value)
	}
	within, _ := d.Within(30 * time.Second)
	pct, _ := within.Percent()
	fmt.Printf("within 30s: %d of %d (%.0f%%)\n", within.Successes, within.Trials, pct)
	// Output:
	// n: 5 mean: 32s min: 15s max: 50s
	// p50: 35s
	// p90: 46s
	// p95: 48s
	// p99: 49.6s
	// within 30s: 2 of 5 (40%)
}

func ExampleDurations_histogram() {
	d, _ := chatkpi.NewDurations(chatkpi.DurationsSettings{Buckets: [chatkpi.MaxBuckets]time.Duration{time.Minute, 5 * time.Minute}})
	for _, x := range []time.Duration{30 * time.Second, time.Minute, 4 * time.Minute, 10 * time.Minute} {
		_ = d.Add(x)
	}
	r, _ := d.Result()
	for _, b := range r.Histogram {
		high := "∞"
		if b.High > 0 {
			high = b.High.String()
		}
		fmt.Printf("[%v, %s): %d\n", b.Low, high, b.Count)
	}
	// Output:
	// [0s, 1m0s): 1
	// [1m0s, 5m0s): 2
	// [5m0s, ∞): 1
}

func ExampleDurationsSettings_streaming() {
	exact, _ := chatkpi.NewDurations(chatkpi.DurationsSettings{})
	stream, _ := chatkpi.NewDurations(chatkpi.DurationsSettings{Streaming: true})
	for i := 1; i <= 1000; i++ {
		x := time.Duration(i) * time.Second
		_ = exact.Add(x)
		_ = stream.Add(x)
	}
	e, _ := exact.Quantile(0.9)
	s, _ := stream.Quantile(0.9)
	rel := float64(s-e) / float64(e)
	fmt.Println("exact p90:", e)
	fmt.Println("within 1 %:", rel <= chatkpi.DefaultRelativeAccuracy && rel >= -chatkpi.DefaultRelativeAccuracy)
	// Output:
	// exact p90: 15m0.1s
	// within 1 %: true
}

func ExampleFirstResponseTime() {
	t0 := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "a"}, Events: []chatkpi.Event{
			{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(2), Type: chatkpi.Message, Role: chatkpi.System, Automatic: true}, // auto-acknowledgement
			{Time: at(45), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		}},
		{Meta: chatkpi.Info{ID: "b"}, Events: []chatkpi.Event{
			{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at(75), Type: chatkpi.Message, Role: chatkpi.Bot},
		}},
		{Meta: chatkpi.Info{ID: "c"}, Events: []chatkpi.Event{
			{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer},
		}},
	}
	var frt chatkpi.FirstResponseTime
	for _, c := range chats {
		if err := frt.AddConversation(c); err != nil {
			fmt.Println(err)
		}
	}
	r, _ := frt.Result()
	p50, _ := r.Stats.Quantile(0.5)
	fmt.Println("answered:", r.Answered, "unanswered:", r.Unanswered)
	fmt.Println("mean:", r.Stats.Mean, "p50:", p50)
	// Output:
	// answered: 2 unanswered: 1
	// mean: 1m0s p50: 1m0s
}

func ExampleFirstResponse_humanAfterHandoff() {
	t0 := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "esc"}, Events: []chatkpi.Event{
		{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at(1), Type: chatkpi.Message, Role: chatkpi.Bot},
		{Time: at(30), Type: chatkpi.Handoff, Role: chatkpi.Bot},
		{Time: at(210), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "bo"},
	}}
	d, st, _ := chatkpi.FirstResponse(c, chatkpi.FirstResponseSettings{})
	fmt.Println("first response:", d, st)
	d, st, _ = chatkpi.FirstResponse(c, chatkpi.FirstResponseSettings{Start: chatkpi.FromHandoff, HumanOnly: true})
	fmt.Println("human first response:", d, st)
	// Output:
	// first response: 1s answered
	// human first response: 3m0s answered
}

func ExampleFirstResponseTime_noData() {
	var frt chatkpi.FirstResponseTime
	_, err := frt.Result()
	fmt.Println(errors.Is(err, chatkpi.ErrNoData))
	// Output:
	// true
}

func ExampleFirstResponseSettings_businessHours() {
	fri := time.Date(2025, 3, 7, 16, 30, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "weekend"}, Events: []chatkpi.Event{
		{Time: fri, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: fri.Add(17 * time.Hour), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"}, // 09:30 next day
	}}
	var ranges []chatkpi.OpeningRange // 09:00–17:00 UTC every day
	for d := time.Sunday; d <= time.Saturday; d++ {
		ranges = append(ranges, chatkpi.OpeningRange{Day: d, Start: 9 * time.Hour, End: 17 * time.Hour})
	}
	office, err := chatkpi.NewBusinessHours(time.UTC, ranges)
	if err != nil {
		panic(err)
	}
	calendar, _, _ := chatkpi.FirstResponse(c, chatkpi.FirstResponseSettings{})
	business, _, _ := chatkpi.FirstResponse(c, chatkpi.FirstResponseSettings{BusinessHours: office})
	fmt.Println("calendar:", calendar, "business:", business)
	// Output:
	// calendar: 17h0m0s business: 1h0m0s
}
