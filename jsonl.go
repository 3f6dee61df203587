package chatkpi

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// JSONLReader reads an event file in JSON Lines: one JSON object per line
// with the fields of the event file format (see [Record]; [ReadConversations]
// groups the records into conversations). Lines that hold only
// whitespace are skipped; line terminators are "\n" or "\r\n". An input
// whose first character (after a byte order mark and whitespace) is '[' is
// read as one JSON array of such objects instead, formatted in any way; a
// record's line is then the line where its object starts, and an element
// that is not an object, or a broken array, is a permanent error (where the
// next element starts cannot be known).
//
// It streams: memory is bounded by the longest line (array element), itself
// bounded by [MaxLineSize] (an over-long line is an [*InputError] and
// reading can go on). The objects are parsed by hand, not through encoding/json's
// reflection, and accept exactly what encoding/json accepts for this schema
// (checked by fuzzing against it), except that invalid UTF-8 is rejected
// instead of replaced and a field given twice is an error instead of the last
// one winning. Repeated strings of consecutive lines (ids, names) are shared,
// so a record costs no allocation beyond the new strings, dimension maps and
// decimal values it holds.
//
// With GOMAXPROCS above 1, JSON Lines are read in chunks of whole lines
// (128 KiB) that other goroutines split into lines and decode (the elements
// of a JSON array are found on the caller's goroutine and decoded on others,
// up to 2,048 of them a chunk), at most three chunks ahead of Next, reading
// ahead only after a read that
// filled its buffer or gave 16 KiB or more (as files, pipes and gzip do), so
// that the lines of a slow stream are returned as they arrive (a writer that
// writes 16 KiB at once and then waits for a record before writing more
// must not count on that); Next returns the same records and errors in the
// same order as reading line by line, and calls the [SkipInvalid] report on
// its caller's goroutine.
//
// A JSONLReader is not safe for concurrent use.
type JSONLReader struct {
	br      *bufio.Reader
	cfg     readerConfig
	line    int
	long    []byte // a line longer than the bufio buffer
	p       jsonParser
	skipped int
	err     error // permanent
	started bool
	arr     *jsonArray // nil: JSON Lines

	// Reading ahead (see readahead.go), for JSON Lines on several cores.
	ra       readAhead
	parallel bool
}

// NewJSONLReader returns a reader of the JSON Lines event file r.
func NewJSONLReader(r io.Reader, opts ...ReaderOption) (*JSONLReader, error) {
	cfg, err := newReaderConfig(opts)
	if err != nil {
		return nil, err
	}
	size := 64 << 10
	if cfg.maxLine < size-2 { // +2 for "\r\n"
		size = max(cfg.maxLine+2, 16)
	}
	jr := &JSONLReader{br: bufio.NewReaderSize(r, size), cfg: cfg, p: jsonParser{m: cfg.mapping}}
	if parallelReading() {
		jr.ra.size = chunkBytes
	}
	return jr, nil
}

// utf8BOM is the UTF-8 byte order mark, which both readers ignore at the
// start of the input.
const utf8BOM = "\ufeff"

// start drops a byte order mark and finds out whether the input is a JSON
// array, looking ahead through leading whitespace as far as the buffer goes.
func (r *JSONLReader) start() {
	r.started = true
	if b, _ := r.br.Peek(len(utf8BOM)); string(b) == utf8BOM {
		r.br.Discard(len(utf8BOM))
	}
	for n := 1; n <= r.br.Size(); n++ {
		b, err := r.br.Peek(n)
		if err != nil {
			return
		}
		switch b[n-1] {
		case ' ', '\t', '\r', '\n':
			continue
		case '[':
			r.arr = &jsonArray{line: 1}
		}
		return
	}
}

// Skipped returns the number of invalid lines skipped so far under
// [SkipInvalid].
func (r *JSONLReader) Skipped() int { return r.skipped }

// Next returns the next record, [io.EOF] at the end, or an [*InputError]
// about the next line, after which Next may be called again.
func (r *JSONLReader) Next() (Record, error) {
	if !r.started {
		r.begin()
	}
	if r.parallel {
		return r.ra.next(r.cfg.report, &r.skipped)
	}
	for {
		if r.err != nil {
			return Record{}, r.err
		}
		var (
			line    []byte
			tooLong bool
			err     error
		)
		if r.arr != nil {
			line, tooLong, err = r.readElement()
		} else {
			line, tooLong, err = r.readLine()
		}
		if err != nil {
			r.err = err
			return Record{}, err
		}
		var rec Record
		var ierr *InputError
		if tooLong {
			what := "line"
			if r.arr != nil {
				what = "array element"
			}
			ierr = &InputError{Event: -1, kind: ErrLineTooLong, Reason: fmt.Sprintf("%s longer than %d bytes", what, r.cfg.maxLine)}
		} else {
			if isBlank(line) {
				continue
			}
			ierr = r.p.parse(line, &rec)
		}
		if ierr == nil {
			rec.Line = r.line
			return rec, nil
		}
		ierr.Line = r.line
		if ierr.Conversation == "" {
			ierr.Conversation = rec.Info.ID
		}
		if r.cfg.report == nil {
			return Record{}, ierr
		}
		r.skipped++
		r.cfg.report(ierr)
	}
}

// readLine returns the next line without its terminator, or io.EOF. tooLong
// reports a line over the limit, which has been consumed.
func (r *JSONLReader) readLine() (line []byte, tooLong bool, err error) {
	line, err = r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			if !tooLong {
				r.long = append(r.long, line...)
				if len(r.long)-2 > r.cfg.maxLine { // 2 for "\r\n"
					tooLong = true
					r.long = r.long[:0]
				}
			}
		}
		line = r.long
	}
	if err != nil && err != io.EOF {
		return nil, false, err
	}
	if err == io.EOF && len(line) == 0 && !tooLong {
		return nil, false, io.EOF
	}
	r.line++
	line = trimByte(trimByte(line, '\n'), '\r')
	return line, tooLong || len(line) > r.cfg.maxLine, nil
}

