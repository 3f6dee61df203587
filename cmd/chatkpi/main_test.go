package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type result struct {
	code           int
	stdout, stderr string
}

// runCmd runs the command with stdin as standard input and stderr not a
// terminal.
func runCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errw bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errw, false)
	return result{code, out.String(), errw.String()}
}

// summaryOf runs the command with -format json and decodes the report.
func summaryOf(t *testing.T, stdin string, args ...string) *chatkpi.Summary {
	t.Helper()
	res := runCmd(t, stdin, append([]string{"-format", "json"}, args...)...)
	require.Equal(t, 0, res.code, res.stderr)
	var s chatkpi.Summary
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &s))
	return &s
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// TestDefaultFirstResponseTime checks the embedded sample against the
// figures computed independently for the Twitter data.
func TestDefaultFirstResponseTime(t *testing.T) {
	s := summaryOf(t, "")
	assert.Equal(t, int64(1025), s.Overall.Conversations)
	frt := s.Overall.FirstResponseTime
	require.NotNil(t, frt)
	assert.Equal(t, int64(1025), frt.Count)
	require.NotNil(t, frt.P50Seconds)
	assert.Equal(t, 7481.521, *frt.P50Seconds)
	assert.Equal(t, "UTC", s.TimeZone)
	assert.Equal(t, "month", s.Period)
	assert.Equal(t, "exact", s.Percentiles)
	assert.Equal(t, "calendar", s.TimeBasis)
}

func TestStreamingWithinAccuracy(t *testing.T) {
	exact := summaryOf(t, "").Overall.FirstResponseTime
	s := summaryOf(t, "", "-mode", "streaming")
	assert.Equal(t, "streaming", s.Percentiles)
	assert.Equal(t, 0.01, s.RelativeAccuracy)
	stream := s.Overall.FirstResponseTime
	require.NotNil(t, exact)
	require.NotNil(t, stream)
	assert.Equal(t, exact.Count, stream.Count)
	for name, pair := range map[string][2]*float64{
		"p50": {exact.P50Seconds, stream.P50Seconds},
		"p90": {exact.P90Seconds, stream.P90Seconds},
		"p95": {exact.P95Seconds, stream.P95Seconds},
		"p99": {exact.P99Seconds, stream.P99Seconds},
	} {
		require.NotNil(t, pair[0], name)
		require.NotNil(t, pair[1], name)
		assert.LessOrEqual(t, math.Abs(*pair[1]-*pair[0]), 0.01**pair[0], "%s: exact %v, streaming %v", name, *pair[0], *pair[1])
	}
}

func TestExtraPercentiles(t *testing.T) {
	frt := summaryOf(t, "", "-percentiles", "50,75,99.9").Overall.FirstResponseTime
	require.NotNil(t, frt)
	assert.NotNil(t, frt.P50Seconds)
	assert.NotNil(t, frt.P90Seconds, "p90 is always reported")
	assert.Len(t, frt.Percentiles, 2)
	assert.Contains(t, frt.Percentiles, "p75")
	assert.Contains(t, frt.Percentiles, "p99.9")
}

func TestHTMLSelfContained(t *testing.T) {
	res := runCmd(t, "", "-format", "html")
	require.Equal(t, 0, res.code, res.stderr)
	page := res.stdout
	assert.True(t, strings.HasPrefix(strings.ToLower(page), "<!doctype html>"), page[:min(len(page), 100)])
	assert.Contains(t, page, "<title>chatkpi report: Twitter customer care (sample)</title>")
	assert.Contains(t, page, ">1025<")
	assert.Contains(t, page, "<svg", "grouped by month, the page has charts")
	urls := regexp.MustCompile(`https?://[^\s"'<>)]*`).FindAllString(page, -1)
	for _, u := range urls {
		assert.Equal(t, "http://www.w3.org/2000/svg", u, "the page must load nothing")
	}
}

func TestOutputFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.json")
	res := runCmd(t, "", "-format", "json", "-o", path)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Empty(t, res.stdout)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, runCmd(t, "", "-format", "json").stdout, string(got))
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		message string
	}{
		{"bad tz", []string{"-tz", "Mars/Olympus"}, `-tz: "Mars/Olympus" is not an IANA time zone`},
		{"local tz", []string{"-tz", "Local"}, `-tz: "Local"`},
		{"bad period", []string{"-period", "fortnight"}, `-period: "fortnight" is not one of day, week, month, year, none`},
		{"unknown group", []string{"-group-by", "channel,colour"}, `-group-by: unknown grouping "colour"`},
		{"empty dim", []string{"-group-by", "dim:"}, `unknown grouping "dim:"`},
		{"group twice", []string{"-group-by", "agent,agent"}, `"agent" given twice`},
		{"bad week start", []string{"-week-start", "someday"}, `-week-start: "someday"`},
		{"bad format", []string{"-format", "xml"}, `-format: "xml"`},
		{"bad mode", []string{"-mode", "fast"}, `-mode: "fast"`},
		{"accuracy without streaming", []string{"-accuracy", "0.02"}, "-accuracy and -max-bins apply to -mode streaming only"},
		{"max bins without streaming", []string{"-max-bins", "64"}, "-max-bins apply to -mode streaming only"},
		{"bad max bins", []string{"-mode", "streaming", "-max-bins", "3"}, "max bins: 3 is outside [16, 65536]"},
		{"bad accuracy", []string{"-mode", "streaming", "-accuracy", "2"}, "relative accuracy: 2 is outside [0.0001, 0.5]"},
		{"zero accuracy", []string{"-mode", "streaming", "-accuracy", "0"}, "-accuracy: 0"},
		{"bad percentile", []string{"-percentiles", "50,101"}, `-percentiles: "101"`},
		{"percentile 100", []string{"-percentiles", "100"}, `-percentiles: "100"`},
		{"percentile not a number", []string{"-percentiles", "1e1"}, `-percentiles: "1e1"`},
		{"percentile twice", []string{"-percentiles", "50,50.0"}, "given twice"},
		{"bad csat scale", []string{"-csat-scale", "five"}, `-csat-scale: "five"`},
		{"bad ces scale", []string{"-ces-scale", "effort7"}, `-ces-scale: "effort7"`},
		{"bad window", []string{"-repeat-window", "-1h"}, "-repeat-window: -1h0m0s"},
		{"zero window", []string{"-completion-window", "0s"}, "-completion-window: 0s"},
		{"bad satisfied", []string{"-csat-satisfied", "9"}, "9"},
		{"bad input format", []string{"-input-format", "xml"}, `-input-format: "xml"`},
		{"unknown extension", []string{"events.txt"}, "events.txt: cannot tell the format"},
		{"bad max line size", []string{"-max-line-size", "0"}, "-max-line-size: 0 is not a positive number"},
		{"flag after file", []string{"events.jsonl", "-format", "json"}, "-format: flags come before the files"},
		{"unknown flag", []string{"-colour"}, "flag provided but not defined: -colour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCmd(t, "", tc.args...)
			assert.Equal(t, 2, res.code)
			assert.Contains(t, res.stderr, tc.message)
			assert.Empty(t, res.stdout)
		})
	}
}

func TestHelp(t *testing.T) {
	res := runCmd(t, "", "-h")
	assert.Equal(t, 0, res.code)
	assert.Contains(t, res.stderr, "-group-by")
}

func TestErrors(t *testing.T) {
	res := runCmd(t, "", filepath.Join(t.TempDir(), "missing.jsonl"))
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "missing.jsonl")

	res = runCmd(t, "", "-")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "no conversations in the input")

	res = runCmd(t, "", "-max-line-size", "100")
	assert.Equal(t, 1, res.code)
	assert.Regexp(t, `^chatkpi: twitter-customer-care.jsonl \(embedded\): line 1: `, res.stderr)

	res = runCmd(t, "", "-calendar", filepath.Join(t.TempDir(), "none.json"))
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "-calendar")
}

