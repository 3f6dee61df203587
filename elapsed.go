package chatkpi

import "time"

// TimeMeasure measures the time that counts between two instants, from ≤ to.
// Timing calculators measure calendar time (to − from) unless given a
// TimeMeasure; a business-hours calendar is one that counts open time only.
type TimeMeasure interface {
	Elapsed(from, to time.Time) (time.Duration, error)
}

// CalendarTime is the [TimeMeasure] of plain elapsed time, to − from. It
// returns an error if to is before from.
type CalendarTime struct{}

// Elapsed returns to − from.
func (CalendarTime) Elapsed(from, to time.Time) (time.Duration, error) {
	if to.Before(from) {
		return 0, invalidf("time", "end %s is before start %s", to.Format(time.RFC3339Nano), from.Format(time.RFC3339Nano))
	}
	return to.Sub(from), nil
}
