package chatkpi

import "time"

// agentsBounded reports whether a report with the empty accumulators p
// sweeps each agent's intervals in start order (see [Agents]): in streaming
// mode, when every timing metric streams, as the successful-chat ledger
// decides (newReportRepeats).
func agentsBounded(p *metricSet) bool {
	for _, d := range p.statsConfigs() {
		if !d.streaming {
			return false
		}
	}
	return true
}

// recordOverallAgents records, in a grouped report in streaming mode, the
// agents' parts of the conversation just added in the overall metrics too:
// an agent's intervals in different groups interleave in time, so the
// overall concurrency of a bounded [Agents] cannot be the merge of the
// groups' (see [Agents]); it is swept on its own, as the conversations
// come. A grouped report's overall metrics hold nothing else.
func (r *Report) recordOverallAgents(m *conversationMeasures) {
	if r.cfg.metrics&MetricAgents != 0 && r.overall.agents.bounded {
		r.overall.agents.record(m.agents)
	}
}

// withoutOverallAgents returns the overall metrics of a grouped report
// without the agents that recordOverallAgents keeps there.
func withoutOverallAgents(overall *metricSet) *metricSet {
	if !overall.agents.bounded {
		return overall
	}
	s := *overall
	s.agents = Agents{bounded: true}
	return &s
}

// agentConcurrencyUndefined is the reason an agent's peak and busy time
// are not given.
const agentConcurrencyUndefined = "conversations of this agent came too far out of start order for streaming mode " +
	"(an interval before the agent's third-latest conversation start): the peak, busy time and mean concurrency need exact mode"

// agentsSummary summarizes the per-agent counts and concurrency of a set;
// nil when no agent handled a conversation.
func agentsSummary(a *Agents) []AgentSummary {
	stats, err := a.Result()
	if err != nil {
		return nil
	}
	out := make([]AgentSummary, len(stats))
	for i, st := range stats {
		out[i] = AgentSummary{Agent: st.Agent, Conversations: st.Conversations, Replies: st.Messages,
			MaxConcurrent: st.MaxConcurrent, OpenSeconds: st.OpenTime.Seconds(), BusySeconds: st.BusyTime.Seconds()}
		if a.agents[st.Agent].lost {
			out[i].ConcurrencyUndefined = agentConcurrencyUndefined
			continue
		}
		if mean, err := st.AverageConcurrency(); err == nil {
			out[i].MeanConcurrency = &mean
		}
	}
	return out
}

// agentsFrom sets the start of the conversation's agent turns to its start
// in the report's order, start when that is before its first event: the
// sweep of a bounded [Agents] takes no interval to begin before it.
func agentsFrom(turns []agentTurn, start time.Time) {
	ns, ok := unixNanos(start)
	if start.IsZero() || !ok {
		return
	}
	for i := range turns {
		turns[i].start = min(turns[i].start, ns)
	}
}
