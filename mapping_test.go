package chatkpi

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportMapping is a mapping for an export with its own names, as in the
// README.
var exportMapping = Mapping{
	Rename: map[string]string{"created_at": "time", "conversation_id": "conversation", "direction": "role", "kind": "type", "lang": "dim.lang"},
	Values: map[string]map[string]string{
		"role": {"incoming": "customer", "outgoing": "agent", "0": "customer", "1": "agent"},
		"type": {"text": "message"},
	},
	Ignore: []string{"message_id"},
}

func TestMappingJSONL(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	in := `{"conversation_id":"c1","created_at":"2024-05-01T09:30:00Z","direction":"incoming","kind":"text","message_id":{"any":[1,"x",null]},"lang":"de"}` + "\n" +
		`{"conversation_id":"c1","created_at":"2024-05-01T09:30:00Z","direction":1,"kind":"message","agent":"ana"}` + "\n"
	recs, err := readAllJSONL(t, in, MapFields(exportMapping))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assertRecordEqual(t, Record{Line: 1, Info: Info{ID: "c1", Dims: map[string]string{"lang": "de"}}, Event: Event{Time: t0, Role: Customer, Type: Message}}, recs[0])
	assertRecordEqual(t, Record{Line: 2, Info: Info{ID: "c1"}, Event: Event{Time: t0, Role: Agent, Type: Message, Agent: "ana"}}, recs[1])

	// Without the mapping, the first unknown field is an error.
	_, err = readAllJSONL(t, in)
	require.ErrorIs(t, err, ErrUnknownField)
	require.EqualError(t, err, `chatkpi: line 1: conversation_id: unknown field (a Mapping can rename or ignore it)`)
}

func TestMappingCSV(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	in := "conversation_id,created_at,direction,kind,message_id,lang,text,dim.plan\n" +
		"c1,2024-05-01T09:30:00Z,incoming,text,m1,de,hello,pro\n" +
		"c1,2024-05-01T09:31:00Z,1,message,m2,,hi,\n"
	m := exportMapping
	m.IgnoreUnknown = true
	recs, err := readAllCSV(t, in, MapFields(m))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assertRecordEqual(t, Record{Line: 2, Info: Info{ID: "c1", Dims: map[string]string{"lang": "de", "plan": "pro"}}, Event: Event{Time: t0, Role: Customer, Type: Message}}, recs[0])
	assertRecordEqual(t, Record{Line: 3, Info: Info{ID: "c1"}, Event: Event{Time: t0.Add(time.Minute), Role: Agent, Type: Message}}, recs[1])

	_, err = readAllCSV(t, in, MapFields(exportMapping))
	require.ErrorIs(t, err, ErrUnknownField)
	require.EqualError(t, err, `chatkpi: line 1: text: header: unknown column (a Mapping can rename or ignore it)`)
}

func TestMappingErrorsNameTheInputField(t *testing.T) {
	const rest = `"conversation_id":"c1","direction":"incoming","kind":"text"`
	for _, tt := range []struct{ in, want string }{
		{`{` + rest + `,"created_at":"yesterday"}`, `chatkpi: line 1: conversation "c1": created_at (as time): "yesterday" is not an RFC 3339 time such as "2024-05-01T09:30:00Z"`},
		{`{` + rest + `,"created_at":"2024-05-01T09:30:00Z","time":"2024-05-01T09:30:00Z"}`, `chatkpi: line 1: conversation "c1": time: given twice`},
		{`{` + rest + `,"time":"2024-05-01T09:30:00Z","created_at":"2024-05-01T09:30:00Z"}`, `chatkpi: line 1: conversation "c1": created_at (as time): given twice`},
		{`{"conversation_id":"c1","created_at":"2024-05-01T09:30:00Z","direction":"sideways","kind":"text"}`, `chatkpi: line 1: conversation "c1": direction (as role): "sideways" is not one of customer, agent, bot, system`},
		{`{` + rest + `,"created_at":"2024-05-01T09:30:00Z","message_id":[1,}`, `chatkpi: line 1: conversation "c1": message_id: invalid JSON at column 114: expected a value, found '}'`},
		{`{` + rest + `,"created_at":"2024-05-01T09:30:00Z","lang":1}`, `chatkpi: line 1: conversation "c1": lang (as dim.lang): invalid JSON at column 105: expected a string or null, found '1'`},
	} {
		_, err := readAllJSONL(t, tt.in, MapFields(exportMapping))
		assert.EqualError(t, err, tt.want)
	}
	_, err := readAllCSV(t, "conversation_id,created_at,direction,kind\nc1,yesterday,incoming,text\n", MapFields(exportMapping))
	assert.EqualError(t, err, `chatkpi: line 2: conversation "c1": created_at (as time): "yesterday" is not an RFC 3339 time such as "2024-05-01T09:30:00Z"`)
	_, err = readAllCSV(t, "conversation_id,created_at,direction,kind,time\n", MapFields(exportMapping))
	assert.EqualError(t, err, `chatkpi: line 1: time: header: column given twice (as time, like "created_at")`)
}

