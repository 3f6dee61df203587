package chatkpi

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readAllJSONL(t *testing.T, in string, opts ...ReaderOption) ([]Record, error) {
	t.Helper()
	r, err := NewJSONLReader(strings.NewReader(in), opts...)
	require.NoError(t, err)
	var recs []Record
	for rec, err := range Records(r) {
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

func TestJSONLReaderGoodLines(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		line string
		want Record
	}{
		{"minimal", `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`,
			Record{Line: 1, Info: Info{ID: "c1"}, Event: Event{Time: t0, Role: Customer, Type: Message}}},
		{"offset and fraction", `{"conversation":"c1","time":"2024-05-01T11:30:00.123456789+02:00","role":"bot","type":"fallback"}`,
			Record{Line: 1, Info: Info{ID: "c1"}, Event: Event{Time: t0.Add(123456789), Role: Bot, Type: Fallback}}},
		{"whitespace and field order", " { \"type\" : \"message\" ,\t\"role\":\"agent\", \"agent\":\"a7\", \"time\":\"2024-05-01T09:30:00Z\", \"conversation\":\"c1\" } \r",
			Record{Line: 1, Info: Info{ID: "c1"}, Event: Event{Time: t0, Role: Agent, Type: Message, Agent: "a7"}}},
		{"escapes", `{"conversation":"c\"1\\\u00e9\ud83d\ude00\n","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","customer":"\u004Aos\u00E9"}`,
			Record{Line: 1, Info: Info{ID: "c\"1\\é😀\n", Customer: "José"}, Event: Event{Time: t0, Role: Customer, Type: Message}}},
		{"lone surrogate becomes U+FFFD", `{"conversation":"\ud800x","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`,
			Record{Line: 1, Info: Info{ID: "\ufffdx"}, Event: Event{Time: t0, Role: Customer, Type: Message}}},
		{"rating", `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"rating","survey":"nps","score":0}`,
			Record{Line: 1, Info: Info{ID: "c1"}, Event: Event{Time: t0, Role: Customer, Type: Rating, Survey: NPSSurvey}}},
		{"goal", `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"goal","value":"12.50","currency":"EUR"}`,
			Record{Line: 1, Info: Info{ID: "c1"}, Event: Event{Time: t0, Role: Customer, Type: Goal, Value: decimal.RequireFromString("12.5"), Currency: "EUR"}}},
		{"conversation fields, nulls and empties", `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"system","type":"message","customer":"u1","channel":"chat","source":"","start":"2024-05-01T09:29:00Z","outbound":true,"dims":{"greeting":"A","x":"","y":null},"agent":null,"private":false,"automatic":true,"helpful":null}`,
			Record{Line: 1, Info: Info{ID: "c1", Customer: "u1", Channel: "chat", Outbound: true, Start: t0.Add(-time.Minute), Dims: map[string]string{"greeting": "A"}},
				Event: Event{Time: t0, Role: System, Type: Message, Automatic: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := readAllJSONL(t, tt.line)
			require.NoError(t, err)
			require.Len(t, recs, 1)
			assertRecordEqual(t, tt.want, recs[0])
		})
	}
}

func assertRecordEqual(t *testing.T, want, got Record) {
	t.Helper()
	assert.True(t, want.Event.Time.Equal(got.Event.Time), "time %v != %v", want.Event.Time, got.Event.Time)
	assert.True(t, want.Info.Start.Equal(got.Info.Start), "start %v != %v", want.Info.Start, got.Info.Start)
	assert.True(t, want.Event.Value.Equal(got.Event.Value), "value %v != %v", want.Event.Value, got.Event.Value)
	want.Event.Time, got.Event.Time = time.Time{}, time.Time{}
	want.Info.Start, got.Info.Start = time.Time{}, time.Time{}
	want.Event.Value, got.Event.Value = decimal.Decimal{}, decimal.Decimal{}
	assert.Equal(t, want, got)
}

func TestJSONLReaderBadLines(t *testing.T) {
	const ok = `"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer"`
	tests := []struct{ line, want string }{
		{`{` + ok + `,"type":"rating","survey":"nps","score":"abc"}`, `chatkpi: line 2: conversation "c1": score: invalid JSON at column 109: expected a number, found '"'`},
		{`{` + ok + `,"type":"rating","survey":"nps","score":1.5}`, `chatkpi: line 2: conversation "c1": score: "1.5" is not an integer`},
		{`{` + ok + `,"type":"rating","survey":"nps","score":11}`, `chatkpi: line 2: conversation "c1": score: 11 is outside every nps scale (0–10)`},
		{`{` + ok + `,"type":"rating","score":5}`, `chatkpi: line 2: conversation "c1": survey: rating without a survey kind (csat, nps or ces)`},
		{`{` + ok + `,"type":"chat"}`, `chatkpi: line 2: conversation "c1": type: "chat" is not an event type`},
		{`{` + ok + `,"type":"message","mood":"happy"}`, `chatkpi: line 2: conversation "c1": mood: unknown field (a Mapping can rename or ignore it)`},
		{`{` + ok + `,"type":"message","":1}`, `chatkpi: line 2: conversation "c1": "": unknown field (a Mapping can rename or ignore it)`},
		{`{` + ok + `,"type":"message","Agent":"x"}`, `chatkpi: line 2: conversation "c1": Agent: unknown field (a Mapping can rename or ignore it)`},
		{`{` + ok + `,"type":"message","role":"agent"}`, `chatkpi: line 2: conversation "c1": role: given twice`},
		{`{` + ok + `,"type":"goal","value":12.5,"currency":"EUR"}`, `chatkpi: line 2: conversation "c1": value: must be a decimal string such as "12.50", not a JSON number`},
		{`{` + ok + `,"type":"goal","value":"1e3","currency":"EUR"}`, `chatkpi: line 2: conversation "c1": value: "1e3" is not a decimal number such as "12.50"`},
		{`{` + ok + `,"type":"goal","value":"10"}`, `chatkpi: line 2: conversation "c1": currency: goal value 10 without a currency`},
		{`{` + ok + `,"type":"message","private":"yes"}`, `chatkpi: line 2: conversation "c1": private: invalid JSON at column 97: expected true, false or null, found '"'`},
		{`{"conversation":"c1","time":"2024-05-01 09:30","role":"customer","type":"message"}`, `chatkpi: line 2: conversation "c1": time: "2024-05-01 09:30" is not an RFC 3339 time such as "2024-05-01T09:30:00Z"`},
		{`{"time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`, `chatkpi: line 2: conversation: missing (required)`},
		{`{"conversation":"c1","role":"customer","type":"message"}`, `chatkpi: line 2: conversation "c1": time: missing (required)`},
		{`{` + ok + `}`, `chatkpi: line 2: conversation "c1": type: missing (required)`},
		{`{` + ok + `,"type":"message"`, `chatkpi: line 2: conversation "c1": type: invalid JSON at column 86: expected ',' or '}' (end of line)`},
		{`{` + ok + `,"type":"message"} x`, `chatkpi: line 2: conversation "c1": invalid JSON at column 88: text after the object, found 'x'`},
		{`{` + ok + `,"type":"message","agent":"a` + "\xff" + `"}`, `chatkpi: line 2: conversation "c1": agent: invalid JSON at column 97: invalid UTF-8 in a string`},
		{`{` + ok + `,"type":"message","agent":"a` + "\t" + `"}`, `chatkpi: line 2: conversation "c1": agent: invalid JSON at column 97: control character in a string`},
		{`{` + ok + `,"type":"message","agent":"\x"}`, `chatkpi: line 2: conversation "c1": agent: invalid JSON at column 97: invalid escape, found 'x'`},
		{`{` + ok + `,"type":"message","dims":{"a":1}}`, `chatkpi: line 2: conversation "c1": dims: invalid JSON at column 99: dimension "a": expected a string or null, found '1'`},
		{`{` + ok + `,"type":"message","dims":{"a":"1","a":"2"}}`, `chatkpi: line 2: conversation "c1": dims: "a" given twice`},
		{`{` + ok + `,"type":"joined"}`, `chatkpi: line 2: conversation "c1": agent: joined event without an agent`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			in := "\n" + tt.line + "\n"
			_, err := readAllJSONL(t, in)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, 2, ie.Line)
			assert.ErrorIs(t, err, ErrInvalid)
		})
	}
}

