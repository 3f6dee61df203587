package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonlOf writes chats as an event file.
func jsonlOf(t *testing.T, chats []*chatkpi.Chat) string {
	t.Helper()
	var b bytes.Buffer
	w := chatkpi.NewJSONLWriter(&b)
	for _, c := range chats {
		require.NoError(t, w.WriteConversation(c))
	}
	require.NoError(t, w.Flush())
	return writeFile(t, "events.jsonl", b.String())
}

// sectionChats: October 2026, source greeting-a: three conversations the
// bot contained (first replies 5 s, 10 s, 15 s) and a sale of EUR 100 (agent
// reply after 60 s); source greeting-b: a sale of USD 50 (agent, 30 s) and
// a conversation without a goal (agent, 90 s). December: two contained
// (greeting-b, 20 s and 25 s). Customers: a in October and December, b and
// c in October, d in December.
func sectionChats() []*chatkpi.Chat {
	oct := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	dec := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	chat := func(id, customer, source string, t time.Time, role chatkpi.Role, frt time.Duration, contained bool, value, currency string) *chatkpi.Chat {
		agent := ""
		if role == chatkpi.Agent {
			agent = "ana"
		}
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: customer, Source: source}, Events: []chatkpi.Event{
			{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: t.Add(frt), Type: chatkpi.Message, Role: role, Agent: agent},
		}}
		if contained {
			c.Events = append(c.Events, chatkpi.Event{Time: t.Add(time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Bot})
		}
		if value != "" {
			c.Events = append(c.Events, chatkpi.Event{Time: t.Add(2 * time.Minute), Type: chatkpi.Goal, Role: chatkpi.Customer,
				Value: decimal.RequireFromString(value), Currency: currency})
		}
		return c
	}
	s := time.Second
	return []*chatkpi.Chat{
		chat("o1", "a", "greeting-a", oct, chatkpi.Bot, 5*s, true, "", ""),
		chat("o2", "b", "greeting-a", oct.Add(time.Hour), chatkpi.Bot, 10*s, true, "", ""),
		chat("o3", "c", "greeting-a", oct.Add(2*time.Hour), chatkpi.Bot, 15*s, true, "", ""),
		chat("o4", "a", "greeting-a", oct.Add(3*time.Hour), chatkpi.Agent, 60*s, false, "100", "EUR"),
		chat("o5", "b", "greeting-b", oct.Add(4*time.Hour), chatkpi.Agent, 30*s, false, "50", "USD"),
		chat("o6", "c", "greeting-b", oct.Add(5*time.Hour), chatkpi.Agent, 90*s, false, "", ""),
		chat("d1", "a", "greeting-b", dec, chatkpi.Bot, 20*s, true, "", ""),
		chat("d2", "d", "greeting-b", dec.Add(time.Hour), chatkpi.Bot, 25*s, true, "", ""),
	}
}

const costsJSON = `{"currency": "EUR", "human_conversation_cost": "4.20", "bot_cost_per_period": "500", "investment": "9000"}`

// TestCostsFlag: October saves 3 × 4.20, gains 100 + 12.60 = 112.60 against
// 500 (ROI −77.48 %); overall k = 3 months, gain 100 + 5 × 4.20 = 121,
// cost 3 × 500 + 9000 = 10500: ROI (121 − 10500) ÷ 10500 × 100 =
// −98.8476190476 %, per conversion 10500 ÷ 2 = 5250, payback 27000 ÷ 121.
func TestCostsFlag(t *testing.T) {
	events := jsonlOf(t, sectionChats())
	costs := writeFile(t, "costs.json", costsJSON)
	s := summaryOf(t, "", "-costs", costs, events)
	require.NotNil(t, s.Money)
	o := s.Money.Overall
	assert.Equal(t, int64(3), o.Periods)
	assert.Equal(t, "10500", o.Cost)
	assert.Equal(t, "121", o.Gain)
	assert.Equal(t, "5250", *o.CostPerConversion.Value)
	assert.Equal(t, "-98.8476190476", *o.ROIPercent.Value)
	assert.Equal(t, "223.1404958678", *o.PaybackPeriods.Value)
	assert.Equal(t, []string{"USD"}, s.Money.OtherCurrencies)
	require.Len(t, s.Money.Periods, 2)
	assert.Equal(t, "-77.48", *s.Money.Periods[0].ROIPercent.Value)
	assert.Equal(t, "zero conversions", s.Money.Periods[1].CostPerConversion.Undefined)

	res := runCmd(t, "", "-costs", costs, events)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "Money (EUR)")
	assert.Regexp(t, `overall \(3 periods\)\s+5\s+2\s+100\.00\s+21\.00\s+121\.00\s+10500\.00\s+5250\.00\s+-98\.85\s+223\.14`, res.stdout)
	assert.Contains(t, res.stdout, "undefined (zero conversions)")

	res = runCmd(t, "", "-costs", costs, "-format", "html", events)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "<h2>Money (EUR)</h2>")

	// Without -costs: no money section.
	assert.Nil(t, summaryOf(t, "", events).Money)
}

