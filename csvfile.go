package chatkpi

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CSVReader reads an event file in CSV (RFC 4180, as [encoding/csv] reads
// it): a required header line naming the columns, in any order, with the
// field names of the event file format (see [Record] and [ReadConversations]);
// each dimension is a column "dim.NAME". An empty cell is an absent field.
// A UTF-8 byte order mark before the header is ignored.
//
// It streams: memory is bounded by [MaxLineSize], which for CSV limits one
// record including its line terminator. A malformed or invalid record is an
// [*InputError] about its line and reading can go on; a bad header is a
// permanent error. A record longer than the limit, one with a quoted field
// that is never closed, and a malformed record over several lines are an
// error about their first line, and reading goes on at the next line: the
// lines after it are read again as records, so that one stray quote never
// takes other records with it unreported.
//
// With GOMAXPROCS above 1, records are framed and decoded ahead on other
// goroutines in chunks of whole lines, as [JSONLReader] decodes lines (a
// record across the cut between two chunks is framed on the caller's
// goroutine), with the same records and errors in the same order.
//
// A CSVReader is not safe for concurrent use.
type CSVReader struct {
	frames  csvFramer
	dec     *csvDecoder
	cfg     readerConfig
	cols    []csvColumn
	skipped int
	err     error // permanent

	// Reading ahead (see readahead.go) on several cores.
	ra readAhead
}

// csvDecoder turns the records that the framer finds into Records: a
// splitter of their fields and a field parser. The reader has one; each
// batch read ahead has its own.
type csvDecoder struct {
	split csvSplitter
	p     fieldParser
	cols  []csvColumn // the header's, shared
	m     *fieldMap
}

func newCSVDecoder(cols []csvColumn, m *fieldMap) *csvDecoder {
	// The reader's own decoder reads the header, which sets the number of
	// fields of the records after it.
	return &csvDecoder{cols: cols, m: m, split: csvSplitter{fieldsPerRecord: len(cols)}}
}

type csvColumn struct {
	f      field
	dim    string // for a "dim.NAME" column
	name   string // the input's name when a mapping renamed it, else ""
	ignore bool
}

// NewCSVReader returns a reader of the CSV event file r.
func NewCSVReader(r io.Reader, opts ...ReaderOption) (*CSVReader, error) {
	cfg, err := newReaderConfig(opts)
	if err != nil {
		return nil, err
	}
	cr := &CSVReader{cfg: cfg, frames: csvFramer{r: r, max: cfg.maxLine, line: 1}, dec: newCSVDecoder(nil, cfg.mapping)}
	if parallelReading() {
		cr.ra.size = chunkBytes
	}
	return cr, nil
}

// Skipped returns the number of invalid records skipped so far under
// [SkipInvalid].
func (r *CSVReader) Skipped() int { return r.skipped }

// Next returns the next record, [io.EOF] at the end, or an error.
func (r *CSVReader) Next() (Record, error) {
	r.begin()
	if r.err == nil && r.ra.size > 0 {
		return r.ra.next(r.cfg.report, &r.skipped)
	}
	for r.err == nil {
		fr, err := r.frames.next()
		if err != nil {
			r.err = err
			break
		}
		var rec Record
		err = r.decodeFrame(fr, &rec)
		if err == nil {
			return rec, nil
		}
		var ie *InputError
		if !errors.As(err, &ie) {
			r.err = err
			break
		}
		if err := r.skip(ie); err != nil {
			return Record{}, err
		}
	}
	return Record{}, r.err
}

// decodeFrame decodes the record fr that the framer returned last into
// rec, which must be zero, or returns an *InputError about it, or a
// permanent error, leaving rec zero. A malformed record over several lines
// makes the framer resume at its second line.
func (r *CSVReader) decodeFrame(fr csvFrame, rec *Record) error {
	return decodeFrame(&r.frames, r.dec, fr, rec)
}

func decodeFrame(f *csvFramer, d *csvDecoder, fr csvFrame, rec *Record) error {
	if fr.bad != nil {
		return fr.bad
	}
	err, resume := d.frame(fr, rec)
	if resume {
		f.resume(fr)
	}
	return err
}

// startAhead begins reading ahead: chunks of whole lines, cut from what the
// framer holds after the header and the input after it.
func (r *CSVReader) startAhead() {
	f := &r.frames
	r.ra.cut = cutter{r: f.r, pending: append([]byte(nil), f.buf[f.start:f.end]...), line: f.line, eof: f.eof, err: f.err,
		size: r.ra.size, max: r.cfg.maxLine, csv: true}
	r.ra.newDecoder = func() chunkDecoder {
		return &csvChunkDecoder{dec: newCSVDecoder(r.cols, r.cfg.mapping), max: r.cfg.maxLine}
	}
	r.ra.frameOne = r.frameOne
}

// csvChunkDecoder frames and decodes the records of a chunk.
type csvChunkDecoder struct {
	dec *csvDecoder
	f   csvFramer
	max int
}

func (d *csvChunkDecoder) decodeChunk(c *chunk) {
	f := &d.f
	*f = csvFramer{buf: c.text, end: len(c.text), eof: c.last, line: c.line, max: d.max, begun: true}
	for {
		fr, err := f.next()
		if err != nil { // io.EOF, or errChunkEnd
			c.rest, c.restLine = f.start, f.line
			return
		}
		// Decoded in place: a record is not copied.
		if err := decodeFrame(f, d.dec, fr, c.newRecord()); err != nil {
			c.errs[len(c.errs)-1] = err
		} else {
			c.pack(d.dec.p.given)
		}
	}
}

// begin reads the header, once, and starts reading ahead when several
// cores can be used.
func (r *CSVReader) begin() {
	if r.err == nil && r.cols == nil {
		r.err = r.readHeader()
		if r.err == nil && r.ra.size > 0 {
			r.startAhead()
		}
	}
}

func (r *CSVReader) packedAhead() (*readAhead, func(*InputError), *int) {
	r.begin()
	if r.err != nil || r.ra.size == 0 {
		return nil, nil, nil
	}
	r.ra.packed = true
	return &r.ra, r.cfg.report, &r.skipped
}

// frameOne frames and decodes the record at the start of t's pending
// input on the caller's goroutine, with the reader's own framer, which
// reads on from the input as far as the record goes, and puts what is
// left back into t.
func (r *CSVReader) frameOne(t *cutter, c *chunk) {
	f := &r.frames
	*f = csvFramer{r: t.r, buf: t.pending, end: len(t.pending), eof: t.eof, err: t.err, line: t.line, max: r.cfg.maxLine, begun: true}
	fr, err := f.next()
	switch {
	case err == io.EOF:
	case err != nil:
		c.addError(err)
	default:
		if err := r.decodeFrame(fr, c.newRecord()); err != nil {
			c.errs[len(c.errs)-1] = err
		}
	}
	t.pending = append(t.pending[:0], f.buf[f.start:f.end]...)
	t.line, t.eof, t.err = f.line, f.eof, f.err
	f.buf = nil
}

// frame decodes the record of fr into rec, which must be zero, and leaves
// it zero on an error. resume reports a malformed record over several
// lines, after which the framer must resume at fr's second line.
func (d *csvDecoder) frame(fr csvFrame, rec *Record) (err error, resume bool) {
	var cells []csvCell
	if fr.plain && d.split.splitPlainCells(fr.rec) == d.split.fieldsPerRecord {
		cells = d.split.cells
	} else {
		row, err, resume := d.row(fr)
		if err != nil {
			return err, resume
		}
		cells = d.split.cellsOf(row)
	}
	rec.Line = fr.line
	valid := fr.plain && d.split.ascii || utf8.Valid(fr.rec) // splitPlain saw whether a plain record is ASCII
	if ierr := d.parseRow(cells, valid, rec); ierr != nil {
		ierr.Line = fr.line
		if ierr.Conversation == "" {
			ierr.Conversation = rec.Info.ID
		}
		*rec = Record{}
		return ierr, false
	}
	return nil, false
}

func (r *CSVReader) skip(ierr *InputError) error {
	if r.cfg.report == nil {
		return ierr
	}
	r.skipped++
	r.cfg.report(ierr)
	return nil
}

// read reads one CSV record and returns its fields, valid until the next
// read, with its first line. A record that cannot be read is an
// *InputError; any other error is permanent.
func (r *CSVReader) read() ([][]byte, int, error) {
	fr, err := r.frames.next()
	if err != nil {
		return nil, 0, err
	}
	if fr.bad != nil {
		return nil, fr.line, fr.bad
	}
	row, err, resume := r.dec.row(fr)
	if resume {
		r.frames.resume(fr)
	}
	return row, fr.line, err
}

// row splits fr into its fields, valid until the next call. resume reports
// a malformed record over several lines, after which the framer must resume
// at fr's second line.
func (d *csvDecoder) row(fr csvFrame) (row [][]byte, err error, resume bool) {
	if fr.plain {
		if row = d.split.splitPlain(fr.rec); len(row) == d.split.fieldsPerRecord {
			return row, nil, false
		}
	}
	n, found, serr := d.split.split(fr.rec)
	if !found || n != len(fr.rec) {
		// A framing that differs from encoding/csv's would shift every
		// record after this one: stop rather than misread.
		return nil, fmt.Errorf("chatkpi: line %d: internal error: the CSV record framing is out of step with encoding/csv (%d of %d bytes read)", fr.line, n, len(fr.rec)), false
	}
	row = d.split.fields
	switch {
	case serr == nil:
		return row, nil, false
	case serr.Err == csv.ErrFieldCount:
		return row, &InputError{Line: fr.line, Event: -1, Reason: fmt.Sprintf("%d fields, the header has %d", len(row), len(d.cols))}, false
	case fr.first < len(fr.rec):
		// A malformed record over several lines (a quoted field with a
		// stray quote further down): which lines belong to it cannot be
		// known, so it drops its first line only.
		return row, &InputError{Line: fr.line, Event: -1, Reason: fmt.Sprintf(
			"invalid CSV at line %d, column %d: %v, in a record that starts on this line and spans %d lines; reading goes on at the next line",
			fr.line+serr.Line, serr.Column, serr.Err, bytes.Count(fr.rec[:len(fr.rec)-1], []byte{'\n'})+1)}, true
	}
	return row, &InputError{Line: fr.line, Event: -1, Reason: fmt.Sprintf("invalid CSV at column %d: %v", serr.Column, serr.Err)}, false
}

func (r *CSVReader) readHeader() error {
	row, line, err := r.read()
	if err == io.EOF {
		return &InputError{Line: 1, Event: -1, Reason: "empty file: the header line is required"}
	}
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			ie.Reason = "header: " + ie.Reason
		}
		return err
	}
	bad := func(field, format string, args ...any) error {
		return &InputError{Line: line, Event: -1, Field: field, Reason: "header: " + fmt.Sprintf(format, args...)}
	}
	cols := make([]csvColumn, len(row))
	seen := make(map[string]bool, len(row))      // input names
	targets := make(map[string]string, len(row)) // format name → input name
	for i, b := range row {
		name := string(b)
		if seen[name] {
			return bad(fieldLabel(name), "column given twice")
		}
		seen[name] = true
		t, known := r.cfg.mapping.lookup([]byte(name), true)
		switch {
		case !known:
			err := unknownField(name, true)
			err.Line = line
			return err
		case t.ignore:
			cols[i].ignore = true
			continue
		case t.f == fDims && t.dim == "":
			return bad(name, "dimensions are columns named dim.NAME")
		case t.f == fDims && !utf8.ValidString(t.dim):
			return bad("", "column %s is not valid UTF-8", quoteShort(name))
		}
		col := csvColumn{f: t.f, dim: t.dim}
		formatName := fieldName([]byte(name), t)
		if formatName != name {
			col.name = name
			formatName = fieldName(nil, t)
		}
		if first, dup := targets[formatName]; dup {
			return bad(fieldLabel(name), "column given twice (as %s, like %s)", formatName, quoteShort(first))
		}
		targets[formatName] = name
		cols[i] = col
	}
	for _, f := range [...]field{fConversation, fTime, fRole, fType} {
		if _, ok := targets[f.String()]; !ok {
			return bad(f.String(), "required column is missing")
		}
	}
	r.cols, r.dec.cols = cols, cols
	return nil
}

