package chatkpi

import "strings"

// Metric names a part of a [Report], for [ReportSettings].Metrics. The counts of
// conversations and messages are always kept.
type Metric uint32

// The metrics of a report; each names the accumulator that computes it.
const (
	MetricFirstResponse  Metric = 1 << iota // [FirstResponseTime]
	MetricResponseTime                      // [ResponseTime]
	MetricResolutionTime                    // [ResolutionTime]
	MetricChatDuration                      // [ChatDuration]
	MetricQueueWait                         // [QueueWait] and queue abandonment
	MetricCSAT                              // [CSAT]
	MetricNPS                               // [NPS]
	MetricCES                               // [CES]
	MetricOutcomes                          // [Outcomes]: containment, escalation, reopen
	MetricBotQuality                        // [BotQuality]: bot accuracy and fallback rate
	MetricConversion                        // [Conversion]
	// MetricBotAndHuman is the first response and response times by a
	// human and by a bot, side by side with MetricFirstResponse and
	// MetricResponseTime (see [MetricsSummary]).
	MetricBotAndHuman
	// MetricAssignment is the time to assignment and the first response
	// after assignment (see [MetricsSummary]); not in [DefaultMetrics].
	MetricAssignment
	// MetricWaitTimes is [WaitTimes]: requester, agent and on-hold wait
	// time by ticket state; not in [DefaultMetrics].
	MetricWaitTimes
	// MetricTouches is [Touches]: one-, two- and multi-touch and
	// first-contact resolution; not in [DefaultMetrics] (it keeps the
	// contacts of every identified customer, see [Touches]).
	MetricTouches
	// MetricSuccessfulChat is the successful-chat rate of [Outcomes] (see
	// [SuccessfulChatSummary]); in streaming mode it keeps a constant per
	// identified customer (see [Report]).
	MetricSuccessfulChat
	// MetricAgents is the per-agent counts and concurrency of [Agents]
	// and the availability from presence events (see [AgentSummary]); not
	// in [DefaultMetrics] (it keeps 16 bytes per agent interval, see
	// [Report]).
	MetricAgents
	// MetricRetention is the customer-level section (see
	// [RetentionSummary]): retention, churn, cohorts, returning users and
	// repeat contacts, for a report with a period, overall and per group
	// key; not in [DefaultMetrics] (it keeps the active periods of every
	// identified customer, with groupings per group key and customer, see
	// [Report]).
	MetricRetention
	// MetricSLA is the verdicts of [ReportSettings].SLA (see [SLA]); not in
	// [DefaultMetrics], but a report whose Metrics are the default (0)
	// computes it when its policy has targets.
	MetricSLA

	// lastMetric is the last single metric.
	lastMetric = MetricSLA

	// AllMetrics is every metric.
	AllMetrics = DefaultMetrics | MetricAssignment | MetricWaitTimes | MetricTouches | MetricSuccessfulChat | MetricAgents |
		MetricRetention | MetricSLA
	// DefaultMetrics is the default of a report: every metric but the
	// assignment times, the ticket metrics (wait times, touches), the
	// per-agent figures and the retention section — options (Metrics:
	// [AllMetrics] in [ReportSettings] adds them); the last three keep
	// state that grows with the conversations or the customers (see
	// [Report]), so that a streaming report's memory is bounded by its
	// groups and its identified customers unless they are asked for. The
	// command asks for all of them but the assignment and ticket metrics.
	DefaultMetrics = MetricFirstResponse | MetricResponseTime | MetricResolutionTime | MetricChatDuration |
		MetricQueueWait | MetricCSAT | MetricNPS | MetricCES | MetricOutcomes | MetricBotQuality | MetricConversion |
		MetricBotAndHuman | MetricSuccessfulChat
)

// metricName is the name of a single metric, as [Metric.String] writes it
// and [ParseMetric] reads it; "" for anything else.
func metricName(m Metric) string {
	switch m {
	case MetricFirstResponse:
		return "first_response_time"
	case MetricResponseTime:
		return "response_time"
	case MetricResolutionTime:
		return "resolution_time"
	case MetricChatDuration:
		return "chat_duration"
	case MetricQueueWait:
		return "queue_wait"
	case MetricCSAT:
		return "csat"
	case MetricNPS:
		return "nps"
	case MetricCES:
		return "ces"
	case MetricOutcomes:
		return "outcomes"
	case MetricBotQuality:
		return "bot_quality"
	case MetricConversion:
		return "conversion"
	case MetricBotAndHuman:
		return "bot_and_human"
	case MetricAssignment:
		return "assignment"
	case MetricWaitTimes:
		return "wait_times"
	case MetricTouches:
		return "touches"
	case MetricSuccessfulChat:
		return "successful_chat"
	case MetricAgents:
		return "agents"
	case MetricRetention:
		return "retention"
	case MetricSLA:
		return "sla"
	}
	return ""
}

// Names returns the names of the metrics in m, in the order of the
// constants (the names of the fields of [MetricsSummary] they fill).
func (m Metric) Names() []string {
	var names []string
	for b := MetricFirstResponse; b != 0 && b <= lastMetric; b <<= 1 { // b != 0: the top bit shifts out
		if m&b != 0 {
			names = append(names, metricName(b))
		}
	}
	return names
}

// String returns the names of the metrics in m joined by "+"
// ("first_response_time+csat").
func (m Metric) String() string { return strings.Join(m.Names(), "+") }

// ParseMetric returns the metric of a name as [Metric.Names] writes it.
func ParseMetric(name string) (Metric, error) {
	for b := MetricFirstResponse; b != 0 && b <= lastMetric; b <<= 1 { // b != 0: the top bit shifts out
		if metricName(b) == name {
			return b, nil
		}
	}
	return 0, invalidf("metric", "%q is not one of %s", name, AllMetrics)
}
