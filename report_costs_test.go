package chatkpi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// botChat is a conversation the bot contained, starting at t.
func botChat(id string, t time.Time) *chatkpi.Chat {
	return &chatkpi.Chat{Meta: chatkpi.Info{ID: id}, Events: []chatkpi.Event{
		{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: t.Add(5 * time.Second), Type: chatkpi.Message, Role: chatkpi.Bot},
		{Time: t.Add(time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Bot},
	}}
}

// humanSale is a conversation an agent handled that ended in a goal worth
// value in currency (no goal when value is "").
func humanSale(id string, t time.Time, value, currency string) *chatkpi.Chat {
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id}, Events: []chatkpi.Event{
		{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: t.Add(30 * time.Second), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
	}}
	if value != "" {
		c.Events = append(c.Events, chatkpi.Event{Time: t.Add(time.Minute), Type: chatkpi.Goal, Role: chatkpi.Customer,
			Value: decimal.RequireFromString(value), Currency: currency})
	}
	return c
}

func testCosts() chatkpi.CostSettings {
	return chatkpi.CostSettings{Currency: "EUR", HumanConversation: decimal.RequireFromString("4.20"),
		BotPerPeriod: decimal.RequireFromString("500"), Investment: decimal.RequireFromString("9000")}
}

// moneyChats: October 2026: three contained, a sale of EUR 100 and one of
// USD 50; no conversation in November; December: two contained.
func moneyChats() []*chatkpi.Chat {
	oct := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	dec := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	return []*chatkpi.Chat{
		botChat("o1", oct), botChat("o2", oct.Add(time.Hour)), botChat("o3", oct.Add(2*time.Hour)),
		humanSale("o4", oct, "100", "EUR"), humanSale("o5", oct, "50", "USD"),
		botChat("d1", dec), botChat("d2", dec.Add(time.Hour)),
	}
}

func str(s string) *string { return &s }

// TestReportMoney pins the money section, computed by hand:
// October: saved 3 × 4.20 = 12.60, gain 100 + 12.60 = 112.60, cost 500,
// per conversion 500 ÷ 2 = 250, ROI (112.60 − 500) ÷ 500 × 100 = −77.48,
// payback 9000 ÷ 112.60 = 79.92895204262877… December: saved 8.40, ROI
// (8.40 − 500) ÷ 500 × 100 = −98.32, no conversion, payback 9000 ÷ 8.40 =
// 1071.428571428571…. Overall k = 3 months (November has no data but the bot
// ran): saved 21, gain 121, cost 3 × 500 + 9000 = 10500, per conversion
// 5250, ROI (121 − 10500) ÷ 10500 × 100 = −98.847619047619…, payback
// 9000 × 3 ÷ 121 = 223.140495867768…; the USD sale is left out.
func TestReportMoney(t *testing.T) {
	for _, grouping := range []string{"", "agent", "handler"} {
		t.Run(grouping, func(t *testing.T) {
			rs := chatkpi.ReportSettings{Period: chatkpi.Month, Costs: testCosts()}
			if grouping != "" {
				g, err := chatkpi.ParseGrouping(grouping)
				require.NoError(t, err)
				rs.GroupBy[0] = g
			}
			r, err := chatkpi.NewReport(rs)
			require.NoError(t, err)
			for _, c := range moneyChats() {
				require.NoError(t, r.AddConversation(c))
			}
			s, err := r.Summary()
			require.NoError(t, err)
			want := &chatkpi.MoneySummary{
				Currency: "EUR", HumanConversationCost: "4.2", BotCostPerPeriod: "500", Investment: "9000",
				OtherCurrencies: []string{"USD"},
				Overall: chatkpi.MoneyFigures{Periods: 3, Contained: 5, Conversions: 2, Revenue: "100", CostSaved: "21",
					Gain: "121", Cost: "10500",
					CostPerConversion: chatkpi.MoneyValue{Value: str("5250")},
					ROIPercent:        chatkpi.MoneyValue{Value: str("-98.8476190476")},
					PaybackPeriods:    chatkpi.MoneyValue{Value: str("223.1404958678")},
					HumanCost:         "0", HumanCostPerConversion: chatkpi.MoneyValue{Value: str("0")}},
				Periods: []chatkpi.MoneyPeriod{
					{Period: "2026-10", MoneyFigures: chatkpi.MoneyFigures{Periods: 1, Contained: 3, Conversions: 2,
						Revenue: "100", CostSaved: "12.6", Gain: "112.6", Cost: "500",
						CostPerConversion: chatkpi.MoneyValue{Value: str("250")},
						ROIPercent:        chatkpi.MoneyValue{Value: str("-77.48")},
						PaybackPeriods:    chatkpi.MoneyValue{Value: str("79.9289520426")},
						HumanCost:         "0", HumanCostPerConversion: chatkpi.MoneyValue{Value: str("0")}}},
					{Period: "2026-12", MoneyFigures: chatkpi.MoneyFigures{Periods: 1, Contained: 2, Conversions: 0,
						Revenue: "0", CostSaved: "8.4", Gain: "8.4", Cost: "500",
						CostPerConversion: chatkpi.MoneyValue{Undefined: "zero conversions"},
						ROIPercent:        chatkpi.MoneyValue{Value: str("-98.32")},
						PaybackPeriods:    chatkpi.MoneyValue{Value: str("1071.4285714286")},
						HumanCost:         "0", HumanCostPerConversion: chatkpi.MoneyValue{Undefined: "zero conversions"}}},
				},
			}
			require.NotNil(t, s.Money)
			if grouping == "" {
				assert.Empty(t, s.Money.Groups, "periods only: the periods are the groups")
			} else {
				assert.Len(t, s.Money.Groups, len(s.Groups), "one money entry per group")
			}
			s.Money.Groups = nil // TestReportMoneyGroups pins them
			assert.Equal(t, want, s.Money)
		})
	}
}