// parseRow parses the fields of a record that are not empty, cells, into
// rec; valid says that the record's text is valid UTF-8, and so each of
// its fields.
func (d *csvDecoder) parseRow(cells []csvCell, valid bool, rec *Record) *InputError {
	d.p.given = 0
	for k := range cells {
		c := &cells[k]
		col := &d.cols[c.i]
		if col.ignore {
			continue
		}
		if !valid || col.dim != "" || d.m != nil { // parseCell's other cases
			if err := d.parseCell(col, c.text, valid, rec); err != nil {
				return err
			}
		} else if err := setField(&d.p, rec, col.f, c.text); err != nil {
			return d.cellError(col, err)
		}
	}
	return checkRecord(&d.p, rec, d.m.dropInapplicable())
}

// parseCell parses cell, a field of column col that is not empty, into
// rec (see parseRow).
func (d *csvDecoder) parseCell(col *csvColumn, cell []byte, valid bool, rec *Record) *InputError {
	if !valid && !utf8.Valid(cell) {
		return &InputError{Event: -1, Field: col.label(), Reason: "invalid UTF-8"}
	}
	if col.dim != "" {
		if rec.Info.Dims == nil {
			rec.Info.Dims = make(map[string]string, 2)
		}
		rec.Info.Dims[col.dim] = string(cell)
		return nil
	}
	var err *InputError
	if v, ok := mapValueOf(d.m, col.f, cell); !ok {
		err = setField(&d.p, rec, col.f, cell)
	} else if v != "" {
		err = setField(&d.p, rec, col.f, v)
	}
	if err != nil {
		return d.cellError(col, err)
	}
	return nil
}