// startAhead begins reading ahead: chunks of whole lines, cut from what
// the buffer holds and the input after it, or of the elements of an array
// (jsonarray_ahead.go).
func (r *JSONLReader) startAhead() {
	if r.arr != nil {
		r.ra.split = r.splitElements
	} else {
		r.ra.cut = cutter{r: r.br, line: 1, size: r.ra.size, max: r.cfg.maxLine}
	}
	max := r.cfg.maxLine
	r.ra.newDecoder = func() chunkDecoder { return &jsonDecoder{p: jsonParser{m: r.cfg.mapping}, max: max} }
}

// begin starts reading: it finds out whether the input is an array, and
// starts reading ahead if several cores can be used.
func (r *JSONLReader) begin() {
	r.start()
	r.parallel = r.ra.size > 0
	if r.parallel {
		r.startAhead()
	}
}

func (r *JSONLReader) packedAhead() (*readAhead, func(*InputError), *int) {
	if !r.started {
		r.begin()
	}
	if !r.parallel {
		return nil, nil, nil
	}
	r.ra.packed = true
	return &r.ra, r.cfg.report, &r.skipped
}

// jsonDecoder decodes the lines of a chunk, as [JSONLReader.Next] reads them
// one by one.
type jsonDecoder struct {
	p   jsonParser
	max int // MaxLineSize
}

func (d *jsonDecoder) decodeChunk(c *chunk) {
	if c.elems != nil {
		d.decodeElements(c)
		return
	}
	if c.long {
		c.addError(d.tooLong(c.line))
		return
	}
	text, line := c.text, c.line
	defer d.p.forgetAliases(nil) // the chunk's text is read into again
	for len(text) > 0 {
		if n, ok := d.commonLine(c, text, line); ok {
			text = text[n:]
			line++
			continue
		}
		d.p.forgetAliases(nil)
		l := text
		if nl := bytes.IndexByte(text, '\n'); nl >= 0 {
			l, text = text[:nl], text[nl+1:]
		} else {
			text = nil
		}
		l = trimByte(l, '\r')
		switch {
		case len(l) > d.max:
			c.addError(d.tooLong(line))
		case isBlank(l):
		default:
			rec := c.newRecord()
			if ierr := d.p.parse(l, rec); ierr != nil {
				ierr.Line = line
				if ierr.Conversation == "" {
					ierr.Conversation = rec.Info.ID
				}
				c.errs[len(c.errs)-1] = ierr
			} else {
				rec.Line = line
				c.pack(d.p.given)
			}
		}
		line++
	}
}

// commonLine decodes the line at the start of text, numbered line, when
// parseCommon reads it without its end being known — the line ends where
// its closing '}' does, as a '\n' (or "\r\n", or the end of text) right
// after it says — and it is not longer than the limit: a record, as the
// line's own parse gives. It returns the bytes of the line and of its end,
// and true; otherwise false, having added nothing to c, and the line is
// for the search for its end and parse, which say what is wrong with it.
// A line that parseCommon reads holds no '\n' before its '}' — every token
// it takes is free of control bytes, except where value read a value (the
// whitespace of dims, say): such a line is searched for a '\n' — so the
// line it read is the one the search finds; that search, a pass over the
// chunk's bytes, is spared.
func (d *jsonDecoder) commonLine(c *chunk, text []byte, line int) (int, bool) {
	p := &d.p
	if p.m != nil || text[0] != '{' {
		return 0, false
	}
	rec := c.newRecord()
	p.b, p.given, p.alias = text, 0, c.packed
	end, ok := p.parseCommonTo(rec, false)
	p.alias = false
	if ok && end <= d.max && (!p.valued || bytes.IndexByte(text[:end], '\n') < 0) {
		n := end
		if n < len(text) && text[n] == '\r' {
			n++
		}
		if n == len(text) || text[n] == '\n' {
			rec.Line = line
			if !c.pack(p.given) {
				p.forgetAliases(rec) // the chunk keeps the record
			}
			return min(n+1, len(text)), true
		}
	}
	// Not such a line: c as it was.
	*rec, p.given = Record{}, 0
	c.recs, c.errs = c.recs[:len(c.recs)-1], c.errs[:len(c.errs)-1]
	if c.packed {
		c.items = c.items[:len(c.items)-1]
	}
	return 0, false
}

func (d *jsonDecoder) tooLong(line int) *InputError {
	return &InputError{Line: line, Event: -1, kind: ErrLineTooLong, Reason: fmt.Sprintf("line longer than %d bytes", d.max)}
}

