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
	"pgregory.net/rapid"
)

func TestReadConversationsGroupsMergesAndSorts(t *testing.T) {
	in := strings.Join([]string{
		`{"conversation":"a","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","channel":"chat"}`,
		`{"conversation":"b","time":"2024-05-01T09:00:00Z","role":"customer","type":"message","dims":{"greeting":"A"}}`,
		`{"conversation":"a","time":"2024-05-01T09:29:00Z","role":"bot","type":"message","agent":"first","customer":"u1","channel":"chat"}`,
		`{"conversation":"a","time":"2024-05-01T09:29:00Z","role":"bot","type":"message","agent":"second","outbound":false}`,
		`{"conversation":"a","time":"2024-05-01T09:31:00Z","role":"agent","type":"pending","priority":"high"}`,
		`{"conversation":"b","time":"2024-05-01T09:01:00Z","role":"agent","type":"joined","agent":"x","outbound":true,"dims":{"greeting":"A","lang":"de"}}`,
	}, "\n")
	r, err := NewJSONLReader(strings.NewReader(in))
	require.NoError(t, err)
	chats, err := ReadConversations(r)
	require.NoError(t, err)
	require.Len(t, chats, 2)
	a, b := chats[0], chats[1]
	assert.Equal(t, Info{ID: "a", Customer: "u1", Channel: "chat", Priority: "high"}, a.Meta)
	assert.Equal(t, Pending, a.Events[3].Type)
	assert.Equal(t, []string{"first", "second", ""}, []string{a.Events[0].Agent, a.Events[1].Agent, a.Events[2].Agent}, "stable by time")
	assert.Equal(t, Info{ID: "b", Outbound: true, Dims: map[string]string{"greeting": "A", "lang": "de"}}, b.Meta)
	for _, c := range chats {
		assert.NoError(t, Validate(c))
	}
}

func TestReadConversationsConflicts(t *testing.T) {
	const head = `{"conversation":"a","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"`
	tests := []struct{ first, later, want string }{
		{`"channel":"chat"`, `"channel":"email"`, `chatkpi: line 2: conversation "a": channel: "email" conflicts with "chat" given on an earlier line of the conversation`},
		{`"customer":"u1"`, `"customer":"u2"`, `chatkpi: line 2: conversation "a": customer: "u2" conflicts with "u1" given on an earlier line of the conversation`},
		{`"source":"s"`, `"source":"t"`, `chatkpi: line 2: conversation "a": source: "t" conflicts with "s" given on an earlier line of the conversation`},
		{`"priority":"high"`, `"priority":"low"`, `chatkpi: line 2: conversation "a": priority: "low" conflicts with "high" given on an earlier line of the conversation`},
		{`"start":"2024-05-01T09:00:00Z"`, `"start":"2024-05-01T10:00:00+02:00"`, `chatkpi: line 2: conversation "a": start: "2024-05-01T10:00:00+02:00" conflicts with "2024-05-01T09:00:00Z" given on an earlier line of the conversation`},
		{`"dims":{"g":"A"}`, `"dims":{"g":"B"}`, `chatkpi: line 2: conversation "a": dims.g: "B" conflicts with "A" given on an earlier line of the conversation`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			in := head + "," + tt.first + "}\n" + head + "," + tt.later + "}\n"
			r, err := NewJSONLReader(strings.NewReader(in))
			require.NoError(t, err)
			chats, err := ReadConversations(r)
			assert.Nil(t, chats)
			require.EqualError(t, err, tt.want)
			assert.ErrorIs(t, err, ErrInvalid)

			// The same value again is no conflict.
			in = head + "," + tt.first + "}\n" + head + "," + tt.first + "}\n"
			r, err = NewJSONLReader(strings.NewReader(in))
			require.NoError(t, err)
			chats, err = ReadConversations(r)
			require.NoError(t, err)
			assert.Len(t, chats[0].Events, 2)
		})
	}
}

