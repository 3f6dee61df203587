package chatkpi

import (
	"errors"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func weekdays(start, end time.Duration) []OpeningRange {
	var rs []OpeningRange
	for d := time.Monday; d <= time.Friday; d++ {
		rs = append(rs, OpeningRange{Day: d, Start: start, End: end})
	}
	return rs
}

func TestBusinessHoursMetricsExample(t *testing.T) {
	// METRICS.md: an 8-hour working day Monday–Friday; a message at 00:00 on
	// Sunday answered at 23:59 on the following Saturday waited 5 × 8 h.
	b, err := NewBusinessHours(time.UTC, weekdays(9*time.Hour, 17*time.Hour))
	require.NoError(t, err)
	from := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC) // a Sunday
	to := time.Date(2026, 11, 28, 23, 59, 0, 0, time.UTC) // the Saturday after
	require.Equal(t, time.Sunday, from.Weekday())
	require.Equal(t, time.Saturday, to.Weekday())
	d, err := b.Elapsed(from, to)
	require.NoError(t, err)
	assert.Equal(t, 144000.0, d.Seconds())
}

func TestBusinessHoursKnownAnswers(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	newYork := mustLoad(t, "America/New_York")
	h := time.Hour

	// Berlin: Monday–Friday 08:00–16:00, Friday night 22:00–06:00, Sunday
	// 00:00–06:00 (contains the 02:00 jump on the last Sunday of March and
	// of October: 2026-03-29 and 2026-10-25).
	berlinHours := append(weekdays(8*h, 16*h),
		OpeningRange{Day: time.Friday, Start: 22 * h, End: 6 * h},
		OpeningRange{Day: time.Sunday, Start: 0, End: 6 * h})
	berlinCal, err := NewBusinessHours(berlin, berlinHours)
	require.NoError(t, err)
	// Friday 2026-03-27 is a holiday; so is Saturday 2026-03-28, which
	// closes the morning of the Friday night range that runs into it.
	berlinHol, err := NewBusinessHours(berlin, berlinHours, Holiday{2026, 3, 27}, Holiday{2026, 3, 28})
	require.NoError(t, err)
	berlinSat, err := NewBusinessHours(berlin, berlinHours, Holiday{2026, 3, 28})
	require.NoError(t, err)

	// New York: Monday–Friday 09:00–17:00 and Saturday night 22:00–06:00,
	// which crosses the 02:00 jump of the second Sunday of March
	// (2026-03-08) and of the first Sunday of November (2026-11-01).
	nyHours := append(weekdays(9*h, 17*h), OpeningRange{Day: time.Saturday, Start: 22 * h, End: 6 * h})
	nyCal, err := NewBusinessHours(newYork, nyHours, Holiday{2026, 11, 26})
	require.NoError(t, err)
	nySatHoliday, err := NewBusinessHours(newYork, nyHours, Holiday{2026, 3, 7})
	require.NoError(t, err)

	bt := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, berlin) }
	nt := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, newYork) }
	tests := []struct {
		name     string
		cal      *BusinessHours
		from, to time.Time
		want     time.Duration
	}{
		{"berlin spring weekend: Sat 6 h + Sun 00–06 short by the jump", berlinCal, bt(2026, 3, 28, 0, 0), bt(2026, 3, 30, 0, 0), 6*h + 5*h},
		{"berlin autumn weekend: Sat 6 h + Sun 00–06 long by the repeat", berlinCal, bt(2026, 10, 24, 0, 0), bt(2026, 10, 26, 0, 0), 6*h + 7*h},
		{"berlin spring Fri–Mon noon", berlinCal, bt(2026, 3, 27, 0, 0), bt(2026, 3, 30, 12, 0), 8*h + 8*h + 5*h + 4*h},
		{"berlin across the jump 01:30–03:30 is one real hour", berlinCal, bt(2026, 3, 29, 1, 30), bt(2026, 3, 29, 3, 30), h},
		{"berlin across the repeat 01:30–03:30 is three real hours", berlinCal, bt(2026, 10, 25, 1, 30), bt(2026, 10, 25, 3, 30), 3 * h},
		{"berlin holidays Friday and Saturday close the Friday ranges", berlinHol, bt(2026, 3, 27, 0, 0), bt(2026, 3, 30, 12, 0), 5*h + 4*h},
		{"berlin holiday Saturday closes the morning of the Friday night range", berlinSat, bt(2026, 3, 27, 20, 0), bt(2026, 3, 28, 12, 0), 2 * h},
		{"berlin holiday Saturday, a whole week around it", berlinSat, bt(2026, 3, 21, 0, 0), bt(2026, 4, 4, 0, 0), 6*h + 6*h + 40*h + 2*h + 5*h + 40*h + 2*h},
		{"berlin whole spring week", berlinCal, bt(2026, 3, 23, 0, 0), bt(2026, 3, 30, 0, 0), 40*h + 8*h + 5*h},
		{"berlin whole autumn week", berlinCal, bt(2026, 10, 19, 0, 0), bt(2026, 10, 26, 0, 0), 40*h + 8*h + 7*h},
		{"berlin inside a range", berlinCal, bt(2026, 3, 24, 9, 15), bt(2026, 3, 24, 10, 0), 45 * time.Minute},
		{"berlin closed span", berlinCal, bt(2026, 3, 24, 16, 0), bt(2026, 3, 25, 8, 0), 0},
		{"new york spring Saturday night 22–06 is 7 h", nyCal, nt(2026, 3, 7, 0, 0), nt(2026, 3, 8, 12, 0), 7 * h},
		{"new york autumn Saturday night 22–06 is 9 h", nyCal, nt(2026, 10, 31, 0, 0), nt(2026, 11, 1, 12, 0), 9 * h},
		{"new york spring week: Sunday tail 5 h + 40 h + Saturday 2 h", nyCal, nt(2026, 3, 8, 0, 0), nt(2026, 3, 15, 0, 0), 5*h + 40*h + 2*h},
		{"new york Thanksgiving week", nyCal, nt(2026, 11, 23, 0, 0), nt(2026, 11, 30, 0, 0), 32*h + 8*h},
		{"new york holiday Saturday keeps the night range's Sunday part", nySatHoliday, nt(2026, 3, 7, 0, 0), nt(2026, 3, 8, 12, 0), 5 * h},
		{"new york a year", nyCal, nt(2026, 1, 1, 0, 0), nt(2027, 1, 1, 0, 0), yearNY(t, newYork)},
		{"equal instants", berlinCal, bt(2026, 3, 24, 9, 0), bt(2026, 3, 24, 9, 0), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cal.Elapsed(tc.from, tc.to)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want, refElapsed(tc.cal, tc.from, tc.to), "reference")
		})
	}
}

