package chatkpi

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
		if mean, err := st.AverageConcurrency(); err == nil {
			out[i].MeanConcurrency = &mean
		}
	}
	return out
}
