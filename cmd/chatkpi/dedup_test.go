package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleWithIDs is the embedded sample with an id on every event, as the
// lines of a JSON Lines file.
func sampleWithIDs(t *testing.T) []string {
	t.Helper()
	r, err := chatkpi.NewJSONLReader(bytes.NewReader(twitterData))
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	var buf bytes.Buffer
	w := chatkpi.NewJSONLWriter(&buf)
	for _, c := range chats {
		for i := range c.Events {
			c.Events[i].ID = fmt.Sprintf("%s-%d", c.Meta.ID, i)
		}
		require.NoError(t, w.WriteConversation(c))
	}
	require.NoError(t, w.Flush())
	lines := strings.SplitAfter(buf.String(), "\n")
	return lines[:len(lines)-1] // after the last "\n"
}

// TestReadTwiceIsReadOnce: `cat f f | chatkpi -` and two overlapping daily
// exports give the report of reading each event once, and say how many
// lines were dropped.
func TestReadTwiceIsReadOnce(t *testing.T) {
	lines := sampleWithIDs(t)
	all := strings.Join(lines, "")
	path := writeFile(t, "events.jsonl", all)
	once := summaryOf(t, "", path)
	assert.Equal(t, int64(0), once.DuplicatesDropped)
	assert.Equal(t, summaryOf(t, "").Overall, once.Overall, "the ids change nothing")

	res := runCmd(t, all+all, "-format", "json", "-")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Equal(t, fmt.Sprintf("chatkpi: dropped %d duplicate lines (the same conversation and event id as an earlier line)\n", len(lines)), res.stderr)
	twice := summaryOf(t, all+all, "-")
	assert.Equal(t, int64(len(lines)), twice.DuplicatesDropped)
	twice.DuplicatesDropped = 0
	assert.Equal(t, once, twice)

	// Two exports that overlap by a fifth of the lines, cutting conversations.
	a := writeFile(t, "day1.jsonl", strings.Join(lines[:len(lines)*3/5], ""))
	b := writeFile(t, "day2.jsonl", strings.Join(lines[len(lines)*2/5:], ""))
	overlap := summaryOf(t, "", a, b)
	assert.Equal(t, int64(len(lines)*3/5-len(lines)*2/5), overlap.DuplicatesDropped)
	overlap.DuplicatesDropped = 0
	assert.Equal(t, once, overlap)
	// The table says it too.
	assert.Contains(t, runCmd(t, "", a, b).stdout, fmt.Sprintf("; %d duplicate lines dropped\n", len(lines)*3/5-len(lines)*2/5))

	// -grouped holds one conversation at a time: the second copy is an error
	// at its first line.
	res = runCmd(t, "", "-grouped", path, path)
	assert.Equal(t, 1, res.code)
	assert.Regexp(t, `^chatkpi: .*events\.jsonl: line 1: conversation "[^"]+": conversation: the conversation's lines are not contiguous`, res.stderr)
}

// TestDropIdentical: without ids, the sample read twice is the sample read
// once only with -drop-identical.
func TestDropIdentical(t *testing.T) {
	s := string(twitterData)
	want := summaryOf(t, "", "-drop-identical")
	got := summaryOf(t, s+s, "-drop-identical", "-")
	assert.Equal(t, want.DuplicatesDropped+int64(strings.Count(s, "\n")), got.DuplicatesDropped)
	assert.Equal(t, want.Overall, got.Overall)

	// The sample itself has two customer messages of one conversation in the
	// same second, equal in every field (tweets' times have a resolution of
	// seconds): that is why the setting is not the default.
	plain := summaryOf(t, "")
	assert.Equal(t, int64(1), want.DuplicatesDropped)
	assert.Equal(t, plain.Overall.Messages-1, want.Overall.Messages)
	doubled := summaryOf(t, s+s, "-")
	assert.Equal(t, 2*plain.Overall.Messages, doubled.Overall.Messages, "without ids and without -drop-identical every line is an event")
	res := runCmd(t, s+s, "-drop-identical", "-")
	assert.Contains(t, res.stderr, "duplicate lines (the same conversation and event id as an earlier line; with -drop-identical, or the same event without an id)")
}

// TestConversationAcrossFiles is the repro split_a.jsonl + split_b.jsonl
// against split_whole.jsonl: a chat that crosses midnight in daily exports
// was counted as two conversations.
func TestConversationAcrossFiles(t *testing.T) {
	lines := []string{
		`{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","customer":"u1"}` + "\n",
		`{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","agent":"ana"}` + "\n",
		`{"conversation":"c1","time":"2026-01-05T10:05:00Z","role":"system","type":"resolved"}` + "\n",
	}
	whole := runCmd(t, "", "-format", "json", writeFile(t, "split_whole.jsonl", strings.Join(lines, "")))
	require.Equal(t, 0, whole.code, whole.stderr)
	a := writeFile(t, "split_a.jsonl", lines[0])
	b := writeFile(t, "split_b.jsonl", lines[1]+lines[2])
	split := runCmd(t, "", "-format", "json", a, b)
	require.Equal(t, 0, split.code, split.stderr)
	assert.Equal(t, whole.stdout, split.stdout)
	s := summaryOf(t, "", b, a)
	assert.Equal(t, int64(1), s.Overall.Conversations)
	require.NotNil(t, s.Overall.FirstResponseTime)
	assert.Equal(t, 60.0, *s.Overall.FirstResponseTime.P50Seconds)

	// A conflict names both files.
	c := writeFile(t, "split_c.jsonl", `{"conversation":"c1","time":"2026-01-05T10:02:00Z","role":"customer","type":"message","customer":"u2"}`+"\n")
	res := runCmd(t, "", a, c)
	assert.Equal(t, 1, res.code)
	assert.Regexp(t, `split_c\.jsonl: line 1: conversation "c1": customer: "u2" conflicts with "u1" given on an earlier line of the conversation \(the conversation began on line 1 of .*split_a\.jsonl\)`, res.stderr)

	// Two events with one id, in two files.
	d := writeFile(t, "d.jsonl", `{"conversation":"c1","id":"m1","time":"2026-01-05T10:02:00Z","role":"customer","type":"message"}`+"\n")
	e := writeFile(t, "e.jsonl", "\n"+`{"conversation":"c1","id":"m1","time":"2026-01-05T10:03:00Z","role":"customer","type":"message"}`+"\n")
	res = runCmd(t, "", d, e)
	assert.Equal(t, 1, res.code)
	assert.Regexp(t, `e\.jsonl: line 2: conversation "c1": id: "m1" is the id of two different events: time 2026-01-05T10:03:00Z here, 2026-01-05T10:02:00Z on line 1 of .*d\.jsonl`, res.stderr)
}