// yearNY counts 2026 for the New York calendar by hand: the weekdays but
// Thanksgiving at 8 h, and 52 Saturday nights of 8 h (2026 starts on a
// Thursday and its last Saturday night ends on 27 December), of which the
// March night is 1 h shorter and the November night 1 h longer.
func yearNY(t *testing.T, loc *time.Location) time.Duration {
	weekdaysIn2026, saturdays := 0, 0
	for d := time.Date(2026, 1, 1, 12, 0, 0, 0, loc); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		switch d.Weekday() {
		case time.Saturday:
			saturdays++
		case time.Sunday:
		default:
			weekdaysIn2026++
		}
	}
	require.Equal(t, 261, weekdaysIn2026)
	require.Equal(t, 52, saturdays)
	return time.Duration(weekdaysIn2026-1)*8*time.Hour + time.Duration(saturdays)*8*time.Hour - time.Hour + time.Hour
}

// TestBusinessHoursBoundaryInDSTHour checks the rule for opening and closing
// times that the clock skips or reads twice.
func TestBusinessHoursBoundaryInDSTHour(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	h, m := time.Hour, time.Minute
	tests := []struct {
		name       string
		start, end time.Duration
		day        int // of the Sunday, in March (29) or October (25) 2026
		month      time.Month
		want       time.Duration
	}{
		{"opens at a repeated 02:30: its first occurrence", 2*h + 30*m, 5 * h, 25, time.October, 3*h + 30*m},
		{"closes at a repeated 02:30: its first occurrence", 0, 2*h + 30*m, 25, time.October, 2*h + 30*m},
		{"inside the repeated hour", 2*h + 15*m, 2*h + 45*m, 25, time.October, 30 * m},
		{"opens at a skipped 02:30: the jump", 2*h + 30*m, 4 * h, 29, time.March, h},
		{"closes at a skipped 02:30: the jump", 0, 2*h + 30*m, 29, time.March, 2 * h},
		{"inside the skipped hour: empty", 2*h + 15*m, 2*h + 45*m, 29, time.March, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBusinessHours(berlin, []OpeningRange{{Day: time.Sunday, Start: tc.start, End: tc.end}})
			require.NoError(t, err)
			from := time.Date(2026, tc.month, tc.day-1, 12, 0, 0, 0, berlin)
			got, err := b.Elapsed(from, from.Add(24*h))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want, refElapsed(b, from, from.Add(24*h)), "reference")
		})
	}
}

