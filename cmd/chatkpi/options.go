package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
)

// settings are the command's flags, before they are turned into report
// settings and reader options.
type settings struct {
	format, out, inputFormat       string
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
	sla, buckets                   [timingMetrics]string // per timing metric, as timingFlags
	skipInvalid, grouped           bool
	dropIdentical                  bool
	maxLineSize                    int
	mapFile                        string
	ignoreUnknown                  bool
	maxGroups                      int
	set                            map[string]bool // flags given on the command line
}

// timingMetrics is the number of timing metrics with flags of their own.
const timingMetrics = 5

// timingFlags returns the flag prefixes of the timing metrics, in the order
// of settings.sla and settings.buckets, with the metric's name for the help.
func timingFlags() [timingMetrics]struct{ prefix, name string } {
	return [...]struct{ prefix, name string }{
		{"frt", "first response times"},
		{"response", "response times"},
		{"resolution", "resolution times (first and full)"},
		{"duration", "chat durations"},
		{"queue", "queue waits"},
	}
}

// timingSettings returns the statistics settings of each timing metric of
// rs, in the order of timingFlags.
func timingSettings(rs *chatkpi.ReportSettings) [timingMetrics]*chatkpi.DurationsSettings {
	return [...]*chatkpi.DurationsSettings{&rs.FirstResponse.Durations, &rs.ResponseTime.Durations,
		&rs.ResolutionTime.Durations, &rs.ChatDuration.Durations, &rs.QueueWait.Durations}
}

