package chatkpi_test

import (
	"testing"

	"github.com/chatkpi/chatkpi"
)

// BenchmarkReportMeasure measures the conversations of the report benchmark
// one at a time into one reused MeasuredConversation, as the
// per-conversation export does: no allocation per conversation but for
// those with a valued goal.
func BenchmarkReportMeasure(b *testing.B) {
	chats := reportBenchChats(10_000)
	events := 0
	for _, c := range chats {
		events += len(c.Events)
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	if err != nil {
		b.Fatal(err)
	}
	var m chatkpi.MeasuredConversation
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, c := range chats {
			if err := r.Measure(c, &m); err != nil {
				b.Fatal(err)
			}
		}
	}
	n := float64(b.N) * float64(events)
	b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
}