const (
	goodLine1 = `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","channel":"chat"}` + "\n"
	goodLine2 = `{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","agent":"ana"}` + "\n"
	badLine   = `{"conversation":"c2","time":"yesterday","role":"customer","type":"message"}` + "\n"
	badLine2  = `{"conversation":"c3","time":"2026-01-05T10:00:00Z","role":"robot","type":"message"}` + "\n"
)

func TestInvalidLine(t *testing.T) {
	path := writeFile(t, "events.jsonl", goodLine1+badLine+goodLine2+badLine2)

	res := runCmd(t, "", path)
	assert.Equal(t, 1, res.code)
	assert.Empty(t, res.stdout)
	assert.Regexp(t, `^chatkpi: .*events\.jsonl: line 2: .*time: `, res.stderr)
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)

	res = runCmd(t, "", "-skip-invalid", "-format", "json", path)
	require.Equal(t, 0, res.code, res.stderr)
	lines := strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n")
	require.Len(t, lines, 3, res.stderr)
	assert.Regexp(t, `events\.jsonl: skipped line 2: .*time: `, lines[0])
	assert.Regexp(t, `events\.jsonl: skipped line 4: .*role: `, lines[1])
	assert.Regexp(t, `events\.jsonl: skipped 2 invalid lines$`, lines[2])
	var s chatkpi.Summary
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &s))
	assert.Equal(t, int64(1), s.Overall.Conversations)
}

func TestStdin(t *testing.T) {
	s := summaryOf(t, goodLine1+goodLine2, "-")
	assert.Equal(t, int64(1), s.Overall.Conversations)
	require.NotNil(t, s.Overall.FirstResponseTime)
	assert.Equal(t, 60.0, *s.Overall.FirstResponseTime.P50Seconds)

	// The whole sample through standard input is the default report.
	assert.Equal(t, runCmd(t, "").stdout, runCmd(t, string(sample), "-").stdout)
}

func TestInterleavedInput(t *testing.T) {
	other := `{"conversation":"c2","time":"2026-01-05T10:00:30Z","role":"customer","type":"message"}` + "\n"
	path := writeFile(t, "events.jsonl", goodLine1+other+goodLine2)
	s := summaryOf(t, "", path)
	assert.Equal(t, int64(2), s.Overall.Conversations)

	res := runCmd(t, "", "-grouped", path)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "line 3: conversation \"c1\": conversation: ")
}

// TestCSVInput converts the sample to CSV with the library's writer: the
// report must be the same.
func TestCSVInput(t *testing.T) {
	jr, err := chatkpi.NewJSONLReader(bytes.NewReader(sample))
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(jr)
	require.NoError(t, err)
	var b bytes.Buffer
	w, err := chatkpi.NewCSVWriter(&b, []string{"company"})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, w.WriteConversation(c))
	}
	require.NoError(t, w.Flush())
	path := writeFile(t, "events.csv", b.String())

	want := runCmd(t, "", "-format", "json", "-group-by", "source")
	require.Equal(t, 0, want.code, want.stderr)
	for _, args := range [][]string{
		{path},
		{"-input-format", "csv", "-"},
	} {
		res := runCmd(t, b.String(), append([]string{"-format", "json", "-group-by", "source"}, args...)...)
		require.Equal(t, 0, res.code, res.stderr)
		assert.Equal(t, want.stdout, res.stdout)
	}
}