func TestBusinessHoursRepeatedHour(t *testing.T) {
	// Sunday 00:00–02:30 on 2026-10-25 in Berlin closes at the first 02:30
	// (00:30 UTC); during the repeated hour the clock reads 02:20 again at
	// 01:20 UTC, when the business is already closed.
	berlin := mustLoad(t, "Europe/Berlin")
	b, err := NewBusinessHours(berlin, []OpeningRange{{Day: time.Sunday, Start: 0, End: 2*time.Hour + 30*time.Minute}})
	require.NoError(t, err)
	utc := func(hh, mm int) time.Time { return time.Date(2026, 10, 25, hh, mm, 0, 0, time.UTC) }
	assert.True(t, b.IsOpen(utc(0, 20)), "02:20 CEST")
	assert.False(t, b.IsOpen(utc(0, 30)), "02:30 CEST")
	assert.False(t, b.IsOpen(utc(1, 20)), "02:20 CET")
	d, err := b.Elapsed(utc(1, 10), utc(3, 0))
	require.NoError(t, err)
	assert.Zero(t, d)
	d, err = b.Elapsed(utc(0, 10), utc(3, 0))
	require.NoError(t, err)
	assert.Equal(t, 20*time.Minute, d)
}

// TestBusinessHoursHolidayClosesItsDate: a holiday closes its whole local
// date, also the morning part of an overnight range that opened the evening
// before, and nothing of the next date (issue 10).
func TestBusinessHoursHolidayClosesItsDate(t *testing.T) {
	h := time.Hour
	tuesdayNight := []OpeningRange{{Day: time.Tuesday, Start: 22 * h, End: 6 * h}}
	mayDay, err := NewBusinessHours(time.UTC, tuesdayNight, Holiday{2024, 5, 1}) // a Wednesday
	require.NoError(t, err)
	tuesdayHoliday, err := NewBusinessHours(time.UTC, tuesdayNight, Holiday{2024, 4, 30})
	require.NoError(t, err)
	at := func(m time.Month, d, hh int) time.Time { return time.Date(2024, m, d, hh, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		cal      *BusinessHours
		from, to time.Time
		want     time.Duration
	}{
		{"30 April 22:00–24:00 only", mayDay, at(4, 30, 20), at(5, 1, 12), 2 * h},
		// Whole weeks from Wednesday 17 April: the second one would reach
		// into 1 May with Tuesday 30 April's night. Tuesdays: the morning of
		// 16 April's night (6 h), 23 April (8 h), 30 April (2 h), 7, 14 and
		// 21 May (8 h each), 28 May until 24:00 (2 h).
		{"six weeks around the holiday", mayDay, at(4, 17, 0), at(5, 29, 0), 6*h + 8*h + 2*h + 3*8*h + 2*h},
		{"the holiday's own night: its morning part is on 1 May", tuesdayHoliday, at(4, 30, 20), at(5, 1, 12), 6 * h},
		{"six weeks with the Tuesday holiday", tuesdayHoliday, at(4, 17, 0), at(5, 29, 0), 6*h + 8*h + 6*h + 3*8*h + 2*h},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cal.Elapsed(tc.from, tc.to)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want, refElapsed(tc.cal, tc.from, tc.to), "reference")
		})
	}
	assert.False(t, mayDay.IsOpen(at(5, 1, 3)), "1 May 03:00, in Tuesday's night range")
	assert.True(t, mayDay.IsOpen(at(4, 30, 23)), "30 April 23:00")
	assert.True(t, tuesdayHoliday.IsOpen(at(5, 1, 3)), "1 May 03:00 after the Tuesday holiday")
}

func TestBusinessHoursIsOpen(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	b, err := NewBusinessHours(berlin, []OpeningRange{
		{Day: time.Friday, Start: 22 * time.Hour, End: 6 * time.Hour},
		{Day: time.Monday, Start: 9 * time.Hour, End: 0}, // until midnight
	}, Holiday{2026, 12, 25})
	require.NoError(t, err)
	at := func(m time.Month, d, hh, mm int) time.Time { return time.Date(2026, m, d, hh, mm, 0, 0, berlin) }
	assert.True(t, b.IsOpen(at(11, 27, 22, 0)), "Friday 22:00 opens")
	assert.True(t, b.IsOpen(at(11, 28, 5, 59)), "Saturday 05:59")
	assert.False(t, b.IsOpen(at(11, 28, 6, 0)), "Saturday 06:00 closed")
	assert.False(t, b.IsOpen(at(11, 27, 21, 59)), "Friday 21:59")
	assert.True(t, b.IsOpen(at(11, 23, 23, 59)), "Monday 23:59")
	assert.False(t, b.IsOpen(at(11, 24, 0, 0)), "Tuesday 00:00")
	assert.False(t, b.IsOpen(at(12, 25, 23, 0)), "holiday Friday night")
	assert.True(t, b.IsOpen(at(12, 26, 3, 0)), "the holiday's night range after midnight is on Saturday, a working date")
	assert.False(t, b.IsOpen(at(12, 25, 3, 0)), "the holiday's own morning, of the Thursday: no range")
	assert.True(t, b.IsOpen(at(12, 19, 3, 0)), "an ordinary Saturday 03:00")
	var zero BusinessHours
	assert.False(t, zero.IsOpen(at(11, 27, 23, 0)))
}

