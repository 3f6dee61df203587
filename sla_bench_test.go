package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"pgregory.net/rapid"
)

// BenchmarkSLA adds help-desk conversations to an SLA with a target of
// every metric in business hours (the costlier clock: each breach instant
// is a bisection over the calendar).
func BenchmarkSLA(b *testing.B) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	bh := officeHours(b, berlin)
	var chats []*chatkpi.Chat
	var p chatkpi.SLAPolicy
	rapid.Check(b, func(t *rapid.T) {
		p = slaPolicy(t, bh, true)
		for len(chats) < 2000 {
			chats = append(chats, slaChats(t)...)
		}
	})
	events := 0
	for _, c := range chats {
		events += len(c.Events)
	}
	s, err := chatkpi.NewSLA(p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, c := range chats {
			if err := s.AddConversation(c); err != nil {
				b.Fatal(err)
			}
		}
	}
	n := float64(b.N) * float64(events)
	b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
}
