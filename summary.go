package chatkpi

// Summary is the stable, documented JSON schema of a report: what
// `chatkpi -format json` prints and what renderers (table, CSV, HTML) draw.
// Every metric is a pointer that is null (nil) when it has no data — never 0.
// Numbers keep full precision; round only when displaying ([FormatFloat]).
//
// Compatibility: fields may be added in later versions; none is renamed or
// removed without a change of SchemaVersion.
//
// Small samples: every rate, score and mean says when it rests on too little
// to compare: a SmallSample field is true when it rests on fewer than 30
// answers (durations, trials, responses), or when its 95 % interval is wider
// than 20 percentage points (NPS: 20 points of score). The renderers mark
// such figures. The thresholds are the catalogue's ("Small samples" in
// METRICS.md).
type Summary struct {
	SchemaVersion int    `json:"schema_version"` // 2
	TimeZone      string `json:"time_zone"`      // IANA name of the zone periods are cut in
	WeekStart     string `json:"week_start"`     // "monday", ...
	Period        string `json:"period"`         // "day", "week", "month", "year", or "" for no period grouping
	// Percentiles is "exact", or "streaming" when any timing metric
	// streams ([DurationsSettings].Streaming).
	Percentiles string `json:"percentiles"`
	// RelativeAccuracy is the streaming sketches' guarantee (0.01 = 1 %),
	// the largest of the streaming metrics'; 0 in exact mode.
	RelativeAccuracy float64 `json:"relative_accuracy"`
	// TimeBasis is "calendar", or "business" when any timing metric (or
	// SLA target) measures business hours.
	TimeBasis string `json:"time_basis"`
	// DuplicatesDropped is the number of input lines dropped as a second
	// delivery of an event while the input was read (see [Joiner]). A Report
	// is given conversations, not lines, so [Report.Summary] leaves it 0 and
	// whoever reads the lines sets it, as the command does.
	DuplicatesDropped int64 `json:"duplicates_dropped"`
	// Metrics lists the metrics of a report whose [ReportSettings].Metrics
	// are not the default ones ([DefaultMetrics]; their names as
	// [Metric.Names] writes them); absent otherwise. The others are null.
	Metrics []string `json:"metrics,omitempty"`
	// SuccessfulChatUndefined says why every successful_chat is null in a
	// report that computes it: in streaming mode, conversations of some
	// customers came too far out of start order for an exact rate (see
	// [Report]); absent otherwise.
	SuccessfulChatUndefined string `json:"successful_chat_undefined,omitempty"`
	// FirstContactUndefined says the same of every touches
	// first_contact_resolution, with [MetricTouches] in streaming mode.
	FirstContactUndefined string `json:"first_contact_undefined,omitempty"`
	// GroupBy lists the grouping names in the order of each group's Key.
	GroupBy []string       `json:"group_by"`
	Overall MetricsSummary `json:"overall"`
	// Money is the money section, from [ReportSettings].Costs: overall,
	// per period and per group ([MoneyGroup]: a group is charged no
	// running cost or investment); absent without costs.
	Money *MoneySummary `json:"money,omitempty"`
	// Comparisons holds side-by-side comparisons of groups. A Report
	// computes one on request ([Report.Compare]), so [Report.Summary]
	// leaves it empty and whoever asks appends them, as the command's
	// -compare does; absent when empty.
	Comparisons []ComparisonSummary `json:"comparisons,omitempty"`
	// Retention is the customer-level section ([MetricRetention]): overall
	// and per period, and with groupings per group key ([RetentionGroup];
	// the cohort triangle overall only); absent when the report has no
	// period or no conversation a customer id.
	Retention *RetentionSummary `json:"retention,omitempty"`
	// Groups holds one entry per (key, period), sorted by period, then key.
	Groups []GroupSummary `json:"groups"`
}

// GroupSummary is the metrics of one group in one period.
type GroupSummary struct {
	// Key maps each grouping name to this group's value, e.g.
	// {"agent": "ana", "channel": "chat"}; empty when only grouped by period.
	Key map[string]string `json:"key"`
	// Period is the label of the period ("2026-11-23", "2026-11", "2026"; a
	// week is labelled by its first day), or "" when not grouped by period.
	Period string `json:"period"`
	MetricsSummary
}

