package chatkpi

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func readAllCSV(t *testing.T, in string, opts ...ReaderOption) ([]Record, error) {
	t.Helper()
	r, err := NewCSVReader(strings.NewReader(in), opts...)
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

func TestCSVReaderGoodRows(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	in := "\ufefftype,time,role,conversation,score,survey,value,currency,dim.greeting,outbound,helpful,channel\n" +
		"message,2024-05-01T09:30:00Z,customer,c1,,,,,A,true,,chat\n" +
		"rating,2024-05-01T11:30:00.5+02:00,customer,c1,9,nps,,,,,false,\n" +
		"goal,2024-05-01T09:30:00Z,customer,\"c,\"\"2\"\"\",,,12.50,EUR,,,,\n"
	recs, err := readAllCSV(t, in)
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assertRecordEqual(t, Record{Line: 2, Info: Info{ID: "c1", Channel: "chat", Outbound: true, Dims: map[string]string{"greeting": "A"}},
		Event: Event{Time: t0, Role: Customer, Type: Message}}, recs[0])
	assertRecordEqual(t, Record{Line: 3, Info: Info{ID: "c1"},
		Event: Event{Time: t0.Add(time.Second / 2), Role: Customer, Type: Rating, Survey: NPSSurvey, Score: 9}}, recs[1])
	assertRecordEqual(t, Record{Line: 4, Info: Info{ID: `c,"2"`},
		Event: Event{Time: t0, Role: Customer, Type: Goal, Value: decimal.RequireFromString("12.5"), Currency: "EUR"}}, recs[2])
}

func TestCSVReaderBadRows(t *testing.T) {
	const header = "conversation,time,role,type,score,survey,value,currency,helpful,dim.g\n"
	tests := []struct{ row, want string }{
		{"c1,2024-05-01T09:30:00Z,customer,rating,abc,nps,,,,", `chatkpi: line 2: conversation "c1": score: "abc" is not an integer`},
		{"c1,2024-05-01T09:30:00Z,customer,rating,+5,nps,,,,", `chatkpi: line 2: conversation "c1": score: "+5" is not an integer`},
		{"c1,2024-05-01T09:30:00Z,customer,rating,5,,,,,", `chatkpi: line 2: conversation "c1": survey: rating without a survey kind (csat, nps or ces)`},
		{"c1,2024-05-01T09:30:00Z,customer,goal,,,1.2.3,EUR,,", `chatkpi: line 2: conversation "c1": value: "1.2.3" is not a decimal number such as "12.50"`},
		{"c1,2024-05-01T09:30:00Z,customer,feedback,,,,,yes,", `chatkpi: line 2: conversation "c1": helpful: "yes" is not true or false`},
		{"c1,yesterday,customer,message,,,,,,", `chatkpi: line 2: conversation "c1": time: "yesterday" is not an RFC 3339 time such as "2024-05-01T09:30:00Z"`},
		{"c1,10000-01-01T00:00:00Z,customer,message,,,,,,", `chatkpi: line 2: conversation "c1": time: "10000-01-01T00:00:00Z" is not an RFC 3339 time such as "2024-05-01T09:30:00Z"`},
		{"c1,9999-12-31T23:00:00-02:00,customer,message,,,,,,", `chatkpi: line 2: conversation "c1": time: "9999-12-31T23:00:00-02:00" is outside the supported range, the years 1–9999 (UTC)`},
		{",2024-05-01T09:30:00Z,customer,message,,,,,,", `chatkpi: line 2: conversation: missing (required)`},
		{"c1,2024-05-01T09:30:00Z,customer,message,,,,,,\xff", `chatkpi: line 2: conversation "c1": dim.g: invalid UTF-8`},
		{"c1,2024-05-01T09:30:00Z,customer,message", `chatkpi: line 2: 4 fields, the header has 10`},
		{"c1,2024-05-01T09:30:00Z,customer,\"mess\"age,,,,,,", `chatkpi: line 2: invalid CSV at column 39: extraneous or missing " in quoted-field`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := readAllCSV(t, header+tt.row+"\n")
			require.EqualError(t, err, tt.want)
			assert.ErrorIs(t, err, ErrInvalid)
		})
	}
}

