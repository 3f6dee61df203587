package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func strp(s string) *string { return &s }

// groupsFixture is a summary by month and agent with, per group, the
// availability, money and retention of the groups, all small enough to
// check by hand:
//
//   - ana in 2026-01 was online 8 h on the 1st and 6 h on the 2nd: 7 h a
//     day over 2 days, 14 h online; in 2026-02 4 h on the 1st; over her
//     3 days (8 + 6 + 4) ÷ 3 = 6 h a day;
//   - bo in 2026-01 was online 3 h on the 1st;
//   - money: ana's 2026-01 group had 3 human conversations at 4.00 EUR
//     (12.00) and 2 conversions: 6.00 per conversion; bo's none;
//   - retention: ana 3 customers, 1 returning; bo 2, none.
func groupsFixture() *chatkpi.Summary {
	none := chatkpi.MoneyValue{Undefined: "running cost and investment are not attributed to groups"}
	day := func(d string, h float64) chatkpi.AvailabilitySummary {
		return chatkpi.AvailabilitySummary{Day: d, OnlineHours: h}
	}
	s := &chatkpi.Summary{SchemaVersion: 2, Period: "month", GroupBy: []string{"agent"},
		Overall: chatkpi.MetricsSummary{Conversations: 6, Agents: []chatkpi.AgentSummary{
			{Agent: "ana", Conversations: 4, Replies: 8, MaxConcurrent: 1},
			{Agent: "bo", Conversations: 2, Replies: 2, MaxConcurrent: 1},
		}},
		Groups: []chatkpi.GroupSummary{
			{Key: map[string]string{"agent": "ana"}, Period: "2026-01", MetricsSummary: chatkpi.MetricsSummary{Conversations: 3,
				Availability: []chatkpi.AvailabilitySummary{day("2026-01-01", 8), day("2026-01-02", 6)}}},
			{Key: map[string]string{"agent": "bo"}, Period: "2026-01", MetricsSummary: chatkpi.MetricsSummary{Conversations: 2,
				Availability: []chatkpi.AvailabilitySummary{day("2026-01-01", 3)}}},
			{Key: map[string]string{"agent": "ana"}, Period: "2026-02", MetricsSummary: chatkpi.MetricsSummary{Conversations: 1,
				Availability: []chatkpi.AvailabilitySummary{day("2026-02-01", 4)}}},
		},
	}
	zero := chatkpi.MoneyFigures{Revenue: "0", CostSaved: "0", Gain: "0", Cost: "0", HumanCost: "0",
		CostPerConversion: none, ROIPercent: none, PaybackPeriods: none,
		HumanCostPerConversion: chatkpi.MoneyValue{Undefined: "zero conversions"}}
	ana := zero
	ana.Conversions, ana.Revenue, ana.Gain, ana.HumanConversations, ana.HumanCost = 2, "50", "50", 3, "12"
	ana.HumanCostPerConversion = chatkpi.MoneyValue{Value: strp("6")}
	s.Money = &chatkpi.MoneySummary{Currency: "EUR", HumanConversationCost: "4", BotCostPerPeriod: "100", Investment: "0",
		Overall: chatkpi.MoneyFigures{Periods: 2, Conversions: 2, Revenue: "50", CostSaved: "0", Gain: "50", Cost: "200",
			CostPerConversion: chatkpi.MoneyValue{Value: strp("100")}, ROIPercent: chatkpi.MoneyValue{Value: strp("-75")},
			PaybackPeriods: chatkpi.MoneyValue{Value: strp("0")}, HumanConversations: 3, HumanCost: "12",
			HumanCostPerConversion: chatkpi.MoneyValue{Value: strp("6")}},
		Groups: []chatkpi.MoneyGroup{
			{Key: map[string]string{"agent": "ana"}, Period: "2026-01", MoneyFigures: ana},
			{Key: map[string]string{"agent": "bo"}, Period: "2026-01", MoneyFigures: zero},
		}}
	rate := func(c, of int64) *chatkpi.RateSummary {
		return &chatkpi.RateSummary{Count: c, Of: of, Percent: 100 * float64(c) / float64(of), SmallSample: true}
	}
	s.Retention = &chatkpi.RetentionSummary{Customers: 5, Returning: rate(1, 5), HorizonPeriods: 12,
		Periods: []chatkpi.RetentionPeriod{}, Cohorts: []chatkpi.CohortSummary{},
		Groups: []chatkpi.RetentionGroup{
			{Key: map[string]string{"agent": "ana"}, RetentionSummary: chatkpi.RetentionSummary{Customers: 3, Returning: rate(1, 3),
				RepeatContacts: rate(0, 4), Churn: rate(2, 3), HorizonPeriods: 12, Periods: []chatkpi.RetentionPeriod{{Period: "2026-01"}, {Period: "2026-02"}}}},
			{Key: map[string]string{"agent": "bo"}, RetentionSummary: chatkpi.RetentionSummary{Customers: 2, Returning: rate(0, 2),
				HorizonPeriods: 12, Periods: []chatkpi.RetentionPeriod{{Period: "2026-01"}}}},
		}}
	return s
}

