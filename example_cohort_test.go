package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
)

func ExampleCohorts() {
	c, _ := chatkpi.NewCohorts(chatkpi.CohortPeriod(chatkpi.Month))
	d := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 12, 0, 0, 0, time.UTC) }
	_ = c.Add("ann", d(1, 5))
	_ = c.Add("ann", d(2, 9))
	_ = c.Add("bob", d(1, 20))
	_ = c.Add("bob", d(3, 2))
	_ = c.Add("cat", d(2, 14))
	_ = c.Add("cat", d(3, 30))
	table, _ := c.Table()
	for _, row := range table {
		fmt.Print(row.Start.Format("2006-01"), " n=", row.Customers, ":")
		for k := range row.Periods {
			pc, _ := row.Active(k).Percent()
			fmt.Print(" ", chatkpi.FormatFloat(pc, 0), "%")
		}
		fmt.Println()
	}
	ret, _ := c.Returning()
	fmt.Println("returning users:", ret)
	// Output:
	// 2026-01 n=2: 100% 50% 50%
	// 2026-02 n=1: 100% 100%
	// returning users: 3/3 (100.00 %)
}
