package chatkpi

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi/internal/cpuclock"
)

// benchJSONLWithIDs is the export of benchJSONL with an id on every event
// and every line delivered twice: the de-duplication's worst case.
func benchJSONLWithIDs(b *testing.B) []byte {
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for _, c := range eventfileBenchChats() {
		for i := range c.Events {
			c.Events[i].ID = "msg-" + itoa(1000+i)
		}
		if err := w.WriteConversation(c); err != nil {
			b.Fatal(err)
		}
		if err := w.WriteConversation(c); err != nil { // grouped: the copy follows
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkJoinerWithIDs reads 200,000 lines, half of them redeliveries;
// events/s counts the lines read.
func BenchmarkJoinerWithIDs(b *testing.B) {
	data := benchJSONLWithIDs(b)
	for _, grouped := range []bool{false, true} {
		name := "holding"
		if grouped {
			name = "grouped"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for range b.N {
				r, err := NewJSONLReader(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				var j Joiner
				n := 0
				if grouped {
					for _, err := range j.Grouped("", r) {
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
				} else {
					if err := j.Read("", r); err != nil {
						b.Fatal(err)
					}
					n = len(slices.Collect(j.Conversations()))
				}
				if n != benchEvents/10 || j.Duplicates() != benchEvents {
					b.Fatal(n, j.Duplicates())
				}
			}
			b.ReportMetric(float64(b.N*2*benchEvents)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// benchInterleaved is the export of eventfileBenchChats in time order, as
// exports in time order interleave their conversations' lines.
func benchInterleaved(b *testing.B) []byte {
	var all []string
	for _, c := range eventfileBenchChats() {
		var buf bytes.Buffer
		w := NewJSONLWriter(&buf)
		if err := w.WriteConversation(c); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		all = append(all, strings.SplitAfter(strings.TrimSuffix(buf.String(), "\n"), "\n")...)
	}
	timeOf := func(l string) string { i := strings.Index(l, `"time":"`) + 8; return l[i : i+27] }
	slices.SortStableFunc(all, func(a, b string) int { return strings.Compare(timeOf(a), timeOf(b)) })
	var out bytes.Buffer
	for _, l := range all {
		out.WriteString(strings.TrimSuffix(l, "\n") + "\n")
	}
	return out.Bytes()
}

// BenchmarkJoinerReport builds the report of 100,000 interleaved events
// (10,000 conversations) held by a Joiner, with Joiner.Report (on every
// core) or by adding what Conversations yields one by one; the reading
// (Joiner.Read) is not counted.
func BenchmarkJoinerReport(b *testing.B) {
	data := benchInterleaved(b)
	for _, how := range []string{"Report", "serial"} {
		b.Run(how, func(b *testing.B) {
			b.ReportAllocs()
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				r, err := NewJSONLReader(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				j := Joiner{ReuseChats: true}
				if err := j.Read("", r); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := cpuclock.Process()
				var rep *Report
				if how == "Report" {
					rep, err = j.Report(ReportSettings{})
				} else {
					rep, err = NewReport(ReportSettings{})
					for c := range j.Conversations() {
						if err == nil {
							err = rep.AddConversation(c)
						}
					}
				}
				cpu += cpuclock.Process() - start
				if err != nil {
					b.Fatal(err)
				}
				if rep.overall.conversations != benchEvents/10 {
					b.Fatal(rep.overall.conversations)
				}
			}
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*benchEvents), "cpu-ns/event")
			}
			b.ReportMetric(float64(b.N*benchEvents)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkJoinerGrouped reads 500,000 lines in peer-bench's mix (the
// events of decodeBenchChats) grouped by conversation, as the command
// reads a grouped file: read ahead, decoded on other goroutines and joined
// ahead of the loop into reused conversations (Joiner.ReuseChats), the
// loop only counting the events. cpu-ns/line is the process's CPU time per
// line, which moves less than the wall time on a shared machine.
func BenchmarkJoinerGrouped(b *testing.B) {
	const events = 500_000
	for _, format := range []string{"jsonl", "csv"} {
		b.Run(format, func(b *testing.B) {
			data := decodeBenchFile(b, events, format == "csv")
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuclock.Process()
			for range b.N {
				var r EventReader
				var err error
				if format == "csv" {
					r, err = NewCSVReader(bytes.NewReader(data))
				} else {
					r, err = NewJSONLReader(bytes.NewReader(data))
				}
				if err != nil {
					b.Fatal(err)
				}
				j := Joiner{ReuseChats: true}
				n := 0
				for c, err := range j.Grouped("", r) {
					if err != nil {
						b.Fatal(err)
					}
					n += len(c.Events)
				}
				if n != events {
					b.Fatalf("joined %d events, want %d", n, events)
				}
			}
			if cpu := cpuclock.Process() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*events), "cpu-ns/line")
			}
			b.ReportMetric(float64(b.N*events)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
