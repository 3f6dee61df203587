package chatkpi

import (
	"fmt"
	"reflect"
	"time"
)

// timingConfig is what every timing calculator shares.
type timingConfig struct {
	measure timeMeasure // nil means calendarTime{}
	stats   durationsConfig
}

func (c *timingConfig) elapsed(from, to time.Time) (time.Duration, error) {
	if c.measure == nil {
		return calendarTime{}.Elapsed(from, to)
	}
	return c.measure.Elapsed(from, to)
}

// compatible reports whether two calculators measure time the same way and
// keep mergeable statistics.
func (c *timingConfig) compatible(o *timingConfig) bool {
	return sameMeasure(c.measure, o.measure) && c.stats.sameState(&o.stats)
}

// sameMeasure compares measures without panicking on incomparable types;
// those are only equal to themselves when they are the same pointer-like
// value, so they compare unequal here.
func sameMeasure(a, b timeMeasure) bool {
	if a == nil {
		a = calendarTime{}
	}
	if b == nil {
		b = calendarTime{}
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb || !ta.Comparable() {
		return false
	}
	return a == b
}

// checkTiming checks, without allocating, the statistics settings that
// every timing calculator has.
func checkTiming(s *DurationsSettings) error { return s.check() }

// newTiming resolves the settings every timing calculator shares: its
// business hours (nil: calendar time) and its [DurationsSettings].
func newTiming(bh *BusinessHours, s *DurationsSettings) (timingConfig, error) {
	stats, err := s.config()
	if err != nil {
		return timingConfig{}, err
	}
	c := timingConfig{stats: stats}
	if bh != nil {
		c.measure = bh
	}
	return c, nil
}

// measureErr labels an error of the time measure with where it happened. The
// result is an [*InputError] for errors.As and still matches the measure's
// own error (a business calendar that is never open) for errors.Is.
func measureErr(id string, i int, err error) error {
	return fmt.Errorf("%w: %w", eventErrorf(id, i, "time", "measuring elapsed time"), err)
}

// encodeStats and decodeStats embed a Durations in a calculator's encoding.
func encodeStats(e *encoder, d *Durations) {
	b, _ := d.MarshalBinary()
	e.bytes(b)
}

func decodeStats(dec *decoder, into *Durations) {
	b := dec.bytes()
	if dec.err != nil {
		return
	}
	if err := into.UnmarshalBinary(b); err != nil {
		dec.fail("durations: %v", err)
	}
}