// resolvedByAgent is a conversation agent ana answered and resolved, with
// a goal worth value EUR (none when value is "").
func resolvedByAgent(id, source string, t time.Time, value string) *chatkpi.Chat {
	c := humanSale(id, t, value, "EUR")
	c.Meta.Source = source
	c.Events = append(c.Events, chatkpi.Event{Time: t.Add(2 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"})
	return c
}

// escalatedSale is a conversation the bot handed over to ana, who sold for
// value EUR.
func escalatedSale(id, source string, t time.Time, value string) *chatkpi.Chat {
	return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Source: source}, Events: []chatkpi.Event{
		{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: t.Add(5 * time.Second), Type: chatkpi.Message, Role: chatkpi.Bot},
		{Time: t.Add(10 * time.Second), Type: chatkpi.Handoff, Role: chatkpi.Bot},
		{Time: t.Add(40 * time.Second), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: t.Add(time.Minute), Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.RequireFromString(value), Currency: "EUR"},
	}}
}

// TestReportMoneyGroups pins the money of each group, computed by hand,
// with a human conversation costing 4.00 EUR, the bot 100 a month and an
// investment of 1000, by source, in October 2026:
//
//	a: contained 1, human 1 (resolved by ana, sale 30): saved 4, gain 34,
//	   human cost 4, per conversion 4 ÷ 1 = 4
//	b: contained 1, human 2 (a handoff with a sale of 10, and one resolved
//	   by ana without a goal), 1 abandoned: saved 4, gain 14, human cost 8,
//	   per conversion 8 ÷ 1 = 8
//	October: contained 2, human 3, conversions 2, revenue 40, gain 48,
//	   cost 100, per conversion 50, ROI (48 − 100) ÷ 100 × 100 = −52,
//	   payback 1000 ÷ 48 = 20.8333333333, human cost 12, per conversion 6
//
// A group is charged nothing of the running cost and the investment: its
// cost per conversion, ROI and payback are undefined with that reason.
func TestReportMoneyGroups(t *testing.T) {
	oct := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	bot := func(id, source string) *chatkpi.Chat {
		c := botChat(id, oct)
		c.Meta.Source = source
		return c
	}
	abandoned := humanSale("b4", oct, "", "")
	abandoned.Meta.Source = "b"
	chats := []*chatkpi.Chat{
		bot("a1", "a"), resolvedByAgent("a2", "a", oct, "30"),
		bot("b1", "b"), escalatedSale("b2", "b", oct, "10"), resolvedByAgent("b3", "b", oct, ""), abandoned,
	}
	costs := chatkpi.CostSettings{Currency: "EUR", HumanConversation: decimal.RequireFromString("4.00"),
		BotPerPeriod: decimal.NewFromInt(100), Investment: decimal.NewFromInt(1000)}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Costs: costs,
		GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBySource()}})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	none := chatkpi.MoneyValue{Undefined: "running cost and investment are not attributed to groups"}
	assert.Equal(t, []chatkpi.MoneyGroup{
		{Key: map[string]string{"source": "a"}, Period: "2026-10", MoneyFigures: chatkpi.MoneyFigures{
			Contained: 1, Conversions: 1, Revenue: "30", CostSaved: "4", Gain: "34", Cost: "0",
			CostPerConversion: none, ROIPercent: none, PaybackPeriods: none,
			HumanConversations: 1, HumanCost: "4", HumanCostPerConversion: chatkpi.MoneyValue{Value: str("4")}}},
		{Key: map[string]string{"source": "b"}, Period: "2026-10", MoneyFigures: chatkpi.MoneyFigures{
			Contained: 1, Conversions: 1, Revenue: "10", CostSaved: "4", Gain: "14", Cost: "0",
			CostPerConversion: none, ROIPercent: none, PaybackPeriods: none,
			HumanConversations: 2, HumanCost: "8", HumanCostPerConversion: chatkpi.MoneyValue{Value: str("8")}}},
	}, s.Money.Groups)
	assert.Equal(t, chatkpi.MoneyFigures{Periods: 1, Contained: 2, Conversions: 2, Revenue: "40", CostSaved: "8", Gain: "48", Cost: "100",
		CostPerConversion: chatkpi.MoneyValue{Value: str("50")}, ROIPercent: chatkpi.MoneyValue{Value: str("-52")},
		PaybackPeriods:     chatkpi.MoneyValue{Value: str("20.8333333333")},
		HumanConversations: 3, HumanCost: "12", HumanCostPerConversion: chatkpi.MoneyValue{Value: str("6")}}, s.Money.Periods[0].MoneyFigures)
}

