package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// sampleNote explains the sample sizes under the group table's figures.
const sampleNote = "n: the answers, or conversations, each figure rests on."

// groupSampleSizes returns, in [groupColumns] order, the sample size each
// figure of [groupCells] rests on: the answered conversations of the first
// response percentiles (under p50), the CSAT and NPS answers, the
// conversations of containment and conversion; "" where a column has none
// or the figure has no data.
func groupSampleSizes(m *chatkpi.MetricsSummary, bots bool) []string {
	f := m.FirstResponseTime
	if bots {
		f = m.HumanFirstResponseTime
	}
	cols := groupColumns(bots)
	n := make([]string, len(cols))
	for i, col := range cols {
		switch {
		case strings.HasSuffix(col, "FRT p50") && f != nil && f.Count > 0:
			n[i] = fmt.Sprint(f.Count)
		case col == "CSAT" && m.CSAT != nil:
			n[i] = fmt.Sprint(m.CSAT.Responses)
		case col == "NPS" && m.NPS != nil:
			n[i] = fmt.Sprint(m.NPS.Responses)
		case col == "containment" && m.Containment != nil:
			n[i] = fmt.Sprint(m.Containment.Of)
		case col == "conversion" && m.Conversion != nil && m.Conversion.RateSummary != nil:
			n[i] = fmt.Sprint(m.Conversion.Of)
		}
	}
	return n
}

// presentCards leaves out the headline cards of the metrics the input has
// no events for ([absentMetrics]); the page names them in one line instead.
func presentCards(cs []card, absent []string) []card {
	return slices.DeleteFunc(cs, func(c card) bool {
		return slices.Contains(absent, strings.ToLower(c.Label)) || slices.Contains(absent, c.Label)
	})
}
