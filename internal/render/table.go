package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/chatkpi/chatkpi"
)

// Table writes the summary as aligned plain text for a terminal: the
// settings, an "Overall" section with every metric (durations humanised,
// rates with their counts and 95 % intervals, "no data" where a metric has
// none, the SLA attainment of every target), then one row per (period,
// key) with the main metrics (and the SLA policy's attainment and the
// ticket metrics when the report has them, [ticketGroupColumns], and each
// group's availability when a group has it, [availabilityGroupColumns]),
// then the money, comparison and retention sections, with the money and
// retention of each group when the report has groupings. Numbers are
// rounded half away from zero ([chatkpi.FormatFloat]); figures resting on a
// small sample are marked with "*" and explained under the tables; when the
// data has bot replies the durations lead with the human first response
// time, and the groups show it instead of anyone's; key values that are
// empty or hold control characters are shown quoted, so user data cannot
// move the cursor or break the alignment.
func Table(w io.Writer, s *chatkpi.Summary) error {
	if s == nil {
		return errors.New("render: nil summary")
	}
	var b bytes.Buffer
	if set := settings(s); set != "" {
		fmt.Fprintf(&b, "chatkpi report: %s\n", set)
	}
	bots := hasBots(&s.Overall)
	absent := absentMetrics(&s.Overall, bots)
	rows := presentRows(&s.Overall, absent)
	undefined, absent := undefinedRows(s, absent)
	fmt.Fprintf(&b, "\nOverall\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, r := range append(rows, undefined...) {
		// Every line has the same number of cells so that the columns
		// stay one block.
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Name, r.Value, r.Detail)
	}
	tw.Flush()
	if len(absent) > 0 {
		fmt.Fprintf(&b, "  %s: %s\n", absentLabel, strings.Join(absent, ", "))
	}

	if timings := presentTimings(&s.Overall, bots, absent); len(timings) > 0 {
		fmt.Fprintln(&b)
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		names := []string{"durations"}
		for _, r := range timings {
			names = append(names, r.Name)
		}
		names = padRight(names)
		fmt.Fprintln(tw, names[0]+"\t"+strings.Join(timingColumns(), "\t")+"\t")
		for i, r := range timings { // present: every row has cells
			fmt.Fprintln(tw, names[i+1]+"\t"+strings.Join(r.Cells, "\t")+"\t")
		}
		tw.Flush()
		if sla := slaRows(timings); len(sla) > 0 {
			fmt.Fprintf(&b, "\nSLA attainment\n\n")
			tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			for _, r := range sla {
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Name, r.Value, r.Detail)
			}
			tw.Flush()
		}
	}
	if agents := agentRows(&s.Overall, agentAvailability(s)); len(agents) > 0 {
		fmt.Fprintf(&b, "\nAgents\n\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, r := range agents {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Name, r.Value, r.Detail)
		}
		tw.Flush()
	}

	if len(s.Groups) > 0 {
		fmt.Fprintf(&b, "\nGroups\n\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		var keyCols [][]string // per column: heading, then one value per group
		if hasPeriods(s) {
			col := []string{"period"}
			for i := range s.Groups {
				col = append(col, displayKey(s.Groups[i].Period))
			}
			keyCols = append(keyCols, padRight(col))
		}
		for _, name := range s.GroupBy {
			col := []string{displayKey(name)}
			for i := range s.Groups {
				col = append(col, displayKey(s.Groups[i].Key[name]))
			}
			keyCols = append(keyCols, padRight(col))
		}
		tickets := append(ticketGroupColumns(&s.Overall), availabilityGroupColumns(s)...)
		for row := 0; row <= len(s.Groups); row++ {
			var cells []string
			for _, col := range keyCols {
				cells = append(cells, col[row])
			}
			if row == 0 {
				cells = append(cells, dropColumns(groupColumns(bots), absentColumns(bots, absent))...)
				cells = append(cells, ticketGroupHeads(tickets)...)
			} else {
				cells = append(cells, dropColumns(groupCells(&s.Groups[row-1].MetricsSummary, bots), absentColumns(bots, absent))...)
				t, _ := ticketGroupCells(tickets, &s.Groups[row-1].MetricsSummary)
				cells = append(cells, t...)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		tw.Flush()
	}
	writeSections(&b, sections(s))
	if hasSmallSamples(s) {
		fmt.Fprintf(&b, "\n%s\n", smallNote)
	}
	_, err := w.Write(trimLines(b.Bytes()))
	return err
}

// padRight pads cells with spaces to the same width so that they read left
// aligned in a right-aligned table.
func padRight(cells []string) []string {
	width := 0
	for _, c := range cells {
		width = max(width, utf8.RuneCountInString(c))
	}
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c + strings.Repeat(" ", width-utf8.RuneCountInString(c))
	}
	return out
}

// trimLines removes the spaces tabwriter leaves at the end of lines.
func trimLines(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}