// newFlagSet declares the flags; their help texts are the command's usage.
func newFlagSet(s *settings) *flag.FlagSet {
	fs := flag.NewFlagSet("chatkpi", flag.ContinueOnError)
	fs.StringVar(&s.format, "format", "table", "output `format`: table, json, csv or html")
	fs.StringVar(&s.out, "o", "", "write the report to `file` instead of standard output")
	fs.StringVar(&s.inputFormat, "input-format", "", "input `format`: jsonl or csv (default: from the file extension, before a .gz: .jsonl/.json → jsonl, .csv → csv; jsonl for standard input)")
	fs.StringVar(&s.tz, "tz", "UTC", "IANA time `zone` in which periods are cut")
	fs.StringVar(&s.weekStart, "week-start", "monday", "first `day` of a week")
	fs.StringVar(&s.period, "period", "month", "group by `period`: day, week, month, year or none")
	fs.StringVar(&s.groupBy, "group-by", "", "comma-separated `groupings`: agent, channel, source, handler, dim:NAME (default: none)")
	fs.StringVar(&s.percentiles, "percentiles", "50,90,95,99", "comma-separated extra `percentiles` of the durations, reported in the percentiles map (50, 90, 95 and 99 are always reported)")
	fs.StringVar(&s.mode, "mode", "exact", "percentile `mode`: exact, or streaming (DDSketch, constant memory per metric)")
	fs.Float64Var(&s.accuracy, "accuracy", chatkpi.DefaultRelativeAccuracy, "relative `accuracy` of streaming percentiles (0.01 = 1 %); only with -mode streaming")
	fs.IntVar(&s.maxBins, "max-bins", chatkpi.DefaultMaxBins, "most `bins` of a streaming sketch (16 to 65536), which bounds its memory; only with -mode streaming")
	fs.StringVar(&s.calendar, "calendar", "", "business-hours JSON `file`: durations count business time only")
	fs.StringVar(&s.csatScale, "csat-scale", "1-5", "CSAT answer `scale` MIN-MAX")
	fs.IntVar(&s.csatSatisfied, "csat-satisfied", 0, "CSAT `score` from which an answer is satisfied (default: the top two boxes)")
	fs.StringVar(&s.cesScale, "ces-scale", "agreement7", "CES `scale`: agreement7 (CES 2.0, 1–7 agreement) or effort5 (1–5 effort)")
	fs.DurationVar(&s.completionWindow, "completion-window", 0, "how long (`duration`) a resolution must hold without a reopen to count as durable, for the completion rate (default 168h)")
	fs.DurationVar(&s.repeatWindow, "repeat-window", 0, "how soon (`duration`) after a resolution a new conversation of the same customer is a repeat contact, for the successful chat rate (default 24h)")
	fs.IntVar(&s.csatDissatBelow, "csat-dissatisfied-below", 0, "CSAT `score` below which an answer is dissatisfied, for net CSAT (default: the bottom two boxes)")
	fs.StringVar(&s.asOf, "as-of", "", "RFC 3339 `instant` up to which the data are complete: resolutions whose completion or repeat window ends later are pending (default: the data are final)")
	fs.StringVar(&s.metrics, "metrics", "", "comma-separated `metrics` to compute, of "+strings.Join(chatkpi.AllMetrics.Names(), ", ")+" (default: all but "+chatkpi.MetricAssignment.String()+")")
	fs.StringVar(&s.frtStart, "frt-start", "customer-message", "where the first-response clock `starts`: customer-message, conversation-start or handoff")
	fs.BoolVar(&s.frtHumanOnly, "frt-human-only", false, "only human agents' replies stop the first-response clock (default: agents and bots)")
	fs.BoolVar(&s.frtOutbound, "frt-include-outbound", false, "measure the first response time of outbound conversations too")
	fs.BoolVar(&s.responseHumanOnly, "response-human-only", false, "only human agents' replies answer a customer turn, for the response time (default: agents and bots)")
	fs.DurationVar(&s.activeGap, "active-gap", 0, "leave gaps between messages longer than this `duration` out of the active chat duration (default: no threshold)")
	for i, t := range timingFlags() {
		fs.StringVar(&s.sla[i], t.prefix+"-sla", "", fmt.Sprintf("comma-separated SLA target `durations` of the %s, e.g. 1m,5m (at most %d)", t.name, chatkpi.MaxSLATargets))
		fs.StringVar(&s.buckets[i], t.prefix+"-buckets", "", fmt.Sprintf("comma-separated increasing histogram bucket bounds (`durations`) of the %s (at most %d; default 1h,4h,8h,24h)", t.name, chatkpi.MaxBuckets))
	}
	fs.BoolVar(&s.skipInvalid, "skip-invalid", false, "skip invalid lines, and events the report rejects (a score outside -csat-scale), listing each on standard error, instead of stopping at the first")
	fs.BoolVar(&s.grouped, "grouped", false, "the input's lines are grouped by conversation (as chatkpi writes them): read one conversation at a time instead of holding the input in memory (about 15 bytes per conversation: a conversation that comes back later is an error)")
	fs.BoolVar(&s.dropIdentical, "drop-identical", false, "also drop a line without an id whose event equals an earlier one of its conversation in every field (default: only lines with the same conversation and id are duplicates)")
	fs.IntVar(&s.maxLineSize, "max-line-size", chatkpi.DefaultMaxLineSize, "longest accepted line (JSON Lines), array element (JSON array) or record (CSV) in `bytes`")
	fs.StringVar(&s.mapFile, "map", "", "mapping JSON `file` that renames the input's fields, maps their values and ignores fields (see README)")
	fs.BoolVar(&s.ignoreUnknown, "ignore-unknown", false, "ignore input fields that the event file format does not know, instead of rejecting their lines")
	fs.IntVar(&s.maxGroups, "max-groups", chatkpi.DefaultMaxGroups, "most `groups` (period × group-by key) the report may have; more is an error")
	return fs
}

