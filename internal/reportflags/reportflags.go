// Package reportflags holds the report flags of the repository's commands
// (chatkpi, chatkpi-chatwoot): the flags that fill a [chatkpi.ReportSettings]
// and the output flags -format and -o, declared and read once so that every
// command takes the same flags with the same defaults, help and errors.
package reportflags

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
)

// Flags are the values of the report flags. The zero value is ready for
// [Flags.Register]; its values are read after the flag set is parsed.
type Flags struct {
	fs                             *flag.FlagSet
	format, out                    string
	tz, weekStart, period, groupBy string
	percentiles, mode, calendar    string
	metrics                        string
	csatScale, cesScale            string
	accuracy                       float64
	maxBins                        int
	csatSatisfied, csatDissatBelow int
	completionWindow, repeatWindow time.Duration
	asOf                           string
	frtStart                       string
	frtHumanOnly, frtOutbound      bool
	responseHumanOnly              bool
	activeGap                      time.Duration
	sla, buckets                   string // see parseTimingList
	maxGroups                      int
	priorities                     string
	money                          moneyFlags // -costs, -compare, -churn-horizon
	slaPolicy                      string
}

// UsageError is a bad flag value or argument: the commands exit with
// status 2 and point to -h.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

// Usagef returns a [UsageError] with the formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}

// Register declares the report flags on fs; their help texts are part of
// the command's usage. f reads its values from fs after fs.Parse.
func (f *Flags) Register(fs *flag.FlagSet) {
	f.fs = fs
	fs.StringVar(&f.format, "format", "table", "output `format`: table, json, csv (a tidy long table), html, or the per-conversation export: conversations (CSV) or conversations-jsonl (JSON Lines)")
	fs.StringVar(&f.out, "o", "", "write the report to `file` instead of standard output")
	fs.StringVar(&f.tz, "tz", "UTC", "IANA time `zone` in which periods are cut")
	fs.StringVar(&f.weekStart, "week-start", "monday", "first `day` of a week")
	fs.StringVar(&f.period, "period", "month", "group by `period`: day, week, month, year or none")
	fs.StringVar(&f.groupBy, "group-by", "", "comma-separated `groupings`: agent, channel, source, handler, priority, dim:NAME (default: none)")
	fs.StringVar(&f.percentiles, "percentiles", "50,90,95,99", "comma-separated extra `percentiles` of the durations, reported in the percentiles map (50, 90, 95 and 99 are always reported)")
	fs.StringVar(&f.mode, "mode", "exact", "percentile `mode`: exact, or streaming (DDSketch, constant memory per metric)")
	fs.Float64Var(&f.accuracy, "accuracy", chatkpi.DefaultRelativeAccuracy, "relative `accuracy` of streaming percentiles (0.01 = 1 %); only with -mode streaming")
	fs.IntVar(&f.maxBins, "max-bins", chatkpi.DefaultMaxBins, "most `bins` of a streaming sketch (16 to 65536), which bounds its memory; only with -mode streaming")
	fs.StringVar(&f.calendar, "calendar", "", "business-hours JSON `file`: durations count business time only")
	fs.StringVar(&f.csatScale, "csat-scale", "1-5", "CSAT answer `scale` MIN-MAX")
	fs.IntVar(&f.csatSatisfied, "csat-satisfied", 0, "CSAT `score` from which an answer is satisfied (default: the top two boxes)")
	fs.StringVar(&f.cesScale, "ces-scale", "agreement7", "CES `scale`: agreement7 (CES 2.0, 1–7 agreement) or effort5 (1–5 effort)")
	fs.DurationVar(&f.completionWindow, "completion-window", 0, "how long (`duration`) a resolution must hold without a reopen to count as durable, for the completion rate (default 168h)")
	fs.DurationVar(&f.repeatWindow, "repeat-window", 0, "how soon (`duration`) after a resolution a new conversation of the same customer is a repeat contact, for the successful chat rate (default 24h)")
	fs.IntVar(&f.csatDissatBelow, "csat-dissatisfied-below", 0, "CSAT `score` below which an answer is dissatisfied, for net CSAT (default: the bottom two boxes)")
	fs.StringVar(&f.asOf, "as-of", "", "RFC 3339 `instant` up to which the data are complete: resolutions whose completion or repeat window ends later are pending (default: the data are final)")
	fs.StringVar(&f.metrics, "metrics", "", "comma-separated `metrics` to compute, of "+strings.Join(chatkpi.AllMetrics.Names(), ", ")+" (default: all but "+(chatkpi.AllMetrics&^chatkpi.DefaultMetrics).String()+")")
	fs.StringVar(&f.frtStart, "frt-start", "customer-message", "where the first-response clock `starts`: customer-message, conversation-start or handoff")
	fs.BoolVar(&f.frtHumanOnly, "frt-human-only", false, "only human agents' replies stop the first-response clock (default: agents and bots)")
	fs.BoolVar(&f.frtOutbound, "frt-include-outbound", false, "measure the first response time of outbound conversations too")
	fs.BoolVar(&f.responseHumanOnly, "response-human-only", false, "only human agents' replies answer a customer turn, for the response time (default: agents and bots)")
	fs.DurationVar(&f.activeGap, "active-gap", 0, "leave gaps between messages longer than this `duration` out of the active chat duration (default: no threshold)")
	fs.StringVar(&f.sla, "sla", DefaultSLA, fmt.Sprintf("SLA `targets` of the timing metrics: METRIC=DURATION entries (frt=30s,1m,resolution=24h: two FRT targets and one resolution target), durations before any METRIC= for every metric not named, or none; at most %d per metric; METRIC is one of %s", chatkpi.MaxSLATargets, timingNameList()))
	fs.StringVar(&f.buckets, "buckets", "", fmt.Sprintf("histogram bucket `bounds` of the timing metrics, increasing, like -sla: 30s,1m,5m,1h for every metric, or frt=30s,1m,resolution=1h,24h; at most %d per metric (default: 30s,1m,5m,15m,1h,4h,24h, sized for live chat)", chatkpi.MaxBuckets))
	fs.IntVar(&f.maxGroups, "max-groups", chatkpi.DefaultMaxGroups, "most `groups` (period × group-by key) the report may have; more is an error")
	fs.StringVar(&f.priorities, "priorities", "", fmt.Sprintf("comma-separated ticket `priorities`, most urgent first (at most %d): another priority in the data is an error, and -group-by priority follows this order (default: any, by name)", chatkpi.MaxPriorities))
	f.money.register(fs)
	fs.StringVar(&f.slaPolicy, "sla-policy", "", "SLA policy JSON `file`: targets per priority and channel for first_reply, next_reply, requester_wait and resolution, calendar or business hours (-calendar); clocks still running at -as-of (default: each conversation's last event) have no verdict")
}

