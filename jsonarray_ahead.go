package chatkpi

import (
	"encoding/binary"
	"fmt"
)

// Reading a JSON array ahead (see readahead.go): the scanner of
// jsonarray.go finds the elements on the caller's goroutine, and they go
// to the decoding goroutines a chunk at a time, as the lines of JSON Lines
// do, each element's text after its column offset (see elemHeader).

// batchLines is the most elements of a JSON array in one chunk.
const batchLines = 2048

// splitElem is an element of a chunk of a JSON array: its text (after its
// column offset) ends at text[end], it starts on line, and when err is not
// nil the element is that error, found while splitting.
type splitElem struct {
	end, line int
	err       error
}

// splitElements fills c with the next elements, at most batchLines and
// about the chunk's size of them: the first one waiting for the input when
// wait is set, the others only when they are buffered. It returns false
// when it added none; the error that ends the input (io.EOF after the
// array) is then in r.ra.splitErr.
func (r *JSONLReader) splitElements(c *chunk, wait bool) bool {
	c.text, c.elems = c.text[:0], c.elems[:0]
	c.line, c.last, c.long, c.seq = 0, false, false, false
	for len(c.elems) < batchLines && len(c.text) < r.ra.size && r.ra.splitErr == nil {
		if !(wait && len(c.elems) == 0) && !r.elementBuffered() {
			break
		}
		if _, err := r.scanElement(true); err != nil {
			r.ra.splitErr = err
			break
		}
		a := r.arr
		if a.tooLong {
			c.elems = append(c.elems, splitElem{end: len(c.text), line: a.elemLine,
				err: &InputError{Line: a.elemLine, Event: -1, kind: ErrLineTooLong, Reason: fmt.Sprintf("array element longer than %d bytes", r.cfg.maxLine)}})
			continue
		}
		binary.LittleEndian.PutUint64(r.long, uint64(a.elemCol))
		c.text = append(c.text, r.long...)
		c.elems = append(c.elems, splitElem{end: len(c.text), line: a.elemLine})
	}
	c.rest = len(c.text)
	return len(c.elems) > 0
}

// elementBuffered reports whether the next element, or the end of the
// input, is buffered: splitting it does not wait for the input.
func (r *JSONLReader) elementBuffered() bool {
	found, _ := r.scanElement(false)
	return found
}

// decodeElements decodes the elements of chunk c.
func (d *jsonDecoder) decodeElements(c *chunk) {
	start := 0
	for _, e := range c.elems {
		text := c.text[start:e.end]
		start = e.end
		if e.err != nil {
			c.addError(e.err)
			continue
		}
		rec := c.newRecord()
		if ierr := d.p.parse(d.p.element(text, e.line), rec); ierr != nil {
			ierr.Line = e.line
			if ierr.Conversation == "" {
				ierr.Conversation = rec.Info.ID
			}
			c.errs[len(c.errs)-1] = ierr
		} else {
			rec.Line = e.line
			c.pack(d.p.given)
		}
	}
}

// element returns the text of an element that splitElements put in a
// chunk, at line, and sets the parser's position to where it starts.
func (p *jsonParser) element(text []byte, line int) []byte {
	p.line0, p.col0 = line, int(binary.LittleEndian.Uint64(text))
	return text[elemHeader:]
}
