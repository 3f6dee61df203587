package chatkpi

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
)

// A JSON array input: a scanner on the caller's goroutine finds where each
// element (an object) begins and ends — through whitespace, strings with
// their escapes and nested brackets, a buffered window at a time, with
// the line and column of every byte — and copies its text; the parser
// decodes the text, on the caller's goroutine or, reading ahead (see
// readahead.go), on others, a batch of elements at a time, as for JSON
// Lines. The scanner checks only the array's frame: that the input is one
// array of objects, with balanced brackets; a broken frame is a permanent
// error, because where the next element starts cannot be known.
// FuzzJSONArrayScanner compares it with the byte-at-a-time scan that it
// replaced (refElements), FuzzJSONArrayReadAhead the reading ahead with the
// reading element by element, FuzzJSONArray both with encoding/json.

// jsonArray is where a JSONLReader is in a JSON array input.
type jsonArray struct {
	state     uint8 // arrayOpen, …
	line      int   // the line of the next byte, 1-based
	off       int64 // the offset of the next byte (after a byte order mark)
	lineStart int64 // the offset of the first byte of line

	// The element being scanned, or scanned last.
	inElem, inString, escaped bool
	stack                     []byte // the closing brackets expected, innermost last
	elemLine                  int    // the line where it starts
	elemCol                   int    // the bytes before it on that line
	tooLong                   bool   // longer than MaxLineSize

	// An element scanned by elementBuffered, which split takes next.
	found    bool
	foundErr error
}

const (
	arrayOpen  = iota // before '['
	arrayFirst        // after '[': an element or ']'
	arrayNext         // after an element: ',' or ']'
	arrayElem         // after ',': an element
	arrayDone         // after ']'
)

// elemHeader is the bytes before an element's text in JSONLReader.long
// and in a batch: its column offset (jsonArray.elemCol), which the
// decoder needs for its messages, as a little-endian uint64.
const elemHeader = 8

// quoteByte shows a byte of the input in a message.
func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// maxNesting is how deep JSON values may nest, as in encoding/json.
const maxNesting = 10000

// broken is the permanent error about the byte before buf[i], whose
// offset is a.off+i-1.
func (a *jsonArray) broken(i int, format string, args ...any) error {
	col := a.off + int64(i) - a.lineStart
	return &InputError{Line: a.line, Event: -1, Reason: "invalid JSON array at column " + itoa(int(col)) + ": " + fmt.Sprintf(format, args...) + "; reading stopped"}
}

// fail ends the scan with err, about the byte before buf[i].
func (a *jsonArray) fail(i int, err error) (n int, done bool, _ error) {
	a.off += int64(i)
	return i, true, err
}

// newLine notes that buf[i-1] is a '\n'.
func (a *jsonArray) newLine(i int) {
	a.line++
	a.lineStart = a.off + int64(i)
}

// keep appends seg, the next bytes of the element, to *long, or drops
// the element's text once it is longer than maxLine.
func (a *jsonArray) keep(long *[]byte, seg []byte, maxLine int) {
	switch {
	case a.tooLong:
	case len(*long)-elemHeader+len(seg) > maxLine:
		a.tooLong, *long = true, (*long)[:elemHeader]
	default:
		*long = append(*long, seg...)
	}
}

// stringStop returns the index of the first of the 8 bytes of w (little
// endian: buf[i:i+8]) that the scanner must look at in a string — a '"', a
// '\\' or a '\n' — or 8 when there is none. (v − 0x01…01) &^ v & 0x80…80
// has its lowest set bit in the first zero byte of v (bits above it may be
// set by the borrow; not below).
func stringStop(w uint64) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zeros := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	return bits.TrailingZeros64(zeros(w^('"'*ones))|zeros(w^('\\'*ones))|zeros(w^('\n'*ones))) >> 3
}

