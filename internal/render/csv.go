package render

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// CSV writes the summary as a tidy long table: one row per statistic, with
// the same columns whatever the data —
//
//		scope, period, one column per grouping (Summary.GroupBy, fixed by the
//		flags), metric, statistic, value, n
//
//	  - scope is "overall" for the whole data set (its period and grouping
//	    cells are empty) or "group" for one group of Summary.Groups (period
//	    "" when not grouped by period; a grouping's cell holds the group's
//	    key value, which may be "", as for the agent of bot-only
//	    conversations).
//	  - metric is the JSON name of a field of [chatkpi.MetricsSummary]
//	    ("conversations", "first_response_time", "csat", "outcomes", …) and
//	    statistic the JSON name of the figure within it ("count", "p90_seconds",
//	    "percent", "ci_low", "small_sample", …), so that the CSV holds what
//	    the JSON holds, named alike. A map entry is written name[key]
//	    ("distribution[5]", "value[EUR]", "percentiles[p75]"), a list entry
//	    name[label].field: a histogram bucket by its label
//	    ("histogram[0–30s].count"), an SLA target by its target
//	    ("sla[1m].percent"); a nested figure parent.field. The counts
//	    conversations and messages have statistic "count".
//	  - value is the number, unrounded (Go's shortest representation that
//	    reads back as the same float64; integers as integers; money as its
//	    decimal string); true and false are 1 and 0. Text fields of the
//	    JSON (the CSAT and CES scale labels) are not written.
//	  - n is the sample size the metric rests on: the durations measured
//	    (count) of a timing metric, the trials (of) of a rate and of an SLA
//	    target, the answers (responses) of a survey, the conversations of the
//	    row for the others (outcomes); empty for conversations and messages.
//
// The summary's sections that are not per group follow the groups' rows:
//
//   - money (Summary.Money): metric "money[CURRENCY]", scope "overall" for
//     the whole report and "period" (grouping cells empty) for each period;
//     statistics as the JSON's MoneyFigures ("periods", "contained",
//     "conversions", "revenue", "cost_saved", "gain", "cost",
//     "cost_per_conversion", "roi_percent", "payback_periods",
//     "human_conversations", "human_cost", "human_cost_per_conversion"; an
//     undefined figure has no row) and, overall, the costs it was computed
//     with ("human_conversation_cost", "bot_cost_per_period",
//     "investment"); with groupings, scope "group" for each group and
//     period (Summary.Money.Groups: period and grouping cells the group's;
//     its cost per conversion, ROI and payback are undefined, so have no
//     row); values are the decimals as the JSON writes them;
//   - retention (Summary.Retention): metric "retention", scope "overall" for
//     its totals ("customers", "returning_users.percent", "churn.ci_low",
//     "churn_over_horizon_percent", …) and "period" for each period
//     ("start", "end", "new", "won_back", "kept", "retention.percent", …);
//     the cohort triangle, overall only, as metric "cohort", scope
//     "period" (the cohort's first period), statistics "customers" and
//     "active[k]" (active k periods later); then, with groupings, the
//     retention rows again for each group key (Summary.Retention.Groups),
//     scope "group" with the key's grouping cells, the totals with an
//     empty period and each period's rows with its period;
//   - comparisons (Summary.Comparisons): scope "comparison", the compared
//     grouping's cell "A vs B", metric the compared metric ("csat",
//     "containment", "conversion", "nps", "first_response_time"),
//     statistics as the JSON's ("n_a", "n_b", "a", "b", "difference",
//     "ci_low", "ci_high", "z", "p", "small_sample"; a null has no row).
//
// A metric without data (null in the JSON) has no rows; a figure that is
// null (a mean of no duration) has no row. Rows come in a stable order:
// the overall rows, then each group in the Summary's order (by period,
// then key); within a row set, the metrics and statistics in the order of
// the JSON schema, map keys in numeric, then alphabetical order.
//
// Text from the input (group keys, periods, currencies, labels) is made
// safe for spreadsheets ([spreadsheetSafe]): a cell that starts with "=",
// "+", "-", "@", a tab or a carriage return gets a "'" in front, so that a
// spreadsheet shows it as text instead of evaluating a formula (OWASP's
// defence against CSV injection). Values are numbers, never escaped.
func CSV(w io.Writer, s *chatkpi.Summary) error {
	if s == nil {
		return errors.New("render: nil summary")
	}
	cw := csv.NewWriter(w)
	head := append([]string{"scope", "period"}, s.GroupBy...)
	head = append(head, "metric", "statistic", "value", "n")
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(head))
	set := func(scope, period string, key func(name string) string, m *chatkpi.MetricsSummary) error {
		rec[0], rec[1] = scope, spreadsheetSafe(period)
		for i, name := range s.GroupBy {
			rec[2+i] = spreadsheetSafe(key(name))
		}
		tail := rec[2+len(s.GroupBy):]
		return tidyMetrics(m, func(metric, statistic, value, n string) error {
			tail[0], tail[1], tail[2], tail[3] = metric, spreadsheetSafe(statistic), value, n
			return cw.Write(rec)
		})
	}
	if err := set("overall", "", func(string) string { return "" }, &s.Overall); err != nil {
		return err
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		if err := set("group", g.Period, func(name string) string { return g.Key[name] }, &g.MetricsSummary); err != nil {
			return err
		}
	}
	// rows returns the emitter of the rows of a section in scope and
	// period, with key's value in the column of the grouping named keyOf
	// and, for a group of a section, groupKey's values in theirs.
	rows := func(scope, period, keyOf, key string, groupKey ...map[string]string) tidyEmit {
		return func(metric, statistic, value, n string) error {
			rec[0], rec[1] = scope, spreadsheetSafe(period)
			for i, name := range s.GroupBy {
				rec[2+i] = ""
				if name == keyOf {
					rec[2+i] = spreadsheetSafe(key)
				}
				if len(groupKey) > 0 {
					rec[2+i] = spreadsheetSafe(groupKey[0][name])
				}
			}
			tail := rec[2+len(s.GroupBy):]
			tail[0], tail[1], tail[2], tail[3] = spreadsheetSafe(metric), spreadsheetSafe(statistic), value, n
			return cw.Write(rec)
		}
	}
	if err := tidySections(s, rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// tidySections writes the rows of the money, retention and comparison
// sections (see [CSV]).
func tidySections(s *chatkpi.Summary, rows func(scope, period, keyOf, key string, groupKey ...map[string]string) tidyEmit) error {
	if m := s.Money; m != nil {
		metric := "money[" + m.Currency + "]"
		emit := rows("overall", "", "", "")
		for _, c := range [...]struct{ name, v string }{
			{"human_conversation_cost", m.HumanConversationCost}, {"bot_cost_per_period", m.BotCostPerPeriod}, {"investment", m.Investment},
		} {
			if err := emit(metric, c.name, c.v, ""); err != nil {
				return err
			}
		}
		if err := tidyMoney(metric, &m.Overall, emit); err != nil {
			return err
		}
		for i := range m.Periods {
			if err := tidyMoney(metric, &m.Periods[i].MoneyFigures, rows("period", m.Periods[i].Period, "", "")); err != nil {
				return err
			}
		}
		for i := range m.Groups {
			g := &m.Groups[i]
			if err := tidyMoney(metric, &g.MoneyFigures, rows("group", g.Period, "", "", g.Key)); err != nil {
				return err
			}
		}
	}
	if r := s.Retention; r != nil {
		if err := tidyRetention(r, "overall", rows("overall", "", "", ""), func(period string) tidyEmit { return rows("period", period, "", "") }); err != nil {
			return err
		}
		for i := range r.Cohorts {
			c := &r.Cohorts[i]
			if err := tidyStruct("cohort", "", reflect.ValueOf(c).Elem(), count(c.Customers), false, rows("period", c.Period, "", "")); err != nil {
				return err
			}
		}
		for i := range r.Groups {
			g := &r.Groups[i]
			if err := tidyRetention(&g.RetentionSummary, "group", rows("group", "", "", "", g.Key),
				func(period string) tidyEmit { return rows("group", period, "", "", g.Key) }); err != nil {
				return err
			}
		}
	}
	for i := range s.Comparisons {
		c := &s.Comparisons[i]
		emit := rows("comparison", "", c.Grouping, c.A+" vs "+c.B)
		for _, m := range [...]struct {
			name string
			v    *chatkpi.MetricComparison
		}{{"csat", &c.CSAT}, {"containment", &c.Containment}, {"conversion", &c.Conversion}, {"nps", &c.NPS}, {"first_response_time", &c.FirstResponseTime},
			{"human_first_response_time", &c.HumanFirstResponseTime}} {
			if err := tidyStruct(m.name, "", reflect.ValueOf(m.v).Elem(), "", false, emit); err != nil {
				return err
			}
		}
	}
	return nil
}

// tidyRetention writes the totals of one retention summary (overall, or
// a group's) with emit and each of its periods with the emitter of
// period; not its cohorts or groups.
func tidyRetention(r *chatkpi.RetentionSummary, scope string, emit tidyEmit, period func(string) tidyEmit) error {
	for _, f := range jsonFields(reflect.ValueOf(r).Elem()) {
		if f.name == "periods" || f.name == "cohorts" || f.name == "groups" {
			continue
		}
		if f.v.CanInt() {
			if err := emit("retention", f.name, count(f.v.Int()), ""); err != nil {
				return err
			}
			continue
		}
		if err := tidyValue("retention", f.name, f.v, "", emit); err != nil {
			return err
		}
	}
	for i := range r.Periods {
		p := &r.Periods[i]
		if err := tidyStruct("retention", "", reflect.ValueOf(p).Elem(), "", false, period(p.Period)); err != nil {
			return err
		}
	}
	return nil
}

// tidyMoney writes the rows of one set of money figures; an undefined
// figure has none.
func tidyMoney(metric string, f *chatkpi.MoneyFigures, emit tidyEmit) error {
	for _, c := range [...]struct{ name, v string }{
		{"periods", count(f.Periods)}, {"contained", count(f.Contained)}, {"conversions", count(f.Conversions)},
		{"revenue", f.Revenue}, {"cost_saved", f.CostSaved}, {"gain", f.Gain}, {"cost", f.Cost},
		{"human_conversations", count(f.HumanConversations)}, {"human_cost", f.HumanCost},
	} {
		if err := emit(metric, c.name, c.v, ""); err != nil {
			return err
		}
	}
	for _, c := range [...]struct {
		name string
		v    chatkpi.MoneyValue
	}{{"cost_per_conversion", f.CostPerConversion}, {"roi_percent", f.ROIPercent}, {"payback_periods", f.PaybackPeriods},
		{"human_cost_per_conversion", f.HumanCostPerConversion}} {
		if c.v.Value == nil {
			continue
		}
		if err := emit(metric, c.name, *c.v.Value, ""); err != nil {
			return err
		}
	}
	return nil
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

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
func count(n int64) string { return strconv.FormatInt(n, 10) }

// tidyEmit receives one row of the tidy table.
type tidyEmit func(metric, statistic, value, n string) error

// tidyMetrics writes the rows of one set of metrics: each field of
// MetricsSummary by its JSON name, in the schema's order.
func tidyMetrics(m *chatkpi.MetricsSummary, emit tidyEmit) error {
	v := reflect.ValueOf(m).Elem()
	conversations := count(m.Conversations)
	for _, f := range jsonFields(v) {
		switch f.v.Kind() {
		case reflect.Int, reflect.Int64:
			if err := emit(f.name, "count", count(f.v.Int()), ""); err != nil {
				return err
			}
			continue
		}
		if err := tidyValue(f.name, "", f.v, conversations, emit); err != nil {
			return err
		}
	}
	return nil
}

// jsonField is a field of a struct value by its JSON name.
type jsonField struct {
	name string
	v    reflect.Value
}

// jsonFields lists the exported fields of a struct value as encoding/json
// names them, with the fields of embedded structs in their place, and
// without the omitempty ones that are zero (encoding/json leaves them out).
func jsonFields(v reflect.Value) []jsonField {
	var out []jsonField
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || strings.Contains(","+opts+",", ",omitempty,") && v.Field(i).IsZero() {
			continue // as encoding/json: absent
		}
		if sf.Anonymous && name == "" {
			f := v.Field(i)
			if f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Struct {
				if f.IsNil() {
					continue // as encoding/json: no fields
				}
				f = f.Elem()
			}
			if f.Kind() == reflect.Struct {
				out = append(out, jsonFields(f)...)
				continue
			}
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, jsonField{name, v.Field(i)})
	}
	return out
}

// sampleSize returns the n of a struct's rows: its "of", else its
// "responses", else (unless it is a list entry, whose count is its value)
// its "count"; "" when it has none.
func sampleSize(fields []jsonField, entry bool) string {
	names := []string{"of", "responses", "count"}
	if entry {
		names = names[:2]
	}
	for _, want := range names {
		for _, f := range fields {
			if f.name == want && f.v.CanInt() {
				return count(f.v.Int())
			}
		}
	}
	return ""
}

// tidyValue writes the rows of a value named stat (a path within metric):
// a number or bool is one row, nil writes nothing, a struct, map or list
// its entries. n is the enclosing sample size.
func tidyValue(metric, stat string, v reflect.Value, n string, emit tidyEmit) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return tidyValue(metric, stat, v.Elem(), n, emit)
	case reflect.Struct:
		return tidyStruct(metric, stat, v, n, false, emit)
	case reflect.Map:
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		sortNumeric(keys)
		for _, k := range keys {
			if err := tidyValue(metric, stat+"["+k+"]", v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), n, emit); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			for e.Kind() == reflect.Pointer && !e.IsNil() {
				e = e.Elem()
			}
			if e.Kind() != reflect.Struct {
				if err := tidyValue(metric, stat+"["+strconv.Itoa(i)+"]", e, n, emit); err != nil {
					return err
				}
				continue
			}
			if err := tidyStruct(metric, stat+"["+entryLabel(e, i)+"]", e, n, true, emit); err != nil {
				return err
			}
		}
		return nil
	case reflect.Bool:
		b := "0"
		if v.Bool() {
			b = "1"
		}
		return emit(metric, stat, b, n)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return emit(metric, stat, count(v.Int()), n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return emit(metric, stat, strconv.FormatUint(v.Uint(), 10), n)
	case reflect.Float32, reflect.Float64:
		return emit(metric, stat, num(v.Float()), n)
	case reflect.String:
		if strings.HasSuffix(stat, "]") { // a map's value: the money amounts
			return emit(metric, stat, v.String(), n)
		}
		return nil // a label of the JSON, not a figure
	}
	return fmt.Errorf("render: csv: %s %s: cannot write a %s", metric, stat, v.Kind())
}

