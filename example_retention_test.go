package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

func ExampleRetentionRate() {
	// 200 customers at the start of the month, 210 at its end, 40 of them new.
	r, _ := chatkpi.RetentionRate(200, 210, 40)
	c, _ := chatkpi.ChurnRate(200, 210, 40)
	naive, _ := chatkpi.EndToStartRatio(200, 210)
	fmt.Println("retention:", r)
	fmt.Println("churn:", c)
	fmt.Println("end ÷ start (overstated):", naive)
	cf, _ := c.Fraction()
	year, _ := chatkpi.ChurnOverHorizon(cf, 12)
	fmt.Println("churn over 12 months at that rate:", chatkpi.FormatFloat(100*year, 2), "%")
	// Output:
	// retention: 170/200 (85.00 %)
	// churn: 30/200 (15.00 %)
	// end ÷ start (overstated): 1.05
	// churn over 12 months at that rate: 85.78 %
}

func ExampleRepeatContacts() {
	var r chatkpi.RepeatContacts // 24 h window
	t := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	_ = r.Add("ann", t)
	_ = r.Add("ann", t.Add(3*time.Hour)) // came back within 24 h
	_ = r.Add("bob", t)
	_ = r.Add("bob", t.Add(72*time.Hour))
	p, _ := r.Result()
	fmt.Println("repeat contacts:", p)
	// Output:
	// repeat contacts: 1/4 (25.00 %)
}
