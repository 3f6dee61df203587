package chatkpi

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"
)

// Report computes every metric of the catalogue in one pass over
// conversations, overall and per (group key, period).
//
// Each conversation is validated once ([Validate], plus the settings of the
// report: the CSAT and CES scales, a [Feedback] before any bot reply, a start
// after the first event, instants outside 1678–2261) before anything is
// recorded, so a bad conversation records nothing anywhere. It is then
// measured once for every metric, and the measures are added to the overall
// metrics or, when the report is grouped ([ReportSettings] Period and
// GroupBy), each to one group:
//
//   - each event in its own period, as the catalogue says: a conversation's
//     resolution (its first and full resolution times, whether the
//     resolved conversation was reopened: the reopen rate of
//     [ResolutionTimeResult], and its wait times and touches) lands in the
//     period of its first resolution;
//     every Reopened event (the count of reopens and of resolve–reopen
//     cycles) in the period it happened; every survey answer and survey
//     sent in the period it happened; every Goal event and its value
//     (ConversionSummary's goals and value) in the period it happened;
//   - conversation-level measures stay in the period of the conversation's
//     start (Info.Start, else its first event; a conversation with neither
//     is an error): its count, messages, first response times, response
//     times, outcome (with the reopen rate of [Outcomes]), duration, queue
//     wait, bot quality and conversion rate — the share of the
//     conversations started in the period that reached a goal, whenever
//     they reached it;
//   - with [GroupByAgent], every measure goes to the agent who acted (see
//     GroupByAgent); the other groupings are values of the whole
//     conversation.
//
// So a group may hold the answers, resolutions, reopens or goals of
// conversations that started in an earlier period and count 0
// conversations: Conversations counts the conversations that started in
// the period, each rate and time says how many items it rests on. For
// example, by day, a conversation started on Monday at 23:50 that reaches
// a goal worth 10 € on Tuesday gives Monday a conversion of 1 of 1 and no
// goal, Tuesday 0 conversations, no conversion rate, 1 goal and 10 €.
//
// Every metric is computed by the package's own accumulator with the
// report's settings — the same measurement and recording its own
// AddConversation does: [FirstResponseTime], [ResponseTime],
// [ResolutionTime], [ChatDuration], [QueueWait], [CSAT], [NPS], [CES],
// [Outcomes], [BotQuality] and [Conversion] (whose goal events and values
// the report counts apart, where each happened) — all of them by default,
// or those chosen by [ReportSettings].Metrics; the ticket metrics [WaitTimes]
// and [Touches] only when chosen — plus the counts of conversations and
// messages (Message events that are not Private notes, and Fallbacks, as in
// [Volume]).
//
// The summary carries the first response and response times by anyone, by
// a human and by a bot side by side, and the time to assignment and the
// first response after it (see [MetricsSummary]): [MetricBotAndHuman] and
// [MetricAssignment].
//
// The rest of the catalogue (see [MetricsSummary]): the conversation
// completion rate with the outcomes; the resolutions, reopens and
// resolve–reopen cycles with the resolution time; the conversations
// active in each period (the home group's key in every period in which the
// conversation has an event); the successful-chat rate
// ([MetricSuccessfulChat]: a group's resolutions are judged against the
// customer's conversations in the whole report, so a repeat contact in a
// later period counts); and each agent's conversations, replies and
// concurrency ([MetricAgents], by the rule of [Agents], over the
// conversations of the group that holds them as a whole), with the chat
// availability per day and each agent's online time from the Online and
// Offline events (overall; per agent or period group as
// [MetricsSummary].Availability says; see presenceLog for how they pair); the
// greeting funnel of the conversations with a Source (see
// [FunnelSummary]). [MetricAgents] is not in [DefaultMetrics].
//
// Memory: in streaming mode (every timing metric with Streaming, see
// [ReportSettings.WithStreaming]) and with the [DefaultMetrics] the state
// grows with the number of groups and of identified customers, not with
// the events, and nothing is kept per conversation: each group holds one
// set of accumulators, about 6 KB plus its twelve sketches (a few KB each
// for durations from seconds to days at 1 %, at most 16 KB each at the
// default bin limit), and each customer about 400 bytes (successful chat,
// below). In exact mode every duration is kept as well: 8 bytes (4 for whole
// milliseconds, see [Durations]) per duration of each of the twelve timing
// statistics (first response by anyone, by a human, by a bot, time to
// assignment, first response after it, response by anyone, by a human, by a
// bot, first and full resolution, chat duration, queue wait). A Report is
// given whole conversations, so it keeps nothing per open conversation; a
// [LiveReport] holds the events of each open one (see [Assembler]). Per
// metric, in streaming mode:
//
//   - per group, a fixed set of counters: first response, response,
//     resolution and reopens, chat duration, queue wait and abandonment,
//     CSAT, NPS, CES, outcomes and completion, bot quality, conversion, the
//     greeting funnel, active conversations, SLA attainment (each timing
//     one sketch per group besides); the goal value one decimal per
//     currency per group; money ([ReportSettings].Costs) is computed from
//     those counts and keeps nothing;
//   - per identified customer, [MetricSuccessfulChat] (in [DefaultMetrics]):
//     the customer id, its earliest three and latest three starts of
//     inbound engaged conversations, and its resolutions that no start has
//     repeated yet but a later one still could — the one (or, while the
//     customer's conversations overlap, the few) made after its latest
//     start, and two before it — packed without pointers (8 bytes per
//     instant kept, the id once per report, shared with the other
//     per-customer states), about 200 bytes per customer, whatever
//     the number of their conversations, when each customer's
//     conversations arrive in start order (a file by time, a stream). A
//     conversation that arrives about two of the customer's conversations
//     late (after its third-latest start) is still judged exactly,
//     and its customer is then kept whole (8 bytes per start and 10 per
//     open resolution, as in exact mode) so that later ones are too; one
//     later than that, which could change a verdict already dropped, makes
//     the rate undefined ([Summary].SuccessfulChatUndefined) rather than
//     wrong. In exact mode the rate is exact in any order and keeps every
//     customer whole. Merging two reports combines each customer's two
//     states exactly when one's conversations all come before the other's
//     (the parts of a file by time), and otherwise as for a late
//     conversation;
//   - per identified customer, [MetricTouches] (opt-in; its touch rates a
//     fixed set of counters per group): its first-contact resolutions are
//     judged by a second state of the same kind and the same bounds (the
//     customer's starts, its candidate resolutions not repeated yet),
//     about 150 bytes more per customer in start order, exact there and
//     for a conversation a little late, undefined
//     ([Summary].FirstContactUndefined) rather than wrong for one later
//     than that, merged as above; in exact mode 32 bytes per start and per
//     candidate resolution (see [Touches]);
//   - per agent, [MetricAgents] (opt-in), in each group that has the agent
//     and, in a grouped report, once more overall: the agent id, its counts
//     and its sweep, about 400 bytes, plus 16 bytes per interval still open
//     at the agent's sweep line or after it — bounded by the agent's
//     concurrent conversations, whatever the number of their conversations,
//     when conversations arrive in start order (see [Agents]). A
//     conversation up to about two of the agent's conversations late is
//     still exact; one with an interval before the sweep line makes that
//     agent's peak, busy time and mean concurrency undefined
//     ([AgentSummary].ConcurrencyUndefined; the open time stays exact)
//     rather than wrong. In exact mode every interval is kept (16 bytes per
//     interval, one per conversation and handling agent, more when agents
//     take turns), in any order. Merging two reports is exact when, per
//     agent, neither part has an interval where the other folded busy time,
//     otherwise as for a late conversation; [BuildReport]'s shards in start
//     order merge exactly;
//   - per agent with presence events ([MetricAgents]), overall only: the
//     agent id and its settled online time, about 200 bytes, with
//     [GroupByAgent] about 40 bytes more per day it was online, and about
//     40 bytes per day of availability; plus 56 bytes per online interval
//     not yet settled (open at the report's sweep line, its third-latest
//     conversation start, or after it) — bounded by the agents online at
//     once, not by the presence events, in start order (see
//     presenceSweep). A conversation with an online interval before the
//     line makes the availability and online times undefined
//     ([MetricsSummary].AvailabilityUndefined) rather than wrong; merged as
//     the agents are (an agent online until the end of one part covers the
//     other's later settled time). In exact mode 24 bytes and the agent id
//     per online interval, in every group;
//   - per item, the other opt-in metrics:
//     [MetricWaitTimes] six sketches per group (the first and
//     full wait of each kind); [MetricRetention], with a period, per
//     identified customer about 12 bytes (the id shared with the ledgers)
//     while its active periods span at most 64 periods, else 8 bytes per
//     active period, and outside
//     streaming mode 16 bytes per conversation start, and with groupings
//     the same again per group key: bounded by groups × customers (see
//     [RetentionSummary]).
//
// A grouped report measures each conversation once and records each measure
// in one group only; the overall metrics are the merge of the groups,
// computed by [Report.Summary] (exact: counts, sums and kept durations
// merge exactly), except the count of conversations, which the report keeps
// apart because a conversation counts in the group of every agent who
// handled it.
//
// The zero value is an ungrouped report with the defaults (exact
// percentiles, calendar time, UTC). A Report is not safe for concurrent use,
// not even for reading (Summary sorts the kept durations); see [LiveReport].
type Report struct {
	cfg         *reportConfig
	proto       metricSet // empty accumulators with the report's settings
	fingerprint []byte
	overall     metricSet
	groups      map[int64]map[string]*metricSet // period start (Unix s) → key → metrics
	measures    conversationMeasures            // scratch of AddConversation
	scratch     Chat                            // events of conversations that are not a *Chat
	keyBuf      []byte                          // the combined key of the conversation being added
	agentKey    [2]int                          // where keyBuf holds its GroupByAgent value
	homeAgent   string                          // and that value
	creditBuf   []byte                          // keys of the groups it credits, see credits
	targets     []creditTarget                  // the groups it credits, see credits
	spans       *[spanSlots]periodSpan          // recent periods, see Report.periodStart
	ngroups     int                             // the groups in groups
	births      *groupBirths                    // the groups made, in order, while a shard (shardedReport); nil otherwise
	agentIdx    int                             // index of GroupByAgent in the groupings, or −1
	customers   *customerState                  // MetricRetention's state, or nil
	repeats     *repeatLedger[*Outcomes]        // MetricSuccessfulChat's state, or nil (see repeatLedger)
	touchLedger *repeatLedger[*Touches]         // MetricTouches' in streaming mode, or nil (see newReportTouchRepeats)
	perCustomer bool                            // any of customers, repeats, touchLedger: state to prefetch (prefetch.go)
	err         error                           // a report that could not be built (see ReportCombiner)
	scores      scoreRanges                     // the scores a Rating may have, see Report.check
}

