// Package chatkpiprom exposes a [chatkpi.LiveReport] to Prometheus: a
// [prometheus.Collector] that the caller registers on a registry of its
// own (the package registers nothing, and has no global state).
//
// Every scrape reads the report's [chatkpi.LiveSummary] once and turns it
// into metrics:
//
// Counters, over the conversations that closed (one series per group of the
// report, labelled by its groupings; unlabelled when the report is not
// grouped — the overall figures are the sum of the groups, so they are not
// exported a second time):
//
//	chatkpi_conversations_total            conversations
//	chatkpi_messages_total                 messages (as Summary counts them)
//	chatkpi_outcomes_total{outcome}        resolved_by_bot, escalated, resolved_by_agent, abandoned, unengaged
//	chatkpi_ratings_total{survey,score}    CSAT, CES and NPS answers by score
//	chatkpi_nps_responses_total{category}  NPS answers: promoter, passive, detractor
//	chatkpi_goals_total                    goal events
//	chatkpi_first_response_unanswered_total engaged inbound conversations never answered
//
// and, for the whole report (no group labels):
//
//	chatkpi_duplicates_dropped_total       events dropped as re-deliveries
//	chatkpi_rejected_conversations_total   closed conversations the report rejected
//
// Histograms (not summaries, so that instances aggregate), in seconds, with
// the bounds of the report's own histograms as buckets plus one bucket at
// each SLA target of the metric's settings ([chatkpi.DurationsSettings].SLA,
// the command's -sla), counted exactly (durations ≤ the
// target), so the Prometheus histograms give the share within each target:
//
//	chatkpi_first_response_seconds, chatkpi_human_first_response_seconds,
//	chatkpi_bot_first_response_seconds, chatkpi_response_seconds,
//	chatkpi_human_response_seconds, chatkpi_bot_response_seconds,
//	chatkpi_resolution_seconds
//
// (the human and bot variants as [chatkpi.MetricsSummary] defines them;
// absent when the report does not compute them)
//
// A report bucket is [from, to): a duration exactly on a bound is counted
// in the next bucket, where Prometheus' "le" would count it in this one.
// The sum is mean × count (the report keeps the exact sum in nanoseconds;
// the mean is rounded to the nanosecond, so the sum is within count × 0.5 ns).
//
// Gauges, the open conversations as they stand ([chatkpi.OpenSummary]):
//
//	chatkpi_open_conversations, chatkpi_open_waiting_customers,
//	chatkpi_open_unanswered_conversations, chatkpi_open_unanswered_wait_seconds_max
//
// Cardinality guard: a group is one series per metric and label value, so
// a report grouped by something unbounded (a customer dimension, days that
// keep coming) would grow Prometheus' memory without limit. The collector
// exports at most Settings.MaxGroups groups; a report with more fails the
// scrape with an error that names the limit (nothing is dropped or folded
// silently). Group by bounded things (handler, channel, agent of a team);
// Prometheus cuts time itself, so a report without a period grouping is
// the usual choice.
package chatkpiprom

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/prometheus/client_golang/prometheus"
)

// Settings are the collector's settings; the zero value is the defaults.
type Settings struct {
	// Namespace is the prefix of every metric name. Default: "chatkpi".
	Namespace string
	// MaxGroups is the cardinality guard: the most groups a scrape exports.
	// Default: 1,000.
	MaxGroups int
}

// DefaultMaxGroups is the default of Settings.MaxGroups.
const DefaultMaxGroups = 1000

// Source is what a collector reads: a [*chatkpi.LiveReport], or anything
// that serves its live summary (a cache of it, say).
type Source interface {
	LiveSummary(asOf time.Time) (*chatkpi.LiveSummary, error)
}

// Collector exports a live report. It is safe for concurrent scrapes when
// its source is (a LiveReport is).
type Collector struct {
	live Source
	s    Settings
	now  func() time.Time
}

// NewCollector returns a collector of live. now gives the instant of the
// open conversations' view at each scrape (nil: [time.Now]).
func NewCollector(live Source, s Settings, now func() time.Time) (*Collector, error) {
	if live == nil {
		return nil, errors.New("chatkpiprom: nil Source")
	}
	if s.MaxGroups < 0 {
		return nil, fmt.Errorf("chatkpiprom: MaxGroups %d is negative", s.MaxGroups)
	}
	if s.Namespace == "" {
		s.Namespace = "chatkpi"
	}
	if s.MaxGroups == 0 {
		s.MaxGroups = DefaultMaxGroups
	}
	if now == nil {
		now = time.Now
	}
	return &Collector{live: live, s: s, now: now}, nil
}

