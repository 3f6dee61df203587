package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twitterReplies reads the embedded Twitter sample's own timestamps: per
// conversation, the first customer message and the first agent message
// after it (the sample has no bots and no outbound conversations).
func twitterReplies(t *testing.T) map[string]*replyTimes {
	f, err := os.Open(filepath.Join("data", "twitter-customer-care.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	want := map[string]*replyTimes{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Conversation, Role, Type string
			Time                     time.Time
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line))
		c := want[line.Conversation]
		if c == nil {
			c = &replyTimes{}
			want[line.Conversation] = c
		}
		switch {
		case line.Type != "message":
		case line.Role == "customer" && (c.customer.IsZero() || line.Time.Before(c.customer)):
			c.customer = line.Time
		case line.Role == "agent" && !c.customer.IsZero() && !line.Time.Before(c.customer) && (c.reply.IsZero() || line.Time.Before(c.reply)):
			c.reply = line.Time
		}
	}
	require.NoError(t, sc.Err())
	return want
}

type replyTimes struct{ customer, reply time.Time }

// -format conversations on the embedded Twitter sample: one row per
// conversation, and each frt_seconds equals the first response time
// computed here from the data's own timestamps.
func TestExportTwitterFRT(t *testing.T) {
	want := twitterReplies(t)

	res := runCmd(t, "", "-format", "conversations")
	require.Equal(t, 0, res.code, res.stderr)
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	head := map[string]int{}
	for i, h := range recs[0] {
		head[h] = i
	}
	require.Len(t, recs, 1+1025)
	require.Len(t, want, 1025)
	answered := 0
	for _, r := range recs[1:] {
		c := want[r[head["id"]]]
		require.NotNil(t, c, r[head["id"]])
		if c.reply.IsZero() {
			assert.Equal(t, "unanswered", r[head["frt_status"]])
			assert.Empty(t, r[head["frt_seconds"]])
			continue
		}
		answered++
		got, err := strconv.ParseFloat(r[head["frt_seconds"]], 64)
		require.NoError(t, err)
		assert.Equal(t, c.reply.Sub(c.customer).Seconds(), got, r[head["id"]])
		assert.Equal(t, "answered", r[head["frt_status"]])
	}
	assert.Equal(t, 1025, answered, "every conversation of the sample was answered (the summary's count)")
	// The figures computed independently from the raw IBM files
	// (/work/shared/data/README.md: pandas and DuckDB): mean 125,913.8175 s,
	// p50 7,481.521 s with linear interpolation between closest ranks.
	var frts []float64
	sum := 0.0
	for _, r := range recs[1:] {
		x, err := strconv.ParseFloat(r[head["frt_seconds"]], 64)
		require.NoError(t, err)
		frts, sum = append(frts, x), sum+x
	}
	slices.Sort(frts)
	assert.InDelta(t, 125913.8175, sum/float64(len(frts)), 1e-4)
	h := 0.5 * float64(len(frts)-1)
	lo := int(h)
	assert.InDelta(t, 7481.521, frts[lo]+(h-float64(lo))*(frts[lo+1]-frts[lo]), 1e-9)

	// JSON Lines: the same measures, one object per line, in the same order.
	res = runCmd(t, "", "-format", "conversations-jsonl")
	require.Equal(t, 0, res.code, res.stderr)
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	require.Len(t, lines, 1025)
	for i, l := range lines {
		var obj struct {
			ID  string   `json:"id"`
			FRT *float64 `json:"frt_seconds"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &obj))
		assert.Equal(t, recs[1+i][head["id"]], obj.ID)
		require.NotNil(t, obj.FRT)
		assert.Equal(t, recs[1+i][head["frt_seconds"]], strconv.FormatFloat(*obj.FRT, 'f', -1, 64))
	}
}

// The export takes the report's flags (-frt-human-only, -metrics, -tz),
// its input errors and -o.
func TestExportFlags(t *testing.T) {
	res := runCmd(t, handoffEvents, "-format", "conversations", "-")
	require.Equal(t, 0, res.code, res.stderr)
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2)
	row := map[string]string{}
	for i, h := range recs[0] {
		row[h] = recs[1][i]
	}
	assert.Equal(t, "5", row["frt_seconds"], "the bot's reply")
	assert.Equal(t, "42", row["human_frt_seconds"], "from the handoff")
	assert.Equal(t, "5", row["bot_frt_seconds"])
	assert.Equal(t, "human", row["handler"])
	assert.Equal(t, "escalated", row["outcome"])

	res = runCmd(t, handoffEvents, "-format", "conversations", "-frt-human-only", "-metrics", "first_response_time", "-")
	require.Equal(t, 0, res.code, res.stderr)
	recs, err = csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	for i, h := range recs[0] {
		row[h] = recs[1][i]
	}
	assert.Equal(t, "62", row["frt_seconds"], "-frt-human-only: the agent's reply, from the first customer message")
	assert.Empty(t, row["outcome"], "not among -metrics")
	assert.Empty(t, row["human_frt_status"], "not among -metrics")

	res = runCmd(t, "", "-format", "conversations", "-")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "no conversations in the input")

	bad := `{"conversation":"x","time":"2026-11-23T09:00:00Z","role":"customer","type":"rating","survey":"csat","score":9}` + "\n"
	res = runCmd(t, bad, "-format", "conversations", "-")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "line 1")
	res = runCmd(t, bad+strings.ReplaceAll(handoffEvents, `"conversation":"h1"`, `"conversation":"h2"`), "-format", "conversations", "-skip-invalid", "-")
	assert.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stderr, "skipped")

	out := filepath.Join(t.TempDir(), "conversations.jsonl")
	res = runCmd(t, handoffEvents, "-format", "conversations-jsonl", "-o", out, "-")
	require.Equal(t, 0, res.code, res.stderr)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, 1, bytes.Count(data, []byte("\n")))
}

// -buckets and -sla on the Twitter sample: the histogram counts and the
// attainment equal those counted here from the data's own timestamps.
func TestBucketsAndSLAOnTwitter(t *testing.T) {
	bounds := []time.Duration{30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour}
	want := make([]int64, len(bounds)+1)
	var within int64
	for _, c := range twitterReplies(t) {
		d := c.reply.Sub(c.customer)
		i := 0
		for i < len(bounds) && bounds[i] <= d {
			i++
		}
		want[i]++
		if d <= time.Minute {
			within++
		}
	}
	s := summaryOf(t, "", "-period", "none", "-buckets", "30s,1m,5m,15m,1h,4h,24h", "-sla", "frt=60s,resolution=24h")
	frt := s.Overall.FirstResponseTime
	require.Len(t, frt.Histogram, len(want))
	for i, b := range frt.Histogram {
		assert.Equal(t, want[i], b.Count, b.Label)
	}
	assert.Equal(t, "24h+", frt.Histogram[len(want)-1].Label)
	require.Len(t, frt.SLA, 1)
	assert.Equal(t, 60.0, frt.SLA[0].TargetSeconds)
	assert.Equal(t, within, frt.SLA[0].Count)
	assert.Equal(t, int64(1025), frt.SLA[0].Of)
	assert.Empty(t, s.Overall.ResponseTime.SLA, "-sla names frt and resolution only")
	assert.Len(t, s.Overall.ChatDuration.Histogram, len(want), "-buckets without a name: every metric")
}
