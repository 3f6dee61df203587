package main

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aheadEvents returns the lines of n conversations of five lines each,
// grouped, many chunks and batches of reading ahead long: with bad, an
// invalid line every 97th conversation, a CSAT score outside the scale
// (which the report rejects) every 89th, and a redelivered event every
// 13th; csv writes CSV instead of JSON Lines.
func aheadEvents(n int, bad, csv bool) string {
	var b strings.Builder
	if csv {
		b.WriteString("conversation,id,time,role,type,agent,survey,score,customer\n")
	}
	ev := func(c, id, sec int, role, typ, agent, survey string, score int, customer string) {
		tm := fmt.Sprintf("2026-%02d-%02dT%02d:%02d:%02dZ", 1+c%3, 1+c%28, c%24, (c/24)%60, sec)
		if csv {
			sc := ""
			if survey != "" {
				sc = fmt.Sprint(score)
			}
			fmt.Fprintf(&b, "c%d,e%d,%s,%s,%s,%s,%s,%s,%s\n", c, id, tm, role, typ, agent, survey, sc, customer)
			return
		}
		fmt.Fprintf(&b, `{"conversation":"c%d","id":"e%d","time":%q,"role":%q,"type":%q`, c, id, tm, role, typ)
		if agent != "" {
			fmt.Fprintf(&b, `,"agent":%q`, agent)
		}
		if survey != "" {
			fmt.Fprintf(&b, `,"survey":%q,"score":%d`, survey, score)
		}
		if customer != "" {
			fmt.Fprintf(&b, `,"customer":%q`, customer)
		}
		b.WriteString("}\n")
	}
	for c := range n {
		ev(c, 0, 1, "customer", "message", "", "", 0, fmt.Sprintf("u%d", c%700))
		ev(c, 1, 9, "agent", "message", fmt.Sprintf("a%d", c%5), "", 0, "")
		if bad && c%97 == 5 {
			b.WriteString("c" + fmt.Sprint(c) + ",not a time\n")
		}
		ev(c, 2, 5, "customer", "message", "", "", 0, "") // out of time order
		score := 1 + c%5
		if bad && c%89 == 7 {
			score = 9
		}
		ev(c, 3, 20, "customer", "rating", "", "csat", score, "")
		if c%13 == 0 {
			ev(c, 1, 9, "agent", "message", fmt.Sprintf("a%d", c%5), "", 0, "")
		}
		ev(c, 4, 30, "system", "resolved", "", "", 0, "")
	}
	return b.String()
}

// interleave interleaves the lines of the first half of lines with those
// of the second, one after the other.
func interleave(lines string) string {
	var b strings.Builder
	ls := strings.SplitAfter(lines, "\n")
	for i := range len(ls) / 2 {
		b.WriteString(ls[i] + ls[len(ls)/2+i])
	}
	if len(ls)%2 == 1 {
		b.WriteString(ls[len(ls)-1])
	}
	return b.String()
}