// TestTableGroupsSections: the text table shows each group's
// availability (hours a day with n days, online time), each agent's
// availability over their days, and the money and retention by group.
func TestTableGroupsSections(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Table(&b, groupsFixture()))
	out := b.String()
	lines := strings.Split(out, "\n")
	find := func(prefix string) string {
		for _, l := range lines {
			if l := strings.Join(strings.Fields(l), " "); strings.HasPrefix(l, prefix) {
				return l
			}
		}
		t.Fatalf("no line %q in\n%s", prefix, out)
		return ""
	}
	assert.Contains(t, find("period"), "availability online")
	assert.True(t, strings.HasSuffix(find("2026-01 ana"), "7.00 h/day 14h00m00s"), find("2026-01 ana"))
	assert.True(t, strings.HasSuffix(find("2026-01 bo"), "3.00 h/day 3h00m00s"), find("2026-01 bo"))
	assert.True(t, strings.HasSuffix(find("2026-02 ana"), "4.00 h/day 4h00m00s"), find("2026-02 ana"))
	assert.Contains(t, find("ana 4 conversations"), "; available 6.00 h/day over 3 days")
	assert.Contains(t, find("bo 2 conversations"), "; available 3.00 h/day over 1 day")

	assert.Contains(t, out, "\nMoney by group (EUR)\n")
	assert.Equal(t, "period group contained conversions revenue cost saved gain human conversations human cost human cost per conversion",
		find("period group"))
	assert.Equal(t, "2026-01 ana 0 2 50.00 0.00 50.00 3 12.00 6.00", find("2026-01 ana 0"))
	assert.Equal(t, "2026-01 bo 0 0 0.00 0.00 0.00 0 0.00 undefined (zero conversions)", find("2026-01 bo 0"))
	assert.Contains(t, out, "running cost and investment are not attributed to groups")
	assert.Contains(t, out, "Human conversations (escalated or resolved by an agent): 3 overall, costing 12.00 (6.00 per conversion)")

	assert.Contains(t, out, "\nRetention by group (customers by month)\n")
	assert.Equal(t, "ana 3 33.33 %* (1 of 3) 0.00 %* (0 of 4) 66.67 %* (2 of 3) no data 2", find("ana 3"))
	assert.Equal(t, "bo 2 0.00 %* (0 of 2) no data no data no data 1", find("bo 2 0.00"))
	assert.Contains(t, out, "The cohort triangle is overall only.")
	assert.Contains(t, out, "\nRetention by group and period\n")
	assert.Contains(t, out, smallNote, "the marks of the retention sections are explained")
	assert.Equal(t, "ana 2026-02 0 0 0 0 0 no data no data no data", find("ana 2026-02"))
	assert.Equal(t, "bo 2026-01 0 0 0 0 0 no data no data no data", find("bo 2026-01 0"))
}

// TestHTMLGroupsSections: the page has the same columns and sections, and
// the agent table each agent's availability with its days.
func TestHTMLGroupsSections(t *testing.T) {
	page := renderHTML(t, groupsFixture(), "")
	assert.Contains(t, page, "<th class=\"num\">availability (days)</th>")
	assert.Contains(t, page, "<td class=\"num\">6.00 h/day (3)</td>")
	assert.Contains(t, page, "<td class=\"num\">3.00 h/day (1)</td>")
	assert.Contains(t, page, `7.00 h/day<span class="n">n 2</span>`)
	assert.Contains(t, page, `14h00m00s<span class="n">n 2</span>`)
	assert.Contains(t, page, "<h2>Money by group (EUR)</h2>")
	assert.Contains(t, page, "<h2>Retention by group (customers by month)</h2>")
	assert.NotContains(t, page, "Availability by period", "by agent: the tables have each agent's")
}

