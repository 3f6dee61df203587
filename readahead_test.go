package chatkpi

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readAll reads every record and error of data with a JSONLReader that
// reads ahead in chunks of size bytes (0: no reading ahead), with or
// without SkipInvalid: the records, and the errors returned or reported, in
// order.
func readAll(t *testing.T, data []byte, size int, skip bool) (recs []Record, errs []string) {
	return readAllOf(t, data, size, skip, false)
}

// sizedReader reads data as JSON Lines or, with csv, as CSV (lines of up
// to 200 bytes), ahead in chunks of size bytes.
func sizedReader(t *testing.T, data []byte, size int, csv bool, opts ...ReaderOption) interface {
	EventReader
	Skipped() int
} {
	t.Helper()
	if csv {
		cr, err := NewCSVReader(bytes.NewReader(data), append(opts, MaxLineSize(200))...)
		if err != nil {
			t.Fatal(err)
		}
		cr.ra.size = size
		return cr
	}
	jr, err := NewJSONLReader(bytes.NewReader(data), opts...)
	if err != nil {
		t.Fatal(err)
	}
	jr.ra.size = size
	return jr
}

// readAllOf is readAll for JSON Lines or, with csv, for CSV.
func readAllOf(t *testing.T, data []byte, size int, skip, csv bool) (recs []Record, errs []string) {
	t.Helper()
	var opts []ReaderOption
	if skip {
		opts = append(opts, SkipInvalid(func(e *InputError) { errs = append(errs, "skipped: "+e.Error()) }))
	}
	r := sizedReader(t, data, size, csv, opts...)
	for range len(data) + 2 {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			if _, ok := err.(*InputError); !ok || len(errs) > 0 && errs[len(errs)-1] == err.Error() {
				return recs, append(errs, err.Error()) // permanent: returned again
			}
			errs = append(errs, err.Error())
			continue
		}
		recs = append(recs, rec)
	}
	t.Fatal("Next does not end")
	return nil, nil
}

// FuzzJSONLReadAhead: reading ahead on other goroutines, in chunks of any
// size (so with cuts anywhere), returns exactly what the sequential reading
// returns, in the same order, errors and skipped lines included.
func FuzzJSONLReadAhead(f *testing.F) {
	ok := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","dims":{"a":"b"}}`
	f.Add([]byte(ok+"\n"+ok+"\n\n{\n"+ok+"\r\n"+strings.Repeat(" ", 10)+"\n"+`{"conversation":"c2"}`+"\n"+ok), uint8(1))
	f.Add([]byte("\ufeff"+ok+"\n"+ok), uint8(2))
	f.Add([]byte(`[`+ok+`]`), uint8(0))
	for _, s := range jsonlAcrossLines {
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		for _, skip := range []bool{false, true} {
			recs, errs := readAll(t, data, 0, skip)
			for _, n := range []int{1 + int(size%64), 1 + int(size)*7, chunkBytes} {
				gotRecs, gotErrs := readAll(t, data, n, skip)
				if !reflect.DeepEqual(gotRecs, recs) {
					t.Fatalf("chunks of %d bytes, skip %v: records\n%+v\nsequentially\n%+v", n, skip, gotRecs, recs)
				}
				if !reflect.DeepEqual(gotErrs, errs) {
					t.Fatalf("chunks of %d bytes, skip %v: errors\n%q\nsequentially\n%q", n, skip, gotErrs, errs)
				}
			}
		}
	})
}

// FuzzCSVReadAhead is FuzzJSONLReadAhead for CSV, whose records may span
// lines, and whose framing resumes at a malformed record's second line.
func FuzzCSVReadAhead(f *testing.F) {
	head := "conversation,time,role,type,dim.a\n"
	ok := "c1,2024-05-01T09:30:00Z,customer,message,x\n"
	f.Add([]byte(head+ok+ok+"\n"+`c2,"2024-05-01T09:30:00Z",customer,message,"a`+"\n"+`b"`+"\n"+ok+"c3,x\n"+ok), uint8(1))
	f.Add([]byte(head+`c1,2024-05-01T09:30:00Z,customer,message,"a"b`+"\n"+`c"`+"\n"+ok+`"open`+"\n"+ok), uint8(2))
	f.Add([]byte(head+ok+"c1,"+strings.Repeat("x", 300)+"\n"+ok+"\r\n"), uint8(0))
	f.Add([]byte("\ufeff"+head+ok), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		for _, skip := range []bool{false, true} {
			recs, errs := readAllOf(t, data, 0, skip, true)
			for _, n := range []int{1 + int(size%64), 1 + int(size)*7, chunkBytes} {
				gotRecs, gotErrs := readAllOf(t, data, n, skip, true)
				if !reflect.DeepEqual(gotRecs, recs) {
					t.Fatalf("chunks of %d bytes, skip %v: records\n%+v\nsequentially\n%+v", n, skip, gotRecs, recs)
				}
				if !reflect.DeepEqual(gotErrs, errs) {
					t.Fatalf("chunks of %d bytes, skip %v: errors\n%q\nsequentially\n%q", n, skip, gotErrs, errs)
				}
			}
		}
	})
}