func TestCostsFlagErrors(t *testing.T) {
	events := jsonlOf(t, sectionChats())
	for _, tc := range []struct{ name, content, message string }{
		{"missing field", `{"currency": "EUR", "human_conversation_cost": "4", "bot_cost_per_period": "1"}`, ": investment: missing (give 0 for none)"},
		{"negative", `{"currency": "EUR", "human_conversation_cost": "-4", "bot_cost_per_period": "1", "investment": "0"}`, ": human_conversation_cost: negative amount -4"},
		{"bad currency", `{"currency": "€", "human_conversation_cost": "4", "bot_cost_per_period": "1", "investment": "0"}`, `: currency: "€" is not an ISO 4217 code`},
		{"not json", `currency=EUR`, ": costs: not a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "costs.json", tc.content)
			res := runCmd(t, "", "-costs", path, events)
			assert.Equal(t, 1, res.code)
			assert.Contains(t, res.stderr, "chatkpi: -costs "+path+tc.message)
		})
	}
	res := runCmd(t, "", "-costs", writeFile(t, "x", "")+".missing", events)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "chatkpi: -costs: open ")
}

// TestCompareFlag: greeting-a converts 1 of 4 and contains 3 of 4,
// greeting-b converts 1 of 4 and contains 2 of 4 (equal conversion: z = 0,
// p = 1); first responses 5, 10, 15, 60 s vs 30, 90, 20, 25 s: U = 3 (60 s
// is longer than 30, 20 and 25 s), the test itself pinned in compare_test.go;
// the human first responses are ana's only, 60 s vs 30, 90 s: both medians
// 60 s, the differences 30 and −30 s, shift 0, U = 1 = μ, so z = 0, p = 1.
func TestCompareFlag(t *testing.T) {
	events := jsonlOf(t, sectionChats())
	s := summaryOf(t, "", "-compare", "source=greeting-a,greeting-b", events)
	assert.Equal(t, []string{"source"}, s.GroupBy, "-compare adds its grouping")
	require.Len(t, s.Comparisons, 1)
	c := s.Comparisons[0]
	assert.Equal(t, "greeting-a", c.A)
	conv := c.Conversion
	assert.Equal(t, [2]int64{4, 4}, [2]int64{conv.NA, conv.NB})
	assert.Equal(t, 0.0, *conv.Difference)
	assert.Equal(t, 1.0, *conv.P) // equal rates: z = 0
	want, err := chatkpi.CompareProportions(chatkpi.Proportion{Successes: 3, Trials: 4}, chatkpi.Proportion{Successes: 2, Trials: 4})
	require.NoError(t, err)
	assert.InDelta(t, 25, *c.Containment.Difference, 1e-9)
	assert.InDelta(t, want.P, *c.Containment.P, 1e-12)
	s5 := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Second
		}
		return out
	}
	frt, err := chatkpi.CompareDurations(s5(5, 10, 15, 60), s5(30, 90, 20, 25))
	require.NoError(t, err)
	assert.Equal(t, 3.0, frt.U) // 60 > 30, 20, 25
	assert.Equal(t, frt.Shift.Seconds(), *c.FirstResponseTime.Difference)
	assert.InDelta(t, frt.P, *c.FirstResponseTime.P, 1e-12)
	assert.Equal(t, "no data in A", c.CSAT.Undefined)
	human := c.HumanFirstResponseTime
	assert.Equal(t, [2]int64{1, 2}, [2]int64{human.NA, human.NB})
	assert.Equal(t, [3]float64{60, 60, 0}, [3]float64{*human.A, *human.B, *human.Difference})
	assert.Equal(t, [2]float64{0, 1}, [2]float64{*human.Z, *human.P})

	res := runCmd(t, "", "-compare", "source=greeting-a,greeting-b", "-compare", "handler=bot,human", events)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "Comparison: source greeting-a vs greeting-b")
	assert.Contains(t, res.stdout, "Comparison: handler bot vs human")
	assert.Regexp(t, `conversion\s+two-proportion z\s+25\.00 %\*\s+25\.00 %\*\s+0\.00\s+\[`, res.stdout)
	assert.Regexp(t, `human first response\s+mann-whitney u\s+1m00s\*\s+1m00s\*\s+0\.0s\s+\[`, res.stdout)

	res = runCmd(t, "", "-compare", "source=greeting-a,greeting-x", events)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `chatkpi: -compare source=greeting-a,greeting-x: no conversations with source="greeting-x": no data`)
	for _, bad := range []string{"source", "source=a", "source=a,b,c", "colour=a,b", "source=a,a"} {
		res = runCmd(t, "", "-compare", bad, events)
		assert.Equal(t, 2, res.code, bad)
		assert.Contains(t, res.stderr, "invalid value", bad)
	}
	res = runCmd(t, "", "-group-by", "agent,channel,dim:x,dim:y", "-compare", "source=a,b", events)
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "-compare source: -group-by has 4 groupings already")
}