func TestCSVReaderHeaderErrorsArePermanent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `chatkpi: line 1: empty file: the header line is required`},
		{"conversation,time,role\n", `chatkpi: line 1: type: header: required column is missing`},
		{"conversation,time,role,type,mood\n", `chatkpi: line 1: mood: header: unknown column (a Mapping can rename or ignore it)`},
		{"conversation,time,role,type,time\n", `chatkpi: line 1: time: header: column given twice`},
		{"conversation,time,role,type,dims\n", `chatkpi: line 1: dims: header: dimensions are columns named dim.NAME`},
		{"conversation,time,role,type,dim.\n", `chatkpi: line 1: dim.: header: unknown column (a Mapping can rename or ignore it)`},
		{"conversation,time,role,type,\"a b\"\n", `chatkpi: line 1: "a b": header: unknown column (a Mapping can rename or ignore it)`},
		{"conversation,time,role,type,\n", `chatkpi: line 1: "": header: unknown column (a Mapping can rename or ignore it)`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			r, err := NewCSVReader(strings.NewReader(tt.in), SkipInvalid(func(*InputError) { t.Error("a header error is not skipped") }))
			require.NoError(t, err)
			_, err = r.Next()
			require.EqualError(t, err, tt.want)
			_, err = r.Next()
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestCSVReaderSkipInvalidAndLongRecords(t *testing.T) {
	good := "c1,2024-05-01T09:30:00Z,customer,message\n"
	in := "conversation,time,role,type\n" + good + "c1,2024-05-01T09:31:00Z,robot,message\n" + good +
		"\"" + strings.Repeat("x", 10000) + "\",2024-05-01T09:31:00Z,customer,message\n" + good +
		"\"a\nb" + strings.Repeat("x", 10000) + "\",2024-05-01T09:31:00Z,customer,message\n" + good
	var skipped []string
	r, err := NewCSVReader(strings.NewReader(in), MaxLineSize(1000), SkipInvalid(func(e *InputError) { skipped = append(skipped, e.Error()) }))
	require.NoError(t, err)
	var lines []int
	for rec, err := range Records(r) {
		require.NoError(t, err)
		lines = append(lines, rec.Line)
	}
	assert.Equal(t, []int{2, 4, 6, 9}, lines, "every good record is read")
	assert.Equal(t, []string{
		`chatkpi: line 3: conversation "c1": role: "robot" is not one of customer, agent, bot, system`,
		`chatkpi: line 5: CSV record longer than 1000 bytes: the quoted field opened on line 5, column 1, is not closed within that length (a missing closing quote?); reading goes on at the next line (see MaxLineSize)`,
		// The record's first line is dropped; its second line is read as a
		// record, and is reported too.
		`chatkpi: line 7: CSV record longer than 1000 bytes: the quoted field opened on line 7, column 1, is not closed within that length (a missing closing quote?); reading goes on at the next line (see MaxLineSize)`,
		`chatkpi: line 8: CSV record longer than 1000 bytes; reading goes on at the next line (see MaxLineSize)`,
	}, skipped)
	assert.Equal(t, 4, r.Skipped())

	// The limit counts the record's bytes, terminator included, exactly.
	for _, tt := range []struct {
		max int
		ok  bool
	}{{len(good) - 1, false}, {len(good), true}} {
		r, err = NewCSVReader(strings.NewReader("conversation,time,role,type\n"+good), MaxLineSize(tt.max))
		require.NoError(t, err)
		_, err = r.Next()
		if !tt.ok {
			require.ErrorIs(t, err, ErrLineTooLong)
			continue
		}
		require.NoError(t, err)
		_, err = r.Next()
		require.Equal(t, io.EOF, err)
	}

	// A limit as large as an int can be does not overflow.
	recs, err := readAllCSV(t, "conversation,time,role,type\n"+good, MaxLineSize(math.MaxInt))
	require.NoError(t, err)
	assert.Len(t, recs, 1)
}

// An unclosed quote drops its own line only, however much input follows it;
// the lines after it are read again (repro skip_unterminated_quote.csv).
func TestCSVReaderUnclosedQuoteDropsOneLine(t *testing.T) {
	head := "conversation,time,role,type,agent\n"
	row := func(i int) string { return fmt.Sprintf("c%d,2024-05-01T09:30:00Z,customer,message,\n", i) }
	for _, after := range []int{10, 30000} { // under and over the 1 MiB limit after the quote
		var b strings.Builder
		b.WriteString(head + row(0))
		b.WriteString("c999,2024-05-01T09:30:00Z,customer,message,\"ana\n")
		for i := 1; i <= after; i++ {
			b.WriteString(row(i))
		}
		var skipped []*InputError
		r, err := NewCSVReader(strings.NewReader(b.String()), SkipInvalid(func(e *InputError) { skipped = append(skipped, e) }))
		require.NoError(t, err)
		n := 0
		for _, err := range Records(r) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, after+1, n, "every valid record is read")
		require.Len(t, skipped, 1)
		assert.Equal(t, 3, skipped[0].Line)
		assert.Equal(t, 1, r.Skipped())
		if after < 100 {
			assert.Contains(t, skipped[0].Error(), "the quoted field opened on line 3, column 44, is never closed")
		} else {
			assert.ErrorIs(t, skipped[0], ErrLineTooLong)
			assert.Contains(t, skipped[0].Error(), "the quoted field opened on line 3, column 44, is not closed within that length")
		}
	}
}

