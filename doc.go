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
// (default UTC) and a week start (default Monday, ISO 8601).
package chatkpi