// TestAvailabilityChart: a report by period only draws the mean hours a
// day of every period in order, a period without presence as a gap.
func TestAvailabilityChart(t *testing.T) {
	s := &chatkpi.Summary{Period: "month", Groups: []chatkpi.GroupSummary{
		{Period: "2026-01", MetricsSummary: chatkpi.MetricsSummary{Conversations: 1,
			Availability: []chatkpi.AvailabilitySummary{{Day: "2026-01-01", OnlineHours: 8}, {Day: "2026-01-02", OnlineHours: 6}}}},
		{Period: "2026-03", MetricsSummary: chatkpi.MetricsSummary{Conversations: 1,
			Availability: []chatkpi.AvailabilitySummary{{Day: "2026-03-01", OnlineHours: 12}}}},
	}}
	cs, err := availabilityChart(s)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	svg := string(cs[0].SVG)
	assert.Contains(t, svg, "<title>hours a day 2026-01: 7h</title>")
	assert.Contains(t, svg, "<title>hours a day 2026-03: 12h</title>")
	assert.NotContains(t, svg, "hours a day 2026-02:", "February has no presence: a gap")
	assert.Contains(t, svg, "2026-02", "but it is on the time axis")
	assert.Contains(t, cs[0].Note, "over 3 days")

	// By agent: a line per agent, an agent's period without presence a
	// gap.
	cs, err = availabilityChart(groupsFixture())
	require.NoError(t, err)
	require.Len(t, cs, 1)
	svg = string(cs[0].SVG)
	assert.Equal(t, "Availability by agent and period", cs[0].Title)
	for _, point := range []string{"ana 2026-01: 7h", "ana 2026-02: 4h", "bo 2026-01: 3h"} {
		assert.Contains(t, svg, "<title>"+point+"</title>")
	}
	assert.NotContains(t, svg, "bo 2026-02:")
	assert.Contains(t, cs[0].Note, "(4 agent-days)")

	// No presence, or other groupings: no chart.
	other := groupsFixture()
	other.GroupBy = []string{"source"}
	cs, err = availabilityChart(other)
	require.NoError(t, err)
	assert.Empty(t, cs)
	s.Groups[0].Availability, s.Groups[1].Availability = nil, nil
	cs, err = availabilityChart(s)
	require.NoError(t, err)
	assert.Empty(t, cs)
}

// TestAvailabilityChartCapsAgents: with more agents than the chart has
// lines for, it draws those with the most conversations and says how many
// it leaves out.
func TestAvailabilityChartCapsAgents(t *testing.T) {
	s := &chatkpi.Summary{Period: "day", GroupBy: []string{"agent"}}
	for i := range maxAvailabilityAgents + 2 {
		s.Groups = append(s.Groups, chatkpi.GroupSummary{Key: map[string]string{"agent": string(rune('a' + i))}, Period: "2026-01-01",
			MetricsSummary: chatkpi.MetricsSummary{Conversations: int64(i + 1),
				Availability: []chatkpi.AvailabilitySummary{{Day: "2026-01-01", OnlineHours: float64(i + 1)}}}})
	}
	cs, err := availabilityChart(s)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	svg := string(cs[0].SVG)
	assert.NotContains(t, svg, "<title>a 2026-01-01:", "the fewest conversations")
	assert.NotContains(t, svg, "<title>b 2026-01-01:")
	assert.Contains(t, svg, "<title>j 2026-01-01: 10h</title>")
	assert.Contains(t, cs[0].Note, "the 8 of 10 agents with the most conversations")
}

// TestCSVGroupsSections: the tidy CSV has the money of each group and
// period and the retention of each group key, in the groups' cells.
func TestCSVGroupsSections(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, CSV(&b, groupsFixture()))
	out := b.String()
	for _, row := range []string{
		"group,2026-01,ana,money[EUR],human_conversations,3,",
		"group,2026-01,ana,money[EUR],human_cost,12,",
		"group,2026-01,ana,money[EUR],human_cost_per_conversion,6,",
		"group,2026-01,bo,money[EUR],periods,0,",
		"overall,,,money[EUR],human_cost,12,",
		"group,,ana,retention,customers,3,",
		"group,,ana,retention,churn.count,2,3",
		"group,,bo,retention,returning_users.of,2,2",
		"group,2026-02,ana,retention,start,0,",
	} {
		assert.Contains(t, out, "\n"+row+"\n")
	}
	assert.NotContains(t, out, "group,2026-01,ana,money[EUR],roi_percent", "undefined: no row")
}
