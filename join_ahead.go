package chatkpi

// Joining ahead: with several cores, [Joiner.Grouped] over a reader that
// reads ahead (readahead.go) joins the conversations on a goroutine of its
// own and hands them to the caller's loop in batches, so that joining —
// taking the records from the decoded chunks in input order, merging,
// de-duplicating and sorting each conversation — runs on another core
// while the loop measures the conversations joined before (as a [Report]
// does). The loop sees what the sequential joining gives it, in the same
// order: the conversations, the error that ends the reading, the reports
// of [SkipInvalid] (called on the loop's goroutine, between the
// conversations where the sequential reading calls them) and the counts
// ([Joiner.Duplicates], the reader's Skipped) as they are when the
// sequential joining yields each conversation. What differs is only how
// far the reader has read: a loop that stops early leaves the reader
// further on than the sequential joining would (which already reads the
// first line of the next conversation), and waits until the joining
// goroutine has finished the record it is reading.
//
// A batch is handed over once it holds joinBatchEvents events or items
// (conversations and lines skipped), or when
// the next record is not decoded yet (the joining would wait for a chunk
// or for the input): conversations are not held back to fill a batch.
// joinBatches batches take turns, so the joining is at most that many
// batches ahead of the loop; with ReuseChats the conversations are built
// in the memory of their batch, which is built in again once the loop has
// gone on past the batch's last conversation.

const (
	joinBatches     = 4
	joinBatchEvents = 4 << 10
)

// joinedBatch is a run of what a grouped reading joined, in reading order.
type joinedBatch struct {
	items []joinedItem
	lines []lineRef // the lines of the events of the items' conversations
	// With ReuseChats, the memory of the conversations: chats[:nchats],
	// events[:nevents] are in use.
	chats           []Chat
	events          []Event
	nchats, nevents int
	end             bool  // the reading ends after the items
	err             error // with end: its error, nil at the end of the input
	dups            int   // with end: the duplicates counted
}

// joinedItem is a conversation joined, or a line skipped under SkipInvalid.
type joinedItem struct {
	chat     *Chat       // nil: skipped is a line skipped
	skipped  *InputError // when chat is nil
	begin    lineRef     // the conversation's first line
	from, to int         // its events' lines are the batch's lines[from:to]
	dups     int         // the duplicates counted when it was joined
}

// reset empties b for building in again.
func (b *joinedBatch) reset() {
	b.items, b.lines, b.nchats, b.nevents, b.end, b.err, b.dups = b.items[:0], b.lines[:0], 0, 0, false, nil, 0
}

// readingAhead returns r's reading ahead, making Records, with its
// SkipInvalid report and count; nil when r does not read ahead.
func readingAhead(r EventReader) (ra *readAhead, report func(*InputError), skipped *int) {
	pr, ok := r.(packedReader)
	if !ok {
		return nil, nil, nil
	}
	if ra, report, skipped = pr.packedAhead(); ra != nil {
		ra.packed = false // a grouped reading builds Events at once
	}
	return ra, report, skipped
}

// groupedAhead is [Joiner.Grouped] reading input in from ra, with
// report and skipped those of SkipInvalid, joining on a goroutine of its
// own.
func (j *Joiner) groupedAhead(in int, ra *readAhead, report func(*InputError), skipped *int, yield func(*Chat, error) bool) {
	free, full := make(chan *joinedBatch, joinBatches), make(chan *joinedBatch, joinBatches)
	for range joinBatches {
		free <- new(joinedBatch)
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		j.joinAhead(in, ra, report != nil, free, full, stop)
	}()
	var b *joinedBatch // the batch of the loop
	i := 0             // its items before i are done
	ended := false
	end := func() {
		if ended {
			return
		}
		ended = true
		close(stop)
		<-done // the reader and the Joiner are the loop's again
		for range len(free) {
			j.pastAhead((<-free).items)
		}
		if b != nil {
			j.pastAhead(b.items[:i])
		}
		j.ahead.takeBack(&j.closed) // the rest the loop did not see
	}
	defer end()
	base := j.dups
	for b = range full {
		for i = 0; i < len(b.items); {
			it := &b.items[i]
			i++
			if d := base + it.dups; d != j.dups { // rare: no write to a cache line that the joining reads
				j.dups = d
			}
			if it.chat == nil {
				*skipped++
				report(it.skipped)
				continue
			}
			j.last.chat, j.last.begin, j.last.lines = it.chat, it.begin, b.lines[it.from:it.to]
			if !yield(it.chat, nil) {
				return
			}
		}
		if b.end {
			j.dups = base + b.dups
			if b.err != nil {
				end()
				yield(nil, b.err)
			}
			return
		}
		free <- b // the loop has gone on past its conversations
		b = nil
	}
}

