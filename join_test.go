package chatkpi

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jsonlReader(t testing.TB, lines ...string) EventReader {
	t.Helper()
	r, err := NewJSONLReader(strings.NewReader(strings.Join(lines, "\n")))
	require.NoError(t, err)
	return r
}

const (
	lineM1  = `{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","customer":"u1"}`
	lineM2  = `{"conversation":"c1","id":"m2","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","agent":"ana"}`
	lineM3  = `{"conversation":"c1","id":"m3","time":"2026-01-05T10:05:00Z","role":"system","type":"resolved"}`
	lineC2  = `{"conversation":"c2","id":"m1","time":"2026-01-05T10:02:00Z","role":"customer","type":"message"}`
	lineNo1 = `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","customer":"u1"}`
)

func TestJoinerDropsRedeliveredEvents(t *testing.T) {
	var j Joiner
	// The same id in another conversation (c2/m1) is another event; the
	// redelivery may repeat the conversation-level fields or leave them out,
	// and may give the time in another offset.
	again := `{"conversation":"c1","id":"m1","time":"2026-01-05T11:00:00+01:00","role":"customer","type":"message"}`
	require.NoError(t, j.Read("a.jsonl", jsonlReader(t, lineM1, lineC2, lineM2, lineM1)))
	require.NoError(t, j.Read("b.jsonl", jsonlReader(t, again, lineM2, lineM3, lineC2)))
	assert.Equal(t, 4, j.Duplicates())
	chats := slices.Collect(j.Conversations())
	require.Len(t, chats, 2)
	c1, c2 := chats[0], chats[1]
	assert.Equal(t, Info{ID: "c1", Customer: "u1"}, c1.Meta)
	require.Len(t, c1.Events, 3)
	for i, id := range []string{"m1", "m2", "m3"} {
		assert.Equal(t, id, c1.Events[i].ID)
	}
	assert.Equal(t, "Z", c1.Events[0].Time.Format("Z07:00"), "the first delivery is kept")
	require.Len(t, c2.Events, 1)
	assert.Equal(t, "m1", c2.Events[0].ID)

	// Without ids, lines are events unless DropIdentical.
	chats, err := ReadConversations(jsonlReader(t, lineNo1, lineNo1))
	require.NoError(t, err)
	assert.Len(t, chats[0].Events, 2)
	j = Joiner{DropIdentical: true}
	require.NoError(t, j.Read("", jsonlReader(t, lineNo1, lineNo1,
		// not identical: another instant, another agent
		`{"conversation":"c1","time":"2026-01-05T10:00:00.000000001Z","role":"customer","type":"message"}`,
		`{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","agent":"x"}`,
		// an id is compared by id only: this is another event
		`{"conversation":"c1","id":"x","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`,
		// identical with a value written differently, and again in the zone +02:00
		`{"conversation":"c1","time":"2026-01-05T10:09:00Z","role":"customer","type":"goal","value":"12.50","currency":"EUR"}`,
		`{"conversation":"c1","time":"2026-01-05T12:09:00+02:00","role":"customer","type":"goal","value":"12.5","currency":"EUR"}`,
	)))
	assert.Equal(t, 2, j.Duplicates())
	assert.Len(t, slices.Collect(j.Conversations())[0].Events, 5)
}