// MaxGroupings is the capacity of [ReportSettings].GroupBy.
const MaxGroupings = 4

// DefaultMaxGroups is the number of groups a [Report] holds at most unless
// [ReportSettings].MaxGroups says otherwise: a year by day × 27 agents fits.
const DefaultMaxGroups = 10_000

// ReportSettings is everything a [Report] can be told, as a plain
// comparable value: how it groups, which metrics it computes, and each
// metric's settings — the very settings of the metric's own calculator,
// under the same names. The zero value is the default: ungrouped, every
// metric, each with its calculator's defaults (exact percentiles, calendar
// time), UTC.
type ReportSettings struct {
	// Period groups conversations by the Day, Week, Month or Year of their
	// start. Default (0): no period grouping.
	Period Period
	// Periods is the time zone and week start of the periods. Default (the
	// zero Periods): UTC, weeks from Monday. Only zones that
	// [time.LoadLocation] finds by name survive MarshalBinary into a
	// zero-value Report, and a report in [time.Local] does not encode at
	// all (its name would mean the decoding machine's zone): use the zone's
	// IANA name.
	Periods Periods
	// GroupBy groups by the combined key of the groupings (GROUP BY a,
	// b): one group per distinct tuple of values. The used entries come
	// first (the zero Grouping ends the list); names must be distinct.
	// Default: no grouping.
	GroupBy [MaxGroupings]Grouping
	// MaxGroups is the most groups — (period, combined key) pairs,
	// [Summary.Groups] — the report holds. A conversation that would make
	// one more, including the groups that CSAT attribution by agent makes,
	// is an error wrapping [ErrLimit] and records nothing; so is a Merge or
	// UnmarshalBinary whose result would hold more (the report is then
	// unchanged). Each group costs a few KB in streaming mode and 8 bytes
	// per kept duration in exact mode, and a line of the summary, so the
	// limit keeps a grouping with unexpectedly many values (a dimension
	// holding ids, a conversation naming thousands of agents) from taking
	// all the memory. Not negative. It is not part of the settings that
	// reports must share to merge. Default (0): [DefaultMaxGroups].
	MaxGroups int
	// Metrics restricts the report to a set of metrics, for example
	// MetricFirstResponse|MetricCSAT|MetricNPS with Period Day for first
	// response time, CSAT, NPS and conversations per day. A report computes
	// only what it keeps: the accumulators of the other metrics are never
	// run, and their fields of the summary are null. Every conversation is
	// still validated in full, and the settings of every metric checked.
	// Reports merge only with reports of the same metrics. Default (0):
	// [DefaultMetrics] (every metric but [MetricAssignment], [MetricWaitTimes],
	// [MetricTouches], [MetricAgents] and [MetricRetention]).
	Metrics Metric
	// Priorities is the ordered list of the ticket priorities the data may
	// give in Info.Priority, most urgent first ("urgent", "high", "normal",
	// "low"); the used entries come first, non-empty and distinct. With a
	// list, a conversation whose priority is neither one of them nor ""
	// (none) is an error naming the conversation and the field "priority",
	// and the groups of [GroupByPriority] are ordered by the list (none
	// last) instead of by name. Reports merge only with reports of the same
	// list. Default (empty): any priority, ordered by name.
	Priorities [MaxPriorities]string

	// The settings of each metric, as its calculator takes them. The
	// report always reports p50, p90, p95 and p99 of every timing metric;
	// the Quantiles of its DurationsSettings add to them (they go to
	// TimingSummary.Percentiles). ResolutionTime sets both the first and
	// the full resolution time. The memory of a report is bounded by its
	// groups (see [Report]) when every timing metric has Streaming.
	FirstResponse  FirstResponseSettings  // default: see FirstResponseSettings
	ResponseTime   ResponseTimeSettings   // default: see ResponseTimeSettings
	ResolutionTime ResolutionTimeSettings // default: see ResolutionTimeSettings
	ChatDuration   ChatDurationSettings   // default: see ChatDurationSettings
	QueueWait      QueueWaitSettings      // default: see QueueWaitSettings
	CSAT           CSATSettings           // default: 1–5, satisfied 4–5
	CES            CESSettings            // default: CES 2.0, 1–7 agreement
	Outcomes       OutcomesSettings       // default: see OutcomesSettings; also the repeat window and AsOf of MetricTouches
	WaitTimes      WaitTimesSettings      // default: see WaitTimesSettings

	// Costs are the costs of the money section ([Summary].Money), which
	// needs [MetricOutcomes] and [MetricConversion]. Reports merge only
	// with reports of equal costs. Default (zero): no money section.
	Costs CostSettings
	// Retention is the settings of the retention section
	// ([Summary].Retention, [MetricRetention]). Default: see
	// RetentionSettings.
	Retention RetentionSettings
	// SLA is the SLA policy ([MetricSLA]). Default: no targets, see SLAPolicy.
	SLA SLAPolicy
}

// WithStreaming returns s with every timing metric in streaming mode with
// relative accuracy α (0: [DefaultRelativeAccuracy]), the mode in which a
// report's memory grows with its groups only.
func (s ReportSettings) WithStreaming(relativeAccuracy float64) ReportSettings {
	for _, d := range s.durations() {
		d.Streaming, d.RelativeAccuracy = true, relativeAccuracy
	}
	return s
}

// durations returns the statistics settings of the timing metrics.
func (s *ReportSettings) durations() []*DurationsSettings {
	return []*DurationsSettings{&s.FirstResponse.Durations, &s.ResponseTime.Durations,
		&s.ResolutionTime.Durations, &s.ChatDuration.Durations, &s.QueueWait.Durations, &s.WaitTimes.Durations,
		&s.SLA.Durations}
}

type reportConfig struct {
	period    Period // 0: no period grouping
	periods   Periods
	groupings []Grouping
	metrics   Metric // 0 until configured: DefaultMetrics
	maxGroups int    // 0: DefaultMaxGroups
	costs     CostSettings
	retention RetentionSettings

	priorities []string // the used entries of ReportSettings.Priorities
}

// limit returns the most groups the report holds.
func (c *reportConfig) limit() int {
	if c.maxGroups == 0 {
		return DefaultMaxGroups
	}
	return c.maxGroups
}

// config checks the report's own settings (the metrics' settings are
// checked by their calculators) and resolves them.
func (s *ReportSettings) config() (*reportConfig, error) {
	if err := s.Period.check(); err != nil {
		return nil, err
	}
	n, err := usedEntries("grouping", s.GroupBy[:])
	if err != nil {
		return nil, err
	}
	gs := s.GroupBy[:n]
	names := make(map[string]bool, len(gs))
	for _, g := range gs {
		if err := g.check(); err != nil {
			return nil, err
		}
		if names[g.name] {
			return nil, invalidf("grouping", "%q is grouped by twice", g.name)
		}
		names[g.name] = true
	}
	if s.Metrics&^AllMetrics != 0 {
		return nil, invalidf("metrics", "unknown metric bits %#x", uint32(s.Metrics&^AllMetrics))
	}
	if s.MaxGroups < 0 {
		return nil, invalidf("max groups", "%d is not a positive number of groups", s.MaxGroups)
	}
	ps, err := priorityConfig(&s.Priorities)
	if err != nil {
		return nil, err
	}
	if err := checkSLAPriorities(&s.SLA, ps); err != nil {
		return nil, err
	}
	cfg := &reportConfig{period: s.Period, periods: s.Periods, groupings: slices.Clone(gs), metrics: s.Metrics,
		maxGroups: s.MaxGroups, priorities: ps, costs: s.Costs, retention: s.Retention}
	if cfg.metrics == 0 {
		cfg.metrics = DefaultMetrics
		if s.SLA.Targets[0] != (SLATarget{}) {
			cfg.metrics |= MetricSLA // see MetricSLA
		}
	}
	if err := cfg.checkCosts(); err != nil {
		return nil, err
	}
	if err := s.Retention.check(); err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	return cfg, nil
}