// trimByte returns b without its last byte when that is c: what
// bytes.TrimSuffix(b, []byte{c}) returns, without a call to compare one byte.
func trimByte(b []byte, c byte) []byte {
	if n := len(b); n > 0 && b[n-1] == c {
		return b[:n-1]
	}
	return b
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// jsonParser parses one line. Its buffers are reused from line to line.
type jsonParser struct {
	fieldParser
	m   *fieldMap // nil: no mapping
	b   []byte
	i   int
	buf []byte // unescaped strings
	key []byte // unescaped key
	// next is, per field, the field that followed it on the last line that
	// had both (fNone: the first field): knownKey's guess.
	next     [numFields]field
	nextName [numFields]string  // next's names
	nextKey  [numFields]keyText // next's `"name":`
	keys     [numFields]keyText // newKeyText of each field, when keyMade
	keyMade  [numFields]bool
	// plainLast has bit f set when p.last[f] (fieldParser) is known to
	// hold only bytes that a JSON string holds as they are (see
	// sameAsLast): for the conversation and the agent.
	plainLast uint32
	// roleNames and typeNames find roles and event types by name
	// (nameValue).
	roleNames, typeNames quotedNames
	// valued: parseCommonTo read a value by value.
	valued bool
	// alias (set by commonLine for a chunk decoded for a Joiner, whose
	// records are packed, their strings copied into the chunk's arena) makes
	// parseCommonTo take the conversation id and the customer as strings
	// that share the line's memory instead of strings of their own: one
	// allocation a line fewer with interleaved lines, whose ids change from
	// line to line. aliased has bit f set when p.last[f] is such a string:
	// forgetAliases drops them before the text is read into again, or gives
	// a record that is not packed strings of its own.
	alias   bool
	aliased uint32
	// label is the current key, kept for an error about a renamed field.
	label []byte
	// line0 and col0 locate the text of a JSON array element: it starts on
	// line line0 after col0 bytes of that line.
	line0, col0 int
}

// parse parses line into rec, which must be zero.
func (p *jsonParser) parse(line []byte, rec *Record) *InputError {
	p.b, p.given = line, 0
	if p.m == nil {
		if p.parseCommon(rec) {
			return nil
		}
		*rec, p.given = Record{}, 0
	}
	return p.parseAny(rec)
}

// parseCommon parses p.b into rec when the line is laid out as writers lay
// JSON Lines out — no whitespace but a space after a ':' or ',' (as
// Python's json.dumps writes), field names without escapes — and is valid,
// without a mapping. Otherwise it returns false, having written
// parts of the line into rec, and the line is for parseAny, which says what
// is wrong with it. What it accepts it reads as parseAny does
// (FuzzJSONLCommon compares them).
func (p *jsonParser) parseCommon(rec *Record) bool {
	b := p.b
	if len(b) < 2 || b[len(b)-1] != '}' {
		return false
	}
	_, ok := p.parseCommonTo(rec, true)
	return ok
}

// parseCommonTo is parseCommon of the line p.b (whole) or, not whole, of
// the line at the start of p.b, whose end is not known: it returns where
// the line's closing '}' ends it, and whether the line up to there is one
// that parseCommon reads. Not whole, the line read may hold a '\n' only
// where value read it (whitespace in dims, say): p.valued says whether it
// read any.
func (p *jsonParser) parseCommonTo(rec *Record, whole bool) (end int, ok bool) {
	b := p.b
	p.valued = false
	if len(b) < 2 || b[0] != '{' {
		return 0, false
	}
	var seen uint32
	prev := fNone
	i := 1
	for i < len(b) && b[i] == '"' {
		var f field
		if t := &p.nextKey[prev]; t.n > 0 && i+16 <= len(b) && binary.LittleEndian.Uint64(b[i:])&t.mask == t.first &&
			(t.n <= 8 || binary.LittleEndian.Uint64(b[i+t.n-8:]) == t.last) {
			f, p.i = p.next[prev], i+t.n
		} else {
			p.i = i
			if f = p.knownKey(prev); f == fNone || p.i >= len(b) || b[p.i] != ':' {
				return 0, false
			}
			p.i++
		}
		if seen&(1<<f) != 0 {
			return 0, false
		}
		seen |= 1 << f
		prev = f
		if p.i < len(b) && b[p.i] == ' ' {
			p.i++
		}
		repeats := f == fConversation || f == fAgent // most often the value of the line before
		if !p.quickValue(rec, f) {
			if s, ok := p.plainString(f); ok {
				switch {
				case len(s) == 0:
				case p.alias && (f == fConversation || f == fCustomer):
					p.aliasField(rec, f, s)
				case setField(&p.fieldParser, rec, f, s) != nil:
					return 0, false
				}
				if repeats {
					p.plainLast |= 1 << f
				}
			} else {
				p.plainLast &^= 1 << f
				p.valued = true
				if p.value(rec, f) != nil {
					return 0, false
				}
			}
		}
		if i = p.i + 1; p.i >= len(b) || b[p.i] != ',' {
			if whole && i != len(b) || p.i >= len(b) || b[p.i] != '}' {
				return 0, false
			}
			return i, checkRecord(&p.fieldParser, rec, false) == nil
		}
		if i < len(b) && b[i] == ' ' {
			i++
		}
	}
	return 0, false
}

// aliasField sets field f, the conversation or the customer, of rec to
// b, a non-empty plain string of the line, as setField does, but as a
// string that shares b's memory (see jsonParser.alias).
func (p *jsonParser) aliasField(rec *Record, f field, b []byte) {
	v := unsafe.String(unsafe.SliceData(b), len(b))
	p.given |= 1 << f
	p.last[f], p.aliased = v, p.aliased|1<<f
	if f == fConversation {
		rec.Info.ID = v
	} else {
		rec.Info.Customer = v
	}
}

// forgetAliases gives the fields of rec (when not nil) that share the
// memory of the line (see jsonParser.alias) strings of their own, and
// drops the last values of the fields that do.
func (p *jsonParser) forgetAliases(rec *Record) {
	if p.aliased == 0 {
		return
	}
	if rec != nil {
		if p.aliased&(1<<fConversation) != 0 && rec.Info.ID != "" && rec.Info.ID == p.last[fConversation] {
			rec.Info.ID = strings.Clone(rec.Info.ID)
		}
		if p.aliased&(1<<fCustomer) != 0 && rec.Info.Customer != "" && rec.Info.Customer == p.last[fCustomer] {
			rec.Info.Customer = strings.Clone(rec.Info.Customer)
		}
	}
	for _, f := range [...]field{fConversation, fCustomer} {
		if p.aliased&(1<<f) != 0 {
			p.last[f] = ""
			p.plainLast &^= 1 << f
		}
	}
	p.aliased = 0
}

// quickValue reads the value at p.i of field f, when f is one that every
// line has and the value is of the most common kind, without scanning it
// as a string first: the conversation or the agent of the line before
// (sameAsLast), a time with its date and hour validated digit by digit
// (timeValue), a role or an event type by its name (nameValue). Otherwise
// it reads nothing, and the value is for plainString and setField, or
// value, which say what is wrong with it.
func (p *jsonParser) quickValue(rec *Record, f field) bool {
	var ok bool
	switch f {
	case fConversation, fAgent:
		return p.sameAsLast(rec, f)
	case fTime:
		return p.timeValue(&rec.Event.Time)
	case fRole:
		var v uint8
		v, ok = p.nameValue(&p.roleNames, uint8(Customer), uint8(System), func(v uint8) string { return Role(v).String() })
		rec.Event.Role = Role(v)
	case fType:
		var v uint8
		v, ok = p.nameValue(&p.typeNames, uint8(Message), uint8(lastEventType), func(v uint8) string { return EventType(v).String() })
		rec.Event.Type = EventType(v)
	}
	if ok {
		p.given |= 1 << f
	}
	return ok
}

// timeValue reads the JSON string at p.i, the value of field time, when
// it is a time that setTime takes: its text holds only digits and
// "-T:.Z+", plain string bytes, so that it is parsed where it lies and
// then its closing quote checked. Otherwise it reads nothing.
func (p *jsonParser) timeValue(t *time.Time) bool {
	b := p.b
	if p.i >= len(b) || b[p.i] != '"' {
		return false
	}
	v, end, ok := parseTimeAt(&p.fieldParser, b, p.i+1)
	if !ok || end >= len(b) || b[end] != '"' || v.IsZero() || !writableTime(v) {
		return false
	}
	*t, p.i = v, end+1
	p.given |= 1 << fTime
	return true
}

// nameValue reads the JSON string at p.i when it is, byte for byte, the
// name of one of the values lo…hi of a kind (named by name): that value,
// which parseName would read, found by its first bytes in tab (filled on
// first use) and compared a word at a time. Otherwise it reads nothing
// and returns false.
func (p *jsonParser) nameValue(tab *quotedNames, lo, hi uint8, name func(uint8) string) (uint8, bool) {
	b := p.b
	q := p.i + 1
	if q+8 > len(b) || b[p.i] != '"' {
		return 0, false
	}
	if !tab.filled {
		tab.fill(lo, hi, name)
	}
	w := binary.LittleEndian.Uint64(b[q:])
	t := &tab.at[quotedSlot(w)]
	if q+16 <= len(b) {
		// Two words, compared whatever the length of the name: no branch
		// on it, which would mispredict as the names vary.
		if w2 := binary.LittleEndian.Uint64(b[q+8:]); t.v == 0 || w&t.mask != t.first || w2&t.mask2 != t.second {
			return 0, false
		}
	} else if t.v == 0 || w&t.mask != t.first || t.n > 8 && (q+t.n > len(b) || binary.LittleEndian.Uint64(b[q+t.n-8:]) != t.last) {
		return 0, false
	}
	p.i = q + t.n
	return t.v, true
}

// quotedNames holds the values of one kind (roles or event types, numbered
// from 1) by the [quotedSlot] of their names: each name of today's kinds
// has a slot of its own (TestQuotedSlots).
type quotedNames struct {
	filled bool
	at     [64]quotedName
}

// quotedName is a value's name and the quote after it, `name"`, as words
// to compare 8 bytes of a line with (little-endian), as keyText: its length
// n, its first 8 bytes (those under mask when shorter) and, when longer
// than 8, its last 8; and its bytes 8–15 under mask2 (none when it is not
// longer than 8). v 0: no name.
type quotedName struct {
	v                                uint8
	n                                int
	first, last, mask, second, mask2 uint64
}

func (t *quotedNames) fill(lo, hi uint8, name func(uint8) string) {
	for v := lo; v <= hi; v++ {
		text := name(v) + `"`
		if len(text) < 4 || len(text) > 16 {
			continue // no slot: read by plainString
		}
		var buf [16]byte
		copy(buf[:], text)
		q := quotedName{v: v, n: len(text), mask: ^uint64(0), first: binary.LittleEndian.Uint64(buf[:]),
			last: binary.LittleEndian.Uint64(buf[max(len(text)-8, 0):])}
		if q.n < 8 {
			q.mask = 1<<(8*q.n) - 1
			q.first &= q.mask
		}
		if q.n > 8 {
			q.mask2 = ^uint64(0) >> (8 * (16 - q.n))
			q.second = binary.LittleEndian.Uint64(buf[8:]) & q.mask2
		}
		if s := &t.at[quotedSlot(q.first)]; s.v == 0 {
			*s = q
		}
	}
	t.filled = true
}

// quotedSlot hashes the first and third bytes of a name, the low bytes of
// w, into 0–63.
func quotedSlot(w uint64) int { return (3*int(byte(w)) + int(byte(w>>16))) & 63 }

// sameAsLast reads the JSON string at p.i, the value of field f, when f is
// the conversation or the agent and the string is, byte for byte, the
// field's last value p.last[f] (as setField left it) and that value is
// known to hold only plain string bytes (plainLast): what plainString,
// setField and intern would read, the string of the line before, set into
// rec without scanning it again. Otherwise it reads nothing.
func (p *jsonParser) sameAsLast(rec *Record, f field) bool {
	if f != fConversation && f != fAgent || p.plainLast&(1<<f) == 0 {
		return false
	}
	last := p.last[f]
	end := p.i + 1 + len(last)
	if len(last) == 0 || end >= len(p.b) || p.b[p.i] != '"' || p.b[end] != '"' || string(p.b[p.i+1:end]) != last {
		return false
	}
	p.i = end + 1
	p.given |= 1 << f
	if f == fConversation {
		rec.Info.ID = last
	} else {
		rec.Event.Agent = last
	}
	return true
}

// plainString reads the JSON string at p.i, the value of field f, when f
// takes a string and the string holds only printable ASCII other than '"'
// and '\\', as it is: what str reads it as. Otherwise it reads nothing.
func (p *jsonParser) plainString(f field) ([]byte, bool) {
	b := p.b
	if p.i >= len(b) || b[p.i] != '"' || f == fDims || f == fScore || f.isBool() {
		return nil, false
	}
	start := p.i + 1
	i := start
	for ; i+8 <= len(b); i += 8 {
		// The first byte that specialBytes marks is not a plain string
		// byte: the end of the string when it is '"'.
		if m := specialBytes(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			if i += bits.TrailingZeros64(m) >> 3; b[i] != '"' {
				return nil, false
			}
			p.i = i + 1
			return b[start:i], true
		}
	}
	for ; i < len(b) && isPlainStringByte(b[i]); i++ {
	}
	if i == len(b) || b[i] != '"' {
		return nil, false
	}
	p.i = i + 1
	return b[start:i], true
}

// parseAny parses p.b into rec, which must be zero, whatever its layout.
func (p *jsonParser) parseAny(rec *Record) *InputError {
	p.i = 0
	p.plainLast = 0 // the fields' last values may be anything after it
	var seen uint32 // bit f: field f given, even as null
	prev := fNone   // the field before, for knownKey's guess
	p.ws()
	if !p.expect('{') {
		if p.peek() == '[' {
			return p.syntax(fNone, "a line must be a JSON object (an input is read as one JSON array of objects when it starts with '[')")
		}
		return p.syntax(fNone, "a line must be a JSON object")
	}
	p.ws()
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			if p.peek() != '"' {
				return p.syntax(fNone, "expected a field name")
			}
			var (
				key []byte
				err *InputError
				t   target
			)
			if p.m == nil { // the common case, without a lookup in the mapping
				if t.f = p.knownKey(prev); t.f == fNone {
					if key, err = p.str(&p.key); err != nil {
						return err
					}
					t.f = lookupField(key)
				}
			} else {
				if key, err = p.str(&p.key); err != nil {
					return err
				}
				t, _ = p.m.lookup(key, false)
			}
			if t.f == fNone && !t.ignore {
				return unknownField(string(key), false)
			}
			f := t.f
			renamed := p.m != nil && string(key) != f.String()
			if renamed {
				p.label = append(p.label[:0], key...)
			}
			if !t.ignore && t.dim == "" {
				if seen&(1<<f) != 0 {
					err := fieldErr(f, "given twice")
					if renamed {
						err.Field = fieldName(p.label, t)
					}
					return err
				}
				seen |= 1 << f
			}
			prev = f
			p.ws()
			if !p.expect(':') {
				return p.syntax(f, "expected ':'")
			}
			p.ws()
			switch {
			case t.ignore:
				err = p.skipValue()
			case t.dim != "":
				err = p.dimValue(rec, t.dim)
			default:
				err = p.value(rec, f)
			}
			if err != nil {
				if err.Field == "" && err.Reason != "" || renamed && err.Field == f.String() {
					switch {
					case t.ignore:
						err.Field = fieldLabel(string(p.label))
					case renamed:
						err.Field = fieldName(p.label, t)
					default:
						err.Field = f.String()
					}
				}
				return err
			}
			p.ws()
			if p.expect(',') {
				p.ws()
				continue
			}
			if p.expect('}') {
				break
			}
			return p.syntax(f, "expected ',' or '}'")
		}
	}
	p.ws()
	if p.i != len(p.b) {
		return p.syntax(fNone, "text after the object")
	}
	return checkRecord(&p.fieldParser, rec, p.m.dropInapplicable())
}

