package chatkpi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// SLAMetric is what an SLA target limits. The zero value is not a metric.
type SLAMetric uint8

// The SLA metrics, each with the clock it runs (see [SLA] for the rules).
const (
	// FirstReplySLA is the time from the first customer message to the
	// first public reply (by an agent or the bot, [Event.IsReply]), as
	// [FirstResponseTime] measures it by default; outbound conversations
	// have none.
	FirstReplySLA SLAMetric = iota + 1
	// NextReplySLA is, for every customer turn after the first reply, the
	// time from its first customer message to the next public reply.
	NextReplySLA
	// RequesterWaitSLA is the requester wait time (the time the
	// conversation is new, open or on hold — paused while pending or
	// resolved, see [WaitTimes]) from the start to the last resolution.
	RequesterWaitSLA
	// ResolutionSLA is the time from the start to the last resolution of a
	// conversation that ends resolved, as [ResolutionTime] measures its full
	// resolution time: it never pauses.
	ResolutionSLA
)

// numSLAMetrics is the number of SLA metrics plus one (index 0 unused).
const numSLAMetrics = ResolutionSLA + 1

// slaMetricName is the file-format name of a valid SLA metric.
func slaMetricName(m SLAMetric) string {
	switch m {
	case FirstReplySLA:
		return "first_reply"
	case NextReplySLA:
		return "next_reply"
	case RequesterWaitSLA:
		return "requester_wait"
	case ResolutionSLA:
		return "resolution"
	}
	return ""
}

// String returns "first_reply", "next_reply", "requester_wait" or
// "resolution".
func (m SLAMetric) String() string {
	if n := slaMetricName(m); n != "" {
		return n
	}
	return fmt.Sprintf("SLAMetric(%d)", uint8(m))
}

// ParseSLAMetric reads a name as [SLAMetric.String] writes it.
func ParseSLAMetric(s string) (SLAMetric, error) {
	for m := FirstReplySLA; m < numSLAMetrics; m++ {
		if slaMetricName(m) == s {
			return m, nil
		}
	}
	return 0, invalidf("metric", "%q is not one of first_reply, next_reply, requester_wait, resolution", s)
}

// MaxSLAPolicyTargets is the capacity of [SLAPolicy].Targets.
const MaxSLAPolicyTargets = 32

// SLATarget is one target of an [SLAPolicy]: the longest Metric may take
// for the conversations of a priority (and channel). The zero value is the
// unused entry that ends a policy's list.
type SLATarget struct {
	Metric SLAMetric // required
	// Priority is the Info.Priority the target applies to; "" applies to
	// every priority that has no target of its own.
	Priority string
	// Channel is the Info.Channel the target applies to; "" applies to
	// every channel.
	Channel string
	// Target is the limit, > 0. A clock that reaches exactly the target
	// meets it; one that passes it breaches.
	Target time.Duration
	// BusinessHours measures the target in the open time of the policy's
	// BusinessHours (the calendar of -calendar) instead of calendar time.
	BusinessHours bool
}

// SLAPolicy is a set of SLA targets by metric, priority and channel, as a
// plain comparable value (the settings of [NewSLA] and
// [ReportSettings].SLA). The zero value has no targets: nothing is
// measured.
//
// For each metric a conversation gets the most specific target that
// matches it: its priority and channel, else its priority and any channel,
// else any priority and its channel, else any priority and channel. It has
// no target of a metric when none matches. Two targets of one metric,
// priority and channel are an error.
type SLAPolicy struct {
	// Targets are the targets; the used entries come first (the zero
	// SLATarget ends the list).
	Targets [MaxSLAPolicyTargets]SLATarget
	// BusinessHours is the calendar of the targets in business hours;
	// required when one is, and not part of MarshalBinary (Merge requires
	// the same pointer). Default (nil): none.
	BusinessHours *BusinessHours
	// AsOf is the instant up to which the data are complete: a clock still
	// running then has breached if its target has passed by AsOf, and is
	// still running otherwise. Default (zero): the data end at each
	// conversation's last event. An AsOf before a conversation's last event
	// counts as that event.
	AsOf time.Time
	// Durations sets the statistics of the time over target. Default: see
	// [DurationsSettings].
	Durations DurationsSettings
}

// targets returns the used targets.
func (p *SLAPolicy) targets() []SLATarget {
	n, _ := usedEntries("sla target", p.Targets[:])
	return p.Targets[:n]
}

