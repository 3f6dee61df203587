package reportflags

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
)

// loadZone rejects "" and "Local", which time.LoadLocation reads as UTC and
// as the machine's zone: a report must not depend on where it runs.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, Usagef("-tz: %q is not an IANA time zone name such as Europe/Berlin or UTC", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Usagef("-tz: %q is not an IANA time zone name such as Europe/Berlin or UTC", name)
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
	return 0, Usagef("-week-start: %q is not a day of the week (monday, …, sunday)", s)
}

// parseGroupings reads the -group-by list.
func parseGroupings(list string) ([]chatkpi.Grouping, error) {
	var gs []chatkpi.Grouping
	seen := make(map[string]bool)
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		g, err := chatkpi.ParseGrouping(name)
		if err != nil {
			return nil, Usagef("-group-by: unknown grouping %q (want agent, channel, source, handler or dim:NAME)", name)
		}
		if seen[name] {
			return nil, Usagef("-group-by: %q given twice", name)
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
			return nil, Usagef("-percentiles: %q is not a percentile in (0, 100)", p)
		}
		q, _ := strconv.ParseFloat(p+"e-2", 64)
		if slices.Contains(all, q) {
			return nil, Usagef("-percentiles: %s given twice", p)
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