// dimValue parses the value of an input field mapped to dimension name.
func (p *jsonParser) dimValue(rec *Record, name string) *InputError {
	if p.literal("null") {
		return nil
	}
	if p.peek() != '"' {
		return p.syntax(fNone, "expected a string or null")
	}
	v, err := p.str(&p.buf)
	if err != nil || len(v) == 0 {
		return err
	}
	if _, dup := rec.Info.Dims[name]; dup {
		return fieldErr(fDims, "%s given twice", quoteShort(name))
	}
	if rec.Info.Dims == nil {
		rec.Info.Dims = make(map[string]string, 2)
	}
	rec.Info.Dims[name] = string(v)
	return nil
}

// mappedValue reads a scalar whose text the mapping maps for field f: a
// string, or the text of a number or boolean. done is false, with nothing
// consumed, when the value is not mapped.
func (p *jsonParser) mappedValue(rec *Record, f field) (done bool, err *InputError) {
	start := p.i
	var text []byte
	switch c := p.peek(); {
	case c == '"':
		text, err = p.str(&p.buf)
	case c == '-' || isDigit(c):
		text, _, err = p.number(f)
	case p.literal("true"), p.literal("false"):
		text = p.b[start:p.i]
	default:
		return false, nil
	}
	if err != nil {
		return true, err
	}
	v, ok := mapValueOf(p.m, f, text)
	if !ok {
		p.i = start
		return false, nil
	}
	if v == "" {
		return true, nil
	}
	return true, setField(&p.fieldParser, rec, f, v)
}