// TestJSONLReadAheadLongLines: a line over MaxLineSize is an error of its
// line in a batch as it is sequentially, and the lines after it are read.
func TestJSONLReadAheadLongLines(t *testing.T) {
	ok := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`
	long := `{"conversation":"` + strings.Repeat("x", 100<<10) + `","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`
	data := []byte(ok + "\n" + long + "\n" + ok + "\n")
	for _, size := range []int{0, 1, 2, 100, chunkBytes} {
		var opts = []ReaderOption{MaxLineSize(64 << 10)}
		r, err := NewJSONLReader(bytes.NewReader(data), opts...)
		if err != nil {
			t.Fatal(err)
		}
		r.ra.size = size
		var got []string
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				got = append(got, err.Error())
				continue
			}
			got = append(got, itoa(rec.Line))
		}
		want := []string{"1", "chatkpi: line 2: line longer than 65536 bytes (see MaxLineSize)", "3"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("chunks of %d bytes: %q, want %q", size, got, want)
		}
	}
}

// TestJSONLReadAheadDoesNotHoldBack: reading ahead returns a record as soon
// as its line has arrived; it does not wait for a batch to fill.
func TestJSONLReadAheadDoesNotHoldBack(t *testing.T) {
	pr, pw := io.Pipe()
	r, err := NewJSONLReader(pr)
	if err != nil {
		t.Fatal(err)
	}
	r.ra.size = chunkBytes
	line := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}` + "\n"
	for i := 1; i <= 3; i++ {
		go func() { _, _ = pw.Write([]byte(line)) }()
		rec, err := r.Next() // would block forever if it waited for more lines
		if err != nil || rec.Line != i {
			t.Fatalf("record %d: line %d, %v", i, rec.Line, err)
		}
	}
	pw.Close()
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("at the end: %v", err)
	}
}

// joinAll reads data (CSV or JSON Lines) with a Joiner, from a reader that
// reads ahead in chunks of size bytes (0: no reading ahead, so no packed
// records), under SkipInvalid: the conversations, with the line of each
// event, the errors reported or returned and, after an error that ends
// Read, the records that Next returns after it.
func joinAll(t *testing.T, data []byte, size int, csv bool) (chats []*Chat, lines [][]int, errs []string, after []Record) {
	t.Helper()
	opts := []ReaderOption{SkipInvalid(func(e *InputError) { errs = append(errs, "skipped: "+e.Error()) }), MaxLineSize(200)}
	var r EventReader
	if csv {
		cr, err := NewCSVReader(bytes.NewReader(data), opts...)
		if err != nil {
			t.Fatal(err)
		}
		cr.ra.size = size
		r = cr
	} else {
		jr, err := NewJSONLReader(bytes.NewReader(data), opts...)
		if err != nil {
			t.Fatal(err)
		}
		jr.ra.size = size
		r = jr
	}
	var j Joiner
	if err := j.Read("", r); err != nil {
		errs = append(errs, err.Error())
		for range len(data) + 2 {
			rec, err := r.Next()
			if err != nil {
				if _, ok := err.(*InputError); !ok {
					break
				}
				errs = append(errs, err.Error())
				continue
			}
			after = append(after, rec)
		}
		return nil, nil, errs, after
	}
	for c := range j.Conversations() {
		chats = append(chats, c)
		var ls []int
		for i := -1; i < len(c.Events); i++ {
			_, line, _ := j.Line(c, i)
			ls = append(ls, line)
		}
		lines = append(lines, ls)
	}
	return chats, lines, errs, after
}

// FuzzJoinerReadAhead: a Joiner reading packed records from chunks of any
// size holds exactly the conversations, lines and errors that it holds
// from Records read one by one on the caller's goroutine; a reader that
// a Joiner stopped reading goes on with the same records.
func FuzzJoinerReadAhead(f *testing.F) {
	ok := `{"conversation":"c1","time":"2024-05-01T09:30:00+02:00","role":"agent","type":"message","agent":"ana"}`
	f.Add([]byte(ok+"\n"+`{"conversation":"c2","time":"2024-05-01T09:30:00Z","role":"customer","type":"rating","survey":"csat","score":4,"customer":"u"}`+"\n"+ok+"\n"+
		`{"conversation":"c1","time":"2024-05-01T09:29:00.5Z","role":"customer","type":"goal","value":"1.50","currency":"EUR"}`+"\n{\n"), uint8(3), false)
	f.Add([]byte(ok+"\n"+`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"agent","type":"message","customer":"a"}`+"\n"+
		`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"agent","type":"message","customer":"b"}`+"\n"+ok+"\n"), uint8(9), false)
	f.Add([]byte("[\n"+ok+",\n  "+ok+", "+`{"conversation":"c2","time":"2024-05-01T09:30:00Z","role":"bot","type":"message","customer":"u"}`+"]"), uint8(2), false)
	head := "conversation,time,role,type,agent,score,survey,customer\n"
	f.Add([]byte(head+"c1,2024-05-01T09:30:00Z,customer,message,,,,u\nc1,2024-05-01T09:31:00-05:00,agent,message,bo,,,\n"+
		`c2,2024-05-01T09:30:00Z,customer,rating,"a`+"\n"+`b",5,csat,`+"\nc1,2024-05-01T09:32:00Z,bot,message,,,,v\nc1,x\n"), uint8(5), true)
	f.Fuzz(func(t *testing.T, data []byte, size uint8, csv bool) {
		chats, lines, errs, after := joinAll(t, data, 0, csv)
		for _, n := range []int{1 + int(size%64), chunkBytes} {
			gotChats, gotLines, gotErrs, gotAfter := joinAll(t, data, n, csv)
			if !reflect.DeepEqual(gotErrs, errs) {
				t.Fatalf("chunks of %d bytes: errors\n%q\nsequentially\n%q", n, gotErrs, errs)
			}
			if !reflect.DeepEqual(gotChats, chats) || !reflect.DeepEqual(gotLines, lines) {
				t.Fatalf("chunks of %d bytes: conversations\n%+v\n%v\nsequentially\n%+v\n%v", n, gotChats, gotLines, chats, lines)
			}
			if !reflect.DeepEqual(gotAfter, after) {
				t.Fatalf("chunks of %d bytes: records after the Joiner\n%+v\nsequentially\n%+v", n, gotAfter, after)
			}
		}
	})
}

// TestCSVReadAheadCutsEverywhere: records with quoted line breaks, a
// malformed record over two lines (after which reading resumes at its
// second line) and "\r\n" line ends read the same whatever the chunk
// size, so wherever the cuts fall, through a record or not.
func TestCSVReadAheadCutsEverywhere(t *testing.T) {
	head := "conversation,time,role,type,dim.note\n"
	ok := "c1,2024-05-01T09:30:00Z,customer,message,x\n"
	data := []byte(head + ok + `c1,2024-05-01T09:31:00Z,agent,message,"two` + "\n" + `lines"` + "\n" + ok +
		`c2,2024-05-01T09:32:00Z,customer,message,"bad"x` + "\n" + `y"` + "\n" + ok +
		strings.Repeat(`c3,2024-05-01T09:33:00Z,bot,message,"a`+"\r\n"+`b"`+"\r\n", 3) + `c4,"open` + "\n" + ok)
	for _, skip := range []bool{false, true} {
		recs, errs := readAllOf(t, data, 0, skip, true)
		if len(recs) < 5 || len(errs) == 0 {
			t.Fatalf("skip %v: the input is not what the test means: %d records, errors %q", skip, len(recs), errs)
		}
		for size := 1; size <= len(data)+1; size++ {
			gotRecs, gotErrs := readAllOf(t, data, size, skip, true)
			if !reflect.DeepEqual(gotRecs, recs) || !reflect.DeepEqual(gotErrs, errs) {
				t.Fatalf("chunks of %d bytes, skip %v: records\n%+v\nerrors %q\nsequentially\n%+v\nerrors %q", size, skip, gotRecs, gotErrs, recs, errs)
			}
		}
	}
}
