package chatkpi

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"slices"
)

// Reading ahead: with several cores, a reader reads its input in large
// blocks on the caller's goroutine and cuts each after its last '\n' — the
// only work left to the caller: a read, a backwards search for '\n' and a
// count of the '\n' of the block, which numbers its lines — and hands each
// such chunk of whole lines to a goroutine of its own, which splits it into
// lines (JSON Lines) or records (CSV) and decodes them, so that splitting
// and decoding run on other cores while the caller joins and measures the
// records already returned. Next returns the records and errors in input
// order, as the sequential reading does, and calls the SkipInvalid report
// on the caller's goroutine: the records, the errors and their order are
// those of the sequential path (FuzzJSONLReadAhead and FuzzCSVReadAhead
// compare them, with chunks of any size).
//
// A CSV record may span lines (a quoted field holding a line break), so a
// chunk's goroutine frames its records as if a record began at the chunk's
// start, and says where its framing stopped when the chunk's last record
// goes on after it. The chunk's records are then returned, the chunks
// decoded after it (framed from a wrong start) are dropped, and the record
// across the cut is framed on the caller's goroutine by the sequential
// framer, after which cutting goes on. A line longer than the limit is
// handled so too (CSV) or dropped while cutting (JSON Lines, whose error
// is then that of its line).
//
// No goroutine outlives its chunk: each decodes one chunk and then closes
// its done channel, so a reader dropped before its end leaks nothing. At
// most [aheadChunks] chunks are in flight ([heldAheadChunks] for a Joiner
// that holds the records). Records are not held back to
// fill a chunk: the input is read ahead (while the caller has records to
// return) only after a read that filled all the room it was given, as
// files give, or gave at least [fullRead] bytes, as pipes and gzip give;
// a shorter read may mean that the next one waits for the input, so a
// chunk is then cut at once, and the input is read again only when the
// caller needs a record.

const (
	aheadChunks = 3 // chunks decoded ahead of the caller
	// heldAheadChunks is aheadChunks when the chunks are decoded into
	// packed records for a Joiner that holds them (Joiner.Read): holding
	// a chunk's records takes about 0.6 times as long as decoding them on
	// average, but not evenly (a new block of the store or of held
	// conversations, a collection), and with 3 chunks ahead the decoding
	// ran out of chunks in its slow stretches, the other core idle. With 6,
	// reading 10 M interleaved events kept the two cores busy 1.9 times the
	// wall time instead of 1.8 (about 0.1 s less wall time, the same CPU
	// time), for 3 more chunks of memory (about 0.6 MiB).
	heldAheadChunks = 6
	chunkBytes      = 128 << 10 // bytes read for a chunk (more for a longer line)
	// fullRead is the size of a read after which the input is read ahead
	// even though it did not fill its room: pipes give 64 KiB, gzip up to
	// 32 KiB, a stream of lines written one by one less.
	fullRead = 16 << 10
)

// parallelReading reports whether reading ahead can use another core.
func parallelReading() bool { return runtime.GOMAXPROCS(0) > 1 }

// errChunkEnd is the CSV framer's "the input goes on after this chunk".
var errChunkEnd = errors.New("chatkpi: end of a chunk")

// chunkDecoder decodes a chunk's lines or records into its recs and errs.
// Each chunk has one, used by one goroutine at a time.
type chunkDecoder interface {
	decodeChunk(c *chunk)
}

// chunk is a run of whole lines of the input and, once done is closed,
// their records and errors.
type chunk struct {
	text []byte // whole lines; the last one ends with '\n' unless the input ends there
	line int    // the line of text[0]
	last bool   // the input ends after text
	// long (JSON Lines): text is empty, and the chunk is one line longer
	// than the limit, dropped while cutting.
	long bool
	// seq (CSV): text is empty, and the record at the cutter's pending
	// input is framed on the caller's goroutine.
	seq bool
	// rest (CSV) is where the framing stopped: the record there goes on
	// after text, and starts on line restLine; len(text) when none does.
	rest, restLine int

	// elems (JSON arrays): text holds these elements, found while
	// splitting (jsonarray_ahead.go), instead of lines.
	elems []splitElem

	recs []Record // the records, and errs[i]: nil, or record i is this error
	errs []error
	// packed (for a Joiner, see recordpack.go): the items are items, most
	// of them packed, the others records of recs; arena holds the
	// strings of the packed ones.
	packed bool
	items  []packedRecord
	arena  []byte
	infos  []packedInfo // the customers and channels of the packed records
	// agents are the chunk's agents, numbered by its decoding; agentIDs
	// their index in the Joiner's store, once it looked them up (0: not
	// yet); seen finds those numbered (agentOf).
	agents   []arenaRef
	agentIDs []uint32
	seen     [agentSpots]agentSpot

	dec  chunkDecoder
	done chan struct{}
}

// reset empties c's results.
func (c *chunk) reset(packed bool) {
	c.recs, c.errs, c.items, c.arena, c.packed = c.recs[:0], c.errs[:0], c.items[:0], c.arena[:0], packed
	if len(c.agents) > 0 {
		c.agents, c.agentIDs, c.seen = c.agents[:0], c.agentIDs[:0], [agentSpots]agentSpot{}
	}
	c.infos = c.infos[:0]
}