// TestReportMoneyGroupsSum: by any grouping, the counts and amounts of the
// groups of a period sum to the period's, over all periods to the overall
// ones; and the money section of any split of the data, merged or encoded
// and decoded, and of any order, is that of the whole.
func TestReportMoneyGroupsSum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		n := rapid.IntRange(1, 25).Draw(t, "n")
		var chats []*chatkpi.Chat
		for i := range n {
			at := base.Add(time.Duration(rapid.IntRange(0, 90*24).Draw(t, "hour")) * time.Hour)
			src := rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "source")
			id := fmt.Sprint("c", i)
			var c *chatkpi.Chat
			switch rapid.IntRange(0, 3).Draw(t, "kind") {
			case 0:
				c = botChat(id, at)
				c.Meta.Source = src
			case 1:
				c = resolvedByAgent(id, src, at, rapid.SampledFrom([]string{"", "12.5", "3"}).Draw(t, "value"))
			case 2:
				c = escalatedSale(id, src, at, rapid.SampledFrom([]string{"0.01", "7"}).Draw(t, "value"))
			default:
				c = humanSale(id, at, "5", rapid.SampledFrom([]string{"EUR", "USD"}).Draw(t, "currency"))
				c.Meta.Source = src
			}
			chats = append(chats, c)
		}
		g := rapid.SampledFrom([]string{"source", "agent", "handler"}).Draw(t, "grouping")
		grouping, err := chatkpi.ParseGrouping(g)
		require.NoError(t, err)
		rs := chatkpi.ReportSettings{Period: rapid.SampledFrom([]chatkpi.Period{chatkpi.Week, chatkpi.Month}).Draw(t, "period"),
			Costs: testCosts(), GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{grouping}}
		whole := mustReport(t, rs, chats)
		want, err := whole.Summary()
		require.NoError(t, err)
		m := want.Money
		require.Len(t, m.Groups, len(want.Groups))
		type sums struct {
			contained, conversions, human int64
			revenue, saved, humanCost     decimal.Decimal
		}
		add := func(s *sums, f *chatkpi.MoneyFigures) {
			s.contained += f.Contained
			s.conversions += f.Conversions
			s.human += f.HumanConversations
			s.revenue = s.revenue.Add(decimal.RequireFromString(f.Revenue))
			s.saved = s.saved.Add(decimal.RequireFromString(f.CostSaved))
			s.humanCost = s.humanCost.Add(decimal.RequireFromString(f.HumanCost))
		}
		byPeriod := map[string]*sums{}
		var total sums
		for i := range m.Groups {
			gr := &m.Groups[i]
			assert.Equal(t, want.Groups[i].Key, gr.Key)
			assert.Equal(t, want.Groups[i].Period, gr.Period)
			if byPeriod[gr.Period] == nil {
				byPeriod[gr.Period] = &sums{}
			}
			add(byPeriod[gr.Period], &gr.MoneyFigures)
			add(&total, &gr.MoneyFigures)
		}
		same := func(want sums, f *chatkpi.MoneyFigures) {
			var got sums
			add(&got, f)
			assert.Equal(t, want.contained, got.contained)
			assert.Equal(t, want.conversions, got.conversions)
			assert.Equal(t, want.human, got.human)
			for _, p := range [][2]decimal.Decimal{{want.revenue, got.revenue}, {want.saved, got.saved}, {want.humanCost, got.humanCost}} {
				assert.True(t, p[0].Equal(p[1]), "%s ≠ %s", p[0], p[1])
			}
		}
		for i := range m.Periods {
			same(*byPeriod[m.Periods[i].Period], &m.Periods[i].MoneyFigures)
		}
		same(total, &m.Overall)

		cut := rapid.IntRange(0, n).Draw(t, "cut")
		left, right := mustReport(t, rs, chats[:cut]), mustReport(t, rs, chats[cut:])
		b, err := right.MarshalBinary()
		require.NoError(t, err)
		var decoded chatkpi.Report
		require.NoError(t, decoded.UnmarshalBinary(b))
		require.NoError(t, left.Merge(&decoded))
		for _, r := range []*chatkpi.Report{left, mustReport(t, rs, rapid.Permutation(chats).Draw(t, "order"))} {
			got, err := r.Summary()
			require.NoError(t, err)
			require.Equal(t, want.Money, got.Money)
		}
	})
}

