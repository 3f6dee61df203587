package chatkpi

import "time"

// boundAgents makes the agents and presence of the empty accumulators p of
// a report in streaming mode bounded (see agentsBounded and
// presenceSweep), with no head held back.
func boundAgents(p *metricSet, c *reportConfig) {
	p.agents.bounded, p.agents.headUntil = agentsBounded(p), noInstant
	boundPresence(p, c)
}

// keepAgentHeads holds back the first sweep line of every agent of r, a
// new streaming report, until after until (Unix ns): so that a report of
// the conversations before, all ending by until, merges into r exactly
// (see [Agents]). [BuildReport] calls it for each shard but the first.
func (r *Report) keepAgentHeads(until int64) {
	if r.proto.agents.bounded {
		r.proto.agents.headUntil, r.overall.agents.headUntil = until, until
		r.proto.presence.sweep.headUntil, r.overall.presence.sweep.headUntil = until, until
	}
}

// latestEnd returns the latest event time of chats (Unix ns), noInstant
// without events.
func latestEnd(chats []*Chat) int64 {
	end := int64(noInstant)
	for _, c := range chats {
		if n := len(c.Events); n > 0 {
			if t, ok := unixNanos(c.Events[n-1].Time); ok {
				end = max(end, t)
			}
		}
	}
	return end
}

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

// recordOverallPresence sweeps, in streaming mode, the presence of the
// conversation just added into the overall metrics, the only ones that
// keep it (see presenceSweep): the report's availability is the union of
// all agents'.
func (r *Report) recordOverallPresence(info *Info, m *conversationMeasures) {
	if r.cfg.metrics&MetricAgents != 0 && r.overall.presence.sweep.on {
		r.overall.presence.record(&m.presence, info.Start)
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
	s.presence = presenceLog{sweep: overall.presence.sweep.emptyLike()}
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
