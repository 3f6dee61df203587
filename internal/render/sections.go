package render

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
)

// section is a titled table of the summary's money, comparison and
// retention sections, drawn the same way by the table and the page. Heat
// holds, for a heat-map table (the cohort triangle), each cell's shade in
// [0, 1], or −1 for a cell without a value.
type section struct {
	Title string
	Head  []string
	Rows  [][]string
	Heat  [][]float64
	Note  string
}

// maxCohortColumns caps the period columns of the cohort triangle in the
// table and the page; the JSON has every cell.
const maxCohortColumns = 24

// sections returns the money, comparison and retention sections of s, in
// that order, each only when s has it, the money and retention of each
// group after the overall ones.
func sections(s *chatkpi.Summary) []section {
	var out []section
	if m := s.Money; m != nil {
		out = append(out, moneySection(m))
		if len(m.Groups) > 0 {
			out = append(out, moneyGroupSection(m, s))
		}
	}
	for i := range s.Comparisons {
		out = append(out, comparisonSection(&s.Comparisons[i]))
	}
	if r := s.Retention; r != nil {
		out = append(out, retentionSection(r, s.Period), cohortSection(r))
		if len(r.Groups) > 0 {
			out = append(out, retentionGroupSection(r, s), retentionGroupPeriodsSection(r, s))
		}
	}
	return out
}

// money formats a decimal amount to two places, rounded half away from
// zero; the JSON has it exactly.
func money(v string) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return d.StringFixed(2)
}

func moneyValue(v chatkpi.MoneyValue) string {
	if v.Value == nil {
		return "undefined (" + v.Undefined + ")"
	}
	return money(*v.Value)
}

func moneySection(m *chatkpi.MoneySummary) section {
	sec := section{
		Title: "Money (" + m.Currency + ")",
		Head:  []string{"period", "contained", "conversions", "revenue", "cost saved", "gain", "cost", "cost per conversion", "ROI %", "payback periods"},
		Note: fmt.Sprintf("Human conversation %s, bot %s per period, investment %s (in the overall cost). Cost saved = contained × human conversation cost; gain = revenue + cost saved; ROI = (gain − cost) ÷ cost × 100; payback = investment ÷ gain per period.",
			money(m.HumanConversationCost), money(m.BotCostPerPeriod), money(m.Investment)),
	}
	row := func(label string, f *chatkpi.MoneyFigures) []string {
		return []string{label, strconv.FormatInt(f.Contained, 10), strconv.FormatInt(f.Conversions, 10), money(f.Revenue),
			money(f.CostSaved), money(f.Gain), money(f.Cost), moneyValue(f.CostPerConversion), moneyValue(f.ROIPercent),
			moneyValue(f.PaybackPeriods)}
	}
	sec.Rows = append(sec.Rows, row(fmt.Sprintf("overall (%d periods)", m.Overall.Periods), &m.Overall))
	for i := range m.Periods {
		sec.Rows = append(sec.Rows, row(displayKey(m.Periods[i].Period), &m.Periods[i].MoneyFigures))
	}
	sec.Note += fmt.Sprintf(" Human conversations (escalated or resolved by an agent): %d overall, costing %s (%s per conversion); not in the cost.",
		m.Overall.HumanConversations, money(m.Overall.HumanCost), moneyValue(m.Overall.HumanCostPerConversion))
	if len(m.OtherCurrencies) > 0 {
		sec.Note += fmt.Sprintf(" Goal values in %v are not converted and not in the revenue.", m.OtherCurrencies)
	}
	return sec
}

func comparisonSection(c *chatkpi.ComparisonSummary) section {
	sec := section{
		Title: fmt.Sprintf("Comparison: %s %s vs %s", displayKey(c.Grouping), displayKey(c.A), displayKey(c.B)),
		Head:  []string{"metric", "test", "A", "B", "A − B", "95 % CI", "p", "n A", "n B"},
		Note:  "Rates in %, differences in percentage points; NPS in points; first response times: medians, and the Hodges–Lehmann shift with its interval.",
	}
	for _, m := range []struct {
		name string
		m    *chatkpi.MetricComparison
		unit func(float64) string
		diff func(float64) string // the difference and its interval
	}{
		{"CSAT", &c.CSAT, pct, signed}, {"containment", &c.Containment, pct, signed}, {"conversion", &c.Conversion, pct, signed},
		{"NPS", &c.NPS, points, signed}, {"first response time", &c.FirstResponseTime, seconds, seconds},
		{"human first response", &c.HumanFirstResponseTime, seconds, seconds},
	} {
		x := m.m
		opt := func(p *float64, f func(float64) string) string {
			if p == nil {
				return noData
			}
			return f(*p)
		}
		r := []string{m.name, x.Test, opt(x.A, m.unit) + small(x.SmallSample && x.A != nil), opt(x.B, m.unit) + small(x.SmallSample && x.B != nil)}
		if x.Difference == nil {
			r = append(r, "undefined: "+x.Undefined, "", "")
		} else {
			diff := m.diff
			r = append(r, diff(*x.Difference), "["+diff(*x.CILow)+", "+diff(*x.CIHigh)+"]", pValue(*x.P))
		}
		r = append(r, strconv.FormatInt(x.NA, 10), strconv.FormatInt(x.NB, 10))
		sec.Rows = append(sec.Rows, r)
	}
	return sec
}

