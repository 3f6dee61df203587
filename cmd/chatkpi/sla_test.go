package main

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The first-reply clock of -sla-policy is the first response time's: on the
// embedded sample, its met count is the -sla attainment of the same
// target, and every answered conversation is decided.
func TestSLAPolicyFlag(t *testing.T) {
	policy := writeFile(t, "policy.json", `{"targets": [{"metric": "first_reply", "target": "2h"},
		{"metric": "next_reply", "target": "1h"}]}`)
	s := summaryOf(t, "", "-sla-policy", policy, "-sla", "first_response_time=2h", "-period", "none")
	require.NotNil(t, s.Overall.SLAPolicy)
	first := s.Overall.SLAPolicy.FirstReply
	require.NotNil(t, first)
	frt := s.Overall.FirstResponseTime
	require.Len(t, frt.SLA, 1)
	assert.Equal(t, frt.SLA[0].Count, first.Met)
	assert.Equal(t, frt.Count, first.Met+first.Breached)
	assert.Equal(t, int64(0), first.Running)
	assert.Equal(t, frt.SLA[0].Percent, first.Attainment.Percent)

	res := runCmd(t, "", "-sla-policy", policy, "-period", "none")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "SLA first_reply")
	assert.Contains(t, res.stdout, "SLA next_reply")

	// The tidy CSV has a row per figure.
	res = runCmd(t, "", "-sla-policy", policy, "-period", "none", "-format", "csv")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, fmt.Sprintf("overall,,,sla_policy,first_reply.met,%d,", first.Met))
	assert.Contains(t, res.stdout, fmt.Sprintf("overall,,,sla_policy,first_reply.breached,%d,", first.Breached))

	// Errors name the flag and the file.
	res = runCmd(t, "", "-sla-policy", writeFile(t, "bad.json", `{"targets": [{"metric": "speed", "target": "1h"}]}`))
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "-sla-policy")
	assert.Contains(t, res.stderr, "targets[0].metric")
	// A business-hours target without -calendar.
	res = runCmd(t, "", "-sla-policy", writeFile(t, "biz.json", `{"targets": [{"metric": "resolution", "target": "27h", "business_hours": true}]}`))
	assert.NotEqual(t, 0, res.code)
	assert.Contains(t, res.stderr, "-calendar")
}

// The per-conversation export carries each conversation's SLA verdicts,
// and they add up to the summary's.
func TestSLAPolicyExport(t *testing.T) {
	policy := writeFile(t, "policy.json", `{"targets": [{"metric": "first_reply", "target": "2h"}]}`)
	s := summaryOf(t, "", "-sla-policy", policy, "-period", "none")
	res := runCmd(t, "", "-sla-policy", policy, "-format", "conversations")
	require.Equal(t, 0, res.code, res.stderr)
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	counts := map[string]int64{}
	for _, r := range recs[1:] {
		counts[r[col["first_reply_sla"]]]++
		if r[col["first_reply_sla"]] == "breached" {
			at, err := time.Parse(time.RFC3339Nano, r[col["first_reply_breach"]])
			require.NoError(t, err)
			start, err := time.Parse(time.RFC3339Nano, r[col["start"]])
			require.NoError(t, err)
			require.False(t, at.Before(start))
		} else {
			require.Empty(t, r[col["first_reply_breach"]])
		}
		require.Empty(t, r[col["resolution_sla"]])
	}
	f := s.Overall.SLAPolicy.FirstReply
	assert.Equal(t, map[string]int64{"met": f.Met, "breached": f.Breached}, counts)
}