func TestFieldsThatDoNotApplyToTheType(t *testing.T) {
	// repro currency_on_message.jsonl
	line := `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","value":"12.50","currency":"usd","score":99,"survey":"nps"}`
	_, err := readAllJSONL(t, line)
	require.ErrorIs(t, err, ErrFieldNotApplicable)
	assert.EqualError(t, err, `chatkpi: line 1: conversation "c1": survey: has no meaning on a message event (only on survey_sent and rating); nor have score, value, currency (a Mapping with IgnoreInapplicable drops it)`)
	recs, err := readAllJSONL(t, line, MapFields(Mapping{IgnoreInapplicable: true}))
	require.NoError(t, err)
	assertRecordEqual(t, Record{Line: 1, Info: Info{ID: "c1"}, Event: Event{Time: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), Role: Customer, Type: Message}}, recs[0])

	for _, tt := range []struct{ csv, want string }{
		{"c1,2026-01-05T10:00:00Z,customer,message,,,5,,,,,", `score: has no meaning on a message event (only on rating)`},
		{"c1,2026-01-05T10:00:00Z,customer,goal,,,,1,EUR,true,,", `helpful: has no meaning on a goal event (only on feedback)`},
		{"c1,2026-01-05T10:00:00Z,agent,joined,a,,,,,,true,", `private: has no meaning on a joined event (only on message)`},
		{"c1,2026-01-05T10:00:00Z,bot,fallback,,,,,,,,true", `automatic: has no meaning on a fallback event (only on message)`},
		{"c1,2026-01-05T10:00:00Z,agent,joined,a,,,,,false,false,false", ""}, // false is absent
	} {
		_, err := readAllCSV(t, "conversation,time,role,type,agent,survey,score,value,currency,helpful,private,automatic\n"+tt.csv+"\n")
		if tt.want == "" {
			assert.NoError(t, err)
			continue
		}
		require.Error(t, err)
		assert.Contains(t, err.Error(), `line 2: conversation "c1": `+tt.want)
	}

	// What a line gave does not carry over to the next after an error.
	for _, in := range []string{
		`{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"rating","survey":"csat","score":3,}` + "\n" +
			`{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`,
	} {
		recs, err := readAllJSONL(t, in, SkipInvalid(func(*InputError) {}))
		require.NoError(t, err)
		assert.Len(t, recs, 1)
	}
	recs, err = readAllCSV(t, "conversation,time,role,type,survey,score\nc1,2026-01-05T10:00:00Z,customer,rating,csat,x\nc1,2026-01-05T10:00:00Z,customer,message,,\n", SkipInvalid(func(*InputError) {}))
	require.NoError(t, err)
	assert.Len(t, recs, 1)

	// The writers refuse what the readers would refuse.
	var buf bytes.Buffer
	err = NewJSONLWriter(&buf).WriteConversation(&Chat{Meta: Info{ID: "c1"}, Events: []Event{{Time: time.Unix(0, 0), Role: Customer, Type: Message, Score: 3}}})
	assert.EqualError(t, err, `chatkpi: conversation "c1": event 0: score: has no meaning on a message event (only on rating), and the event file format rejects it`)
}

