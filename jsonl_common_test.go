package chatkpi

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"pgregory.net/rapid"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// commonSeeds are lines near the layout that parseCommon reads, and just
// off it: keys in an unexpected order, a key that is a prefix of a known
// one or has one as its prefix, escapes in keys and values, duplicate keys,
// null and empty values, whitespace in odd places, numbers where strings go.
var commonSeeds = []string{
	`{"conversation":"c0","time":"2026-02-11T08:26:57.438Z","role":"customer","type":"message","customer":"u44021","channel":"social"}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:26:58.39Z","role":"system","type":"message","automatic":true}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:29:03.941Z","role":"agent","type":"joined","agent":"fay"}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:30:00Z","role":"system","type":"survey_sent","survey":"csat"}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:31:00.5Z","role":"customer","type":"rating","survey":"csat","score":5}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:32:00Z","role":"customer","type":"goal","value":"12.50","currency":"EUR"}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:52:22.834Z","role":"agent","type":"resolved","agent":"fay"}`,
	// The guessed next key, then keys that differ from it only in their
	// bytes 8–15 (after the first word), or only before.
	`{"conversation":"c0","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","customer":"u1","channel":"chat"}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","customex":"u1","channel":"chat"}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","customer":"u1","channex":"chat"}` + "\n" +
		`{"conversatiox":"c0","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","customer":"u1","channel":"chat"}` + "\n" +
		`{"conversation":"c0","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","Customer":"u1","channel":"chat"}`,
	// The same fields in another order, then the first order again.
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message"}` + "\n" +
		`{"type":"message","role":"bot","time":"2026-02-11T08:26:58Z","conversation":"c1"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:59Z","role":"bot","type":"message"}`,
	// Prefixes and extensions of known names, escapes in names.
	`{"conv":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversationx":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversation":"c1","times":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversation":"c1","tim":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversation":"c1","ti\u006de":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversation":"c1","Time":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversation":"c1","":"x","time":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	// Duplicates, null, empty, false.
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message","role":"bot"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message","agent":null,"agent":"x"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message","agent":"","customer":null,"private":false,"dims":null}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message","private":null,"automatic":true}`,
	// Whitespace.
	` {"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversation" :"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message"}`,
	`{"conversation": "c1", "time": "2026-02-11T08:26:57Z", "role": "bot", "type": "message"}`,
	`{"conversation":  "c1",  "time": "2026-02-11T08:26:57Z", "role": "bot", "type": "message", "automatic": true, "agent": null}`,
	`{"conversation": "c1", , "time": "2026-02-11T08:26:57Z", "role": "bot", "type": "message"}`,
	`{ "conversation": "c1", "time": "2026-02-11T08:26:57Z", "role": "bot", "type": "message" }`,
	`{"conversation": "c1", "time": "2026-02-11T08:26:57Z", "role": "bot", "type": "message", }`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message" }`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bot","type":"message"} `,
	"{\"conversation\":\"c1\",\t\"time\":\"2026-02-11T08:26:57Z\",\"role\":\"bot\",\"type\":\"message\"}\r",
	// Escapes and non-ASCII in values; numbers, booleans and objects.
	`{"conversation":"c\u00e91","time":"2026-02-11T08:26:57Z","role":"bot","type":"message","agent":"Zoë"}`,
	`{"conversation":"c\"1","time":"2026-02-11T08:26:57Z","role":"b\u006ft","type":"message"}`,
	`{"conversation":"c1","id":17,"time":"2026-02-11T08:26:57Z","role":"customer","type":"rating","survey":"nps","score":-0}`,
	`{"conversation":"c1","id":"17","time":"2026-02-11T08:26:57Z","role":"customer","type":"rating","survey":"nps","score":"9"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"rating","survey":"nps","score":09}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"feedback","helpful":"true"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"feedback","helpful":truex}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","dims":{"lang":"en","a":null}}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57+02:00","role":"customer","type":"message","start":"2026-02-11T08:00:00-00:30","outbound":true}`,
	// Invalid values and ends.
	`{"conversation":"c1","time":"2026-02-30T08:26:57Z","role":"customer","type":"message"}`,
	`{"conversation":"c1","time":"0001-01-01T00:00:00Z","role":"customer","type":"message"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"client","type":"message"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"rating"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","score":3}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"message",}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"message"}}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"message"`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customer","type":"message","agent":"a}`,
	`{"conversation":"c1"}`, `{}`, `{`, `}`, `{"`, `{"conversation"`, `{"conversation":`, `[]`,
	// Times and names just off what quickValue reads: the edges of the
	// range, fractions of 1 and 10 digits, a fraction without digits, text
	// after the time, an escaped quote; names that are prefixes or
	// extensions of a value's, in the words quickValue compares.
	`{"conversation":"c1","time":"0001-01-01T00:00:00.000000001Z","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"0001-01-01T00:00:00Z","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"0000-12-31T23:59:59.9Z","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"9999-12-31T23:59:59.999999999Z","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"9999-12-31T23:59:59.9999999999-00:01","role":"bot","type":"message"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57.Z","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Zx","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z\u0022","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57+01:00:00","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z ","role":"bot","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:60Z","role":"bot","type":"message"}`,
	`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bots","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"bo","type":"message"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"customers","type":"messages"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"custome","type":"messag"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"system","type":"survey_sen","survey":"csat"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"system","type":"survey_sentx","survey":"csat"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","role":"system","type":"survey_sent","survey":"csat"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","type":"left","role":"bot"}` + "\n" +
		`{"conversation":"c1","time":"2026-02-11T08:26:57Z","type":"message","role":"bot"}`,
}

