package bench

import (
	"runtime"
	"testing"

	"github.com/chatkpi/chatkpi"
)

// coreMetrics is the core KPIs of the issue as a report: first response
// time (exact percentiles), CSAT and NPS, grouped by day for the
// conversations per day.
func coreReportSettings() chatkpi.ReportSettings {
	return chatkpi.ReportSettings{Period: chatkpi.Day, Metrics: chatkpi.MetricFirstResponse | chatkpi.MetricCSAT | chatkpi.MetricNPS}
}

// BenchmarkCoreKPIsReport computes the core KPIs with one Report
// restricted to them (ReportSettings.Metrics), one goroutine, public API on *Chat,
// including the Summary (percentiles of every day and overall).
func BenchmarkCoreKPIsReport(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			chats := workload(b, s.events)
			b.ReportAllocs()
			b.ResetTimer()
			var cpu cpuClock
			for range b.N {
				settle(b, &cpu)
				buildReport(b, chats, coreReportSettings())
			}
			cpu.report(b)
			report(b, s.events)
		})
	}
}

// elevenMetrics is the report's metrics before the bot and human split:
// every metric of [chatkpi.DefaultMetrics] but MetricBotAndHuman.
const elevenMetrics = chatkpi.MetricFirstResponse | chatkpi.MetricResponseTime | chatkpi.MetricResolutionTime |
	chatkpi.MetricChatDuration | chatkpi.MetricQueueWait | chatkpi.MetricCSAT | chatkpi.MetricNPS | chatkpi.MetricCES |
	chatkpi.MetricOutcomes | chatkpi.MetricBotQuality | chatkpi.MetricConversion

// BenchmarkFullReport computes every metric of the catalogue with one
// Report grouped by day and by agent, one goroutine, including the Summary.
// /chat passes the *Chat values, /adapted the same conversations behind the
// Conversation interface (a caller's own type), /chat-eleven-metrics
// computes the metrics of the report before the bot and human split. Each
// reports its CPU time per iteration (cpu-ns/op) besides its wall time.
func BenchmarkFullReport(b *testing.B) {
	opts := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}
	chats := workload(b, 1_000_000)
	b.Run("chat", func(b *testing.B) {
		b.ReportAllocs()
		var cpu cpuClock
		for range b.N {
			settle(b, &cpu)
			buildReport(b, chats, opts)
		}
		cpu.report(b)
		report(b, 1_000_000)
	})
	// The metrics of the report before the bot and human split
	// (MetricBotAndHuman) was added: the benchmark to compare with earlier
	// figures of /chat.
	b.Run("chat-eleven-metrics", func(b *testing.B) {
		o := opts
		o.Metrics = elevenMetrics
		b.ReportAllocs()
		var cpu cpuClock
		for range b.N {
			settle(b, &cpu)
			buildReport(b, chats, o)
		}
		cpu.report(b)
		report(b, 1_000_000)
	})
	b.Run("adapted", func(b *testing.B) {
		convs := make([]chatkpi.Conversation, len(chats))
		for i, c := range chats {
			convs[i] = callerConversation{c}
		}
		b.ReportAllocs()
		b.ResetTimer()
		var cpu cpuClock
		for range b.N {
			settle(b, &cpu)
			buildReport(b, convs, opts)
		}
		cpu.report(b)
		report(b, 1_000_000)
	})
}

// settle collects the heap outside the timer, so that every iteration
// starts on a collected heap: the input (~100 MB at 1 M events) makes each
// collection cycle costly, and cycles started by one iteration's
// allocations would otherwise land on later iterations at random.
// Collections during an iteration still count. cpu (nil: none) stops and
// starts with the timer.
func settle(b *testing.B, cpu *cpuClock) {
	b.StopTimer()
	if cpu != nil {
		cpu.stop()
		defer cpu.start()
	}
	runtime.GC()
	b.StartTimer()
}

func buildReport[C chatkpi.Conversation](b *testing.B, chats []C, opts chatkpi.ReportSettings) {
	r, err := chatkpi.NewReport(opts)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range chats {
		if err := r.AddConversation(c); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := r.Summary(); err != nil {
		b.Fatal(err)
	}
}

// callerConversation stands for a caller's own conversation type adapted
// to chatkpi.Conversation.
type callerConversation struct{ c *chatkpi.Chat }

func (c callerConversation) Info() chatkpi.Info        { return c.c.Meta }
func (c callerConversation) Len() int                  { return len(c.c.Events) }
func (c callerConversation) Event(i int) chatkpi.Event { return c.c.Events[i] }

// BenchmarkBuildReport builds the report of BenchmarkFullReport (without
// the Summary) with BuildReport on one goroutine and on all cores, in exact
// and in streaming mode; the ratio of the events/s of workers=all and
// workers=1 is the parallel speedup.
func BenchmarkBuildReport(b *testing.B) {
	chats := workload(b, 1_000_000)
	for _, mode := range []struct {
		name      string
		streaming bool
	}{{"exact", false}, {"streaming", true}} {
		opts := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}
		if mode.streaming {
			opts = opts.WithStreaming(0)
		}
		for _, workers := range []int{1, 0} {
			name := mode.name + "/workers=1"
			if workers == 0 {
				name = mode.name + "/workers=all"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					settle(b, nil)
					if _, err := chatkpi.BuildReport(chats, workers, opts); err != nil {
						b.Fatal(err)
					}
				}
				report(b, 1_000_000)
			})
		}
	}
}