// usageError is a bad flag value or argument: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// reportSettings maps the flags to report settings. A bad value is a
// [usageError]; an unreadable calendar file is not. The settings' own rules
// are checked by chatkpi.NewReport, whose error is a usage error too.
func (s *settings) reportSettings() (chatkpi.ReportSettings, error) {
	var rs chatkpi.ReportSettings

	loc, err := loadZone(s.tz)
	if err != nil {
		return rs, err
	}
	ws, err := parseWeekday(s.weekStart)
	if err != nil {
		return rs, err
	}
	if rs.Periods, err = chatkpi.NewPeriods(loc, ws); err != nil {
		return rs, usagef("-week-start: %v", err)
	}

	if s.period != "none" {
		if rs.Period, err = chatkpi.ParsePeriod(s.period); err != nil {
			return rs, usagef("-period: %q is not one of day, week, month, year, none", s.period)
		}
	}

	if s.groupBy != "" {
		gs, err := parseGroupings(s.groupBy)
		if err != nil {
			return rs, err
		}
		if len(gs) > chatkpi.MaxGroupings {
			return rs, usagef("-group-by: %d groupings, at most %d", len(gs), chatkpi.MaxGroupings)
		}
		copy(rs.GroupBy[:], gs)
	}

	if s.metrics != "" {
		for _, name := range strings.Split(s.metrics, ",") {
			m, err := chatkpi.ParseMetric(strings.TrimSpace(name))
			if err != nil {
				return rs, usagef("-metrics: %q is not one of %s", name, chatkpi.AllMetrics)
			}
			rs.Metrics |= m
		}
	}

	if s.maxGroups <= 0 { // 0 would mean the default
		return rs, usagef("-max-groups: %d is not a positive number of groups", s.maxGroups)
	}
	rs.MaxGroups = s.maxGroups

	qs, err := parsePercentiles(s.percentiles)
	if err != nil {
		return rs, err
	}
	if len(qs) > chatkpi.MaxQuantiles {
		return rs, usagef("-percentiles: %d extra percentiles, at most %d", len(qs), chatkpi.MaxQuantiles)
	}
	for i, d := range timingSettings(&rs) {
		copy(d.Quantiles[:], qs)
		if d.SLA, err = parseDurations(timingFlags()[i].prefix+"-sla", s.sla[i], d.SLA); err != nil {
			return rs, err
		}
		if d.Buckets, err = parseDurations(timingFlags()[i].prefix+"-buckets", s.buckets[i], d.Buckets); err != nil {
			return rs, err
		}
	}

	switch s.mode {
	case "exact":
		if s.set["accuracy"] || s.set["max-bins"] {
			return rs, usagef("-accuracy and -max-bins apply to -mode streaming only")
		}
	case "streaming":
		if s.accuracy == 0 { // 0 would mean the default
			return rs, usagef("-accuracy: 0 is not a relative accuracy (0.01 = 1 %%)")
		}
		rs = rs.WithStreaming(s.accuracy) // NewReport checks the ranges
		for _, d := range timingSettings(&rs) {
			d.MaxBins = s.maxBins
		}
	default:
		return rs, usagef("-mode: %q is not exact or streaming", s.mode)
	}

	if s.calendar != "" {
		data, err := os.ReadFile(s.calendar)
		if err != nil {
			return rs, fmt.Errorf("-calendar: %w", err)
		}
		bh, err := chatkpi.ParseBusinessHours(data)
		if err != nil {
			return rs, fmt.Errorf("-calendar %s: %s", s.calendar, strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
		rs.FirstResponse.BusinessHours, rs.ResponseTime.BusinessHours, rs.ResolutionTime.BusinessHours = bh, bh, bh
		rs.ChatDuration.BusinessHours, rs.QueueWait.BusinessHours = bh, bh
	}

	switch s.frtStart {
	case "", "customer-message":
		rs.FirstResponse.Start = chatkpi.FromCustomerMessage
	case "conversation-start":
		rs.FirstResponse.Start = chatkpi.FromConversationStart
	case "handoff":
		rs.FirstResponse.Start = chatkpi.FromHandoff
	default:
		return rs, usagef("-frt-start: %q is not customer-message, conversation-start or handoff", s.frtStart)
	}
	rs.FirstResponse.HumanOnly, rs.FirstResponse.IncludeOutbound = s.frtHumanOnly, s.frtOutbound
	rs.ResponseTime.HumanOnly = s.responseHumanOnly
	rs.ChatDuration.ActiveGap = s.activeGap

	if s.set["csat-scale"] {
		lo, hi, ok := strings.Cut(s.csatScale, "-")
		min, err1 := strconv.Atoi(lo)
		max, err2 := strconv.Atoi(hi)
		if !ok || errors.Join(err1, err2) != nil {
			return rs, usagef("-csat-scale: %q is not a scale MIN-MAX such as 1-5", s.csatScale)
		}
		rs.CSAT.Scale = chatkpi.Scale{Min: min, Max: max}
	}
	rs.CSAT.SatisfiedFrom, rs.CSAT.DissatisfiedBelow = s.csatSatisfied, s.csatDissatBelow

	switch s.cesScale {
	case "agreement7":
		rs.CES.Scale = chatkpi.CESAgreement7
	case "effort5":
		rs.CES.Scale = chatkpi.CESEffort5
	default:
		return rs, usagef("-ces-scale: %q is not agreement7 or effort5", s.cesScale)
	}

	if s.set["completion-window"] && s.completionWindow <= 0 {
		return rs, usagef("-completion-window: %v is not a positive duration", s.completionWindow)
	}
	if s.set["repeat-window"] && s.repeatWindow <= 0 {
		return rs, usagef("-repeat-window: %v is not a positive duration", s.repeatWindow)
	}
	rs.Outcomes.CompletionWindow, rs.Outcomes.RepeatContactWindow = s.completionWindow, s.repeatWindow
	if s.asOf != "" {
		if rs.Outcomes.AsOf, err = time.Parse(time.RFC3339Nano, s.asOf); err != nil {
			return rs, usagef("-as-of: %q is not an RFC 3339 instant such as 2026-11-30T23:59:59Z", s.asOf)
		}
	}
	return rs, nil
}

// parseDurations reads a comma-separated list of durations of a flag into
// a settings array ("" keeps it).
func parseDurations[A ~[chatkpi.MaxSLATargets]time.Duration](flag, list string, into A) (A, error) {
	if list == "" {
		return into, nil
	}
	var a A
	parts := strings.Split(list, ",")
	if len(parts) > len(a) {
		return a, usagef("-%s: %d durations, at most %d", flag, len(parts), len(a))
	}
	for i, p := range parts {
		d, err := time.ParseDuration(strings.TrimSpace(p))
		if err != nil || d <= 0 {
			return a, usagef("-%s: %q is not a positive duration such as 90s or 5m", flag, p)
		}
		a[i] = d
	}
	return a, nil
}

// readerOptions maps the flags to reader options. A bad value is a
// [usageError]; an unreadable or invalid mapping file is not.
func (s *settings) readerOptions() ([]chatkpi.ReaderOption, error) {
	if s.maxLineSize <= 0 {
		return nil, usagef("-max-line-size: %d is not a positive number of bytes", s.maxLineSize)
	}
	opts := []chatkpi.ReaderOption{chatkpi.MaxLineSize(s.maxLineSize)}
	var m chatkpi.Mapping
	if s.mapFile != "" {
		data, err := os.ReadFile(s.mapFile)
		if err != nil {
			return nil, fmt.Errorf("-map: %w", err)
		}
		if m, err = chatkpi.ParseMapping(data); err != nil {
			return nil, fmt.Errorf("-map %s: %s", s.mapFile, strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
	}
	m.IgnoreUnknown = m.IgnoreUnknown || s.ignoreUnknown
	if s.mapFile != "" || s.ignoreUnknown {
		opts = append(opts, chatkpi.MapFields(m))
	}
	return opts, nil
}

// loadZone rejects "" and "Local", which time.LoadLocation reads as UTC and
// as the machine's zone: a report must not depend on where it runs.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, usagef("-tz: %q is not an IANA time zone name such as Europe/Berlin or UTC", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, usagef("-tz: %q is not an IANA time zone name such as Europe/Berlin or UTC", name)
	}
	return loc, nil
}

// parseWeekday reads an English day name or its three-letter abbreviation,
// in any case.
func parseWeekday(s string) (time.Weekday, error) {
	l := strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if l == name || l == name[:3] {
			return d, nil
		}
	}
	return 0, usagef("-week-start: %q is not a day of the week (monday, …, sunday)", s)
}

// parseGroupings reads the -group-by list.
func parseGroupings(list string) ([]chatkpi.Grouping, error) {
	var gs []chatkpi.Grouping
	seen := make(map[string]bool)
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		g, err := chatkpi.ParseGrouping(name)
		if err != nil {
			return nil, usagef("-group-by: unknown grouping %q (want agent, channel, source, handler or dim:NAME)", name)
		}
		if seen[name] {
			return nil, usagef("-group-by: %q given twice", name)
		}
		seen[name] = true
		gs = append(gs, g)
	}
	return gs, nil
}

// parsePercentiles reads percentiles such as "50,90,99.9" as quantiles,
// leaving out p50, p90, p95 and p99, which the report always has. The
// quantile is read from the decimal text ("99.9e-2") rather than divided by
// 100, so that it is the float nearest to the percentile written.
func parsePercentiles(list string) ([]float64, error) {
	var qs, all []float64
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		pct, err := strconv.ParseFloat(p, 64)
		if err != nil || strings.ContainsAny(p, "eEinfINFxX") || !(pct > 0 && pct < 100) {
			return nil, usagef("-percentiles: %q is not a percentile in (0, 100)", p)
		}
		q, _ := strconv.ParseFloat(p+"e-2", 64)
		if slices.Contains(all, q) {
			return nil, usagef("-percentiles: %s given twice", p)
		}
		all = append(all, q)
		switch q {
		case 0.5, 0.9, 0.95, 0.99:
		default:
			qs = append(qs, q)
		}
	}
	return qs, nil
}
