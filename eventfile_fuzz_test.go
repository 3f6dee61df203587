package chatkpi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// refRecord is the reference reading of one JSON line, written for
// obviousness on top of encoding/json's tokenizer: the oracle that the hand
// parser of JSONLReader is fuzzed against.
func refRecord(line []byte) (Record, bool) { return refRecordOf(line, false) }

// refRecordOf is refRecord, clearing the fields that do not apply to the
// event's type when dropInapplicable.
func refRecordOf(line []byte, dropInapplicable bool) (Record, bool) {
	var rec Record
	given := map[field]bool{} // fields with a value other than null, "" and false
	if !utf8.Valid(line) {
		return rec, false // encoding/json would replace; the format rejects
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return rec, false
	}
	seen := map[string]bool{}
	text := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return rec, false
		}
		key := tok.(string)
		if seen[key] || lookupField(key) == fNone {
			return rec, false
		}
		seen[key] = true
		f := lookupField(key)
		tok, err = dec.Token()
		if err != nil || tok == nil {
			if err != nil {
				return rec, false
			}
			continue
		}
		switch v := tok.(type) {
		case string:
			if f == fScore || f == fDims || f.isBool() {
				return rec, false
			}
			text[key] = v
		case json.Number:
			if f == fID {
				if strings.ContainsAny(v.String(), ".eE") {
					return rec, false
				}
				rec.Event.ID = v.String()
				continue
			}
			if f != fScore {
				return rec, false
			}
			n, err := strconv.ParseInt(v.String(), 10, 8)
			if err != nil {
				return rec, false
			}
			rec.Event.Score = int8(n)
			given[f] = true
		case bool:
			if !f.isBool() {
				return rec, false
			}
			given[f] = v
			switch f {
			case fHelpful:
				rec.Event.Helpful = v
			case fPrivate:
				rec.Event.Private = v
			case fAutomatic:
				rec.Event.Automatic = v
			case fOutbound:
				rec.Info.Outbound = v
			}
		case json.Delim:
			if f != fDims || v != '{' {
				return rec, false
			}
			dims := map[string]string{}
			dseen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil || k.(string) == "" || dseen[k.(string)] {
					return rec, false
				}
				dseen[k.(string)] = true
				v, err := dec.Token()
				if err != nil {
					return rec, false
				}
				switch v := v.(type) {
				case nil:
				case string:
					if v != "" {
						dims[k.(string)] = v
					}
				default:
					return rec, false
				}
			}
			if _, err := dec.Token(); err != nil {
				return rec, false
			}
			if len(dims) > 0 {
				rec.Info.Dims = dims
			}
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return rec, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return rec, false
	}
	for k, v := range text {
		if v == "" {
			continue
		}
		given[lookupField(k)] = true
		var err error
		switch lookupField(k) {
		case fConversation:
			rec.Info.ID = v
		case fCustomer:
			rec.Info.Customer = v
		case fChannel:
			rec.Info.Channel = v
		case fSource:
			rec.Info.Source = v
		case fPriority:
			rec.Info.Priority = v
		case fAgent:
			rec.Event.Agent = v
		case fCurrency:
			rec.Event.Currency = v
		case fID:
			rec.Event.ID = v
		case fTime:
			rec.Event.Time, err = refTime(v)
		case fStart:
			rec.Info.Start, err = refTime(v)
		case fRole:
			rec.Event.Role, err = ParseRole(v)
		case fType:
			rec.Event.Type, err = ParseEventType(v)
		case fSurvey:
			rec.Event.Survey, err = ParseSurvey(v)
		case fValue:
			if !decimalRE.MatchString(v) {
				return rec, false
			}
			rec.Event.Value, err = decimal.NewFromString(v)
		}
		if err != nil {
			return rec, false
		}
	}
	if rec.Info.ID == "" || rec.Event.Time.IsZero() || rec.Event.Role == 0 || rec.Event.Type == 0 {
		return rec, false
	}
	// The typed fields, as the Record documentation lists them.
	e := &rec.Event
	for f, on := range given {
		if !on {
			continue
		}
		var ok bool
		switch f {
		case fSurvey:
			ok = e.Type == Rating || e.Type == SurveySent
			if !ok && dropInapplicable {
				e.Survey = 0
			}
		case fScore:
			ok = e.Type == Rating
			if !ok && dropInapplicable {
				e.Score = 0
			}
		case fValue, fCurrency:
			ok = e.Type == Goal
			if !ok && dropInapplicable {
				e.Value, e.Currency = decimal.Decimal{}, ""
			}
		case fHelpful:
			ok = e.Type == Feedback
			if !ok && dropInapplicable {
				e.Helpful = false
			}
		case fPrivate, fAutomatic:
			ok = e.Type == Message
			if !ok && dropInapplicable {
				e.Private, e.Automatic = false, false
			}
		default:
			ok = true
		}
		if !ok && !dropInapplicable {
			return rec, false
		}
	}
	return rec, ValidateEvent(rec.Info.ID, -1, &rec.Event) == nil
}

