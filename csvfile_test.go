package chatkpi

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readAllCSV(t *testing.T, in string, opts ...ReaderOption) ([]Record, error) {
	t.Helper()
	r, err := NewCSVReader(strings.NewReader(in), opts...)
	require.NoError(t, err)
	var recs []Record
	for rec, err := range r.All() {
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
		{"c1,9999-12-31T23:00:00-02:00,customer,message,,,,,,", `chatkpi: line 2: conversation "c1": time: "9999-12-31T23:00:00-02:00" is outside the years 1–9999 (UTC)`},
		{",2024-05-01T09:30:00Z,customer,message,,,,,,", `chatkpi: line 2: conversation: missing (required)`},
		{"c1,2024-05-01T09:30:00Z,customer,message,,,,,,\xff", `chatkpi: line 2: conversation "c1": dim.g: invalid UTF-8`},
		{"c1,2024-05-01T09:30:00Z,customer,message", `chatkpi: line 2: 4 fields, the header has 10`},
		{"c1,2024-05-01T09:30:00Z,customer,\"mess\"age,,,,,,", `chatkpi: line 2: invalid CSV: extraneous or missing " in quoted-field`},
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
		{"conversation,time,role,type,mood\n", `chatkpi: line 1: mood: header: unknown column`},
		{"conversation,time,role,type,time\n", `chatkpi: line 1: time: header: column given twice`},
		{"conversation,time,role,type,dims\n", `chatkpi: line 1: dims: header: dimensions are columns named dim.NAME`},
		{"conversation,time,role,type,dim.\n", `chatkpi: line 1: dim.: header: unknown column`},
		{"conversation,time,role,type,\"a b\"\n", `chatkpi: line 1: "a b": header: unknown column`},
		{"conversation,time,role,type,\n", `chatkpi: line 1: "": header: unknown column`},
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
		"\"" + strings.Repeat("x", 10000) + "\",2024-05-01T09:31:00Z,customer,message\n" + good
	var skipped []string
	r, err := NewCSVReader(strings.NewReader(in), MaxLineSize(1000), SkipInvalid(func(e *InputError) { skipped = append(skipped, e.Error()) }))
	require.NoError(t, err)
	var lines []int
	for {
		rec, err := r.Next()
		if err != nil {
			require.EqualError(t, err, "chatkpi: line 5: CSV record longer than 1000 bytes (see MaxLineSize); reading stopped")
			_, again := r.Next()
			require.Equal(t, err, again, "permanent")
			break
		}
		lines = append(lines, rec.Line)
	}
	assert.Equal(t, []int{2, 4}, lines)
	assert.Equal(t, []string{`chatkpi: line 3: conversation "c1": role: "robot" is not one of customer, agent, bot, system`}, skipped)
	assert.Equal(t, 1, r.Skipped())

	// A record just over the limit but within encoding/csv's read-ahead is
	// caught too.
	r, err = NewCSVReader(strings.NewReader("conversation,time,role,type\n"+good), MaxLineSize(len(good)-1))
	require.NoError(t, err)
	_, err = r.Next()
	require.ErrorIs(t, err, ErrInvalid)
	r, err = NewCSVReader(strings.NewReader("conversation,time,role,type\n"+good), MaxLineSize(len(good)))
	require.NoError(t, err)
	_, err = r.Next()
	require.NoError(t, err)
	_, err = r.Next()
	require.Equal(t, io.EOF, err)
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{
		"conversation,time,role,type\nc1,2024-05-01T09:30:00Z,customer,message\n",
		"type,time,role,conversation,score,survey,value,currency,dim.g,outbound,helpful,start\n" +
			"rating,2024-05-01T11:30:00.5+02:00,customer,c1,9,nps,,,A,true,false,2024-05-01T09:00:00Z\n" +
			"goal,2024-05-01T09:30:00Z,customer,\"c,\"\"2\"\"\r\",,,12.50,EUR,,,,\r\n",
		"conversation,time,role,type,agent,private,automatic,customer,channel,source\nc,2024-05-01T09:30:00Z,agent,joined,a\"b,true,true,u,chat,s\nx\n",
		"id,conversation,time,role,type\nm1,c1,2024-05-01T09:30:00Z,customer,message\n,c1,2024-05-01T09:30:00Z,customer,message\n\"m,1\",c1,2024-05-01T09:30:00Z,customer,message\n",
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