func TestBadMappings(t *testing.T) {
	for _, tt := range []struct {
		m    Mapping
		want string
	}{
		{Mapping{Rename: map[string]string{"created_at": "when"}}, `chatkpi: mapping: rename: "created_at" → "when": not a field of the event file format or dim.NAME`},
		{Mapping{Rename: map[string]string{"x": "dim."}}, `chatkpi: mapping: rename: "x" → "dim.": not a field of the event file format or dim.NAME`},
		{Mapping{Rename: map[string]string{"x": "time"}, Ignore: []string{"x"}}, `chatkpi: mapping: ignore: "x" is also renamed or listed twice`},
		{Mapping{Values: map[string]map[string]string{"direction": {"a": "b"}}}, `chatkpi: mapping: values: "direction" is not a field of the event file format with values to map`},
		{Mapping{Values: map[string]map[string]string{"role": {"incoming": "client"}}}, `chatkpi: mapping: values: role: "incoming" → "client": "client" is not one of customer, agent, bot, system`},
		{Mapping{Values: map[string]map[string]string{"score": {"five": "5.0"}}}, `chatkpi: mapping: values: score: "five" → "5.0": "5.0" is not an integer`},
	} {
		_, err := NewJSONLReader(strings.NewReader(""), MapFields(tt.m))
		assert.EqualError(t, err, tt.want)
		_, err = NewCSVReader(strings.NewReader(""), MapFields(tt.m))
		assert.EqualError(t, err, tt.want)
	}
}

func TestParseMapping(t *testing.T) {
	m, err := ParseMapping([]byte(`{"rename":{"created_at":"time"},"values":{"role":{"incoming":"customer"}},"ignore":["text"],"ignore_unknown":true,"ignore_inapplicable":true}`))
	require.NoError(t, err)
	assert.Equal(t, Mapping{Rename: map[string]string{"created_at": "time"}, Values: map[string]map[string]string{"role": {"incoming": "customer"}},
		Ignore: []string{"text"}, IgnoreUnknown: true, IgnoreInapplicable: true}, m)
	_, err = ParseMapping([]byte(`{"renames":{}}`))
	assert.EqualError(t, err, `chatkpi: mapping: unknown field "renames"`)
	_, err = ParseMapping([]byte(`{"rename":{"a":"b"}}`))
	assert.EqualError(t, err, `chatkpi: mapping: rename: "a" → "b": not a field of the event file format or dim.NAME`)
	_, err = ParseMapping([]byte(`{} {}`))
	assert.EqualError(t, err, `chatkpi: mapping: text after the JSON object`)
}