func pct(x float64) string    { return percent(x) }
func points(x float64) string { return signed(x) }

// pValue writes a p-value to four decimals, and a tiny one as "< 0.0001".
func pValue(p float64) string {
	if p < 0.0001 {
		return "< 0.0001"
	}
	return chatkpi.FormatFloat(p, 4)
}

func optRate(r *chatkpi.RateSummary) string {
	if r == nil {
		return noData
	}
	return percent(r.Percent) + small(r.SmallSample)
}

func retentionSection(r *chatkpi.RetentionSummary, period string) section {
	horizon := fmt.Sprintf("churn over %d", r.HorizonPeriods)
	sec := section{
		Title: "Retention (customers by " + period + ")",
		Head:  []string{"period", "start", "end", "new", "won back", "kept", "retention", "churn", horizon},
	}
	optPct := func(p *float64) string {
		if p == nil {
			return noData
		}
		return percent(*p)
	}
	for _, p := range r.Periods {
		sec.Rows = append(sec.Rows, []string{displayKey(p.Period), strconv.FormatInt(p.Start, 10), strconv.FormatInt(p.End, 10),
			strconv.FormatInt(p.New, 10), strconv.FormatInt(p.WonBack, 10), strconv.FormatInt(p.Kept, 10),
			optRate(p.Retention), optRate(p.Churn), optPct(p.ChurnOverHorizonPercent)})
	}
	repeat := noData + " (streaming mode keeps no contacts)"
	if x := r.RepeatContacts; x != nil {
		repeat = fmt.Sprintf("%s (%d of %d within %s)", optRate(x), x.Count, x.Of, seconds(r.RepeatWindowSeconds))
	}
	churn := noData
	if r.Churn != nil {
		churn = fmt.Sprintf("%s per period (%d of %d), %s over %d periods", optRate(r.Churn), r.Churn.Count, r.Churn.Of,
			optPct(r.ChurnOverHorizonPercent), r.HorizonPeriods)
	}
	sec.Note = fmt.Sprintf("%d customers; returning users %s (%d of %d); repeat contacts %s; churn %s. Start: customers active in the period before; retention = kept ÷ start, with new and won-back customers not counted as kept.",
		r.Customers, optRate(r.Returning), r.Returning.Count, r.Returning.Of, repeat, churn)
	return sec
}

// cohortSection is the cohort triangle: the share of each cohort active k
// periods after its first, shaded by that share.
func cohortSection(r *chatkpi.RetentionSummary) section {
	sec := section{Title: "Cohorts (share of each cohort active k periods after its first)", Head: []string{"cohort", "customers"}}
	width := 0
	for _, c := range r.Cohorts {
		width = max(width, len(c.Active))
	}
	shown := min(width, maxCohortColumns)
	for k := range shown {
		sec.Head = append(sec.Head, "+"+strconv.Itoa(k))
	}
	for _, c := range r.Cohorts {
		row := []string{displayKey(c.Period), strconv.FormatInt(c.Customers, 10)}
		heat := []float64{-1, -1}
		for k := range shown {
			if k >= len(c.Active) {
				row, heat = append(row, ""), append(heat, -1)
				continue
			}
			share := float64(c.Active[k]) / float64(c.Customers)
			row, heat = append(row, chatkpi.FormatFloat(100*share, 0)+" %"), append(heat, share)
		}
		sec.Rows, sec.Heat = append(sec.Rows, row), append(sec.Heat, heat)
	}
	switch {
	case len(r.Cohorts) == 0:
		sec.Note = "The triangle has too many cells to show; see the JSON summary."
	case shown < width:
		sec.Note = fmt.Sprintf("Periods +%d to +%d are left out here; the JSON summary has them.", shown, width-1)
	}
	return sec
}

// heatStyle is the background of a heat-map cell with shade h in [0, 1].
func heatStyle(h float64) string {
	if h < 0 || math.IsNaN(h) {
		return ""
	}
	return fmt.Sprintf("background: rgba(60, 120, 200, %.2f)", 0.08+0.72*h)
}

// writeSections writes each section as a titled, aligned table with its
// note, for the text table.
func writeSections(b *bytes.Buffer, secs []section) {
	for _, sec := range secs {
		fmt.Fprintf(b, "\n%s\n\n", sec.Title)
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  "+strings.Join(sec.Head, "\t")+"\t")
		for _, r := range sec.Rows {
			fmt.Fprintln(tw, "  "+strings.Join(r, "\t")+"\t")
		}
		tw.Flush()
		if sec.Note != "" {
			fmt.Fprintf(b, "  %s\n", sec.Note)
		}
	}
}