// GroupByAgent groups by agent, crediting every measure to the agent who
// acted; "" stands for no human agent (the bot, or nobody). It needs the
// events, so only [Report] supports it ([Volume] groups by Info and rejects
// it with ErrIncompatible).
//
// The rule (the catalogue's "Bot and human"):
//
//   - every reply time is credited to the agent who replied — the first
//     response times, the first response after assignment and each
//     answered customer run of the response times; a bot's reply to "";
//   - the time to assignment to the agent who joined or was assigned;
//   - a conversation's resolution (first and full resolution time,
//     whether it was reopened, and the ticket metrics: wait times, touches) to the agent who first resolved it (named
//     on the [Resolved] event), or who held it then ([HandlingAgent]);
//   - each [Reopened] event to the agent named on it when an agent reopened
//     it, to "" when the bot did, else (the customer, the system) to the
//     agent holding the conversation then;
//   - each [Goal] event and its value to the agent holding the
//     conversation when the goal was reached ([HandlingAgent]; "" before
//     any agent took it), whoever holds it at the end;
//   - a CSAT survey sent and its answer to the agent handling the
//     conversation when the survey was sent (an answer without a survey
//     before it: when answered);
//   - what belongs to the whole conversation — its messages, outcome,
//     duration, queue wait, bot quality, whether it converted (the
//     conversion rate), NPS and CES answers, and the counts of what was
//     never answered or resolved — to the agent handling it at its last
//     event;
//   - the conversation counts as handled (Conversations) once for every
//     agent credited with one of these and every agent who joined it or
//     replied in it.
//
// Worked example: customer 09:00:00; ana joins 09:00:10 and replies
// 09:01:00; a CSAT survey is sent 09:01:40; the customer buys for 20 € (a
// goal) at 09:01:50 and writes again 09:02:00; bob joins 09:02:10, replies
// 09:02:30, the customer rates 5 at 09:03:20, buys for 30 € at 09:04:00 and
// bob resolves 09:05:00. Ana's group: 1 conversation, first response 60 s,
// one response run of 60 s, the CSAT answer 5 (she held the conversation
// when it was asked), 1 goal and 20 € (she held it then), no conversion
// rate (the conversation is not hers at its end). Bob's group: 1
// conversation, one response run of 30 s, resolution 300 s, the outcome
// (resolved by an agent), the conversion (1 of 1 converted), 1 goal and
// 30 €. Had the survey been sent after bob joined, the 5 would be bob's.
// The overall metrics count the conversation once, converted, with 2 goals
// and 50 €.
func GroupByAgent() Grouping {
	return Grouping{name: "agent"}
}

// GroupByHandler groups by who handled the conversation: "human" if any
// human agent joined or sent a public reply, else "bot". The value is the
// whole conversation's: a "human" group's first_response_time may be the
// bot's first reply; its human_first_response_time is the human one. Like
// [GroupByAgent], only [Report] supports it.
func GroupByHandler() Grouping {
	return Grouping{name: "handler"}
}

// ParseGrouping returns the grouping of a name as [Grouping.Name] writes it:
// "agent", "handler", "source", "channel", "priority" or "dim:NAME". Custom groupings
// cannot be parsed (their function is code).
func ParseGrouping(name string) (Grouping, error) {
	switch {
	case name == "agent":
		return GroupByAgent(), nil
	case name == "handler":
		return GroupByHandler(), nil
	case name == "source":
		return GroupBySource(), nil
	case name == "channel":
		return GroupByChannel(), nil
	case name == "priority":
		return GroupByPriority(), nil
	case len(name) > 4 && strings.HasPrefix(name, "dim:"):
		return GroupByDim(name[4:]), nil
	}
	return Grouping{}, invalidf("grouping", "%q is not one of agent, handler, source, channel, priority, dim:NAME", name)
}

// value returns the grouping's key for a conversation.
func (g Grouping) value(info Info, ev []Event) (string, error) {
	switch g.name {
	case "agent":
		return HandlingAgent(ev, len(ev)-1), nil
	case "handler":
		return handlerOf(ev), nil
	}
	k, ok := g.groupKey(info)
	if !ok {
		return "", fmt.Errorf("%w: grouping %q has no key function (it was decoded); merge into a Report built with NewReport", ErrIncompatible, g.name)
	}
	return k, nil
}

// metricSet is every accumulator of the catalogue for one set of
// conversations.
type metricSet struct {
	conversations, messages int64

	frt  FirstResponseTime
	resp ResponseTime
	// The bot and human split of MetricFirstResponse and
	// MetricResponseTime (see [MetricsSummary]): first bot reply, first
	// human reply (FromHandoffOrCustomerMessage), time to assignment and
	// first response after assignment; runs answered by a bot, by a human.
	botFRT, humanFRT    FirstResponseTime
	assign, afterAssign FirstResponseTime
	botResp, humanResp  ResponseTime
	res                 ResolutionTime
	dur                 ChatDuration
	queue               QueueWait
	csat                CSAT
	nps                 NPS
	ces                 CES
	out                 Outcomes
	bot                 BotQuality
	// conv counts the conversations and those that reached a goal, as
	// visits (Conversion.Add: its goal events are its conversions), goals
	// the Goal events and their value; see goalTally.
	conv     Conversion
	goals    goalTally
	tickets  ticketMetrics // MetricWaitTimes and MetricTouches, see report_tickets.go
	agents   Agents        // MetricAgents
	funnel   Funnel        // MetricConversion with MetricOutcomes, see recordFunnel
	presence presenceLog   // MetricAgents
	active   int64         // conversations with their start or an event in the period, see credits.activity
	sla      SLA           // MetricSLA
}

// NewReport returns an empty report with the settings, or an error
// wrapping [ErrInvalid] for invalid settings.
func NewReport(s ReportSettings) (*Report, error) {
	r := &Report{}
	if err := r.configure(&s); err != nil {
		return nil, err
	}
	return r, nil
}

// init gives the zero value its defaults.
func (r *Report) init() error {
	if r.err != nil {
		return r.err
	}
	if r.cfg == nil {
		return r.configure(&ReportSettings{})
	}
	return nil
}

func (r *Report) configure(s *ReportSettings) error {
	cfg, err := s.config()
	if err != nil {
		return err
	}
	var p metricSet
	frt, err := NewFirstResponseTime(s.FirstResponse)
	if err != nil {
		return fmt.Errorf("first response: %w", err)
	}
	resp, err := NewResponseTime(s.ResponseTime)
	if err != nil {
		return fmt.Errorf("response time: %w", err)
	}
	res, err := NewResolutionTime(s.ResolutionTime)
	if err != nil {
		return fmt.Errorf("resolution time: %w", err)
	}
	dur, err := NewChatDuration(s.ChatDuration)
	if err != nil {
		return fmt.Errorf("chat duration: %w", err)
	}
	queue, err := NewQueueWait(s.QueueWait)
	if err != nil {
		return fmt.Errorf("queue wait: %w", err)
	}
	csat, err := NewCSAT(s.CSAT)
	if err != nil {
		return fmt.Errorf("csat: %w", err)
	}
	ces, err := NewCES(s.CES)
	if err != nil {
		return fmt.Errorf("ces: %w", err)
	}
	out, err := NewOutcomes(s.Outcomes)
	if err != nil {
		return fmt.Errorf("outcomes: %w", err)
	}
	sla, err := NewSLA(s.SLA)
	if err != nil {
		return fmt.Errorf("sla policy: %w", err)
	}
	p.sla = *sla
	p.frt, p.resp, p.res, p.dur, p.queue = *frt, *resp, *res, *dur, *queue
	for _, c := range p.statsConfigs() {
		addStandardQuantiles(c)
	}
	// The bot and human splits and the assignment clocks take the settings
	// of the first response and response times.
	p.botFRT, p.assign, p.afterAssign, p.botResp = p.frt, p.frt, p.frt, p.resp
	p.humanFRT, p.humanResp = p.frt, p.resp
	p.humanFRT.cfg.start, p.humanFRT.cfg.humanOnly, p.humanResp.cfg.humanOnly = FromHandoffOrCustomerMessage, true, true
	// The report measures the bot FRT and the assignment clocks itself
	// (Report.measure); their accumulators hold statuses that include not
	// escalated (excluded), which only a handoff-relative start produces.
	p.botFRT.cfg.start, p.assign.cfg.start, p.afterAssign.cfg.start =
		FromHandoffOrCustomerMessage, FromHandoffOrCustomerMessage, FromHandoffOrCustomerMessage
	p.csat, p.ces, p.out = *csat, *ces, *out
	if err := p.tickets.configure(s); err != nil {
		return err
	}
	r.setup(cfg, p)
	return nil
}

// statsConfigs returns the statistics settings of every timing
// accumulator of p, the calculators' and their Durations'.
func (p *metricSet) statsConfigs() []*durationsConfig {
	return []*durationsConfig{&p.frt.cfg.stats, &p.frt.stats.cfg, &p.resp.cfg.stats, &p.resp.stats.cfg,
		&p.res.cfg.stats, &p.res.first.cfg, &p.res.full.cfg, &p.dur.cfg.stats, &p.dur.full.cfg, &p.dur.active.cfg,
		&p.queue.cfg.stats, &p.queue.stats.cfg, &p.tickets.waits.cfg.stats, &p.sla.cfg.stats}
}

// settingsOnly returns empty accumulators with the settings of p's.
func (p *metricSet) settingsOnly() metricSet {
	var e metricSet
	e.frt = FirstResponseTime{cfg: p.frt.cfg, stats: Durations{cfg: p.frt.stats.cfg}}
	e.resp = ResponseTime{cfg: p.resp.cfg, stats: Durations{cfg: p.resp.stats.cfg}}
	e.res = ResolutionTime{cfg: p.res.cfg, first: Durations{cfg: p.res.first.cfg}, full: Durations{cfg: p.res.full.cfg}}
	e.dur = ChatDuration{cfg: p.dur.cfg, full: Durations{cfg: p.dur.full.cfg}, active: Durations{cfg: p.dur.active.cfg}}
	e.queue = QueueWait{cfg: p.queue.cfg, stats: Durations{cfg: p.queue.stats.cfg}}
	e.csat = CSAT{cfg: p.csat.cfg}
	e.ces = CES{scale: p.ces.scale}
	e.out = Outcomes{cfg: p.out.cfg}
	e.sla = p.sla.settingsOnly()
	frt := func(f *FirstResponseTime) FirstResponseTime {
		return FirstResponseTime{cfg: f.cfg, stats: Durations{cfg: f.stats.cfg}}
	}
	resp := func(r *ResponseTime) ResponseTime {
		return ResponseTime{cfg: r.cfg, stats: Durations{cfg: r.stats.cfg}}
	}
	e.botFRT, e.humanFRT, e.assign, e.afterAssign = frt(&p.botFRT), frt(&p.humanFRT), frt(&p.assign), frt(&p.afterAssign)
	e.botResp, e.humanResp = resp(&p.botResp), resp(&p.humanResp)
	e.tickets = p.tickets.settingsOnly()
	return e
}

