package chatkpi

import (
	"fmt"
	"time"
)

// ReportCombiner builds [Report]s from plain, serializable settings, in the
// shape of an Apache Beam combine function: Beam's Go SDK finds
// CreateAccumulator, AddInput, MergeAccumulators and ExtractOutput by
// method name, so a ReportCombiner value can be passed to beam.Combine /
// beam.CombinePerKey as is, without this package importing Beam. Its fields
// are plain data because Beam serializes the combine function to ship it to
// workers (options holding functions or a [TimeMeasure] cannot be shipped);
// the accumulator *Report implements [encoding.BinaryMarshaler] and
// [encoding.BinaryUnmarshaler], which Beam uses to encode it, and a
// zero-value Report decodes any encoding of a report with calendar time.
//
// The zero value is an ungrouped report with exact percentiles in UTC.
type ReportCombiner struct {
	// Period is "", "day", "week", "month" or "year".
	Period string
	// TimeZone is an IANA zone name such as "Europe/Berlin"; "" is UTC.
	TimeZone string
	// WeekStart is the first day of a week, "monday" … "sunday"; "" is
	// Monday.
	WeekStart string
	// GroupBy lists grouping names as [ParseGrouping] reads them: "agent",
	// "handler", "source", "channel", "dim:NAME".
	GroupBy []string
	// Streaming selects sketches with RelativeAccuracy (0: the default 1 %).
	Streaming        bool
	RelativeAccuracy float64
	// Quantiles adds percentiles to p50, p90, p95 and p99, as quantiles in
	// (0, 1).
	Quantiles []float64
	// Metrics restricts the report to the named metrics ([ParseMetric]:
	// "first_response_time", "csat", ...); empty means all of them.
	Metrics []string
}

// Options returns the report options described by c, or an error wrapping
// [ErrInvalid] for an unknown period, zone, weekday or grouping.
func (c ReportCombiner) Options() ([]ReportOption, error) {
	var opts []ReportOption
	if c.Period != "" {
		p, err := ParsePeriod(c.Period)
		if err != nil {
			return nil, err
		}
		opts = append(opts, ReportPeriod(p))
	}
	loc := time.UTC
	if c.TimeZone != "" {
		var err error
		if loc, err = loadZone(c.TimeZone); err != nil {
			return nil, err
		}
	}
	week := time.Monday
	if c.WeekStart != "" {
		var ok bool
		if week, ok = parseWeekday(c.WeekStart); !ok {
			return nil, invalidf("week start", "%q is not a weekday", c.WeekStart)
		}
	}
	ps, err := NewPeriods(loc, week)
	if err != nil {
		return nil, err
	}
	opts = append(opts, ReportPeriods(ps))
	gs := make([]Grouping, len(c.GroupBy))
	for i, name := range c.GroupBy {
		if gs[i], err = ParseGrouping(name); err != nil {
			return nil, err
		}
	}
	if len(gs) > 0 {
		opts = append(opts, ReportGroupBy(gs...))
	}
	if c.Streaming {
		opts = append(opts, ReportStreaming(c.RelativeAccuracy))
	}
	if len(c.Quantiles) > 0 {
		opts = append(opts, ReportQuantiles(c.Quantiles...))
	}
	if len(c.Metrics) > 0 {
		ms := make([]Metric, len(c.Metrics))
		for i, name := range c.Metrics {
			if ms[i], err = ParseMetric(name); err != nil {
				return nil, err
			}
		}
		opts = append(opts, ReportMetrics(ms...))
	}
	return opts, nil
}

// NewReport returns an empty report with c's settings.
func (c ReportCombiner) NewReport() (*Report, error) {
	opts, err := c.Options()
	if err != nil {
		return nil, err
	}
	return NewReport(opts...)
}

// CreateAccumulator returns an empty report. Invalid settings give a report
// that returns the settings' error from every method (Beam's signature has
// no error here).
func (c ReportCombiner) CreateAccumulator() *Report {
	r, err := c.NewReport()
	if err != nil {
		return &Report{err: fmt.Errorf("report combiner: %w", err)}
	}
	return r
}

// AddInput adds a conversation to acc and returns acc.
func (c ReportCombiner) AddInput(acc *Report, conv *Chat) (*Report, error) {
	if err := acc.AddConversation(conv); err != nil {
		return nil, err
	}
	return acc, nil
}

// MergeAccumulators merges b into a and returns a.
func (c ReportCombiner) MergeAccumulators(a, b *Report) (*Report, error) {
	if err := a.Merge(b); err != nil {
		return nil, err
	}
	return a, nil
}

// ExtractOutput returns the summary of acc.
func (c ReportCombiner) ExtractOutput(acc *Report) (*Summary, error) {
	return acc.Summary()
}
