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

// settings are the command's flags, before they are turned into report and
// reader options.
type settings struct {
	format, out, inputFormat       string
	tz, weekStart, period, groupBy string
	percentiles, mode, calendar    string
	csatScale, cesScale            string
	accuracy                       float64
	csatSatisfied                  int
	completionWindow, repeatWindow time.Duration
	skipInvalid, grouped           bool
	dropIdentical                  bool
	maxLineSize                    int
	mapFile                        string
	ignoreUnknown                  bool
	maxGroups                      int
	set                            map[string]bool // flags given on the command line
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
	fs.StringVar(&s.calendar, "calendar", "", "business-hours JSON `file`: durations count business time only")
	fs.StringVar(&s.csatScale, "csat-scale", "1-5", "CSAT answer `scale` MIN-MAX")
	fs.IntVar(&s.csatSatisfied, "csat-satisfied", 0, "CSAT `score` from which an answer is satisfied (default: the top two boxes)")
	fs.StringVar(&s.cesScale, "ces-scale", "agreement7", "CES `scale`: agreement7 (CES 2.0, 1–7 agreement) or effort5 (1–5 effort)")
	fs.DurationVar(&s.completionWindow, "completion-window", 0, "how long (`duration`) a resolution must hold without a reopen to count as durable, for the completion rate (default 168h)")
	fs.DurationVar(&s.repeatWindow, "repeat-window", 0, "how soon (`duration`) after a resolution a new conversation of the same customer is a repeat contact, for the successful chat rate (default 24h)")
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

// reportOptions maps the flags to report options. A bad value is a
// [usageError]; an unreadable calendar file is not.
func (s *settings) reportOptions() ([]chatkpi.ReportOption, error) {
	var opts []chatkpi.ReportOption

	loc, err := loadZone(s.tz)
	if err != nil {
		return nil, err
	}
	ws, err := parseWeekday(s.weekStart)
	if err != nil {
		return nil, err
	}
	ps, err := chatkpi.NewPeriods(loc, ws)
	if err != nil {
		return nil, usagef("-week-start: %v", err)
	}
	opts = append(opts, chatkpi.ReportPeriods(ps))

	if s.period != "none" {
		p, err := chatkpi.ParsePeriod(s.period)
		if err != nil {
			return nil, usagef("-period: %q is not one of day, week, month, year, none", s.period)
		}
		opts = append(opts, chatkpi.ReportPeriod(p))
	}

	if s.groupBy != "" {
		gs, err := parseGroupings(s.groupBy)
		if err != nil {
			return nil, err
		}
		opts = append(opts, chatkpi.ReportGroupBy(gs...))
	}

	if s.maxGroups <= 0 {
		return nil, usagef("-max-groups: %d is not a positive number of groups", s.maxGroups)
	}
	opts = append(opts, chatkpi.ReportMaxGroups(s.maxGroups))

	qs, err := parsePercentiles(s.percentiles)
	if err != nil {
		return nil, err
	}
	opts = append(opts, chatkpi.ReportQuantiles(qs...))

	switch s.mode {
	case "exact":
		if s.set["accuracy"] {
			return nil, usagef("-accuracy applies to -mode streaming only")
		}
	case "streaming":
		if !(s.accuracy > 0 && s.accuracy < 1) {
			return nil, usagef("-accuracy: %v is not a relative accuracy between 0 and 1 (0.01 = 1 %%)", s.accuracy)
		}
		opts = append(opts, chatkpi.ReportStreaming(s.accuracy))
	default:
		return nil, usagef("-mode: %q is not exact or streaming", s.mode)
	}

	if s.calendar != "" {
		data, err := os.ReadFile(s.calendar)
		if err != nil {
			return nil, fmt.Errorf("-calendar: %w", err)
		}
		bh, err := chatkpi.ParseBusinessHours(data)
		if err != nil {
			return nil, fmt.Errorf("-calendar %s: %s", s.calendar, strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
		opts = append(opts, chatkpi.ReportTimeMeasure(bh))
	}

	csat, err := s.csatOptions()
	if err != nil {
		return nil, err
	}
	if len(csat) > 0 {
		opts = append(opts, chatkpi.ReportCSAT(csat...))
	}

	switch s.cesScale {
	case "agreement7":
		opts = append(opts, chatkpi.ReportCES(chatkpi.CESAgreement7))
	case "effort5":
		opts = append(opts, chatkpi.ReportCES(chatkpi.CESEffort5))
	default:
		return nil, usagef("-ces-scale: %q is not agreement7 or effort5", s.cesScale)
	}

	var outcomes []chatkpi.OutcomesOption
	if s.set["completion-window"] {
		if s.completionWindow <= 0 {
			return nil, usagef("-completion-window: %v is not a positive duration", s.completionWindow)
		}
		outcomes = append(outcomes, chatkpi.WithCompletionWindow(s.completionWindow))
	}
	if s.set["repeat-window"] {
		if s.repeatWindow <= 0 {
			return nil, usagef("-repeat-window: %v is not a positive duration", s.repeatWindow)
		}
		outcomes = append(outcomes, chatkpi.WithRepeatContactWindow(s.repeatWindow))
	}
	if len(outcomes) > 0 {
		opts = append(opts, chatkpi.ReportOutcomes(outcomes...))
	}
	return opts, nil
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

func (s *settings) csatOptions() ([]chatkpi.CSATOption, error) {
	var opts []chatkpi.CSATOption
	if s.set["csat-scale"] {
		lo, hi, ok := strings.Cut(s.csatScale, "-")
		min, err1 := strconv.Atoi(lo)
		max, err2 := strconv.Atoi(hi)
		if !ok || errors.Join(err1, err2) != nil {
			return nil, usagef("-csat-scale: %q is not a scale MIN-MAX such as 1-5", s.csatScale)
		}
		opts = append(opts, chatkpi.WithCSATScale(min, max))
	}
	if s.set["csat-satisfied"] {
		opts = append(opts, chatkpi.WithSatisfiedFrom(s.csatSatisfied))
	}
	return opts, nil
}