// timings returns the time settings of every timing accumulator of p.
func (p *metricSet) timings() []*timingConfig {
	return []*timingConfig{&p.frt.cfg.timingConfig, &p.resp.cfg.timingConfig, &p.res.cfg.timingConfig,
		&p.dur.cfg.timingConfig, &p.queue.cfg.timingConfig, &p.tickets.waits.cfg}
}

// addStandardQuantiles adds p50, p90, p95 and p99, which a report always
// reports, to the quantiles of c.
func addStandardQuantiles(c *durationsConfig) {
	qs := defaultDurationQuantiles()
	if c.quantiles != nil {
		qs = append(qs, c.quantiles...)
	}
	slices.Sort(qs)
	c.quantiles = slices.Compact(qs)
}

// emptyLike returns an empty report with r's settings (r is configured).
func (r *Report) emptyLike() *Report {
	t := &Report{}
	t.setup(r.cfg, r.proto)
	return t
}

// setup installs the settings and the empty accumulators built from them.
func (r *Report) setup(cfg *reportConfig, p metricSet) {
	r.repeats = newReportRepeats(cfg, &p)
	r.touchLedger = newReportTouchRepeats(cfg, &p)
	boundAgents(&p, cfg)
	r.cfg, r.proto = cfg, p
	r.scores = scoreRangesOf(&p)
	r.agentIdx = slices.IndexFunc(cfg.groupings, func(g Grouping) bool { return g.name == "agent" })
	r.fingerprint = r.settingsFingerprint()
	r.overall = p
	r.customers = newCustomerState(cfg, &p)
	r.shareCustomerIDs()
	r.groups = nil
	r.ngroups = 0
	r.spans = nil
}

// configureFrom gives a zero-value Report the settings of an encoded
// fingerprint, so that an encoding decodes without knowing its options (as
// Beam's coders decode an accumulator into a new value). Time measures other
// than calendar time and custom key functions cannot be rebuilt: a custom
// grouping comes back without its function (the report can merge and
// summarize, not add).
//
// The fingerprint is read as settings only: its empty accumulators are
// decoded for their settings, which go into a reportConfig, and the report
// is then configured from it as [NewReport] would be — with fresh empty
// accumulators. The fingerprint of the result must be the encoded one byte
// for byte, so a settings block whose accumulators hold any state (a
// count, an answer, a duration) or settings that no report options can
// produce is rejected instead of becoming the starting point of every group.
func (r *Report) configureFrom(fp []byte) error {
	d := newDecoder(fp, tagReport, "report settings")
	cfg := &reportConfig{period: Period(d.byte1())}
	if d.err == nil && cfg.period > Year {
		d.fail("unknown period %d", cfg.period)
	}
	zone := d.string()
	week := time.Weekday(d.byte1())
	n := d.length(1)
	for range n {
		name := d.string()
		if d.err != nil {
			break
		}
		g, err := ParseGrouping(name)
		switch {
		case err == nil:
		case len(name) > 7 && strings.HasPrefix(name, "custom:"):
			g = Grouping{name: name}
		default:
			d.fail("grouping %q", name)
		}
		cfg.groupings = append(cfg.groupings, g)
	}
	calendar := d.byte1()
	cfg.metrics = Metric(d.uvarint())
	if d.err == nil && (cfg.metrics == 0 || cfg.metrics&^AllMetrics != 0) {
		d.fail("metrics %#x", uint64(cfg.metrics))
	}
	var encoded metricSet // read for its settings only
	_, _, _ = d.count(), d.count(), d.count()
	for _, m := range encoded.parts() {
		b := d.bytes()
		if d.err != nil {
			break
		}
		if err := m.UnmarshalBinary(b); err != nil {
			d.fail("%v", err)
		}
	}
	var ps [MaxPriorities]string
	np := d.length(1)
	if d.err == nil && np > MaxPriorities {
		d.fail("%d priorities, at most %d", np, MaxPriorities)
	}
	for i := 0; i < np && d.err == nil; i++ {
		ps[i] = d.string()
	}
	cfg.decodeSummarySettings(d)
	if err := d.finish(); err != nil {
		return err
	}
	var err error
	if cfg.priorities, err = priorityConfig(&ps); err != nil {
		return err
	}
	if calendar != allCalendar {
		return fmt.Errorf("%w: the report was encoded with a business-time measure: decode it into a report built with the same BusinessHours", ErrIncompatible)
	}
	for _, c := range encoded.statsConfigs() {
		addStandardQuantiles(c) // a non-canonical list fails the check below
	}
	loc, err := loadZone(zone)
	if err != nil {
		return err
	}
	if cfg.periods, err = NewPeriods(loc, week); err != nil {
		return err
	}
	// The accumulators are read for their settings only: the settings block
	// must hold no state, and only settings a report can have.
	var t Report
	t.setup(cfg, encoded.settingsOnly())
	if !bytes.Equal(t.fingerprint, fp) {
		return invalidf("report settings", "the settings block holds state or settings that no report has")
	}
	*r = t
	return nil
}

// calendarMask has bit i set when the i-th timing accumulator of p
// ([metricSet.timings]) measures calendar time.
func (p *metricSet) calendarMask() byte {
	var m byte
	for i, t := range p.timings() {
		if isCalendar(t.measure) {
			m |= 1 << i
		}
	}
	return m
}

// allCalendar is the calendarMask of a report that measures calendar time
// only.
const allCalendar = 1<<6 - 1

// sameMeasures reports whether p and o measure every duration the same way.
func (p *metricSet) sameMeasures(o *metricSet) bool {
	a, b := p.timings(), o.timings()
	for i := range a {
		if !sameMeasure(a[i].measure, b[i].measure) {
			return false
		}
	}
	return true
}

func isCalendar(m timeMeasure) bool {
	if m == nil {
		return true
	}
	_, ok := m.(calendarTime)
	return ok
}

func (r *Report) grouped() bool { return r.cfg.period != 0 || len(r.cfg.groupings) > 0 }

// settingsFingerprint is a canonical encoding of every setting that changes
// the state or the summary: the periods, the groupings, the time basis of
// each timing metric, the metrics and the settings encoded by each empty
// accumulator (which include the percentiles).
func (r *Report) settingsFingerprint() []byte {
	e := newEncoder(tagReport, 256)
	c := r.cfg
	e.byte1(byte(c.period))
	e.string(c.periods.Location().String())
	e.byte1(byte(c.periods.WeekStart()))
	e.uvarint(uint64(len(c.groupings)))
	for _, g := range c.groupings {
		e.string(g.name)
	}
	e.byte1(r.proto.calendarMask())
	e.uvarint(uint64(c.metrics))
	r.proto.encode(e)
	e.uvarint(uint64(len(c.priorities)))
	for _, p := range c.priorities {
		e.string(p)
	}
	c.encodeSummarySettings(e)
	return e.finish()
}

// AddConversation validates c and adds it to the overall metrics and to its
// group. It returns an [*InputError] for invalid input (see [Report]); on
// error nothing is recorded.
func (r *Report) AddConversation(c Conversation) error {
	if err := r.init(); err != nil {
		return err
	}
	ch, ok := c.(*Chat)
	if !ok {
		r.scratch.Meta = c.Info()
		r.scratch.Events = eventsOf(c, r.scratch.Events)
		ch = &r.scratch
		defer func() { clear(r.scratch.Events); r.scratch.Meta = Info{} }()
	}
	info, ev := &ch.Meta, ch.Events
	prefetchEventsAhead(ev)
	var pre customerPrefetch
	r.prefetchCustomer(&pre, info.Customer)
	m := &r.measures
	messages, start, err := r.check(info, ev, m)
	if err != nil {
		return err
	}
	pre.records(r)
	if err := r.customers.checkCustomer(info, start); err != nil {
		return err
	}
	var span *periodSpan // nil when not grouped by period
	if r.grouped() {
		if span, err = r.groupOf(info, ev, start); err != nil {
			return err
		}
	}
	if err := r.measure(info, ev, m); err != nil {
		return err
	}
	pre.segments(r)
	if !r.grouped() {
		if err := r.overall.record(info, ev, messages, m, r.cfg.metrics); err != nil { // no period: no customer state
			return err
		}
		r.recordOverallPresence(info, m)
		return nil
	}
	if r.overall.conversations == math.MaxInt64 {
		return invalidf("report", "more than %d conversations", int64(math.MaxInt64))
	}
	cr := credits{r: r, next: math.MaxInt64}
	if span != nil {
		cr.start, cr.next = span.start, span.next
	}
	var set *metricSet
	if len(r.cfg.groupings) == 0 {
		// Grouped by period only: the span caches the group, once a
		// conversation of the span finds it (an earlier one's credit may
		// have made it).
		set = span.set
		if set == nil {
			set = r.groups[cr.start][""]
			span.set = set
		}
	} else {
		set = r.groups[cr.start][string(r.keyBuf)]
	}
	if cr.nearLimit(ev) {
		if err := cr.roomFor(set, info, ev, messages, m); err != nil {
			return err
		}
	}
	if set == nil {
		set = r.group(cr.start, string(r.keyBuf))
		if len(r.cfg.groupings) == 0 {
			span.set = set
		}
	}
	if cr.homeOnly(ev) {
		err = set.record(info, ev, messages, m, r.cfg.metrics) // no targets to keep
	} else {
		err = cr.record(set, info, ev, messages, m)
	}
	if err != nil {
		return err
	}
	r.overall.conversations++ // a grouped report's overall metrics hold only this count
	r.recordOverallAgents(m)
	r.recordOverallPresence(info, m)
	r.customers.add(info, start, span, r.keyBuf)
	return nil
}

