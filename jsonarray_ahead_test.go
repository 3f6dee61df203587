package chatkpi

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
)

// readAheadIn makes r read ahead in chunks of about size bytes of elements
// (at least one element; 0: on the caller's goroutine, as with one core).
func readAheadIn(r *JSONLReader, size int) { r.ra.size = size }

// readAllArray is readAll with a MaxLineSize of maxLine.
func readAllArray(t *testing.T, data []byte, batch int, skip bool, maxLine int) (recs []Record, errs []string) {
	t.Helper()
	opts := []ReaderOption{MaxLineSize(maxLine)}
	if skip {
		opts = append(opts, SkipInvalid(func(e *InputError) { errs = append(errs, "skipped: "+e.Error()) }))
	}
	r, err := NewJSONLReader(bytes.NewReader(data), opts...)
	if err != nil {
		t.Fatal(err)
	}
	readAheadIn(r, batch)
	for range len(data) + 2 {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || len(errs) > 0 && errs[len(errs)-1] == err.Error() {
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

// FuzzJSONArrayReadAhead: a JSON array input read ahead on other
// goroutines, in chunks of any size, gives exactly what reading it
// element by element gives, in the same order: records and their lines,
// errors (with the lines and columns they name), skipped elements and the
// permanent error of a broken array.
func FuzzJSONArrayReadAhead(f *testing.F) {
	ok := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","dims":{"a":"]"}}`
	f.Add([]byte("[\n"+ok+",\n"+ok+",\n  {\"conversation\":\"c2\",\n\"score\":1 x},"+ok+"]\n"), uint8(1), uint16(0))
	f.Add([]byte("\ufeff["+ok+","+ok+"] x"), uint8(2), uint16(0))
	f.Add([]byte("["+ok+","+ok+", 1, "+ok+"]"), uint8(0), uint16(0))
	f.Add([]byte("["+ok+",\n"+ok+","+ok+"]"), uint8(3), uint16(100))
	f.Add([]byte("["+ok+",{\"conversation\":\"c1\",\"role\":\"robot\"},"+ok), uint8(1), uint16(9))
	f.Add([]byte("[\n  "+ok+", {\"conversation\":\"c1\" x},\n"+ok+"]"), uint8(2), uint16(0)) // an error's column on the element's first line
	f.Fuzz(func(t *testing.T, data []byte, batch uint8, maxLine uint16) {
		if !isArrayInput(data) {
			return
		}
		ml := arrayMaxLine(maxLine)
		for _, skip := range []bool{false, true} {
			recs, errs := readAllArray(t, data, 0, skip, ml)
			for _, n := range []int{1 + int(batch%4), batchLines} {
				gotRecs, gotErrs := readAllArray(t, data, n, skip, ml)
				if !reflect.DeepEqual(gotRecs, recs) {
					t.Fatalf("chunks of %d bytes, skip %v, MaxLineSize %d: records\n%+v\nelement by element\n%+v", n, skip, ml, gotRecs, recs)
				}
				if !reflect.DeepEqual(gotErrs, errs) {
					t.Fatalf("chunks of %d bytes, skip %v, MaxLineSize %d: errors\n%q\nelement by element\n%q", n, skip, ml, gotErrs, errs)
				}
			}
		}
	})
}

// TestJSONArrayReadAheadDoesNotHoldBack: reading an array ahead returns a
// record as soon as its element has arrived, also when the element comes
// in pieces; it does not wait for a batch to fill.
func TestJSONArrayReadAheadDoesNotHoldBack(t *testing.T) {
	pr, pw := io.Pipe()
	r, err := NewJSONLReader(pr)
	if err != nil {
		t.Fatal(err)
	}
	readAheadIn(r, batchLines)
	elem := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}`
	write := func(parts ...string) { // in order, on another goroutine
		go func() {
			for _, s := range parts {
				_, _ = pw.Write([]byte(s))
			}
		}()
	}
	// The first element, then each later one in two pieces after its comma.
	write("[\n" + elem)
	for i := 1; i <= 3; i++ {
		rec, err := r.Next() // would block forever if it waited for more elements
		if err != nil || rec.Line != i+1 {
			t.Fatalf("record %d: line %d, %v", i, rec.Line, err)
		}
		if i < 3 {
			write(",\n"+elem[:20], elem[20:])
		}
	}
	go func() { _, _ = pw.Write([]byte("\n]\n")); pw.Close() }()
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("at the end: %v", err)
	}
}
