package render

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/chatkpi/chatkpi"
)

// noData is what the table and the page show for a metric without data.
const noData = "no data"

// seconds formats a duration given in seconds for people: under a minute
// with one decimal ("41.3s"), under a day as "5m02s" or "2h04m41s" (whole
// seconds), from a day on as "3d04h05m" (whole minutes). Rounding is half
// away from zero, as everywhere in the package.
func seconds(s float64) string {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return chatkpi.FormatFloat(s, 0)
	}
	sign := ""
	if s < 0 {
		sign, s = "-", -s
	}
	if r := chatkpi.FormatFloat(s, 1); r != "60.0" && s < 60 {
		return sign + r + "s"
	}
	total, err := strconv.ParseInt(chatkpi.FormatFloat(s, 0), 10, 64)
	if err != nil { // beyond int64 seconds: no calendar makes sense of it
		return sign + chatkpi.FormatFloat(s, 0) + "s"
	}
	if total < 86400 {
		h, m, sec := total/3600, total/60%60, total%60
		if h == 0 {
			return fmt.Sprintf("%s%dm%02ds", sign, m, sec)
		}
		return fmt.Sprintf("%s%dh%02dm%02ds", sign, h, m, sec)
	}
	mins, err := strconv.ParseInt(chatkpi.FormatFloat(s/60, 0), 10, 64)
	if err != nil {
		return sign + chatkpi.FormatFloat(s, 0) + "s"
	}
	return fmt.Sprintf("%s%dd%02dh%02dm", sign, mins/1440, mins/60%24, mins%60)
}

// optSeconds is seconds, or noData for nil.
func optSeconds(p *float64) string {
	if p == nil {
		return noData
	}
	return seconds(*p)
}

// percent formats a percentage with two decimals: "30.00 %".
func percent(p float64) string { return chatkpi.FormatFloat(p, 2) + " %" }

// interval formats a 95 % interval of percentages or points.
func interval(lo, hi float64, unit string) string {
	return "95 % CI " + chatkpi.FormatFloat(lo, 2) + " to " + chatkpi.FormatFloat(hi, 2) + unit
}

// rate formats a proportion as "12/40 (30.00 %)".
func rate(r *chatkpi.RateSummary) string {
	return fmt.Sprintf("%d/%d (%s)", r.Count, r.Of, percent(r.Percent))
}

// signed formats an NPS score with an explicit sign for positive values.
func signed(x float64) string {
	s := chatkpi.FormatFloat(x, 2)
	if x > 0 && s != "0.00" {
		s = "+" + s
	}
	return s
}

// npsText formats a score with its standard error: "+23.50 ± 7.21".
func npsText(n *chatkpi.NPSSummary) string {
	return signed(n.Score) + " ± " + chatkpi.FormatFloat(n.StandardError, 2)
}

// distribution formats the answer counts per score in score order.
func distribution(d map[string]int64) string {
	parts := make([]string, 0, len(d))
	for _, k := range sortedScores(d) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, d[k]))
	}
	return strings.Join(parts, ", ")
}

// sortedScores returns the keys of a distribution in numeric order when they
// are numbers, keys that are not numbers after them in string order.
func sortedScores[V any](d map[string]V) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sortNumeric(keys)
	return keys
}

// sortNumeric sorts keys by their numeric value ("2" before "10", "p75"
// before "p99.9" — a leading "p" is ignored), non-numbers last by string.
func sortNumeric(keys []string) {
	num := func(k string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.TrimPrefix(k, "p"), 64)
		return f, err == nil
	}
	sort.Slice(keys, func(i, j int) bool {
		a, aok := num(keys[i])
		b, bok := num(keys[j])
		switch {
		case aok && bok && a != b:
			return a < b
		case aok != bok:
			return aok
		}
		return keys[i] < keys[j]
	})
}

// displayKey makes a group key value from user data safe and unambiguous on
// a terminal: an empty value or one with control characters (tabs, line
// breaks, escape sequences) is shown quoted with Go escapes.
func displayKey(v string) string {
	if v == "" || strings.ContainsFunc(v, unicode.IsControl) {
		return strconv.Quote(v)
	}
	return v
}

// groupLabel joins a group's key values in GroupBy order: "ana · chat".
func groupLabel(s *chatkpi.Summary, g *chatkpi.GroupSummary) string {
	parts := make([]string, len(s.GroupBy))
	for i, name := range s.GroupBy {
		parts[i] = displayKey(g.Key[name])
	}
	return strings.Join(parts, " · ")
}
