package chatkpi

import "time"

// instant is a time.Time as the time-order test of a scan over events reads
// it: the seconds since the zero Time (time.Time's own seconds, which never
// overflow, unlike Unix seconds shifted to them) and the nanoseconds, and
// whether it may carry a monotonic clock reading (see mayBeMonotonic).
// Comparing two instants costs two integer comparisons instead of a call of
// time.Time.Before, which reads the monotonic readings when both times have
// one: then before defers to it.
type instant struct {
	sec   int64
	nsec  int32
	local bool
}

// unixToZero is the Unix time of the zero Time, January 1, year 1, UTC,
// negated: Unix seconds + unixToZero are time.Time's seconds since then.
const unixToZero = (1969*365 + 1969/4 - 1969/100 + 1969/400) * 86400

func instantOf(t *time.Time) instant {
	// The sum wraps exactly back to the seconds Unix shifted (int64
	// arithmetic is modular).
	return instant{sec: t.Unix() + unixToZero, nsec: int32(t.Nanosecond()), local: mayBeMonotonic(t)}
}

// mayBeBefore reports whether an event at a may be before one at b: false
// says that it is not (a.Before(b) is false for the times they were
// made of), true that it is, unless both may carry monotonic readings,
// which Before compares instead (then ask Before).
func (a instant) mayBeBefore(b instant) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec || a.local && b.local
}
