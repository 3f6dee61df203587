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
	n := make([]string, len(groupColumns(bots)))
	f := m.FirstResponseTime
	if bots {
		f = m.HumanFirstResponseTime
	}
	if f != nil && f.Count > 0 {
		n[1] = fmt.Sprint(f.Count)
	}
	if m.CSAT != nil {
		n[3] = fmt.Sprint(m.CSAT.Responses)
	}
	if m.NPS != nil {
		n[4] = fmt.Sprint(m.NPS.Responses)
	}
	if m.Containment != nil {
		n[5] = fmt.Sprint(m.Containment.Of)
	}
	if m.Conversion != nil {
		n[6] = fmt.Sprint(m.Conversion.Of)
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