// Describe sends nothing: the labels depend on the report's groupings, so
// this is an unchecked collector (see [prometheus.Collector]).
func (c *Collector) Describe(chan<- *prometheus.Desc) {}

// Collect reads the live summary and sends every metric.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ls, err := c.live.LiveSummary(c.now())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc("up", "", nil), err)
		return
	}
	m := &metrics{c: c, ch: ch}
	m.counter("duplicates_dropped_total", "Events dropped as re-deliveries of events already held.", nil, nil, float64(ls.DuplicatesDropped))
	m.counter("rejected_conversations_total", "Closed conversations the report rejected.", nil, nil, float64(ls.RejectedConversations))
	o := &ls.Open
	m.gauge("open_conversations", "Open conversations (not yet in the counters).", float64(o.Conversations))
	m.gauge("open_waiting_customers", "Open conversations whose latest customer message has no reply yet.", float64(o.WaitingCustomers))
	unanswered, oldest := 0.0, 0.0
	if o.Unanswered != nil {
		unanswered, oldest = float64(o.Unanswered.Count), *o.Unanswered.MaxSeconds
	}
	m.gauge("open_unanswered_conversations", "Open engaged inbound conversations without a first reply.", unanswered)
	m.gauge("open_unanswered_wait_seconds_max", "The longest current wait for a first reply among open conversations.", oldest)
	if ls.Closed == nil {
		return // no conversation closed yet: no data, not zeros
	}
	s := ls.Closed
	names := labelNames(s)
	groups := []groupMetrics{{nil, &s.Overall}}
	if len(s.GroupBy) > 0 || s.Period != "" {
		if len(s.Groups) > c.s.MaxGroups {
			ch <- prometheus.NewInvalidMetric(c.desc("conversations_total", "", names),
				fmt.Errorf("chatkpiprom: the report has %d groups, more than the collector's MaxGroups %d: raise Settings.MaxGroups or group by less", len(s.Groups), c.s.MaxGroups))
			return
		}
		groups = groups[:0]
		for i := range s.Groups {
			g := &s.Groups[i]
			vals := make([]string, 0, len(names))
			for _, k := range s.GroupBy {
				vals = append(vals, g.Key[k])
			}
			if s.Period != "" {
				vals = append(vals, g.Period)
			}
			groups = append(groups, groupMetrics{vals, &g.MetricsSummary})
		}
	}
	for _, g := range groups {
		m.group(names, g.values, g.m)
	}
}

type groupMetrics struct {
	values []string
	m      *chatkpi.MetricsSummary
}

// labelNames are the label names of a report's groups: each grouping's
// name made a valid label name ("dim:greeting" → "dim_greeting"), then
// "period" when grouped by period.
func labelNames(s *chatkpi.Summary) []string {
	var names []string
	for _, g := range s.GroupBy {
		names = append(names, labelName(g))
	}
	if s.Period != "" {
		names = append(names, "period")
	}
	return names
}