var (
	decimalRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	// rfc3339RE is RFC 3339's date-time (section 5.6) with upper-case T and Z.
	rfc3339RE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))$`)
)

// refTime reads an RFC 3339 time as the format takes it: time.Parse on what
// the grammar allows (offsets up to 23:59), after the zero instant and in the
// years 1–9999.
func refTime(v string) (time.Time, error) {
	m := rfc3339RE.FindStringSubmatch(v)
	if m == nil || m[3] != "" && (m[3] > "23" || m[4] > "59") {
		return time.Time{}, errors.New("not RFC 3339")
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err == nil && (t.IsZero() || !writableTime(t)) {
		err = errors.New("out of range")
	}
	return t, err
}

func sameRecord(a, b Record) bool {
	if !a.Event.Time.Equal(b.Event.Time) || !a.Info.Start.Equal(b.Info.Start) || !a.Event.Value.Equal(b.Event.Value) {
		return false
	}
	if !maps.Equal(a.Info.Dims, b.Info.Dims) {
		return false
	}
	a.Event.Time, a.Info.Start, a.Event.Value, a.Info.Dims = time.Time{}, time.Time{}, decimal.Decimal{}, nil
	b.Event.Time, b.Info.Start, b.Event.Value, b.Info.Dims = time.Time{}, time.Time{}, decimal.Decimal{}, nil
	a.Line, b.Line = 0, 0
	return reflect.DeepEqual(a, b)
}

// fileLines splits an input as JSONLReader does, keeping non-blank lines
// with their numbers.
func fileLines(data []byte) (lines [][]byte, numbers []int) {
	for i, l := range bytes.SplitAfter(data, []byte{'\n'}) {
		l = bytes.TrimSuffix(bytes.TrimSuffix(l, []byte{'\n'}), []byte{'\r'})
		if !isBlank(l) {
			lines = append(lines, l)
			numbers = append(numbers, i+1)
		}
	}
	return lines, numbers
}

// rewrite writes rec alone and reads it back with a new reader of the same
// kind, which must give the same record.
func rewrite(t *testing.T, rec Record, csvFormat bool) {
	t.Helper()
	c := &Chat{Meta: rec.Info, Events: []Event{rec.Event}}
	var buf bytes.Buffer
	var r EventReader
	if csvFormat {
		w, err := NewCSVWriter(&buf, sortedKeys(rec.Info.Dims))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteConversation(c); err != nil {
			t.Fatalf("accepted record %+v not writable: %v", rec, err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r, _ = NewCSVReader(&buf)
	} else {
		w := NewJSONLWriter(&buf)
		if err := w.WriteConversation(c); err != nil {
			t.Fatalf("accepted record %+v not writable: %v", rec, err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r, _ = NewJSONLReader(&buf)
	}
	back, err := r.Next()
	if err != nil {
		t.Fatalf("rewritten record %+v not readable: %v\n%s", rec, err, buf.String())
	}
	if !sameRecord(rec, back) {
		t.Fatalf("write→read changed the record:\n%+v\n%+v\n%s", rec, back, buf.String())
	}
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func FuzzJSONLReader(f *testing.F) {
	for _, s := range []string{
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`,
		`{"conversation":"c\u00e9\ud83d\ude00","time":"2024-05-01T11:30:00.123456789+02:00","role":"bot","type":"fallback","agent":"\ud800"}` + "\r\n\n",
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"rating","survey":"ces","score":-0}`,
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"goal","value":"0012.500","currency":"EUR","customer":null,"dims":{"a":"b","c":null}}`,
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"agent","type":"joined","agent":"x","outbound":true,"start":"2024-05-01T09:00:00-09:30","private":false,"helpful":true,"automatic":true}`,
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","score":9223372036854775807}`,
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","score":1e2}`,
		`{"conversation":"c1","id":"m\u00e91","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}` + "\n" +
			`{"conversation":"c1","id":"","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}` + "\n" +
			`{"conversation":"c1","id":null,"time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}` + "\n" +
			`{"conversation":"c1","id":17,"time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`,
		`{"conversation":"t","time":"2024-05-01T09:30:00Z","role":"agent","type":"pending","priority":"high"}` + "\n" +
			`{"conversation":"t","time":"2024-05-01T09:31:00Z","role":"system","type":"on_hold","priority":"high"}` + "\n" +
			`{"conversation":"t","time":"2024-05-01T09:32:00Z","role":"customer","type":"opened","priority":"low"}`,
		"{\"conversation\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"time\":\"2024-05-01T09:30:00Z\",\"role\":\"customer\",\"type\":\"message\"}\n[]\n{}",
	} {
		f.Add([]byte(s))
	}
	for _, s := range commonSeeds { // near and off parseCommon's layout
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		body := bytes.TrimPrefix(data, []byte(utf8BOM))
		if b := bytes.TrimLeft(body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
			return // a JSON array: FuzzJSONArray
		}
		r, err := NewJSONLReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		lines, numbers := fileLines(body)
		for i := 0; ; i++ {
			rec, err := r.Next()
			if err == io.EOF {
				if i != len(lines) {
					t.Fatalf("read %d lines of %d", i, len(lines))
				}
				return
			}
			if i >= len(lines) {
				t.Fatalf("more records than lines")
			}
			want, ok := refRecord(lines[i])
			var ie *InputError
			if err != nil {
				if !errors.As(err, &ie) || ie.Line != numbers[i] {
					t.Fatalf("line %d: error %v is not an *InputError of this line", numbers[i], err)
				}
				if ok {
					t.Fatalf("line %d: %q rejected (%v), encoding/json reading accepts %+v", numbers[i], lines[i], err, want)
				}
				continue
			}
			if rec.Line != numbers[i] {
				t.Fatalf("record line %d, want %d", rec.Line, numbers[i])
			}
			if !ok {
				t.Fatalf("line %d: %q accepted as %+v, encoding/json reading rejects", numbers[i], lines[i], rec)
			}
			if err := ValidateEvent(rec.Info.ID, -1, &rec.Event); err != nil {
				t.Fatalf("accepted record fails ValidateEvent: %v", err)
			}
			if !sameRecord(rec, want) {
				t.Fatalf("line %d: %q read as\n%+v, encoding/json reading gives\n%+v", numbers[i], lines[i], rec, want)
			}
			rewrite(t, rec, false)
		}
	})
}