// newRecord appends a zero record, with no error, and returns it.
func (c *chunk) newRecord() *Record {
	n := len(c.recs)
	if n < cap(c.recs) {
		c.recs = c.recs[:n+1]
		c.recs[n] = Record{}
	} else {
		c.recs = append(c.recs, Record{})
	}
	c.errs = append(c.errs, nil)
	if c.packed {
		c.items = append(c.items, packedRecord{ref: uint32(n + 1)})
	}
	return &c.recs[n]
}

// len returns the number of items.
func (c *chunk) len() int {
	if c.packed {
		return len(c.items)
	}
	return len(c.recs)
}

// item returns item k: a record of recs with its error, or a packed one.
func (c *chunk) item(k int) (rec *Record, p *packedRecord, err error) {
	if c.packed {
		p = &c.items[k]
		if p.ref == 0 {
			return nil, p, nil
		}
		k = int(p.ref - 1)
	}
	return &c.recs[k], nil, c.errs[k]
}

// addError appends an item that is err.
func (c *chunk) addError(err error) {
	c.newRecord()
	c.errs[len(c.errs)-1] = err
}

// incomplete reports whether the input from c.rest on has not been
// framed (CSV).
func (c *chunk) incomplete() bool { return c.seq || c.rest < len(c.text) }

// cutter reads the input in blocks and cuts them into chunks, on the
// caller's goroutine.
type cutter struct {
	r       io.Reader
	pending []byte // read, not yet in a chunk
	line    int    // the line of pending[0]
	eof     bool
	err     error // a read error: the input ends with it after the chunks
	full    bool  // the last read filled its room, or gave fullRead: the next one is not expected to wait
	size    int   // bytes read for a chunk
	max     int   // the readers' line limit: a longer line is not put in a chunk
	csv     bool  // a longer line is framed on the caller (else it is dropped)
	stalled bool  // (CSV) no chunk until the caller has framed the record at pending
}

// next cuts the next chunk into c: whole lines, read after those of the
// previous chunk. It returns false, with c unused, when there are no more
// lines or, unless wait, when cutting a line would wait for the input.
func (t *cutter) next(c *chunk, wait bool) bool {
	buf := append(c.text[:0], t.pending...)
	t.pending = t.pending[:0]
	c.line, c.last, c.long, c.seq = t.line, false, false, false
	lastNL := bytes.LastIndexByte(buf, '\n')
	for {
		if len(buf)-lastNL-3 > t.max { // a line longer than any that is read (+2 for "\r\n")
			if lastNL >= 0 {
				break // the lines before it first
			}
			c.text, c.rest = buf[:0], 0
			if t.csv {
				t.pending = append(t.pending, buf...)
				c.seq, t.stalled = true, true
				return true
			}
			c.long = true
			t.dropLine(buf[:cap(buf)])
			return true
		}
		if t.eof || t.err != nil || !(t.full && len(buf) < t.size || lastNL < 0 && (wait || t.full)) {
			break
		}
		room := t.size
		if len(buf) >= room {
			room = 2 * len(buf) // a long line
		}
		buf = slices.Grow(buf, room-len(buf))
		n, err := t.r.Read(buf[len(buf):room])
		t.full = err == nil && (n == room-len(buf) || n >= fullRead)
		switch {
		case err == io.EOF:
			t.eof = true
		case err != nil:
			t.err = err
		}
		if i := bytes.LastIndexByte(buf[len(buf):len(buf)+n], '\n'); i >= 0 {
			lastNL = len(buf) + i
		}
		buf = buf[:len(buf)+n]
	}
	cut := lastNL + 1
	if t.eof && t.err == nil {
		cut = len(buf) // the last line needs no '\n'
	}
	t.pending = append(t.pending, buf[cut:]...)
	c.text, c.rest = buf[:cut], cut
	if cut == 0 {
		return false
	}
	t.line += bytes.Count(c.text, []byte{'\n'})
	c.last = t.eof && t.err == nil && len(t.pending) == 0
	return true
}

// dropLine drops the rest of the current line, through its '\n', reading
// into buf, and counts it.
func (t *cutter) dropLine(buf []byte) {
	t.line++
	for !t.eof && t.err == nil {
		n, err := t.r.Read(buf)
		switch {
		case err == io.EOF:
			t.eof = true
		case err != nil:
			t.err = err
		}
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			t.pending = append(t.pending, buf[i+1:n]...)
			return
		}
	}
}

// readAhead is the reading ahead of one reader.
type readAhead struct {
	size   int  // bytes per chunk; 0: no reading ahead
	packed bool // chunks are decoded into packed records, for a Joiner
	cut    cutter
	ahead  []*chunk // in flight, in input order
	free   []*chunk
	cur    *chunk // the chunk being returned, from item pos
	pos    int
	err    error // permanent: returned again

	// split (JSON arrays), when not nil, fills chunks instead of cut: it
	// returns false when it added nothing, with splitErr the error that
	// ends the input when there is one.
	split    func(c *chunk, wait bool) bool
	splitErr error

	newDecoder func() chunkDecoder
	// frameOne (CSV) frames and decodes the record at the start of
	// t.pending, reading on from t.r as needed, into c, and leaves the
	// input after it in t.
	frameOne func(t *cutter, c *chunk)
}

