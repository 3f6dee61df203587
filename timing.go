package chatkpi

import (
	"fmt"
	"reflect"
	"time"
)

// TimingOption is accepted by every timing calculator ([FirstResponseTime],
// [ResponseTime], [ResolutionTime], [ChatDuration], [QueueWait]): the
// [TimeMeasure] and the statistics settings ([StatsOption]).
type TimingOption interface {
	FirstResponseOption
	ResponseTimeOption
	ResolutionTimeOption
	ChatDurationOption
	QueueWaitOption
	applyTiming(*timingConfig)
}

// timingConfig is what every timing calculator shares.
type timingConfig struct {
	measure TimeMeasure // nil means CalendarTime{}
	stats   durationsConfig
}

func (c *timingConfig) elapsed(from, to time.Time) (time.Duration, error) {
	if c.measure == nil {
		return CalendarTime{}.Elapsed(from, to)
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
func sameMeasure(a, b TimeMeasure) bool {
	if a == nil {
		a = CalendarTime{}
	}
	if b == nil {
		b = CalendarTime{}
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb || !ta.Comparable() {
		return false
	}
	return a == b
}

func (c *timingConfig) newStats() (Durations, error) {
	if err := c.stats.validate(); err != nil {
		return Durations{}, err
	}
	return Durations{cfg: c.stats}, nil
}

type measureOption struct{ m TimeMeasure }

// WithTimeMeasure measures every duration with m, for example a
// business-hours calendar. Default (and nil): [CalendarTime], plain elapsed
// time. The measure is not part of MarshalBinary: decode into a calculator
// built with the same measure. Merge requires equal measures (==, so the
// same *BusinessHours pointer, not merely an equal calendar); measures of
// incomparable types never merge.
func WithTimeMeasure(m TimeMeasure) TimingOption { return measureOption{m} }

func (o measureOption) applyTiming(c *timingConfig)         { c.measure = o.m }
func (o measureOption) applyFirstResponse(c *frtConfig)     { o.applyTiming(&c.timingConfig) }
func (o measureOption) applyResponseTime(c *responseConfig) { o.applyTiming(&c.timingConfig) }
func (o measureOption) applyResolutionTime(c *resolutionConfig) {
	o.applyTiming(&c.timingConfig)
}
func (o measureOption) applyChatDuration(c *handleConfig) { o.applyTiming(&c.timingConfig) }
func (o measureOption) applyQueueWait(c *queueConfig)     { o.applyTiming(&c.timingConfig) }

func (f statsOption) applyFirstResponse(c *frtConfig)         { f(&c.stats) }
func (f statsOption) applyResponseTime(c *responseConfig)     { f(&c.stats) }
func (f statsOption) applyResolutionTime(c *resolutionConfig) { f(&c.stats) }
func (f statsOption) applyChatDuration(c *handleConfig)       { f(&c.stats) }
func (f statsOption) applyQueueWait(c *queueConfig)           { f(&c.stats) }

// measureErr labels an error of the TimeMeasure with where it happened. The
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
