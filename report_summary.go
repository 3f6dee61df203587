package chatkpi

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Summary returns the report in the documented schema ([Summary]): the
// overall metrics and one entry per group, sorted by period, then key. It
// returns [ErrNoData] when no conversation was added. It summarizes the
// overall metrics, each group and the retention figures independently, on
// up to [runtime.GOMAXPROCS] goroutines (the caller's one of them).
//
// What each TimingSummary counts as Unanswered (items without a duration):
//
//   - first_response_time: engaged inbound conversations never answered;
//   - human_first_response_time: those no human answered (after the last
//     handoff, if any), except the ones the bot kept without a handoff
//     (excluded); bot_first_response_time: those nobody answered;
//   - time_to_assignment: those never joined nor answered by a human;
//     first_response_after_assignment: those joined and never answered by
//     a human after the join;
//   - response_time, human_response_time, bot_response_time: customer runs
//     never answered (by anyone, by a human, by a bot);
//   - resolution_time: conversations never resolved;
//   - full_resolution_time: conversations that do not end resolved (never
//     resolved, or reopened after their last resolution);
//   - chat_duration: conversations without a message;
//   - queue_wait: conversations that waited and that no agent joined or
//     answered before the customer left;
//   - the waits of wait_times: conversations never resolved (the full
//     waits: also those reopened after their last resolution).
//
// A metric is null when it has nothing to count (a TimingSummary when both
// Count and Unanswered are 0 — all its items excluded, say — a rate when its
// denominator is 0).
func (r *Report) Summary() (*Summary, error) {
	if err := r.init(); err != nil {
		return nil, err
	}
	groups := r.sortedGroups()
	sums := r.startSummaries(groups) // on several goroutines
	defer sums.drop()
	overall := &r.overall
	if r.grouped() {
		overall = new(metricSet)
		*overall = r.proto
		overall.borrowValues()
		for _, g := range groups {
			if err := overall.merge(g.set); err != nil {
				return nil, err
			}
		}
		// Every measure is in exactly one group, but a conversation counts
		// in the group of every agent who handled it (see credits).
		overall.conversations = r.overall.conversations
		overall.active = r.overall.conversations // each once, not once per period
		if overall.agents.bounded {
			overall.agents = r.overall.agents // see recordOverallAgents
			overall.presence = r.overall.presence
		}
		overall.readBorrowed() // before anything reads the groups
	}
	if overall.conversations == 0 {
		return nil, ErrNoData
	}
	c := r.cfg
	s := &Summary{
		SchemaVersion: 2,
		TimeZone:      c.periods.Location().String(),
		WeekStart:     strings.ToLower(c.periods.WeekStart().String()),
		Percentiles:   "exact",
		TimeBasis:     "calendar",
		GroupBy:       make([]string, len(c.groupings)),
		Groups:        []GroupSummary{},
	}
	if c.period != 0 {
		s.Period = c.period.String()
	}
	for _, d := range r.proto.statsConfigs() {
		if d.streaming {
			s.Percentiles, s.RelativeAccuracy = "streaming", max(s.RelativeAccuracy, d.alpha)
		}
	}
	if r.proto.calendarMask() != allCalendar || r.proto.sla.anyBusiness() {
		s.TimeBasis = "business"
	}
	if c.metrics != DefaultMetrics {
		s.Metrics = c.metrics.Names()
	}
	for i, g := range c.groupings {
		s.GroupBy[i] = g.name
	}
	var err error
	if s.Money, err = r.moneySummary(groups); err != nil {
		return nil, err
	}
	sums.finish(overall)
	if s.Retention, err = sums.retention, sums.retentionErr; err != nil {
		return nil, err
	}
	if s.Overall, err = sums.overall, sums.overallErr; err != nil {
		return nil, err
	}
	if err := overall.availability(&s.Overall, c.periods); err != nil {
		return nil, err
	}
	var avail *groupAvailability // none when the overall's is undefined
	if s.Overall.AvailabilityUndefined == "" {
		avail = newGroupAvailability(&overall.presence, c, r.agentIdx)
	}
	for i, g := range groups {
		gs := GroupSummary{Key: make(map[string]string, len(c.groupings))}
		vs, _ := splitKey(g.key, len(c.groupings))
		for i, v := range vs {
			gs.Key[c.groupings[i].name] = v
		}
		if c.period != 0 {
			gs.Period = c.periods.Label(time.Unix(g.start, 0), c.period)
		}
		if gs.MetricsSummary, err = sums.sets[i], sums.setErrs[i]; err != nil {
			return nil, err
		}
		if gs.Availability, err = avail.of(vs, g.start); err != nil {
			return nil, err
		}
		s.Groups = append(s.Groups, gs)
	}
	if err := r.judgeGroups(overall, groups, s.Groups); err != nil {
		return nil, err
	}
	r.finishSuccessfulChat(s)
	r.finishFirstContact(s)
	return s, nil
}