// skipValue checks and skips the JSON value at p.i, of any type, as
// encoding/json reads it (nested at most [maxNesting] deep), without
// recursion.
func (p *jsonParser) skipValue() *InputError {
	var stack []byte // '}' or ']' per open container; rarely more than a few
	var small [16]byte
	stack = small[:0]
	for {
		// A value.
		switch c := p.peek(); {
		case c == '{' || c == '[':
			if len(stack) == maxNesting {
				return p.syntax(fNone, fmt.Sprintf("nested more than %d deep", maxNesting))
			}
			p.i++
			p.ws()
			if p.expect(c + 2) { // empty
				break
			}
			stack = append(stack, c+2)
			if c == '{' {
				if err := p.skipKey(); err != nil {
					return err
				}
			}
			continue
		case c == '"':
			if _, err := p.str(&p.buf); err != nil {
				return err
			}
		case c == '-' || isDigit(c):
			if _, _, err := p.number(fNone); err != nil {
				return err
			}
		case p.literal("true"), p.literal("false"), p.literal("null"):
		default:
			return p.syntax(fNone, "expected a value")
		}
		// After a value: close containers, or go on after a comma.
		for {
			if len(stack) == 0 {
				return nil
			}
			p.ws()
			top := stack[len(stack)-1]
			if p.expect(top) {
				stack = stack[:len(stack)-1]
				continue
			}
			if !p.expect(',') {
				return p.syntax(fNone, fmt.Sprintf("expected ',' or %q", rune(top)))
			}
			p.ws()
			if top == '}' {
				if err := p.skipKey(); err != nil {
					return err
				}
			}
			break
		}
	}
}