// A byte order mark is dropped the same way by both readers, also before a
// quoted header.
func TestReadersIgnoreAByteOrderMark(t *testing.T) {
	recs, err := readAllCSV(t, "\ufeff\"conversation\",time,role,type\nc1,2024-05-01T09:30:00Z,customer,message\n")
	require.NoError(t, err)
	assert.Len(t, recs, 1)
	recs, err = readAllJSONL(t, "\ufeff"+`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`)
	require.NoError(t, err)
	assert.Len(t, recs, 1)
	recs, err = readAllJSONL(t, "\ufeff"+`[{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}]`)
	require.NoError(t, err)
	assert.Len(t, recs, 1)
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{
		"conversation,time,role,type\nc1,2024-05-01T09:30:00Z,customer,message\n",
		"type,time,role,conversation,score,survey,value,currency,dim.g,outbound,helpful,start\n" +
			"rating,2024-05-01T11:30:00.5+02:00,customer,c1,9,nps,,,A,true,false,2024-05-01T09:00:00Z\n" +
			"goal,2024-05-01T09:30:00Z,customer,\"c,\"\"2\"\"\r\",,,12.50,EUR,,,,\r\n",
		"conversation,time,role,type,agent,private,automatic,customer,channel,source\nc,2024-05-01T09:30:00Z,agent,joined,a\"b,true,true,u,chat,s\nx\n",
		"conversation,time,role,type,priority\nt,2024-05-01T09:30:00Z,agent,pending,high\nt,2024-05-01T09:31:00Z,bot,on_hold,\nt,2024-05-01T09:32:00Z,customer,opened,low\n",
		"id,conversation,time,role,type\nm1,c1,2024-05-01T09:30:00Z,customer,message\n,c1,2024-05-01T09:30:00Z,customer,message\n\"m,1\",c1,2024-05-01T09:30:00Z,customer,message\n",
		// Records of one line without quotes (split at their commas), with
		// too few or too many fields, invalid UTF-8, a lone '\r'.
		"conversation,time,role,type,agent\nc1,2024-05-01T09:30:00Z,customer,message,\nc1,2024-05-01T09:30:00Z,customer,message\n" +
			"c1,2024-05-01T09:30:00Z,customer,message,,\nc1,2024-05-01T09:30:00Z,agent,joined,\xff\nc1,2024-05-01T09:30:00Z,agent,joined,\xc3\xa9\r\n" +
			"c1,2024-05-01T09:30:00Z,agent,joined,a\rb\r\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSVReader(bytes.NewReader(data), MaxLineSize(4096))
		if err != nil {
			t.Fatal(err)
		}
		prevLine := 0
		var prevErr error
		for range len(data) + 2 {
			rec, err := r.Next()
			if err == io.EOF || err != nil && err == prevErr { // the end, or a permanent error
				return
			}
			prevErr = err
			var ie *InputError
			if err != nil {
				if !errors.As(err, &ie) || ie.Line <= prevLine {
					t.Fatalf("error %v is not an *InputError after line %d", err, prevLine)
				}
				continue
			}
			if rec.Line <= prevLine {
				t.Fatalf("record line %d after %d", rec.Line, prevLine)
			}
			prevLine = rec.Line
			if err := ValidateEvent(rec.Info.ID, -1, &rec.Event); err != nil {
				t.Fatalf("accepted record fails ValidateEvent: %v", err)
			}
			rewrite(t, rec, true)
		}
		t.Fatalf("reader does not end")
	})
}

type csvResult struct {
	fields []string
	line   int
	err    string
}

// framedCSV reads data as CSVReader does, through the framer, until the
// framer drops a record (bad) or the input ends.
func framedCSV(data []byte, max int) (out []csvResult, bad bool, err error) {
	r := &CSVReader{frames: csvFramer{r: bytes.NewReader(data), max: max, line: 1}, dec: newCSVDecoder(nil, nil)}
	for {
		row, line, err := r.read()
		var ie *InputError
		switch {
		case err == io.EOF:
			return out, false, nil
		case errors.As(err, &ie) && (ie.kind == ErrLineTooLong || strings.Contains(ie.Reason, "reading goes on at the next line")):
			return out, true, nil
		case errors.As(err, &ie):
			out = append(out, csvResult{line: line, err: "error"})
		case err != nil:
			return out, false, err
		default:
			fields := make([]string, len(row))
			for i, b := range row {
				fields[i] = string(b)
			}
			out = append(out, csvResult{fields: fields, line: line})
		}
	}
}

// plainCSV reads data with encoding/csv alone.
func plainCSV(data []byte) []csvResult {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(utf8BOM))))
	var out []csvResult
	for {
		row, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return out
		case errors.As(err, &pe):
			out = append(out, csvResult{line: pe.StartLine, err: "error"})
		case err != nil:
			return out
		default:
			line, _ := cr.FieldPos(0)
			out = append(out, csvResult{fields: row, line: line})
		}
	}
}

