package render

import (
	"fmt"
	"html/template"
	"slices"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// funnelChart draws the overall greeting funnel ([chatkpi.FunnelSummary]):
// displayed → accepted → goal, each step's conversations as a bar, the
// caption giving each step's rate. It is a "no data" note without a funnel
// or without goals in the input (see [absentMetrics]).
func funnelChart(s *chatkpi.Summary) (chart, error) {
	const title = "Greeting funnel"
	f := s.Overall.Funnel
	if f == nil || f.Displayed == 0 || slices.Contains(absentMetrics(&s.Overall, hasBots(&s.Overall)), "greeting funnel") {
		return noDataChart(title, "no conversation with a source reached a goal"), nil
	}
	svg, err := svgchart.Bars(svgchart.Chart{Title: title, Labels: []string{"displayed", "accepted", "goal"},
		Series: []svgchart.Series{{Name: "conversations", Values: []float64{float64(f.Displayed), float64(f.Accepted), float64(f.Converted)}}}})
	note := fmt.Sprintf("Accepted %s of displayed; goal %s of displayed", rate(&f.Acceptance)+small(f.Acceptance.SmallSample), rate(&f.Overall)+small(f.Overall.SmallSample))
	if g := f.GoalRate; g != nil {
		note += fmt.Sprintf(", %s of accepted", rate(g)+small(g.SmallSample))
	}
	return chart{Title: title, SVG: template.HTML(svg), Note: note + "."}, err
}
