package render

import (
	"fmt"
	"math"

	"github.com/chatkpi/chatkpi"
)

// slaRows lists the SLA attainment of every timing row with targets, one
// row per target, in the order of the rows and of the targets:
// "first response time ≤ 1m", "870/1021 (85.21 %)", the 95 % interval.
// The table and the page show them under the durations.
func slaRows(timings []timingRow) []metricRow {
	var rows []metricRow
	for _, t := range timings {
		for _, a := range t.SLA {
			rows = append(rows, metricRow{
				Name:   t.Name + " ≤ " + target(a.TargetSeconds),
				Value:  rate(&a.RateSummary) + small(a.SmallSample),
				Detail: interval(a.CILow, a.CIHigh, " %"),
			})
		}
	}
	return rows
}

// target writes an SLA target or a bucket bound in seconds the way the
// flags take it when it is whole hours, minutes or seconds ("24h", "1m",
// "90s"), else as [seconds] does.
func target(s float64) string {
	if s > 0 && s < math.MaxInt32 && s == math.Trunc(s) {
		n := int64(s)
		switch {
		case n%3600 == 0:
			return fmt.Sprintf("%dh", n/3600)
		case n%60 == 0:
			return fmt.Sprintf("%dm", n/60)
		}
		return fmt.Sprintf("%ds", n)
	}
	return seconds(s)
}

// slaNote sums up the attainment of a timing summary's targets for a
// chart's caption: "≤ 1m: 85.21 % (870 of 1021)"; "" without targets.
func slaNote(t *chatkpi.TimingSummary) string {
	note := ""
	for i, a := range t.SLA {
		if i > 0 {
			note += "; "
		}
		note += fmt.Sprintf("≤ %s: %s%s (%d of %d)", target(a.TargetSeconds), percent(a.Percent), small(a.SmallSample), a.Count, a.Of)
	}
	return note
}