// summary summarizes one set.
func (s *metricSet) summary(c *reportConfig, labels bucketLabels) (MetricsSummary, error) {
	m := MetricsSummary{Conversations: s.conversations, Messages: s.messages, ActiveConversations: s.active}
	var err error

	for _, f := range [...]struct {
		to  **TimingSummary
		acc *FirstResponseTime
	}{
		{&m.FirstResponseTime, &s.frt}, {&m.HumanFirstResponseTime, &s.humanFRT}, {&m.BotFirstResponseTime, &s.botFRT},
		{&m.TimeToAssignment, &s.assign}, {&m.FirstResponseAfterAssignment, &s.afterAssign},
	} {
		r, err := f.acc.Result()
		if *f.to, err = timingSummary(labels, r.Stats, err, r.Answered, r.Unanswered, r.Outbound+r.Unengaged+r.NotEscalated); err != nil {
			return m, err
		}
		if t := *f.to; t != nil {
			t.Outbound, t.Unengaged = r.Outbound, r.Unengaged
		}
	}
	for _, f := range [...]struct {
		to  **TimingSummary
		acc *ResponseTime
	}{{&m.ResponseTime, &s.resp}, {&m.HumanResponseTime, &s.humanResp}, {&m.BotResponseTime, &s.botResp}} {
		r, err := f.acc.Result()
		if *f.to, err = timingSummary(labels, r.Stats, err, r.Answered, r.Unanswered, 0); err != nil {
			return m, err
		}
	}
	res, err := s.res.Result()
	if m.ResolutionTime, err = timingSummary(labels, res.First, err, res.Resolved, res.Unresolved, 0); err != nil {
		return m, err
	}
	if res.Resolved+res.Unresolved > 0 {
		m.Resolutions = &ResolutionsSummary{Resolved: res.Resolved, Reopened: res.Reopened, Reopens: res.Reopens,
			Cycles: res.Cycles, EndsReopened: res.ReopenedOpen}
	}
	fullErr := err
	if fullErr == nil && res.Full.Count == 0 {
		fullErr = ErrNoData
	}
	if m.FullResolution, err = timingSummary(labels, res.Full, fullErr, res.Full.Count, res.Unresolved+res.ReopenedOpen, 0); err != nil {
		return m, err
	}
	dur, err := s.dur.Result()
	durErr := err
	if m.ChatDuration, err = timingSummary(labels, dur.Full, durErr, dur.Full.Count, dur.NoMessages, 0); err != nil {
		return m, err
	}
	if s.dur.cfg.maxGap > 0 {
		if m.ActiveChatDuration, err = timingSummary(labels, dur.Active, durErr, dur.Active.Count, dur.NoMessages, 0); err != nil {
			return m, err
		}
	}
	q, err := s.queue.Result()
	if m.QueueWait, err = timingSummary(labels, q.Stats, err, q.Stats.Count, q.Unserved, 0); err != nil {
		return m, err
	}
	m.Abandonment = rateSummary(q.AbandonmentRate())

	if r, err := s.csat.Result(); err == nil {
		cs := &CSATSummary{
			Scale:        strconv.Itoa(r.Scale.Min) + "-" + strconv.Itoa(r.Scale.Max),
			Responses:    r.Responses,
			Satisfied:    r.Satisfied.Successes,
			Percent:      r.Percent,
			CILow:        r.CI.Low,
			CIHigh:       r.CI.High,
			Mean:         r.Mean.Value,
			Distribution: distributionSummary(&r.Distribution, r.Scale),
			SmallSample:  smallSample(r.Responses, r.CI.Low, r.CI.High), // CI is in percent already
			Dissatisfied: r.Dissatisfied.Successes,
			Net:          r.Net,
		}
		m.CSAT = cs
	} else if !errors.Is(err, ErrNoData) {
		return m, err
	}
	if rr, err := s.csat.ResponseRate(); err == nil { // see MetricsSummary.CSATResponseRate
		m.CSATResponseRate = rateSummary(rr)
	}
	if r, err := s.nps.Result(); err == nil {
		m.NPS = &NPSSummary{Responses: r.Responses, Promoters: r.Promoters, Passives: r.Passives, Detractors: r.Detractors,
			Score: r.Score, StandardError: r.SE, CILow: r.CI.Low, CIHigh: r.CI.High,
			Distribution: distributionSummary(&r.Distribution, Scale{Min: npsMin, Max: npsMax}),
			SmallSample:  smallSample(r.Responses, r.CI.Low, r.CI.High)}
	} else if !errors.Is(err, ErrNoData) {
		return m, err
	}
	if r, err := s.ces.Result(); err == nil {
		scale := r.Scale.Scale()
		name := strconv.Itoa(scale.Min) + "-" + strconv.Itoa(scale.Max)
		if r.Scale.HigherIsBetter() {
			name += " agreement (higher is better)"
		} else {
			name += " effort (lower is better)"
		}
		m.CES = &CESSummary{Scale: name, Responses: r.Responses, Mean: r.Mean.Value, LowEffort: r.LowEffort.Successes,
			LowEffortPercent: r.LowEffortPercent, Distribution: distributionSummary(&r.Distribution, scale)}
		iv, err := r.LowEffort.Wilson(Z95)
		m.CES.SmallSample = err != nil || smallSample(r.Responses, 100*iv.Low, 100*iv.High)
		m.CES.LowEffortCILow, m.CES.LowEffortCIHigh = 100*iv.Low, 100*iv.High
	} else if !errors.Is(err, ErrNoData) {
		return m, err
	}
	if r, err := s.out.Result(); err == nil && c.metrics&MetricOutcomes == 0 {
		// only the successful-chat state (MetricSuccessfulChat)
	} else if err == nil {
		m.Completion = completionSummary(&r)
		m.Outcomes = &OutcomeSummary{ResolvedByBot: r.Counts.ResolvedByBot, Escalated: r.Counts.Escalated,
			ResolvedByAgent: r.Counts.ResolvedByAgent, Abandoned: r.Counts.Abandoned, Unengaged: r.Counts.Unengaged}
		m.Containment = rateSummary(r.Containment)
		m.Escalation = rateSummary(r.Escalation)
		m.Reopen = rateSummary(r.Reopen)
	} else if !errors.Is(err, ErrNoData) {
		return m, err
	}
	if c.metrics&MetricSuccessfulChat != 0 {
		m.SuccessfulChat = successfulChatSummary(&s.out)
	}
	m.Agents = agentsSummary(&s.agents)
	m.Funnel = funnelSummary(&s.funnel)
	if r, err := s.bot.Result(); err == nil {
		m.BotAccuracy = rateSummary(r.Accuracy)
		m.FallbackRate = rateSummary(r.Fallback)
	} else if !errors.Is(err, ErrNoData) {
		return m, err
	}
	if c.metrics&MetricConversion != 0 && (s.conv.conversations > 0 || s.goals.events > 0) {
		cv := &ConversionSummary{Goals: s.goals.events, Value: map[string]string{}}
		if r, err := s.conv.Result(); err == nil {
			cv.RateSummary = rateSummary(r.Rate)
		} else if !errors.Is(err, ErrNoData) {
			return m, err
		}
		for _, cur := range s.goals.value.Currencies() {
			cv.Value[cur] = s.goals.value.Amount(cur).String()
		}
		m.Conversion = cv
	}
	if err := s.tickets.summary(&m, labels, c.metrics, nil); err != nil {
		return m, err
	}
	if m.SLAPolicy, err = s.sla.summary(labels); err != nil {
		return m, err
	}
	return m, nil
}

