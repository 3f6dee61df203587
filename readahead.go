package chatkpi

import (
	"errors"
	"runtime"
)

// Reading ahead: a reader splits its input into lines (JSON Lines) or
// records (CSV) on the caller's goroutine — the cheap part: a search for
// '\n' and a copy — and hands them, a batch at a time, to goroutines that
// decode them — the costly part — so that decoding runs on another core
// while the caller joins and measures the records already returned. Next
// returns the records and errors in input order, as the sequential reading
// does, and calls the SkipInvalid report on the caller's goroutine: the
// records, the errors and their order are those of the sequential path
// (FuzzJSONLReadAhead and FuzzCSVReadAhead compare them).
//
// No goroutine outlives its batch: each decodes one batch and signals it
// done on a buffered channel, so a reader dropped before its end leaks
// nothing. At most [aheadBatches] batches are in flight, and a batch is not
// begun nor continued when no whole line is buffered, so that the records
// of a slow stream are not held back to fill a batch.

const (
	aheadBatches = 3         // batches decoded ahead of the caller
	batchLines   = 2048      // lines or records per batch, at most
	batchBytes   = 256 << 10 // bytes of text per batch, at most (but one line)
)

// parallelReading reports whether reading ahead can use another core.
func parallelReading() bool { return runtime.GOMAXPROCS(0) > 1 }

// recordDecoder decodes the text of one line or record, which starts on
// line line, into rec, which is zero; a
// *InputError is about that line, any other error is permanent.
type recordDecoder interface {
	decode(text []byte, line int, rec *Record) error
}

// batch is a run of lines or records and, once done is closed, their
// records and errors.
type batch[D recordDecoder] struct {
	text  []byte // the lines or records, one after the other
	items []batchItem
	recs  []Record
	errs  []error
	dec   D // the decoder of the batch's goroutine, reused with the batch
	done  chan struct{}
}

type batchItem struct {
	end  int     // the item's text is text[previous end:end]
	line int     // its (first) line
	err  error   // not nil: the item is this error, found while splitting
	rec  *Record // not nil: the item was decoded while splitting
}

func (b *batch[D]) add(text []byte, line int) {
	b.text = append(b.text, text...)
	b.items = append(b.items, batchItem{end: len(b.text), line: line})
}

func (b *batch[D]) addDone(line int, rec *Record, err error) {
	b.items = append(b.items, batchItem{end: len(b.text), line: line, rec: rec, err: err})
}

// decodeAll decodes every item of b, then closes b.done.
func (b *batch[D]) decodeAll() {
	defer close(b.done)
	if n := len(b.items); cap(b.recs) < n {
		b.recs, b.errs = make([]Record, n), make([]error, n)
	} else {
		b.recs, b.errs = b.recs[:n], b.errs[:n]
		clear(b.recs)
		clear(b.errs)
	}
	start := 0
	for k, it := range b.items {
		text := b.text[start:it.end]
		start = it.end
		switch {
		case it.err != nil:
			b.errs[k] = it.err
		case it.rec != nil:
			b.recs[k] = *it.rec
		default:
			rec := &b.recs[k]
			err := b.dec.decode(text, it.line, rec)
			if err == nil {
				rec.Line = it.line
				continue
			}
			if ie := inputError(err); ie != nil {
				ie.Line = it.line
				if ie.Conversation == "" {
					ie.Conversation = rec.Info.ID
				}
			}
			b.errs[k] = err
		}
	}
}

// splitter is what a reader does on the caller's goroutine.
type splitter[D recordDecoder] interface {
	// split adds the next line or record to b, or returns the error that
	// ends the input (io.EOF at its end).
	split(b *batch[D]) error
	// buffered reports whether splitting the next item does not wait for
	// the input.
	buffered() bool
	newDecoder() D
}

// readAhead is the reading ahead of one reader.
type readAhead[D recordDecoder] struct {
	batch    int // items per batch; 0: no reading ahead
	ahead    []*batch[D]
	free     []*batch[D]
	cur      *batch[D] // the batch being returned, from item pos
	pos      int
	aheadErr error // the error that ended the splitting
	err      error // permanent: returned again
}

// fill splits items into new batches, each decoded on a goroutine of its
// own, until aheadBatches are in flight or the input ends; it waits for
// the input only when wait is set, for a batch's first item.
func (ra *readAhead[D]) fill(s splitter[D], wait bool) {
	for len(ra.ahead) < aheadBatches && ra.aheadErr == nil && (wait && len(ra.ahead) == 0 || s.buffered()) {
		var b *batch[D]
		if n := len(ra.free); n > 0 {
			b, ra.free = ra.free[n-1], ra.free[:n-1]
		} else {
			b = &batch[D]{dec: s.newDecoder()}
		}
		b.text, b.items = b.text[:0], b.items[:0]
		for len(b.items) < ra.batch && len(b.text) < batchBytes && (len(b.items) == 0 || s.buffered()) {
			if err := s.split(b); err != nil {
				ra.aheadErr = err
				break
			}
		}
		if len(b.items) == 0 {
			ra.free = append(ra.free, b)
			return
		}
		b.done = make(chan struct{}, 1)
		go b.decodeAll()
		ra.ahead = append(ra.ahead, b)
	}
}

// next returns the next record or error in input order; report and
// skipped are those of SkipInvalid.
func (ra *readAhead[D]) next(s splitter[D], report func(*InputError), skipped *int) (Record, error) {
	for {
		if ra.err != nil {
			return Record{}, ra.err
		}
		if ra.cur == nil || ra.pos == len(ra.cur.items) {
			if ra.cur != nil {
				ra.free = append(ra.free, ra.cur)
				ra.cur = nil
			}
			ra.fill(s, true)
			if len(ra.ahead) == 0 {
				ra.err = ra.aheadErr
				continue
			}
			ra.cur, ra.pos = ra.ahead[0], 0
			ra.ahead = ra.ahead[:copy(ra.ahead, ra.ahead[1:])]
			<-ra.cur.done
			ra.fill(s, false) // keep the other core busy while the caller works
		}
		k := ra.pos
		ra.pos++
		err := ra.cur.errs[k]
		if err == nil {
			return ra.cur.recs[k], nil
		}
		ie := inputError(err)
		if ie == nil {
			ra.err = err
			continue
		}
		if report == nil {
			return Record{}, err
		}
		*skipped++
		report(ie)
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