func TestJSONArrayInput(t *testing.T) {
	in := " [\n  {\"conversation\":\"c1\",\"time\":\"2024-05-01T09:30:00Z\",\n   \"role\":\"customer\",\"type\":\"message\"},\n" +
		"  {\"conversation\":\"c1\",\"time\":\"2024-05-01T09:31:00Z\",\"role\":\"robot\",\"type\":\"message\"},\n" +
		"  {\"conversation\":\"c1\",\"time\":\"2024-05-01T09:32:00Z\",\"role\":\"agent\",\"type\":\"message\",\n\"x\":{\"[\":\"}\"}}\n]\n"
	var skipped []string
	r, err := NewJSONLReader(strings.NewReader(in), SkipInvalid(func(e *InputError) { skipped = append(skipped, e.Error()) }))
	require.NoError(t, err)
	var lines []int
	for rec, err := range Records(r) {
		require.NoError(t, err)
		lines = append(lines, rec.Line)
	}
	assert.Equal(t, []int{2}, lines)
	assert.Equal(t, []string{
		`chatkpi: line 4: conversation "c1": role: "robot" is not one of customer, agent, bot, system`,
		`chatkpi: line 5: conversation "c1": x: unknown field (a Mapping can rename or ignore it)`,
	}, skipped)

	for _, tt := range []struct{ in, want string }{
		{`[{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`, "chatkpi: line 1: invalid JSON array: the input ends before its closing ']'"},
		{`[{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"} {}]`, "chatkpi: line 1: invalid JSON array at column 89: expected ',' or ']' after an element, found '{'; reading stopped"},
		{"[\n1]", "chatkpi: line 2: invalid JSON array at column 1: an element is not an object, found '1'; reading stopped"},
		{"[] x", "chatkpi: line 1: invalid JSON array at column 4: text after the array, found 'x'; reading stopped"},
		{`[{"a":[}]`, `chatkpi: line 1: invalid JSON array at column 8: '}' closes '['; reading stopped`},
		{`[{"a":"`, "chatkpi: line 1: invalid JSON array: the input ends inside the object that starts on this line"},
		{"[\n{\"score\":\n1 x}]", `chatkpi: line 2: score: invalid JSON at line 3, column 3: expected ',' or '}', found 'x'`},
	} {
		_, err := readAllJSONL(t, tt.in)
		assert.EqualError(t, err, tt.want, tt.in)
	}
	// A broken array is permanent; an over-long element is not.
	r, err = NewJSONLReader(strings.NewReader(`[{"a":[}]`))
	require.NoError(t, err)
	_, err1 := r.Next()
	_, err2 := r.Next()
	assert.Equal(t, err1, err2)
	recs, err := readAllJSONL(t, `[{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","x":"`+strings.Repeat("y", 100)+`"},
{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}]`, MaxLineSize(100), SkipInvalid(func(e *InputError) {
		assert.EqualError(t, e, "chatkpi: line 1: array element longer than 100 bytes (see MaxLineSize)")
	}))
	require.NoError(t, err)
	assert.Len(t, recs, 1)
	// Whole-input arrays only: a line that is an array in JSON Lines says so.
	_, err = readAllJSONL(t, `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`+"\n[]")
	assert.EqualError(t, err, `chatkpi: line 2: invalid JSON at column 1: a line must be a JSON object (an input is read as one JSON array of objects when it starts with '['), found '['`)
}

func TestStrictTimesAndRanges(t *testing.T) {
	const pre = `{"conversation":"c1","role":"customer","type":"rating","survey":"nps",`
	for _, tt := range []struct{ fields, want string }{
		{`"score":1,"time":"2026-01-05T10:00:00+24:00"}`, `time: "2026-01-05T10:00:00+24:00" is not an RFC 3339 time`}, // repro time_offset_2400.jsonl
		{`"score":1,"time":"2026-01-05T10:00:00+24:59"}`, `is not an RFC 3339 time`},
		{`"score":1,"time":"2026-01-05T10:00:00+23:60"}`, `is not an RFC 3339 time`},
		{`"score":1,"time":"2026-01-05T10:00:00,5Z"}`, `is not an RFC 3339 time`},
		{`"score":1,"time":"0001-01-01T00:00:00Z"}`, `time: "0001-01-01T00:00:00Z" is the zero instant, which stands for no time; the supported range is after it, up to the end of the year 9999 (UTC)`},
		{`"score":1,"time":"2026-01-05T10:00:00Z","start":"0001-01-01T01:00:00+01:00"}`, `start: "0001-01-01T01:00:00+01:00" is the zero instant`},
		{`"score":99999999999999999999999,"time":"2026-01-05T10:00:00Z"}`, `score: "99999999999999999999999" is outside the range of a score, -128 to 127 (every survey scale lies within 0–10)`},
		{`"score":9223372036854775808,"time":"2026-01-05T10:00:00Z"}`, `is outside the range of a score`},
		{`"score":128,"time":"2026-01-05T10:00:00Z"}`, `score: "128" is outside the range of a score, -128 to 127`},
		{`"score":-129,"time":"2026-01-05T10:00:00Z"}`, `score: "-129" is outside the range of a score, -128 to 127`},
	} {
		_, err := readAllJSONL(t, pre+tt.fields)
		require.Error(t, err, tt.fields)
		assert.Contains(t, err.Error(), tt.want)
	}
	recs, err := readAllJSONL(t, pre+`"score":1,"time":"2026-01-05T10:00:00+23:59"}`)
	require.NoError(t, err)
	assert.True(t, recs[0].Event.Time.Equal(time.Date(2026, 1, 4, 10, 1, 0, 0, time.UTC)))
}