// groupOf returns the span of the period of a conversation that starts at
// start (nil without period grouping), and leaves its combined key in
// r.keyBuf, with the bytes of its GroupByAgent value (if any) at
// r.agentKey and the value in r.homeAgent.
func (r *Report) groupOf(info *Info, ev []Event, start time.Time) (span *periodSpan, err error) {
	if r.cfg.period != 0 {
		span = r.periodSpan(start)
	}
	r.keyBuf = r.keyBuf[:0]
	for i, g := range r.cfg.groupings {
		v, err := g.value(*info, ev)
		if err != nil {
			return nil, err
		}
		if i == r.agentIdx {
			r.homeAgent, r.agentKey[0] = v, len(r.keyBuf)
			r.keyBuf = appendKeyValue(r.keyBuf, v)
			r.agentKey[1] = len(r.keyBuf)
			continue
		}
		r.keyBuf = appendKeyValue(r.keyBuf, v)
	}
	return span, nil
}

// periodSpan is a period [start, next) in Unix seconds; see
// [Volume.bucket], whose cache this is.
type periodSpan struct {
	start, next int64
	set         *metricSet // the period's group when grouped by period only, once known
	cohort      int64      // the period's cohort index (customerState), once known: cohort+1, 0 unknown
}

// periodSpan returns the span of the report's period containing t. Recent
// periods are cached by their approximate number, so that most
// conversations — even out of time order — find their period with a few
// comparisons instead of a time-zone conversion.
func (r *Report) periodSpan(t time.Time) *periodSpan {
	if r.spans == nil {
		r.spans = new([spanSlots]periodSpan)
	}
	sec, p := t.Unix(), r.cfg.period
	if b := r.cachedSpan(sec); b != nil {
		return b
	}
	start := r.cfg.periods.Start(t, p)
	s0 := start.Unix()
	b := &r.spans[(s0>>spanShift(p))&(spanSlots-1)]
	*b = periodSpan{start: s0, next: r.cfg.periods.Next(start, p).Unix()}
	return b
}

// cachedSpan returns the span of r.spans (allocated) holding the Unix
// second sec, or nil. Its slot is sec's or one of the two before it (see
// spanShift), which one depending on sec's place in its period: the three
// are tested without a branch, which conversations in no time order would
// mispredict.
func (r *Report) cachedSpan(sec int64) *periodSpan {
	n, s := sec>>spanShift(r.cfg.period), r.spans
	b0, b1, b2 := &s[n&(spanSlots-1)], &s[(n-1)&(spanSlots-1)], &s[(n-2)&(spanSlots-1)]
	var hit *periodSpan
	if b2.holds(sec) {
		hit = b2
	}
	if b1.holds(sec) {
		hit = b1
	}
	if b0.holds(sec) {
		hit = b0
	}
	return hit
}

// holds reports whether the span holds the Unix second sec: start ≤ sec <
// next, in one comparison (the differences wrap; an empty slot, 0 and 0,
// holds none).
func (b *periodSpan) holds(sec int64) bool {
	return uint64(sec-b.start) < uint64(b.next-b.start)
}

// spanShift is, for each period, the binary logarithm of a length in
// seconds at most the shortest period (an hour less, for daylight saving
// time) and more than half the longest (an hour more): the slot of a span
// in Report.spans is its start shifted right by it, so that, as with
// spanApprox, two periods never share a slot and the period of a time t
// starts in t's slot or in one of the two before it, and a slot's number
// is a shift instead of a division.
func spanShift(p Period) uint {
	switch p {
	case Day:
		return 16 // 18.2 h: 23 h ≥ 2^16 s, 2 × 2^16 s > 25 h
	case Week:
		return 19 // 6.07 days
	case Month:
		return 21 // 24.3 days
	}
	return 24 // 194 days
}

// spanAt returns the period [start, next) in Unix seconds of the report's
// period containing t: from the span cache when it holds it, else by a
// zone conversion. Unlike periodSpan it leaves the cache as it is, so that
// a span the caller holds stays valid.
func (r *Report) spanAt(t time.Time) (start, next int64) {
	sec, p := t.Unix(), r.cfg.period
	if r.spans != nil {
		if b := r.cachedSpan(sec); b != nil {
			return b.start, b.next
		}
	}
	s := r.cfg.periods.Start(t, p)
	return s.Unix(), r.cfg.periods.Next(s, p).Unix()
}

// group returns the metrics of a group, creating them; the caller has made
// sure that a new group fits (credits.roomFor).
func (r *Report) group(periodStart int64, key string) *metricSet {
	if r.groups == nil {
		r.groups = make(map[int64]map[string]*metricSet)
	}
	byKey := r.groups[periodStart]
	if byKey == nil {
		byKey = make(map[string]*metricSet)
		r.groups[periodStart] = byKey
	}
	set := byKey[key]
	if set == nil {
		set = new(metricSet)
		*set = r.proto
		byKey[key] = set
		r.ngroups++
		if r.births != nil {
			r.births.groups = append(r.births.groups, groupKey{periodStart, key})
		}
	}
	return set
}

// appendKeyValue appends one value of a combined key, length-prefixed so
// that any values combine unambiguously.
func appendKeyValue(b []byte, v string) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// splitKey returns the values of a combined key, or false if it is corrupt.
func splitKey(key string, n int) ([]string, bool) {
	vs := make([]string, 0, n)
	for len(key) > 0 {
		l, k := binary.Uvarint([]byte(key[:min(len(key), binary.MaxVarintLen64)]))
		if k <= 0 || l > uint64(len(key)-k) {
			return nil, false
		}
		vs = append(vs, key[k:k+int(l)])
		key = key[k+int(l):]
	}
	return vs, len(vs) == n
}

// checkStart checks what a conversation's Info says before its events are
// scanned — an id, a configured priority, a start at or before the first
// event — and returns its start: Info.Start, else the first event's time.
func (r *Report) checkStart(info *Info, ev []Event) (start time.Time, err error) {
	if info.ID == "" {
		return start, noConversationID()
	}
	if err := checkPriority(r.cfg.priorities, info); err != nil {
		return start, err
	}
	start = info.Start
	switch {
	case start.IsZero() && len(ev) == 0:
		return start, &InputError{Conversation: info.ID, Event: -1, Field: "start", Reason: "no start time and no events: the conversation belongs to no period"}
	case start.IsZero():
		start = ev[0].Time
	case len(ev) > 0 && ev[0].Time.Before(start):
		return start, eventErrorf(info.ID, 0, "time", "%s is before the conversation's start %s",
			ev[0].Time.Format(time.RFC3339Nano), start.Format(time.RFC3339Nano))
	}
	return start, nil
}

// check validates a conversation with the report's settings, so that no
// accumulator fails after another has recorded it. It returns the number of
// messages and the start, and tallies the answers and sent surveys of every
// kind into m.tally (the survey events it reads anyway: measure then needs
// no pass for them); on error the tallies are partial.
func (r *Report) check(info *Info, ev []Event, m *conversationMeasures) (messages int64, start time.Time, err error) {
	if start, err = r.checkStart(info, ev); err != nil {
		return 0, start, err
	}
	if m.tallied { // most conversations have no survey: their tallies stay zero
		m.tally, m.tallied = [CESSurvey + 1]surveyTally{}, false
	}
	// Two loops, each with little state, so that it stays in registers:
	// firstFailing, the first over the events, waits for their memory; this
	// one reads them from the cache and stops at the first failing event,
	// where its error is the first of the conversation (an event's own
	// check comes before its feedback rule).
	failing := r.firstFailing(ev)
	var botReplies int
	engaged := false
	resolvedAt := -1 // while resolved: the first Resolved event since the last Reopened
	for i := range ev {
		if i == failing {
			return 0, start, r.eventError(info.ID, ev, i)
		}
		e := &ev[i]
		switch e.Type {
		case Message:
			if !e.Private {
				messages++
			}
			switch e.Role {
			case Customer:
				engaged = true
			case Bot:
				if e.IsReply() {
					botReplies++
				}
			}
		case Fallback:
			messages++
			botReplies++
		case Feedback:
			if botReplies == 0 {
				return 0, start, eventErrorf(info.ID, i, "type", "feedback before any bot reply: it has no answer to rate")
			}
		case Rating:
			m.tallyAnswer(e)
		case SurveySent:
			m.tallySent(e)
		case Resolved:
			if resolvedAt < 0 {
				resolvedAt = i
			}
		case Reopened:
			resolvedAt = -1
		}
	}
	if engaged && !timesInRange(start, ev, resolvedAt) {
		return 0, start, timeRangeError(info, start, ev, resolvedAt)
	}
	return messages, start, nil
}

// timeRangeError is the error about an engaged conversation whose start, or
// whose Resolved event resolved (the first since the last Reopened; -1 for
// none), lies outside the nanosecond range that its durations are taken in;
// nil when both are inside.
func timeRangeError(info *Info, start time.Time, ev []Event, resolved int) error {
	if timesInRange(start, ev, resolved) {
		return nil
	}
	ok1 := inNanoRange(start)
	// The event whose time is out of range, or -1 for the start.
	at, field := resolved, "time"
	switch {
	case !ok1 && info.Start.IsZero():
		at = 0
	case !ok1:
		at, field = -1, "start"
	}
	return &InputError{Conversation: info.ID, Event: at, Field: field, Reason: "conversation time outside the supported range, the years 1678–2261"}
}

// timesInRange reports whether the start of an engaged conversation and
// the time its Resolved event resolved (-1: none) lie inside the
// nanosecond range that its durations are taken in (see timeRangeError).
func timesInRange(start time.Time, ev []Event, resolved int) bool {
	return inNanoRange(start) && (resolved < 0 || inNanoRange(ev[resolved].Time))
}