// skipKey skips `"key" :` and the whitespace after it.
func (p *jsonParser) skipKey() *InputError {
	if p.peek() != '"' {
		return p.syntax(fNone, "expected a field name")
	}
	if _, err := p.str(&p.buf); err != nil {
		return err
	}
	p.ws()
	if !p.expect(':') {
		return p.syntax(fNone, "expected ':'")
	}
	p.ws()
	return nil
}

// value parses the value of field f.
func (p *jsonParser) value(rec *Record, f field) *InputError {
	if p.literal("null") {
		return nil
	}
	if p.m != nil && p.m.values[f] != nil {
		if done, err := p.mappedValue(rec, f); done {
			return err
		}
	}
	switch {
	case f == fDims:
		return p.dims(rec)
	case f == fScore, f == fID && (p.peek() == '-' || isDigit(p.peek())):
		// An id may be a JSON integer, kept as its digits: backends number
		// their messages.
		num, isInt, err := p.number(f)
		if err != nil {
			return err
		}
		if !isInt {
			return fieldErr(f, "%s is not an integer", quoteShort(string(num)))
		}
		return setField(&p.fieldParser, rec, f, num)
	case f.isBool():
		switch {
		case p.literal("true"):
			return setField(&p.fieldParser, rec, f, "true")
		case p.literal("false"):
			return nil
		}
		return p.syntax(f, "expected true, false or null")
	}
	if p.peek() != '"' {
		if f == fValue && (p.peek() == '-' || isDigit(p.peek())) {
			return fieldErr(f, "must be a decimal string such as \"12.50\", not a JSON number")
		}
		if f == fID && (p.peek() == '-' || isDigit(p.peek())) {
			return fieldErr(f, "must be a string such as \"123\", not a JSON number")
		}
		return p.syntax(f, "expected a string or null")
	}
	s, err := p.str(&p.buf)
	if err != nil {
		return err
	}
	if len(s) == 0 {
		return nil
	}
	return setField(&p.fieldParser, rec, f, s)
}

func (p *jsonParser) dims(rec *Record) *InputError {
	if !p.expect('{') {
		return p.syntax(fDims, "expected an object of strings")
	}
	p.ws()
	if p.expect('}') {
		return nil
	}
	for {
		if p.peek() != '"' {
			return p.syntax(fDims, "expected a dimension name")
		}
		k, err := p.str(&p.key)
		if err != nil {
			return err
		}
		name := string(k)
		if name == "" {
			return fieldErr(fDims, "empty dimension name")
		}
		if _, dup := rec.Info.Dims[name]; dup {
			return fieldErr(fDims, "%s given twice", quoteShort(name))
		}
		p.ws()
		if !p.expect(':') {
			return p.syntax(fDims, "expected ':'")
		}
		p.ws()
		if rec.Info.Dims == nil {
			rec.Info.Dims = make(map[string]string, 2)
		}
		switch {
		case p.literal("null"):
			rec.Info.Dims[name] = ""
		case p.peek() == '"':
			v, err := p.str(&p.buf)
			if err != nil {
				return err
			}
			rec.Info.Dims[name] = string(v)
		default:
			return p.syntax(fDims, "dimension "+quoteShort(name)+": expected a string or null")
		}
		p.ws()
		if p.expect(',') {
			p.ws()
			continue
		}
		if p.expect('}') {
			break
		}
		return p.syntax(fDims, "expected ',' or '}'")
	}
	// An empty value is no dimension; it was kept until now to catch
	// duplicate names.
	for k, v := range rec.Info.Dims {
		if v == "" {
			delete(rec.Info.Dims, k)
		}
	}
	if len(rec.Info.Dims) == 0 {
		rec.Info.Dims = nil
	}
	return nil
}

// ws skips whitespace.
func (p *jsonParser) ws() {
	if p.i < len(p.b) && p.b[p.i] > ' ' { // none, as between the fields of most lines
		return
	}
	p.wsLoop()
}