func TestWritersRejectWhatTheFormatCannotHold(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	ok := Event{Time: t0, Role: Customer, Type: Message}
	tests := []struct {
		name string
		c    *Chat
		want string
	}{
		{"invalid", &Chat{Meta: Info{ID: "a"}, Events: []Event{{Time: t0, Role: Customer}}}, `chatkpi: conversation "a": event 0: type: unknown event type 0`},
		{"empty", &Chat{Meta: Info{ID: "a"}}, `chatkpi: conversation "a": no events: an event file has one line per event and cannot hold an empty conversation`},
		{"utf-8", &Chat{Meta: Info{ID: "a", Channel: "\xff"}, Events: []Event{ok}}, `chatkpi: conversation "a": channel: not valid UTF-8`},
		{"year", &Chat{Meta: Info{ID: "a"}, Events: []Event{{Time: t0.AddDate(9000, 0, 0), Role: Customer, Type: Message}}}, `chatkpi: conversation "a": event 0: time: year outside 1–9999 (UTC)`},
		{"dim name", &Chat{Meta: Info{ID: "a", Dims: map[string]string{"": "x"}}, Events: []Event{ok}}, `chatkpi: conversation "a": dims: empty dimension name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			jw := NewJSONLWriter(&buf)
			require.EqualError(t, jw.WriteConversation(tt.c), tt.want)
			require.NoError(t, jw.Flush())
			assert.Empty(t, buf.String())
			cw, err := NewCSVWriter(&buf, nil)
			require.NoError(t, err)
			require.EqualError(t, cw.WriteConversation(tt.c), tt.want)
		})
	}
	var buf bytes.Buffer
	cw, err := NewCSVWriter(&buf, []string{"g"})
	require.NoError(t, err)
	require.EqualError(t, cw.WriteConversation(&Chat{Meta: Info{ID: "a", Dims: map[string]string{"h": "x"}}, Events: []Event{ok}}),
		`chatkpi: conversation "a": dims: dimension "h" has no column in this CSV writer`)
	require.EqualError(t, cw.WriteConversation(&Chat{Meta: Info{ID: "a", Source: "x\r\ny"}, Events: []Event{ok}}),
		`chatkpi: conversation "a": source: contains "\r\n", which CSV reads back as "\n"`)
	_, err = NewCSVWriter(&buf, []string{"g", "g"})
	require.EqualError(t, err, `chatkpi: dims: dimension "g" given twice`)
}

// genChat draws a conversation that passes Validate, with text that
// exercises escaping and times in various zones and precisions.
func genChat(t *rapid.T, id string, forCSV bool) *Chat {
	str := func(label string) string {
		s := rapid.OneOf(rapid.Just(""), rapid.SampledFrom([]string{"chat", "u1", "é", "a\"b", "x,y", "\\", "😀"}), rapid.String()).Draw(t, label)
		if forCSV {
			s = noCRLF(s)
		}
		return s
	}
	c := &Chat{Meta: Info{ID: id, Customer: str("customer"), Channel: str("channel"), Source: str("source"),
		Priority: str("priority"), Outbound: rapid.Bool().Draw(t, "outbound")}}
	zones := []*time.Location{time.UTC, time.FixedZone("", 2*3600), time.FixedZone("", -(9*3600 + 30*60))}
	base := time.Date(rapid.IntRange(1990, 2030).Draw(t, "year"), 5, 1, 9, 30, 0, 0, time.UTC)
	if rapid.Bool().Draw(t, "hasStart") {
		c.Meta.Start = base.Add(-time.Duration(rapid.Int64Range(0, 1e12).Draw(t, "before")))
	}
	nd := rapid.IntRange(0, 3).Draw(t, "dims")
	for i := range nd {
		if c.Meta.Dims == nil {
			c.Meta.Dims = map[string]string{}
		}
		k := str("dimName")
		if k == "" {
			k = "d" + itoa(i)
		}
		c.Meta.Dims[k] = str("dimValue")
	}
	at := base
	botReplied := false
	for i := range rapid.IntRange(1, 6).Draw(t, "events") {
		_ = i
		at = at.Add(time.Duration(rapid.OneOf(rapid.Just(int64(0)), rapid.Int64Range(0, 1e13)).Draw(t, "gap")))
		e := Event{
			Time: at.In(rapid.SampledFrom(zones).Draw(t, "zone")),
			Type: EventType(rapid.IntRange(int(Message), int(lastEventType)).Draw(t, "type")),
			Role: Role(rapid.IntRange(int(Customer), int(System)).Draw(t, "role")),
		}
		e.Agent = str("agent")
		// Only the fields that apply to the type (see Record).
		switch e.Type {
		case Message:
			e.Private = rapid.Bool().Draw(t, "private")
			e.Automatic = rapid.Bool().Draw(t, "automatic")
		case Fallback:
			e.Role = Bot
		case Feedback:
			if !botReplied { // Validate wants an answer to rate
				e.Type, e.Role = Fallback, Bot
			} else {
				e.Helpful = rapid.Bool().Draw(t, "helpful")
			}
		case Joined, Online, Offline:
			if e.Agent == "" {
				e.Agent = "agent7"
			}
		case Pending, OnHold, Opened:
			if e.Role == Customer { // the team sets a ticket's state
				e.Role = System
			}
		case SurveySent:
			e.Survey = Survey(rapid.IntRange(1, 3).Draw(t, "survey"))
		case Rating:
			e.Survey = Survey(rapid.IntRange(1, 3).Draw(t, "survey"))
			if e.Survey == CESSurvey {
				e.Score = int8(rapid.IntRange(1, 7).Draw(t, "score"))
			} else {
				e.Score = int8(rapid.IntRange(0, 10).Draw(t, "score"))
			}
		case Goal:
			e.Value = decimal.New(rapid.Int64Range(0, 1e15).Draw(t, "units"), int32(rapid.IntRange(-6, 3).Draw(t, "exp")))
			if !e.Value.IsZero() || rapid.Bool().Draw(t, "currency") {
				e.Currency = rapid.SampledFrom([]string{"EUR", "USD", "JPY"}).Draw(t, "code")
			}
		}
		botReplied = botReplied || e.Role == Bot && e.IsReply()
		c.Events = append(c.Events, e)
	}
	return c
}

// requireSameChats compares conversations as the event file keeps them:
// instants and decimal values by equality, empty dimension values as absent.
func requireSameChats(t require.TestingT, want, got []*Chat) {
	require.Len(t, got, len(want))
	norm := func(c *Chat) (*Chat, []time.Time, []decimal.Decimal) {
		c = NewChat(c)
		var times []time.Time
		var values []decimal.Decimal
		times = append(times, c.Meta.Start)
		c.Meta.Start = time.Time{}
		for k, v := range c.Meta.Dims {
			if v == "" {
				delete(c.Meta.Dims, k)
			}
		}
		if len(c.Meta.Dims) == 0 {
			c.Meta.Dims = nil
		}
		for i := range c.Events {
			times = append(times, c.Events[i].Time)
			values = append(values, c.Events[i].Value)
			c.Events[i].Time, c.Events[i].Value = time.Time{}, decimal.Decimal{}
		}
		return c, times, values
	}
	for i := range want {
		w, wt, wv := norm(want[i])
		g, gt, gv := norm(got[i])
		require.Equal(t, w, g)
		require.True(t, slices.EqualFunc(wt, gt, time.Time.Equal), "times %v != %v", wt, gt)
		require.True(t, slices.EqualFunc(wv, gv, decimal.Decimal.Equal), "values %v != %v", wv, gv)
	}
}

func genChats(t *rapid.T, forCSV bool) []*Chat {
	n := rapid.IntRange(0, 4).Draw(t, "conversations")
	chats := make([]*Chat, n)
	for i := range chats {
		id := rapid.OneOf(rapid.Just("c"+itoa(i)), rapid.StringN(1, 8, -1)).Draw(t, "id")
		if forCSV {
			id = noCRLF(id)
		}
		chats[i] = genChat(t, id+"#"+itoa(i), forCSV)
	}
	return chats
}

// noCRLF removes "\r\n" from s, which the CSV writer rejects (CSV reads it
// back as "\n"); removing it repeatedly also covers "\r\r\n\n".
func noCRLF(s string) string {
	for strings.Contains(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}

func TestJSONLRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := genChats(t, false)
		var buf bytes.Buffer
		w := NewJSONLWriter(&buf)
		for _, c := range chats {
			require.NoError(t, w.WriteConversation(c))
		}
		require.NoError(t, w.Flush())
		r, err := NewJSONLReader(&buf)
		require.NoError(t, err)
		got, err := ReadConversations(r)
		require.NoError(t, err)
		requireSameChats(t, chats, got)
	})
}

func TestCSVRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := genChats(t, true)
		var dims []string
		for _, c := range chats {
			for k := range c.Meta.Dims {
				if !slices.Contains(dims, k) {
					dims = append(dims, k)
				}
			}
		}
		var buf bytes.Buffer
		w, err := NewCSVWriter(&buf, dims)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, w.WriteConversation(c))
		}
		require.NoError(t, w.Flush())
		r, err := NewCSVReader(&buf)
		require.NoError(t, err)
		got, err := ReadConversations(r)
		require.NoError(t, err)
		requireSameChats(t, chats, got)
	})
}

// TestRoundTripThroughAdapt writes a Conversation that is not a *Chat.
func TestRoundTripThroughAdapt(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	events := []testEventSource{{t0, Customer}, {t0.Add(time.Second), Bot}}
	conv := Adapt(Info{ID: "x"}, events)
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	require.NoError(t, w.WriteConversation(conv))
	require.NoError(t, w.WriteConversation(conv))
	require.NoError(t, w.Flush())
	assert.Equal(t, 4, strings.Count(buf.String(), "\n"))
}

type testEventSource struct {
	at   time.Time
	role Role
}

func (e testEventSource) ChatEvent() Event { return Event{Time: e.at, Role: e.role, Type: Message} }

func TestRecordsStopsAfterErrorAndOnBreak(t *testing.T) {
	in := `{"conversation":"a","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}
{"conversation":"a","time":"2024-05-01T09:31:00Z","role":"customer","type":"nope"}
{"conversation":"a","time":"2024-05-01T09:32:00Z","role":"customer","type":"message"}
`
	r, err := NewJSONLReader(strings.NewReader(in))
	require.NoError(t, err)
	var lines []int
	var errs []error
	for rec, err := range Records(r) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		lines = append(lines, rec.Line)
	}
	assert.Equal(t, []int{1}, lines)
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], `chatkpi: line 2: conversation "a": type: "nope" is not an event type`)

	// The reader itself goes on after the line's error.
	rec, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, 3, rec.Line)

	r, err = NewJSONLReader(strings.NewReader(in))
	require.NoError(t, err)
	for range Records(r) {
		break
	}
	rec, err = r.Next()
	require.Error(t, err, "break consumed only the first record")
}

func TestCSVReaderIOErrorIsPermanent(t *testing.T) {
	r, err := NewCSVReader(io.MultiReader(strings.NewReader("conversation,time,role,type\n"), failingReader{}))
	require.NoError(t, err)
	_, err = r.Next()
	require.EqualError(t, err, "disk on fire")
	_, err = r.Next()
	require.EqualError(t, err, "disk on fire")
}

// TestReadConversationsLineOrderDoesNotMatter shuffles the lines of a file:
// each conversation reads back the same, since its events are sorted by time
// (distinct here) and its conversation-level fields merged from any line.
func TestReadConversationsLineOrderDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := genChats(t, false)
		for _, c := range chats {
			for i := range c.Events {
				c.Events[i].Time = c.Events[i].Time.Add(time.Duration(i))
			}
		}
		var buf bytes.Buffer
		w := NewJSONLWriter(&buf)
		for _, c := range chats {
			require.NoError(t, w.WriteConversation(c))
		}
		require.NoError(t, w.Flush())
		lines := strings.SplitAfter(buf.String(), "\n")
		lines = rapid.Permutation(lines).Draw(t, "lines")
		r, err := NewJSONLReader(strings.NewReader(strings.Join(lines, "")))
		require.NoError(t, err)
		got, err := ReadConversations(r)
		require.NoError(t, err)
		byID := func(a, b *Chat) int { return strings.Compare(a.Meta.ID, b.Meta.ID) }
		slices.SortFunc(got, byID)
		want := slices.Clone(chats)
		slices.SortFunc(want, byID)
		requireSameChats(t, want, got)
	})
}

func TestConversationsStreamsWhatTheWritersWrite(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := genChats(t, false)
		var buf bytes.Buffer
		w := NewJSONLWriter(&buf)
		for _, c := range chats {
			require.NoError(t, w.WriteConversation(c))
		}
		require.NoError(t, w.Flush())
		r, err := NewJSONLReader(&buf)
		require.NoError(t, err)
		var got []*Chat
		for c, err := range Conversations(r) {
			require.NoError(t, err)
			got = append(got, c)
		}
		requireSameChats(t, chats, got)
	})
}

func TestConversationsRejectsInterleavedLines(t *testing.T) {
	in := `{"conversation":"a","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}
{"conversation":"a","time":"2024-05-01T09:29:00Z","role":"customer","type":"message","channel":"chat"}
{"conversation":"b","time":"2024-05-01T09:31:00Z","role":"customer","type":"message"}
{"conversation":"a","time":"2024-05-01T09:32:00Z","role":"customer","type":"message"}
`
	r, err := NewJSONLReader(strings.NewReader(in))
	require.NoError(t, err)
	var ids []string
	var errs []error
	for c, err := range Conversations(r) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, c.Meta.ID)
		assert.NoError(t, Validate(c), "sorted")
	}
	assert.Equal(t, []string{"a"}, ids, "b is not complete when the error stops the reading")
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], `chatkpi: line 4: conversation "a": conversation: the conversation's lines are not contiguous: it came before, in this input or an earlier one, `+
		`so the input is not grouped by conversation (the chance that its id merely shares a 64-bit hash with one of the 1 conversations closed before is 5.4e-20) `+
		`(ReadConversations reads interleaved lines)`)
	assert.ErrorIs(t, errs[0], ErrNotGrouped)

	// Stopping early is fine, and conflicts are reported as by ReadConversations.
	r, err = NewJSONLReader(strings.NewReader(in))
	require.NoError(t, err)
	for range Conversations(r) {
		break
	}
	r, err = NewJSONLReader(strings.NewReader(`{"conversation":"c","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","channel":"x"}
{"conversation":"c","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","channel":"y"}
`))
	require.NoError(t, err)
	var last error
	for _, err := range Conversations(r) {
		last = err
	}
	require.EqualError(t, last, `chatkpi: line 2: conversation "c": channel: "y" conflicts with "x" given on an earlier line of the conversation`)
	require.Error(t, last)
}