func TestBusinessHoursErrors(t *testing.T) {
	b, err := NewBusinessHours(nil, weekdays(9*time.Hour, 17*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, time.UTC, b.Location(), "nil means UTC")

	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	_, err = b.Elapsed(now, now.Add(-time.Second))
	require.ErrorIs(t, err, ErrInvalid)

	var zero BusinessHours
	_, err = zero.Elapsed(now, now.Add(time.Hour))
	require.ErrorIs(t, err, ErrInvalid, "a calendar that is never open is an error, not 0")
	var nilCal *BusinessHours
	_, err = nilCal.Elapsed(now, now.Add(time.Hour))
	require.ErrorIs(t, err, ErrInvalid)

	_, err = b.Elapsed(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	require.ErrorIs(t, err, ErrInvalid, "span too long for a Duration")

	bad := []struct {
		name   string
		ranges []OpeningRange
		hol    []Holiday
		field  string
	}{
		{"no ranges", nil, nil, "ranges"},
		{"start equals end", []OpeningRange{{Day: time.Monday, Start: 9 * time.Hour, End: 9 * time.Hour}}, nil, "ranges[0]"},
		{"00:00–00:00", []OpeningRange{{Day: time.Monday, Start: 0, End: 0}}, nil, "ranges[0]"},
		{"start 24:00", []OpeningRange{{Day: time.Monday, Start: 24 * time.Hour, End: time.Hour}}, nil, "ranges[0]"},
		{"end past 24:00", []OpeningRange{{Day: time.Monday, Start: 0, End: 25 * time.Hour}}, nil, "ranges[0]"},
		{"negative start", []OpeningRange{{Day: time.Monday, Start: -time.Hour, End: time.Hour}}, nil, "ranges[0]"},
		{"fraction of a second", []OpeningRange{{Day: time.Monday, Start: time.Millisecond, End: time.Hour}}, nil, "ranges[0]"},
		{"bad weekday", []OpeningRange{{Day: 7, Start: 0, End: time.Hour}}, nil, "ranges[0]"},
		{"overlap", []OpeningRange{{Day: time.Monday, Start: 9 * time.Hour, End: 12 * time.Hour}, {Day: time.Monday, Start: 11 * time.Hour, End: 14 * time.Hour}}, nil, "ranges[0]"},
		{"overnight overlaps next day", []OpeningRange{{Day: time.Tuesday, Start: 5 * time.Hour, End: 7 * time.Hour}, {Day: time.Monday, Start: 22 * time.Hour, End: 6 * time.Hour}}, nil, "ranges[1]"},
		{"overlap across the week end", []OpeningRange{{Day: time.Sunday, Start: 5 * time.Hour, End: 7 * time.Hour}, {Day: time.Saturday, Start: 22 * time.Hour, End: 6 * time.Hour}}, nil, "ranges[1]"},
		{"bad holiday", weekdays(time.Hour, 2*time.Hour), []Holiday{{2026, 2, 30}}, "holidays[0]"},
		{"holiday twice", weekdays(time.Hour, 2*time.Hour), []Holiday{{2026, 12, 25}, {2026, 12, 25}}, "holidays[1]"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewBusinessHours(time.UTC, tc.ranges, tc.hol...)
			require.ErrorIs(t, err, ErrInvalid)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.field, ie.Field, err.Error())
		})
	}

	// Touching ranges are fine, also across midnight and the week's end.
	_, err = NewBusinessHours(time.UTC, []OpeningRange{
		{Day: time.Monday, Start: 9 * time.Hour, End: 12 * time.Hour},
		{Day: time.Monday, Start: 12 * time.Hour, End: 0},
		{Day: time.Tuesday, Start: 0, End: 24 * time.Hour},
		{Day: time.Saturday, Start: 22 * time.Hour, End: 0},
		{Day: time.Sunday, Start: 0, End: time.Hour},
	})
	require.NoError(t, err)
}