func TestCalendarIsBusinessTime(t *testing.T) {
	cal := writeFile(t, "hours.json", `{"time_zone": "UTC", "hours": {
		"monday": [["09:00", "17:00"]], "tuesday": [["09:00", "17:00"]], "wednesday": [["09:00", "17:00"]],
		"thursday": [["09:00", "17:00"]], "friday": [["09:00", "17:00"]]}}`)
	calendar := summaryOf(t, "")
	business := summaryOf(t, "", "-calendar", cal)
	assert.Equal(t, "calendar", calendar.TimeBasis)
	assert.Equal(t, "business", business.TimeBasis)
	require.NotNil(t, business.Overall.FirstResponseTime)
	assert.Less(t, *business.Overall.FirstResponseTime.MeanSeconds, *calendar.Overall.FirstResponseTime.MeanSeconds)

	bad := writeFile(t, "bad.json", `{"time_zone": "UTC", "hours": {"monday": [["09:00", "25:00"]]}}`)
	res := runCmd(t, "", "-calendar", bad)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "hours.monday")
}

func TestTimeZoneAndPeriod(t *testing.T) {
	s := summaryOf(t, "", "-tz", "Europe/Berlin", "-week-start", "sunday", "-period", "week")
	assert.Equal(t, "Europe/Berlin", s.TimeZone)
	assert.Equal(t, "sunday", s.WeekStart)
	assert.Equal(t, "week", s.Period)

	s = summaryOf(t, "", "-period", "none", "-group-by", "source,dim:company")
	assert.Equal(t, "", s.Period)
	assert.Equal(t, []string{"source", "dim:company"}, s.GroupBy)
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	var out, errw bytes.Buffer
	require.Equal(t, 0, run(nil, strings.NewReader(""), &out, &errw, true))
	assert.Contains(t, errw.String(), "events")
	assert.True(t, strings.HasSuffix(errw.String(), "\n"))

	res := runCmd(t, "")
	assert.Empty(t, res.stderr)
}

// surveyEvents is one conversation that starts at 23:30 UTC on 31 January
// (1 February in Berlin) with a CSAT answer of 8 and a CES answer of 2.
const surveyEvents = `{"conversation":"c1","time":"2026-01-31T23:30:00Z","role":"customer","type":"message"}
{"conversation":"c1","time":"2026-01-31T23:31:00Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"c1","time":"2026-01-31T23:40:00Z","role":"customer","type":"rating","survey":"csat","score":8}
{"conversation":"c1","time":"2026-01-31T23:41:00Z","role":"customer","type":"rating","survey":"ces","score":2}
`

func TestSurveyScales(t *testing.T) {
	res := runCmd(t, surveyEvents, "-")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `standard input: line 3: conversation "c1": score: 8 is outside the csat scale`)

	s := summaryOf(t, surveyEvents, "-csat-scale", "1-10", "-csat-satisfied", "9", "-ces-scale", "effort5", "-")
	csat := s.Overall.CSAT
	require.NotNil(t, csat)
	assert.Equal(t, "1-10", csat.Scale)
	assert.Equal(t, int64(1), csat.Responses)
	assert.Equal(t, int64(0), csat.Satisfied, "8 is below -csat-satisfied 9")
	ces := s.Overall.CES
	require.NotNil(t, ces)
	assert.Contains(t, ces.Scale, "1-5 effort")
	assert.Equal(t, int64(1), ces.LowEffort, "2 is low effort on the 1-5 effort scale")

	s = summaryOf(t, surveyEvents, "-csat-scale", "1-10", "-")
	assert.Contains(t, s.Overall.CES.Scale, "1-7 agreement")
	assert.Equal(t, int64(0), s.Overall.CES.LowEffort, "2 is high effort on the 1-7 agreement scale")
}

func TestTimeZoneMovesPeriod(t *testing.T) {
	args := []string{"-csat-scale", "1-10", "-"}
	s := summaryOf(t, surveyEvents, args...)
	require.Len(t, s.Groups, 1)
	assert.Equal(t, "2026-01", s.Groups[0].Period)

	s = summaryOf(t, surveyEvents, append([]string{"-tz", "Europe/Berlin"}, args...)...)
	require.Len(t, s.Groups, 1)
	assert.Equal(t, "2026-02", s.Groups[0].Period)

	// Saturday 31 January 2026: the week starts that day from Saturday, on
	// Monday the 26th by default.
	s = summaryOf(t, surveyEvents, append([]string{"-period", "week", "-week-start", "sat"}, args...)...)
	assert.Equal(t, "2026-01-31", s.Groups[0].Period)
	s = summaryOf(t, surveyEvents, append([]string{"-period", "week"}, args...)...)
	assert.Equal(t, "2026-01-26", s.Groups[0].Period)
}