// TestRetentionSection: by month, customers a, b, c active in October, a
// and d in December. November: S = 3, E = 0, churn 3 of 3; December: S = 0
// (nobody in November), E = 2, new d, won back a; January: S = 2, E = 0,
// churn 2 of 2; pooled churn 5 of 5. Cohorts: October's 3 customers, 0 in
// November, 1 (a) in December; December's 1 (d).
func TestRetentionSection(t *testing.T) {
	events := jsonlOf(t, sectionChats())
	s := summaryOf(t, "", "-churn-horizon", "3", events)
	r := s.Retention
	require.NotNil(t, r)
	assert.Equal(t, int64(4), r.Customers)
	assert.Equal(t, 3, r.HorizonPeriods)
	assert.Equal(t, [2]int64{1, 4}, [2]int64{r.Returning.Count, r.Returning.Of}) // a
	// Repeat contacts within 24 h: a's, b's and c's first October chats.
	assert.Equal(t, [2]int64{3, 8}, [2]int64{r.RepeatContacts.Count, r.RepeatContacts.Of})
	require.Len(t, r.Periods, 4) // Oct, Nov, Dec, Jan
	nov := r.Periods[1]
	assert.Equal(t, "2026-11", nov.Period)
	assert.Equal(t, [3]int64{3, 0, 0}, [3]int64{nov.Start, nov.End, nov.Kept})
	dec := r.Periods[2]
	assert.Equal(t, [4]int64{0, 2, 1, 1}, [4]int64{dec.Start, dec.End, dec.New, dec.WonBack})
	assert.Nil(t, dec.Retention)
	assert.Equal(t, [2]int64{5, 5}, [2]int64{r.Churn.Count, r.Churn.Of}) // Nov 3 of 3, Jan 2 of 2
	require.Len(t, r.Cohorts, 2)
	assert.Equal(t, []int64{3, 0, 1}, r.Cohorts[0].Active)
	assert.Equal(t, []int64{1}, r.Cohorts[1].Active)

	res := runCmd(t, "", "-format", "html", events)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "<h2>Retention (customers by month)</h2>")
	assert.Contains(t, res.stdout, `style="background: rgba(60, 120, 200, 0.80)"`) // a cohort's own period, 100 %

	res = runCmd(t, "", "-churn-horizon", "0", events)
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "-churn-horizon: 0 is not a positive number of periods")

	// No period: no retention section.
	assert.Nil(t, summaryOf(t, "", "-period", "none", events).Retention)
	// Streaming: no repeat contacts, the rest is there.
	st := summaryOf(t, "", "-mode", "streaming", events)
	assert.Nil(t, st.Retention.RepeatContacts)
	assert.Equal(t, r.Cohorts, st.Retention.Cohorts)
}