// pastAhead drops from j.ahead the conversations of items, which the loop
// has gone past: they stay closed.
func (j *Joiner) pastAhead(items []joinedItem) {
	n := 0
	for i := range items {
		if items[i].chat != nil {
			n++
		}
	}
	j.ahead.past(n)
}

// closedAhead keeps, in the order they were closed, the conversations that
// the joining goroutine has added to the closed ones (Joiner.closed) and
// the loop has not gone past yet — how to take each add back — so that a
// loop that stops early leaves closed only the conversations it saw, as
// the sequential joining does; the joining goroutine then finds a
// conversation closed ahead of the loop that comes back in the closed set
// alone, with the message the sequential joining writes.
type closedAhead struct {
	adds []closedUndo
	from int // adds[:from] are past
}

// push notes the add of the conversation closed next.
func (a *closedAhead) push(u closedUndo) { a.adds = append(a.adds, u) }

// past drops the n oldest adds, which the loop has gone past.
func (a *closedAhead) past(n int) {
	if a.from += n; a.from > len(a.adds)/2 { // so each add is moved down once at most, on average
		k := copy(a.adds, a.adds[a.from:])
		clear(a.adds[k:]) // the tables they hold
		a.adds, a.from = a.adds[:k], 0
	}
}

// takeBack takes back, newest first, the adds to closed that the loop did
// not go past, and forgets them.
func (a *closedAhead) takeBack(closed *closedSet) {
	for k := len(a.adds) - 1; k >= a.from; k-- {
		closed.undo(a.adds[k])
	}
	clear(a.adds)
	a.adds, a.from = a.adds[:0], 0
}

// joinAhead joins the records of ra, input in, into batches taken from
// free and handed over to full, until the input ends or stop is closed;
// with skipping, lines skipped are items too.
func (j *Joiner) joinAhead(in int, ra *readAhead, skipping bool, free, full chan *joinedBatch, stop chan struct{}) {
	var b *joinedBatch
	take := func() bool {
		select {
		case b = <-free:
			j.pastAhead(b.items)
			b.reset()
			return true
		case <-stop:
			return false
		}
	}
	if !take() {
		return
	}
	var dups, skipped int
	var newChat func(id string) *Chat
	stopped := false
	var report func(*InputError)
	if skipping {
		report = func(e *InputError) {
			b.items = append(b.items, joinedItem{skipped: e, dups: dups})
			if len(b.items) < joinBatchEvents || stopped {
				return
			}
			// Many lines skipped, maybe within a conversation: the loop
			// gets them now, and the open conversation moves to the next
			// batch with the lines after them.
			full <- b
			if stopped = !take(); stopped {
				b = new(joinedBatch) // the lines skipped until the chunk ends go nowhere
				return
			}
			if c := &j.cur; j.ReuseChats && c.chat != nil {
				open := c.chat
				c.chat = newChat(open.Meta.ID)
				c.chat.Meta, c.chat.Events = open.Meta, append(c.chat.Events, open.Events...)
			}
		}
	}
	var packed Record
	next := func() (*Record, error) {
		rec, p, err := ra.nextItem(report, &skipped)
		if stopped {
			return nil, errStopped
		}
		if p != nil { // decoded packed before the Joiner read it
			packed = ra.cur.record(p)
			rec = &packed
		}
		return rec, err
	}
	newChat = func(id string) *Chat {
		if !j.ReuseChats {
			return &Chat{Meta: Info{ID: id}}
		}
		if b.nchats == len(b.chats) { // the conversations before keep the memory they are in
			b.chats, b.nchats = make([]Chat, max(64, 2*len(b.chats))), 0
		}
		if len(b.events)-b.nevents < joinBatchEvents/4 {
			b.events, b.nevents = make([]Event, max(joinBatchEvents, 2*len(b.events))), 0
		}
		chat := &b.chats[b.nchats]
		b.nchats++
		*chat = Chat{Meta: Info{ID: id}, Events: b.events[b.nevents:b.nevents:len(b.events)]}
		return chat
	}
	emit := func(chat *Chat, begin lineRef, dups int) bool {
		c := &j.cur
		j.ahead.push(j.closed.add(chat.Meta.ID))
		b.lines = append(b.lines, c.lines...)
		b.items = append(b.items, joinedItem{chat: chat, begin: begin, from: len(b.lines) - len(c.lines), to: len(b.lines), dups: dups})
		c.lines = c.lines[:0]
		if j.ReuseChats && len(chat.Events) <= len(b.events)-b.nevents {
			b.nevents += len(chat.Events) // built in place
		}
		if len(b.lines) < joinBatchEvents && len(b.items) < joinBatchEvents && ra.ready() {
			return true
		}
		full <- b
		return take()
	}
	err := j.joinGrouped(in, nil, next, newChat, emit, &dups)
	if err == errStopped {
		return
	}
	b.end, b.err, b.dups = true, err, dups
	full <- b
}