// cellError is err about a cell of column col, named as the input names it.
func (d *csvDecoder) cellError(col *csvColumn, err *InputError) *InputError {
	if col.name != "" && err.Field == col.f.String() {
		err.Field = col.label()
	}
	return err
}

// label names the column in an error: its format name, with the input's
// name when a mapping renamed it.
func (c *csvColumn) label() string {
	t := target{f: c.f, dim: c.dim}
	if c.name != "" {
		return fieldName([]byte(c.name), t)
	}
	return fieldName(nil, t)
}

// baseColumns are the columns [CSVWriter] writes before the dimensions.
func baseColumns() []field {
	return []field{
		fConversation, fTime, fRole, fType, fAgent, fSurvey, fScore, fValue, fCurrency,
		fHelpful, fPrivate, fAutomatic, fCustomer, fChannel, fSource, fStart, fOutbound, fID, fPriority,
	}
}

// CSVWriter writes conversations as a CSV event file that [CSVReader] and
// [ReadConversations] read back into the same conversations. Its columns are
// fixed when it is built: every field of the format, then "dim.NAME" for
// each dimension name given. Times are written in UTC with RFC3339Nano,
// decimals in plain notation, booleans as "true" or an empty cell ("false"
// for helpful on a feedback event), and the conversation-level fields on the
// first row of each conversation only.
//
// Writes are buffered: call Flush at the end. A CSVWriter is not safe for
// concurrent use.
type CSVWriter struct {
	w      *csv.Writer
	dims   map[string]int // column index of each dimension
	row    []string
	buf    []byte
	events []Event
}