// FuzzCSVFramer checks that the framer ends records where encoding/csv
// does: the same records, errors and lines, up to a record it drops.
func FuzzCSVFramer(f *testing.F) {
	for _, s := range []string{
		"a,b\nc,d\n",
		"a,\"b\nc\",d\r\n\r\n\ne,f",
		"a,\"b\"x,c\nd\n",
		"a\"b,\"c\nd\"\ne\n",
		"\"a\"\"b\",\"\r\n\"\r\nc,\"d\"\r",
		"\ufeff\"a\",b\n\"c\n",
		"a,b\nc\n\"d\"\r\re\n\"\n",
	} {
		f.Add([]byte(s), 64)
	}
	f.Fuzz(func(t *testing.T, data []byte, max int) {
		if max < 1 || max > 1<<16 {
			max = 64
		}
		got, bad, err := framedCSV(data, max)
		if err != nil {
			t.Fatal(err)
		}
		want := plainCSV(data)
		if bad {
			want = want[:min(len(want), len(got))]
		}
		if (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("framed %q\n%v, encoding/csv\n%v", data, got, want)
		}
	})
}

// TestCSVSkipInvalidNamesEveryLineItDrops: whatever stray quotes and bad
// values a file has, with SkipInvalid every line is either read as the
// record written on it or named as skipped, never both, never neither.
func TestCSVSkipInvalidNamesEveryLineItDrops(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "lines")
		maxLine := rapid.SampledFrom([]int{60, 200, DefaultMaxLineSize}).Draw(t, "maxLine")
		var b strings.Builder
		b.WriteString("conversation,time,role,type,agent\n")
		good := map[int]string{} // line → conversation id of a line that must be read
		for i := range n {
			line := i + 2
			id := fmt.Sprintf("c%d", i)
			agent := rapid.SampledFrom([]string{"", "ana", `"bo, b"`}).Draw(t, "agent")
			switch rapid.IntRange(0, 5).Draw(t, "corruption") {
			case 0:
				agent = `"ana` // a quote never closed
			case 1:
				agent = `an"a` // a bare quote
			case 2:
				agent = `"an"a` // a quote followed by text
			case 3:
				id = id + `,robot` // a field too many
			case 4:
				agent = strings.Repeat("x", 150) // over the smaller limits
				if len(id)+len(agent)+40 <= maxLine {
					good[line] = id
				}
			default:
				good[line] = id
			}
			fmt.Fprintf(&b, "%s,2024-05-01T09:30:00Z,customer,message,%s\n", id, agent)
		}
		skipped := map[int]bool{}
		r, err := NewCSVReader(strings.NewReader(b.String()), MaxLineSize(maxLine), SkipInvalid(func(e *InputError) {
			if skipped[e.Line] {
				t.Fatalf("line %d skipped twice", e.Line)
			}
			skipped[e.Line] = true
		}))
		require.NoError(t, err)
		read := map[int]string{}
		for rec, err := range Records(r) {
			require.NoError(t, err)
			read[rec.Line] = rec.Info.ID
		}
		for line := 2; line < n+2; line++ {
			_, isRead := read[line]
			if isRead == skipped[line] {
				t.Fatalf("line %d: read %v, skipped %v\n%s", line, isRead, skipped[line], b.String())
			}
			if id, ok := good[line]; ok && read[line] != id {
				t.Fatalf("line %d: valid record %q not read (%q)\n%s", line, id, read[line], b.String())
			}
		}
		assert.Equal(t, len(skipped), r.Skipped())
		assert.Len(t, read, len(good), "only the valid lines are read")
	})
}

// A record of many fields, most of them empty: parseRow reads those that
// are not, wherever they are, and finds an invalid one.
func TestCSVReaderManyColumns(t *testing.T) {
	var header, row, bad strings.Builder
	header.WriteString("conversation,time,role,type")
	row.WriteString("c1,2026-02-11T08:26:57Z,customer,message")
	bad.WriteString("c1,2026-02-11T08:26:58Z,customer,message")
	for i := range 70 {
		fmt.Fprintf(&header, ",dim.d%d", i)
		v := ""
		if i == 5 || i == 60 || i == 68 {
			v = fmt.Sprintf("v%d", i)
		}
		row.WriteString("," + v)
		bad.WriteString(",")
	}
	input := header.String() + "\n" + row.String() + "\n" + strings.Replace(bad.String(), "customer", "", 1) + "\n"
	r, err := NewCSVReader(strings.NewReader(input))
	require.NoError(t, err)
	rec, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"d5": "v5", "d60": "v60", "d68": "v68"}, rec.Info.Dims)
	_, err = r.Next()
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 3, ie.Line)
	assert.Equal(t, "role", ie.Field)
}