// FuzzJSONLCommon: parse, which tries parseCommon first, reads every line
// of the input as parseAny alone does — the same record, the same fields
// given, or the same error — with parsers that keep their state (the
// guessed field order, the interned strings) from line to line.
func FuzzJSONLCommon(f *testing.F) {
	for _, s := range commonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, general jsonParser
		for _, line := range bytes.Split(data, []byte{'\n'}) {
			var got, want Record
			gotErr := fast.parse(line, &got)
			general.b, general.given = line, 0
			wantErr := general.parseAny(&want)
			if !reflect.DeepEqual(gotErr, wantErr) {
				t.Fatalf("%q:\nparse:    %v\nparseAny: %v", line, gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) || fast.given != general.given {
				t.Fatalf("%q:\nparse:    %+v (given %b)\nparseAny: %+v (given %b)", line, got, fast.given, want, general.given)
			}
		}
	})
}

// TestParseCommonTakesWrittenLines: the lines JSONLWriter writes, in
// peer-bench's mix, all take the fast path, also with a space after each
// ':' and ','.
func TestParseCommonTakesWrittenLines(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for _, c := range decodeBenchChats(2000) {
		if err := w.WriteConversation(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	spaced := bytes.ReplaceAll(bytes.ReplaceAll(buf.Bytes(), []byte(`":`), []byte(`": `)), []byte(`,"`), []byte(`, "`))
	for _, data := range [][]byte{buf.Bytes(), spaced} {
		var p jsonParser
		for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte{'\n'}), []byte{'\n'}) {
			var rec Record
			p.b, p.given = line, 0
			if !p.parseCommon(&rec) {
				t.Fatalf("%s: not read by parseCommon", line)
			}
		}
	}
}

// TestQuotedSlots: each role and event type has a slot of its own in
// quickValue's tables, so that every valid name is found there.
func TestQuotedSlots(t *testing.T) {
	var p jsonParser
	for _, c := range []struct {
		tab    *quotedNames
		lo, hi uint8
		name   func(uint8) string
	}{
		{&p.roleNames, uint8(Customer), uint8(System), func(v uint8) string { return Role(v).String() }},
		{&p.typeNames, uint8(Message), uint8(lastEventType), func(v uint8) string { return EventType(v).String() }},
	} {
		for v := c.lo; v <= c.hi; v++ {
			for _, after := range []string{`}     `, `,"agent":"fay","customer":"u1"}`} { // near the end of a line (one word), or not (two)
				p.b, p.i = []byte(`"`+c.name(v)+`"`+after), 0
				got, ok := p.nameValue(c.tab, c.lo, c.hi, c.name)
				if !ok || got != v || p.i != len(c.name(v))+2 {
					t.Errorf("%s: read %d (%v), up to %d", c.name(v), got, ok, p.i)
				}
				for _, other := range []string{c.name(v) + "x", c.name(v)[:len(c.name(v))-1], "X" + c.name(v)[1:], c.name(v)[:len(c.name(v))-1] + "X"} {
					p.b, p.i = []byte(`"`+other+`"`+after), 0
					if got, ok := p.nameValue(c.tab, c.lo, c.hi, c.name); ok {
						t.Errorf("%q read as %d", other, got)
					}
				}
			}
		}
	}
}

