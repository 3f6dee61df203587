package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

func ExampleCompareProportions() {
	// Greeting A converted 120 of 1,000 chats, greeting B 90 of 1,000.
	c, _ := chatkpi.CompareProportions(chatkpi.Proportion{Successes: 120, Trials: 1000}, chatkpi.Proportion{Successes: 90, Trials: 1000})
	fmt.Printf("difference %s points, 95 %% CI [%s, %s], z = %s, p = %s\n",
		chatkpi.FormatFloat(100*c.Difference, 1), chatkpi.FormatFloat(100*c.Interval.Low, 2),
		chatkpi.FormatFloat(100*c.Interval.High, 2), chatkpi.FormatFloat(c.Z, 3), chatkpi.FormatFloat(c.P, 4))
	// Output:
	// difference 3.0 points, 95 % CI [0.32, 5.68], z = 2.188, p = 0.0287
}

func ExampleCompareNPS() {
	a := chatkpi.NPSCounts{Promoters: 60, Passives: 30, Detractors: 10} // NPS 50
	b := chatkpi.NPSCounts{Promoters: 45, Passives: 35, Detractors: 20} // NPS 25
	c, _ := chatkpi.CompareNPS(a, b)
	fmt.Printf("NPS difference %s, 95 %% CI [%s, %s], p = %s\n", chatkpi.FormatFloat(c.Difference, 1),
		chatkpi.FormatFloat(c.Interval.Low, 1), chatkpi.FormatFloat(c.Interval.High, 1), chatkpi.FormatFloat(c.P, 4))
	// Output:
	// NPS difference 25.0, 95 % CI [5.0, 45.0], p = 0.0141
}

func ExampleCompareDurations() {
	bot := []time.Duration{2 * time.Second, 3 * time.Second, 3 * time.Second, 5 * time.Second, 8 * time.Second}
	human := []time.Duration{40 * time.Second, 55 * time.Second, 3 * time.Second, 90 * time.Second, 65 * time.Second}
	r, _ := chatkpi.CompareDurations(bot, human)
	fmt.Printf("U = %v, medians %s vs %s, p = %s\n", r.U, r.MedianA, r.MedianB, chatkpi.FormatFloat(r.P, 4))
	fmt.Printf("shift %s, 95 %% CI [%s, %s]\n", r.Shift, r.ShiftLow, r.ShiftHigh)
	// Output:
	// U = 3, medians 3s vs 55s, p = 0.0570
	// shift -52s, 95 % CI [-1m27s, 0s]
}
