package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

// A support desk open 09:00–17:00 on weekdays: a message sent at midnight
// on Sunday and answered at 23:59 on the next Saturday waited five working
// days of business time.
func ExampleBusinessHours() {
	var ranges []chatkpi.OpeningRange
	for d := time.Monday; d <= time.Friday; d++ {
		ranges = append(ranges, chatkpi.OpeningRange{Day: d, Start: 9 * time.Hour, End: 17 * time.Hour})
	}
	desk, err := chatkpi.NewBusinessHours(time.UTC, ranges)
	if err != nil {
		panic(err)
	}
	asked := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	answered := time.Date(2026, 11, 28, 23, 59, 0, 0, time.UTC)
	waited, err := desk.Elapsed(asked, answered)
	if err != nil {
		panic(err)
	}
	fmt.Println("calendar time:", answered.Sub(asked))
	fmt.Println("business time:", waited, "=", waited.Seconds(), "s")
	// Output:
	// calendar time: 167h59m0s
	// business time: 40h0m0s = 144000 s
}

// A calendar read from JSON, with a night shift from Friday into Saturday
// and Christmas closed. The clocks in Berlin go back on 25 October 2026, so
// the Sunday range 00:00–06:00 is open seven real hours that night.
func ExampleParseBusinessHours() {
	desk, err := chatkpi.ParseBusinessHours([]byte(`{
		"time_zone": "Europe/Berlin",
		"hours": {
			"monday":   [["09:00", "17:00"]],
			"friday":   [["09:00", "17:00"], ["22:00", "06:00"]],
			"sunday":   [["00:00", "06:00"]]
		},
		"holidays": ["2026-12-25"]
	}`))
	if err != nil {
		panic(err)
	}
	berlin := desk.Location()
	at := func(month time.Month, day, hour int) time.Time {
		return time.Date(2026, month, day, hour, 0, 0, 0, berlin)
	}
	d, _ := desk.Elapsed(at(10, 24, 0), at(10, 26, 0))
	fmt.Println("weekend of the clock change:", d)
	fmt.Println("open Saturday 03:00:", desk.IsOpen(at(11, 28, 3)))
	fmt.Println("open Christmas night:", desk.IsOpen(at(12, 25, 23)))

	_, err = chatkpi.ParseBusinessHours([]byte(`{"time_zone":"UTC","hours":{"monday":[["09:00","25:00"]]}}`))
	fmt.Println(err)
	// Output:
	// weekend of the clock change: 13h0m0s
	// open Saturday 03:00: true
	// open Christmas night: false
	// chatkpi: hours.monday[0]: "25:00" is not a time of day
}
