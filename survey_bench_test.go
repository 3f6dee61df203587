package chatkpi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

// surveyScores returns n answers on min–max in a fixed, irregular order.
func surveyScores(n, min, max int) []int {
	scores := make([]int, n)
	x := uint32(2463534242)
	for i := range scores {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		scores[i] = min + int(x%uint32(max-min+1))
	}
	return scores
}

// benchmarkAdd adds 10 million scores per iteration.
func benchmarkAdd(b *testing.B, add func(int) error, min, max int) {
	const n = 10_000_000
	scores := surveyScores(n, min, max)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, s := range scores {
			if err := add(s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "scores/s")
}

func BenchmarkCSATAdd(b *testing.B) {
	var c chatkpi.CSAT
	benchmarkAdd(b, c.Add, 1, 5)
}

func BenchmarkNPSAdd(b *testing.B) {
	var n chatkpi.NPS
	benchmarkAdd(b, n.Add, 0, 10)
}

func BenchmarkCESAdd(b *testing.B) {
	var c chatkpi.CES
	benchmarkAdd(b, c.Add, 1, 7)
}

// surveyChats returns n conversations of 20 events each: messages, a CSAT
// survey sent and answered, and an NPS answer.
func surveyChats(n int) []*chatkpi.Chat {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	scores := surveyScores(n, 1, 5)
	chats := make([]*chatkpi.Chat, n)
	for i := range chats {
		events := make([]chatkpi.Event, 0, 20)
		for j := range 17 {
			role := chatkpi.Customer
			if j%2 == 1 {
				role = chatkpi.Bot
			}
			events = append(events, chatkpi.Event{Time: at.Add(time.Duration(j) * time.Second), Type: chatkpi.Message, Role: role})
		}
		t := at.Add(time.Minute)
		events = append(events,
			chatkpi.Event{Time: t, Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey},
			chatkpi.Event{Time: t.Add(time.Second), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: int8(scores[i])},
			chatkpi.Event{Time: t.Add(2 * time.Second), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: int8(2 * scores[i])},
		)
		chats[i] = &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint("c", i)}, Events: events}
		at = at.Add(time.Hour)
	}
	return chats
}

func BenchmarkCSATAddConversation(b *testing.B) {
	chats := surveyChats(10_000)
	convs := make([]chatkpi.Conversation, len(chats))
	for i, c := range chats {
		convs[i] = adapted(c)
	}
	for _, bc := range []struct {
		name  string
		convs []chatkpi.Conversation
	}{
		{"Chat", func() []chatkpi.Conversation {
			cs := make([]chatkpi.Conversation, len(chats))
			for i, c := range chats {
				cs[i] = c
			}
			return cs
		}()},
		{"Adapt", convs},
	} {
		b.Run(bc.name, func(b *testing.B) {
			events := 0
			for _, c := range bc.convs {
				events += c.Len()
			}
			b.ReportAllocs()
			var csat chatkpi.CSAT
			for range b.N {
				for _, c := range bc.convs {
					if err := csat.AddConversation(c); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
