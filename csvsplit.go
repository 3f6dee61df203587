package chatkpi

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"math/bits"
)

// csvSplitter splits a CSV record into its fields exactly as an
// [encoding/csv] Reader with the settings of [CSVReader] does (a comma
// separates fields; no comment lines, LazyQuotes or TrimLeadingSpace; the
// first record fixes the number of fields, as FieldsPerRecord 0 does), with
// the same fields, errors, lines and columns (FuzzCSVSplitter compares
// them), but without a string per record: the fields are slices of the
// record's text, or of a buffer the splitter reuses when a quoted field must
// be rewritten (a doubled quote, a line break).
type csvSplitter struct {
	// fieldsPerRecord is the number of fields every record must have; 0:
	// the next record's, as encoding/csv's FieldsPerRecord 0.
	fieldsPerRecord int
	fields          [][]byte // the last record's fields, valid until the next split
	buf             []byte   // the text of the rewritten quoted fields
	// ascii: the record that splitPlain split last holds only ASCII bytes
	// (and so is valid UTF-8); false after split.
	ascii bool
	// cells are the fields that are not empty of the record that
	// splitPlainCells split last, or of a row given to cellsOf.
	cells []csvCell
}

// csvSyntaxError is an error of encoding/csv about a record: Err is
// [csv.ErrBareQuote], [csv.ErrQuote] or [csv.ErrFieldCount] at column Column
// (1-based, in bytes) of the record's line Line (0 for its first line).
type csvSyntaxError struct {
	Line, Column int
	Err          error
}

// csvLine is one line of a record as encoding/csv reads it: its text without
// the terminator ("\n" or "\r\n"; a final "\r" at the end of the input is
// dropped too), and whether it had a terminator, which then belongs to the
// line's text ("\n").
type csvLine struct {
	text []byte
	nl   bool
}

// nextCSVLine returns the line of data at offset off and the offset after it.
func nextCSVLine(data []byte, off int) (csvLine, int) {
	rest := data[off:]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		if n := len(rest); n > 0 && rest[n-1] == '\r' {
			rest = rest[:n-1]
		}
		return csvLine{text: rest}, len(data)
	}
	text := rest[:nl]
	if nl > 0 && text[nl-1] == '\r' {
		text = text[:nl-1]
	}
	return csvLine{text: text, nl: true}, off + nl + 1
}

// split reads the first record of data, as encoding/csv reads it from an
// input that ends after data: n is the number of bytes read (the record's
// lines, and the empty lines before it, which are skipped), found is false
// when data has no record (only empty lines). The fields are in s.fields,
// those before the error when there is one.
func (s *csvSplitter) split(data []byte) (n int, found bool, err *csvSyntaxError) {
	s.fields, s.ascii = s.fields[:0], false
	// Reserved at once, so that appending never moves the fields already
	// split: the rewritten text is never longer than the record.
	if cap(s.buf) < len(data) {
		s.buf = make([]byte, 0, len(data))
	}
	s.buf = s.buf[:0]
	var line csvLine
	for {
		if n == len(data) {
			return n, false, nil
		}
		line, n = nextCSVLine(data, n)
		if len(line.text) > 0 {
			break
		}
	}
	err = s.fieldsOf(data, line, &n)
	if s.fieldsPerRecord == 0 {
		s.fieldsPerRecord = len(s.fields)
	} else if err == nil && len(s.fields) != s.fieldsPerRecord {
		err = &csvSyntaxError{Line: 0, Column: 1, Err: csv.ErrFieldCount}
	}
	return n, true, err
}

// splitPlain splits rec, one line with its terminator and without a quote,
// at its commas: the fields that split reads in it (FuzzCSVSplitter
// compares them), without checking their number. The fields are also in
// s.fields.
func (s *csvSplitter) splitPlain(rec []byte) [][]byte {
	n := s.splitPlainCells(rec)
	fields := s.fields[:0]
	for _, c := range s.cells {
		for len(fields) < c.i {
			fields = append(fields, rec[:0])
		}
		fields = append(fields, c.text)
	}
	for len(fields) < n {
		fields = append(fields, rec[:0])
	}
	s.fields = fields
	return fields
}

// csvCell is field i of a record, when it is not empty.
type csvCell struct {
	i    int
	text []byte
}

