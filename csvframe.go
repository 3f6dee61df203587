package chatkpi

import (
	"bytes"
	"fmt"
	"io"
)

// csvFramer splits CSV input into records exactly where encoding/csv ends
// them (checked by fuzzing against it), so that a record that cannot be read
// (an unclosed quote, an over-long record) is dropped alone: its first line
// is reported, and reading goes on at the next line.
type csvFramer struct {
	r          io.Reader // nil: buf is a chunk read ahead (see readahead.go)
	buf        []byte
	start, end int // unread input: buf[start:end]
	eof        bool
	err        error // a read error other than io.EOF
	line       int   // the line of buf[start], 1-based
	max        int   // longest record, terminator included
	begun      bool  // the byte order mark has been looked for
}

// csvFrame is one record as the framer found it.
type csvFrame struct {
	rec  []byte // the record's bytes with its terminator; nil when bad
	line int    // its first line
	// off is where rec starts in the framer's buffer, and first the length
	// of its first line, for [csvFramer.resume].
	off, first int
	// bad is the error about a record that cannot be read, or nil.
	bad *InputError
	// plain: rec is one line, with its "\n", without a quote.
	plain bool
}

// The states of the framer inside a record, those of encoding/csv (without
// LazyQuotes, TrimLeadingSpace or Comment).
const (
	csvFieldStart = iota
	csvUnquoted
	csvQuoted
	csvQuote   // a quote inside a quoted field: its end, or the first of ""
	csvQuoteCR // a quote and "\r": the end of the line if "\n" follows
	csvBadLine // encoding/csv reports an error and drops the rest of the line
)

// fill reads more input after buf[end]; it returns false at the end of the
// input or on a read error.
func (f *csvFramer) fill() bool {
	if f.eof || f.err != nil {
		return false
	}
	if f.r == nil { // a chunk read ahead: the input goes on after it
		f.err = errChunkEnd
		return false
	}
	if f.start == f.end {
		f.start, f.end = 0, 0
	}
	if f.end == len(f.buf) {
		if f.start > 0 {
			f.end = copy(f.buf, f.buf[f.start:f.end])
			f.start = 0
		} else {
			f.buf = append(f.buf, make([]byte, max(len(f.buf), 64<<10))...)
		}
	}
	for {
		n, err := f.r.Read(f.buf[f.end:])
		f.end += n
		switch {
		case err == io.EOF:
			f.eof = true
		case err != nil:
			f.err = err
		case n == 0:
			continue
		}
		if !f.begun && (f.end-f.start >= len(utf8BOM) || f.eof || f.err != nil) {
			f.begun = true
			if string(f.buf[f.start:min(f.end, f.start+len(utf8BOM))]) == utf8BOM {
				f.start += len(utf8BOM)
			}
		}
		return n > 0 || err == nil
	}
}

func (f *csvFramer) consume(n int) {
	f.line += bytes.Count(f.buf[f.start:f.start+n], []byte{'\n'})
	f.start += n
}

// next returns the next record, io.EOF, or a read error.
func (f *csvFramer) next() (csvFrame, error) {
	// Skip empty lines, as encoding/csv does.
	for {
		b := f.buf[f.start:f.end]
		switch {
		case len(b) < 2 && f.fill():
			continue
		case len(b) > 0 && b[0] == '\n':
			f.consume(1)
			continue
		case len(b) > 1 && b[0] == '\r' && b[1] == '\n':
			f.consume(2)
			continue
		case f.err != nil:
			return csvFrame{}, f.err
		case len(b) == 0 || len(b) == 1 && b[0] == '\r' && f.eof:
			f.start = f.end
			return csvFrame{}, io.EOF
		}
		break
	}
	fr := csvFrame{line: f.line}
	// The common record: one line without quotes.
	{
		b := f.buf[f.start:f.end]
		if nl := bytes.IndexByte(b, '\n'); nl >= 0 && nl < f.max && bytes.IndexByte(b[:nl], '"') < 0 {
			fr.rec, fr.off, fr.first, fr.plain = b[:nl+1], f.start, nl+1, true
			f.start += nl + 1
			f.line++
			return fr, nil
		}
	}
	st := csvFieldStart
	firstNL := -1             // the end of the record's first line
	lineStart, lineNo := 0, 0 // of the current line, within the record
	quoteLine, quoteCol := 0, 0
	for i := 0; ; {
		b := f.buf[f.start:f.end]
		for ; i < len(b); i++ {
			if i >= f.max {
				reason := fmt.Sprintf("CSV record longer than %d bytes", f.max)
				if st == csvQuoted || st == csvQuote || st == csvQuoteCR {
					reason += fmt.Sprintf(": the quoted field opened on line %d, column %d, is not closed within that length (a missing closing quote?)", quoteLine, quoteCol)
				}
				fr.bad = &InputError{Line: fr.line, Event: -1, kind: ErrLineTooLong, Reason: reason + "; reading goes on at the next line"}
				return fr, f.dropFirstLine(firstNL)
			}
			c := b[i]
			end := false
			switch st {
			case csvFieldStart, csvUnquoted:
				switch c {
				case '"':
					if st == csvFieldStart {
						st, quoteLine, quoteCol = csvQuoted, fr.line+lineNo, i-lineStart+1
					} else {
						st = csvBadLine
					}
				case ',':
					st = csvFieldStart
				case '\n':
					end = true
				default:
					st = csvUnquoted
				}
			case csvQuoted:
				if c == '"' {
					st = csvQuote
				}
			case csvQuote:
				switch c {
				case '"':
					st = csvQuoted
				case ',':
					st = csvFieldStart
				case '\n':
					end = true
				case '\r':
					st = csvQuoteCR
				default:
					st = csvBadLine
				}
			case csvQuoteCR, csvBadLine:
				if c == '\n' {
					end = true
				} else {
					st = csvBadLine
				}
			}
			if c == '\n' {
				if firstNL < 0 {
					firstNL = i
				}
				lineStart, lineNo = i+1, lineNo+1
			}
			if end {
				fr.rec, fr.off, fr.first = b[:i+1], f.start, i+1
				if firstNL >= 0 {
					fr.first = firstNL + 1
				}
				f.consume(i + 1)
				return fr, nil
			}
		}
		if f.fill() {
			continue
		}
		if f.err != nil {
			return csvFrame{}, f.err
		}
		if st == csvQuoted {
			fr.bad = &InputError{Line: fr.line, Event: -1, Reason: fmt.Sprintf(
				"invalid CSV: the quoted field opened on line %d, column %d, is never closed (the input ends inside it); reading goes on at the next line", quoteLine, quoteCol)}
			return fr, f.dropFirstLine(firstNL)
		}
		fr.rec, fr.off, fr.first = b, f.start, len(b)
		if firstNL >= 0 {
			fr.first = firstNL + 1
		}
		f.consume(len(b))
		return fr, nil
	}
}

// resume makes reading go on after the first line of fr, the record that
// next returned last (its bytes are still in the buffer).
func (f *csvFramer) resume(fr csvFrame) {
	f.start, f.line = fr.off+fr.first, fr.line+1
}

// dropFirstLine consumes the first line of the current record, which ends at
// firstNL (-1: beyond what has been scanned), so that reading goes on at the
// next line.
func (f *csvFramer) dropFirstLine(firstNL int) error {
	if firstNL >= 0 {
		f.consume(firstNL + 1)
		return nil
	}
	for {
		if nl := bytes.IndexByte(f.buf[f.start:f.end], '\n'); nl >= 0 {
			f.consume(nl + 1)
			return nil
		}
		f.start = f.end
		if !f.fill() {
			return f.err
		}
	}
}