// NewCSVWriter returns a writer of a CSV event file to w with a column for
// each of dimNames, which must be distinct and not empty. The header line is
// written (buffered) at once, so an export of no conversations is still a
// readable file.
func NewCSVWriter(w io.Writer, dimNames []string) (*CSVWriter, error) {
	cw := &CSVWriter{w: csv.NewWriter(w), dims: make(map[string]int, len(dimNames))}
	base := baseColumns()
	header := make([]string, 0, len(base)+len(dimNames))
	for _, f := range base {
		header = append(header, f.String())
	}
	for _, d := range dimNames {
		if d == "" || !utf8.ValidString(d) {
			return nil, invalidf("dims", "dimension name %s is empty or not valid UTF-8", quoteShort(d))
		}
		if _, dup := cw.dims[d]; dup {
			return nil, invalidf("dims", "dimension %s given twice", quoteShort(d))
		}
		cw.dims[d] = len(header)
		header = append(header, "dim."+d)
	}
	cw.row = make([]string, len(header))
	if err := cw.w.Write(header); err != nil {
		return nil, err
	}
	return cw, nil
}

// WriteConversation writes one row per event of c. Besides what
// [JSONLWriter.WriteConversation] rejects, a dimension with a non-empty value
// and no column is an error, and so is text holding "\r\n" (CSV readers
// turn it into "\n"); nothing of a rejected conversation is written.
func (w *CSVWriter) WriteConversation(c Conversation) error {
	info, events, err := writable(c, w.events)
	if err != nil {
		return err
	}
	if _, ok := c.(*Chat); !ok {
		w.events = events[:0]
	}
	if err := csvKeepsText(info, events); err != nil {
		return err
	}
	for k, v := range info.Dims {
		if _, ok := w.dims[k]; !ok && v != "" {
			return &InputError{Conversation: info.ID, Event: -1, Field: "dims",
				Reason: fmt.Sprintf("dimension %s has no column in this CSV writer", quoteShort(k))}
		}
	}
	for i := range events {
		e := &events[i]
		row := w.row
		clear(row)
		row[0] = info.ID
		row[1] = w.time(e)
		row[2] = e.Role.String()
		row[3] = e.Type.String()
		row[4] = e.Agent
		if e.Survey != 0 {
			row[5] = e.Survey.String()
		}
		if e.Score != 0 || e.Type == Rating {
			row[6] = strconv.Itoa(int(e.Score))
		}
		if !e.Value.IsZero() {
			row[7] = e.Value.String()
		}
		row[8] = e.Currency
		if e.Helpful || e.Type == Feedback {
			row[9] = strconv.FormatBool(e.Helpful)
		}
		row[10] = csvBool(e.Private)
		row[11] = csvBool(e.Automatic)
		row[17] = e.ID
		if i == 0 {
			row[12] = info.Customer
			row[13] = info.Channel
			row[14] = info.Source
			if !info.Start.IsZero() {
				row[15] = string(appendTime(w.buf[:0], info.Start))
			}
			row[16] = csvBool(info.Outbound)
			row[18] = info.Priority
			for k, v := range info.Dims {
				if v != "" {
					row[w.dims[k]] = v
				}
			}
		}
		if err := w.w.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// csvKeepsText rejects text that encoding/csv would not read back as
// written: it turns "\r\n" inside a quoted field into "\n".
func csvKeepsText(info Info, events []Event) error {
	bad := func(s string) bool { return strings.Contains(s, "\r\n") }
	const reason = `contains "\r\n", which CSV reads back as "\n"`
	for _, s := range [...]struct{ name, v string }{{"conversation", info.ID}, {"customer", info.Customer}, {"channel", info.Channel}, {"source", info.Source}, {"priority", info.Priority}} {
		if bad(s.v) {
			return &InputError{Conversation: info.ID, Event: -1, Field: s.name, Reason: reason}
		}
	}
	for k, v := range info.Dims {
		if bad(k) || bad(v) {
			return &InputError{Conversation: info.ID, Event: -1, Field: "dims", Reason: quoteShort(k) + ": " + reason}
		}
	}
	for i := range events {
		if bad(events[i].Agent) {
			return eventErrorf(info.ID, i, "agent", "%s", reason)
		}
		if bad(events[i].Currency) {
			return eventErrorf(info.ID, i, "currency", "%s", reason)
		}
		if bad(events[i].ID) {
			return eventErrorf(info.ID, i, "id", "%s", reason)
		}
	}
	return nil
}

func (w *CSVWriter) time(e *Event) string {
	w.buf = appendTime(w.buf[:0], e.Time)
	return string(w.buf)
}

func csvBool(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// Flush writes any buffered data to the underlying writer.
func (w *CSVWriter) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
