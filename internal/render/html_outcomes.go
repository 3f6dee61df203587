package render

import (
	"fmt"
	"html/template"
	"slices"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// outcomesChart draws the overall outcomes as a donut: every conversation
// has exactly one outcome, so the shares add up to the conversations. It
// is a "no data" note when the summary has no outcomes or the input has no
// outcome events (see [absentMetrics]).
func outcomesChart(s *chatkpi.Summary) (chart, error) {
	const title = "Outcomes"
	o := s.Overall.Outcomes
	if o == nil || slices.Contains(absentMetrics(&s.Overall, hasBots(&s.Overall)), "outcomes") {
		return noDataChart(title, "no conversation was resolved or handed over"), nil
	}
	labels := []string{"resolved by bot", "escalated", "resolved by agent", "abandoned", "unengaged"}
	values := []float64{float64(o.ResolvedByBot), float64(o.Escalated), float64(o.ResolvedByAgent), float64(o.Abandoned), float64(o.Unengaged)}
	total := o.ResolvedByBot + o.Escalated + o.ResolvedByAgent + o.Abandoned + o.Unengaged
	if total == 0 {
		return noDataChart(title, "no conversation"), nil
	}
	svg, err := svgchart.Donut(svgchart.Chart{Title: title, Labels: labels, Series: []svgchart.Series{{Name: "conversations", Values: values}}})
	return chart{Title: title, SVG: template.HTML(svg),
		Note: fmt.Sprintf("Each of the %d conversations has one outcome; escalated: handed over to a human, whatever came after.", total)}, err
}
