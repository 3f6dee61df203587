package chatkpi_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

// outcBenchPool is the number of distinct generated conversations; benchmarks
// that process a million conversations cycle through them, which keeps the
// pool (about 16 MB of events) out of the CPU caches without holding a
// million conversations in memory.
const (
	outcBenchPool          = 1 << 14
	outcBenchConversations = 1_000_000
)

// outcBenchChats generates the pool deterministically (fixed seed): about 10
// events each — customer messages, bot replies and fallbacks, handoffs,
// agents joining and replying, resolutions, reopens and feedback.
func outcBenchChats() []*chatkpi.Chat {
	rng := rand.New(rand.NewPCG(2026, 11))
	agents := []string{"ana", "bo", "chen", "dee"}
	t0 := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	chats := make([]*chatkpi.Chat, outcBenchPool)
	for i := range chats {
		at := t0.Add(time.Duration(rng.Int64N(int64(300 * 24 * time.Hour))))
		n := 8 + rng.IntN(5)
		events := make([]chatkpi.Event, 0, n)
		agent := agents[rng.IntN(len(agents))]
		for range n {
			at = at.Add(time.Duration(rng.Int64N(int64(10 * time.Minute))))
			e := chatkpi.Event{Time: at}
			switch k := rng.IntN(20); {
			case k < 7:
				e.Type, e.Role = chatkpi.Message, chatkpi.Customer
			case k < 11:
				e.Type, e.Role = chatkpi.Message, chatkpi.Bot
			case k == 11:
				e.Type, e.Role = chatkpi.Fallback, chatkpi.Bot
			case k == 12:
				e.Type, e.Role = chatkpi.Handoff, chatkpi.Bot
			case k == 13:
				e.Type, e.Role, e.Agent = chatkpi.Joined, chatkpi.Agent, agent
			case k < 16:
				e.Type, e.Role, e.Agent = chatkpi.Message, chatkpi.Agent, agent
			case k == 16:
				e.Type, e.Role = chatkpi.Reopened, chatkpi.Customer
			case k == 17:
				e.Type, e.Role, e.Helpful = chatkpi.Feedback, chatkpi.Customer, rng.IntN(2) == 0
			default:
				e.Type, e.Role = chatkpi.Resolved, chatkpi.Bot
			}
			events = append(events, e)
		}
		// Feedback needs a bot answer before it; make the first event one.
		events[0].Type, events[0].Role, events[0].Agent = chatkpi.Message, chatkpi.Bot, ""
		chats[i] = &chatkpi.Chat{
			Meta:   chatkpi.Info{ID: fmt.Sprintf("c%d", i), Customer: fmt.Sprintf("cust-%d", rng.IntN(outcBenchPool/4)), Source: "pricing", Channel: "chat"},
			Events: events,
		}
	}
	return chats
}

func outcBenchEvents(chats []*chatkpi.Chat, conversations int) int {
	n := 0
	for i := range conversations {
		n += len(chats[i%len(chats)].Events)
	}
	return n
}

// BenchmarkClassify classifies a million conversations per operation.
func BenchmarkClassify(b *testing.B) {
	chats := outcBenchChats()
	events := outcBenchEvents(chats, outcBenchConversations)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i := range outcBenchConversations {
			if _, err := chatkpi.Classify(chats[i%outcBenchPool]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(outcBenchConversations)*float64(b.N)/b.Elapsed().Seconds(), "conversations/s")
}

// BenchmarkOutcomesAdd adds a million conversations per operation to a new
// Outcomes and reads the result (repeat contacts are matched per customer).
func BenchmarkOutcomesAdd(b *testing.B) {
	chats := outcBenchChats()
	events := outcBenchEvents(chats, outcBenchConversations)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var o chatkpi.Outcomes
		for i := range outcBenchConversations {
			if err := o.AddConversation(chats[i%outcBenchPool]); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := o.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// outcBenchAdd adds the pool once per operation to a fresh accumulator.
func outcBenchAdd(b *testing.B, add func(*chatkpi.Chat) error, reset func()) {
	chats := outcBenchChats()
	events := outcBenchEvents(chats, len(chats))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		reset()
		for _, c := range chats {
			if err := add(c); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkBotQualityAdd(b *testing.B) {
	var q chatkpi.BotQuality
	outcBenchAdd(b, func(c *chatkpi.Chat) error { return q.AddConversation(c) }, func() { q = chatkpi.BotQuality{} })
}

func BenchmarkVolumeAdd(b *testing.B) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	ps, _ := chatkpi.NewPeriods(berlin, time.Sunday)
	var v *chatkpi.Volume
	outcBenchAdd(b, func(c *chatkpi.Chat) error { return v.AddConversation(c) }, func() {
		v, _ = chatkpi.NewVolume(chatkpi.VolumeSettings{Periods: ps, GroupBy: chatkpi.GroupBySource()})
	})
}

func BenchmarkAgentsAdd(b *testing.B) {
	var a chatkpi.Agents
	outcBenchAdd(b, func(c *chatkpi.Chat) error { return a.AddConversation(c) }, func() { a = chatkpi.Agents{} })
}
