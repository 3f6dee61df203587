package chatkpi

import (
	"fmt"
	"io"
)

// jsonArray is where a JSONLReader is in a JSON array input.
type jsonArray struct {
	state     uint8 // arrayOpen, …
	line, col int   // position of the next byte, 1-based
	stack     []byte
}

const (
	arrayOpen  = iota // before '['
	arrayFirst        // after '[': an element or ']'
	arrayNext         // after an element: ',' or ']'
	arrayElem         // after ',': an element
	arrayDone         // after ']'
)

// quoteByte shows a byte of the input in a message.
func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// maxNesting is how deep JSON values may nest, as in encoding/json.
const maxNesting = 10000

func (r *JSONLReader) readByte() (byte, error) {
	c, err := r.br.ReadByte()
	if err == nil {
		if c == '\n' {
			r.arr.line, r.arr.col = r.arr.line+1, 1
		} else {
			r.arr.col++
		}
	}
	return c, err
}

// readElement returns the next object of a JSON array input and sets r.line
// and the parser's position to where it starts, or returns io.EOF after the
// array. tooLong reports an object over the limit, which has been consumed.
func (r *JSONLReader) readElement() (elem []byte, tooLong bool, err error) {
	a := r.arr
	broken := func(format string, args ...any) error {
		return &InputError{Line: a.line, Event: -1, Reason: "invalid JSON array at column " + itoa(a.col-1) + ": " + fmt.Sprintf(format, args...) + "; reading stopped"}
	}
	for {
		c, err := r.readByte()
		if err == io.EOF {
			if a.state == arrayDone {
				return nil, false, io.EOF
			}
			return nil, false, &InputError{Line: a.line, Event: -1, Reason: "invalid JSON array: the input ends before its closing ']'"}
		}
		if err != nil {
			return nil, false, err
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
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
			return nil, false, broken("text after the array, found %s", quoteByte(c))
		case a.state == arrayNext:
			return nil, false, broken("expected ',' or ']' after an element, found %s", quoteByte(c))
		default:
			return nil, false, broken("an element is not an object, found %s", quoteByte(c))
		}
		break
	}
	r.line, r.p.line0, r.p.col0 = a.line, a.line, a.col-2
	a.state = arrayNext
	r.long = append(r.long[:0], '{')
	a.stack = append(a.stack[:0], '}')
	inString, escaped := false, false
	for len(a.stack) > 0 {
		c, err := r.readByte()
		if err == io.EOF {
			return nil, false, &InputError{Line: r.line, Event: -1, Reason: "invalid JSON array: the input ends inside the object that starts on this line"}
		}
		if err != nil {
			return nil, false, err
		}
		if !tooLong {
			if len(r.long) >= r.cfg.maxLine {
				tooLong, r.long = true, r.long[:0]
			} else {
				r.long = append(r.long, c)
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
			if len(a.stack) > maxNesting {
				return nil, false, broken("nested more than %d deep", maxNesting)
			}
			a.stack = append(a.stack, c+2) // the closing '}' or ']'
		case c == '}' || c == ']':
			if c != a.stack[len(a.stack)-1] {
				return nil, false, broken("%q closes %q", rune(c), rune(a.stack[len(a.stack)-1]-2))
			}
			a.stack = a.stack[:len(a.stack)-1]
		}
	}
	return r.long, tooLong, nil
}