// firstFailing returns the index of the first event of ev that fails
// checkEvent or, a Rating, whose score is not onScale; len(ev) if none.
// It checks in full only the events that surelyOKFrom does not pass.
func (r *Report) firstFailing(ev []Event) int {
	for i := surelyOKFrom(ev, 0, &r.scores); i < len(ev); i = surelyOKFrom(ev, i+1, &r.scores) {
		if e := &ev[i]; !eventOK(e) || i > 0 && e.Time.Before(ev[i-1].Time) || e.Type == Rating && !r.onScale(e) {
			return i
		}
	}
	return len(ev)
}

// surelyOKFrom returns the index of the first event from i that may fail
// checkEvent or, a Rating, be off the report's scales (scores), as
// eventSurelyOK, scores and mayBeBefore tell (without a call: its state
// stays in registers), or len(ev).
func surelyOKFrom(ev []Event, i int, scores *scoreRanges) int {
	var prev instant
	if i > 0 && i <= len(ev) {
		prev = instantOf(&ev[i-1].Time)
	}
	for ; i < len(ev); i++ {
		e := &ev[i]
		at := instantOf(&e.Time)
		if !(eventSurelyOK(e, at) || e.Type == Rating && scores.hold(e) && knownRoleAndTime(e, at)) || i > 0 && at.mayBeBefore(prev) {
			return i
		}
		prev = at
	}
	return len(ev)
}

// eventError returns the error about event i of conversation id, which
// firstFailing found.
func (r *Report) eventError(id string, ev []Event, i int) error {
	if err := checkEvent(id, ev, i); err != nil {
		return err
	}
	return r.checkScore(id, i, &ev[i])
}

// onScale reports whether the score of Rating event e, which passed
// checkEvent, is on the scale of the report's accumulator of its kind
// (CSAT, CES; NPS: checkEvent checked its scale).
func (r *Report) onScale(e *Event) bool {
	switch e.Survey {
	case CSATSurvey:
		return r.proto.csat.Scale().Contains(int(e.Score))
	case CESSurvey:
		return r.proto.ces.Scale().Scale().Contains(int(e.Score))
	}
	return true
}

// checkScore checks the score of Rating event i, e, of conversation id,
// which passed checkEvent, on the scale of the report's accumulator of its
// kind (onScale).
func (r *Report) checkScore(id string, i int, e *Event) error {
	if r.onScale(e) {
		return nil
	}
	if e.Survey == CSATSurvey {
		return eventErrorf(id, i, "score", "%d is outside the csat scale %s", e.Score, r.proto.csat.Scale())
	}
	return eventErrorf(id, i, "score", "%d is outside the ces scale %s", e.Score, r.proto.ces.Scale().Scale())
}

// conversationMeasures is what one conversation adds to each metric of a
// report. AddConversation measures a conversation once, which also finds
// every error of the business hours before anything is recorded, and
// then records the measures in its group (or the overall metrics of an
// ungrouped report); only counts overflowing int64 can fail there.
type conversationMeasures struct {
	tally          [CESSurvey + 1]surveyTally
	tallied        bool // tally may not be zero: check met a Rating or SurveySent event
	replies        replyScan
	frt            [3]frtMeasure // by replier class: anyone, human, bot
	assign         frtMeasure    // time to assignment
	afterAssign    frtMeasure    // first response after assignment
	runs           [3][]replyRun // answered runs by replier class, reused
	unansweredRuns [3]int64
	res            resolutionMeasure
	dur            chatDurationMeasure
	queue          queueMeasure
	out            outcomeMeasure
	bot            botMeasure
	goals          int64
	agents         []agentTurn  // MetricAgents, reused
	presence       presenceLog  // MetricAgents: the conversation's presence events, reused
	sla            []SLAVerdict // MetricSLA, reused
	slaScan        slaScan
	tickets        ticketMeasures // see report_tickets.go
}

// measure measures a conversation that passed Report.check (which
// tallied its surveys into m) for the report's metrics, with the settings
// of its accumulators.
func (r *Report) measure(info *Info, ev []Event, m *conversationMeasures) error {
	p, on := &r.proto, r.cfg.metrics
	var err error
	if on&(MetricFirstResponse|MetricBotAndHuman|MetricAssignment) != 0 {
		cfg := &p.frt.cfg
		by := anyReplier
		if cfg.humanOnly {
			by = humanReplier
		}
		stop := -1 // the split and the assignment read every event
		if on&(MetricBotAndHuman|MetricAssignment) == 0 {
			stop = cfg.stopAt(by)
		}
		m.replies.scan(ev, stop)
		if on&MetricFirstResponse != 0 {
			if m.frt[anyReplier], err = cfg.firstResponse(info, ev, &m.replies, cfg.start, by); err != nil {
				return err
			}
		}
		if on&MetricBotAndHuman != 0 {
			if m.frt[humanReplier], err = cfg.firstResponse(info, ev, &m.replies, FromHandoffOrCustomerMessage, humanReplier); err != nil {
				return err
			}
			if m.frt[botReplier], err = cfg.firstResponse(info, ev, &m.replies, FromCustomerMessage, botReplier); err != nil {
				return err
			}
		}
		if on&MetricAssignment != 0 {
			if m.assign, m.afterAssign, err = cfg.assignment(info, ev, &m.replies); err != nil {
				return err
			}
		}
	}
	if on&(MetricResponseTime|MetricBotAndHuman) != 0 {
		for c := range m.runs {
			m.runs[c], m.unansweredRuns[c] = m.runs[c][:0], 0
		}
		var want uint8
		if on&MetricResponseTime != 0 {
			want |= 1 << p.resp.cfg.replier()
		}
		if on&MetricBotAndHuman != 0 {
			want |= 1<<humanReplier | 1<<botReplier
		}
		if err = p.resp.cfg.measureRuns(info, ev, want, &m.runs, &m.unansweredRuns); err != nil {
			return err
		}
	}
	if on&MetricResolutionTime != 0 {
		if m.res, err = p.res.cfg.measureChecked(info, ev); err != nil {
			return err
		}
	}
	if on&MetricChatDuration != 0 {
		if m.dur, err = p.dur.cfg.measureChecked(info, ev); err != nil {
			return err
		}
	}
	if on&MetricQueueWait != 0 {
		if m.queue, err = p.queue.cfg.measureChecked(info, ev); err != nil {
			return err
		}
	}
	if on&(MetricOutcomes|MetricSuccessfulChat) != 0 {
		if m.out, err = p.out.cfg.measureChecked(info, ev); err != nil {
			return err
		}
	}
	if on&MetricAgents != 0 {
		if m.agents, err = measureAgents(info.ID, ev, m.agents); err != nil {
			return err
		}
		agentsFrom(m.agents, info.Start)
		m.presence.reset()
		if err = m.presence.add(info.ID, ev); err != nil {
			return err
		}
	}
	if on&MetricBotQuality != 0 {
		if m.bot, err = measureBotQuality(info, ev); err != nil {
			return err
		}
	}
	if on&MetricConversion != 0 {
		m.goals = countGoals(ev)
	}
	if on&MetricSLA != 0 {
		if m.sla, err = p.sla.cfg.verdicts(&m.slaScan, info, ev, m.sla); err != nil {
			return err
		}
	}
	return p.tickets.measure(info, ev, &m.tickets, on)
}

// recordWhole adds the measures that belong to the conversation as a whole
// (duration, queue wait, outcome, bot quality, whether it reached a goal)
// rather than to who acted or when: with agent credit they stay with the
// agent holding it at its end. Both record paths use it.
func (s *metricSet) recordWhole(info *Info, ev []Event, m *conversationMeasures, on Metric) {
	if on&wholeMetrics != 0 { // inlined: a report without them (the core KPIs)
		s.recordWholeOn(info, ev, m, on)
	}
}

// wholeMetrics is the metrics that recordWhole records.
const wholeMetrics = MetricChatDuration | MetricQueueWait | MetricOutcomes | MetricSuccessfulChat | MetricAgents |
	MetricBotQuality | MetricConversion | MetricSLA

func (s *metricSet) recordWholeOn(info *Info, ev []Event, m *conversationMeasures, on Metric) {
	if on&MetricChatDuration != 0 {
		s.dur.record(&m.dur)
	}
	if on&MetricQueueWait != 0 {
		s.queue.record(&m.queue)
	}
	if on&(MetricOutcomes|MetricSuccessfulChat) != 0 {
		s.out.record(info, &m.out, on&MetricSuccessfulChat != 0)
	}
	if on&MetricAgents != 0 {
		s.agents.record(m.agents)
		if !s.presence.sweep.on { // swept overall only: see recordOverallPresence
			_ = s.presence.Merge(&m.presence) // never an error
		}
	}
	if on&MetricBotQuality != 0 {
		s.bot.record(&m.bot)
	}
	if on&MetricConversion != 0 {
		s.conv.Add(m.goals > 0)
		s.recordFunnel(info, m, on)
	}
	if on&MetricSLA != 0 {
		s.sla.record(m.sla)
	}
}

