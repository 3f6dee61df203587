package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

// The combiners check their settings on every AddInput; these compare
// AddInput with the calculator's AddConversation on the same 10,000
// conversations of 20 events (surveyChats), to show what the check costs.
func BenchmarkCombinerAddInput(b *testing.B) {
	chats := surveyChats(10_000)
	events := 0
	for _, c := range chats {
		events += len(c.Events)
	}
	bench := func(b *testing.B, add func(*chatkpi.Chat) error) {
		b.ReportAllocs()
		for range b.N {
			for _, c := range chats {
				if err := add(c); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
	csat := chatkpi.CSATCombiner{Settings: chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}, SatisfiedFrom: 8, DissatisfiedBelow: 2}}
	b.Run("CSAT/AddConversation", func(b *testing.B) {
		acc := csat.CreateAccumulator()
		bench(b, func(c *chatkpi.Chat) error { return acc.AddConversation(c) })
	})
	b.Run("CSAT/AddInput", func(b *testing.B) {
		acc := csat.CreateAccumulator()
		bench(b, func(c *chatkpi.Chat) error { _, err := csat.AddInput(acc, c); return err })
	})
	frt := chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{Start: chatkpi.FromConversationStart,
		Durations: chatkpi.DurationsSettings{Streaming: true, Quantiles: [chatkpi.MaxQuantiles]float64{0.5, 0.9},
			SLA: [chatkpi.MaxSLATargets]time.Duration{time.Minute}}}}
	b.Run("FirstResponse/AddConversation", func(b *testing.B) {
		acc := frt.CreateAccumulator()
		bench(b, func(c *chatkpi.Chat) error { return acc.AddConversation(c) })
	})
	b.Run("FirstResponse/AddInput", func(b *testing.B) {
		acc := frt.CreateAccumulator()
		bench(b, func(c *chatkpi.Chat) error { _, err := frt.AddInput(acc, c); return err })
	})
}
