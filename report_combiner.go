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
// workers (settings holding functions or business hours cannot be shipped);
// the accumulator *Report implements [encoding.BinaryMarshaler] and
// [encoding.BinaryUnmarshaler], which Beam uses to encode it, and a
// zero-value Report decodes any encoding of a report with calendar time.
//
// The zero value is an ungrouped report with exact percentiles in UTC.
// The grouping settings are names, which Beam can ship; the metrics'
// settings are those of [ReportSettings], except that business hours cannot
// be shipped: the report measures calendar time.
type ReportCombiner struct {
	// Period is "", "day", "week", "month" or "year".
	Period string
	// TimeZone is an IANA zone name such as "Europe/Berlin"; "" is UTC.
	TimeZone string
	// WeekStart is the first day of a week, "monday" … "sunday"; "" is
	// Monday.
	WeekStart string
	// GroupBy lists grouping names as [ParseGrouping] reads them: "agent",
	// "handler", "source", "channel", "priority", "dim:NAME".
	GroupBy []string
	// Metrics restricts the report to the named metrics ([ParseMetric]:
	// "first_response_time", "csat", ...); empty means all of them.
	Metrics []string
	// Priorities is the ordered list of ticket priorities, as in
	// [ReportSettings].Priorities.
	Priorities [MaxPriorities]string

	// The settings of each metric, as in [ReportSettings].
	FirstResponse  FirstResponseSettings
	ResponseTime   ResponseTimeSettings
	ResolutionTime ResolutionTimeSettings
	ChatDuration   ChatDurationSettings
	QueueWait      QueueWaitSettings
	CSAT           CSATSettings
	CES            CESSettings
	Outcomes       OutcomesSettings
	WaitTimes      WaitTimesSettings
}

// Settings returns the report settings described by c, or an error
// wrapping [ErrInvalid] for an unknown period, zone, weekday, grouping or
// metric, or business hours (which Beam cannot ship). The metrics' settings
// are checked by [NewReport].
func (c ReportCombiner) Settings() (ReportSettings, error) {
	s := ReportSettings{FirstResponse: c.FirstResponse, ResponseTime: c.ResponseTime,
		ResolutionTime: c.ResolutionTime, ChatDuration: c.ChatDuration, QueueWait: c.QueueWait,
		CSAT: c.CSAT, CES: c.CES, Outcomes: c.Outcomes, WaitTimes: c.WaitTimes, Priorities: c.Priorities}
	for _, m := range []*BusinessHours{c.FirstResponse.BusinessHours, c.ResponseTime.BusinessHours,
		c.ResolutionTime.BusinessHours, c.ChatDuration.BusinessHours, c.QueueWait.BusinessHours, c.WaitTimes.BusinessHours} {
		if err := shippable(m); err != nil {
			return s, err
		}
	}
	if c.Period != "" {
		p, err := ParsePeriod(c.Period)
		if err != nil {
			return s, err
		}
		s.Period = p
	}
	loc := time.UTC
	if c.TimeZone != "" {
		var err error
		if loc, err = loadZone(c.TimeZone); err != nil {
			return s, err
		}
	}
	week := time.Monday
	if c.WeekStart != "" {
		var ok bool
		if week, ok = parseWeekday(c.WeekStart); !ok {
			return s, invalidf("week start", "%q is not a weekday", c.WeekStart)
		}
	}
	var err error
	if s.Periods, err = NewPeriods(loc, week); err != nil {
		return s, err
	}
	if len(c.GroupBy) > MaxGroupings {
		return s, invalidf("grouping", "%d groupings, at most %d", len(c.GroupBy), MaxGroupings)
	}
	for i, name := range c.GroupBy {
		if s.GroupBy[i], err = ParseGrouping(name); err != nil {
			return s, err
		}
	}
	for _, name := range c.Metrics {
		m, err := ParseMetric(name)
		if err != nil {
			return s, err
		}
		s.Metrics |= m
	}
	return s, nil
}

// shippable rejects business hours in the settings of a combine function.
func shippable(bh *BusinessHours) error {
	if bh != nil {
		return invalidf("business hours", "a combine function cannot ship business hours (each worker would decode a calendar of its own, and calendars merge only when they are the same): it measures calendar time")
	}
	return nil
}

// CreateAccumulator returns an empty report. Invalid settings give a report
// that returns the settings' error from every method (Beam's signature has
// no error here).
func (c ReportCombiner) CreateAccumulator() *Report {
	s, err := c.Settings()
	var r *Report
	if err == nil {
		r, err = NewReport(s)
	}
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
