package chatkpi

import (
	"math"
	"time"
)

// timeMeasure measures the time that counts between two instants, from ≤
// to: calendar time (to − from) by default, or the open time of a
// *[BusinessHours].
type timeMeasure interface {
	Elapsed(from, to time.Time) (time.Duration, error)
}

// calendarTime is the timeMeasure of plain elapsed time, to − from. It
// returns an error if to is before from.
type calendarTime struct{}

// Elapsed returns to − from.
func (calendarTime) Elapsed(from, to time.Time) (time.Duration, error) {
	// The difference of the Unix seconds and nanoseconds is to.Sub(from),
	// without Sub's check of its result (adding it back), when neither
	// time carries a monotonic clock reading (Sub and Before would read
	// those: only times in Local may) and the difference is within ±292
	// years.
	if s := to.Unix() - from.Unix(); s > -maxExactSeconds && s < maxExactSeconds && !mayBeMonotonic(&to) && !mayBeMonotonic(&from) {
		if d := time.Duration(s)*time.Second + time.Duration(to.Nanosecond()-from.Nanosecond()); d >= 0 {
			return d, nil
		}
	} else if !to.Before(from) {
		return to.Sub(from), nil
	}
	return 0, invalidf("time", "end %s is before start %s", to.Format(time.RFC3339Nano), from.Format(time.RFC3339Nano))
}

// mayBeMonotonic reports whether t may carry a monotonic clock reading:
// only time.Now gives one, in the Local location, and every change of
// location drops it.
func mayBeMonotonic(t *time.Time) bool { return t.Location() == time.Local }

// maxExactSeconds bounds the differences of Unix seconds whose nanoseconds,
// with those of a fraction of a second, fit a time.Duration.
const maxExactSeconds = math.MaxInt64/int64(time.Second) - 1