// record adds a measured conversation to the accumulators of the metrics
// on.
func (s *metricSet) record(info *Info, ev []Event, messages int64, m *conversationMeasures, on Metric) error {
	s.conversations++
	s.active++
	s.messages += messages
	var errs [3]error
	if on&MetricCSAT != 0 {
		errs[0] = s.csat.addTally(&m.tally[CSATSurvey])
	}
	if on&MetricNPS != 0 {
		errs[1] = s.nps.addTally(&m.tally[NPSSurvey])
	}
	if on&MetricCES != 0 {
		errs[2] = s.ces.addTally(&m.tally[CESSurvey])
	}
	if on&MetricFirstResponse != 0 {
		s.frt.record(m.frt[anyReplier])
	}
	if on&MetricResponseTime != 0 {
		s.resp.record(m.runs[s.resp.cfg.replier()], m.unansweredRuns[s.resp.cfg.replier()])
	}
	if on&MetricBotAndHuman != 0 {
		s.humanFRT.record(m.frt[humanReplier])
		s.botFRT.record(m.frt[botReplier])
		s.humanResp.record(m.runs[humanReplier], m.unansweredRuns[humanReplier])
		s.botResp.record(m.runs[botReplier], m.unansweredRuns[botReplier])
	}
	if on&MetricAssignment != 0 {
		s.assign.record(m.assign)
		s.afterAssign.record(m.afterAssign)
	}
	if on&MetricResolutionTime != 0 {
		s.res.record(&m.res)
	}
	s.tickets.record(info, &m.tickets, on)
	s.recordWhole(info, ev, m, on)
	if on&MetricConversion != 0 && m.goals > 0 {
		for i := range ev {
			if ev[i].Type == Goal {
				s.goals.add(&ev[i])
			}
		}
	}
	if errs[0] == nil && errs[1] == nil && errs[2] == nil { // not errs == [3]error{}: a call
		return nil
	}
	return errors.Join(errs[:]...)
}

// borrowValues makes s, into which Summary merges the groups, read the
// groups' kept durations where they are instead of copying them (see
// [Durations.borrowValues]): s must not outlive a change to a group, and
// reading s may reorder the groups' kept values.
func (s *metricSet) borrowValues() {
	for _, d := range s.durations() {
		d.borrowValues()
	}
}

// readBorrowed computes the statistics of s's borrowed durations, which
// reorders the groups' kept values, and keeps them (see borrowValues): the
// summaries of s and of the groups may then be computed at the same time.
func (s *metricSet) readBorrowed() {
	for _, d := range s.durations() {
		_, _ = d.Result()
	}
}

// durations returns the kept-duration statistics of s.
func (s *metricSet) durations() [13]*Durations {
	return [13]*Durations{&s.frt.stats, &s.resp.stats, &s.res.first, &s.res.full, &s.dur.full, &s.dur.active, &s.queue.stats,
		&s.botFRT.stats, &s.humanFRT.stats, &s.assign.stats, &s.afterAssign.stats, &s.botResp.stats, &s.humanResp.stats}
}

func (s *metricSet) merge(o *metricSet) error {
	if s.conversations > math.MaxInt64-o.conversations || s.messages > math.MaxInt64-o.messages || s.active > math.MaxInt64-o.active {
		return invalidf("report", "merging overflows int64")
	}
	s.conversations += o.conversations
	s.messages += o.messages
	s.active += o.active
	return errors.Join(
		s.frt.Merge(&o.frt),
		s.resp.Merge(&o.resp),
		s.botFRT.Merge(&o.botFRT),
		s.humanFRT.Merge(&o.humanFRT),
		s.assign.Merge(&o.assign),
		s.afterAssign.Merge(&o.afterAssign),
		s.botResp.Merge(&o.botResp),
		s.humanResp.Merge(&o.humanResp),
		s.res.Merge(&o.res),
		s.dur.Merge(&o.dur),
		s.queue.Merge(&o.queue),
		s.csat.Merge(&o.csat),
		s.nps.Merge(&o.nps),
		s.ces.Merge(&o.ces),
		s.out.Merge(&o.out),
		s.bot.Merge(&o.bot),
		s.conv.Merge(&o.conv),
		s.agents.Merge(&o.agents),
		s.funnel.Merge(&o.funnel),
		s.presence.Merge(&o.presence),
		s.goals.Merge(&o.goals),
		s.tickets.merge(&o.tickets),
		s.sla.Merge(&o.sla),
	)
}

// AddAll adds every conversation of seq, stopping at the first error (of the
// sequence or of a conversation), which it returns.
func (r *Report) AddAll(seq iter.Seq2[*Chat, error]) error {
	for c, err := range seq {
		if err != nil {
			return err
		}
		if err := r.AddConversation(c); err != nil {
			return err
		}
	}
	return nil
}

// Merge adds o's conversations to r, overall and group by group. Reports
// with different settings (periods, groupings by name, percentiles, time
// basis, accumulator settings) or different business hours (not the same
// pointer) give [ErrIncompatible]; r is unchanged then.
func (r *Report) Merge(o *Report) error {
	if err := r.init(); err != nil {
		return err
	}
	if err := o.init(); err != nil {
		return err
	}
	if !bytes.Equal(r.fingerprint, o.fingerprint) || !r.proto.sameMeasures(&o.proto) {
		return fmt.Errorf("%w: reports with different settings", ErrIncompatible)
	}
	if o == r {
		cp, err := r.clone()
		if err != nil {
			return err
		}
		o = cp
	}
	if err := r.roomForGroupsOf(o); err != nil {
		return err
	}
	if err := r.overall.merge(&o.overall); err != nil {
		return err
	}
	to := map[*Outcomes]*Outcomes{&o.overall.out: &r.overall.out}
	sets := map[*metricSet]*metricSet{&o.overall: &r.overall}
	for start, byKey := range o.groups {
		for key, set := range byKey {
			mine := r.group(start, key)
			if err := mine.merge(set); err != nil {
				return err
			}
			to[&set.out] = &mine.out
			sets[set] = mine
		}
	}
	return r.mergeCustomers(o, func(x *Outcomes) *Outcomes { return to[x] }, mergedTouches(sets))
}

// roomForGroupsOf checks that the groups of o that r does not have fit
// within r's limit.
func (r *Report) roomForGroupsOf(o *Report) error {
	room := r.cfg.limit() - r.ngroups
	if o.ngroups <= room {
		return nil
	}
	need := 0
	for start, byKey := range o.groups {
		mine := r.groups[start]
		for key := range byKey {
			if mine[key] == nil {
				need++
			}
		}
	}
	if need > room {
		return fmt.Errorf("%w: merging gives %d groups, past the report's limit of %d (period × key; ReportSettings.MaxGroups)",
			ErrLimit, r.ngroups+need, r.cfg.limit())
	}
	return nil
}

// clone returns an independent copy of r with the same settings.
func (r *Report) clone() (*Report, error) {
	cp := &Report{}
	cp.setup(r.cfg, r.proto)
	if err := cp.UnmarshalBinary(r.encode()); err != nil {
		return nil, err
	}
	return cp, nil
}

// reportGroup is one group in a deterministic order.
type reportGroup struct {
	start int64
	key   string
	set   *metricSet
}

func (r *Report) sortedGroups() []reportGroup {
	var gs []reportGroup
	for start, byKey := range r.groups {
		for key, set := range byKey {
			gs = append(gs, reportGroup{start, key, set})
		}
	}
	slices.SortFunc(gs, func(a, b reportGroup) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return r.cfg.compareKeys(a.key, b.key)
	})
	return gs
}