// refArray splits a JSON array input with encoding/json: its elements and
// the line each starts on, or ok false when data is not a JSON array.
func refArray(data []byte) (elems [][]byte, lines []int, ok bool) {
	if !json.Valid(data) {
		return nil, nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, nil, false
	}
	for dec.More() {
		start := int(dec.InputOffset())
		for start < len(data) && strings.IndexByte(", \t\r\n", data[start]) >= 0 {
			start++
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, false
		}
		elems = append(elems, raw)
		lines = append(lines, 1+bytes.Count(data[:start], []byte{'\n'}))
	}
	return elems, lines, true
}

func FuzzJSONArray(f *testing.F) {
	for _, s := range []string{
		"[]",
		"\ufeff [\n{\"conversation\":\"c1\",\"time\":\"2024-05-01T09:30:00Z\",\"role\":\"customer\",\"type\":\"message\"},\n {\"conversation\":\"c1\"}]\n",
		`[{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","dims":{"a":"]"}}, 1]`,
		`[{"a":"\"}"}]`,
		`[{"a":[}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		body := bytes.TrimPrefix(data, []byte(utf8BOM))
		if b := bytes.TrimLeft(body, " \t\r\n"); len(b) == 0 || b[0] != '[' {
			return // JSON Lines: FuzzJSONLReader
		}
		// Element by element, and read ahead in batches of 3 elements.
		for _, batch := range []int{0, 3} {
			func() {
				r, err := NewJSONLReader(bytes.NewReader(data))
				require.NoError(t, err)
				readAheadIn(r, batch)
				type result struct {
					rec Record
					err error
				}
				var got []result
				for range len(data) + 2 {
					rec, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil && len(got) > 0 && got[len(got)-1].err == err {
						break // permanent
					}
					var ie *InputError
					if err != nil && !errors.As(err, &ie) {
						t.Fatalf("error %v is not an *InputError", err)
					}
					got = append(got, result{rec, err})
				}
				elems, lines, ok := refArray(body)
				if !ok {
					if !slices.ContainsFunc(got, func(r result) bool { return r.err != nil }) {
						t.Fatalf("%q is not a JSON array, read without an error", data)
					}
					return
				}
				for i, el := range elems {
					if i >= len(got) {
						t.Fatalf("element %d of %d not read", i, len(elems))
					}
					if bytes.TrimLeft(el, " \t\r\n")[0] != '{' {
						if got[i].err == nil || i != len(got)-1 {
							t.Fatalf("element %d is not an object: want a permanent error, got %v", i, got[i].err)
						}
						return
					}
					want, ok := refRecord(el)
					if ok != (got[i].err == nil) {
						t.Fatalf("element %d %q: encoding/json reading %v, reader error %v", i, el, ok, got[i].err)
					}
					if ok && (got[i].rec.Line != lines[i] || !sameRecord(want, got[i].rec)) {
						t.Fatalf("element %d line %d: read as %+v, encoding/json reading gives line %d %+v", i, got[i].rec.Line, got[i].rec, lines[i], want)
					}
				}
				if len(got) != len(elems) {
					t.Fatalf("%d results for %d elements", len(got), len(elems))
				}
			}()
		}
	})
}

// refMapped applies m to one JSON line on top of encoding/json: the line
// that the format reads, or ok false when the line is not JSON.
func refMapped(line []byte, m Mapping) ([]byte, bool) {
	if !utf8.Valid(line) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	out := []byte{'{'}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, false
		}
		name, renamed := m.Rename[key]
		if !renamed {
			name = key
		}
		if slices.Contains(m.Ignore, key) || !renamed && m.IgnoreUnknown && lookupField(key) == fNone {
			continue
		}
		f := lookupField(name)
		if vm := m.Values[name]; vm != nil && len(raw) > 0 && raw[0] != '{' && raw[0] != '[' && string(raw) != "null" {
			text := string(raw)
			if raw[0] == '"' {
				_ = json.Unmarshal(raw, &text)
			}
			if v, ok := vm[text]; ok {
				switch {
				case v == "":
					raw = json.RawMessage("null")
				case f == fScore || f.isBool():
					raw = json.RawMessage(v)
				default:
					raw, _ = json.Marshal(v)
				}
			}
		}
		k, _ := json.Marshal(name)
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(append(append(out, k...), ':'), raw...)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return append(out, '}'), true
}

func FuzzMapping(f *testing.F) {
	f.Add([]byte(`{"conversation_id":"c1","created_at":"2024-05-01T09:30:00Z","direction":"incoming","type":"message","text":{"a":[1,2,{"b":null}]}}`),
		"created_at", "time", "role", "incoming", "customer", "text", uint8(0))
	f.Add([]byte(`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":1,"type":"message","x":"\u00e9","score":3}`),
		"direction", "role", "role", "1", "agent", "", uint8(3))
	f.Add([]byte(`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"rating","survey":"csat","score":"five","helpful":"yes"}`),
		"", "", "score", "five", "5", "x", uint8(1))
	f.Fuzz(func(t *testing.T, line []byte, from, to, vfield, vfrom, vto, ignore string, flags uint8) {
		if bytes.ContainsAny(line, "\n") || bytes.HasPrefix(bytes.TrimLeft(line, " \t\r"), []byte("[")) ||
			bytes.HasPrefix(line, []byte(utf8BOM)) || isBlank(line) || strings.HasPrefix(to, "dim.") {
			return // one JSON Lines line; dimensions as targets are in TestMappingJSONL
		}
		m := Mapping{IgnoreUnknown: flags&1 != 0, IgnoreInapplicable: flags&2 != 0}
		if from != "" {
			m.Rename = map[string]string{from: to}
		}
		if vfield != "" {
			m.Values = map[string]map[string]string{vfield: {vfrom: vto}}
		}
		if ignore != "" {
			m.Ignore = []string{ignore}
		}
		r, err := NewJSONLReader(bytes.NewReader(line), MapFields(m))
		if err != nil {
			return // not a valid mapping: TestBadMappings
		}
		rec, err := r.Next()
		mapped, ok := refMapped(line, m)
		var want Record
		if ok {
			want, ok = refRecordOf(mapped, m.IgnoreInapplicable)
		}
		switch {
		case ok != (err == nil):
			t.Fatalf("%q with %+v: reader error %v, encoding/json reading of %q ok %v", line, m, err, mapped, ok)
		case ok && !sameRecord(want, rec):
			t.Fatalf("%q with %+v: read as %+v, encoding/json reading of %q gives %+v", line, m, rec, mapped, want)
		}
	})
}