// TestDaysSinceUnixEpoch compares the era arithmetic with time.Date on
// every day of years at the edges of eras and of the range, and on the
// first of March, February's last day and New Year's Eve of every year.
func TestDaysSinceUnixEpoch(t *testing.T) {
	check := func(y, m, d int) {
		t.Helper()
		want := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
		if time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix()%86400 != 0 {
			t.Fatal("not a day")
		}
		if got := daysSinceUnixEpoch(y, m, d); got != want {
			t.Fatalf("%04d-%02d-%02d: %d days, want %d", y, m, d, got, want)
		}
	}
	for y := 0; y <= 9999; y++ {
		check(y, 1, 1)
		check(y, 2, daysIn(2, y))
		check(y, 3, 1)
		check(y, 12, 31)
		if y <= 1 || y >= 1599 && y <= 1601 || y >= 1969 && y <= 1971 || y >= 1999 && y <= 2001 || y >= 2099 && y <= 2101 || y == 9999 {
			for m := 1; m <= 12; m++ {
				for d := 1; d <= daysIn(m, y); d++ {
					check(y, m, d)
				}
			}
		}
	}
}

// TestWritableTimeBounds: the years 1–9999 in UTC, to the nanosecond.
func TestWritableTimeBounds(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want bool
	}{
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Add(-1), false},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), true},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(10000, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600)), true},
		{time.Date(1, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600)), false},
		{time.Time{}, true},
	} {
		if got := writableTime(c.t); got != c.want {
			t.Errorf("writableTime(%v) = %v, want %v", c.t, got, c.want)
		}
		if y := c.t.UTC().Year(); (y >= 1 && y <= 9999) != c.want {
			t.Errorf("%v: the test's expectation is wrong", c.t)
		}
	}
}

// FuzzParseTime compares parseTime with time.Parse on the text that the
// format takes (refTime, RFC 3339 with offsets up to 23:59): the same
// instants and offsets, and the same texts rejected, the range checks of
// setField included, whatever time was read before.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2026-02-11T08:26:57.438Z", "2026-02-11T08:26:57Z", "2024-02-29T23:59:59.999999999Z", "2023-02-29T00:00:00Z",
		"2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "0000-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000001Z",
		"0001-01-01T00:30:00+01:00", "9999-12-31T23:59:59.9999999999Z", "9999-12-31T23:00:00-01:00", "2026-04-31T00:00:00Z",
		"2026-02-11T24:00:00Z", "2026-02-11T08:60:00Z", "2026-02-11T08:26:60Z", "2026-02-11T08:26:57+23:59", "2026-02-11T08:26:57+24:00",
		"2026-02-11T08:26:57-00:60", "2026-02-11T08:26:57.Z", "2026-02-11t08:26:57z", "2026-02-11T08:26:57,5Z", "2026-1-11T08:26:57Z",
		"+026-02-11T08:26:57Z", "2026-02-11T08:26:57.123+05:30", "2026-02-11T08:26:57.123+0530", "2026-00-11T08:26:57Z", "2026-13-01T08:26:57Z",
	} {
		f.Add("2026-02-11T08:26:57Z", s)
		f.Add(s[:min(len(s), 13)]+":00:00Z", s)
	}
	f.Fuzz(func(t *testing.T, before, s string) {
		var p fieldParser
		var rec Record
		setField(&p, &rec, fStart, before) // a time read before, whose date and hour parseTime keeps
		err := setField(&p, &rec, fTime, s)
		want, werr := refTime(s)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: setField %v, time.Parse %v", s, err, werr)
		}
		got, ok := parseTime(&p, s)
		if err != nil {
			if ok && !got.IsZero() && writableTime(got) {
				t.Fatalf("%q: rejected, but parseTime reads %v", s, got)
			}
			return
		}
		_, goff := got.Zone()
		_, woff := want.Zone()
		if !ok || !got.Equal(want) || goff != woff || got.Nanosecond() != want.Nanosecond() || rec.Event.Time != got {
			t.Fatalf("%q: read as %v, time.Parse gives %v", s, got, want)
		}
		if woff == 0 && s[len(s)-1] == 'Z' && got.Location() != time.UTC {
			t.Fatalf("%q: not in UTC", s)
		}
		// Followed by more text, as in a line, the time is read from
		// words that go past it: the same time, ending where it does.
		var q fieldParser
		setField(&q, &rec, fStart, before)
		at, end, ok := parseTimeAt(&q, `"`+s+`","role":"x"`, 1)
		_, aoff := at.Zone()
		if !ok || !at.Equal(got) || aoff != goff || (at.Location() == time.UTC) != (got.Location() == time.UTC) || end != 1+len(s) {
			t.Fatalf("%q in a line: read as %v (%v) up to %d, alone as %v", s, at, ok, end, got)
		}
	})
}