// fill cuts chunks, each decoded on a goroutine of its own, until
// depth chunks are in flight or no line can be cut; it waits for the input
// only when wait is set and none is in flight.
func (ra *readAhead) fill(wait bool) {
	for len(ra.ahead) < ra.depth() && !ra.cut.stalled {
		var c *chunk
		if n := len(ra.free); n > 0 {
			c, ra.free = ra.free[n-1], ra.free[:n-1]
		} else {
			c = &chunk{dec: ra.newDecoder()}
		}
		c.reset(ra.packed)
		wait := wait && len(ra.ahead) == 0
		if ra.split != nil && !ra.split(c, wait) || ra.split == nil && !ra.cut.next(c, wait) {
			ra.free = append(ra.free, c)
			return
		}
		c.done = make(chan struct{})
		ra.ahead = append(ra.ahead, c)
		if c.seq {
			close(c.done)
			return
		}
		go func() {
			defer close(c.done)
			c.dec.decodeChunk(c)
		}()
	}
}

// depth returns the number of chunks in flight that fill cuts.
func (ra *readAhead) depth() int {
	if ra.packed {
		return heldAheadChunks
	}
	return aheadChunks
}

// next returns the next record or error in input order; report and
// skipped are those of SkipInvalid.
func (ra *readAhead) next(report func(*InputError), skipped *int) (Record, error) {
	rec, p, err := ra.nextItem(report, skipped)
	switch {
	case err != nil:
		return Record{}, err
	case p != nil: // after a Joiner stopped reading
		return ra.cur.record(p), nil
	}
	return *rec, nil
}

// nextItem returns the next item that is not an error, a record or a
// packed one of ra.cur, or the next error, in input order; report and
// skipped are those of SkipInvalid.
func (ra *readAhead) nextItem(report func(*InputError), skipped *int) (*Record, *packedRecord, error) {
	for {
		if ra.err != nil {
			return nil, nil, ra.err
		}
		if ra.cur == nil || ra.pos == ra.cur.len() {
			if c := ra.cur; c != nil && c.incomplete() {
				ra.reframe(c)
				continue
			}
			if ra.cur != nil {
				ra.free = append(ra.free, ra.cur)
				ra.cur = nil
			}
			ra.fill(true)
			if len(ra.ahead) == 0 {
				ra.err = ra.cut.err
				if ra.split != nil {
					ra.err = ra.splitErr
				}
				if ra.err == nil {
					ra.err = io.EOF
				}
				continue
			}
			ra.cur, ra.pos = ra.ahead[0], 0
			ra.ahead = ra.ahead[:copy(ra.ahead, ra.ahead[1:])]
			<-ra.cur.done
			if ra.cur.incomplete() {
				ra.cut.stalled = true // the chunks after it are framed from a wrong start
			} else {
				ra.fill(false) // keep the other cores busy while the caller works
			}
			continue
		}
		rec, p, err := ra.cur.item(ra.pos)
		ra.pos++
		if err == nil {
			return rec, p, nil
		}
		ie := inputError(err)
		if ie == nil {
			ra.err = err
			continue
		}
		if report == nil {
			return nil, nil, err
		}
		*skipped++
		report(ie)
	}
}

// reframe (CSV) goes on after c, whose records are all returned and whose
// framing stopped at c.rest: the chunks after it are dropped, their text
// is put back before the pending input, the record at c.rest is framed on
// the caller's goroutine and becomes the current chunk, and cutting goes
// on after it.
func (ra *readAhead) reframe(c *chunk) {
	t := &ra.cut
	var unframed []byte
	line := t.line
	if !c.seq {
		unframed, line = append(unframed, c.text[c.rest:]...), c.restLine
	}
	for _, a := range ra.ahead {
		<-a.done
		unframed = append(unframed, a.text...)
		ra.free = append(ra.free, a)
	}
	ra.ahead = ra.ahead[:0]
	t.pending, t.line = append(unframed, t.pending...), line
	c.text, c.rest, c.seq = c.text[:0], 0, false
	c.reset(c.packed)
	ra.frameOne(t, c)
	t.stalled = false
	ra.cur, ra.pos = c, 0
}

// ready reports whether nextItem would return without waiting for a
// chunk's goroutine or for the input.
func (ra *readAhead) ready() bool {
	switch {
	case ra.err != nil || ra.cur != nil && ra.pos < ra.cur.len():
		return true
	case len(ra.ahead) == 0 || ra.cur != nil && ra.cur.incomplete():
		return false
	}
	select {
	case <-ra.ahead[0].done:
		return true
	default:
		return false
	}
}

// inputError returns the *InputError in err's chain, or nil.
func inputError(err error) *InputError {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	return nil
}