func labelName(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r >= '0' && r <= '9' && i > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// metrics sends the metrics of one scrape.
type metrics struct {
	c  *Collector
	ch chan<- prometheus.Metric
}

func (c *Collector) desc(name, help string, labels []string) *prometheus.Desc {
	return prometheus.NewDesc(c.s.Namespace+"_"+name, help, labels, nil)
}

func (m *metrics) send(metric prometheus.Metric, err error) {
	if err != nil {
		metric = prometheus.NewInvalidMetric(m.c.desc("error", "", nil), err)
	}
	m.ch <- metric
}

func (m *metrics) counter(name, help string, labels, values []string, v float64) {
	m.send(prometheus.NewConstMetric(m.c.desc(name, help, labels), prometheus.CounterValue, v, values...))
}

func (m *metrics) gauge(name, help string, v float64) {
	m.send(prometheus.NewConstMetric(m.c.desc(name, help, nil), prometheus.GaugeValue, v))
}

// group sends the metrics of one group (labels names = values).
func (m *metrics) group(names, values []string, g *chatkpi.MetricsSummary) {
	with := func(extra ...string) ([]string, []string) {
		n := append(append([]string(nil), names...), extra[:len(extra)/2]...)
		v := append(append([]string(nil), values...), extra[len(extra)/2:]...)
		return n, v
	}
	m.counter("conversations_total", "Closed conversations.", names, values, float64(g.Conversations))
	m.counter("messages_total", "Messages of closed conversations (public messages and fallbacks).", names, values, float64(g.Messages))
	if o := g.Outcomes; o != nil {
		for _, oc := range []struct {
			name string
			n    int64
		}{{"resolved_by_bot", o.ResolvedByBot}, {"escalated", o.Escalated}, {"resolved_by_agent", o.ResolvedByAgent},
			{"abandoned", o.Abandoned}, {"unengaged", o.Unengaged}} {
			n, v := with("outcome", oc.name)
			m.counter("outcomes_total", "Closed conversations by outcome.", n, v, float64(oc.n))
		}
	}
	ratings := func(survey string, dist map[string]int64) {
		scores := make([]string, 0, len(dist))
		for s := range dist {
			scores = append(scores, s)
		}
		sort.Slice(scores, func(i, j int) bool { a, _ := strconv.Atoi(scores[i]); b, _ := strconv.Atoi(scores[j]); return a < b })
		for _, s := range scores {
			n, v := with("survey", "score", survey, s)
			m.counter("ratings_total", "Survey answers by score (CSAT, CES, NPS).", n, v, float64(dist[s]))
		}
	}
	if g.CSAT != nil {
		ratings("csat", g.CSAT.Distribution)
	}
	if g.CES != nil {
		ratings("ces", g.CES.Distribution)
	}
	if p := g.NPS; p != nil {
		ratings("nps", p.Distribution)
		for _, cat := range []struct {
			name string
			n    int64
		}{{"promoter", p.Promoters}, {"passive", p.Passives}, {"detractor", p.Detractors}} {
			n, v := with("category", cat.name)
			m.counter("nps_responses_total", "NPS answers by category.", n, v, float64(cat.n))
		}
	}
	if cv := g.Conversion; cv != nil {
		m.counter("goals_total", "Goal events of closed conversations.", names, values, float64(cv.Goals))
	}
	if f := g.FirstResponseTime; f != nil {
		m.counter("first_response_unanswered_total", "Engaged inbound closed conversations never answered.", names, values, float64(f.Unanswered))
	}
	m.histogram("first_response_seconds", "First response time (first reply by anyone) of closed conversations.", names, values, g.FirstResponseTime)
	m.histogram("human_first_response_seconds", "First human response time of closed conversations (from the handoff, else the first customer message).", names, values, g.HumanFirstResponseTime)
	m.histogram("bot_first_response_seconds", "First bot response time of closed conversations.", names, values, g.BotFirstResponseTime)
	m.histogram("response_seconds", "Response time of every customer turn of closed conversations.", names, values, g.ResponseTime)
	m.histogram("human_response_seconds", "Response time of the customer turns a human answered.", names, values, g.HumanResponseTime)
	m.histogram("bot_response_seconds", "Response time of the customer turns a bot answered.", names, values, g.BotResponseTime)
	m.histogram("resolution_seconds", "Time to the first resolution of closed conversations.", names, values, g.ResolutionTime)
}

// histogram sends a timing summary as a histogram; nothing when it has no
// durations.
func (m *metrics) histogram(name, help string, names, values []string, t *chatkpi.TimingSummary) {
	if t == nil || t.Count == 0 || t.MeanSeconds == nil {
		return
	}
	buckets := make(map[float64]uint64, len(t.Histogram))
	var cum uint64
	for _, b := range t.Histogram {
		cum += uint64(b.Count)
		if b.ToSeconds != nil {
			buckets[*b.ToSeconds] = cum
		}
	}
	// Each SLA target is a bucket too, counted exactly: the durations ≤ the
	// target, which is Prometheus' own "le". Where a target is also a
	// report bound it replaces the report's count (durations < the bound).
	for _, sla := range t.SLA {
		buckets[sla.TargetSeconds] = uint64(sla.Count)
	}
	sum := *t.MeanSeconds * float64(t.Count)
	m.send(prometheus.NewConstHistogram(m.c.desc(name, help, names), uint64(t.Count), sum, buckets, values...))
}
