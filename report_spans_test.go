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