// TestReportMoneyUndefined: without a period the data is one period; zero
// costs make ROI undefined, zero gain the payback; never Inf or a panic.
func TestReportMoneyUndefined(t *testing.T) {
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Costs: chatkpi.CostSettings{Currency: "EUR"}})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(humanSale("h", time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC), "", "")))
	s, err := r.Summary()
	require.NoError(t, err)
	require.NotNil(t, s.Money)
	assert.Equal(t, chatkpi.MoneyFigures{Periods: 1, Revenue: "0", CostSaved: "0", Gain: "0", Cost: "0",
		CostPerConversion: chatkpi.MoneyValue{Undefined: "zero conversions"},
		ROIPercent:        chatkpi.MoneyValue{Undefined: "zero cost"},
		PaybackPeriods:    chatkpi.MoneyValue{Undefined: "zero gain"},
		HumanCost:         "0", HumanCostPerConversion: chatkpi.MoneyValue{Undefined: "zero conversions"}}, s.Money.Overall)
	assert.Empty(t, s.Money.Periods)
	assert.Empty(t, s.Money.Groups, "no groupings, no group entries")

	// Without costs there is no money section.
	r, err = chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(botChat("b", time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))))
	s, err = r.Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Money)
}

func TestReportCostsSettings(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rs    chatkpi.ReportSettings
		field string
	}{
		{"no currency", chatkpi.ReportSettings{Costs: chatkpi.CostSettings{Investment: decimal.NewFromInt(1)}}, "currency"},
		{"lower-case currency", chatkpi.ReportSettings{Costs: chatkpi.CostSettings{Currency: "eur"}}, "currency"},
		{"negative human cost", chatkpi.ReportSettings{Costs: chatkpi.CostSettings{Currency: "EUR", HumanConversation: decimal.NewFromInt(-1)}}, "human_conversation_cost"},
		{"negative bot cost", chatkpi.ReportSettings{Costs: chatkpi.CostSettings{Currency: "EUR", BotPerPeriod: decimal.NewFromInt(-1)}}, "bot_cost_per_period"},
		{"negative investment", chatkpi.ReportSettings{Costs: chatkpi.CostSettings{Currency: "EUR", Investment: decimal.NewFromInt(-1)}}, "investment"},
		{"without conversion", chatkpi.ReportSettings{Costs: testCosts(), Metrics: chatkpi.MetricOutcomes}, "costs"},
		{"without outcomes", chatkpi.ReportSettings{Costs: testCosts(), Metrics: chatkpi.MetricConversion}, "costs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := chatkpi.NewReport(tc.rs)
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			var ie *chatkpi.InputError
			require.True(t, errors.As(err, &ie), "%v", err)
			assert.Equal(t, tc.field, ie.Field)
		})
	}
}

