package chatkpi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
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
// [*InputError] about its line and reading can go on; a bad header and an
// over-long record are permanent errors (after an over-long quoted field, the
// start of the next record cannot be found).
//
// A CSVReader is not safe for concurrent use.
type CSVReader struct {
	cr       *csv.Reader
	in       *limitedReader
	cfg      readerConfig
	cols     []csvColumn
	p        fieldParser
	prevLine int
	skipped  int
	err      error // permanent
}

type csvColumn struct {
	f   field
	dim string // for a "dim.NAME" column
}

// csvReadAhead is how far encoding/csv reads ahead of the record it returns
// (its bufio.Reader's default size).
const csvReadAhead = 4096

var errRecordTooLong = errors.New("record too long")

// limitedReader fails reads that would take the current record more than
// max bytes past its start.
type limitedReader struct {
	r           io.Reader
	n           int64 // bytes read
	recordStart int64
	max         int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	allowed := l.recordStart + l.max + csvReadAhead - l.n
	if allowed <= 0 {
		return 0, errRecordTooLong
	}
	if int64(len(p)) > allowed {
		p = p[:allowed]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// NewCSVReader returns a reader of the CSV event file r.
func NewCSVReader(r io.Reader, opts ...ReaderOption) (*CSVReader, error) {
	cfg, err := newReaderConfig(opts)
	if err != nil {
		return nil, err
	}
	in := &limitedReader{r: r, max: int64(cfg.maxLine)}
	cr := csv.NewReader(in)
	cr.ReuseRecord = true
	return &CSVReader{cr: cr, in: in, cfg: cfg}, nil
}

// Skipped returns the number of invalid records skipped so far under
// [SkipInvalid].
func (r *CSVReader) Skipped() int { return r.skipped }

// All returns an iterator over the remaining records, as [Records] does.
func (r *CSVReader) All() iter.Seq2[Record, error] { return Records(r) }

// Next returns the next record, [io.EOF] at the end, or an error.
func (r *CSVReader) Next() (Record, error) {
	if r.err == nil && r.cols == nil {
		r.err = r.readHeader()
	}
	for r.err == nil {
		row, err := r.read()
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				r.err = err
				break
			}
			ierr := &InputError{Line: pe.StartLine, Event: -1, Reason: "invalid CSV: " + pe.Err.Error()}
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				ierr.Reason = fmt.Sprintf("%d fields, the header has %d", len(row), len(r.cols))
			}
			if err := r.skip(ierr); err != nil {
				return Record{}, err
			}
			continue
		}
		line, _ := r.cr.FieldPos(0)
		rec := Record{Line: line}
		if ierr := r.parseRow(row, &rec); ierr != nil {
			ierr.Line = line
			if ierr.Conversation == "" {
				ierr.Conversation = rec.Info.ID
			}
			if err := r.skip(ierr); err != nil {
				return Record{}, err
			}
			continue
		}
		return rec, nil
	}
	return Record{}, r.err
}

func (r *CSVReader) skip(ierr *InputError) error {
	if r.cfg.report == nil {
		return ierr
	}
	r.skipped++
	r.cfg.report(ierr)
	return nil
}

// read reads one CSV record, enforcing the size limit.
func (r *CSVReader) read() ([]string, error) {
	r.in.recordStart = r.cr.InputOffset()
	row, err := r.cr.Read()
	if err == nil && r.cr.InputOffset()-r.in.recordStart > int64(r.cfg.maxLine) {
		err = errRecordTooLong
	}
	if errors.Is(err, errRecordTooLong) {
		return nil, &InputError{Line: r.prevLine + 1, Event: -1,
			Reason: fmt.Sprintf("CSV record longer than %d bytes (see MaxLineSize); reading stopped", r.cfg.maxLine)}
	}
	if err == nil {
		r.prevLine, _ = r.cr.FieldPos(len(row) - 1)
	}
	return row, err
}

func (r *CSVReader) readHeader() error {
	row, err := r.read()
	if err == io.EOF {
		return &InputError{Line: 1, Event: -1, Reason: "empty file: the header line is required"}
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &InputError{Line: pe.StartLine, Event: -1, Reason: "invalid CSV header: " + pe.Err.Error()}
		}
		return err
	}
	line, _ := r.cr.FieldPos(0)
	bad := func(field, format string, args ...any) error {
		return &InputError{Line: line, Event: -1, Field: field, Reason: "header: " + fmt.Sprintf(format, args...)}
	}
	cols := make([]csvColumn, len(row))
	seen := make(map[string]bool, len(row))
	for i, name := range row {
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff")
		}
		if seen[name] {
			return bad(fieldLabel(name), "column given twice")
		}
		seen[name] = true
		f := lookupField(name)
		switch {
		case f == fDims:
			return bad(name, "dimensions are columns named dim.NAME")
		case f != fNone:
			cols[i].f = f
		case strings.HasPrefix(name, "dim.") && len(name) > len("dim."):
			if !utf8.ValidString(name) {
				return bad("", "column %s is not valid UTF-8", quoteShort(name))
			}
			cols[i] = csvColumn{f: fDims, dim: name[len("dim."):]}
		default:
			return bad(fieldLabel(name), "unknown column")
		}
	}
	for _, f := range [...]field{fConversation, fTime, fRole, fType} {
		if !seen[f.String()] {
			return bad(f.String(), "required column is missing")
		}
	}
	r.cols = cols
	return nil
}

func (r *CSVReader) parseRow(row []string, rec *Record) *InputError {
	for i, cell := range row {
		if cell == "" {
			continue
		}
		col := r.cols[i]
		if !utf8.ValidString(cell) {
			name := col.f.String()
			if col.dim != "" {
				name = "dim." + col.dim
			}
			return &InputError{Event: -1, Field: name, Reason: "invalid UTF-8"}
		}
		if col.dim != "" {
			if rec.Info.Dims == nil {
				rec.Info.Dims = make(map[string]string, 2)
			}
			rec.Info.Dims[col.dim] = strings.Clone(cell)
			continue
		}
		if err := setField(&r.p, rec, col.f, cell); err != nil {
			return err
		}
	}
	return checkRecord(rec)
}

// baseColumns are the columns [CSVWriter] writes before the dimensions.
func baseColumns() []field {
	return []field{
		fConversation, fTime, fRole, fType, fAgent, fSurvey, fScore, fValue, fCurrency,
		fHelpful, fPrivate, fAutomatic, fCustomer, fChannel, fSource, fStart, fOutbound, fID,
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
			row[6] = strconv.Itoa(e.Score)
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
	for _, s := range [...]struct{ name, v string }{{"conversation", info.ID}, {"customer", info.Customer}, {"channel", info.Channel}, {"source", info.Source}} {
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
