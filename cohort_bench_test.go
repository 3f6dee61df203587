package chatkpi

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkCohorts builds the weekly cohort table from 1 M activities of
// 100,000 customers spread over a year, in time order as a log delivers them.
func BenchmarkCohorts(b *testing.B) {
	const n, customers = 1_000_000, 100_000
	ids := make([]string, customers)
	for i := range ids {
		ids[i] = "customer-" + strconv.Itoa(i)
	}
	type activity struct {
		who string
		t   time.Time
	}
	acts := make([]activity, n)
	step := 365 * 24 * time.Hour / n
	for i := range acts {
		acts[i] = activity{ids[(i*7919)%customers], convT0.Add(time.Duration(i) * step)}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var c Cohorts
		for _, a := range acts {
			if err := c.Add(a.who, a.t); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := c.Table(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "events/s")
}