func TestJoinerRejectsTwoEventsWithOneID(t *testing.T) {
	for _, tc := range []struct {
		name, line, want string
	}{
		{"time", `{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:01Z","role":"customer","type":"message"}`,
			`time 2026-01-05T10:00:01Z here, 2026-01-05T10:00:00Z on line 1 of a.jsonl`},
		{"role", `{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"agent","type":"message"}`,
			`role agent here, customer on line 1 of a.jsonl`},
		{"type", `{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"customer","type":"left"}`,
			`type left here, message on line 1 of a.jsonl`},
		{"agent", `{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","agent":"bo"}`,
			`agent "bo" here, "" on line 1 of a.jsonl`},
		{"private", `{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","private":true}`,
			`private true here, false on line 1 of a.jsonl`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var j Joiner
			require.NoError(t, j.Read("a.jsonl", jsonlReader(t, lineM1, lineM2)))
			err := j.Read("b.jsonl", jsonlReader(t, lineM3, tc.line))
			require.ErrorIs(t, err, ErrInvalid)
			assert.EqualError(t, err, `chatkpi: line 2: conversation "c1": id: "m1" is the id of two different events: `+tc.want+
				` (a redelivery must repeat the event exactly)`)
		})
	}
	// Within one input the earlier line has no file name.
	_, err := ReadConversations(jsonlReader(t, lineM1,
		`{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"customer","type":"rating","survey":"csat","score":4}`))
	assert.EqualError(t, err, `chatkpi: line 2: conversation "c1": id: "m1" is the id of two different events: type rating here, message on line 1 (a redelivery must repeat the event exactly)`)
	// With several unnamed inputs, the input is named by its position.
	_, err = ReadConversations(jsonlReader(t, lineM1), jsonlReader(t,
		`{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","automatic":true}`))
	assert.EqualError(t, err, `chatkpi: input 2: line 1: conversation "c1": id: "m1" is the id of two different events: automatic true here, false on line 1 of input 1 (a redelivery must repeat the event exactly)`)
}

// TestJoinerJoinsConversationsAcrossInputs is the repro of
// /work/shared/repro/split_*.jsonl: one conversation in two files was two
// conversations.
func TestJoinerJoinsConversationsAcrossInputs(t *testing.T) {
	a := `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","customer":"u1"}`
	b := []string{`{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","agent":"ana"}`,
		`{"conversation":"c1","time":"2026-01-05T10:05:00Z","role":"system","type":"resolved"}`}
	whole, err := ReadConversations(jsonlReader(t, append([]string{a}, b...)...))
	require.NoError(t, err)
	split, err := ReadConversations(jsonlReader(t, a), jsonlReader(t, b...))
	require.NoError(t, err)
	assert.Equal(t, whole, split)
	require.Len(t, split, 1)
	assert.Len(t, split[0].Events, 3)
	// The second file first: sorted by time, the same conversation.
	split, err = ReadConversations(jsonlReader(t, b...), jsonlReader(t, a))
	require.NoError(t, err)
	assert.Equal(t, whole, split)

	// Conflicts across inputs name where the conversation began.
	var j Joiner
	require.NoError(t, j.Read("a.jsonl", jsonlReader(t, a)))
	err = j.Read("b.jsonl", jsonlReader(t, `{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","customer":"u2"}`))
	assert.EqualError(t, err, `chatkpi: line 1: conversation "c1": customer: "u2" conflicts with "u1" given on an earlier line of the conversation (the conversation began on line 1 of a.jsonl)`)
}

func TestJoinerGrouped(t *testing.T) {
	j := Joiner{}
	var ids []string
	var errs []error
	read := func(name string, lines ...string) {
		for c, err := range j.Grouped(name, jsonlReader(t, lines...)) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, c.Meta.ID)
			assert.NoError(t, Validate(c))
		}
	}
	// Redeliveries within a conversation are dropped.
	read("a.jsonl", lineM1, lineM2, lineM1, lineM3, lineC2)
	assert.Equal(t, []string{"c1", "c2"}, ids)
	assert.Equal(t, 1, j.Duplicates())
	assert.Empty(t, errs)
	// A conversation may not continue into the next input: c2 was closed
	// at the end of a.jsonl.
	read("b.jsonl", lineC2)
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], `chatkpi: line 1: conversation "c2": conversation: the conversation's lines are not contiguous: it came before, in this input or an earlier one, `+
		`so the input is not grouped by conversation `+
		`(ReadConversations reads interleaved lines)`)
	assert.ErrorIs(t, errs[0], ErrNotGrouped)

	// Read and Grouped do not mix.
	require.EqualError(t, j.Read("c", jsonlReader(t, lineM1)), "chatkpi: Joiner: Read and Grouped cannot be mixed on one Joiner")
	var k Joiner
	require.NoError(t, k.Read("", jsonlReader(t, lineM1)))
	for _, err := range k.Grouped("", jsonlReader(t, lineM1)) {
		require.EqualError(t, err, "chatkpi: Joiner: Read and Grouped cannot be mixed on one Joiner")
	}
	k.Conversations()
	require.EqualError(t, k.Read("", jsonlReader(t, lineM1)), "chatkpi: Joiner: reading after Conversations")

	// Conversations over several inputs: the same file twice is caught at
	// its first line.
	var last error
	n := 0
	for _, err := range Conversations(jsonlReader(t, lineM1, lineM2), jsonlReader(t, lineM1, lineM2)) {
		if err != nil {
			last = err
		} else {
			n++
		}
	}
	assert.Equal(t, 1, n)
	require.ErrorIs(t, last, ErrInvalid)
	assert.Regexp(t, `^chatkpi: input 2: line 1: conversation "c1": conversation: the conversation's lines are not contiguous`, last.Error())
}

