package chatkpi

import (
	"encoding/binary"
	"fmt"
)

// Reading a JSON array ahead (see readahead.go): the scanner of
// jsonarray.go finds the elements on the caller's goroutine, and they go
// to the decoding goroutines a batch at a time, as JSON Lines do.

// splitElement adds the next element to b (reading ahead), its text after
// its column offset (see elemHeader).
func (r *JSONLReader) splitElement(b *batch[*jsonDecoder]) error {
	if _, err := r.scanElement(true); err != nil {
		return err
	}
	a := r.arr
	if a.tooLong {
		b.addDone(a.elemLine, nil, &InputError{Line: a.elemLine, Event: -1, kind: ErrLineTooLong, Reason: fmt.Sprintf("array element longer than %d bytes", r.cfg.maxLine)})
		return nil
	}
	binary.LittleEndian.PutUint64(r.long, uint64(a.elemCol))
	b.add(r.long, a.elemLine)
	return nil
}

// elementBuffered reports whether the next element, or the end of the
// input, is buffered: splitting it does not wait for the input.
func (r *JSONLReader) elementBuffered() bool {
	found, _ := r.scanElement(false)
	return found
}

// element returns the text of an element that splitElement added to a
// batch, at line, and sets the parser's position to where it starts.
func (p *jsonParser) element(text []byte, line int) []byte {
	p.line0, p.col0 = line, int(binary.LittleEndian.Uint64(text))
	return text[elemHeader:]
}