func TestParseBusinessHours(t *testing.T) {
	data := []byte(`{
  "time_zone": "Europe/Berlin",
  "hours": {
    "monday": [["09:00", "12:30"], ["13:30", "17:00"]],
    "Friday": [["09:00", "17:00"], ["22:00", "06:00"]],
    "sunday": [["00:00", "24:00"]],
    "tuesday": []
  },
  "holidays": ["2026-12-26", "2026-12-25"]
}`)
	b, err := ParseBusinessHours(data)
	require.NoError(t, err)
	assert.Equal(t, "Europe/Berlin", b.Location().String())
	assert.Equal(t, []OpeningRange{
		{time.Sunday, 0, 24 * time.Hour},
		{time.Monday, 9 * time.Hour, 12*time.Hour + 30*time.Minute},
		{time.Monday, 13*time.Hour + 30*time.Minute, 17 * time.Hour},
		{time.Friday, 9 * time.Hour, 17 * time.Hour},
		{time.Friday, 22 * time.Hour, 6 * time.Hour},
	}, b.Ranges())
	assert.Equal(t, []Holiday{{2026, 12, 25}, {2026, 12, 26}}, b.Holidays())

	out, err := b.MarshalJSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"time_zone":"Europe/Berlin","hours":{
		"monday":[["09:00","12:30"],["13:30","17:00"]],
		"friday":[["09:00","17:00"],["22:00","06:00"]],
		"sunday":[["00:00","24:00"]]},
		"holidays":["2026-12-25","2026-12-26"]}`, string(out))

	var c BusinessHours
	require.NoError(t, c.UnmarshalJSON(out))
	assert.Equal(t, b.Ranges(), c.Ranges())

	tests := []struct {
		name, in     string
		field, inMsg string
		line         int
	}{
		{"not a time", `{"time_zone":"UTC","hours":{"monday":[["09:00","17:00"],["10:00","25:00"]]}}`, "hours.monday[1]", `"25:00" is not a time of day`, 0},
		{"never open", `{"time_zone":"UTC","hours":{"monday":[]}}`, "hours", "never open", 0},
		{"no hours", `{"time_zone":"UTC"}`, "hours", "never open", 0},
		{"missing zone", `{"hours":{"monday":[["09:00","17:00"]]}}`, "time_zone", "missing", 0},
		{"Local", `{"time_zone":"Local","hours":{"monday":[["09:00","17:00"]]}}`, "time_zone", "Local", 0},
		{"unknown zone", `{"time_zone":"Mars/Olympus","hours":{"monday":[["09:00","17:00"]]}}`, "time_zone", "Mars/Olympus", 0},
		{"zone not a string", `{"time_zone":1,"hours":{"monday":[["09:00","17:00"]]}}`, "time_zone", "string", 0},
		{"unknown field", `{"time_zone":"UTC","holiday":[],"hours":{"monday":[["09:00","17:00"]]}}`, "holiday", "unknown field", 0},
		{"unknown day", `{"time_zone":"UTC","hours":{"mondey":[["09:00","17:00"]]}}`, "hours.mondey", "unknown day", 0},
		{"day twice", `{"time_zone":"UTC","hours":{"monday":[["09:00","10:00"]],"Monday":[["11:00","17:00"]]}}`, "hours.Monday", "twice", 0},
		{"key twice", `{"time_zone":"UTC","time_zone":"UTC","hours":{"monday":[["09:00","17:00"]]}}`, "time_zone", "twice", 0},
		{"not pairs", `{"time_zone":"UTC","hours":{"monday":["09:00","17:00"]}}`, "hours.monday[0]", "[open, close]", 0},
		{"three times", `{"time_zone":"UTC","hours":{"monday":[["09:00","12:00","17:00"]]}}`, "hours.monday[0]", "[open, close]", 0},
		{"number", `{"time_zone":"UTC","hours":{"monday":[["09:00",17]]}}`, "hours.monday[0]", "strings", 0},
		{"day not a list", `{"time_zone":"UTC","hours":{"monday":{}}}`, "hours.monday", "list", 0},
		{"hours not an object", `{"time_zone":"UTC","hours":[]}`, "hours", "object", 0},
		{"open at 24:00", `{"time_zone":"UTC","hours":{"monday":[["24:00","06:00"]]}}`, "hours.monday[0]", `"24:00"`, 0},
		{"24:30", `{"time_zone":"UTC","hours":{"monday":[["09:00","24:30"]]}}`, "hours.monday[0]", `"24:30"`, 0},
		{"9:00", `{"time_zone":"UTC","hours":{"monday":[["9:00","17:00"]]}}`, "hours.monday[0]", `"9:00"`, 0},
		{"start equals end", `{"time_zone":"UTC","hours":{"monday":[["09:00","09:00"]]}}`, "hours.monday[0]", "24:00", 0},
		{"overlap", `{"time_zone":"UTC","hours":{"friday":[["22:00","06:00"]],"saturday":[["05:00","07:00"]]}}`, "hours.friday[0]", "overlaps hours.saturday[0]", 0},
		{"bad holiday", `{"time_zone":"UTC","hours":{"monday":[["09:00","17:00"]]},"holidays":["2026-02-30"]}`, "holidays[0]", "2026-02-30", 0},
		{"holiday twice", `{"time_zone":"UTC","hours":{"monday":[["09:00","17:00"]]},"holidays":["2026-12-25","2026-12-25"]}`, "holidays[1]", "twice", 0},
		{"holidays not a list", `{"time_zone":"UTC","hours":{"monday":[["09:00","17:00"]]},"holidays":"2026-12-25"}`, "holidays", "list", 0},
		{"syntax error line 3", "{\n\"time_zone\": \"UTC\",\n\"hours\": {,}\n}", "", "JSON", 3},
		{"not an object", `[]`, "calendar", "object", 0},
		{"trailing data", `{"time_zone":"UTC","hours":{"monday":[["09:00","17:00"]]}} {}`, "calendar", "after", 0},
		{"empty", ``, "", "end of input", 0},
		{"truncated", `{"time_zone":"UTC"`, "", "JSON", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBusinessHours([]byte(tc.in))
			require.ErrorIs(t, err, ErrInvalid)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.field, ie.Field, err.Error())
			assert.Contains(t, err.Error(), tc.inMsg)
			assert.Equal(t, tc.line, ie.Line, err.Error())
		})
	}
	assert.EqualError(t, func() error {
		_, err := ParseBusinessHours([]byte(`{"time_zone":"UTC","hours":{"monday":[["09:00","17:00"],["10:00","25:00"]]}}`))
		return err
	}(), `chatkpi: hours.monday[1]: "25:00" is not a time of day`)
}

// refInstant resolves a local wall time by brute force, independently of
// zoneCursor: the first instant at which the clock reads it, or the instant
// of the jump that skips it.
func refInstant(loc *time.Location, day time.Time, sec int64) time.Time {
	want := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, int(sec), 0, time.UTC)
	reads := func(t time.Time) bool {
		l := t.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).Equal(want)
	}
	wallOf := func(t time.Time) time.Time {
		l := t.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, int(sec), 0, loc)
	if reads(t) {
		for delta := 15 * time.Minute; delta <= 3*time.Hour; delta += 15 * time.Minute {
			if reads(t.Add(-delta)) {
				t = t.Add(-delta)
			}
		}
		return t
	}
	// A gap: find the jump by bisection on the offset.
	lo, hi := t.Add(-3*time.Hour), t
	if wallOf(t).Before(want) {
		lo, hi = t, t.Add(3*time.Hour)
	}
	_, loOff := lo.In(loc).Zone()
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
		if _, o := mid.In(loc).Zone(); o == loOff {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// refElapsed sums, day by day without shortcuts, the overlap with [from, to)
// of every range instance's parts on dates that are not holidays.
func refElapsed(b *BusinessHours, from, to time.Time) time.Duration {
	loc := b.Location()
	holiday := map[Holiday]bool{}
	for _, h := range b.Holidays() {
		holiday[h] = true
	}
	lf := from.In(loc)
	lt := to.In(loc)
	var total time.Duration
	for d := time.Date(lf.Year(), lf.Month(), lf.Day()-2, 12, 0, 0, 0, time.UTC); !d.After(time.Date(lt.Year(), lt.Month(), lt.Day()+1, 12, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		next := d.AddDate(0, 0, 1)
		for _, r := range b.Ranges() {
			if r.Day != d.Weekday() {
				continue
			}
			s := int64(r.Start / time.Second)
			e := int64(r.End / time.Second)
			if e <= s {
				e += 86400
			}
			// The part on d and the part after midnight, on the next date.
			for _, part := range [][2]int64{{s, min(e, 86400)}, {max(s, 86400), e}} {
				day := d
				if part[0] >= 86400 {
					day = next
				}
				if part[0] >= part[1] || holiday[Holiday{day.Year(), day.Month(), day.Day()}] {
					continue
				}
				a, z := refInstant(loc, d, part[0]), refInstant(loc, d, part[1])
				if a.Before(from) {
					a = from
				}
				if z.After(to) {
					z = to
				}
				if z.After(a) {
					total += z.Sub(a)
				}
			}
		}
	}
	return total
}

var testZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
	"America/Havana", "America/Santiago", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"}

// genRanges draws non-overlapping weekly ranges on a 15-minute grid: cut
// points on the weekly circle paired in order, each range shortened to
// below 24 h where needed.
func genRanges(t *rapid.T) []OpeningRange {
	const slots, perDay = 7 * 96, 96
	k := rapid.IntRange(1, 5).Draw(t, "ranges")
	// Half of the cut points fall between 00:00 and 04:00, where clocks change.
	cut := rapid.OneOf(rapid.IntRange(0, slots-1), rapid.Custom(func(t *rapid.T) int {
		return rapid.IntRange(0, 6).Draw(t, "day")*perDay + rapid.IntRange(0, 16).Draw(t, "small hours")
	}))
	cuts := rapid.SliceOfNDistinct(cut, 2*k, 2*k, rapid.ID[int]).Draw(t, "cuts")
	slices.Sort(cuts)
	rot := rapid.IntRange(0, slots-1).Draw(t, "rotation")
	var rs []OpeningRange
	for i := 0; i < 2*k; i += 2 {
		s := (cuts[i] + rot) % slots
		l := cuts[i+1] - cuts[i]
		if l > perDay || (l == perDay && s%perDay != 0) {
			l = perDay - 1
		}
		startSlot := s % perDay
		endSlot := startSlot + l
		r := OpeningRange{Day: time.Weekday(s / perDay), Start: time.Duration(startSlot) * 15 * time.Minute}
		if endSlot <= perDay {
			r.End = time.Duration(endSlot) * 15 * time.Minute
			if endSlot == perDay && startSlot > 0 && rapid.Bool().Draw(t, "midnight as 00:00") {
				r.End = 0
			}
		} else {
			r.End = time.Duration(endSlot-perDay) * 15 * time.Minute
		}
		rs = append(rs, r)
	}
	return rs
}

var calendarBase = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func genInstant(t *rapid.T, label string) time.Time {
	sec := rapid.Int64Range(0, 2*366*86400).Draw(t, label)
	ns := rapid.OneOf(rapid.Just(int64(0)), rapid.Int64Range(0, 999_999_999)).Draw(t, label+" ns")
	return calendarBase.Add(time.Duration(sec)*time.Second + time.Duration(ns))
}

func genCalendar(t *rapid.T) *BusinessHours {
	loc, err := time.LoadLocation(rapid.SampledFrom(testZones).Draw(t, "zone"))
	if err != nil {
		t.Fatal(err)
	}
	var hols []Holiday
	for _, d := range rapid.SliceOfNDistinct(rapid.IntRange(0, 2*366), 0, 12, rapid.ID[int]).Draw(t, "holidays") {
		y, m, dd := calendarBase.AddDate(0, 0, d).Date()
		hols = append(hols, Holiday{y, m, dd})
	}
	b, err := NewBusinessHours(loc, genRanges(t), hols...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// genSpan draws from ≤ to, mostly short (up to 20 days), sometimes long;
// often from is within 3 days before a change of the UTC offset in loc.
func genSpan(t *rapid.T, loc *time.Location) (time.Time, time.Time) {
	from := genInstant(t, "from")
	if _, end := from.In(loc).ZoneBounds(); !end.IsZero() && rapid.Bool().Draw(t, "near a transition") {
		from = end.Add(time.Duration(rapid.Int64Range(-3*86400, 2*3600).Draw(t, "from transition")) * time.Second)
	}
	var d time.Duration
	if rapid.IntRange(0, 4).Draw(t, "long") == 0 {
		d = time.Duration(rapid.Int64Range(0, 400*86400).Draw(t, "span s")) * time.Second
	} else {
		d = time.Duration(rapid.Int64Range(0, 20*86400*1e9).Draw(t, "span ns"))
	}
	return from, from.Add(d)
}

func TestBusinessHoursProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := genCalendar(t)
		from, to := genSpan(t, b.Location())
		got, err := b.Elapsed(from, to)
		if err != nil {
			t.Fatal(err)
		}
		if got < 0 || got > to.Sub(from) {
			t.Fatalf("business %v not within [0, calendar %v]", got, to.Sub(from))
		}
		if want := refElapsed(b, from, to); got != want {
			t.Fatalf("Elapsed %v, reference %v (calendar %s)", got, want, mustJSON(b))
		}
		// Additive over adjacent intervals.
		mid := from.Add(time.Duration(rapid.Int64Range(0, int64(to.Sub(from))).Draw(t, "mid")))
		d1, err1 := b.Elapsed(from, mid)
		d2, err2 := b.Elapsed(mid, to)
		if err1 != nil || err2 != nil || d1+d2 != got {
			t.Fatalf("d(a,b) %v + d(b,c) %v ≠ d(a,c) %v", d1, d2, got)
		}
		// IsOpen agrees with the reference at an instant.
		at := genInstant(t, "at")
		if _, end := at.In(b.Location()).ZoneBounds(); !end.IsZero() && rapid.Bool().Draw(t, "at near a transition") {
			at = end.Add(time.Duration(rapid.Int64Range(-3*3600, 3*3600).Draw(t, "from transition")) * time.Second)
		}
		if open, want := b.IsOpen(at), refElapsed(b, at, at.Add(1)) > 0; open != want {
			t.Fatalf("IsOpen(%s) = %v, reference %v", at.In(b.Location()), open, want)
		}
		// The JSON form reads back to the same calendar.
		c, err := ParseBusinessHours(mustJSON(b))
		if err != nil {
			t.Fatal(err)
		}
		if c2, _ := c.Elapsed(from, to); c2 != got {
			t.Fatalf("after a JSON round trip %v, before %v", c2, got)
		}
	})
}

func mustJSON(b *BusinessHours) []byte {
	out, err := b.MarshalJSON()
	if err != nil {
		panic(err)
	}
	return out
}

func TestBusinessHoursAlwaysOpenIsCalendarTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc, _ := time.LoadLocation(rapid.SampledFrom(testZones).Draw(t, "zone"))
		var rs []OpeningRange
		for d := time.Sunday; d <= time.Saturday; d++ {
			rs = append(rs, OpeningRange{Day: d, Start: 0, End: 24 * time.Hour})
		}
		b, err := NewBusinessHours(loc, rs)
		if err != nil {
			t.Fatal(err)
		}
		from, to := genSpan(t, loc)
		got, err := b.Elapsed(from, to)
		if err != nil || got != to.Sub(from) {
			t.Fatalf("24/7 calendar: %v, %v; calendar time %v", got, err, to.Sub(from))
		}
	})
}

func TestBusinessHoursClosedSpanIsZero(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc, _ := time.LoadLocation(rapid.SampledFrom(testZones).Draw(t, "zone"))
		from, to := genSpan(t, loc)
		// Every date whose ranges could reach [from, to] is a holiday.
		var hols []Holiday
		lf, lt := from.In(loc), to.In(loc)
		for d := time.Date(lf.Year(), lf.Month(), lf.Day()-2, 12, 0, 0, 0, time.UTC); !d.After(time.Date(lt.Year(), lt.Month(), lt.Day()+1, 12, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
			hols = append(hols, Holiday{d.Year(), d.Month(), d.Day()})
		}
		b, err := NewBusinessHours(loc, genRanges(t), hols...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Elapsed(from, to)
		if err != nil || got != 0 {
			t.Fatalf("closed span: %v, %v", got, err)
		}
		// And the ranges do count once the holidays are gone (15 days: a
		// range can be empty in the week the clocks skip over it).
		open, _ := NewBusinessHours(loc, b.Ranges())
		if d, _ := open.Elapsed(from, from.Add(15*24*time.Hour)); d == 0 {
			t.Fatalf("calendar without holidays is closed for 15 days")
		}
	})
}

func FuzzParseBusinessHours(f *testing.F) {
	f.Add([]byte(`{"time_zone":"Europe/Berlin","hours":{"monday":[["09:00","17:00"]],"friday":[["22:00","06:00"]]},"holidays":["2026-12-25"]}`), int64(0), int64(86400))
	f.Add([]byte(`{"time_zone":"America/New_York","hours":{"sunday":[["00:00","24:00"]],"saturday":[["12:00:30","00:00"]]}}`), int64(1e9), int64(1e8))
	f.Add([]byte(`{"time_zone":"UTC","hours":{"monday":[["09:00","25:00"]]}}`), int64(0), int64(0))
	f.Add([]byte(`{"time_zone":"Australia/Lord_Howe","hours":{"tuesday":[["01:30","02:30"]]}}`), int64(-1e9), int64(4e7))
	f.Fuzz(func(t *testing.T, data []byte, fromSec, spanSec int64) {
		b, err := ParseBusinessHours(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		// Instants from 1900 to about 2150, spans up to about 30 years.
		from := time.Unix(-2208988800+abs64(fromSec)%(250*365*86400), abs64(fromSec)%1e9)
		to := from.Add(time.Duration(abs64(spanSec)%(30*365*86400)) * time.Second)
		d, err := b.Elapsed(from, to)
		if err != nil || d < 0 || d > to.Sub(from) {
			t.Fatalf("Elapsed = %v, %v; calendar time %v", d, err, to.Sub(from))
		}
		if to.Sub(from) <= 60*24*time.Hour { // the reference walks day by day
			if want := refElapsed(b, from, to); d != want {
				t.Fatalf("Elapsed = %v, reference %v", d, want)
			}
		}
		b.IsOpen(from)
		out, err := b.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseBusinessHours(out)
		if err != nil {
			t.Fatalf("own JSON %s does not read back: %v", out, err)
		}
		if d2, _ := c.Elapsed(from, to); d2 != d {
			t.Fatalf("after a JSON round trip %v, before %v", d2, d)
		}
	})
}

func abs64(x int64) int64 {
	if x < 0 {
		if x == -x {
			return 0
		}
		return -x
	}
	return x
}
