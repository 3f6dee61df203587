package chatkpi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestStringStop: the word test finds the first '"', '\\' or '\n' among
// 8 bytes, as a byte-by-byte look does.
func TestStringStop(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.SampledFrom([]byte{0, 1, '"', '"' + 1, '\\', '\\' - 1, '\n', '\n' + 1, 0x7f, 0x80, 0xdc, 0xff, 'a'}), 8, 8).Draw(t, "bytes")
		want := bytes.IndexAny(b, "\"\\\n")
		if want < 0 {
			want = 8
		}
		if got := stringStop(binary.LittleEndian.Uint64(b)); got != want {
			t.Fatalf("%q: %d, want %d", b, got, want)
		}
	})
}

// refElement is one element of a JSON array input as refElements finds it.
type refElement struct {
	text      string // "" when tooLong
	line, col int    // where it starts: its line, and the bytes before it on that line
	tooLong   bool
}

// refElements is the reference of the array scanner: the byte-at-a-time
// scan that JSONLReader used before it scanned windows of its buffer, over
// data (after a byte order mark). It returns the elements and the error
// that ends the input (nil after the array).
func refElements(data []byte, maxLine int) (elems []refElement, end error) {
	const (
		open = iota
		first
		next
		elem
		done
	)
	state, line, col, pos := open, 1, 1, 0
	readByte := func() (byte, bool) {
		if pos == len(data) {
			return 0, false
		}
		c := data[pos]
		pos++
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		return c, true
	}
	broken := func(format string, args ...any) error {
		return &InputError{Line: line, Event: -1, Reason: "invalid JSON array at column " + itoa(col-1) + ": " + fmt.Sprintf(format, args...) + "; reading stopped"}
	}
	for {
		c, ok := readByte()
		if !ok {
			if state == done {
				return elems, nil
			}
			return elems, &InputError{Line: line, Event: -1, Reason: "invalid JSON array: the input ends before its closing ']'"}
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			continue
		case state == open && c == '[':
			state = first
			continue
		case (state == first || state == next) && c == ']':
			state = done
			continue
		case state == next && c == ',':
			state = elem
			continue
		case (state == first || state == elem) && c == '{':
		case state == done:
			return elems, broken("text after the array, found %s", quoteByte(c))
		case state == next:
			return elems, broken("expected ',' or ']' after an element, found %s", quoteByte(c))
		default:
			return elems, broken("an element is not an object, found %s", quoteByte(c))
		}
		e := refElement{line: line, col: col - 2}
		state = next
		text := []byte{'{'}
		stack := []byte{'}'}
		inString, escaped := false, false
		for len(stack) > 0 {
			c, ok := readByte()
			if !ok {
				return elems, &InputError{Line: e.line, Event: -1, Reason: "invalid JSON array: the input ends inside the object that starts on this line"}
			}
			if !e.tooLong {
				if len(text) >= maxLine {
					e.tooLong, text = true, text[:0]
				} else {
					text = append(text, c)
				}
			}
			switch {
			case inString:
				switch {
				case escaped:
					escaped = false
				case c == '\\':
					escaped = true
				case c == '"':
					inString = false
				}
			case c == '"':
				inString = true
			case c == '{' || c == '[':
				if len(stack) > maxNesting {
					return elems, broken("nested more than %d deep", maxNesting)
				}
				stack = append(stack, c+2)
			case c == '}' || c == ']':
				if c != stack[len(stack)-1] {
					return elems, broken("%q closes %q", rune(c), rune(stack[len(stack)-1]-2))
				}
				stack = stack[:len(stack)-1]
			}
		}
		e.text = string(text)
		elems = append(elems, e)
	}
}

// isArrayInput reports whether a JSONLReader reads data as a JSON array.
func isArrayInput(data []byte) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(data, []byte(utf8BOM)), " \t\r\n")
	return len(b) > 0 && b[0] == '['
}

// arrayMaxLine is a MaxLineSize for the fuzz targets: small ones make
// elements span the reader's buffer (its size follows MaxLineSize), and
// make some too long.
func arrayMaxLine(n uint16) int {
	if n%8 == 0 {
		return DefaultMaxLineSize
	}
	return 1 + int(n)%300
}

// FuzzJSONArrayScanner: the scanner finds the elements of a JSON array
// input, their lines and columns, the over-long ones and the error that
// ends the input exactly as the byte-at-a-time reference does, whatever
// the buffer.
func FuzzJSONArrayScanner(f *testing.F) {
	f.Add([]byte("\ufeff [\n {\"a\":\"}\\\"]\"},\n\t{\"b\":[{},[]]} ]\n"), uint16(3))
	f.Add([]byte(`[{"a":[}]`), uint16(0))
	f.Add([]byte("[{\"x\":\"\n\n\"}, {} {}]"), uint16(5))
	f.Add([]byte(`[{"a":"\\"}, 1]`), uint16(1))
	f.Add([]byte("[] x"), uint16(2))
	f.Add([]byte("[{}"), uint16(2))
	f.Add([]byte(`[{"a":"`+strings.Repeat(`\"`, 40)+`"}]`), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, maxLine uint16) {
		if !isArrayInput(data) {
			return
		}
		ml := arrayMaxLine(maxLine)
		want, wantEnd := refElements(bytes.TrimPrefix(data, []byte(utf8BOM)), ml)
		r, err := NewJSONLReader(bytes.NewReader(data), MaxLineSize(ml))
		if err != nil {
			t.Fatal(err)
		}
		r.start()
		var got []refElement
		var end error
		for {
			elem, tooLong, err := r.readElement()
			if err != nil {
				if err != io.EOF {
					end = err
				}
				break
			}
			got = append(got, refElement{string(elem), r.line, r.p.col0, tooLong})
			if r.p.line0 != r.line {
				t.Fatalf("element %d: parser at line %d, element at line %d", len(got), r.p.line0, r.line)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("MaxLineSize %d: elements\n%+v\nreference\n%+v", ml, got, want)
		}
		if !reflect.DeepEqual(end, wantEnd) {
			t.Fatalf("MaxLineSize %d: ends with %v, reference %v", ml, end, wantEnd)
		}
	})
}

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
	r.ra.batch = batch
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
// goroutines, in batches of any size, gives exactly what reading it
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
					t.Fatalf("batches of %d elements, skip %v, MaxLineSize %d: records\n%+v\nelement by element\n%+v", n, skip, ml, gotRecs, recs)
				}
				if !reflect.DeepEqual(gotErrs, errs) {
					t.Fatalf("batches of %d elements, skip %v, MaxLineSize %d: errors\n%q\nelement by element\n%q", n, skip, ml, gotErrs, errs)
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
	r.ra.batch = batchLines
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
