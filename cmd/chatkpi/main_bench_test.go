package main

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkRunSample measures the whole command on the embedded twitterData:
// reading, the report and the table.
func BenchmarkRunSample(b *testing.B) {
	events := int64(bytes.Count(twitterData, []byte("\n")))
	b.ReportAllocs()
	for range b.N {
		if code := run(nil, nil, io.Discard, io.Discard, false); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
	b.ReportMetric(float64(events*int64(b.N))/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRunSampleStreaming reads one conversation at a time and keeps
// sketches instead of every duration.
func BenchmarkRunSampleStreaming(b *testing.B) {
	events := int64(bytes.Count(twitterData, []byte("\n")))
	b.ReportAllocs()
	for range b.N {
		if code := run([]string{"-grouped", "-mode", "streaming"}, nil, io.Discard, io.Discard, false); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
	b.ReportMetric(float64(events*int64(b.N))/b.Elapsed().Seconds(), "events/s")
}