// compareKeys orders combined keys by their values, left to right: a
// [GroupByPriority] value by the order of the priorities, the others by
// name.
func (c *reportConfig) compareKeys(a, b string) int {
	n := len(c.groupings)
	va, _ := splitKey(a, n)
	vb, _ := splitKey(b, n)
	if len(va) == n && len(vb) == n {
		for i, g := range c.groupings {
			cmp := strings.Compare(va[i], vb[i])
			if g.name == "priority" {
				cmp = comparePriorities(c.priorities, va[i], vb[i])
			}
			if cmp != 0 {
				return cmp
			}
		}
	} else if c := slices.Compare(va, vb); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func (s *metricSet) encode(e *encoder) {
	e.uvarint(uint64(s.conversations))
	e.uvarint(uint64(s.messages))
	e.uvarint(uint64(s.active))
	for _, m := range s.parts() {
		b, _ := m.MarshalBinary()
		e.bytes(b)
	}
}

type binaryPart interface {
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

func (s *metricSet) parts() [24]binaryPart {
	return [24]binaryPart{&s.frt, &s.resp, &s.res, &s.dur, &s.queue, &s.csat, &s.nps, &s.ces, &s.out, &s.bot, &s.conv,
		&s.botFRT, &s.humanFRT, &s.assign, &s.afterAssign, &s.botResp, &s.humanResp, &s.goals, &s.tickets.waits, &s.tickets.touches,
		&s.agents, &s.funnel, &s.presence, &s.sla}
}

// MarshalBinary encodes the settings fingerprint, the overall metrics and
// every group (in sorted order, so equal reports encode equally), each
// accumulator with its own MarshalBinary. A report whose periods are in
// [time.Local] is an error wrapping [ErrInvalid]: "Local" names the zone of
// whichever machine decodes it.
func (r *Report) MarshalBinary() ([]byte, error) {
	if err := r.init(); err != nil {
		return nil, err
	}
	if r.cfg.periods.Location().String() == "Local" {
		return nil, errLocalZone()
	}
	return r.encode(), nil
}

// encode is MarshalBinary without the check of the zone, for copies within
// one process.
func (r *Report) encode() []byte {
	e := newEncoder(tagReport, 1024)
	e.bytes(r.fingerprint)
	r.overall.encode(e)
	gs := r.sortedGroups()
	e.uvarint(uint64(len(gs)))
	for _, g := range gs {
		e.varint(g.start)
		e.string(g.key)
		g.set.encode(e)
	}
	if r.customers != nil {
		r.customers.encode(e)
	}
	if r.repeats != nil {
		index := make(map[*Outcomes]int)
		for i, o := range repeatTargets(r.grouped(), &r.overall, gs) {
			index[o] = i
		}
		r.repeats.encode(e, func(o *Outcomes) int { return index[o] })
	}
	if r.touchLedger != nil {
		index := make(map[*Touches]int)
		for i, t := range touchTargets(r.grouped(), &r.overall, gs) {
			index[t] = i
		}
		r.touchLedger.encode(e, func(t *Touches) int { return index[t] })
	}
	return e.finish()
}

// UnmarshalBinary replaces r's state with an encoding of a report built with
// the same settings; other settings give [ErrIncompatible], corrupt input an
// error wrapping [ErrInvalid]. On error r is unchanged.
//
// A zero-value Report takes the settings of the encoding, except a time
// measure other than calendar time ([ErrIncompatible]) and the functions of
// custom groupings (it can then merge and summarize, but not add).
func (r *Report) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagReport, "report")
	fp := d.bytes()
	if r.cfg == nil && r.err == nil && d.err == nil {
		var t Report
		if err := t.configureFrom(fp); err != nil {
			return err
		}
		if err := t.UnmarshalBinary(data); err != nil {
			return err
		}
		*r = t
		r.repeats.retarget(&t.overall.out, &r.overall.out)
		r.touchLedger.retarget(&t.overall.tickets.touches, &r.overall.tickets.touches)
		return nil
	}
	if err := r.init(); err != nil {
		return err
	}
	if d.err == nil && !bytes.Equal(fp, r.fingerprint) {
		return fmt.Errorf("%w: the report was encoded with other settings", ErrIncompatible)
	}
	overall := r.decodeSet(d)
	n := d.length(4)
	if d.err == nil && n > r.cfg.limit() {
		return fmt.Errorf("%w: the encoding holds %d groups, past the report's limit of %d (period × key; ReportSettings.MaxGroups)",
			ErrLimit, n, r.cfg.limit())
	}
	var groups map[int64]map[string]*metricSet
	var prev *reportGroup
	var sorted []reportGroup // the groups in the order of the encoding
	for range n {
		start := d.varint()
		key := d.string()
		set := r.decodeSet(d)
		if d.err != nil {
			break
		}
		if _, ok := splitKey(key, len(r.cfg.groupings)); !ok {
			d.fail("corrupt group key")
			break
		}
		if r.cfg.period == 0 && start != 0 ||
			r.cfg.period != 0 && r.cfg.periods.Start(time.Unix(start, 0), r.cfg.period).Unix() != start {
			d.fail("group start %d is not the start of a %s", start, r.cfg.period)
			break
		}
		cur := reportGroup{start, key, set}
		if prev != nil && (prev.start > start || prev.start == start && r.cfg.compareKeys(prev.key, key) >= 0) {
			d.fail("groups out of order or repeated")
			break
		}
		prev = &cur
		sorted = append(sorted, cur)
		if r.holdsNothing(set, true) {
			d.fail("empty group")
			break
		}
		if groups == nil {
			groups = make(map[int64]map[string]*metricSet)
		}
		if groups[start] == nil {
			groups[start] = make(map[string]*metricSet)
		}
		groups[start][key] = set
	}
	customers := newCustomerState(r.cfg, &r.proto)
	if customers != nil && d.err == nil {
		customers = decodeCustomerState(d, customers, len(r.cfg.groupings))
	}
	var repeats *repeatLedger[*Outcomes]
	if r.repeats != nil && d.err == nil {
		repeats = newRepeatLedger[*Outcomes](r.repeats.window, r.repeats.bounded)
		repeats.decode(d, repeatTargets(r.grouped(), overall, sorted))
	}
	var touchLedger *repeatLedger[*Touches]
	if r.touchLedger != nil && d.err == nil {
		touchLedger = newRepeatLedger[*Touches](r.touchLedger.window, true)
		touchLedger.decode(d, touchTargets(r.grouped(), overall, sorted))
	}
	if err := d.finish(); err != nil {
		return err
	}
	if r.grouped() && !r.holdsNothing(withoutOverallAgents(overall), false) || !r.grouped() && n > 0 {
		return invalidf("report", "a grouped report keeps its metrics in groups only (its overall metrics hold only the count of conversations), an ungrouped one in the overall metrics")
	}
	r.overall, r.groups, r.ngroups, r.customers = *overall, groups, n, customers
	if repeats != nil {
		repeats.retarget(&overall.out, &r.overall.out)
		*r.repeats = *repeats // the one the metric sets share
	}
	if touchLedger != nil {
		touchLedger.retarget(&overall.tickets.touches, &r.overall.tickets.touches)
		*r.touchLedger = *touchLedger
	}
	r.spans = nil // they may hold groups of the old state
	return nil
}

// decodeSet reads one metric set and checks it by merging it into an empty
// set with the report's settings (which rejects other settings).
func (r *Report) decodeSet(d *decoder) *metricSet {
	s := r.proto
	s.conversations, s.messages, s.active = d.count(), d.count(), d.count()
	for _, m := range s.parts() {
		b := d.bytes()
		if d.err != nil {
			return &s
		}
		if err := m.UnmarshalBinary(b); err != nil {
			d.fail("%v", err)
			return &s
		}
	}
	fresh := new(metricSet)
	*fresh = r.proto
	if err := fresh.merge(&s); err != nil {
		d.fail("metrics with other settings: %v", err)
		return &s
	}
	fresh.conversations, fresh.messages, fresh.active = s.conversations, s.messages, s.active
	if err := fresh.consistent(&r.proto, r.cfg.metrics, !r.grouped()); err != nil {
		d.fail("%v", err)
	}
	return fresh
}

// holdsNothing reports whether set holds nothing but, when counted is
// false, a count of conversations: its other state encodes as the empty
// accumulators'.
func (r *Report) holdsNothing(set *metricSet, counted bool) bool {
	if counted && set.conversations != 0 {
		return false
	}
	empty, got := r.proto, *set
	got.conversations = 0
	a, b := newEncoder(tagReport, 256), newEncoder(tagReport, 256)
	empty.encode(a)
	got.encode(b)
	return bytes.Equal(a.finish(), b.finish())
}

// consistent reports whether s is a state that a report with the empty
// accumulators proto and the metrics on can hold: the accumulators of the
// metrics off are empty, and, when exact (the metrics of an ungrouped
// report), each accumulator that counts every conversation once counts
// s.conversations. A group of a grouped report only bounds its outcomes and
// conversion by its conversations: its other measures are credited to who
// acted and when (see credits).
func (s *metricSet) consistent(proto *metricSet, on Metric, exact bool) error {
	ps, ss := proto.parts(), s.parts()
	for i := range ss {
		if on&partMetric(i) != 0 {
			continue
		}
		if i == 8 && on&MetricSuccessfulChat != 0 {
			continue // the outcomes hold the successful-chat state
		}
		a, _ := ss[i].MarshalBinary()
		b, _ := ps[i].MarshalBinary()
		if !bytes.Equal(a, b) {
			return invalidf("report", "metric %s holds state but is not one of the report's metrics %s", partMetric(i), on)
		}
	}
	if err := s.consistentOutcomes(on, exact); err != nil {
		return err
	}
	if on&MetricConversion != 0 && s.conv.goals != s.conv.converted {
		return invalidf("report", "the conversion counts %d goal events of %d converted conversations: a report counts conversions only (its goals apart)",
			s.conv.goals, s.conv.converted)
	}
	o, _ := s.out.Result()
	if !exact {
		if on&MetricOutcomes != 0 && o.Conversations > s.conversations || on&MetricConversion != 0 && s.conv.conversations > s.conversations {
			return invalidf("report", "a group's outcomes or conversion count more conversations than its %d", s.conversations)
		}
		return nil
	}
	for _, c := range []struct {
		m      Metric
		counts []int64 // their sum is the number of conversations
	}{
		{MetricFirstResponse, frtCounts(&s.frt)},
		{MetricBotAndHuman, frtCounts(&s.humanFRT)},
		{MetricBotAndHuman, frtCounts(&s.botFRT)},
		{MetricAssignment, frtCounts(&s.assign)},
		{MetricAssignment, frtCounts(&s.afterAssign)},
		{MetricResolutionTime, []int64{s.res.first.n, s.res.unresolved}},
		{MetricChatDuration, []int64{s.dur.full.n, s.dur.noMessages}},
		{MetricQueueWait, []int64{s.queue.waited, s.queue.notWaiting}},
		{MetricOutcomes, []int64{o.Conversations}},
		{MetricConversion, []int64{s.conv.conversations}},
		{MetricWaitTimes, []int64{s.tickets.waits.resolvedCount(), s.tickets.waits.unresolved}},
		{MetricTouches, s.tickets.touches.counts()},
	} {
		if on&c.m == 0 {
			continue
		}
		var n int64
		for _, k := range c.counts {
			if k > s.conversations-n {
				return invalidf("report", "%s counts more conversations than the metric set's %d", c.m, s.conversations)
			}
			n += k
		}
		if n != s.conversations {
			return invalidf("report", "%s counts %d conversations, the metric set %d", c.m, n, s.conversations)
		}
	}
	if on&MetricConversion != 0 && (s.goals.events < s.conv.converted || s.conv.converted == 0 && s.goals.events != 0) {
		return invalidf("report", "%d goal events in %d converted conversations", s.goals.events, s.conv.converted)
	}
	return nil
}

// frtCounts returns the counts of a first-response accumulator, which add up
// to its conversations.
func frtCounts(f *FirstResponseTime) []int64 {
	return []int64{f.stats.n, f.unanswered, f.outbound, f.unengaged, f.notEscalated}
}

// partMetric returns the metric of part i of [metricSet.parts].
func partMetric(i int) Metric {
	switch {
	case i < 11:
		return 1 << i // frt … conv, in the order of the constants
	case i == 13 || i == 14:
		return MetricAssignment // assign, afterAssign
	case i == 17:
		return MetricConversion // goals
	case i == 18:
		return MetricWaitTimes
	case i == 19:
		return MetricTouches
	case i == 20 || i == 22:
		return MetricAgents // agents, presence
	case i == 21:
		return MetricConversion // the funnel
	case i == 23:
		return MetricSLA
	}
	return MetricBotAndHuman // botFRT, humanFRT, botResp, humanResp
}