func TestIDField(t *testing.T) {
	recs, err := readAllJSONL(t, `{"conversation":"c1","id":"m\u00e9 1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`+"\n"+
		`{"conversation":"c1","id":"","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`+"\n"+
		`{"conversation":"c1","id":null,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`)
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assert.Equal(t, "mé 1", recs[0].Event.ID)
	assert.Equal(t, "", recs[1].Event.ID, "an empty id is no id")
	assert.Equal(t, "", recs[2].Event.ID)
	// A JSON integer is kept as its digits: 17 and "17" are one id.
	recs, err = readAllJSONL(t, `{"conversation":"c1","id":17,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`+"\n"+
		`{"conversation":"c1","id":-0,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`)
	require.NoError(t, err)
	assert.Equal(t, "17", recs[0].Event.ID)
	assert.Equal(t, "-0", recs[1].Event.ID)
	_, n, err := readJoined(t, `{"conversation":"c1","id":17,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`,
		`{"conversation":"c1","id":"17","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`)
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	for line, want := range map[string]string{
		`{"conversation":"c1","id":1.5,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`:    `chatkpi: line 1: conversation "c1": id: "1.5" is not an integer`,
		`{"conversation":"c1","id":1e2,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`:    `chatkpi: line 1: conversation "c1": id: "1e2" is not an integer`,
		`{"conversation":"c1","id":-,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`:      `chatkpi: line 1: conversation "c1": id: invalid JSON at column 28: expected a number, found ','`,
		`{"conversation":"c1","id":true,"time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`:   `chatkpi: line 1: conversation "c1": id: invalid JSON at column 27: expected a string or null, found 't'`,
		`{"conversation":"c1","id":"a","id":"b","time":"2026-01-05T10:00:00Z","role":"customer","type":"x"}`: `chatkpi: line 1: conversation "c1": id: given twice`,
	} {
		_, err := readAllJSONL(t, line)
		assert.EqualError(t, err, want, line)
	}

	crecs, err := readAllCSV(t, "conversation,id,time,role,type\nc1,m1,2026-01-05T10:00:00Z,customer,message\nc1,,2026-01-05T10:00:00Z,customer,message\n")
	require.NoError(t, err)
	require.Len(t, crecs, 2)
	assert.Equal(t, "m1", crecs[0].Event.ID)
	assert.Equal(t, "", crecs[1].Event.ID)

	// Both writers write the id back.
	c := &Chat{Meta: Info{ID: "c1"}, Events: []Event{
		{Time: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), Role: Customer, Type: Message, ID: `m"1`},
		{Time: time.Date(2026, 1, 5, 10, 1, 0, 0, time.UTC), Role: Customer, Type: Goal, Value: decimal.New(5, 0), Currency: "EUR"},
	}}
	var jb, cb bytes.Buffer
	jw := NewJSONLWriter(&jb)
	require.NoError(t, jw.WriteConversation(c))
	require.NoError(t, jw.Flush())
	assert.Equal(t, `{"conversation":"c1","id":"m\"1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`+"\n"+
		`{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"customer","type":"goal","value":"5","currency":"EUR"}`+"\n", jb.String())
	cw, err := NewCSVWriter(&cb, nil)
	require.NoError(t, err)
	require.NoError(t, cw.WriteConversation(c))
	require.NoError(t, cw.Flush())
	for _, r := range []func() (EventReader, error){
		func() (EventReader, error) { return NewJSONLReader(bytes.NewReader(jb.Bytes())) },
		func() (EventReader, error) { return NewCSVReader(bytes.NewReader(cb.Bytes())) },
	} {
		rd, err := r()
		require.NoError(t, err)
		back, err := ReadConversations(rd)
		require.NoError(t, err)
		require.Len(t, back, 1)
		assert.Equal(t, `m"1`, back[0].Events[0].ID)
		assert.Equal(t, "", back[0].Events[1].ID)
	}
	bad := &Chat{Meta: Info{ID: "c1"}, Events: []Event{{Time: c.Events[0].Time, Role: Customer, Type: Message, ID: "a\r\nb"}}}
	assert.EqualError(t, cw.WriteConversation(bad), `chatkpi: conversation "c1": event 0: id: contains "\r\n", which CSV reads back as "\n"`)
	bad.Events[0].ID = "\xff"
	assert.EqualError(t, jw.WriteConversation(bad), `chatkpi: conversation "c1": event 0: id: not valid UTF-8`)
}