// MetricsSummary holds every metric of the catalogue for one set of
// conversations.
//
// Bot and human side by side: where bots answer first, the first response
// time is reported three ways, each with its answered (Count), Unanswered
// and Excluded conversations:
//
//   - first_response_time: the first reply by anyone (an agent or a bot),
//     from the first customer message;
//   - human_first_response_time: the first human reply, from the last
//     bot→human handoff when there was one, else from the first customer
//     message ([FromHandoffOrCustomerMessage] with HumanOnly); a
//     conversation without a handoff that only a bot answered is excluded
//     (the bot kept it; nobody asked for a human), one handed off and never
//     answered by a human is unanswered;
//   - bot_first_response_time: the first bot reply (a public bot message or
//     a fallback), from the first customer message; an engaged conversation
//     nobody replied to is unanswered, one only humans answered excluded.
//
// Outbound and unengaged conversations are excluded from all three. For
// customer +0 s, bot +5 s, handoff +20 s, agent +62 s they are 5 s, 42 s
// and 5 s. response_time, human_response_time and bot_response_time split
// the customer runs the same way (a run is answered by the next reply of
// that kind, see [ResponseTime]; a run no bot replied to is unanswered in
// bot_response_time even when a human answered it). time_to_assignment runs from the last
// handoff, else the first customer message, to the first [Joined] after it
// (an agent joining or the platform assigning one; never joined and never
// answered by a human: unanswered; answered by a human without a join, or
// kept by the bot without a handoff: excluded; a later transfer does not restart it);
// first_response_after_assignment to the first human reply after that join, from the
// assignment that reply answers — the replier's last join before it, else the last
// join — so that after a transfer it runs from the transfer (never assigned: excluded). The human and bot times
// are [MetricBotAndHuman], the assignment ones [MetricAssignment].
type MetricsSummary struct {
	Conversations int64 `json:"conversations"`
	Messages      int64 `json:"messages"`

	FirstResponseTime            *TimingSummary `json:"first_response_time"`
	HumanFirstResponseTime       *TimingSummary `json:"human_first_response_time"`
	BotFirstResponseTime         *TimingSummary `json:"bot_first_response_time"`
	TimeToAssignment             *TimingSummary `json:"time_to_assignment"`
	FirstResponseAfterAssignment *TimingSummary `json:"first_response_after_assignment"`
	ResponseTime                 *TimingSummary `json:"response_time"`
	HumanResponseTime            *TimingSummary `json:"human_response_time"`
	BotResponseTime              *TimingSummary `json:"bot_response_time"`
	ResolutionTime               *TimingSummary `json:"resolution_time"` // to the first resolution
	FullResolution               *TimingSummary `json:"full_resolution_time"`
	ChatDuration                 *TimingSummary `json:"chat_duration"`
	// ActiveChatDuration is the active chat duration, without the gaps
	// longer than [ChatDurationSettings].ActiveGap; absent without an
	// active gap, where it equals ChatDuration.
	ActiveChatDuration *TimingSummary `json:"active_chat_duration,omitempty"`
	QueueWait          *TimingSummary `json:"queue_wait"`
	Abandonment        *RateSummary   `json:"queue_abandonment"`

	CSAT *CSATSummary `json:"csat"`
	// CSATResponseRate is CSAT answers ÷ CSAT surveys sent. It is reported
	// also when no survey was answered (0 of N), while CSAT is then null:
	// no answers, no score. It is null when no survey_sent event was seen,
	// and when the answers outnumber the surveys sent (answers whose
	// survey_sent events are not in the data: the rate would exceed 100 %).
	CSATResponseRate *RateSummary `json:"csat_response_rate"`
	NPS              *NPSSummary  `json:"nps"`
	CES              *CESSummary  `json:"ces"`

	Outcomes     *OutcomeSummary    `json:"outcomes"`
	Containment  *RateSummary       `json:"containment"`
	Escalation   *RateSummary       `json:"escalation"`
	Reopen       *RateSummary       `json:"reopen"`
	BotAccuracy  *RateSummary       `json:"bot_accuracy"`
	FallbackRate *RateSummary       `json:"fallback_rate"`
	Conversion   *ConversionSummary `json:"conversion"`

	// The rest of the catalogue; see summary_catalogue.go.

	// ActiveConversations counts the conversations with their start or at
	// least one event in the group's period (for agent groups: held by the
	// agent, as Outcomes); equal to Conversations without period grouping.
	ActiveConversations int64                  `json:"active_conversations"`
	Resolutions         *ResolutionsSummary    `json:"resolutions"`
	Completion          *CompletionSummary     `json:"completion"`
	SuccessfulChat      *SuccessfulChatSummary `json:"successful_chat"`
	Agents              []AgentSummary         `json:"agents"`
	Funnel              *FunnelSummary         `json:"greeting_funnel"`
	// Availability is the chat availability per day: overall, the hours
	// of each day with at least one agent online; in a group of
	// [GroupByAgent], the group's agent's own online hours per day; in a
	// group of a report with a period and no grouping, the availability of
	// the days of its period (with GroupByAgent and a period, the agent's
	// days of the period). Groups take it from the presence of the whole
	// report, as presence events say when an agent was online, not which
	// conversation that was for; null in other groups and without presence
	// events.
	Availability []AvailabilitySummary `json:"availability"`
	// AvailabilityUndefined (overall only) says why Availability and every
	// agent's OnlineSeconds are null, overall and in every group: in
	// streaming mode, a conversation with presence events came too far out
	// of start order for the sweep of the report's presence (an online
	// interval before its third-latest conversation start); or the presence
	// spans more days than [MaxAvailabilityDays] (an online event decades
	// away from the rest of the data); absent otherwise.
	AvailabilityUndefined string `json:"availability_undefined,omitempty"`
	// WaitTimes ([MetricWaitTimes]) and Touches ([MetricTouches]) are the
	// ticket metrics, not in [DefaultMetrics]; absent when null (off, or
	// no conversation).
	WaitTimes *WaitTimesSummary `json:"wait_times,omitempty"`
	Touches   *TouchesSummary   `json:"touches,omitempty"`
	// SLAPolicy is the verdicts of the report's SLA policy
	// ([MetricSLA]); absent without a target.
	SLAPolicy *SLAPolicySummary `json:"sla_policy,omitempty"`
}