// scan scans buf, the input after the bytes scanned so far, until the end
// of the next element, keeping its text in *long after elemHeader bytes.
// It returns the bytes consumed and done when an element ended there or
// the frame is broken (err); otherwise it consumed all of buf.
func (a *jsonArray) scan(buf []byte, long *[]byte, maxLine int) (n int, done bool, err error) {
	i := 0
	for i < len(buf) {
		seg := i // the start of the element's bytes in buf
		if !a.inElem {
			c := buf[i]
			i++
			switch {
			case c == '\n':
				a.newLine(i)
				continue
			case c == ' ' || c == '\t' || c == '\r':
				continue
			case a.state == arrayOpen && c == '[':
				a.state = arrayFirst
				continue
			case (a.state == arrayFirst || a.state == arrayNext) && c == ']':
				a.state = arrayDone
				continue
			case a.state == arrayNext && c == ',':
				a.state = arrayElem
				continue
			case (a.state == arrayFirst || a.state == arrayElem) && c == '{':
			case a.state == arrayDone:
				return a.fail(i, a.broken(i, "text after the array, found %s", quoteByte(c)))
			case a.state == arrayNext:
				return a.fail(i, a.broken(i, "expected ',' or ']' after an element, found %s", quoteByte(c)))
			default:
				return a.fail(i, a.broken(i, "an element is not an object, found %s", quoteByte(c)))
			}
			a.state, a.inElem, a.inString, a.escaped, a.tooLong = arrayNext, true, false, false, false
			a.elemLine, a.elemCol = a.line, int(a.off+int64(i)-1-a.lineStart)
			a.stack = append(a.stack[:0], '}')
			*long = append((*long)[:0], make([]byte, elemHeader)...)
			seg = i - 1
		}
		for i < len(buf) {
			if a.inString && !a.escaped {
				for i+8 <= len(buf) {
					k := stringStop(binary.LittleEndian.Uint64(buf[i:]))
					i += k
					if k < 8 {
						break
					}
				}
				for i < len(buf) && buf[i] != '"' && buf[i] != '\\' && buf[i] != '\n' {
					i++
				}
				if i == len(buf) {
					break
				}
			}
			c := buf[i]
			i++
			if c == '\n' {
				a.newLine(i)
			}
			if a.inString {
				switch {
				case a.escaped:
					a.escaped = false
				case c == '\\':
					a.escaped = true
				case c == '"':
					a.inString = false
				}
				continue
			}
			switch c {
			case '"':
				a.inString = true
			case '{', '[':
				if len(a.stack) > maxNesting {
					return a.fail(i, a.broken(i, "nested more than %d deep", maxNesting))
				}
				a.stack = append(a.stack, c+2) // the closing '}' or ']'
			case '}', ']':
				if want := a.stack[len(a.stack)-1]; c != want {
					return a.fail(i, a.broken(i, "%q closes %q", rune(c), rune(want-2)))
				}
				a.stack = a.stack[:len(a.stack)-1]
				if len(a.stack) == 0 {
					a.keep(long, buf[seg:i], maxLine)
					a.inElem = false
					a.off += int64(i)
					return i, true, nil
				}
			}
		}
		a.keep(long, buf[seg:i], maxLine)
	}
	a.off += int64(len(buf))
	return len(buf), false, nil
}

// scanElement scans the next element of r's array: on return, r.long holds
// its text after elemHeader bytes and r.arr where it starts and whether it
// is too long, or err is the error that ends the input (io.EOF after the
// array). With wait false it only scans what is buffered and, when that
// does not end an element or the input, it consumes nothing and returns
// found false; an element it finds is the one the next call returns.
func (r *JSONLReader) scanElement(wait bool) (found bool, err error) {
	a := r.arr
	if a.found {
		if wait {
			a.found = false
		}
		return true, a.foundErr
	}
	var saved jsonArray
	if !wait {
		saved = *a // between elements (a.stack empty): all there is to restore
	}
	for {
		buf, _ := r.br.Peek(r.br.Buffered())
		if len(buf) == 0 {
			if !wait {
				*a = saved
				return false, nil
			}
			if _, err := r.br.Peek(1); err != nil {
				switch {
				case err != io.EOF:
				case a.inElem:
					err = &InputError{Line: a.elemLine, Event: -1, Reason: "invalid JSON array: the input ends inside the object that starts on this line"}
				case a.state != arrayDone:
					err = &InputError{Line: a.line, Event: -1, Reason: "invalid JSON array: the input ends before its closing ']'"}
				}
				return true, err
			}
			continue
		}
		n, done, err := a.scan(buf, &r.long, r.cfg.maxLine)
		if !wait && !done {
			*a = saved
			return false, nil
		}
		r.br.Discard(n)
		if done {
			if !wait {
				a.found, a.foundErr = true, err
			}
			return true, err
		}
	}
}

// readElement returns the next object of a JSON array input and sets r.line
// and the parser's position to where it starts, or returns io.EOF after the
// array. tooLong reports an object over the limit, which has been consumed.
func (r *JSONLReader) readElement() (elem []byte, tooLong bool, err error) {
	if _, err := r.scanElement(true); err != nil {
		return nil, false, err
	}
	a := r.arr
	r.line, r.p.line0, r.p.col0 = a.elemLine, a.elemLine, a.elemCol
	return r.long[elemHeader:], a.tooLong, nil
}
