package chatkpi

import (
	"slices"
	"strconv"
	"strings"
)

// SLAPolicySummary is the verdicts of a report's SLA policy
// ([ReportSettings].SLA, see [SLA]) in one set of conversations, one entry
// per SLA metric, null when no clock of that metric started.
type SLAPolicySummary struct {
	FirstReply    *SLAMetricSummary `json:"first_reply"`
	NextReply     *SLAMetricSummary `json:"next_reply"`
	RequesterWait *SLAMetricSummary `json:"requester_wait"`
	Resolution    *SLAMetricSummary `json:"resolution"`
}

// SLAMetricSummary is the verdicts of one SLA metric: Met + Breached +
// Running conversations had its clock started (Running: no verdict yet at
// the end of the data). Attainment is Met ÷ (Met + Breached) with its 95 %
// Wilson interval (null when nothing is decided); OverTarget the time over
// target of the breaches (elapsed − target: count, mean, p50, p90, …; null
// without breaches).
type SLAMetricSummary struct {
	Met        int64          `json:"met"`
	Breached   int64          `json:"breached"`
	Running    int64          `json:"running"`
	Attainment *RateSummary   `json:"attainment"`
	OverTarget *TimingSummary `json:"over_target"`
}

// summary returns the summary of the verdicts, nil when there are none.
func (s *SLA) summary(labels bucketLabels) (*SLAPolicySummary, error) {
	r, err := s.Result()
	if err != nil {
		return nil, nil // ErrNoData: no clock started
	}
	out := &SLAPolicySummary{}
	for _, m := range r.Metrics {
		ms := &SLAMetricSummary{Met: m.Met, Breached: m.Breached, Running: m.Running, Attainment: rateSummary(m.Attainment)}
		if m.Breached > 0 {
			if ms.OverTarget, err = timingSummary(labels, m.OverTarget, nil, m.Breached, 0, 0); err != nil {
				return nil, err
			}
		}
		switch m.Metric {
		case FirstReplySLA:
			out.FirstReply = ms
		case NextReplySLA:
			out.NextReply = ms
		case RequesterWaitSLA:
			out.RequesterWait = ms
		case ResolutionSLA:
			out.Resolution = ms
		}
	}
	return out, nil
}

// settingsOnly returns an empty SLA with s's policy.
func (s *SLA) settingsOnly() SLA { return SLA{cfg: s.cfg} }

// anyBusiness reports whether a target of the policy is in business hours.
func (s *SLA) anyBusiness() bool {
	for i := range s.cfg.targets {
		if s.cfg.targets[i].BusinessHours {
			return true
		}
	}
	return false
}

// checkSLAPriorities returns the error about a target of the policy whose
// priority is not one of the report's priorities (a target no conversation
// could match), or nil; any priority without a list.
func checkSLAPriorities(p *SLAPolicy, priorities []string) error {
	if len(priorities) == 0 {
		return nil
	}
	for i, t := range p.targets() {
		if t.Priority != "" && !slices.Contains(priorities, t.Priority) {
			return invalidf("sla policy: targets["+strconv.Itoa(i)+"].priority", "%q is not one of the priorities %s (ReportSettings.Priorities, -priorities)",
				t.Priority, strings.Join(priorities, ", "))
		}
	}
	return nil
}
