package chatkpi

// ResolutionsSummary counts the resolutions of [MetricResolutionTime]: the
// conversations resolved (the count of resolution_time: with period
// grouping, the resolutions per period, each in the period of its first
// resolution), those of them reopened (the reopen rate is Reopened ÷
// Resolved), and the resolved conversations that end reopened (not in
// full_resolution_time), all in the period of the first resolution; and
// the Reopened events and resolve–reopen cycles (a Reopened that follows a
// resolution), each in the period in which it happened (see [Report]).
type ResolutionsSummary struct {
	Resolved     int64 `json:"resolved"`
	Reopened     int64 `json:"reopened"`
	Reopens      int64 `json:"reopens"`
	Cycles       int64 `json:"cycles"`
	EndsReopened int64 `json:"ends_reopened"`
}

// CompletionSummary is the conversation completion rate of [Outcomes]:
// engaged conversations with a durable resolution (no reopen within
// [OutcomesSettings].CompletionWindow) ÷ engaged conversations, with its
// 95 % Wilson interval; Pending counts the engaged conversations left out
// because their window ends after [OutcomesSettings].AsOf.
type CompletionSummary struct {
	RateSummary
	Pending int64 `json:"pending"`
}

// SuccessfulChatSummary is the successful-chat rate of [Outcomes]: engaged
// conversations resolved at the end with no repeat contact of the same
// customer within [OutcomesSettings].RepeatContactWindow ÷ engaged
// conversations, with its 95 % Wilson interval ([MetricSuccessfulChat]).
// Repeats are looked for across the whole report: a group's resolution is
// repeated by the customer's next conversation in any group. Pending counts
// the engaged conversations left out because their window ends after
// [OutcomesSettings].AsOf; WithoutCustomer the resolved ones without a
// customer id, counted as successful for lack of a way to see repeats.
type SuccessfulChatSummary struct {
	RateSummary
	Pending         int64 `json:"pending"`
	WithoutCustomer int64 `json:"without_customer"`
}

// AgentSummary is one human agent's counts and concurrency ([Agents],
// [MetricAgents]) over the conversations of a set (a group's: those held by
// it; see [Report]): the conversations the agent handled (joined or
// replied in), the agent's public replies, the most conversations open with
// the agent at once, the time-weighted mean of open conversations while
// busy (OpenSeconds ÷ BusySeconds; null when never busy for any time), the
// summed open time ∫n(t)dt and the busy time (at least one open).
type AgentSummary struct {
	Agent           string   `json:"agent"`
	Conversations   int64    `json:"conversations"`
	Replies         int64    `json:"replies"`
	MaxConcurrent   int64    `json:"max_concurrent"`
	MeanConcurrency *float64 `json:"mean_concurrency"`
	OpenSeconds     float64  `json:"open_seconds"`
	BusySeconds     float64  `json:"busy_seconds"`
	// OnlineSeconds is the agent's online time from presence events
	// (overall metrics only; null in groups and for an agent without
	// presence events); OpenSeconds ÷ OnlineSeconds is the mean
	// concurrency over online time.
	OnlineSeconds *float64 `json:"online_seconds"`
	// ConcurrencyUndefined says why MaxConcurrent and BusySeconds are 0
	// and MeanConcurrency null for the agent: in streaming mode, a
	// conversation of the agent came too far out of start order for the
	// sweep of [Agents] (OpenSeconds, a plain sum, is still exact); absent
	// otherwise.
	ConcurrencyUndefined string `json:"concurrency_undefined,omitempty"`
}

// FunnelSummary is the greeting funnel of the conversations with an
// engagement source (Info.Source): displayed (every such conversation) →
// accepted (the visitor wrote: engaged) → converted (accepted, with a
// goal), each rate with its 95 % Wilson interval: Acceptance = accepted ÷
// displayed, GoalRate = converted ÷ accepted (null when none was
// accepted), Overall = converted ÷ displayed. A greeting shown and not
// accepted must be in the data as a conversation with its source and no
// customer message; grouped by source (or dim:greeting) it is the funnel
// of each greeting. Needs [MetricConversion] and [MetricOutcomes].
type FunnelSummary struct {
	Displayed  int64        `json:"displayed"`
	Accepted   int64        `json:"accepted"`
	Converted  int64        `json:"converted"`
	Acceptance RateSummary  `json:"acceptance"`
	GoalRate   *RateSummary `json:"goal_rate"`
	Overall    RateSummary  `json:"overall"`
}
