package reportflags

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// comparison is one -compare GROUPING=A,B.
type comparison struct{ grouping, a, b string }

// comparisons is the repeatable -compare flag.
type comparisons []comparison

func (c *comparisons) String() string {
	if c == nil {
		return ""
	}
	parts := make([]string, len(*c))
	for i, x := range *c {
		parts[i] = x.grouping + "=" + x.a + "," + x.b
	}
	return strings.Join(parts, " ")
}

// Set reads GROUPING=A,B: a grouping as -group-by names it and two distinct
// values, which may not contain commas.
func (c *comparisons) Set(v string) error {
	name, values, ok := strings.Cut(v, "=")
	a, b, ok2 := strings.Cut(values, ",")
	if !ok || !ok2 || a == "" || b == "" || strings.Contains(b, ",") {
		return fmt.Errorf("%q is not GROUPING=A,B such as source=greeting-a,greeting-b", v)
	}
	if _, err := chatkpi.ParseGrouping(name); err != nil {
		return fmt.Errorf("unknown grouping %q (want agent, channel, source, handler or dim:NAME)", name)
	}
	if a == b {
		return fmt.Errorf("%q compares %s with itself", v, a)
	}
	*c = append(*c, comparison{name, a, b})
	return nil
}

// moneyFlags are the flags of the money, comparison and retention
// sections.
type moneyFlags struct {
	costs        string
	compare      comparisons
	churnHorizon int
}

func (m *moneyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.costs, "costs", "", "costs JSON `file` (currency, human_conversation_cost, bot_cost_per_period, investment): adds cost per conversion, cost saved, ROI and payback (see README)")
	fs.Var(&m.compare, "compare", "compare two values of a grouping, `GROUPING=A,B` (e.g. source=greeting-a,greeting-b or handler=bot,human): CSAT, containment, conversion, NPS and first response time with differences, 95 % intervals and p-values; adds the grouping to -group-by; repeatable")
	fs.IntVar(&m.churnHorizon, "churn-horizon", chatkpi.DefaultChurnHorizon, "churn over a horizon of this many `periods`, 1 − (1 − churn)^k, in the retention section")
}

// settings fills the sections' settings of rs, after -group-by.
func (m *moneyFlags) settings(rs *chatkpi.ReportSettings) error {
	if m.costs != "" {
		data, err := os.ReadFile(m.costs)
		if err != nil {
			return fmt.Errorf("-costs: %w", err)
		}
		if rs.Costs, err = chatkpi.ParseCosts(data); err != nil {
			return fmt.Errorf("-costs %s: %s", m.costs, strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
	}
	if m.churnHorizon <= 0 { // 0 would mean the default
		return Usagef("-churn-horizon: %d is not a positive number of periods", m.churnHorizon)
	}
	if m.churnHorizon != chatkpi.DefaultChurnHorizon {
		rs.Retention.Horizon = m.churnHorizon
	}
	for _, c := range m.compare {
		n := slices.IndexFunc(rs.GroupBy[:], func(g chatkpi.Grouping) bool { return g == chatkpi.Grouping{} })
		if slices.ContainsFunc(rs.GroupBy[:], func(g chatkpi.Grouping) bool { return g.Name() == c.grouping }) {
			continue
		}
		if n < 0 {
			return Usagef("-compare %s: -group-by has %d groupings already, at most %d", c.grouping, chatkpi.MaxGroupings, chatkpi.MaxGroupings)
		}
		rs.GroupBy[n], _ = chatkpi.ParseGrouping(c.grouping)
	}
	return nil
}

// AddComparisons appends to sum the comparisons that -compare asks for, of
// rep, the report built with [Flags.ReportSettings]. A value that the
// data does not have is an error naming it.
func (f *Flags) AddComparisons(rep *chatkpi.Report, sum *chatkpi.Summary) error {
	for _, c := range f.money.compare {
		cs, err := rep.Compare(c.grouping, c.a, c.b)
		if err != nil {
			return fmt.Errorf("-compare %s=%s,%s: %s", c.grouping, c.a, c.b, strings.ReplaceAll(err.Error(), "chatkpi: ", ""))
		}
		sum.Comparisons = append(sum.Comparisons, cs)
	}
	return nil
}
