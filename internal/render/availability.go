package render

import (
	"cmp"
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

// maxAvailabilityAgents caps the lines of the availability chart by
// agent; the agents with the most conversations are drawn and the caption
// says how many are left out (the tables have every agent).
const maxAvailabilityAgents = 8

// availabilityChart draws the availability per period as lines over every
// period in order (a period without presence is a gap), in mean hours a
// day: of the team (hours with at least one agent online) for a report
// grouped by period only, of each agent for a report grouped by agent and
// period (the [maxAvailabilityAgents] agents with the most conversations).
// No chart without a period, without availability, or with other
// groupings.
func availabilityChart(s *chatkpi.Summary) ([]chart, error) {
	byAgent := slices.Contains(s.GroupBy, "agent")
	if s.Period == "" || len(s.GroupBy) > 0 && !byAgent ||
		!slices.ContainsFunc(s.Groups, func(g chatkpi.GroupSummary) bool { return len(g.Availability) > 0 }) {
		return nil, nil
	}
	title, name := "Availability by period", func(*chatkpi.GroupSummary) string { return "hours a day" }
	if byAgent {
		title, name = "Availability by agent and period", func(g *chatkpi.GroupSummary) string { return displayKey(g.Key["agent"]) }
	}
	// The periods in order, and each line's days per period (an agent's
	// are the same in each of the agent's groups of a period).
	var periods []string
	lines := map[string]map[string][]chatkpi.AvailabilitySummary{}
	conversations := map[string]int64{}
	var order []string
	for i := range s.Groups {
		g := &s.Groups[i]
		if n := len(periods); n == 0 || periods[n-1] != g.Period {
			periods = append(periods, g.Period)
		}
		line := name(g)
		if lines[line] == nil {
			lines[line] = map[string][]chatkpi.AvailabilitySummary{}
			order = append(order, line)
		}
		conversations[line] += g.Conversations
		if len(g.Availability) > 0 {
			lines[line][g.Period] = g.Availability
		}
	}
	order = slices.DeleteFunc(order, func(l string) bool { return len(lines[l]) == 0 })
	slices.Sort(order)
	shown := order
	if len(order) > maxAvailabilityAgents {
		ranked := slices.Clone(order)
		slices.SortStableFunc(ranked, func(a, b string) int { return cmp.Compare(conversations[b], conversations[a]) })
		keep := ranked[:maxAvailabilityAgents]
		shown = slices.DeleteFunc(slices.Clone(order), func(l string) bool { return !slices.Contains(keep, l) })
	}
	index := make([]float64, len(periods))
	for i := range periods {
		index[i] = float64(i + 1)
	}
	labels, index := fillPeriods(s.Period, periods, index) // 0: a period without a group
	var series []svgchart.Series
	days := 0
	for _, line := range shown {
		sr := svgchart.Series{Name: line, Values: make([]float64, len(labels)), Missing: make([]bool, len(labels))}
		for i := range labels {
			h, _, n := 0.0, 0.0, 0
			if index[i] > 0 {
				h, _, n = availabilityFigures(lines[line][periods[int(index[i])-1]])
			}
			if n == 0 {
				sr.Missing[i] = true
				continue
			}
			sr.Values[i], days = h, days+n
		}
		series = append(series, sr)
	}
	svg, err := svgchart.Line(svgchart.Chart{Title: title, Labels: labels, Series: series, YUnit: "h"})
	c := chart{Title: title, SVG: template.HTML(svg),
		Note: fmt.Sprintf("Mean hours a day with at least one agent online, from presence events, over %d days; a gap is a period without them.", days)}
	if byAgent {
		c.Note = fmt.Sprintf("Each agent's mean online hours a day in each period, from presence events (%d agent-days); a gap is a period without the agent.", days)
		if len(shown) < len(order) {
			c.Note += fmt.Sprintf(" Shown: the %d of %d agents with the most conversations; the tables have every agent.", len(shown), len(order))
		}
	}
	return []chart{c}, err
}