// TimingSummary describes a set of durations in seconds. Count is the number
// of durations measured; Unanswered counts the items that had no duration
// (a conversation never answered, a run never replied to, a conversation
// never resolved) and are not in the statistics. Mean and percentiles are
// null when Count is 0. In streaming mode the percentiles carry the sketch's
// relative error (Summary.RelativeAccuracy); count, mean, min and max are
// exact in both modes.
type TimingSummary struct {
	Count      int64 `json:"count"`
	Unanswered int64 `json:"unanswered"`
	// Excluded counts the conversations outside the measure's definition:
	// for the first-response times the outbound and unengaged ones and
	// those the variant leaves out (see [MetricsSummary]); 0 for the
	// others.
	Excluded int64 `json:"excluded"`
	// SmallSample is true when Count is under 30: the mean and percentiles
	// rest on too few durations to compare (see "Small samples" in
	// [Summary]).
	SmallSample bool     `json:"small_sample"`
	MeanSeconds *float64 `json:"mean_seconds"`
	// StdErrSeconds is the standard error of the mean; null when Count < 2.
	StdErrSeconds *float64 `json:"stderr_seconds"`
	MinSeconds    *float64 `json:"min_seconds"`
	MaxSeconds    *float64 `json:"max_seconds"`
	P50Seconds    *float64 `json:"p50_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
	P95Seconds    *float64 `json:"p95_seconds"`
	P99Seconds    *float64 `json:"p99_seconds"`
	// Percentiles holds any further requested percentiles, keyed "p75",
	// "p99.9".
	Percentiles map[string]float64 `json:"percentiles,omitempty"`
	// Histogram has one entry per bucket, in order; a value on a boundary
	// belongs to the upper bucket.
	Histogram []BucketSummary `json:"histogram,omitempty"`
	// SLA has one entry per SLA target of the metric's settings
	// ([DurationsSettings].SLA), in order; absent without targets.
	SLA []SLASummary `json:"sla,omitempty"`
	// Outbound and Unengaged split Excluded for the first-response times:
	// the conversations the business started and those without a customer
	// message ([FirstResponseResult]); the rest of Excluded is left out by
	// the variant (see [MetricsSummary]). Absent when 0, and for the other
	// timing metrics.
	Outbound  int64 `json:"outbound,omitempty"`
	Unengaged int64 `json:"unengaged,omitempty"`
}

// SLASummary is the attainment of one SLA target: the durations ≤ the
// target, of all durations (Count of Of), with its 95 % Wilson interval.
type SLASummary struct {
	TargetSeconds float64 `json:"target_seconds"`
	RateSummary
}

// BucketSummary is one histogram bucket [FromSeconds, ToSeconds); ToSeconds
// is null for the last, unbounded bucket.
type BucketSummary struct {
	Label       string   `json:"label"` // "0–1h"
	FromSeconds float64  `json:"from_seconds"`
	ToSeconds   *float64 `json:"to_seconds"`
	Count       int64    `json:"count"`
}

// RateSummary is a proportion: Count of Of, its percentage and the 95 %
// Wilson score interval of the percentage.
type RateSummary struct {
	Count   int64   `json:"count"`
	Of      int64   `json:"of"`
	Percent float64 `json:"percent"`
	CILow   float64 `json:"ci_low"`  // percent
	CIHigh  float64 `json:"ci_high"` // percent
	// SmallSample: Of under 30, or an interval wider than 20 points.
	SmallSample bool `json:"small_sample"`
}

// CSATSummary: Percent = Satisfied ÷ Responses × 100 with its 95 % Wilson
// interval; Distribution counts the answers per score ("1" … "5").
type CSATSummary struct {
	Scale        string           `json:"scale"` // "1-5"
	Responses    int64            `json:"responses"`
	Satisfied    int64            `json:"satisfied"`
	Percent      float64          `json:"percent"`
	CILow        float64          `json:"ci_low"`
	CIHigh       float64          `json:"ci_high"`
	Mean         float64          `json:"mean"`
	Distribution map[string]int64 `json:"distribution"`
	// SmallSample: Responses under 30, or an interval wider than 20 points.
	SmallSample bool `json:"small_sample"`
	// Dissatisfied counts the bottom answers (1–2 on 1–5; see
	// [CSATSettings]) and Net is the net CSAT, % satisfied − %
	// dissatisfied, in [−100, +100].
	Dissatisfied int64   `json:"dissatisfied"`
	Net          float64 `json:"net"`
}

// NPSSummary: Score = % promoters − % detractors in [−100, 100], with its
// standard error 100 × √((p + d − (p − d)²) / n) and the normal 95 % interval
// Score ± [Z95] × StandardError.
type NPSSummary struct {
	Responses     int64   `json:"responses"`
	Promoters     int64   `json:"promoters"`
	Passives      int64   `json:"passives"`
	Detractors    int64   `json:"detractors"`
	Score         float64 `json:"score"`
	StandardError float64 `json:"standard_error"`
	CILow         float64 `json:"ci_low"`
	CIHigh        float64 `json:"ci_high"`
	// Distribution counts the answers by score, "0" to "10" (every score,
	// 0 for those never given).
	Distribution map[string]int64 `json:"distribution"`
	// SmallSample: Responses under 30, or an interval wider than 20 points
	// (one answer gives +100 ± 0, which says nothing).
	SmallSample bool `json:"small_sample"`
}

// CESSummary: the mean answer on the scale and the share of low-effort
// answers (5–7 on the 1–7 agreement scale, 1–2 on the 1–5 effort scale).
type CESSummary struct {
	Scale            string           `json:"scale"` // "1-7 agreement (higher is better)"
	Responses        int64            `json:"responses"`
	Mean             float64          `json:"mean"`
	LowEffort        int64            `json:"low_effort"`
	LowEffortPercent float64          `json:"low_effort_percent"`
	Distribution     map[string]int64 `json:"distribution"`
	// SmallSample: Responses under 30, or a 95 % Wilson interval of the
	// low-effort share wider than 20 points.
	SmallSample bool `json:"small_sample"`
	// LowEffortCILow and LowEffortCIHigh are the 95 % Wilson interval of
	// LowEffortPercent, in percent.
	LowEffortCILow  float64 `json:"low_effort_ci_low"`
	LowEffortCIHigh float64 `json:"low_effort_ci_high"`
}

// OutcomeSummary counts the one outcome of every conversation; the counts
// sum to Conversations.
type OutcomeSummary struct {
	ResolvedByBot   int64 `json:"resolved_by_bot"`
	Escalated       int64 `json:"escalated"`
	ResolvedByAgent int64 `json:"resolved_by_agent"`
	Abandoned       int64 `json:"abandoned"`
	Unengaged       int64 `json:"unengaged"`
}

// ConversionSummary is the conversion rate of the conversations and the
// goals achieved, each counted in the group where it happened (see
// [Report]):
//
//   - the rate (count, of, percent, ci_low, ci_high, small_sample):
//     conversations with at least one goal ÷ conversations, over the
//     conversations that started in the group's period (and, by agent, are
//     the agent's at their end), whenever their goals were reached; absent
//     when no conversation started in the group — a group can hold goals of
//     conversations started in an earlier period or held at the end by
//     another agent;
//   - goals: the Goal events that happened in the group's period (by
//     agent: while the agent held the conversation), several per
//     conversation if so;
//   - value: the sum of those goals' values per ISO 4217 currency, as
//     decimal strings (never summed across currencies).
//
// It is null when the group holds neither conversations nor goals.
type ConversionSummary struct {
	*RateSummary
	Goals int64             `json:"goals"`
	Value map[string]string `json:"value"`
}