// timingSummary converts statistics; err is the error of the Result that
// produced st (ErrNoData: no duration).
// bucketLabels remembers the label of each histogram bucket [lo, hi) (hi 0:
// open-ended), which every group of a report shares.
type bucketLabels map[[2]time.Duration]string

func (l bucketLabels) of(lo, hi time.Duration) string {
	k := [2]time.Duration{lo, hi}
	if s, ok := l[k]; ok {
		return s
	}
	s := durationLabel(lo) + "+"
	if hi > 0 {
		s = rangeLabel(lo, hi)
	}
	l[k] = s
	return s
}

func timingSummary(labels bucketLabels, st DurationStats, err error, count, unanswered, excluded int64) (*TimingSummary, error) {
	switch {
	case err != nil && !errors.Is(err, ErrNoData):
		return nil, err
	case count == 0 && unanswered == 0:
		return nil, nil
	}
	t := &TimingSummary{Count: count, Unanswered: unanswered, Excluded: excluded, SmallSample: count < smallSampleMinimum}
	if err != nil || st.Count == 0 {
		t.Count = 0
		return t, nil
	}
	// One block for every number the summary points to.
	block := make([]float64, 0, 8+len(st.Histogram))
	seconds := func(d time.Duration) *float64 {
		block = append(block, d.Seconds())
		return &block[len(block)-1]
	}
	t.MeanSeconds = seconds(st.Mean)
	if st.HasStdErr {
		t.StdErrSeconds = seconds(st.StdErr)
	}
	t.MinSeconds, t.MaxSeconds = seconds(st.Min), seconds(st.Max)
	for _, p := range st.Quantiles {
		switch p.Q {
		case 0.5:
			t.P50Seconds = seconds(p.Value)
		case 0.9:
			t.P90Seconds = seconds(p.Value)
		case 0.95:
			t.P95Seconds = seconds(p.Value)
		case 0.99:
			t.P99Seconds = seconds(p.Value)
		default:
			if t.Percentiles == nil {
				t.Percentiles = make(map[string]float64)
			}
			t.Percentiles[percentileName(p.Q)] = p.Value.Seconds()
		}
	}
	if len(st.Histogram) > 0 {
		t.Histogram = make([]BucketSummary, 0, len(st.Histogram))
	}
	for _, b := range st.Histogram {
		bs := BucketSummary{FromSeconds: b.Low.Seconds(), Count: b.Count, Label: labels.of(b.Low, b.High)}
		if b.High > 0 {
			bs.ToSeconds = seconds(b.High)
		}
		t.Histogram = append(t.Histogram, bs)
	}
	for _, a := range st.SLA {
		if r := rateSummary(a.Within); r != nil {
			t.SLA = append(t.SLA, SLASummary{TargetSeconds: a.Target.Seconds(), RateSummary: *r})
		}
	}
	return t, nil
}

