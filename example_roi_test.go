package chatkpi_test

import (
	"fmt"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
)

func ExampleROI() {
	// The bot resolved 3,000 chats that would have cost 4.20 each with a human,
	// brought 12,500 of attributed revenue and cost 9,000 to build and run.
	saved, _ := chatkpi.BotCostSaved(3000, decimal.RequireFromString("4.20"))
	roi, _ := chatkpi.ROI(decimal.RequireFromString("12500"), saved, decimal.RequireFromString("9000"))
	cpc, _ := chatkpi.CostPerConversion(decimal.RequireFromString("9000"), 350)
	payback, _ := chatkpi.PaybackPeriods(decimal.RequireFromString("9000"), decimal.RequireFromString("2400"))
	fmt.Println("cost saved:", saved)
	fmt.Println("ROI %:", roi.StringFixed(2))
	fmt.Println("cost per conversion:", cpc.StringFixed(2))
	fmt.Println("payback months:", payback)
	_, err := chatkpi.ROI(decimal.Zero, decimal.Zero, decimal.Zero)
	fmt.Println(err)
	// Output:
	// cost saved: 12600
	// ROI %: 178.89
	// cost per conversion: 25.71
	// payback months: 3.75
	// ROI with zero cost: chatkpi: undefined
}
