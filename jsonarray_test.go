package chatkpi

import (
	"bytes"
	"encoding/binary"
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