// splitPlainCells splits rec as splitPlain does and returns its number of
// fields, keeping only those that are not empty, in s.cells (most fields
// of a record are empty: they need neither a slice nor a look).
func (s *csvSplitter) splitPlainCells(rec []byte) int {
	text := rec[:len(rec)-1] // without its "\n"
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	cells := s.cells[:0]
	n, start, i := 0, 0, 0
	var high uint64 // the high bits of the bytes: 0 when all are ASCII
	for ; i+8 <= len(text); i += 8 {
		x := binary.LittleEndian.Uint64(text[i:])
		high |= x
		for m := commaBytes(x); m != 0; m &= m - 1 {
			k := i + bits.TrailingZeros64(m)>>3
			if k > start {
				cells = append(cells, csvCell{n, text[start:k]})
			}
			n++
			start = k + 1
		}
	}
	for ; i < len(text); i++ {
		high |= uint64(text[i])
		if text[i] == ',' {
			if i > start {
				cells = append(cells, csvCell{n, text[start:i]})
			}
			n++
			start = i + 1
		}
	}
	if len(text) > start {
		cells = append(cells, csvCell{n, text[start:]})
	}
	s.ascii = high&0x8080808080808080 == 0 // its terminator is ASCII too
	s.cells = cells
	return n + 1
}

// cellsOf keeps in s.cells the fields of row that are not empty.
func (s *csvSplitter) cellsOf(row [][]byte) []csvCell {
	s.cells = s.cells[:0]
	for i, f := range row {
		if len(f) > 0 {
			s.cells = append(s.cells, csvCell{i, f})
		}
	}
	return s.cells
}

// commaBytes marks with its high bit each byte of x that is ',', and no
// other.
func commaBytes(x uint64) uint64 {
	const lows = 0x7f7f7f7f7f7f7f7f
	x ^= ',' * 0x0101010101010101 // a comma is now 0
	return ^((x&lows + lows) | x | lows)
}

// fieldsOf splits the record that starts with line, reading its further
// lines from data at *n, which it advances.
func (s *csvSplitter) fieldsOf(data []byte, line csvLine, n *int) *csvSyntaxError {
	lineNo := 0
	p, col := 0, 1 // the position in line.text, and its column
	for {
		text := line.text
		if p == len(text) || text[p] != '"' {
			// An unquoted field, up to the next comma. Fields are short: a
			// loop finds its end faster than two calls of bytes.IndexByte.
			field := text[p:]
			i := 0
			for i < len(field) && field[i] != ',' && field[i] != '"' {
				i++
			}
			if i < len(field) && field[i] == '"' {
				return &csvSyntaxError{Line: lineNo, Column: col + i, Err: csv.ErrBareQuote}
			}
			s.fields = append(s.fields, field[:i])
			if i == len(field) {
				return nil
			}
			p, col = p+i+1, col+i+1
			continue
		}
		// A quoted field: its text is a slice of the line when it has no
		// doubled quote and ends on its line, else it is rewritten in buf.
		p, col = p+1, col+1
		start := len(s.buf)
		direct := true
		for {
			text := line.text
			i := bytes.IndexByte(text[p:], '"')
			if i < 0 {
				if p == len(text) && !line.nl {
					// The input ends inside the field.
					return &csvSyntaxError{Line: lineNo, Column: col, Err: csv.ErrQuote}
				}
				// The field goes on at the next line.
				s.buf = append(s.buf, text[p:]...)
				col += len(text) - p
				if line.nl {
					s.buf = append(s.buf, '\n')
					col++
				}
				direct = false
				line, *n = nextCSVLine(data, *n)
				p = 0
				if len(line.text) > 0 || line.nl {
					lineNo, col = lineNo+1, 1
				}
				continue
			}
			content := text[p : p+i]
			p, col = p+i+1, col+i+1
			switch {
			case p < len(text) && text[p] == '"':
				// A doubled quote: one quote of the text.
				s.buf = append(append(s.buf, content...), '"')
				direct = false
				p, col = p+1, col+1
				continue
			case p < len(text) && text[p] != ',':
				return &csvSyntaxError{Line: lineNo, Column: col - 1, Err: csv.ErrQuote}
			}
			if direct {
				s.fields = append(s.fields, content)
			} else {
				s.buf = append(s.buf, content...)
				s.fields = append(s.fields, s.buf[start:len(s.buf):len(s.buf)])
			}
			if p == len(text) {
				return nil // the end of the record
			}
			p, col = p+1, col+1 // after the comma
			break
		}
	}
}
