package chatkpi_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

// BenchmarkAssembler feeds 100,000 events (10,000 conversations of ten,
// each event with an id, a tenth of them delivered twice, conversations
// interleaved in windows of 100) through an assembler into a streaming
// report, advancing the time as a backend would, and drains it.
func BenchmarkAssembler(b *testing.B) {
	chats := reportBenchChats(10_000)
	var ds []delivery
	rng := rand.New(rand.NewPCG(3, 5))
	for w := 0; w < len(chats); w += 100 {
		window := deliveries(chats[w:min(w+100, len(chats))])
		rng.Shuffle(len(window), func(i, j int) { window[i], window[j] = window[j], window[i] })
		for i, d := range window {
			ds = append(ds, d)
			if i%10 == 0 {
				d.info = chatkpi.Info{ID: d.info.ID}
				ds = append(ds, d)
			}
		}
	}
	now := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC) // before the data: nothing closes early
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for range b.N {
		a, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{})
		if err != nil {
			b.Fatal(err)
		}
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{}.WithStreaming(0))
		if err != nil {
			b.Fatal(err)
		}
		for i, d := range ds {
			if err := a.Add(now, d.info, d.e); err != nil {
				b.Fatal(err)
			}
			if i%64 == 0 {
				if err := a.Advance(now, r); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := a.Drain(r); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	events := float64(b.N) * float64(len(ds))
	b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/events, "allocs/event")
	if testing.Verbose() {
		fmt.Println(len(ds), "deliveries per op")
	}
}
