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
// names them, with the fields of embedded structs in their place.
func jsonFields(v reflect.Value) []jsonField {
	var out []jsonField
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
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
		if entry && (f.name == "label" || f.name == "name") {
			continue // in the entry's [label]
		}
		if err := tidyValue(metric, prefix+f.name, f.v, n, emit); err != nil {
			return err
		}
	}
	return nil
}

// entryLabel names a list entry: its "label" or "name" field, else its
// "target_seconds" as -sla writes it ("1m"), else its index.
func entryLabel(e reflect.Value, i int) string {
	for _, f := range jsonFields(e) {
		switch {
		case (f.name == "label" || f.name == "name") && f.v.Kind() == reflect.String:
			return f.v.String()
		case f.name == "target_seconds" && f.v.CanFloat():
			return target(f.v.Float())
		}
	}
	return strconv.Itoa(i)
}
