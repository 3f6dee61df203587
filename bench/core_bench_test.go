package bench

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

const seed = 20261123

// Workloads are generated once per process: 1 M events (~100 MB) and 10 M
// events (~1 GB, as one backing array).
var (
	oneM, tenM         []*chatkpi.Chat
	oneMOnce, tenMOnce sync.Once
)

func workload(b *testing.B, events int) []*chatkpi.Chat {
	b.Helper()
	switch events {
	case 1_000_000:
		oneMOnce.Do(func() { oneM = Generate(seed, events) })
		return oneM
	case 10_000_000:
		tenMOnce.Do(func() { tenM = Generate(seed, events) })
		return tenM
	}
	b.Fatalf("no workload of %d events", events)
	return nil
}

// report adds events/s and ns/event; b.N passes over events events.
func report(b *testing.B, events int) {
	total := float64(events) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/event")
}

var sizes = []struct {
	name   string
	events int
}{{"1M", 1_000_000}, {"10M", 10_000_000}}

// BenchmarkCoreKPIs computes FRT (exact percentiles), CSAT, NPS and
// conversations per day over the same chats, one goroutine, through the
// public API, including reading the results. Each iteration starts from
// empty accumulators.
func BenchmarkCoreKPIs(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			chats := workload(b, s.events)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				coreKPIs(b, chats, false)
			}
			report(b, s.events)
		})
	}
}

// BenchmarkCoreKPIsStreaming is BenchmarkCoreKPIs with FRT in streaming
// mode (DDSketch percentiles).
func BenchmarkCoreKPIsStreaming(b *testing.B) {
	chats := workload(b, 1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		coreKPIs(b, chats, true)
	}
	report(b, 1_000_000)
}

func coreKPIs(tb testing.TB, chats []*chatkpi.Chat, streaming bool) {
	opts := chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Streaming: streaming}}
	frt, err := chatkpi.NewFirstResponseTime(opts)
	if err != nil {
		tb.Fatal(err)
	}
	var csat chatkpi.CSAT
	var nps chatkpi.NPS
	var vol chatkpi.Volume
	for _, c := range chats {
		if err := frt.AddConversation(c); err != nil {
			tb.Fatal(err)
		}
		if err := csat.AddConversation(c); err != nil {
			tb.Fatal(err)
		}
		if err := nps.AddConversation(c); err != nil {
			tb.Fatal(err)
		}
		if err := vol.AddConversation(c); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := frt.Result(); err != nil {
		tb.Fatal(err)
	}
	if _, err := csat.Result(); err != nil {
		tb.Fatal(err)
	}
	if _, err := nps.Result(); err != nil {
		tb.Fatal(err)
	}
	if _, err := vol.Result(chatkpi.Day); err != nil {
		tb.Fatal(err)
	}
}

// adder is the part of a calculator the per-calculator benchmarks use.
type adder interface {
	AddConversation(chatkpi.Conversation) error
}

func benchOne(b *testing.B, fresh func() (adder, func() error)) {
	chats := workload(b, 1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		a, result := fresh()
		for _, c := range chats {
			if err := a.AddConversation(c); err != nil {
				b.Fatal(err)
			}
		}
		if err := result(); err != nil {
			b.Fatal(err)
		}
	}
	report(b, 1_000_000)
}

func BenchmarkFRTExact(b *testing.B) {
	benchOne(b, func() (adder, func() error) {
		f, _ := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{})
		return f, func() error { _, err := f.Result(); return err }
	})
}

func BenchmarkFRTStreaming(b *testing.B) {
	benchOne(b, func() (adder, func() error) {
		f, _ := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Streaming: true}})
		return f, func() error { _, err := f.Result(); return err }
	})
}

func BenchmarkCSAT(b *testing.B) {
	benchOne(b, func() (adder, func() error) {
		c := new(chatkpi.CSAT)
		return c, func() error { _, err := c.Result(); return err }
	})
}

func BenchmarkNPS(b *testing.B) {
	benchOne(b, func() (adder, func() error) {
		n := new(chatkpi.NPS)
		return n, func() error { _, err := n.Result(); return err }
	})
}

func BenchmarkVolume(b *testing.B) {
	benchOne(b, func() (adder, func() error) {
		v := new(chatkpi.Volume)
		return v, func() error { _, err := v.Result(chatkpi.Day); return err }
	})
}

// BenchmarkPlainLoop is the reference the issue quotes: a hand-written loop
// over the same chats computing the same counts (FRT from the first customer
// message to the first reply, kept as durations; CSAT and NPS counts;
// conversations per UTC day), without validation or any options.
// /workers=all runs it on every core, each on a contiguous part of the
// chats: the speedup this machine gives a loop that needs no merging.
func BenchmarkPlainLoop(b *testing.B) {
	chats := workload(b, 1_000_000)
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		name := "workers=1"
		if workers > 1 {
			name = "workers=all"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			sinks := make([]int64, workers)
			var cpu cpuClock
			cpu.start()
			for range b.N {
				var wg sync.WaitGroup
				for w := range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						sinks[w] += plainLoop(chats[w*len(chats)/workers : (w+1)*len(chats)/workers])
					}()
				}
				wg.Wait()
			}
			cpu.report(b)
			report(b, 1_000_000)
		})
	}
}

func plainLoop(chats []*chatkpi.Chat) int64 {
	frt := make([]time.Duration, 0, len(chats))
	var csat, nps [11]int64
	days := map[int64]int64{}
	for _, c := range chats {
		first := -1
		replied := false
		for i := range c.Events {
			e := &c.Events[i]
			switch {
			case e.Type == chatkpi.Message && e.Role == chatkpi.Customer && first < 0:
				first = i
			case !replied && first >= 0 && e.IsReply():
				frt = append(frt, e.Time.Sub(c.Events[first].Time))
				replied = true
			case e.Type == chatkpi.Rating && e.Survey == chatkpi.CSATSurvey:
				csat[e.Score]++
			case e.Type == chatkpi.Rating && e.Survey == chatkpi.NPSSurvey:
				nps[e.Score]++
			}
		}
		days[c.Meta.Start.Unix()/86400]++
	}
	return int64(len(frt)) + csat[5] + nps[10] + int64(len(days))
}

// BenchmarkStreamingMemory runs streaming FRT, CSAT, NPS and Volume over
// the 10 M-event workload and reports the live heap they hold afterwards
// beyond the input (runtime.ReadMemStats after runtime.GC, before and after).
func BenchmarkStreamingMemory(b *testing.B) {
	chats := workload(b, 10_000_000)
	b.ReportAllocs()
	var growth float64
	b.ResetTimer()
	for range b.N {
		g, err := streamingHeapGrowth(chats)
		if err != nil {
			b.Fatal(err)
		}
		growth = max(growth, float64(g))
	}
	report(b, 10_000_000)
	b.ReportMetric(growth/(1<<20), "MiB-heap")
}

// streamingHeapGrowth returns the live heap held by streaming accumulators
// after they have seen every chat.
func streamingHeapGrowth(chats []*chatkpi.Chat) (int64, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	frt, err := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Streaming: true}})
	if err != nil {
		return 0, err
	}
	csat, nps, vol := new(chatkpi.CSAT), new(chatkpi.NPS), new(chatkpi.Volume)
	for _, c := range chats {
		for _, a := range []adder{frt, csat, nps, vol} {
			if err := a.AddConversation(c); err != nil {
				return 0, err
			}
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(frt)
	runtime.KeepAlive(csat)
	runtime.KeepAlive(nps)
	runtime.KeepAlive(vol)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), nil
}
