package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sptr(s string) *string { return &s }
func fp(x float64) *float64 { return &x }
func rs(c, of int64, pct float64) *chatkpi.RateSummary {
	return &chatkpi.RateSummary{Count: c, Of: of, Percent: pct, SmallSample: true}
}

// sectionsSummary is a summary with a money, a comparison and a retention
// section, its values written out (the figures are the library's tests').
func sectionsSummary() *chatkpi.Summary {
	s := emptySummary()
	s.Period = "month"
	s.Money = &chatkpi.MoneySummary{Currency: "EUR", HumanConversationCost: "4.2", BotCostPerPeriod: "500", Investment: "9000",
		OtherCurrencies: []string{"USD"},
		Overall: chatkpi.MoneyFigures{Periods: 3, Contained: 5, Conversions: 2, Revenue: "100", CostSaved: "21", Gain: "121",
			Cost: "10500", CostPerConversion: chatkpi.MoneyValue{Value: sptr("5250")},
			ROIPercent: chatkpi.MoneyValue{Value: sptr("-98.8476190476")}, PaybackPeriods: chatkpi.MoneyValue{Value: sptr("223.1404958678")}},
		Periods: []chatkpi.MoneyPeriod{{Period: "2026-12", MoneyFigures: chatkpi.MoneyFigures{Periods: 1, Contained: 2, Revenue: "0",
			CostSaved: "8.4", Gain: "8.4", Cost: "500", CostPerConversion: chatkpi.MoneyValue{Undefined: "zero conversions"},
			ROIPercent: chatkpi.MoneyValue{Value: sptr("-98.32")}, PaybackPeriods: chatkpi.MoneyValue{Value: sptr("1071.4285714286")}}}},
	}
	undefined := chatkpi.MetricComparison{Test: "two-proportion z", NB: 3, Undefined: "no data in A", SmallSample: true}
	s.Comparisons = []chatkpi.ComparisonSummary{{Grouping: "source", A: "<b>a</b>", B: "greeting-b",
		CSAT: undefined, Containment: undefined,
		Conversion: chatkpi.MetricComparison{Test: "two-proportion z", NA: 4, NB: 3, A: fp(50), B: fp(100.0 / 3),
			Difference: fp(16.666666666666668), CILow: fp(-55.76562458039969), CIHigh: fp(89.09895791373303),
			Z: fp(0.44), P: fp(0.6592430036926306), SmallSample: true},
		NPS: chatkpi.MetricComparison{Test: "nps z", NA: 2, NB: 1, A: fp(0), B: fp(100), Difference: fp(-100),
			CILow: fp(-238.59), CIHigh: fp(38.59), Z: fp(-1.41), P: fp(0.1573), SmallSample: true},
		FirstResponseTime: chatkpi.MetricComparison{Test: "mann-whitney u", NA: 4, NB: 3, A: fp(35), B: fp(30),
			Difference: fp(-12.5), CILow: fp(-85), CIHigh: fp(100), Z: fp(-0.18), P: fp(0.00001), SmallSample: true},
		HumanFirstResponseTime: chatkpi.MetricComparison{Test: "mann-whitney u", NA: 2, NB: 2, A: fp(90), B: fp(60),
			Difference: fp(30), CILow: fp(-30), CIHigh: fp(90), Z: fp(0.39), P: fp(0.6985), SmallSample: true},
	}}
	s.Retention = &chatkpi.RetentionSummary{Customers: 5, Returning: rs(3, 5, 60), RepeatContacts: rs(1, 10, 10),
		RepeatWindowSeconds: 86400, Churn: rs(7, 9, 700.0/9), HorizonPeriods: 12, ChurnOverHorizonPercent: fp(99.99999),
		Periods: []chatkpi.RetentionPeriod{
			{Period: "2026-01", End: 3, New: 3},
			{Period: "2026-02", Start: 3, End: 2, New: 1, Kept: 1, Retention: rs(1, 3, 100.0/3), Churn: rs(2, 3, 200.0/3), ChurnOverHorizonPercent: fp(99.9998)},
		},
		Cohorts: []chatkpi.CohortSummary{{Period: "2026-01", Customers: 3, Active: []int64{3, 1}}, {Period: "2026-02", Customers: 1, Active: []int64{1}}},
	}
	return s
}

func TestSectionsTable(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Table(&b, sectionsSummary()))
	out := b.String()
	for _, want := range []string{
		`\nMoney \(EUR\)\n`,
		`\n  overall \(3 periods\)  5 +2 +100\.00 +21\.00 +121\.00 +10500\.00 +5250\.00 +-98\.85 +223\.14\n`,
		`\n  2026-12 +2 +0 +0\.00 +8\.40 +8\.40 +500\.00 +undefined \(zero conversions\) +-98\.32 +1071\.43\n`,
		`Goal values in \[USD\] are not converted`,
		`\nComparison: source <b>a</b> vs greeting-b\n`,
		`\n  CSAT +two-proportion z +no data +no data +undefined: no data in A +0 +3\n`,
		`\n  conversion +two-proportion z +50\.00 %\* +33\.33 %\* +\+16\.67 +\[-55\.77, \+89\.10\] +0\.6592 +4 +3\n`,
		`\n  NPS +nps z +0\.00\* +\+100\.00\* +-100\.00 +\[-238\.59, \+38\.59\] +0\.1573 +2 +1\n`,
		`\n  first response time +mann-whitney u +35\.0s\* +30\.0s\* +-12\.5s +\[-1m25s, 1m40s\] +< 0\.0001 +4 +3\n`,
		`\n  human first response +mann-whitney u +1m30s\* +1m00s\* +30\.0s +\[-30\.0s, 1m30s\] +0\.6985 +2 +2\n`,
		`\nRetention \(customers by month\)\n`,
		`\n  2026-01 +0 +3 +3 +0 +0 +no data +no data +no data\n`,
		`\n  2026-02 +3 +2 +1 +0 +1 +33\.33 %\* +66\.67 %\* +100\.00 %\n`,
		`5 customers; returning users 60\.00 %\* \(3 of 5\); repeat contacts 10\.00 %\* \(1 of 10 within 1d00h00m\); churn 77\.78 %\* per period \(7 of 9\), 100\.00 % over 12 periods\.`,
		`\n  cohort   customers  \+0     \+1\n  2026-01  3          100 %  33 %\n  2026-02  1          100 %\n`,
	} {
		assert.Regexp(t, want, out)
	}
}

func TestSectionsHTML(t *testing.T) {
	page := renderHTML(t, sectionsSummary(), "sections")
	for _, want := range []string{
		"<h2>Money (EUR)</h2>",
		"<h2>Comparison: source &lt;b&gt;a&lt;/b&gt; vs greeting-b</h2>",
		"<td>human first response</td>",
		"<h2>Retention (customers by month)</h2>",
		`<td class="num" style="background: rgba(60, 120, 200, 0.80)">100 %</td>`,
		`<td class="num" style="background: rgba(60, 120, 200, 0.32)">33 %</td>`,
	} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "<b>a</b>")
	assert.Empty(t, externalRefs(page))
	// Without the sections, none of their headings.
	plain := renderHTML(t, emptySummary(), "plain")
	assert.False(t, strings.Contains(plain, "Money (") || strings.Contains(plain, "Retention (") || strings.Contains(plain, "Comparison:"))
}
