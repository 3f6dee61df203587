package chatkpi

import (
	"math"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestCalendarTimeIsSub checks calendar time's fast path against
// time.Time.Sub and Before: any instants, near and far apart, up to the
// saturation of Sub, and times with a monotonic clock reading.
func TestCalendarTimeIsSub(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		instant := func(label string) time.Time {
			sec := rapid.OneOf(rapid.Int64Range(-1<<40, 1<<40), rapid.Int64Range(-62135596800, 253402300799),
				rapid.Int64Range(math.MinInt64/2, math.MaxInt64/2)).Draw(t, label+" s")
			at := time.Unix(sec, rapid.Int64Range(0, 999_999_999).Draw(t, label+" ns")) // in Local: Sub's path
			if rapid.Bool().Draw(t, label+" utc") {
				at = at.UTC() // the fast path
			}
			return at
		}
		from, to := instant("from"), instant("to")
		if rapid.Bool().Draw(t, "near") {
			to = from.Add(time.Duration(rapid.Int64Range(-1e15, 1e15).Draw(t, "d")))
		}
		d, err := calendarTime{}.Elapsed(from, to)
		if to.Before(from) {
			if err == nil {
				t.Fatalf("%v → %v: no error", from, to)
			}
			return
		}
		if err != nil || d != to.Sub(from) {
			t.Fatalf("%v → %v: %v, %v; Sub gives %v", from, to, d, err, to.Sub(from))
		}
	})
	now := time.Now() // a monotonic clock reading: Sub reads it
	later := now.Add(1500 * time.Millisecond)
	if d, err := (calendarTime{}).Elapsed(now, later); err != nil || d != 1500*time.Millisecond {
		t.Fatalf("monotonic times: %v, %v", d, err)
	}
}