// readJoined reads lines with a Joiner: the conversations and duplicates.
func readJoined(t *testing.T, lines ...string) ([]*Chat, int, error) {
	var j Joiner
	if err := j.Read("", jsonlReader(t, lines...)); err != nil {
		return nil, 0, err
	}
	return slices.Collect(j.Conversations()), j.Duplicates(), nil
}

func TestReadConversationsStillReadsOneInput(t *testing.T) {
	chats, err := ReadConversations(jsonlReader(t))
	require.NoError(t, err)
	assert.Empty(t, chats)
	chats, err = ReadConversations()
	require.NoError(t, err)
	assert.Empty(t, chats)
	_, err = ReadConversations(brokenReader{})
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

type brokenReader struct{}

func (brokenReader) Next() (Record, error) { return Record{}, io.ErrUnexpectedEOF }

// TestJoinerLine: the Joiner names the input and line of each event it
// returns, after sorting by time and dropping redeliveries, in both modes.
func TestJoinerLine(t *testing.T) {
	type at struct {
		input string
		line  int
	}
	lineOf := func(j *Joiner, c *Chat, i int) at {
		in, line, ok := j.Line(c, i)
		require.True(t, ok, "event %d", i)
		return at{in, line}
	}
	// a.jsonl: m3 (line 1), c2 (2), m1 (3, blank line 4), m1 again (5);
	// b.jsonl: m2 (1). Interleaved: the events are ordered by conversation
	// before they are yielded.
	var j Joiner
	require.NoError(t, j.Read("a.jsonl", jsonlReader(t, lineM3, lineC2, lineM1, "", lineM1)))
	require.NoError(t, j.Read("b.jsonl", jsonlReader(t, lineM2)))
	var chats []*Chat
	var lines [][]at
	for c := range j.Conversations() {
		chats = append(chats, c)
		var ls []at
		for i := -1; i < len(c.Events); i++ {
			ls = append(ls, lineOf(&j, c, i))
		}
		lines = append(lines, ls)
		for _, i := range []int{-2, len(c.Events)} {
			_, _, ok := j.Line(c, i)
			assert.False(t, ok, "event %d", i)
		}
	}
	require.Len(t, chats, 2)
	c1 := chats[0]
	require.Equal(t, []string{"m1", "m2", "m3"}, []string{c1.Events[0].ID, c1.Events[1].ID, c1.Events[2].ID})
	assert.Equal(t, []at{{"a.jsonl", 1}, {"a.jsonl", 3}, {"b.jsonl", 1}, {"a.jsonl", 1}}, lines[0], "the first line read, then each event's")
	assert.Equal(t, []at{{"a.jsonl", 2}, {"a.jsonl", 2}}, lines[1])
	_, _, ok := j.Line(c1, 0)
	assert.False(t, ok, "a conversation yielded before the last")
	_, _, ok = j.Line(&Chat{Meta: Info{ID: "c2"}, Events: chats[1].Events}, 0)
	assert.False(t, ok, "a conversation the Joiner did not return")

	// Grouped: the conversation yielded last; its events sorted.
	var g Joiner
	var got []at
	for c, err := range g.Grouped("g.jsonl", jsonlReader(t, lineM2, lineM1, lineC2)) {
		require.NoError(t, err)
		for i := -1; i < len(c.Events); i++ {
			got = append(got, lineOf(&g, c, i))
		}
	}
	assert.Equal(t, []at{{"g.jsonl", 1}, {"g.jsonl", 2}, {"g.jsonl", 1}, {"g.jsonl", 3}, {"g.jsonl", 3}}, got)
}