// TestReportCostsEncoding: the costs are settings of the report: they
// survive an encoding into a zero-value Report, and reports with other
// costs do not merge.
func TestReportCostsEncoding(t *testing.T) {
	rs := chatkpi.ReportSettings{Period: chatkpi.Month, Costs: testCosts()}
	r, err := chatkpi.NewReport(rs)
	require.NoError(t, err)
	for _, c := range moneyChats() {
		require.NoError(t, r.AddConversation(c))
	}
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var back chatkpi.Report
	require.NoError(t, back.UnmarshalBinary(b))
	want, err := r.Summary()
	require.NoError(t, err)
	got, err := back.Summary()
	require.NoError(t, err)
	assert.Equal(t, want, got)

	other := rs
	other.Costs.Investment = decimal.RequireFromString("9000.01")
	o, err := chatkpi.NewReport(other)
	require.NoError(t, err)
	require.ErrorIs(t, r.Merge(o), chatkpi.ErrIncompatible)
	require.ErrorIs(t, o.UnmarshalBinary(b), chatkpi.ErrIncompatible)

	// A report without costs does not take an encoding with them.
	plain, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month})
	require.NoError(t, err)
	require.ErrorIs(t, plain.UnmarshalBinary(b), chatkpi.ErrIncompatible)
}

func TestParseCosts(t *testing.T) {
	got, err := chatkpi.ParseCosts([]byte(`{"currency": "EUR", "human_conversation_cost": "4.20", "bot_cost_per_period": 500, "investment": 9000.50}`))
	require.NoError(t, err)
	assert.Equal(t, "EUR", got.Currency)
	assert.Equal(t, "4.2", got.HumanConversation.String())
	assert.Equal(t, "500", got.BotPerPeriod.String())
	assert.Equal(t, "9000.5", got.Investment.String())

	for _, tc := range []struct{ in, field, reason string }{
		{`[]`, "costs", "not a JSON object"},
		{``, "costs", "not a JSON object"},
		{`{"currency": "EUR", "human_conversation_cost": "1", "bot_cost_per_period": "1"}`, "investment", "missing (give 0 for none)"},
		{`{"human_conversation_cost": "1", "bot_cost_per_period": "1", "investment": "0"}`, "currency", "missing (give 0 for none)"},
		{`{"currency": "euro", "human_conversation_cost": "1", "bot_cost_per_period": "1", "investment": "0"}`, "currency", `"euro" is not an ISO 4217 code (three upper-case letters)`},
		{`{"currency": 3}`, "currency", "3 is not a string"},
		{`{"currency": "EUR", "human_conversation_cost": "-4", "bot_cost_per_period": "1", "investment": "0"}`, "human_conversation_cost", "negative amount -4"},
		{`{"currency": "EUR", "human_conversation_cost": "four", "bot_cost_per_period": "1", "investment": "0"}`, "human_conversation_cost", `"four" is not a decimal amount`},
		{`{"currency": "EUR", "human_conversation_cost": true}`, "human_conversation_cost", "true is not a decimal amount"},
		{`{"currency": "EUR", "human_conversation_cost": null}`, "human_conversation_cost", "null is not a decimal amount"},
		{`{"currency": "EUR", "bot_cost_per_period": "1e2000"}`, "bot_cost_per_period", `"1e2000" has a decimal exponent beyond ±1000`},
		{`{"currency": "EUR", "investment": " 1"}`, "investment", `" 1" is not a decimal amount`},
		{`{"currency": "EUR", "currency": "USD"}`, "currency", "given twice"},
		{`{"currency": "EUR", "fee": "1"}`, "fee", "unknown field (want currency, human_conversation_cost, bot_cost_per_period, investment)"},
		{`{"currency": "EUR", "human_conversation_cost": "1", "bot_cost_per_period": "1", "investment": "0"} {}`, "costs", "data after the JSON object"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := chatkpi.ParseCosts([]byte(tc.in))
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			var ie *chatkpi.InputError
			require.True(t, errors.As(err, &ie), "%v", err)
			assert.Equal(t, tc.field, ie.Field)
			assert.Equal(t, tc.reason, ie.Reason)
		})
	}
}

