package bench

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/chatkpi/chatkpi"
)

// The reading path: the 1 M workload written once as a JSON Lines and a
// CSV file in memory (grouped by conversation, as chatkpi's writers write
// them), read back. Run with -cpu 1,2: with one core the readers split and
// decode on the caller's goroutine; with more the caller only reads and
// cuts chunks of lines, which others split and decode (and a Joiner builds
// the conversations ahead on others), and the ratio is the parallel
// speedup. On a shared machine compare cpu-ns/event: events/s at -cpu 2
// needs the second core free. allocs/event is the allocations of an
// iteration ÷ its events (new strings, conversations and the report's
// groups included).

var (
	filesOnce sync.Once
	files     map[string][]byte
)

func eventFiles(b *testing.B) map[string][]byte {
	filesOnce.Do(func() {
		chats := workload(b, 1_000_000)
		var jl, cv bytes.Buffer
		jw := chatkpi.NewJSONLWriter(&jl)
		cw, err := chatkpi.NewCSVWriter(&cv, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range chats {
			if err := jw.WriteConversation(c); err != nil {
				b.Fatal(err)
			}
			if err := cw.WriteConversation(c); err != nil {
				b.Fatal(err)
			}
		}
		if err := jw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := cw.Flush(); err != nil {
			b.Fatal(err)
		}
		files = map[string][]byte{"jsonl": jl.Bytes(), "csv": cv.Bytes()}
	})
	return files
}

func openEvents(b *testing.B, format string, data []byte) chatkpi.EventReader {
	var r chatkpi.EventReader
	var err error
	if format == "csv" {
		r, err = chatkpi.NewCSVReader(bytes.NewReader(data))
	} else {
		r, err = chatkpi.NewJSONLReader(bytes.NewReader(data))
	}
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// readBench runs one pass per iteration over each file (formats; default
// jsonl and csv) and reports
// events/s, ns/event, cpu-ns/event (the process's CPU time: on a shared
// machine it moves less than the wall time) and allocs/event.
func readBench(b *testing.B, pass func(b *testing.B, r chatkpi.EventReader) int, formats ...string) {
	if formats == nil {
		formats = []string{"jsonl", "csv"}
	}
	for _, format := range formats {
		b.Run(format, func(b *testing.B) {
			data := eventFile(b, format)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			var cpu cpuClock
			events := 0
			settle(b, &cpu)
			runtime.ReadMemStats(&before)
			for range b.N {
				events += pass(b, openEvents(b, format, data))
			}
			cpu.stop()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(cpu.sum.Nanoseconds())/float64(events), "cpu-ns/event")
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(events), "allocs/event")
		})
	}
}

// BenchmarkReadRecords reads every record with Next.
func BenchmarkReadRecords(b *testing.B) { readBench(b, readRecords) }

func readRecords(b *testing.B, r chatkpi.EventReader) int {
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkReadGrouped reads the conversations one at a time
// (chatkpi.Conversations, the command's -grouped).
func BenchmarkReadGrouped(b *testing.B) {
	readBench(b, func(b *testing.B, r chatkpi.EventReader) int {
		n := 0
		for c, err := range chatkpi.Conversations(r) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(c.Events)
		}
		return n
	})
}

// BenchmarkReadGroupedReused reads the conversations one at a time into one
// Chat whose memory is reused (Joiner.ReuseChats), as the command reads
// its inputs first.
func BenchmarkReadGroupedReused(b *testing.B) {
	readBench(b, func(b *testing.B, r chatkpi.EventReader) int {
		j := chatkpi.Joiner{ReuseChats: true}
		n := 0
		for c, err := range j.Grouped("", r) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(c.Events)
		}
		return n
	})
}

// BenchmarkReadConversations reads all conversations into memory
// (chatkpi.ReadConversations, the command's default).
func BenchmarkReadConversations(b *testing.B) {
	readBench(b, func(b *testing.B, r chatkpi.EventReader) int {
		chats, err := chatkpi.ReadConversations(r)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, c := range chats {
			n += len(c.Events)
		}
		return n
	})
}

// BenchmarkFileReport is the command's path from a file whose
// conversations interleave (or from standard input): all conversations
// read, then the whole catalogue by month, Summary included.
func BenchmarkFileReport(b *testing.B) { readBench(b, fileReport) }

// BenchmarkFileReportGrouped is the command's default path from a file
// grouped by conversation: each conversation added to the report as its
// lines end, in one reused Chat, Summary included.
func BenchmarkFileReportGrouped(b *testing.B) {
	readBench(b, func(b *testing.B, r chatkpi.EventReader) int {
		rep, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month})
		if err != nil {
			b.Fatal(err)
		}
		j := chatkpi.Joiner{ReuseChats: true}
		n := 0
		for c, err := range j.Grouped("", r) {
			if err != nil {
				b.Fatal(err)
			}
			if err := rep.AddConversation(c); err != nil {
				b.Fatal(err)
			}
			n += len(c.Events)
		}
		if _, err := rep.Summary(); err != nil {
			b.Fatal(err)
		}
		return n
	})
}

func fileReport(b *testing.B, r chatkpi.EventReader) int {
	chats, err := chatkpi.ReadConversations(r)
	if err != nil {
		b.Fatal(err)
	}
	rep, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, c := range chats {
		if err := rep.AddConversation(c); err != nil {
			b.Fatal(err)
		}
		n += len(c.Events)
	}
	if _, err := rep.Summary(); err != nil {
		b.Fatal(err)
	}
	return n
}