func TestJSONLReaderLongLines(t *testing.T) {
	good := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`
	long := `{"conversation":"` + strings.Repeat("x", 300) + `","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`
	in := good + "\n" + long + "\n" + good + "\r\n" + long // the last line has no terminator
	for _, max := range []int{len(good), len(good) + 1, 100} {
		r, err := NewJSONLReader(strings.NewReader(in), MaxLineSize(max))
		require.NoError(t, err)
		rec, err := r.Next()
		require.NoError(t, err)
		assert.Equal(t, 1, rec.Line)
		_, err = r.Next()
		require.EqualError(t, err, "chatkpi: line 2: line longer than "+itoa(max)+" bytes (see MaxLineSize)")
		rec, err = r.Next()
		require.NoError(t, err, "reading goes on after a long line")
		assert.Equal(t, 3, rec.Line)
		_, err = r.Next()
		require.EqualError(t, err, "chatkpi: line 4: line longer than "+itoa(max)+" bytes (see MaxLineSize)")
		_, err = r.Next()
		require.Equal(t, io.EOF, err)
	}
	// Just below the limit the long line is fine, also through the slow path
	// of a line longer than the read buffer.
	r, err := NewJSONLReader(strings.NewReader(in), MaxLineSize(len(long)))
	require.NoError(t, err)
	recs, err := ReadConversations(r)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Len(t, recs[1].Meta.ID, 300)
}

func TestJSONLReaderMemoryIsBoundedByTheLimit(t *testing.T) {
	huge := `{"conversation":"` + strings.Repeat("x", 5<<20) + `"}` + "\n" +
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`
	r, err := NewJSONLReader(strings.NewReader(huge), MaxLineSize(1000))
	require.NoError(t, err)
	_, err = r.Next()
	require.EqualError(t, err, "chatkpi: line 1: line longer than 1000 bytes (see MaxLineSize)")
	assert.LessOrEqual(t, cap(r.long), 4096, "the over-long line was not kept")
	rec, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, 2, rec.Line)
}

func TestJSONLReaderSkipInvalid(t *testing.T) {
	in := strings.Join([]string{
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`,
		`{"conversation":"c1","time":"2024-05-01T09:31:00Z","role":"robot","type":"message"}`,
		``,
		`   `,
		`not json`,
		`{"conversation":"c1","time":"2024-05-01T09:32:00Z","role":"agent","type":"message"}`,
	}, "\n")
	var skipped []string
	r, err := NewJSONLReader(strings.NewReader(in), SkipInvalid(func(e *InputError) { skipped = append(skipped, e.Error()) }))
	require.NoError(t, err)
	chats, err := ReadConversations(r)
	require.NoError(t, err)
	require.Len(t, chats, 1)
	assert.Len(t, chats[0].Events, 2)
	assert.Equal(t, 2, r.Skipped())
	assert.Equal(t, []string{
		`chatkpi: line 2: conversation "c1": role: "robot" is not one of customer, agent, bot, system`,
		`chatkpi: line 5: invalid JSON at column 1: a line must be a JSON object, found 'n'`,
	}, skipped)
}

func TestReaderOptionsValidated(t *testing.T) {
	_, err := NewJSONLReader(strings.NewReader(""), MaxLineSize(0))
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = NewJSONLReader(strings.NewReader(""), SkipInvalid(nil))
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = NewCSVReader(strings.NewReader(""), nil)
	assert.ErrorIs(t, err, ErrInvalid)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestJSONLReaderIOErrorIsPermanent(t *testing.T) {
	r, err := NewJSONLReader(io.MultiReader(strings.NewReader("{}\n"), failingReader{}), SkipInvalid(func(*InputError) {}))
	require.NoError(t, err)
	_, err = r.Next()
	require.EqualError(t, err, "disk on fire")
	_, err = r.Next()
	require.EqualError(t, err, "disk on fire")
	assert.Equal(t, 1, r.Skipped())
}
