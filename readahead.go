package chatkpi

import (
	"bytes"
	"fmt"
	"runtime"
)

// Read-ahead: a reader splits its input into lines on the caller's goroutine
// (cheap: a search for '\n' and a copy) and hands them, a batch at a time,
// to goroutines that parse them (the costly part), so that parsing runs on
// another core while the caller joins and measures the records already
// returned. Next returns the records and errors in input order, as the
// sequential reading does, and calls the SkipInvalid report on the caller's
// goroutine; so the records, the errors and their order are those of the
// sequential path, which the tests compare.
//
// No goroutine outlives its batch: each parses one batch and signals it
// done on a buffered channel, so a reader dropped before its end leaks
// nothing. At most [aheadBatches] batches are in flight.

const (
	aheadBatches = 3         // batches parsed ahead of the caller
	batchLines   = 2048      // lines per batch, at most
	batchBytes   = 256 << 10 // bytes of text per batch, at least one line
)

// lineBatch is a run of lines of a JSON Lines input and, once done is
// closed, their records and errors.
type lineBatch struct {
	text  []byte // the lines, one after the other
	items []batchLine
	recs  []Record
	errs  []*InputError
	p     jsonParser // the parser of the batch's goroutine, reused
	done  chan struct{}
	max   int // the reader's MaxLineSize, for the message about a long line
}

type batchLine struct {
	end     int // the line is text[previous end:end]
	line    int
	tooLong bool
}

// parallelReading reports whether reading ahead can use another core.
func parallelReading() bool { return runtime.GOMAXPROCS(0) > 1 }

// parse parses every line of b, then closes b.done.
func (b *lineBatch) parse() {
	defer close(b.done)
	if n := len(b.items); cap(b.recs) < n {
		b.recs, b.errs = make([]Record, n), make([]*InputError, n)
	} else {
		b.recs, b.errs = b.recs[:n], b.errs[:n]
		clear(b.recs)
		clear(b.errs)
	}
	start := 0
	for k, it := range b.items {
		line := b.text[start:it.end]
		start = it.end
		rec := &b.recs[k]
		var ierr *InputError
		if it.tooLong {
			ierr = &InputError{Event: -1, kind: ErrLineTooLong, Reason: fmt.Sprintf("line longer than %d bytes", b.max)}
		} else {
			ierr = b.p.parse(line, rec)
		}
		if ierr == nil {
			rec.Line = it.line
			continue
		}
		ierr.Line = it.line
		if ierr.Conversation == "" {
			ierr.Conversation = rec.Info.ID
		}
		b.errs[k] = ierr
	}
}

// readAhead reads lines into new batches, each parsed on a goroutine of its
// own, until aheadBatches are in flight or the input ends (r.aheadErr). It
// waits for the input only when wait is set and for a batch's first line:
// otherwise a batch ends, or is not begun, when no whole line is buffered,
// so that a slow stream's records are not held back to fill a batch.
func (r *JSONLReader) readAhead(wait bool) {
	for len(r.ahead) < aheadBatches && r.aheadErr == nil && (wait && len(r.ahead) == 0 || r.lineBuffered()) {
		var b *lineBatch
		if n := len(r.free); n > 0 {
			b, r.free = r.free[n-1], r.free[:n-1]
		} else {
			b = &lineBatch{p: jsonParser{m: r.cfg.mapping}, max: r.cfg.maxLine}
		}
		b.text, b.items = b.text[:0], b.items[:0]
		for len(b.items) < r.batch && len(b.text) < batchBytes && (len(b.items) == 0 || r.lineBuffered()) {
			line, tooLong, err := r.readLine()
			if err != nil {
				r.aheadErr = err
				break
			}
			if tooLong {
				line = nil
			} else if isBlank(line) {
				continue
			}
			b.text = append(b.text, line...)
			b.items = append(b.items, batchLine{end: len(b.text), line: r.line, tooLong: tooLong})
		}
		if len(b.items) == 0 {
			r.free = append(r.free, b)
			return
		}
		b.done = make(chan struct{}, 1)
		go b.parse()
		r.ahead = append(r.ahead, b)
	}
}

// lineBuffered reports whether a whole line, or the end of the input, is
// in the buffer: reading it does not wait for the input.
func (r *JSONLReader) lineBuffered() bool {
	b, err := r.br.Peek(r.br.Buffered())
	return err != nil || bytes.IndexByte(b, '\n') >= 0
}

// nextAhead is Next when reading ahead.
func (r *JSONLReader) nextAhead() (Record, error) {
	for {
		if r.err != nil {
			return Record{}, r.err
		}
		if r.cur == nil || r.pos == len(r.cur.items) {
			if r.cur != nil {
				r.free = append(r.free, r.cur)
				r.cur = nil
			}
			r.readAhead(true)
			if len(r.ahead) == 0 {
				r.err = r.aheadErr
				continue
			}
			r.cur, r.pos = r.ahead[0], 0
			r.ahead = r.ahead[:copy(r.ahead, r.ahead[1:])]
			<-r.cur.done
			r.readAhead(false) // keep the other core busy while the caller works
		}
		k := r.pos
		r.pos++
		if ierr := r.cur.errs[k]; ierr != nil {
			if r.cfg.report == nil {
				return Record{}, ierr
			}
			r.skipped++
			r.cfg.report(ierr)
			continue
		}
		return r.cur.recs[k], nil
	}
}
