package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// agentRow is one agent of the page's agent table.
type agentRow struct {
	Agent string
	Cells []string
}

// agentHead heads the page's agent table: the conversations each figure
// rests on come first.
func agentHead() []string {
	return []string{"conversations (n)", "replies", "replies per conversation", "peak concurrency", "mean concurrency", "busy", "online"}
}

// agentTable fills the page's agent table from the summary's per-agent
// figures ([chatkpi.AgentSummary]), one row per agent — with the agent's
// mean online hours a day and its days when the summary is grouped by
// agent ([agentAvailability]) — and takes their
// "agent …" rows out of the overall metrics, which the terminal table
// keeps.
func (p *page) agentTable(s *chatkpi.Summary) {
	if len(s.Overall.Agents) == 0 {
		return
	}
	p.AgentHead = agentHead()
	avail := agentAvailability(s) // grouped by agent: each agent's days
	if avail != nil {
		p.AgentHead = append(p.AgentHead, "availability (days)")
	}
	for _, a := range s.Overall.Agents {
		perConv, mean, online := noData, noData, noData
		if a.Conversations > 0 {
			perConv = chatkpi.FormatFloat(float64(a.Replies)/float64(a.Conversations), 2)
		}
		if a.MeanConcurrency != nil {
			mean = chatkpi.FormatFloat(*a.MeanConcurrency, 2)
		}
		if a.OnlineSeconds != nil {
			online = seconds(*a.OnlineSeconds)
		} else if s.Overall.AvailabilityUndefined != "" { // streaming, presence out of start order
			online = "undefined"
		}
		peak, busy := fmt.Sprint(a.MaxConcurrent), seconds(a.BusySeconds)
		if a.ConcurrencyUndefined != "" { // streaming, out of start order: not measured
			peak, busy = noData, noData
		}
		row := agentRow{Agent: displayKey(a.Agent), Cells: []string{
			fmt.Sprint(a.Conversations), fmt.Sprint(a.Replies), perConv, peak, mean, busy, online}}
		if avail != nil {
			cell := noData
			if h, _, n := availabilityFigures(avail[a.Agent]); n > 0 {
				cell = fmt.Sprintf("%s (%d)", hoursADay(h), n)
			}
			row.Cells = append(row.Cells, cell)
		}
		p.Agents = append(p.Agents, row)
	}
	p.Metrics = slices.DeleteFunc(p.Metrics, func(r metricRow) bool { return strings.HasPrefix(r.Name, "agent ") })
}
