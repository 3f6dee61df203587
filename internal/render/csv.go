package render

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// CSV writes the summary as comma-separated values: one header line, then
// a row for the whole data set — period "" and "(all)" in every key column —
// then one row per group in the Summary's order (by period, then key).
//
// Columns: "period", one column per GroupBy name (the key value), then
// "conversations", "messages" and the metrics flattened with stable names:
// for each duration (prefixes frt, human_frt, bot_frt, time_to_assignment,
// frt_after_assignment, response_time, human_response_time,
// bot_response_time, resolution_time, full_resolution_time, chat_duration,
// queue_wait) _count, _unanswered, _excluded, _small_sample,
// _mean_seconds, _stderr_seconds, _min_seconds, _max_seconds,
// _p50_seconds, _p90_seconds, _p95_seconds, _p99_seconds; for each rate
// (queue_abandonment, csat_response_rate, containment, escalation, reopen,
// bot_accuracy, fallback_rate, conversion) _count, _of, _percent, _ci_low,
// _ci_high, _small_sample; csat_scale, csat_responses, csat_satisfied,
// csat_percent, csat_ci_low, csat_ci_high, csat_mean, csat_small_sample;
// nps_responses, nps_promoters, nps_passives, nps_detractors, nps_score,
// nps_standard_error, nps_ci_low, nps_ci_high, nps_small_sample; ces_scale,
// ces_responses, ces_mean, ces_low_effort, ces_low_effort_percent,
// ces_small_sample (true or false); outcome_resolved_by_bot, outcome_escalated,
// outcome_resolved_by_agent, outcome_abandoned, outcome_unengaged;
// conversion_goals.
//
// Columns that depend on the data follow their metric's fixed columns, in
// numeric or alphabetical order, and appear only when some row has them:
// further percentiles (frt_p75_seconds), answer counts per score
// (csat_score_5, ces_score_7) and goal value per currency
// (conversion_value_EUR, a decimal string). Histograms are only in JSON.
//
// A metric without data leaves its cells empty, never 0. Floats have full
// precision ('f' format, shortest representation that round-trips).
//
// Key values come from the input and are made safe for spreadsheets
// ([spreadsheetSafe]): one that starts with "=", "+", "-", "@", a tab or a
// carriage return gets a "'" in front, so that a spreadsheet shows it as
// text instead of evaluating a formula (OWASP's defence against CSV
// injection). Every other cell is a number or a fixed name.
func CSV(w io.Writer, s *chatkpi.Summary) error {
	if s == nil {
		return errors.New("render: nil summary")
	}
	cols := csvColumns(s)
	cw := csv.NewWriter(w)
	head := append([]string{"period"}, s.GroupBy...)
	for _, c := range cols {
		head = append(head, c.name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := func(period string, key func(name string) string, m *chatkpi.MetricsSummary) error {
		rec := append(make([]string, 0, len(head)), period)
		for _, name := range s.GroupBy {
			rec = append(rec, spreadsheetSafe(key(name)))
		}
		for _, c := range cols {
			rec = append(rec, c.cell(m))
		}
		return cw.Write(rec)
	}
	if err := row("", func(string) string { return "(all)" }, &s.Overall); err != nil {
		return err
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		if err := row(g.Period, func(name string) string { return g.Key[name] }, &g.MetricsSummary); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// spreadsheetSafe returns v with a "'" in front when a spreadsheet would
// read it as a formula: when it starts with "=", "+", "-" or "@", or with a
// tab or carriage return (which some spreadsheets skip before looking for
// one). The quote is what spreadsheets themselves use to mark text.
func spreadsheetSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// csvColumn is one metric column; cell returns "" when there is no data.
type csvColumn struct {
	name string
	cell func(m *chatkpi.MetricsSummary) string
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
func count(n int64) string { return strconv.FormatInt(n, 10) }

// optNum is the full-precision number, or "" for no data.
func optNum(p *float64) string {
	if p == nil {
		return ""
	}
	return num(*p)
}

func csvColumns(s *chatkpi.Summary) []csvColumn {
	all := make([]*chatkpi.MetricsSummary, 0, 1+len(s.Groups))
	all = append(all, &s.Overall)
	for i := range s.Groups {
		all = append(all, &s.Groups[i].MetricsSummary)
	}
	// keysOf collects the union of the keys of one map of every row.
	keysOf := func(get func(m *chatkpi.MetricsSummary) []string) []string {
		seen := map[string]bool{}
		var keys []string
		for _, m := range all {
			for _, k := range get(m) {
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		sortNumeric(keys)
		return keys
	}

	cols := []csvColumn{
		{"conversations", func(m *chatkpi.MetricsSummary) string { return count(m.Conversations) }},
		{"messages", func(m *chatkpi.MetricsSummary) string { return count(m.Messages) }},
	}
	add := func(name string, cell func(m *chatkpi.MetricsSummary) string) {
		cols = append(cols, csvColumn{name, cell})
	}

	timings := []struct {
		prefix string
		get    func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary
	}{
		{"frt", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.FirstResponseTime }},
		{"human_frt", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.HumanFirstResponseTime }},
		{"bot_frt", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.BotFirstResponseTime }},
		{"time_to_assignment", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.TimeToAssignment }},
		{"frt_after_assignment", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.FirstResponseAfterAssignment }},
		{"response_time", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.ResponseTime }},
		{"human_response_time", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.HumanResponseTime }},
		{"bot_response_time", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.BotResponseTime }},
		{"resolution_time", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.ResolutionTime }},
		{"full_resolution_time", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.FullResolution }},
		{"chat_duration", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.ChatDuration }},
		{"queue_wait", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.QueueWait }},
	}
	timings = append(timings, ticketCSVTimings(all)...)
	for _, t := range timings {
		get := t.get
		timing := func(name string, cell func(t *chatkpi.TimingSummary) string) {
			add(t.prefix+"_"+name, func(m *chatkpi.MetricsSummary) string {
				if ts := get(m); ts != nil {
					return cell(ts)
				}
				return ""
			})
		}
		timing("count", func(t *chatkpi.TimingSummary) string { return count(t.Count) })
		timing("unanswered", func(t *chatkpi.TimingSummary) string { return count(t.Unanswered) })
		timing("excluded", func(t *chatkpi.TimingSummary) string { return count(t.Excluded) })
		timing("small_sample", func(t *chatkpi.TimingSummary) string { return strconv.FormatBool(t.SmallSample) })
		timing("mean_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.MeanSeconds) })
		timing("stderr_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.StdErrSeconds) })
		timing("min_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.MinSeconds) })
		timing("max_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.MaxSeconds) })
		timing("p50_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.P50Seconds) })
		timing("p90_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.P90Seconds) })
		timing("p95_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.P95Seconds) })
		timing("p99_seconds", func(t *chatkpi.TimingSummary) string { return optNum(t.P99Seconds) })
		extra := keysOf(func(m *chatkpi.MetricsSummary) []string {
			if ts := get(m); ts != nil {
				return sortedScores(ts.Percentiles)
			}
			return nil
		})
		for _, p := range extra {
			timing(p+"_seconds", func(t *chatkpi.TimingSummary) string {
				if v, ok := t.Percentiles[p]; ok {
					return num(v)
				}
				return ""
			})
		}
	}

	rateCols := func(prefix string, get func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary) {
		r := func(name string, cell func(r *chatkpi.RateSummary) string) {
			add(prefix+"_"+name, func(m *chatkpi.MetricsSummary) string {
				if rs := get(m); rs != nil {
					return cell(rs)
				}
				return ""
			})
		}
		r("count", func(r *chatkpi.RateSummary) string { return count(r.Count) })
		r("of", func(r *chatkpi.RateSummary) string { return count(r.Of) })
		r("percent", func(r *chatkpi.RateSummary) string { return num(r.Percent) })
		r("ci_low", func(r *chatkpi.RateSummary) string { return num(r.CILow) })
		r("ci_high", func(r *chatkpi.RateSummary) string { return num(r.CIHigh) })
		r("small_sample", func(r *chatkpi.RateSummary) string { return strconv.FormatBool(r.SmallSample) })
	}
	rateCols("queue_abandonment", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.Abandonment })

	csat := func(name string, cell func(c *chatkpi.CSATSummary) string) {
		add("csat_"+name, func(m *chatkpi.MetricsSummary) string {
			if m.CSAT != nil {
				return cell(m.CSAT)
			}
			return ""
		})
	}
	csat("scale", func(c *chatkpi.CSATSummary) string { return c.Scale })
	csat("responses", func(c *chatkpi.CSATSummary) string { return count(c.Responses) })
	csat("satisfied", func(c *chatkpi.CSATSummary) string { return count(c.Satisfied) })
	csat("percent", func(c *chatkpi.CSATSummary) string { return num(c.Percent) })
	csat("ci_low", func(c *chatkpi.CSATSummary) string { return num(c.CILow) })
	csat("ci_high", func(c *chatkpi.CSATSummary) string { return num(c.CIHigh) })
	csat("mean", func(c *chatkpi.CSATSummary) string { return num(c.Mean) })
	csat("small_sample", func(c *chatkpi.CSATSummary) string { return strconv.FormatBool(c.SmallSample) })
	for _, k := range keysOf(func(m *chatkpi.MetricsSummary) []string {
		if m.CSAT != nil {
			return sortedScores(m.CSAT.Distribution)
		}
		return nil
	}) {
		csat("score_"+k, func(c *chatkpi.CSATSummary) string { return count(c.Distribution[k]) })
	}
	rateCols("csat_response_rate", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.CSATResponseRate })

	nps := func(name string, cell func(n *chatkpi.NPSSummary) string) {
		add("nps_"+name, func(m *chatkpi.MetricsSummary) string {
			if m.NPS != nil {
				return cell(m.NPS)
			}
			return ""
		})
	}
	nps("responses", func(n *chatkpi.NPSSummary) string { return count(n.Responses) })
	nps("promoters", func(n *chatkpi.NPSSummary) string { return count(n.Promoters) })
	nps("passives", func(n *chatkpi.NPSSummary) string { return count(n.Passives) })
	nps("detractors", func(n *chatkpi.NPSSummary) string { return count(n.Detractors) })
	nps("score", func(n *chatkpi.NPSSummary) string { return num(n.Score) })
	nps("standard_error", func(n *chatkpi.NPSSummary) string { return num(n.StandardError) })
	nps("ci_low", func(n *chatkpi.NPSSummary) string { return num(n.CILow) })
	nps("ci_high", func(n *chatkpi.NPSSummary) string { return num(n.CIHigh) })
	nps("small_sample", func(n *chatkpi.NPSSummary) string { return strconv.FormatBool(n.SmallSample) })

	ces := func(name string, cell func(c *chatkpi.CESSummary) string) {
		add("ces_"+name, func(m *chatkpi.MetricsSummary) string {
			if m.CES != nil {
				return cell(m.CES)
			}
			return ""
		})
	}
	ces("scale", func(c *chatkpi.CESSummary) string { return c.Scale })
	ces("responses", func(c *chatkpi.CESSummary) string { return count(c.Responses) })
	ces("mean", func(c *chatkpi.CESSummary) string { return num(c.Mean) })
	ces("low_effort", func(c *chatkpi.CESSummary) string { return count(c.LowEffort) })
	ces("low_effort_percent", func(c *chatkpi.CESSummary) string { return num(c.LowEffortPercent) })
	ces("small_sample", func(c *chatkpi.CESSummary) string { return strconv.FormatBool(c.SmallSample) })
	for _, k := range keysOf(func(m *chatkpi.MetricsSummary) []string {
		if m.CES != nil {
			return sortedScores(m.CES.Distribution)
		}
		return nil
	}) {
		ces("score_"+k, func(c *chatkpi.CESSummary) string { return count(c.Distribution[k]) })
	}

	outcome := func(name string, cell func(o *chatkpi.OutcomeSummary) int64) {
		add("outcome_"+name, func(m *chatkpi.MetricsSummary) string {
			if m.Outcomes != nil {
				return count(cell(m.Outcomes))
			}
			return ""
		})
	}
	outcome("resolved_by_bot", func(o *chatkpi.OutcomeSummary) int64 { return o.ResolvedByBot })
	outcome("escalated", func(o *chatkpi.OutcomeSummary) int64 { return o.Escalated })
	outcome("resolved_by_agent", func(o *chatkpi.OutcomeSummary) int64 { return o.ResolvedByAgent })
	outcome("abandoned", func(o *chatkpi.OutcomeSummary) int64 { return o.Abandoned })
	outcome("unengaged", func(o *chatkpi.OutcomeSummary) int64 { return o.Unengaged })

	rateCols("containment", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.Containment })
	rateCols("escalation", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.Escalation })
	rateCols("reopen", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.Reopen })
	rateCols("bot_accuracy", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.BotAccuracy })
	rateCols("fallback_rate", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.FallbackRate })
	ticketCSV(all, rateCols, add)
	rateCols("conversion", func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary {
		if m.Conversion != nil {
			return m.Conversion.RateSummary
		}
		return nil
	})
	add("conversion_goals", func(m *chatkpi.MetricsSummary) string {
		if m.Conversion != nil {
			return count(m.Conversion.Goals)
		}
		return ""
	})
	for _, cur := range keysOf(func(m *chatkpi.MetricsSummary) []string {
		if m.Conversion != nil {
			return sortedScores(m.Conversion.Value)
		}
		return nil
	}) {
		add("conversion_value_"+cur, func(m *chatkpi.MetricsSummary) string {
			if m.Conversion != nil {
				return m.Conversion.Value[cur]
			}
			return ""
		})
	}
	return cols
}
