// Package chatkpi turns the raw events of chatbot and live-chat conversations
// into customer-experience metrics: CSAT, NPS, CES, first response time and its
// percentiles, response and resolution time, containment and escalation,
// conversion, retention and churn, cost per conversion and ROI.
//
// # The model
//
// A conversation is an [Info] (ids, channel, engagement source, caller
// dimensions) and a time-ordered list of [Event] values. Each event has a
// [Role] (customer, agent, bot, system) and an [EventType] (message, handoff,
// resolved, rating, goal, ...). Callers adapt their own data by implementing
// the three-method [Conversation] interface, by implementing [EventSource] on
// their event type and calling [Adapt], or by filling a [Chat].
//
// Events are plain values rather than an interface with a method per field:
// reading an event is one call (or, for a *Chat, a slice index), and nothing
// is allocated per event. Events must be in time order; calculators check it
// and return an error naming the conversation and event, and
// [Chat.SortEvents] sorts stably for backends that deliver out of order.
//
// # Accumulators
//
// Every metric is an accumulator with a useful zero value: Add items, Merge
// another accumulator of the same kind (built on another shard, machine or
// day), MarshalBinary to ship or store it, UnmarshalBinary to resume. Merging
// the accumulators of the parts of a data set gives the accumulator of the
// whole — exactly for counts and sums, and within the stated error for
// streaming percentiles.
//
// # Counts, not just rates
//
// Every rate keeps its exact numerator and denominator (a [Proportion]);
// percentages, means and intervals are derived on request and rounded only
// when formatted ([FormatFloat], half away from zero). Proportions come with
// a 95 % Wilson score interval.
//
// # No data is not zero
//
// A result with an empty denominator — no survey answers, no answered
// conversations — returns [ErrNoData], never 0, NaN or Inf. Bad input (a
// score outside its scale, an unknown role, events out of order, a corrupt
// encoding) returns an error wrapping [ErrInvalid], usually an [*InputError]
// that says which conversation, event, line and field. Nothing is dropped or
// clamped silently.
//
// # Time
//
// Nothing reads the clock: instants come from the events or are passed in.
// Grouping by day, week, month and year uses [Periods], an IANA time zone
// (default UTC) and a week start (default Monday, ISO 8601). A conversation
// belongs to the period of its start, a resolution to the period it happened
// in, a survey answer to the period it was given in.
//
// # Small samples
//
// Every rate, score and mean of a [Summary] says when it rests on too
// little: its SmallSample field is true below 30 answers (trials,
// responses, durations) or when its 95 % interval is wider than 20
// percentage points (NPS: 20 points of score), the catalogue's thresholds.
// The table, CSV and HTML renderings of the command mark such figures.
//
// # Where each metric lives
//
//   - Surveys: [CSAT] (csat.go), [NPS] (nps.go), [CES] (ces.go).
//   - Timing: [FirstResponseTime] (frt.go), [ResponseTime] (response.go),
//     [ResolutionTime] (resolution.go), [ChatDuration] (handle.go),
//     [QueueWait] (queue.go); all summarise with [Durations] (durations.go)
//     and can measure business time through a [BusinessHours] calendar
//     (calendar.go).
//   - Outcomes: [Outcomes] with containment, escalation, completion,
//     successful-chat and reopen rates (outcome.go); [BotQuality] accuracy
//     and fallback rate (botquality.go).
//   - Volume and agents: [Volume] per day, week and month (volume.go);
//     [Agents] concurrency and [Presence] availability (agents.go).
//   - Conversion and money: [Conversion], [ConversionByGroup], [Funnel]
//     (conversion.go), [Money] per currency (money.go), [ROI],
//     [CostPerConversion], [BotCostSaved], [PaybackPeriods] (roi.go), and
//     significance tests for side-by-side comparisons (compare.go).
//   - Retention: [RetentionRate], [ChurnRate], [ChurnOverHorizon],
//     [RepeatContacts] (retention.go), [Cohorts] (cohort.go).
//   - Tickets: the states new, open, pending, on hold and resolved, written
//     once (ticketstate.go) from the [Pending], [OnHold], [Opened],
//     [Resolved] and [Reopened] events; [WaitTimes] requester, agent and
//     on-hold wait time, Zendesk's definitions, first and full, in calendar
//     or business time (waittime.go); [Touches] one-, two- and multi-touch
//     and first-contact resolution (touches.go); priorities
//     ([ReportSettings].Priorities, priority.go); SLA policies
//     ([SLAPolicy], slapolicy.go) with targets per priority and channel
//     for first reply, next reply, requester wait and resolution, judged
//     by [SLA] as met, breached (when) or running (sla.go).
//
// # Exact and streaming percentiles
//
// Exact mode (the default) keeps every duration, 8 bytes each, and computes
// percentiles by linear interpolation between closest ranks (numpy's
// default, R type 7, Excel PERCENTILE.INC, DuckDB quantile_cont). Streaming
// mode ([DurationsSettings].Streaming, or [ReportSettings.WithStreaming] for
// every metric) keeps a DDSketch of bounded size instead: memory no longer
// grows with the data, and every percentile is within a relative error of
// 1 % (configurable; the guarantee is stated on [Durations]) of the exact
// one; counts, means,
// minimum and maximum stay exact. Choose exact when the data fit in memory
// and you need figures that match SQL; streaming for unbounded streams and
// for shipping accumulators between machines cheaply.
//
// # Event files
//
// [NewJSONLReader] and [NewCSVReader] read the event file format (one event
// per line, documented on [Record]) as a stream, reporting each bad line with
// its number and field; [MapFields] reads other exports by renaming and
// ignoring their fields; [ReadConversations] groups lines into conversations,
// across any number of files, dropping events delivered twice (the same
// [Event].ID; see [Joiner] for the rule and its settings), and
// [NewJSONLWriter] and [NewCSVWriter] write them back.
//
// # All metrics at once
//
// [Report] computes the catalogue overall and per group (period × keys). It
// validates each conversation once, measures it once for every metric (each
// calculator is split into a measurement of one conversation and the
// recording of that measurement, which is what its own AddConversation
// does too), and records the measures in the conversation's group;
// [ReportSettings].Metrics restricts it to the metrics you need.
//
// # Concurrency and scale
//
// Accumulators are not safe for concurrent use: build one per goroutine (or
// shard) and Merge them; merging is exact, so the answer does not depend on
// how the data were split. [BuildReport] does that on every core, as
// [Joiner.Report] does for the conversations a [Joiner] holds,
// [LiveReport] is a report safe for concurrent use, fed events one at a
// time by an [Assembler] that turns them into whole conversations exactly
// once, and [ReportCombiner] gives the report the shape of an Apache Beam
// combine function, for a distributed engine (restricted to one metric
// with its Metrics field, it combines that metric alone).
// [BusinessHours] and [Periods] are immutable and may be shared.
package chatkpi
