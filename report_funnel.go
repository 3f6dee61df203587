package chatkpi

// recordFunnel adds a conversation to the greeting funnel of the set when
// it has an engagement source (Info.Source: the greeting, page or link
// that opened it) and the report measures outcomes and conversion:
// displayed, accepted when the visitor wrote (not [Unengaged]), converted
// when accepted and with a goal. The event model has no event for a
// greeting shown: a greeting displayed and not accepted is a conversation
// with its Source and no customer message, as a widget records a proactive
// greeting nobody answered. Data that hold only the chats that started
// give an acceptance of 100 %.
func (s *metricSet) recordFunnel(info *Info, m *conversationMeasures, on Metric) {
	if info.Source == "" || on&MetricOutcomes == 0 {
		return
	}
	accepted := m.out.f.outcome != Unengaged
	_ = s.funnel.Add(accepted, accepted && m.goals > 0) // a goal counts only when accepted: never an error
}

// funnelSummary summarizes the greeting funnel; nil when no conversation
// had an engagement source.
func funnelSummary(f *Funnel) *FunnelSummary {
	r, err := f.Result()
	if err != nil {
		return nil
	}
	fs := &FunnelSummary{Displayed: r.Displayed, Accepted: r.Accepted, Converted: r.Converted,
		Acceptance: *rateSummary(r.Acceptance), Overall: *rateSummary(r.Overall), GoalRate: rateSummary(r.GoalRate)}
	return fs
}
