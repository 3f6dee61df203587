package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// The money and retention of each group ([chatkpi.MoneySummary].Groups,
// [chatkpi.RetentionSummary].Groups), as sections after the overall ones,
// in the table and on the page.

// sectionGroupLabel writes a group key in the order of the summary's
// groupings, as the charts label groups.
func sectionGroupLabel(groupBy []string, key map[string]string) string {
	parts := make([]string, len(groupBy))
	for i, name := range groupBy {
		parts[i] = displayKey(key[name])
	}
	return strings.Join(parts, " · ")
}

// moneyGroupSection has one row per group and period: the group's own
// counts and amounts, and the human cost per conversion; the running cost
// and the investment are not attributed to groups, which the note says.
func moneyGroupSection(m *chatkpi.MoneySummary, s *chatkpi.Summary) section {
	sec := section{
		Title: "Money by group (" + m.Currency + ")",
		Note: "A group is charged no running cost or investment (running cost and investment are not attributed to groups): its cost per conversion, ROI and payback are undefined; they are overall and per period above. " +
			"Human conversations: escalated or resolved by an agent; human cost = human conversations × human conversation cost; cost saved = contained × human conversation cost; gain = revenue + cost saved.",
	}
	periods := s.Period != ""
	if periods {
		sec.Head = append(sec.Head, "period")
	}
	sec.Head = append(sec.Head, "group", "contained", "conversions", "revenue", "cost saved", "gain", "human conversations", "human cost", "human cost per conversion")
	for i := range m.Groups {
		g := &m.Groups[i]
		var row []string
		if periods {
			row = append(row, displayKey(g.Period))
		}
		row = append(row, sectionGroupLabel(s.GroupBy, g.Key), strconv.FormatInt(g.Contained, 10), strconv.FormatInt(g.Conversions, 10),
			money(g.Revenue), money(g.CostSaved), money(g.Gain), strconv.FormatInt(g.HumanConversations, 10), money(g.HumanCost),
			moneyValue(g.HumanCostPerConversion))
		sec.Rows = append(sec.Rows, row)
	}
	return sec
}

// retentionGroupSection has one row per group key: its customers,
// returning users, repeat contacts and churn pooled over its periods.
func retentionGroupSection(r *chatkpi.RetentionSummary, s *chatkpi.Summary) section {
	sec := section{
		Title: "Retention by group (customers by " + s.Period + ")",
		Head:  []string{"group", "customers", "returning users", "repeat contacts", "churn per period", fmt.Sprintf("churn over %d", r.HorizonPeriods), "periods"},
		Note:  "Each group's customers are those of its own conversations: a customer active in two groups counts in both, and moving to another group is churn in the first. Churn pools the group's periods (Σ lost ÷ Σ start); each group's periods follow. The cohort triangle is overall only.",
	}
	optPct := func(p *float64) string {
		if p == nil {
			return noData
		}
		return percent(*p)
	}
	withCounts := func(x *chatkpi.RateSummary) string {
		if x == nil {
			return noData
		}
		return fmt.Sprintf("%s (%d of %d)", optRate(x), x.Count, x.Of)
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		sec.Rows = append(sec.Rows, []string{sectionGroupLabel(s.GroupBy, g.Key), strconv.FormatInt(g.Customers, 10),
			withCounts(g.Returning), withCounts(g.RepeatContacts), withCounts(g.Churn), optPct(g.ChurnOverHorizonPercent),
			strconv.Itoa(len(g.Periods))})
	}
	return sec
}

// retentionGroupPeriodsSection has the periods of every group key, as the
// overall retention section has the report's: the customer flow, the
// retention and churn with their counts.
func retentionGroupPeriodsSection(r *chatkpi.RetentionSummary, s *chatkpi.Summary) section {
	sec := section{
		Title: "Retention by group and period",
		Head:  []string{"group", "period", "start", "end", "new", "won back", "kept", "retention", "churn", fmt.Sprintf("churn over %d", r.HorizonPeriods)},
		Note:  "Start: the group's customers active in the period before; retention = kept ÷ start, with new and won-back customers not counted as kept.",
	}
	optPct := func(p *float64) string {
		if p == nil {
			return noData
		}
		return percent(*p)
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		label := sectionGroupLabel(s.GroupBy, g.Key)
		for _, p := range g.Periods {
			sec.Rows = append(sec.Rows, []string{label, displayKey(p.Period), strconv.FormatInt(p.Start, 10), strconv.FormatInt(p.End, 10),
				strconv.FormatInt(p.New, 10), strconv.FormatInt(p.WonBack, 10), strconv.FormatInt(p.Kept, 10),
				optRate(p.Retention), optRate(p.Churn), optPct(p.ChurnOverHorizonPercent)})
		}
	}
	return sec
}

// retentionSmall reports whether a rate of the retention sections, overall
// or of a group, is marked as a small sample.
func retentionSmall(r *chatkpi.RetentionSummary) bool {
	if r == nil {
		return false
	}
	rates := []*chatkpi.RateSummary{r.Returning, r.RepeatContacts, r.Churn}
	for _, p := range r.Periods {
		rates = append(rates, p.Retention, p.Churn)
	}
	for _, x := range rates {
		if x != nil && x.SmallSample {
			return true
		}
	}
	for i := range r.Groups {
		if retentionSmall(&r.Groups[i].RetentionSummary) {
			return true
		}
	}
	return false
}