// TestGroupedInput checks that reading one conversation at a time gives the
// same report as reading the whole input.
func TestGroupedInput(t *testing.T) {
	want := runCmd(t, "", "-format", "json", "-group-by", "source")
	got := runCmd(t, "", "-format", "json", "-group-by", "source", "-grouped")
	require.Equal(t, 0, got.code, got.stderr)
	assert.Equal(t, want.stdout, got.stdout)
}

// The scenario of issue 10: customer +0 s, bot +5 s, handoff +20 s, agent
// +62 s. The human first response time is 42 s (from the handoff), the bot's
// 5 s, and the table leads with the human one.
func TestBotAndHumanFirstResponse(t *testing.T) {
	const input = `{"conversation":"x","time":"2026-11-23T09:00:00Z","role":"customer","type":"message"}
{"conversation":"x","time":"2026-11-23T09:00:05Z","role":"bot","type":"message"}
{"conversation":"x","time":"2026-11-23T09:00:20Z","role":"bot","type":"handoff"}
{"conversation":"x","time":"2026-11-23T09:01:02Z","role":"agent","type":"message","agent":"ana"}
`
	s := summaryOf(t, input, "-")
	require.NotNil(t, s.Overall.HumanFirstResponseTime)
	require.NotNil(t, s.Overall.BotFirstResponseTime)
	assert.Equal(t, 42.0, *s.Overall.HumanFirstResponseTime.MeanSeconds)
	assert.Equal(t, 5.0, *s.Overall.BotFirstResponseTime.MeanSeconds)
	assert.Equal(t, 5.0, *s.Overall.FirstResponseTime.MeanSeconds)
	assert.True(t, s.Overall.HumanFirstResponseTime.SmallSample)

	// By handler the human group's FRT is the human one.
	s = summaryOf(t, input, "-group-by", "handler", "-")
	require.Len(t, s.Groups, 1)
	assert.Equal(t, "human", s.Groups[0].Key["handler"])
	assert.Equal(t, 42.0, *s.Groups[0].HumanFirstResponseTime.MeanSeconds)

	// By agent each reply goes to who sent it.
	s = summaryOf(t, input, "-group-by", "agent", "-")
	require.Len(t, s.Groups, 2)
	assert.Equal(t, "", s.Groups[0].Key["agent"])
	assert.Equal(t, 5.0, *s.Groups[0].BotFirstResponseTime.MeanSeconds)
	assert.Nil(t, s.Groups[0].HumanFirstResponseTime)
	assert.Equal(t, "ana", s.Groups[1].Key["agent"])
	assert.Equal(t, 42.0, *s.Groups[1].HumanFirstResponseTime.MeanSeconds)

	res := runCmd(t, input, "-group-by", "handler", "-")
	require.Equal(t, 0, res.code, res.stderr)
	durations := res.stdout[strings.Index(res.stdout, "  durations"):]
	lines := strings.Split(durations, "\n")
	assert.Regexp(t, `^  human first response +1 +0 +0 +42\.0s\* +42\.0s `, lines[1])
	assert.Regexp(t, `^  bot first response +1 +0 +0 +5\.0s\* +5\.0s `, lines[2])
	assert.Regexp(t, `^  first response \(anyone\) +1 +0 +0 +5\.0s\*`, lines[3])
	assert.Regexp(t, `(?m)^  period +handler +conversations +human FRT p50 +human FRT p90 .*\n  2026-11 +human +1 +42\.0s\* +42\.0s\* `, res.stdout)
	assert.Contains(t, res.stdout, "* small sample: fewer than 30 answers")

	res = runCmd(t, input, "-format", "html", "-")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, `<div class="label">Human first response, median</div><div class="value">42.0s*</div>`)
	// The FRT histogram draws the human and the bot first response side by side.
	assert.Contains(t, res.stdout, "<title>human 30–60s: 1</title>")
	assert.Contains(t, res.stdout, "<title>bot 0–30s: 1</title>")
	assert.Contains(t, res.stdout, "* small sample: fewer than 30 answers")
}

