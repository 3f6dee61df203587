package render

import (
	"fmt"
	"html/template"
	"slices"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// Availability per group: the summary gives a group of GroupByAgent its
// agent's own online hours per day, and a period of a report grouped by
// period only the hours of its days with an agent online
// ([chatkpi.MetricsSummary].Availability). The table's groups section and
// the page's group table show them as two columns, the page's agent table
// as one, and the page draws the periods' availability over time.

// availabilityFigures sums days of availability: the mean online hours a
// day over n days, and the total online seconds.
func availabilityFigures(days []chatkpi.AvailabilitySummary) (hoursADay, onlineSeconds float64, n int) {
	for _, d := range days {
		onlineSeconds += 3600 * d.OnlineHours
	}
	if len(days) == 0 {
		return 0, 0, 0
	}
	return onlineSeconds / 3600 / float64(len(days)), onlineSeconds, len(days)
}

// hoursADay formats a mean of online hours a day.
func hoursADay(h float64) string { return chatkpi.FormatFloat(h, 2) + " h/day" }

// availabilityGroupColumns returns the availability columns of the group
// tables when some group has availability: the mean online hours a day
// (n the days) and the online time over those days (n the days too);
// none otherwise.
func availabilityGroupColumns(s *chatkpi.Summary) []ticketGroupColumn {
	if !slices.ContainsFunc(s.Groups, func(g chatkpi.GroupSummary) bool { return len(g.Availability) > 0 }) {
		return nil
	}
	cell := func(value func(h, online float64) string) func(m *chatkpi.MetricsSummary) (string, string) {
		return func(m *chatkpi.MetricsSummary) (string, string) {
			h, online, n := availabilityFigures(m.Availability)
			if n == 0 {
				return noData, ""
			}
			return value(h, online), fmt.Sprint(n)
		}
	}
	return []ticketGroupColumn{
		{"availability", cell(func(h, _ float64) string { return hoursADay(h) })},
		{"online", cell(func(_, online float64) string { return seconds(online) })},
	}
}

// agentAvailability returns each agent's online hours per day over every
// day of theirs in the groups of a summary grouped by agent (a day counted
// once however many groups of the agent hold it); nil without such groups.
// A group holds the agent's days of its period, so a period in which the
// agent has no group (no conversation) is not in them.
func agentAvailability(s *chatkpi.Summary) map[string][]chatkpi.AvailabilitySummary {
	if !slices.Contains(s.GroupBy, "agent") {
		return nil
	}
	var out map[string][]chatkpi.AvailabilitySummary
	seen := map[[2]string]bool{}
	for i := range s.Groups {
		g := &s.Groups[i]
		agent := g.Key["agent"]
		for _, d := range g.Availability {
			if seen[[2]string{agent, d.Day}] {
				continue
			}
			seen[[2]string{agent, d.Day}] = true
			if out == nil {
				out = map[string][]chatkpi.AvailabilitySummary{}
			}
			out[agent] = append(out[agent], d)
		}
	}
	return out
}

// agentAvailabilityText describes an agent's availability for the text
// table's Agents section ("" when unknown).
func agentAvailabilityText(days []chatkpi.AvailabilitySummary) string {
	h, _, n := availabilityFigures(days)
	if n == 0 {
		return ""
	}
	if n == 1 {
		return fmt.Sprintf("; available %s over 1 day", hoursADay(h))
	}
	return fmt.Sprintf("; available %s over %d days", hoursADay(h), n)
}

// availabilityChart draws the availability of every period of a report
// grouped by period only, as a line over every period in order (a period
// without presence is a gap): the mean hours a day with an agent online.
// No chart when no period has availability, or with groupings (the group
// tables have each agent's).
func availabilityChart(s *chatkpi.Summary) ([]chart, error) {
	const title = "Availability by period"
	if s.Period == "" || len(s.GroupBy) > 0 ||
		!slices.ContainsFunc(s.Groups, func(g chatkpi.GroupSummary) bool { return len(g.Availability) > 0 }) {
		return nil, nil
	}
	labels := make([]string, len(s.Groups))
	index := make([]float64, len(s.Groups))
	for i := range s.Groups {
		labels[i], index[i] = s.Groups[i].Period, float64(i+1)
	}
	labels, index = fillPeriods(s.Period, labels, index) // 0: a period without a group
	sr := svgchart.Series{Name: "hours a day", Values: make([]float64, len(labels)), Missing: make([]bool, len(labels))}
	days := 0
	for i := range labels {
		if index[i] == 0 {
			sr.Missing[i] = true
			continue
		}
		h, _, n := availabilityFigures(s.Groups[int(index[i])-1].Availability)
		if n == 0 {
			sr.Missing[i] = true
			continue
		}
		sr.Values[i], days = h, days+n
	}
	svg, err := svgchart.Line(svgchart.Chart{Title: title, Labels: labels, Series: []svgchart.Series{sr}, YUnit: "h"})
	return []chart{{Title: title, SVG: template.HTML(svg),
		Note: fmt.Sprintf("Mean hours a day with at least one agent online, from presence events, over %d days; a gap is a period without them.", days)}}, err
}
