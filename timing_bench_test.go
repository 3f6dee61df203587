package chatkpi

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchChats generates n conversations of about ten events with a fixed
// seed: a customer message, sometimes an autoAck acknowledgement, bot and
// agent replies with privateNote notes, further customer turns, a resolution.
func benchChats(n int) []*Chat {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	chats := make([]*Chat, n)
	for i := range chats {
		at := start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
		step := func(max time.Duration) time.Time {
			at = at.Add(time.Duration(rng.Int64N(int64(max))))
			return at
		}
		ev := make([]Event, 0, 12)
		ev = append(ev, Event{Time: at, Type: Message, Role: Customer})
		if rng.IntN(3) == 0 {
			ev = append(ev, Event{Time: step(time.Second), Type: Message, Role: System, Automatic: true})
		}
		for len(ev) < 9 {
			switch rng.IntN(4) {
			case 0:
				ev = append(ev, Event{Time: step(10 * time.Second), Type: Message, Role: Bot})
			case 1:
				ev = append(ev, Event{Time: step(time.Hour), Type: Message, Role: Agent, Agent: "ana", Private: rng.IntN(4) == 0})
			default:
				ev = append(ev, Event{Time: step(5 * time.Minute), Type: Message, Role: Customer})
			}
		}
		ev = append(ev, Event{Time: step(time.Hour), Type: Resolved, Role: Agent})
		chats[i] = &Chat{Meta: Info{ID: fmt.Sprint("c", i), Channel: "chat"}, Events: ev}
	}
	return chats
}

// Each operation adds one million conversations: 10,000 distinct generated
// ones, 100 times each (generated outside the timer).
const benchDistinct, benchRepeat = 10_000, 100

func benchmarkFRT(b *testing.B, opts FirstResponseSettings) {
	chats := benchChats(benchDistinct)
	events := 0
	for _, c := range chats {
		events += len(c.Events)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f, err := NewFirstResponseTime(opts)
		if err != nil {
			b.Fatal(err)
		}
		for range benchRepeat {
			for _, c := range chats {
				if err := f.AddConversation(c); err != nil {
					b.Fatal(err)
				}
			}
		}
		if _, err := f.Result(); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(b.N) * float64(events*benchRepeat)
	b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/event")
}

func BenchmarkFirstResponseTime1MExact(b *testing.B) { benchmarkFRT(b, FirstResponseSettings{}) }
func BenchmarkFirstResponseTime1MStreaming(b *testing.B) {
	benchmarkFRT(b, FirstResponseSettings{Durations: DurationsSettings{Streaming: true}})
}

// The per-conversation cost in streaming mode, where adding must not
// allocate.
func BenchmarkFirstResponseTimeAddStreaming(b *testing.B) {
	chats := benchChats(1000)
	f, _ := NewFirstResponseTime(FirstResponseSettings{Durations: DurationsSettings{Streaming: true}})
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := f.AddConversation(chats[i%len(chats)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*10/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkDurationsAdd(b *testing.B) {
	for _, mode := range []struct {
		name string
		opts DurationsSettings
	}{{"exact", DurationsSettings{}}, {"streaming", DurationsSettings{Streaming: true}}} {
		b.Run(mode.name, func(b *testing.B) {
			d, _ := NewDurations(mode.opts)
			rng := rand.New(rand.NewPCG(3, 4))
			xs := make([]time.Duration, 4096)
			for i := range xs {
				xs[i] = time.Duration(rng.Int64N(int64(48 * time.Hour)))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				_ = d.Add(xs[i%len(xs)])
			}
		})
	}
}