// A single NPS answer is marked as a small sample, not printed as a bare
// "+100.00 ± 0.00".
func TestSingleNPSAnswerMarked(t *testing.T) {
	const input = `{"conversation":"x","time":"2026-11-23T09:00:00Z","role":"customer","type":"message"}
{"conversation":"x","time":"2026-11-23T09:00:05Z","role":"customer","type":"rating","survey":"nps","score":10}
`
	s := summaryOf(t, input, "-")
	require.NotNil(t, s.Overall.NPS)
	assert.True(t, s.Overall.NPS.SmallSample)
	res := runCmd(t, input, "-")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Regexp(t, `(?m)^  NPS +\+100\.00 ± 0\.00\* `, res.stdout)
	assert.Contains(t, res.stdout, "* small sample")
}

// TestMaxGroups: a grouping with more values than -max-groups allows is an
// error that names the limit and the flag, and nothing is written.
func TestMaxGroups(t *testing.T) {
	var in strings.Builder
	for i := range 4 {
		in.WriteString(`{"conversation":"c` + string(rune('0'+i)) + `","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","dims":{"u":"v` + string(rune('0'+i)) + `"}}` + "\n")
	}
	path := filepath.Join(t.TempDir(), "report.json")
	res := runCmd(t, in.String(), "-group-by", "dim:u", "-period", "none", "-max-groups", "3", "-o", path, "-")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "limit of 3 groups")
	assert.Contains(t, res.stderr, "raise the limit with -max-groups")
	_, err := os.Stat(path)
	assert.True(t, os.IsNotExist(err), "no report written")
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Empty(t, entries, "no temporary file left")

	s := summaryOf(t, in.String(), "-group-by", "dim:u", "-period", "none", "-max-groups", "4", "-")
	assert.Len(t, s.Groups, 4)
	res = runCmd(t, "", "-max-groups", "0")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "-max-groups: 0 is not a positive number of groups")
}

// TestSurveysSentNoneAnswered is repro edge_survey_sent_only.jsonl: a
// survey sent and never answered is a response rate of 0 of 1, and no CSAT.
func TestSurveysSentNoneAnswered(t *testing.T) {
	s := summaryOf(t, `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"system","type":"survey_sent","survey":"csat"}`+"\n", "-")
	assert.Nil(t, s.Overall.CSAT)
	require.NotNil(t, s.Overall.CSATResponseRate)
	assert.Equal(t, chatkpi.RateSummary{Count: 0, Of: 1, Percent: 0, CILow: 0, CIHigh: s.Overall.CSATResponseRate.CIHigh, SmallSample: true}, *s.Overall.CSATResponseRate)
	res := runCmd(t, `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"system","type":"survey_sent","survey":"csat"}`+"\n", "-")
	assert.Contains(t, res.stdout, "CSAT response rate          0/1 (0.00 %)")
}

// TestCSVFormulaInjection is repro csv_formula_injection.jsonl: an agent
// named =HYPERLINK(...) is written as text, with a quote in front.
func TestCSVFormulaInjection(t *testing.T) {
	in := `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","agent":"=HYPERLINK(\"http://x.invalid\",\"ana\")"}` + "\n"
	res := runCmd(t, in, "-format", "csv", "-group-by", "agent", "-")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, `"'=HYPERLINK(""http://x.invalid"",""ana"")"`)
	assert.NotContains(t, res.stdout, `,"=HYPERLINK`)
}
