package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// spanShift keeps the promise Report.periodSpan's cache relies on: in
// zones with daylight saving time (an hour, or half an hour on Lord Howe)
// and days skipped (Apia, 2011), a time's period starts in the time's slot
// or in one of the two before it, and consecutive periods start in
// different slots.
func TestSpanShiftSlots(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kathmandu"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		ps, err := NewPeriods(rapid.SampledFrom(zones).Draw(t, "zone"), time.Weekday(rapid.IntRange(0, 6).Draw(t, "week start")))
		require.NoError(t, err)
		p := rapid.SampledFrom([]Period{Day, Week, Month, Year}).Draw(t, "period")
		at := time.Unix(rapid.Int64Range(-2208988800, 4102444800).Draw(t, "unix"), 0) // 1900–2100
		start := ps.Start(at, p)
		next := ps.Next(start, p)
		k := spanShift(p)
		back := at.Unix()>>k - start.Unix()>>k
		require.True(t, back >= 0 && back <= 2, "%s of %s starts %d slots back", p, at, back)
		require.NotEqual(t, start.Unix()>>k, next.Unix()>>k, "%s from %s to %s share a slot", p, start, next)
	})
}

// Report.periodSpan and spanAt, through the span cache, give the period
// that Periods computes for every time, in any order: times at a period's
// first and last second and just past it, in zones with daylight saving
// time and skipped days.
func TestPeriodSpanCache(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		p := rapid.SampledFrom([]Period{Day, Week, Month, Year}).Draw(t, "period")
		periods, err := NewPeriods(loc, time.Monday)
		require.NoError(t, err)
		r, err := NewReport(ReportSettings{Period: p, Periods: periods})
		require.NoError(t, err)
		ps := r.cfg.periods
		base := rapid.Int64Range(1262304000, 1924992000).Draw(t, "unix") // 2010–2031
		for i := range rapid.IntRange(1, 40).Draw(t, "times") {
			at := time.Unix(base+rapid.Int64Range(-400*86400, 400*86400).Draw(t, "offset"), 0)
			s := ps.Start(at, p)
			switch rapid.IntRange(0, 3).Draw(t, "edge") {
			case 1:
				at = s // the first second
			case 2:
				at = ps.Next(s, p).Add(-time.Second) // the last
			case 3:
				at = ps.Next(s, p) // the first of the next period
			}
			want := ps.Start(at, p)
			span := r.periodSpan(at)
			require.Equal(t, [2]int64{want.Unix(), ps.Next(want, p).Unix()}, [2]int64{span.start, span.next}, "%d: %s", i, at)
			start, next := r.spanAt(at)
			require.Equal(t, [2]int64{span.start, span.next}, [2]int64{start, next}, "spanAt %s", at)
		}
	})
}
