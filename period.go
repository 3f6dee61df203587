package chatkpi

import (
	"fmt"
	"time"
)

// Period is a calendar bucket size for grouping by time.
type Period uint8

// The periods. Their zero value is not a period.
const (
	Day Period = iota + 1
	Week
	Month
	Year
)

// String returns "day", "week", "month" or "year".
func (p Period) String() string {
	switch p {
	case Day:
		return "day"
	case Week:
		return "week"
	case Month:
		return "month"
	case Year:
		return "year"
	}
	return fmt.Sprintf("Period(%d)", uint8(p))
}

// check accepts 0 (a setting's default) and Day to Year, and returns an
// error wrapping [ErrInvalid] for anything else.
func (p Period) check() error {
	if p > Year {
		return invalidf("period", "%d is not day, week, month or year", uint8(p))
	}
	return nil
}

// ParsePeriod reads "day", "week", "month" or "year".
func ParsePeriod(s string) (Period, error) {
	for p := Day; p <= Year; p++ {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, invalidf("period", "%q is not one of day, week, month, year", s)
}

// Periods assigns instants to day, week, month and year buckets in an IANA
// time zone. The zero value uses UTC and weeks starting on Monday (ISO 8601);
// [NewPeriods] chooses others. A Periods is a small value, safe to copy and
// to use from several goroutines.
type Periods struct {
	loc *time.Location
	// weekStart is stored as days after Monday so that the zero value means
	// Monday.
	weekStart int
}

// NewPeriods returns buckets in the time zone loc (nil means UTC) with weeks
// starting on weekStart.
func NewPeriods(loc *time.Location, weekStart time.Weekday) (Periods, error) {
	if weekStart < time.Sunday || weekStart > time.Saturday {
		return Periods{}, invalidf("week start", "%d is not a weekday", int(weekStart))
	}
	return Periods{loc: loc, weekStart: (int(weekStart) + 6) % 7}, nil
}

// Location returns the time zone of the buckets (UTC for the zero value).
func (ps Periods) Location() *time.Location {
	if ps.loc == nil {
		return time.UTC
	}
	return ps.loc
}

// WeekStart returns the first day of a week (Monday for the zero value).
func (ps Periods) WeekStart() time.Weekday {
	return time.Weekday((ps.weekStart + 1) % 7)
}

// Start returns the first instant of the bucket of size p that contains t, in
// the buckets' time zone: local midnight of the day, of the first day of the
// week, month or year. On a day when midnight does not exist because of a
// daylight-saving jump, it is the first instant of that day.
func (ps Periods) Start(t time.Time, p Period) time.Time {
	t = t.In(ps.Location())
	y, m, d := t.Date()
	switch p {
	case Week:
		back := (int(t.Weekday()) - int(ps.WeekStart()) + 7) % 7
		d -= back
	case Month:
		d = 1
	case Year:
		m, d = time.January, 1
	}
	return localMidnight(y, m, d, ps.Location())
}

// Next returns the start of the bucket after the one that starts at start.
func (ps Periods) Next(start time.Time, p Period) time.Time {
	t := start.In(ps.Location())
	y, m, d := t.Date()
	switch p {
	case Day:
		d++
	case Week:
		d += 7
	case Month:
		m++
	case Year:
		y++
	}
	return localMidnight(y, m, d, ps.Location())
}

// Label formats the bucket of size p that contains t: "2026-11-23" for a day
// or for the first day of a week, "2026-11" for a month, "2026" for a year.
func (ps Periods) Label(t time.Time, p Period) string {
	s := ps.Start(t, p)
	switch p {
	case Month:
		return s.Format("2006-01")
	case Year:
		return s.Format("2006")
	}
	return s.Format("2006-01-02")
}

// localMidnight returns the first instant of the local day y-m-d (which is
// later than 00:00 where a daylight-saving jump skips midnight). Overflowing
// days and months are normalised as [time.Date] does.
func localMidnight(y int, m time.Month, d int, loc *time.Location) time.Time {
	y, m, d = time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	// Where 00:00 does not exist, time.Date may move it back onto the previous
	// day; step forward to the first instant of the right day (offset changes
	// happen on quarter hours).
	for i := 0; i < 96; i++ {
		if ty, tm, td := t.Date(); ty == y && tm == m && td == d {
			break
		}
		t = t.Add(15 * time.Minute)
	}
	return t
}