// fractionDigits reads what the digit loop of parseTimeAt reads, for 0 to
// 8 digits followed by any byte (bytes next to '0' and '9' included).
func TestFractionDigits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.SliceOfN(rapid.ByteRange('0', '9'), 0, 8).Draw(t, "digits")
		rest := rapid.SliceOfN(rapid.SampledFrom([]byte{'/', ':', 'Z', '+', '"', 0x39 + 0x10, 0x30 - 0x10, 0xb0, 0x3a, 0x3f, 0}), 8, 8).Draw(t, "rest")
		w := le64(append(append([]byte{}, digits...), rest...))
		n, k := fractionDigits(w)
		if k != len(digits) {
			t.Fatalf("%q: %d digits, want %d", digits, k, len(digits))
		}
		if k == 0 || k == 8 {
			return
		}
		want := 0
		for _, c := range digits {
			want = want*10 + int(c-'0')
		}
		for range 9 - k {
			want *= 10
		}
		if n != want {
			t.Fatalf("%q: %d ns, want %d", digits, n, want)
		}
	})
}

// TestNameTables: every role, event type and survey is found by its name
// in one look-up (its slot is its own), and other text is not.
func TestNameTables(t *testing.T) {
	var p fieldParser
	var rec Record
	check := func(tab *nameTable, lo, hi uint8, name func(uint8) string, f field, get func() uint8) {
		t.Helper()
		for v := lo; v <= hi; v++ {
			if err := setField(&p, &rec, f, name(v)); err != nil || get() != v {
				t.Fatalf("%s %q: %v, read %d", f, name(v), err, get())
			}
			if tab.at[nameSlot(name(v))] != v {
				t.Errorf("%s %q shares its slot with %q", f, name(v), name(tab.at[nameSlot(name(v))]))
			}
		}
		for _, s := range []string{"x", "Message", "messages", "messag", "bots", "npss", "agent ", "survey-sent"} {
			if err := setField(&p, &rec, f, s); err == nil {
				t.Errorf("%s %q accepted", f, s)
			}
		}
	}
	check(&p.roles, uint8(Customer), uint8(System), func(v uint8) string { return Role(v).String() }, fRole, func() uint8 { return uint8(rec.Event.Role) })
	check(&p.types, uint8(Message), uint8(lastEventType), func(v uint8) string { return EventType(v).String() }, fType, func() uint8 { return uint8(rec.Event.Type) })
	check(&p.surveys, uint8(CSATSurvey), uint8(CESSurvey), func(v uint8) string { return Survey(v).String() }, fSurvey, func() uint8 { return uint8(rec.Event.Survey) })
}

// TestSpecialBytes: in 8 plain bytes with any two replaced by any values,
// specialBytes marks every byte that is not plain, and the lowest byte it
// marks is not plain.
func TestSpecialBytes(t *testing.T) {
	plain := []byte("abcdefgh")
	for i := range 8 {
		for j := i + 1; j < 8; j++ {
			for c := range 1 << 16 {
				b := bytes.Clone(plain)
				b[i], b[j] = byte(c), byte(c>>8)
				x := uint64(0)
				for k := 7; k >= 0; k-- {
					x = x<<8 | uint64(b[k])
				}
				m := specialBytes(x)
				for k := range 8 {
					if !isPlainStringByte(b[k]) && m&(0x80<<(8*k)) == 0 {
						t.Fatalf("%q: byte %d not marked", b, k)
					}
				}
				if m != 0 && isPlainStringByte(b[bits.TrailingZeros64(m)>>3]) {
					t.Fatalf("%q: the lowest marked byte is plain", b)
				}
			}
		}
	}
	if specialBytes(0x6867666564636261) != 0 { // "abcdefgh"
		t.Fatal("plain bytes taken for special")
	}
}

// TestKeyText checks the words that parseCommon compares a field name by:
// they are the bytes of `"name":` for every field of the format, and there
// are none for a name too long for two words, which would otherwise match
// any name that starts and ends as it does.
func TestKeyText(t *testing.T) {
	for f := field(1); f < numFields; f++ {
		text := `"` + f.String() + `":`
		k := newKeyText(f.String())
		require.Equal(t, len(text), k.n, f.String())
		line := []byte(text + "                ")
		require.Equal(t, k.first, binary.LittleEndian.Uint64(line)&k.mask, f.String())
		if k.n > 8 {
			require.Equal(t, k.last, binary.LittleEndian.Uint64(line[k.n-8:]), f.String())
		}
	}
	require.Equal(t, 16, newKeyText("thirteenchars").n)
	require.Zero(t, newKeyText("fourteenchars!").n)
}
