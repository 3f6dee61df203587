package chatkpi

import (
	"testing"
	"time"
)

func benchmarkCalendar(b *testing.B) *BusinessHours {
	b.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	ranges := []OpeningRange{{Day: time.Friday, Start: 22 * time.Hour, End: 6 * time.Hour}}
	for d := time.Monday; d <= time.Friday; d++ {
		ranges = append(ranges,
			OpeningRange{Day: d, Start: 8 * time.Hour, End: 12 * time.Hour},
			OpeningRange{Day: d, Start: 13 * time.Hour, End: 17 * time.Hour})
	}
	cal, err := NewBusinessHours(loc, ranges,
		Holiday{2026, 1, 1}, Holiday{2026, 4, 3}, Holiday{2026, 4, 6}, Holiday{2026, 5, 1},
		Holiday{2026, 10, 3}, Holiday{2026, 12, 25}, Holiday{2026, 12, 26})
	if err != nil {
		b.Fatal(err)
	}
	return cal
}

// BenchmarkBusinessHoursElapsed measures spans of one day and one year (with
// two DST changes and seven holidays) in Europe/Berlin.
func BenchmarkBusinessHoursElapsed(b *testing.B) {
	cal := benchmarkCalendar(b)
	from := time.Date(2026, 1, 14, 10, 30, 0, 0, time.UTC)
	for _, bc := range []struct {
		name string
		to   time.Time
	}{
		{"day", from.Add(24 * time.Hour)},
		{"year", from.AddDate(1, 0, 0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var sink time.Duration
			for i := 0; i < b.N; i++ {
				d, err := cal.Elapsed(from, bc.to)
				if err != nil {
					b.Fatal(err)
				}
				sink += d
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "spans/s")
			_ = sink
		})
	}
}

func BenchmarkBusinessHoursIsOpen(b *testing.B) {
	cal := benchmarkCalendar(b)
	at := time.Date(2026, 3, 27, 23, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !cal.IsOpen(at) {
			b.Fatal("closed")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "instants/s")
}