// ReportSettings maps the flags to report settings, after checking -format.
// A bad value is a [UsageError]; an unreadable calendar file is not. The
// settings' own rules are checked by chatkpi.NewReport, whose error the
// commands report as a usage error too. The -tz zone is the settings'
// Periods.Location().
func (f *Flags) ReportSettings() (chatkpi.ReportSettings, error) {
	var rs chatkpi.ReportSettings
	if _, err := renderer(f.format); err != nil && !f.Exporting() {
		return rs, err
	}
	set := make(map[string]bool) // the flags given on the command line
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	loc, err := loadZone(f.tz)
	if err != nil {
		return rs, err
	}
	ws, err := parseWeekday(f.weekStart)
	if err != nil {
		return rs, err
	}
	if rs.Periods, err = chatkpi.NewPeriods(loc, ws); err != nil {
		return rs, Usagef("-week-start: %v", err)
	}

	if f.period != "none" {
		if rs.Period, err = chatkpi.ParsePeriod(f.period); err != nil {
			return rs, Usagef("-period: %q is not one of day, week, month, year, none", f.period)
		}
	}

	if f.groupBy != "" {
		gs, err := parseGroupings(f.groupBy)
		if err != nil {
			return rs, err
		}
		if len(gs) > chatkpi.MaxGroupings {
			return rs, Usagef("-group-by: %d groupings, at most %d", len(gs), chatkpi.MaxGroupings)
		}
		copy(rs.GroupBy[:], gs)
	}
	if err := f.money.settings(&rs); err != nil {
		return rs, err
	}

	if f.metrics == "" {
		// The whole catalogue but the assignment times: the library's
		// default leaves out the metrics whose state grows with the data.
		rs.Metrics = chatkpi.DefaultMetrics | chatkpi.MetricAgents | chatkpi.MetricRetention
	} else {
		for _, name := range strings.Split(f.metrics, ",") {
			m, err := chatkpi.ParseMetric(strings.TrimSpace(name))
			if err != nil {
				return rs, Usagef("-metrics: %q is not one of %s", name, chatkpi.AllMetrics)
			}
			rs.Metrics |= m
		}
	}

	if f.priorities != "" {
		ps := strings.Split(f.priorities, ",")
		if len(ps) > chatkpi.MaxPriorities {
			return rs, Usagef("-priorities: %d priorities, at most %d", len(ps), chatkpi.MaxPriorities)
		}
		for i, p := range ps {
			if rs.Priorities[i] = strings.TrimSpace(p); rs.Priorities[i] == "" {
				return rs, Usagef("-priorities: an empty priority in %q", f.priorities)
			}
		}
	}

	if f.maxGroups <= 0 { // 0 would mean the default
		return rs, Usagef("-max-groups: %d is not a positive number of groups", f.maxGroups)
	}
	rs.MaxGroups = f.maxGroups

	qs, err := parsePercentiles(f.percentiles)
	if err != nil {
		return rs, err
	}
	if len(qs) > chatkpi.MaxQuantiles {
		return rs, Usagef("-percentiles: %d extra percentiles, at most %d", len(qs), chatkpi.MaxQuantiles)
	}
	for _, d := range timingSettings(&rs) {
		copy(d.Quantiles[:], qs)
	}
	for _, fl := range []struct {
		name, value string
	}{{"sla", f.sla}, {"buckets", f.buckets}} {
		if !set[fl.name] && fl.value == "" {
			continue // -buckets: the library's defaults
		}
		l, err := parseTimingList(fl.name, fl.value)
		if err != nil {
			return rs, err
		}
		l.apply(&rs, fl.name == "sla")
	}

	switch f.mode {
	case "exact":
		if set["accuracy"] || set["max-bins"] {
			return rs, Usagef("-accuracy and -max-bins apply to -mode streaming only")
		}
	case "streaming":
		if f.accuracy == 0 { // 0 would mean the default
			return rs, Usagef("-accuracy: 0 is not a relative accuracy (0.01 = 1 %%)")
		}
		rs = rs.WithStreaming(f.accuracy) // NewReport checks the ranges
		for _, d := range timingSettings(&rs) {
			d.MaxBins = f.maxBins
		}
		rs.SLA.Durations.MaxBins = f.maxBins
	default:
		return rs, Usagef("-mode: %q is not exact or streaming", f.mode)
	}

	if f.calendar != "" {
		data, err := os.ReadFile(f.calendar)
		if err != nil {
			return rs, fmt.Errorf("-calendar: %w", err)
		}
		bh, err := chatkpi.ParseBusinessHours(data)
		if err != nil {
			return rs, fmt.Errorf("-calendar %s: %s", f.calendar, strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
		rs.FirstResponse.BusinessHours, rs.ResponseTime.BusinessHours, rs.ResolutionTime.BusinessHours = bh, bh, bh
		rs.ChatDuration.BusinessHours, rs.QueueWait.BusinessHours = bh, bh
		rs.WaitTimes.BusinessHours = bh
	}

	switch f.frtStart {
	case "", "customer-message":
		rs.FirstResponse.Start = chatkpi.FromCustomerMessage
	case "conversation-start":
		rs.FirstResponse.Start = chatkpi.FromConversationStart
	case "handoff":
		rs.FirstResponse.Start = chatkpi.FromHandoff
	default:
		return rs, Usagef("-frt-start: %q is not customer-message, conversation-start or handoff", f.frtStart)
	}
	rs.FirstResponse.HumanOnly, rs.FirstResponse.IncludeOutbound = f.frtHumanOnly, f.frtOutbound
	rs.ResponseTime.HumanOnly = f.responseHumanOnly
	rs.ChatDuration.ActiveGap = f.activeGap

	if set["csat-scale"] {
		lo, hi, ok := strings.Cut(f.csatScale, "-")
		min, err1 := strconv.Atoi(lo)
		max, err2 := strconv.Atoi(hi)
		if !ok || errors.Join(err1, err2) != nil {
			return rs, Usagef("-csat-scale: %q is not a scale MIN-MAX such as 1-5", f.csatScale)
		}
		rs.CSAT.Scale = chatkpi.Scale{Min: min, Max: max}
	}
	rs.CSAT.SatisfiedFrom, rs.CSAT.DissatisfiedBelow = f.csatSatisfied, f.csatDissatBelow

	switch f.cesScale {
	case "agreement7":
		rs.CES.Scale = chatkpi.CESAgreement7
	case "effort5":
		rs.CES.Scale = chatkpi.CESEffort5
	default:
		return rs, Usagef("-ces-scale: %q is not agreement7 or effort5", f.cesScale)
	}

	if set["completion-window"] && f.completionWindow <= 0 {
		return rs, Usagef("-completion-window: %v is not a positive duration", f.completionWindow)
	}
	if set["repeat-window"] && f.repeatWindow <= 0 {
		return rs, Usagef("-repeat-window: %v is not a positive duration", f.repeatWindow)
	}
	rs.Outcomes.CompletionWindow, rs.Outcomes.RepeatContactWindow = f.completionWindow, f.repeatWindow
	if f.asOf != "" {
		if rs.Outcomes.AsOf, err = time.Parse(time.RFC3339Nano, f.asOf); err != nil {
			return rs, Usagef("-as-of: %q is not an RFC 3339 instant such as 2026-11-30T23:59:59Z", f.asOf)
		}
	}
	if f.slaPolicy != "" {
		if err := f.readSLAPolicy(&rs); err != nil {
			return rs, err
		}
	}
	return rs, nil
}
