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
// figures ([chatkpi.AgentSummary]), one row per agent, and takes their
// "agent …" rows out of the overall metrics, which the terminal table
// keeps.
func (p *page) agentTable(s *chatkpi.Summary) {
	if len(s.Overall.Agents) == 0 {
		return
	}
	p.AgentHead = agentHead()
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
		}
		p.Agents = append(p.Agents, agentRow{Agent: displayKey(a.Agent), Cells: []string{
			fmt.Sprint(a.Conversations), fmt.Sprint(a.Replies), perConv, fmt.Sprint(a.MaxConcurrent), mean, seconds(a.BusySeconds), online}})
	}
	p.Metrics = slices.DeleteFunc(p.Metrics, func(r metricRow) bool { return strings.HasPrefix(r.Name, "agent ") })
}
