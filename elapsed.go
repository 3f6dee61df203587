package chatkpi

import "time"

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
	if to.Before(from) {
		return 0, invalidf("time", "end %s is before start %s", to.Format(time.RFC3339Nano), from.Format(time.RFC3339Nano))
	}
	return to.Sub(from), nil
}
