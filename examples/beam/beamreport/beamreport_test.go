package beamreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/examples/beam/beamreport"
	"github.com/stretchr/testify/require"
)

const twitterFile = "../../../cmd/chatkpi/data/twitter-customer-care.jsonl"

func TestMain(m *testing.M) {
	beam.Init()
	os.Exit(m.Run())
}

// runPipeline runs the Beam report over glob on the prism runner and returns
// the JSON it wrote.
func runPipeline(t *testing.T, glob string, c chatkpi.ReportCombiner) (string, error) {
	t.Helper()
	glob, err := filepath.Abs(glob)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "summary.json")
	p, s := beam.NewPipelineWithRoot()
	summary, err := beamreport.Report(s, glob, c)
	require.NoError(t, err)
	textio.Write(s, out, summary)
	if _, err := prism.Execute(context.Background(), p); err != nil {
		return "", err
	}
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	return strings.TrimSuffix(string(b), "\n"), nil
}

func runPerKey(t *testing.T, glob, by string, c chatkpi.ReportCombiner) []string {
	t.Helper()
	glob, err := filepath.Abs(glob)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "summaries.jsonl")
	p, s := beam.NewPipelineWithRoot()
	summaries, err := beamreport.ReportPerKey(s, glob, by, c)
	require.NoError(t, err)
	textio.Write(s, out, summaries)
	_, err = prism.Execute(context.Background(), p)
	require.NoError(t, err)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// singleProcess computes the same report in one process, from the files in
// path order read as one file.
func singleProcess(t *testing.T, c chatkpi.ReportCombiner, paths ...string) string {
	t.Helper()
	var text strings.Builder
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		text.Write(b)
		if len(b) > 0 && b[len(b)-1] != '\n' {
			text.WriteByte('\n')
		}
	}
	r, err := chatkpi.NewJSONLReader(strings.NewReader(text.String()))
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	set, err := c.Settings()
	require.NoError(t, err)
	rep, err := chatkpi.NewReport(set)
	require.NoError(t, err)
	for _, ch := range chats {
		require.NoError(t, rep.AddConversation(ch))
	}
	sum, err := rep.Summary()
	require.NoError(t, err)
	b, err := json.Marshal(sum)
	require.NoError(t, err)
	return string(b)
}

func TestReportTwitterEqualsSingleProcess(t *testing.T) {
	for name, c := range map[string]chatkpi.ReportCombiner{
		"total":           {},
		"month and agent": {Period: "month", GroupBy: []string{"agent"}},
		"streaming": {FirstResponse: chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Streaming: true}},
			ResponseTime: chatkpi.ResponseTimeSettings{Durations: chatkpi.DurationsSettings{Streaming: true}}},
		"human FRT from the handoff": {FirstResponse: chatkpi.FirstResponseSettings{Start: chatkpi.FromHandoff, HumanOnly: true}},
	} {
		t.Run(name, func(t *testing.T) {
			want := singleProcess(t, c, twitterFile)
			got, err := runPipeline(t, twitterFile, c)
			require.NoError(t, err)
			require.Equal(t, want, got)
			var sum chatkpi.Summary
			require.NoError(t, json.Unmarshal([]byte(got), &sum))
			require.EqualValues(t, 1025, sum.Overall.Conversations)
			require.EqualValues(t, 2350, sum.Overall.Messages)
			if c.Period != "" {
				require.Greater(t, len(sum.Groups), 1)
			}
		})
	}
}

// One report per brand (the source of the Twitter sample) equals the
// single-process report over that brand's conversations.
func TestReportPerKeyTwitterEqualsSingleProcess(t *testing.T) {
	r, err := chatkpi.NewJSONLReader(bytes.NewReader(readFile(t, twitterFile)))
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	c := chatkpi.ReportCombiner{Period: "month"}
	want := map[string]string{}
	reports := map[string]*chatkpi.Report{}
	for _, ch := range chats {
		rep := reports[ch.Meta.Source]
		if rep == nil {
			set, err := c.Settings()
			require.NoError(t, err)
			rep, err = chatkpi.NewReport(set)
			require.NoError(t, err)
			reports[ch.Meta.Source] = rep
		}
		require.NoError(t, rep.AddConversation(ch))
	}
	for k, rep := range reports {
		sum, err := rep.Summary()
		require.NoError(t, err)
		b, err := json.Marshal(beamreport.KeyedSummary{Key: k, Summary: sum})
		require.NoError(t, err)
		want[k] = string(b)
	}
	require.Greater(t, len(want), 10)

	got := map[string]string{}
	for _, line := range runPerKey(t, twitterFile, "source", c) {
		var ks beamreport.KeyedSummary
		require.NoError(t, json.Unmarshal([]byte(line), &ks))
		require.NotContains(t, got, ks.Key)
		got[ks.Key] = line
	}
	require.Equal(t, want, got)
}