// FuzzParseMapping: any document is accepted or rejected without a panic,
// and an accepted mapping survives encoding/json: Marshal then ParseMapping
// gives it back.
func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(`{"rename":{"created_at":"time","lang":"dim.lang"},"values":{"role":{"0":"customer"}},"ignore":["text"],"ignore_unknown":true}`))
	f.Add([]byte(`{"values":{"score":{"five":"5"},"helpful":{"yes":"true","":""}},"ignore_inapplicable":true}`))
	f.Add([]byte(`{"rename":{"a":"b"}} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMapping(data)
		if err != nil {
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "mapping", ie.Field)
			return
		}
		_, err = NewCSVReader(strings.NewReader(""), MapFields(m))
		require.NoError(t, err, "ParseMapping checks what MapFields checks")
		b, err := json.Marshal(m)
		require.NoError(t, err)
		back, err := ParseMapping(b)
		require.NoError(t, err)
		assert.Equal(t, normalMapping(m), normalMapping(back))
	})
}

// normalMapping drops empty maps and lists, which JSON writes as absent.
func normalMapping(m Mapping) Mapping {
	if len(m.Rename) == 0 {
		m.Rename = nil
	}
	if len(m.Ignore) == 0 {
		m.Ignore = nil
	}
	if len(m.Values) == 0 {
		m.Values = nil
	}
	for k, v := range m.Values {
		if v == nil {
			m.Values[k] = map[string]string{}
		}
	}
	return m
}

// FuzzCSVMapping checks the mapping of a CSV reader against its definition:
// reading with a mapping is reading without one a file whose header is
// renamed (ignored columns left out) and whose cells are mapped.
func FuzzCSVMapping(f *testing.F) {
	f.Add([]byte("conversation_id,created_at,role,type,text\nc1,2024-05-01T09:30:00Z,incoming,message,hi\nc1,2024-05-01T09:31:00Z,agent,message,\"a,b\"\n"),
		"conversation_id", "conversation", "role", "incoming", "customer", "text", uint8(0))
	f.Add([]byte("conversation,time,role,type,score,x\nc1,2024-05-01T09:30:00Z,customer,message,3,y\n"),
		"created_at", "time", "score", "3", "", "", uint8(3))
	f.Add([]byte("conversation,time,role,type,dim.plan,x\nc1,2024-05-01T09:30:00Z,customer,message,pro,y\n"),
		"", "", "", "", "", "", uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, from, to, vfield, vfrom, vto, ignore string, flags uint8) {
		m := Mapping{IgnoreUnknown: flags&1 != 0, IgnoreInapplicable: flags&2 != 0}
		if from != "" {
			m.Rename = map[string]string{from: to}
		}
		if vfield != "" {
			m.Values = map[string]map[string]string{vfield: {vfrom: vto}}
		}
		if ignore != "" {
			m.Ignore = []string{ignore}
		}
		mapped, err := NewCSVReader(bytes.NewReader(data), MapFields(m), MaxLineSize(1<<16))
		if err != nil {
			return // not a valid mapping: TestBadMappings
		}
		// The definition, on top of encoding/csv.
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(utf8BOM)))).ReadAll()
		if err != nil || len(rows) == 0 || bytes.Count(data, []byte{'\n'}) != len(rows) || bytes.ContainsRune(data, '\r') {
			return // malformed CSV, blank or multi-line records: FuzzCSVReader and FuzzCSVFramer
		}
		keep := make([]bool, len(rows[0]))
		var fields []field
		header := []string{}
		for i, name := range rows[0] {
			to, renamed := m.Rename[name]
			if !renamed {
				to = name
			}
			f := lookupField(to)
			known := f != fNone || strings.HasPrefix(to, "dim.") && len(to) > len("dim.")
			if slices.Contains(m.Ignore, name) || !renamed && !known && m.IgnoreUnknown {
				continue
			}
			keep[i] = true
			fields = append(fields, f)
			header = append(header, to)
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		require.NoError(t, w.Write(header))
		for _, row := range rows[1:] {
			var out []string
			for i, cell := range row {
				if !keep[i] {
					continue
				}
				if f := fields[len(out)]; f != fNone && f != fDims && m.Values[f.String()] != nil {
					if v, ok := m.Values[f.String()][cell]; ok {
						cell = v
					}
				}
				out = append(out, cell)
			}
			require.NoError(t, w.Write(out))
		}
		w.Flush()
		var plainOpts []ReaderOption
		if m.IgnoreInapplicable {
			plainOpts = append(plainOpts, MapFields(Mapping{IgnoreInapplicable: true}))
		}
		plain, err := NewCSVReader(&b, append(plainOpts, MaxLineSize(1<<16))...)
		require.NoError(t, err)
		for i := 0; ; i++ {
			got, err1 := mapped.Next()
			want, err2 := plain.Next()
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("record %d: with the mapping %v, on the mapped file %v\n%q\n%q", i, err1, err2, data, b.String())
			}
			if err1 != nil {
				if err1 == io.EOF || err2 == io.EOF {
					require.Equal(t, err1, err2)
					return
				}
				var ie1, ie2 *InputError
				if !errors.As(err1, &ie1) || !errors.As(err2, &ie2) || ie1.Line == 0 && ie2.Line == 0 {
					return // both permanent
				}
				if _, again := mapped.Next(); again == err1 {
					return // a permanent error such as a bad header
				}
				continue
			}
			if !sameRecord(want, got) || want.Line != got.Line {
				t.Fatalf("record %d: with the mapping %+v, on the mapped file %+v", i, got, want)
			}
		}
	})
}

func TestErrorKinds(t *testing.T) {
	_, err := readAllJSONL(t, `{"conversation":"c1"}`, MaxLineSize(5))
	assert.ErrorIs(t, err, ErrLineTooLong)
	assert.NotErrorIs(t, err, ErrLimit, "ErrLimit is about results and states; the command names -max-groups for it")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.NotErrorIs(t, err, ErrUnknownField)
}
