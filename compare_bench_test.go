package chatkpi

import (
	"testing"
	"time"
)

// BenchmarkCompareDurations ranks two samples of 500,000 durations each
// (with many ties: whole seconds up to an hour).
func BenchmarkCompareDurations(b *testing.B) {
	const n = 500_000
	a, c := make([]time.Duration, n), make([]time.Duration, n)
	for i := range n {
		a[i] = time.Duration((i*7919)%3600) * time.Second
		c[i] = time.Duration((i*104729)%3700) * time.Second
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := CompareDurations(a, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*2*n/b.Elapsed().Seconds(), "events/s")
}