func FuzzParseCosts(f *testing.F) {
	f.Add([]byte(`{"currency": "EUR", "human_conversation_cost": "4.20", "bot_cost_per_period": 500, "investment": "9000"}`))
	f.Add([]byte(`{"currency": "USD", "human_conversation_cost": 1e3, "bot_cost_per_period": "0.0001", "investment": 0}`))
	f.Add([]byte(`{"currency": "EUR", "investment": "-1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := chatkpi.ParseCosts(data)
		if err != nil {
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			return
		}
		// What parses makes a report whose money section computes.
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Costs: s})
		require.NoError(t, err)
		for _, c := range moneyChats() {
			require.NoError(t, r.AddConversation(c))
		}
		sum, err := r.Summary()
		require.NoError(t, err)
		require.NotNil(t, sum.Money)
		b, err := r.MarshalBinary()
		require.NoError(t, err)
		var back chatkpi.Report
		require.NoError(t, back.UnmarshalBinary(b))
	})
}

func ExampleParseCosts() {
	costs, err := chatkpi.ParseCosts([]byte(`{"currency": "EUR", "human_conversation_cost": "4.20",
		"bot_cost_per_period": "500", "investment": "9000"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Costs: costs})
	for _, c := range moneyChats() {
		_ = r.AddConversation(c)
	}
	s, _ := r.Summary()
	m := s.Money.Overall
	fmt.Printf("%d months: cost %s, saved %s, gain %s %s\n", m.Periods, m.Cost, m.CostSaved, m.Gain, s.Money.Currency)
	fmt.Println("ROI %:", *m.ROIPercent.Value)
	fmt.Println("payback months:", *m.PaybackPeriods.Value)
	fmt.Println("not converted:", s.Money.OtherCurrencies)
	_, err = chatkpi.ParseCosts([]byte(`{"currency": "EUR", "human_conversation_cost": "-4"}`))
	fmt.Println(err)
	// Output:
	// 3 months: cost 10500, saved 21, gain 121 EUR
	// ROI %: -98.8476190476
	// payback months: 223.1404958678
	// not converted: [USD]
	// chatkpi: human_conversation_cost: negative amount -4
}

// TestReportCombinerCosts: a combine function ships the costs and the
// retention settings as plain data (JSON, as a Beam runner may), and its
// reports give the money and retention sections of NewReport's.
func TestReportCombinerCosts(t *testing.T) {
	c := chatkpi.ReportCombiner{Period: "month", Costs: testCosts(), Retention: chatkpi.RetentionSettings{Horizon: 6},
		Metrics: append(chatkpi.DefaultMetrics.Names(), "retention")}
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var shipped chatkpi.ReportCombiner
	require.NoError(t, json.Unmarshal(b, &shipped))
	chats := append(moneyChats(), retentionChats()[:3]...) // a1…a3 have a customer
	acc := shipped.CreateAccumulator()
	for _, ch := range chats {
		acc, err = shipped.AddInput(acc, ch)
		require.NoError(t, err)
	}
	got, err := acc.Summary()
	require.NoError(t, err)
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Costs: testCosts(), Retention: chatkpi.RetentionSettings{Horizon: 6},
		Metrics: chatkpi.DefaultMetrics | chatkpi.MetricRetention})
	require.NoError(t, err)
	for _, ch := range chats {
		require.NoError(t, r.AddConversation(ch))
	}
	want, err := r.Summary()
	require.NoError(t, err)
	assert.Equal(t, want.Money, got.Money)
	require.NotNil(t, got.Money)
	require.NotNil(t, got.Retention)
	assert.Equal(t, 6, got.Retention.HorizonPeriods)
	assert.Equal(t, want.Retention, got.Retention)
}

