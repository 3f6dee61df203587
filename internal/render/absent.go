package render

import (
	"slices"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// absentLabel heads the one line of the table and the page that names the
// metrics the input has no events for, instead of a "no data" line each.
const absentLabel = "no events for"

// absentMetrics names, in the order the table shows them, the overall
// metrics that the input holds no events for: a metric without data (no
// survey answered, no resolution to reopen, no bot answer rated, no
// duration measured), and the rates whose events never occur in the whole
// input, where a 0 would describe the data's format rather than the team:
//
//   - outcomes, when no conversation was resolved or handed over (every
//     engaged conversation would be "abandoned");
//   - containment and escalation, when no bot replied and nothing was
//     handed over;
//   - conversion and goals, when there is no goal, and the greeting funnel,
//     whose last step is a goal;
//   - resolutions, completion and successful chat, when nothing was
//     resolved.
//
// Names are those of [metricRows] and [timingRows], so that the rows can be
// left out by name.
func absentMetrics(m *chatkpi.MetricsSummary, bots bool) []string {
	var out []string
	add := func(names ...string) {
		for _, n := range names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	for _, r := range metricRows(m) {
		if r.Value == noData {
			add(r.Name)
		}
	}
	resolved := m.ResolutionTime != nil && m.ResolutionTime.Count > 0
	escalated := m.Escalation != nil && m.Escalation.Count > 0
	if o := m.Outcomes; o != nil && !resolved && !escalated && o.ResolvedByBot+o.ResolvedByAgent+o.Escalated == 0 {
		add("outcomes")
	}
	if !bots && !escalated {
		add("containment", "escalation")
	}
	if c := m.Conversion; c != nil && c.Goals == 0 {
		add("conversion", "goals")
	}
	if r := m.Resolutions; r != nil && r.Resolved == 0 {
		add("resolutions", "completion", "successful chat")
	}
	if m.Funnel != nil && (m.Conversion == nil || m.Conversion.Goals == 0) {
		add("greeting funnel")
	}
	for _, r := range timingRows(m, bots) {
		if r.Cells == nil || r.Cells[0] == "0" {
			add(r.Name)
		}
	}
	return out
}

// presentRows returns the metric rows of m without the absent ones; an
// outcome row is absent with "outcomes".
func presentRows(m *chatkpi.MetricsSummary, absent []string) []metricRow {
	return slices.DeleteFunc(metricRows(m), func(r metricRow) bool {
		return slices.Contains(absent, r.Name) || strings.HasPrefix(r.Name, "outcome: ") && slices.Contains(absent, "outcomes")
	})
}

// presentTimings returns the timing rows of m without the absent ones.
func presentTimings(m *chatkpi.MetricsSummary, bots bool, absent []string) []timingRow {
	return slices.DeleteFunc(timingRows(m, bots), func(r timingRow) bool { return slices.Contains(absent, r.Name) })
}

// absentColumns returns the indexes of the group columns ([groupColumns])
// whose metric is absent overall: the column would read "no data", or a 0
// that says nothing, in every row.
func absentColumns(bots bool, absent []string) []int {
	frt := "first response time"
	if bots {
		frt = "human first response"
	}
	var out []int
	for i, col := range groupColumns(bots) {
		name := col
		if strings.HasSuffix(col, " p50") || strings.HasSuffix(col, " p90") {
			name = frt
		}
		if slices.Contains(absent, name) {
			out = append(out, i)
		}
	}
	return out
}

// dropColumns returns cells without the given indexes.
func dropColumns(cells []string, drop []int) []string {
	out := make([]string, 0, len(cells))
	for i, c := range cells {
		if !slices.Contains(drop, i) {
			out = append(out, c)
		}
	}
	return out
}