func (p *jsonParser) wsLoop() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *jsonParser) expect(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *jsonParser) literal(lit string) bool {
	if len(p.b)-p.i >= len(lit) && string(p.b[p.i:p.i+len(lit)]) == lit {
		p.i += len(lit)
		return true
	}
	return false
}

func (p *jsonParser) syntax(f field, what string) *InputError {
	at := min(p.i, len(p.b))
	reason := "invalid JSON at column " + itoa(p.col0+at+1) + ": " + what
	if nl := bytes.LastIndexByte(p.b[:at], '\n'); nl >= 0 { // in an array element
		reason = "invalid JSON at line " + itoa(p.line0+bytes.Count(p.b[:nl+1], []byte{'\n'})) + ", column " + itoa(at-nl) + ": " + what
	}
	if p.i >= len(p.b) {
		reason += " (end of line)"
	} else if c := p.b[p.i]; c >= 0x20 && c < 0x7f {
		reason += fmt.Sprintf(", found %q", rune(c))
	}
	return &InputError{Event: -1, Field: f.String(), Reason: reason}
}

func itoa(n int) string { return strconv.Itoa(n) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number scans a JSON number and reports whether it is an integer (no
// fraction, no exponent).
func (p *jsonParser) number(f field) (num []byte, isInt bool, err *InputError) {
	start := p.i
	p.expect('-')
	switch {
	case p.expect('0'):
	case isDigit(p.peek()):
		for isDigit(p.peek()) {
			p.i++
		}
	default:
		return nil, false, p.syntax(f, "expected a number")
	}
	isInt = true
	if p.expect('.') {
		isInt = false
		if !isDigit(p.peek()) {
			return nil, false, p.syntax(f, "expected a digit after '.'")
		}
		for isDigit(p.peek()) {
			p.i++
		}
	}
	if p.expect('e') || p.expect('E') {
		isInt = false
		if !p.expect('+') {
			p.expect('-')
		}
		if !isDigit(p.peek()) {
			return nil, false, p.syntax(f, "expected a digit in the exponent")
		}
		for isDigit(p.peek()) {
			p.i++
		}
	}
	return p.b[start:p.i], isInt, nil
}

// knownKey reads the field name at p.i (its opening quote) when it is, byte
// for byte, the name of a field of the format (which has no escapes):
// the same field as str and lookupField would read, without decoding. It
// tries first the field that followed field after (the line's previous
// field) the last time (lines from one writer repeat their sequence of
// fields). It returns fNone, having read nothing, for any other name.
func (p *jsonParser) knownKey(after field) field {
	b := p.b[p.i+1:]
	if guess := p.next[after]; guess != fNone {
		if name := p.nextName[after]; len(b) > len(name) && b[len(name)] == '"' && string(b[:len(name)]) == name {
			p.i += len(name) + 2
			return guess
		}
	}
	n := 0
	for n < len(b) && b[n] >= 'a' && b[n] <= 'z' {
		n++
	}
	if n == len(b) || b[n] != '"' {
		return fNone
	}
	f := lookupField(b[:n])
	if f != fNone {
		if !p.keyMade[f] { // once per field and parser
			p.keys[f], p.keyMade[f] = newKeyText(f.String()), true
		}
		p.next[after], p.nextName[after], p.nextKey[after] = f, f.String(), p.keys[f]
		p.i += n + 2
	}
	return f
}

// keyText is the text `"name":` of a field of up to 13 bytes, as words to
// compare 8 bytes of a line with (little-endian): its length n, and its
// first 8 bytes (those under mask when shorter) and last 8. For a longer
// name it is the zero keyText (n 0: no guess by words; knownKey compares
// the name itself).
type keyText struct {
	n                 int
	first, last, mask uint64
}

func newKeyText(name string) keyText {
	if len(name) > 13 { // two words would not cover `"name":`
		return keyText{}
	}
	var buf [24]byte
	buf[0] = '"'
	n := copy(buf[1:len(buf)-10], name) + 3
	buf[n-2], buf[n-1] = '"', ':'
	k := keyText{n: n, mask: ^uint64(0), first: binary.LittleEndian.Uint64(buf[:]), last: binary.LittleEndian.Uint64(buf[max(n-8, 0):])}
	if n < 8 {
		k.mask = 1<<(8*n) - 1
		k.first &= k.mask
	}
	return k
}

// str scans the JSON string at p.i and returns its decoded bytes: a slice of
// the line when it has no escapes, otherwise *scratch (reused).
func (p *jsonParser) str(scratch *[]byte) ([]byte, *InputError) {
	p.i++ // the opening quote
	start := p.i
	ascii := true
	i := start
	for ; i+8 <= len(p.b); i += 8 {
		if m := specialBytes(binary.LittleEndian.Uint64(p.b[i:])); m != 0 {
			i += bits.TrailingZeros64(m) >> 3 // the first byte that may not be plain
			break
		}
	}
	for ; i < len(p.b); i++ {
		c := p.b[i]
		if isPlainStringByte(c) {
			continue
		}
		switch {
		case c == '"':
			s := p.b[start:i]
			if !ascii && !utf8.Valid(s) {
				p.i = start + invalidUTF8At(s)
				return nil, p.syntax(fNone, "invalid UTF-8 in a string")
			}
			p.i = i + 1
			return s, nil
		case c == '\\':
			p.i = i
			return p.strEscaped(scratch, start)
		case c < 0x20:
			p.i = i
			return nil, p.syntax(fNone, "control character in a string")
		default:
			ascii = false
		}
	}
	p.i = len(p.b)
	return nil, p.syntax(fNone, "unterminated string")
}

// specialBytes marks with its high bit each byte of x (little-endian) that
// may not be a plain string byte ([isPlainStringByte]): every byte that is
// not is marked, and the lowest marked byte is not (a plain byte above it
// may be marked too, by a borrow).
func specialBytes(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - ones) &^ x & highs }
	return (x-0x20*ones)&^x&highs | zero(x^'"'*ones) | zero(x^'\\'*ones) | x&highs
}