// TestReportMoneyPeriods: the overall running cost counts every period from
// the first to the last with data, also across a DST change and a year.
func TestReportMoneyPeriods(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ps, err := chatkpi.NewPeriods(berlin, time.Monday)
	require.NoError(t, err)
	for _, tc := range []struct {
		period      chatkpi.Period
		first, last time.Time
		k           int64
	}{
		{chatkpi.Day, time.Date(2026, 3, 28, 12, 0, 0, 0, berlin), time.Date(2026, 3, 30, 12, 0, 0, 0, berlin), 3},
		{chatkpi.Week, time.Date(2026, 3, 23, 12, 0, 0, 0, berlin), time.Date(2026, 4, 6, 0, 30, 0, 0, berlin), 3},
		{chatkpi.Month, time.Date(2025, 11, 30, 23, 30, 0, 0, berlin), time.Date(2026, 2, 1, 0, 30, 0, 0, berlin), 4},
		{chatkpi.Year, time.Date(2024, 6, 1, 0, 0, 0, 0, berlin), time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), 3},
	} {
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: tc.period, Periods: ps, Costs: testCosts()})
		require.NoError(t, err)
		require.NoError(t, r.AddConversation(botChat("a", tc.first)))
		require.NoError(t, r.AddConversation(botChat("b", tc.last)))
		s, err := r.Summary()
		require.NoError(t, err)
		assert.Equal(t, tc.k, s.Money.Overall.Periods, tc.period)
		assert.Len(t, s.Money.Periods, 2)
	}
}

func ExampleMoneyGroup() {
	// By source, a human conversation costing 4.00 EUR: the bot contained
	// one conversation from the web; ana resolved one from the app that
	// sold for 30 EUR.
	costs, _ := chatkpi.ParseCosts([]byte(`{"currency": "EUR", "human_conversation_cost": "4.00", "bot_cost_per_period": "100", "investment": "1000"}`))
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Costs: costs,
		GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBySource()}})
	oct := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	web := botChat("w1", oct)
	web.Meta.Source = "web"
	_ = r.AddConversation(web)
	_ = r.AddConversation(resolvedByAgent("a1", "app", oct, "30"))
	s, _ := r.Summary()
	for _, g := range s.Money.Groups {
		per := "undefined: " + g.HumanCostPerConversion.Undefined
		if v := g.HumanCostPerConversion.Value; v != nil {
			per = *v
		}
		fmt.Printf("%s: saved %s, human cost %s (per conversion %s), revenue %s; ROI undefined: %s\n",
			g.Key["source"], g.CostSaved, g.HumanCost, per, g.Revenue, g.ROIPercent.Undefined)
	}
	fmt.Println("October ROI %:", *s.Money.Periods[0].ROIPercent.Value)
	// Output:
	// app: saved 0, human cost 4 (per conversion 4), revenue 30; ROI undefined: running cost and investment are not attributed to groups
	// web: saved 4, human cost 0 (per conversion undefined: zero conversions), revenue 0; ROI undefined: running cost and investment are not attributed to groups
	// October ROI %: -66
}