// TestReadingAheadIsSerial: with two cores the command joins ahead,
// builds the report of held lines and summarizes on both (join_ahead.go,
// Joiner.Report, Report.summaries); with one it does neither. Its output,
// messages, exit status and starting over are the same either way: grouped
// files, with invalid lines, rejected scores and duplicates, with and
// without -skip-invalid, a conversation that comes back after thousands
// (starting over) or with -grouped (an error), over two files, CSV,
// interleaved lines (with invalid lines and rejected scores too, over two
// files, in streaming mode), and a report over its group limit.
func TestReadingAheadIsSerial(t *testing.T) {
	grouped, clean := aheadEvents(6000, true, false), aheadEvents(6000, false, false)
	var rejected strings.Builder // the scores outside the scale without the invalid lines
	for _, l := range strings.SplitAfter(grouped, "\n") {
		if !strings.Contains(l, "not a time") {
			rejected.WriteString(l)
		}
	}
	back := clean + clean[:strings.Index(clean, "\n")+1]
	interleaved, interleavedBad, interleavedRejected := interleave(clean), interleave(grouped), interleave(rejected.String())
	files := map[string]string{
		"grouped.jsonl":     grouped,
		"clean.jsonl":       clean,
		"rejected.jsonl":    rejected.String(),
		"back.jsonl":        back,
		"interleaved.jsonl": interleaved,
		"ibad.jsonl":        interleavedBad,
		"irejected.jsonl":   interleavedRejected,
		"ipart1.jsonl":      interleaved[:len(interleaved)/2+strings.Index(interleaved[len(interleaved)/2:], "\n")+1],
		"ipart2.jsonl":      interleaved[len(interleaved)/2+strings.Index(interleaved[len(interleaved)/2:], "\n")+1:],
		"grouped.csv":       aheadEvents(6000, true, true),
		"part1.jsonl":       clean[:len(clean)/2+strings.Index(clean[len(clean)/2:], "\n")+1],
		"part2.jsonl":       clean[len(clean)/2+strings.Index(clean[len(clean)/2:], "\n")+1:],
	}
	paths := map[string]string{}
	for name, content := range files {
		paths[name] = writeFile(t, name, content)
	}
	runs := [][]string{
		{"grouped.jsonl"}, {"-skip-invalid", "grouped.jsonl"}, {"-grouped", "grouped.jsonl"}, {"-grouped", "-skip-invalid", "grouped.jsonl"},
		{"rejected.jsonl"}, {"-skip-invalid", "rejected.jsonl"}, {"-grouped", "rejected.jsonl"},
		{"clean.jsonl"}, {"-grouped", "clean.jsonl"}, {"-period", "day", "-group-by", "agent", "clean.jsonl"},
		{"back.jsonl"}, {"-grouped", "back.jsonl"}, {"-skip-invalid", "back.jsonl"},
		{"interleaved.jsonl"}, {"-skip-invalid", "grouped.csv"}, {"grouped.csv"},
		{"part1.jsonl", "part2.jsonl"}, {"-grouped", "part1.jsonl", "part2.jsonl"},
		{"-period", "day", "-max-groups", "40", "clean.jsonl"}, {"-mode", "streaming", "-skip-invalid", "grouped.jsonl"},
		{"-format", "conversations", "-skip-invalid", "grouped.jsonl"},
		{"ibad.jsonl"}, {"-skip-invalid", "ibad.jsonl"}, {"irejected.jsonl"}, {"-skip-invalid", "irejected.jsonl"},
		{"-period", "day", "-group-by", "agent", "interleaved.jsonl"}, {"-period", "day", "-max-groups", "40", "interleaved.jsonl"},
		{"-mode", "streaming", "interleaved.jsonl"}, {"-mode", "streaming", "-skip-invalid", "ibad.jsonl"},
		{"-format", "conversations", "-skip-invalid", "ibad.jsonl"}, {"ipart1.jsonl", "ipart2.jsonl"},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, args := range runs {
		for i, a := range args {
			if p, ok := paths[a]; ok {
				args[i] = p
			}
		}
		args = append([]string{"-format", "json"}, args...)
		runtime.GOMAXPROCS(1)
		want := runCmd(t, "", args...)
		runtime.GOMAXPROCS(2)
		got := runCmd(t, "", args...)
		name := strings.Join(args, " ")
		assert.Equal(t, want.code, got.code, name)
		assert.Equal(t, want.stderr, got.stderr, name)
		if assert.Equal(t, len(want.stdout), len(got.stdout), name) {
			assert.True(t, want.stdout == got.stdout, name+": the same output")
		}
	}
}

// TestHeldReportIsSerial: the report of interleaved lines in a file, built
// on every core (Joiner.Report), is the one of adding the conversations
// one by one, as the command does with standard input, which it cannot read
// again: the same output, messages and exit status, with invalid lines,
// rejected scores (on which it starts over, adding one by one) and group
// limits, with and without -skip-invalid.
func TestHeldReportIsSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	var rejected strings.Builder
	for _, l := range strings.SplitAfter(aheadEvents(6000, true, false), "\n") {
		if !strings.Contains(l, "not a time") {
			rejected.WriteString(l)
		}
	}
	for name, content := range map[string]string{
		"clean":    interleave(aheadEvents(6000, false, false)),
		"bad":      interleave(aheadEvents(6000, true, false)),
		"rejected": interleave(rejected.String()),
	} {
		path := writeFile(t, name+".jsonl", content)
		for _, flags := range [][]string{
			{}, {"-skip-invalid"}, {"-period", "day", "-group-by", "agent"}, {"-period", "day", "-max-groups", "40"},
			{"-mode", "streaming", "-skip-invalid"}, {"-mode", "streaming", "-metrics", "agents,first_response_time,csat", "-period", "day"},
			{"-metrics", "agents,first_response_time", "-group-by", "agent"},
		} {
			args := append([]string{"-format", "json"}, flags...)
			want := runCmd(t, content, append(args, "-")...)
			got := runCmd(t, "", append(args, path)...)
			what := name + " " + strings.Join(flags, " ")
			if name == "clean" && !slices.Contains(flags, "-max-groups") { // that one is past its limit
				require.Zero(t, want.code, what+": "+want.stderr)
			}
			assert.Equal(t, want.code, got.code, what)
			assert.Equal(t, want.stderr, strings.ReplaceAll(got.stderr, path, "standard input"), what)
			assert.True(t, want.stdout == got.stdout, what+": the same output")
		}
	}
}