// isPlainStringByte reports whether a JSON string holds c as it is:
// printable ASCII other than '"' and '\\'.
func isPlainStringByte(c byte) bool {
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
}

// strEscaped continues str from the first backslash at p.i.
func (p *jsonParser) strEscaped(scratch *[]byte, start int) ([]byte, *InputError) {
	out := append((*scratch)[:0], p.b[start:p.i]...)
	defer func() { *scratch = out[:0] }()
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			if !utf8.Valid(out) {
				p.i = start + invalidUTF8At(p.b[start:p.i])
				return nil, p.syntax(fNone, "invalid UTF-8 in a string")
			}
			p.i++
			return out, nil
		case c < 0x20:
			return nil, p.syntax(fNone, "control character in a string")
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			p.i++
			break
		}
		e := p.b[p.i+1]
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(p.b[p.i+2:])
			if !ok {
				p.i++
				return nil, p.syntax(fNone, `invalid \u escape`)
			}
			p.i += 6
			if utf16.IsSurrogate(r) {
				// A pair decodes to one rune; a lone surrogate becomes
				// U+FFFD, as in encoding/json.
				if len(p.b)-p.i >= 6 && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					if r2, ok := hex4(p.b[p.i+2:]); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							p.i += 6
						} else {
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			p.i++
			return nil, p.syntax(fNone, "invalid escape")
		}
		p.i += 2
	}
	return nil, p.syntax(fNone, "unterminated string")
}

// invalidUTF8At returns the index of the first invalid UTF-8 sequence in b.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// JSONLWriter writes conversations as a JSON Lines event file that
// [JSONLReader] and [ReadConversations] read back into the same
// conversations: times in UTC with RFC3339Nano (the instant and its
// sub-second precision are kept, the original offset is not), decimals in
// plain notation, and the conversation-level fields on the first line of
// each conversation only. Optional fields are written only when they are not
// zero, except score on a rating and helpful on a feedback event, which are
// always written.
//
// Writes are buffered: call Flush at the end. A JSONLWriter is not safe for
// concurrent use.
type JSONLWriter struct {
	w      *bufio.Writer
	buf    []byte
	events []Event
	keys   []string
}

// NewJSONLWriter returns a writer of a JSON Lines event file to w.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	return &JSONLWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// WriteConversation writes one line per event of c. A conversation that
// fails [Validate], has no events, holds invalid UTF-8, times outside the
// years 1–9999 or a field that does not apply to its event's type (a Score
// on a Message) is an error and nothing of it is written. Dimensions with an
// empty value are not written (they read as absent).
func (w *JSONLWriter) WriteConversation(c Conversation) error {
	info, events, err := writable(c, w.events)
	if err != nil {
		return err
	}
	if _, ok := c.(*Chat); !ok {
		w.events = events[:0]
	}
	b := w.buf[:0]
	for i := range events {
		e := &events[i]
		b = append(b, `{"conversation":`...)
		b = appendJSONString(b, info.ID)
		b = appendOptString(b, "id", e.ID)
		b = append(b, `,"time":"`...)
		b = appendTime(b, e.Time)
		b = append(b, `","role":"`...)
		b = append(b, e.Role.String()...)
		b = append(b, `","type":"`...)
		b = append(b, e.Type.String()...)
		b = append(b, '"')
		if i == 0 {
			b = appendOptString(b, "customer", info.Customer)
			b = appendOptString(b, "channel", info.Channel)
			b = appendOptString(b, "source", info.Source)
			b = appendOptString(b, "priority", info.Priority)
			if !info.Start.IsZero() {
				b = append(b, `,"start":"`...)
				b = appendTime(b, info.Start)
				b = append(b, '"')
			}
			if info.Outbound {
				b = append(b, `,"outbound":true`...)
			}
			b = w.appendDims(b, info.Dims)
		}
		b = appendOptString(b, "agent", e.Agent)
		if e.Survey != 0 {
			b = appendOptString(b, "survey", e.Survey.String())
		}
		if e.Score != 0 || e.Type == Rating {
			b = append(b, `,"score":`...)
			b = strconv.AppendInt(b, int64(e.Score), 10)
		}
		if !e.Value.IsZero() {
			b = appendOptString(b, "value", e.Value.String())
		}
		b = appendOptString(b, "currency", e.Currency)
		if e.Helpful || e.Type == Feedback {
			b = append(b, `,"helpful":`...)
			b = strconv.AppendBool(b, e.Helpful)
		}
		if e.Private {
			b = append(b, `,"private":true`...)
		}
		if e.Automatic {
			b = append(b, `,"automatic":true`...)
		}
		b = append(b, "}\n"...)
	}
	w.buf = b[:0]
	_, err = w.w.Write(b)
	return err
}

func (w *JSONLWriter) appendDims(b []byte, dims map[string]string) []byte {
	w.keys = w.keys[:0]
	for k, v := range dims {
		if v != "" {
			w.keys = append(w.keys, k)
		}
	}
	if len(w.keys) == 0 {
		return b
	}
	slices.Sort(w.keys)
	b = append(b, `,"dims":{`...)
	for i, k := range w.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, dims[k])
	}
	return append(b, '}')
}

// Flush writes any buffered data to the underlying writer.
func (w *JSONLWriter) Flush() error { return w.w.Flush() }

func appendOptString(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, v)
}

// appendJSONString quotes valid UTF-8 s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
