package chatkpi_test

import (
	"fmt"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
)

func ExampleConversion() {
	t := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	chats := []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "1"}, Events: []chatkpi.Event{
			{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: t.Add(time.Minute), Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.RequireFromString("49.90"), Currency: "EUR"},
		}},
		{Meta: chatkpi.Info{ID: "2"}, Events: []chatkpi.Event{
			{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: t.Add(time.Minute), Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.RequireFromString("20"), Currency: "USD"},
		}},
		{Meta: chatkpi.Info{ID: "3"}, Events: []chatkpi.Event{
			{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
		}},
	}
	var c chatkpi.Conversion
	for _, ch := range chats {
		if err := c.AddConversation(ch); err != nil {
			fmt.Println(err)
			return
		}
	}
	r, _ := c.Result()
	fmt.Println("conversion:", r.Rate)
	fmt.Println("goals achieved:", r.Rate.Successes)
	fmt.Println("sales:", r.Sales)
	// Output:
	// conversion: 2/3 (66.67 %)
	// goals achieved: 2
	// sales: EUR 49.9, USD 20
}

func ExampleConversionByGroup() {
	g, _ := chatkpi.NewConversionByGroup(chatkpi.ConversionByGroupSettings{Period: chatkpi.Week})
	mon := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, converted := range []bool{true, false, false, true} {
		greeting := []string{"A", "B"}[i%2]
		_ = g.Add(greeting, mon.AddDate(0, 0, 3*i), converted)
	}
	groups, _ := g.Groups()
	for _, gr := range groups {
		fmt.Println(gr.Key, gr.Period.Format("2006-01-02"), gr.Rate)
	}
	// Output:
	// A 2026-11-23 1/2 (50.00 %)
	// B 2026-11-23 0/1 (0.00 %)
	// B 2026-11-30 1/1 (100.00 %)
}

func ExampleFunnel() {
	var f chatkpi.Funnel
	if err := f.AddCounts(2000, 150, 24); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := f.Result()
	fmt.Println("accepted:", r.Acceptance)
	fmt.Println("goal after chat:", r.GoalRate)
	fmt.Println("overall:", r.Overall)
	fmt.Println(f.AddCounts(10, 3, 4))
	// Output:
	// accepted: 150/2000 (7.50 %)
	// goal after chat: 24/150 (16.00 %)
	// overall: 24/2000 (1.20 %)
	// chatkpi: converted: 4 converted exceeds 3 accepted
}