// tidyStruct writes the fields of a struct under stat ("" for a metric's
// own fields); entry marks a list entry.
func tidyStruct(metric, stat string, v reflect.Value, n string, entry bool, emit tidyEmit) error {
	fields := jsonFields(v)
	if own := sampleSize(fields, entry); own != "" {
		n = own
	}
	prefix := stat
	if prefix != "" {
		prefix += "."
	}
	for _, f := range fields {
		if entry && isEntryLabel(f.name) {
			continue // in the entry's [label]
		}
		if err := tidyValue(metric, prefix+f.name, f.v, n, emit); err != nil {
			return err
		}
	}
	return nil
}

// isEntryLabel reports whether a list entry's field names it: a bucket's
// "label", an agent's "agent", a day's "day".
func isEntryLabel(name string) bool {
	return name == "label" || name == "name" || name == "agent" || name == "day"
}

// entryLabel names a list entry: its label field (see isEntryLabel), else
// its "target_seconds" as -sla writes it ("1m"), else its index.
func entryLabel(e reflect.Value, i int) string {
	for _, f := range jsonFields(e) {
		switch {
		case isEntryLabel(f.name) && f.v.Kind() == reflect.String:
			return f.v.String()
		case f.name == "target_seconds" && f.v.CanFloat():
			return target(f.v.Float())
		}
	}
	return strconv.Itoa(i)
}