func TestReportPerKeyInvalidKey(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	_, err := beamreport.ReportPerKey(s, twitterFile, "agent", chatkpi.ReportCombiner{})
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// Lines of one conversation spread over two files, with equal times and
// conversation-level fields on later lines, must group exactly as
// ReadConversations groups the files read one after the other.
func TestReportSeveralFilesEqualsSingleProcess(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.jsonl")
	b := filepath.Join(dir, "b.jsonl")
	require.NoError(t, os.WriteFile(a, []byte(strings.Join([]string{
		`{"conversation":"c1","time":"2024-05-01T09:00:00Z","role":"customer","type":"message"}`,
		``,
		`{"conversation":"c2","time":"2024-05-01T10:00:00Z","role":"customer","type":"message","channel":"web"}`,
		`{"conversation":"c1","time":"2024-05-01T09:00:30Z","role":"agent","type":"message","agent":"ann"}`,
		`{"conversation":"c3","time":"2024-05-01T11:00:00Z","role":"customer","type":"message"}`,
		`{"conversation":"c3","time":"2024-05-01T11:01:00Z","role":"agent","type":"message","agent":"ann"}`,
		`{"conversation":"c3","time":"2024-05-01T11:02:00Z","role":"agent","type":"resolved","agent":"ann"}`,
		`{"conversation":"c3","time":"2024-05-01T11:02:00Z","role":"customer","type":"reopened"}`,
		`{"conversation":"c3","time":"2024-05-01T11:02:00Z","role":"customer","type":"message"}`,
	}, "\n")+"\n"), 0o600))
	require.NoError(t, os.WriteFile(b, []byte(strings.Join([]string{
		`{"conversation":"c2","time":"2024-05-01T10:02:00Z","role":"agent","type":"message","agent":"bob","channel":"web"}`,
		`{"conversation":"c1","time":"2024-05-01T09:00:30Z","role":"agent","type":"resolved","agent":"ann","channel":"chat"}`,
		`{"conversation":"c2","time":"2024-06-03T10:00:00Z","role":"customer","type":"message"}`,
		`{"conversation":"c3","time":"2024-05-01T11:02:00Z","role":"agent","type":"message","agent":"bob"}`,
		`{"conversation":"c3","time":"2024-05-01T11:09:00Z","role":"agent","type":"resolved","agent":"bob"}`,
	}, "\n")+"\n"), 0o600))
	for _, c := range []chatkpi.ReportCombiner{{}, {Period: "month", GroupBy: []string{"agent"}}} {
		want := singleProcess(t, c, a, b)
		got, err := runPipeline(t, filepath.Join(dir, "*.jsonl"), c)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
}

func TestReportBadLineFailsPipeline(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte(
		`{"conversation":"c1","time":"2024-05-01T09:00:00Z","role":"customer","type":"message"}`+"\n"+
			`{"conversation":"c1","time":"2024-05-01T09:01:00Z","role":"wizard","type":"message"}`+"\n"), 0o600))
	_, err := runPipeline(t, bad, chatkpi.ReportCombiner{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "bad.jsonl: chatkpi: line 2: ")
	require.Contains(t, err.Error(), "wizard")
}

func TestReportConflictFailsPipeline(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "conflict.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte(
		`{"conversation":"c1","time":"2024-05-01T09:00:00Z","role":"customer","type":"message","channel":"web"}`+"\n"+
			`{"conversation":"c9","time":"2024-05-01T09:00:00Z","role":"customer","type":"message"}`+"\n"+
			`{"conversation":"c1","time":"2024-05-01T09:01:00Z","role":"agent","type":"message","channel":"sms"}`+"\n"), 0o600))
	_, err := runPipeline(t, bad, chatkpi.ReportCombiner{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "conflict.jsonl: chatkpi: line 3: ")
	require.Contains(t, err.Error(), "channel")
}

func TestReportInvalidSettings(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	_, err := beamreport.Report(s, twitterFile, chatkpi.ReportCombiner{Period: "fortnight"})
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
}

// An input without conversations has no report, as in one process.
func TestReportNoConversationsFailsPipeline(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "blank.jsonl")
	require.NoError(t, os.WriteFile(empty, []byte("\n  \n"), 0o600))
	_, err := runPipeline(t, empty, chatkpi.ReportCombiner{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "no conversations in the input: "+chatkpi.ErrNoData.Error())

	out := filepath.Join(t.TempDir(), "summaries.jsonl")
	p, s := beam.NewPipelineWithRoot()
	summaries, err := beamreport.ReportPerKey(s, empty, "source", chatkpi.ReportCombiner{})
	require.NoError(t, err)
	textio.Write(s, out, summaries)
	_, err = prism.Execute(context.Background(), p)
	require.Error(t, err)
	require.Contains(t, err.Error(), "no conversations in the input: "+chatkpi.ErrNoData.Error())
}

func TestReportLongLineFailsPipeline(t *testing.T) {
	long := filepath.Join(t.TempDir(), "long.jsonl")
	line := `{"conversation":"c1","time":"2024-05-01T09:00:00Z","role":"customer","type":"message"}` + "\n"
	pad := `{"conversation":"` + strings.Repeat("x", chatkpi.DefaultMaxLineSize) + `"}` + "\n"
	require.NoError(t, os.WriteFile(long, []byte(line+pad), 0o600))
	_, err := runPipeline(t, long, chatkpi.ReportCombiner{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "long.jsonl: line 2: longer than 1048576 bytes")
}
