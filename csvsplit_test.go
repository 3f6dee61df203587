package chatkpi

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// splitResult is one record read: its fields, its error (line within the
// record, column, kind) and the bytes read; found is false at the end.
type splitResult struct {
	fields    []string
	n         int
	line, col int
	err       error
	found     bool
}

// plainSplit reads the records of data with encoding/csv as the splitter
// reads them (the first fixes the number of fields).
func plainSplit(data []byte) []splitResult {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	var out []splitResult
	for {
		before := cr.InputOffset()
		row, err := cr.Read()
		res := splitResult{n: int(cr.InputOffset() - before), found: err != io.EOF}
		if !res.found {
			return append(out, res)
		}
		res.fields = append([]string{}, row...)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			res.line, res.col, res.err = pe.Line-pe.StartLine, pe.Column, pe.Err
		} else if err != nil {
			panic(err)
		}
		out = append(out, res)
	}
}

// splitAll reads the records of data with the splitter.
func splitAll(data []byte) []splitResult {
	var s csvSplitter
	var out []splitResult
	for {
		n, found, err := s.split(data)
		res := splitResult{n: n, found: found}
		data = data[n:]
		if !found {
			return append(out, res)
		}
		res.fields = []string{}
		for _, f := range s.fields {
			res.fields = append(res.fields, string(f))
		}
		if err != nil {
			res.line, res.col, res.err = err.Line, err.Column, err.Err
		}
		out = append(out, res)
	}
}

// FuzzCSVSplitter checks that the splitter reads any input as encoding/csv
// does with the reader's settings: record after record, the same fields,
// errors (line, column and kind) and bytes read.
func FuzzCSVSplitter(f *testing.F) {
	for _, s := range []string{
		"a,b\nc,d\n",
		"a,\"b\nc\",d\r\n\r\n\ne,f",
		"a,\"b\"x,c\nd\n",
		"a\"b,\"c\nd\"\ne\n",
		"\"a\"\"b\",\"\r\n\"\r\nc,\"d\"\r",
		"\"a\",b\n\"c\n",
		"a,b\nc\n\"d\"\r\re\n\"\n",
		"\"\"\"\",\"\",,\"x\r\"\r\n\"y\"\"\n\r\n\"\n",
		"\"ab\n\r",
		"a\r,b\r\r\n,\n\"",
		"c0,2026-02-11T08:26:57.438Z,customer,message,,,,,,,,,u44021,social,,,\n,-,\x01,\r\n\r\r\n,,,,,,,,,,,,,,,,,,,,,x\n",
		"a,-b,-c,-d,-e,-,-,-,-\n,,\x01,,-,,\x01,\x01\n",                     // bytes after a comma that a borrow could mark
		strings.Repeat("x,,", 40) + "y\n" + strings.Repeat(",", 70) + "z\n", // more than 64 fields
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, want := splitAll(data), plainSplit(data)
		if !assert.Equal(t, want, got) {
			t.Fatalf("input %q", data)
		}
		// splitPlain reads each line without a quote as split does.
		for _, line := range bytes.SplitAfter(data, []byte{'\n'}) {
			if bytes.IndexByte(line, '"') >= 0 || !bytes.HasSuffix(line, []byte{'\n'}) {
				continue
			}
			var s, plain csvSplitter
			n, found, err := s.split(line)
			if !found || err != nil || n != len(line) {
				continue
			}
			if fields := plain.splitPlain(line); !assert.Equal(t, s.fields, fields) {
				t.Fatalf("line %q", line)
			}
			// splitPlainCells keeps the fields that are not empty, with
			// their index (parseRow reads only those).
			var cells, want csvSplitter
			count := cells.splitPlainCells(line)
			if !assert.Equal(t, len(s.fields), count) || !assert.Equal(t, want.cellsOf(s.fields), cells.cells) {
				t.Fatalf("line %q", line)
			}
		}
	})
}

// The splitter's fields are slices of the record or of its reused buffer:
// splitting a record allocates nothing once the buffers have grown.
func TestCSVSplitterAllocatesNothing(t *testing.T) {
	rec := []byte("c1,2024-05-01T09:30:00Z,\"a, \"\"b\"\"\",\"two\r\nlines\",,x\r\n")
	var s csvSplitter
	allocs := testing.AllocsPerRun(100, func() {
		n, found, err := s.split(rec)
		if !found || err != nil || n != len(rec) {
			t.Fatal(n, found, err)
		}
	})
	assert.Zero(t, allocs)
	require.Len(t, s.fields, 6)
	assert.Equal(t, []string{"c1", "2024-05-01T09:30:00Z", `a, "b"`, "two\nlines", "", "x"},
		[]string{string(s.fields[0]), string(s.fields[1]), string(s.fields[2]), string(s.fields[3]), string(s.fields[4]), string(s.fields[5])})
}

// Reading records of one conversation allocates nothing per record: the
// fields are split without a string per record (encoding/csv made one) and
// the parser reuses the strings of the previous record.
func TestCSVReaderAllocatesNothingPerRecord(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("conversation,time,role,type,agent,channel\n")
	for range 2000 {
		b.WriteString("c1,2024-05-01T09:30:00Z,agent,message,\"ana \"\"b\"\"\",\"live, chat\"\r\n")
	}
	r, err := NewCSVReader(&b)
	require.NoError(t, err)
	r.ra.size = 0 // on the caller's goroutine, as with one core
	next := func() {
		rec, err := r.Next()
		if err != nil || rec.Event.Agent != `ana "b"` || rec.Info.Channel != "live, chat" {
			t.Fatal(rec, err)
		}
	}
	for range 10 {
		next()
	}
	assert.Zero(t, testing.AllocsPerRun(1000, next))
}
