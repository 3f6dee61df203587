package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// dataDir is the data set seen from this directory, where go test runs.
const dataDir = "../../datasets/twitter/testdata"

func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "twitter.jsonl")
	var buf bytes.Buffer
	require.NoError(t, run(&buf, dataDir, out))
	got := buf.String()
	// Figures computed independently with pandas and DuckDB
	// (/work/shared/data/README.md).
	for _, want := range []string{
		"conversations: 1025\n",
		"first response time: 1025 answered, 0 unanswered",
		"  exact:     p50 7481.521 s, p90 200074.2038 s, mean 125913.8175 s\n",
		"mean 125913.8175 s; guarantee: within 1.00 %\n",
		"outcomes: 1025 engaged of 1025; unengaged 0 escalated 0 resolved_by_bot 0 resolved_by_agent 0 abandoned 1025\n",
		"  note: the export has no handoff or resolution events",
		"wrote 1025 conversations to " + out + "\n",
	} {
		require.Contains(t, got, want)
	}

	// The file reads back into the same conversations: same FRT.
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	r, err := chatkpi.NewJSONLReader(f)
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	require.Len(t, chats, 1025)
	var frt chatkpi.FirstResponseTime
	for _, c := range chats {
		require.NoError(t, frt.AddConversation(c))
	}
	res, err := frt.Result()
	require.NoError(t, err)
	require.EqualValues(t, 1025, res.Answered)
	p50, _ := res.Stats.Quantile(0.5)
	require.Equal(t, "7481.521", chatkpi.FormatFloat(p50.Seconds(), 3))
	require.Equal(t, "125913.8175", chatkpi.FormatFloat(res.Stats.Mean.Seconds(), 4))
}

func TestRunStreamingWithinGuarantee(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf, dataDir, ""))
	line := ""
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(l, "  streaming:") {
			line = l
		}
	}
	require.NotEmpty(t, line)
	// Both printed errors are below the 1 % guarantee.
	for _, f := range strings.Split(line, "(error ")[1:] {
		pc, err := strconv.ParseFloat(f[:strings.Index(f, " %")], 64)
		require.NoError(t, err)
		require.Less(t, pc, 1.0, line)
	}
	require.NotContains(t, buf.String(), "wrote")
}

func TestRunMissingData(t *testing.T) {
	err := run(&bytes.Buffer{}, t.TempDir(), "")
	require.ErrorIs(t, err, os.ErrNotExist)
}