// check returns the policy's error, wrapping [ErrInvalid], or nil.
func (p SLAPolicy) check() error {
	n, err := usedEntries("sla target", p.Targets[:])
	if err != nil {
		return err
	}
	type key struct {
		m                 SLAMetric
		priority, channel string
	}
	seen := make(map[key]bool, n)
	for i, t := range p.Targets[:n] {
		field := "targets[" + strconv.Itoa(i) + "]"
		if slaMetricName(t.Metric) == "" {
			return invalidf(field+".metric", "unknown SLA metric %d", uint8(t.Metric))
		}
		if t.Target <= 0 {
			return invalidf(field+".target", "%v is not a positive duration", t.Target)
		}
		if t.BusinessHours && p.BusinessHours == nil {
			return invalidf(field+".business_hours", "a target in business hours needs the policy's BusinessHours (the -calendar file)")
		}
		k := key{t.Metric, t.Priority, t.Channel}
		if seen[k] {
			return invalidf(field, "a second %s target for priority %q and channel %q", t.Metric, t.Priority, t.Channel)
		}
		seen[k] = true
	}
	if !p.AsOf.IsZero() {
		if _, ok := unixNanos(p.AsOf); !ok {
			return invalidf("as of", "%s is outside the years 1678–2261", p.AsOf)
		}
	}
	return checkTiming(&p.Durations)
}

// target returns the index in targets of the target of metric m for a
// conversation of the priority and channel, or −1.
func slaTargetFor(targets []SLATarget, m SLAMetric, priority, channel string) int {
	best, bestRank := -1, -1
	for i := range targets {
		t := &targets[i]
		if t.Metric != m || t.Priority != "" && t.Priority != priority || t.Channel != "" && t.Channel != channel {
			continue
		}
		rank := 0
		if t.Priority != "" {
			rank += 2
		}
		if t.Channel != "" {
			rank++
		}
		if rank > bestRank {
			best, bestRank = i, rank
		}
	}
	return best
}

// slaTargetJSON is one target in the policy file.
type slaTargetJSON struct {
	Metric        string `json:"metric"`
	Priority      string `json:"priority,omitempty"`
	Channel       string `json:"channel,omitempty"`
	Target        string `json:"target"`
	BusinessHours bool   `json:"business_hours,omitempty"`
}

type slaPolicyJSON struct {
	Targets []slaTargetJSON `json:"targets"`
}

// ParseSLAPolicy reads an SLA policy file (the -sla-policy of the command):
//
//	{"targets": [
//	  {"metric": "first_reply", "priority": "high", "target": "1h"},
//	  {"metric": "first_reply", "target": "8h", "business_hours": true},
//	  {"metric": "resolution", "priority": "high", "channel": "email", "target": "24h"}
//	]}
//
// metric is one of first_reply, next_reply, requester_wait, resolution;
// priority and channel are optional ("" or absent: any); target is a Go
// duration ("90m", "1h30m", "27h"), positive; business_hours (default
// false) measures it in the open time of the calendar, which the caller
// sets in BusinessHours (the command: -calendar). Unknown fields, a
// missing targets list, more than [MaxSLAPolicyTargets] targets and two
// targets of one metric, priority and channel are errors wrapping
// [ErrInvalid], [*InputError] values whose Field names the target
// ("targets[2].target"). The result has no BusinessHours and no AsOf.
func ParseSLAPolicy(data []byte) (SLAPolicy, error) {
	var f slaPolicyJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return SLAPolicy{}, syntaxLine(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return SLAPolicy{}, invalidf("sla policy", "data after the policy object")
	}
	if f.Targets == nil {
		return SLAPolicy{}, invalidf("targets", "missing: a policy is an object with a list of targets")
	}
	if len(f.Targets) > MaxSLAPolicyTargets {
		return SLAPolicy{}, invalidf("targets", "%d targets, more than %d", len(f.Targets), MaxSLAPolicyTargets)
	}
	var p SLAPolicy
	for i, t := range f.Targets {
		field := "targets[" + strconv.Itoa(i) + "]"
		m, err := ParseSLAMetric(t.Metric)
		if err != nil {
			return SLAPolicy{}, invalidf(field+".metric", "%q is not one of first_reply, next_reply, requester_wait, resolution", t.Metric)
		}
		d, err := time.ParseDuration(t.Target)
		if err != nil || d <= 0 {
			return SLAPolicy{}, invalidf(field+".target", "%q is not a positive duration such as \"90m\" or \"27h\"", t.Target)
		}
		p.Targets[i] = SLATarget{Metric: m, Priority: t.Priority, Channel: t.Channel, Target: d, BusinessHours: t.BusinessHours}
	}
	// The calendar is the caller's: check everything else now.
	q := p
	for i := range q.Targets {
		q.Targets[i].BusinessHours = false
	}
	if err := q.check(); err != nil {
		return SLAPolicy{}, err
	}
	return p, nil
}

// MarshalJSON writes the targets in the format of [ParseSLAPolicy] (the
// calendar, AsOf and Durations are not part of it).
func (p SLAPolicy) MarshalJSON() ([]byte, error) {
	f := slaPolicyJSON{Targets: []slaTargetJSON{}}
	for _, t := range p.targets() {
		f.Targets = append(f.Targets, slaTargetJSON{Metric: t.Metric.String(), Priority: t.Priority, Channel: t.Channel,
			Target: t.Target.String(), BusinessHours: t.BusinessHours})
	}
	return json.Marshal(f)
}