// percentileName writes a quantile as "p75" or "p99.9" (to 4 decimals of a
// percent, which absorbs the binary rounding of q × 100).
func percentileName(q float64) string {
	return "p" + strconv.FormatFloat(math.Round(q*1e6)/1e4, 'f', -1, 64)
}

// rangeLabel writes a bucket [lo, hi) as "0–1h", "1–4h", "30–90m", in the
// largest unit of both bounds.
func rangeLabel(lo, hi time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if lo%u.d == 0 && hi%u.d == 0 {
			return strconv.FormatInt(int64(lo/u.d), 10) + "–" + strconv.FormatInt(int64(hi/u.d), 10) + u.name
		}
	}
	return durationLabel(lo) + "–" + durationLabel(hi)
}

// durationLabel writes a histogram bound compactly: "0", "90s", "30m", "4h".
func durationLabel(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

// rateSummary converts a proportion; nil when it has no trials.
func rateSummary(p Proportion) *RateSummary {
	pct, err := p.Percent()
	if err != nil {
		return nil
	}
	iv, err := p.Wilson(Z95)
	if err != nil {
		return nil
	}
	lo, hi := 100*iv.Low, 100*iv.High
	return &RateSummary{Count: p.Successes, Of: p.Trials, Percent: pct, CILow: lo, CIHigh: hi, SmallSample: smallSample(p.Trials, lo, hi)}
}

// The small-sample thresholds of the catalogue ("Small samples" in
// METRICS.md): a rate, score or mean is flagged when it rests on fewer than
// smallSampleMinimum answers or its 95 % interval is wider than
// smallSampleWidth percentage points (NPS: points of score).
const (
	smallSampleMinimum = 30
	smallSampleWidth   = 20.0
)

// smallSample reports whether n answers with the 95 % interval [lo, hi] (in
// percent or points) are a small sample.
func smallSample(n int64, lo, hi float64) bool {
	return n < smallSampleMinimum || hi-lo > smallSampleWidth
}

func distributionSummary(d *Distribution, s Scale) map[string]int64 {
	m := make(map[string]int64, s.Points())
	for v := s.Min; v <= s.Max; v++ {
		m[strconv.Itoa(v)] = d[v]
	}
	return m
}
