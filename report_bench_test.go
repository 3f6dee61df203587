package chatkpi_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

// reportBenchChats generates n conversations of ten events with a fixed
// seed, spread over 90 days, 50 agents and 20,000 customers: a customer
// message, a bot reply (sometimes a fallback with feedback), a handoff, an
// agent joining and replying, a further turn, a resolution and a CSAT or NPS
// answer.
func reportBenchChats(n int) []*chatkpi.Chat {
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	chats := make([]*chatkpi.Chat, n)
	for i := range chats {
		at := start.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour))))
		step := func(max time.Duration) time.Time {
			at = at.Add(time.Duration(rng.Int64N(int64(max))))
			return at
		}
		agent := fmt.Sprint("agent", rng.IntN(50))
		ev := make([]chatkpi.Event, 0, 10)
		ev = append(ev, chatkpi.Event{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer})
		if rng.IntN(5) == 0 {
			ev = append(ev, chatkpi.Event{Time: step(10 * time.Second), Type: chatkpi.Fallback, Role: chatkpi.Bot},
				chatkpi.Event{Time: step(time.Minute), Type: chatkpi.Feedback, Role: chatkpi.Customer})
		} else {
			ev = append(ev, chatkpi.Event{Time: step(10 * time.Second), Type: chatkpi.Message, Role: chatkpi.Bot},
				chatkpi.Event{Time: step(time.Minute), Type: chatkpi.Message, Role: chatkpi.Customer})
		}
		ev = append(ev,
			chatkpi.Event{Time: step(time.Minute), Type: chatkpi.Handoff, Role: chatkpi.Bot},
			chatkpi.Event{Time: step(30 * time.Minute), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: agent},
			chatkpi.Event{Time: step(5 * time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: agent},
			chatkpi.Event{Time: step(10 * time.Minute), Type: chatkpi.Message, Role: chatkpi.Customer},
			chatkpi.Event{Time: step(time.Hour), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: agent},
			chatkpi.Event{Time: step(time.Hour), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: agent},
		)
		if rng.IntN(2) == 0 {
			ev = append(ev, chatkpi.Event{Time: step(time.Hour), Type: chatkpi.Rating, Role: chatkpi.Customer,
				Survey: chatkpi.CSATSurvey, Score: int8(1 + rng.IntN(5))})
		} else {
			ev = append(ev, chatkpi.Event{Time: step(time.Hour), Type: chatkpi.Rating, Role: chatkpi.Customer,
				Survey: chatkpi.NPSSurvey, Score: int8(rng.IntN(11))})
		}
		chats[i] = &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint("c", i), Customer: fmt.Sprint("u", rng.IntN(20_000)),
			Channel: "chat"}, Events: ev}
	}
	return chats
}

// Each operation builds a report over one million events: 100,000
// conversations of ten events (10,000 distinct generated ones, ten times
// each, generated outside the timer), grouped by day and by agent (about
// 4,500 groups).
func benchmarkReport(b *testing.B, opts chatkpi.ReportSettings) {
	const distinct, repeat = 10_000, 10
	chats := reportBenchChats(distinct)
	events := 0
	for _, c := range chats {
		events += len(c.Events)
	}
	opts.Period, opts.GroupBy = chatkpi.Day, [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := chatkpi.NewReport(opts)
		if err != nil {
			b.Fatal(err)
		}
		for range repeat {
			for _, c := range chats {
				if err := r.AddConversation(c); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StopTimer() // see BenchmarkReportSummary
		if _, err := r.Summary(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	n := float64(b.N) * float64(events*repeat)
	b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/event")
}

func BenchmarkReportExact(b *testing.B) { benchmarkReport(b, chatkpi.ReportSettings{}) }
func BenchmarkReportStreaming(b *testing.B) {
	benchmarkReport(b, chatkpi.ReportSettings{}.WithStreaming(0))
}

// BenchmarkReportSummary times Summary over the report of
// BenchmarkReportExact: the overall metrics are merged from about 4,500
// groups, whose kept durations are sorted.
func BenchmarkReportSummary(b *testing.B) {
	chats := reportBenchChats(100_000)
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range chats {
		if err := r.AddConversation(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := r.Summary(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildReport builds the report of BenchmarkReportStreaming over
// 100,000 distinct conversations (1 M events) with BuildReport on one
// goroutine and on all cores; the ratio of the two events/s is the parallel
// speedup.
func BenchmarkBuildReport(b *testing.B) {
	chats := reportBenchChats(100_000)
	events := 0
	for _, c := range chats {
		events += len(c.Events)
	}
	opts := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}.WithStreaming(0)
	for _, workers := range []int{1, 0} {
		name := "workers=1"
		if workers == 0 {
			name = "workers=all"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := chatkpi.BuildReport(chats, workers, opts); err != nil {
					b.Fatal(err)
				}
			}
			n := float64(b.N) * float64(events)
			b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/event")
		})
	}
}
