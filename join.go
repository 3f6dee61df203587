package chatkpi

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"
)

// Joiner groups the records of one or more event files into conversations
// and drops the events delivered twice. [ReadConversations] and
// [Conversations] are a Joiner with the default settings; use one directly
// to read inputs with names, to count the duplicates or to change a setting.
//
// # Conversations across inputs
//
// Lines are joined by conversation id wherever they are: spread over several
// inputs and interleaved with other conversations ([Joiner.Read]), or, for
// input grouped by conversation, as contiguous runs ([Joiner.Grouped]).
// Conversation-level fields (customer, channel, source, start, outbound and
// each dimension) may be given on any line of a conversation, in any input:
// the first non-empty value wins, and a different non-empty value on a later
// line is an [*InputError] naming that line and the field (the same value
// again is fine). outbound cannot conflict: true on any line makes the
// conversation outbound. Each conversation's events are sorted by time with
// a stable sort, so events with equal times keep their reading order.
//
// # Duplicates
//
// Two lines of one conversation with the same non-empty id ([Event].ID) are
// one event delivered twice: the later one is dropped and counted
// ([Joiner.Duplicates]). If they differ in any other field of the event,
// that is an [*InputError] naming both lines; their conversation-level fields
// are merged as above whether or not the event is a duplicate. Lines without
// an id are all events, unless DropIdentical is set. So reading an export
// whose events have ids twice, or two exports that overlap, gives the same
// conversations as reading each event once.
//
// The zero value is ready to use. A Joiner is not safe for concurrent use.
type Joiner struct {
	// DropIdentical makes two lines of one conversation without an id whose
	// events are equal in every field (the same instant, role, type, agent,
	// survey, score, value, currency and flags) one event delivered twice:
	// the later one is dropped and counted. The default, false, keeps every
	// line without an id as an event: two real messages can be identical
	// when times have a resolution of seconds. Events with an id are
	// compared by id only, whatever this setting.
	DropIdentical bool
	// ReuseChats makes [Joiner.Grouped] and [Joiner.Conversations] build
	// the conversations they yield in the memory of those yielded before:
	// a conversation yielded is valid only until the loop goes on with the
	// next (keep a copy with [NewChat]). For a caller that measures each
	// conversation and drops it, as a [Report] does, the conversations then
	// cost no allocation per event or conversation (Grouped yields one Chat
	// again and again, or, when it joins ahead on another goroutine, reuses
	// the memory of a few batches, as Conversations does).
	// The default, false, yields conversations of their own.
	ReuseChats bool

	inputs []string // names, for messages
	dups   int
	mode   joinMode

	// Read
	store    eventStore
	held     [][]held // in blocks of heldBlock, so that growing leaves no garbage
	nheld    int
	texts    heldTexts           // the held conversations' ids and customers
	rests    []Info              // the Info of the held conversations that have more than an id, a customer and a channel
	sets     []eventSet[lineRef] // the events of the held conversations that need them for the duplicate rule
	ids      heldIDs             // the conversation ids, numbered as their index in held
	idsAhead [heldHashes]idHash  // the hashes of the ids of the items ahead (prefetchHeld)
	prev     int                 // the conversation of the previous record, +1 (0: none)
	iterated bool

	// Grouped
	cur    joining
	events slab[Event]
	spare  *Chat // with ReuseChats, the Chat yielded last, to be yielded again
	closed closedSet
	// ahead (joining ahead) takes back the conversations closed that the
	// loop has not gone past yet, should it stop before them.
	ahead closedAhead

	// The fields above are the joining's, which joining ahead writes on
	// another goroutine (join_ahead.go), those below the loop's: the pad
	// keeps them off each other's cache lines.
	_    [64]byte
	last joining // the conversation returned last, for Line
}

type joinMode uint8

const (
	joinIdle joinMode = iota
	joinHolding
	joinGrouped
	joinDone
)

// joining is a conversation being joined.
type joining struct {
	chat   *Chat
	begin  lineRef   // its first line
	lines  []lineRef // the line of each event of chat, in the same order
	events eventSet[lineRef]
}

const heldBlock = 4096

// conv returns held conversation k.
func (j *Joiner) conv(k int) *held { return &j.held[k/heldBlock][k%heldBlock] }

// held is a conversation that Read holds; its events are in the store,
// each linked to the next of the conversation (packedEvent.next). It has
// no pointer for the garbage collector to scan (48 bytes a conversation):
// its id and customer are in the Joiner's texts, its channel in the
// store's table of strings, and the other fields of its Info, when it has
// any, in the Joiner's rests, as the whole Info.
type held struct {
	id, customer uint64  // where texts holds them (0: none)
	begin        lineRef // its first line
	first, last  uint32  // its first and last events in the store, when it has any
	n            uint32  // events in the store
	channel      uint32  // index in the store's strs (0: none)
	rest         uint32  // index + 1 in rests of its whole Info (0: none)
	events       uint32  // index + 1 in sets of the events read so far, when they have ids or DropIdentical is set (0: none)
}

// info returns the Info of held conversation c, whose id is id.
func (j *Joiner) info(c *held, id string) Info {
	if c.rest != 0 {
		return j.rests[c.rest-1]
	}
	return Info{ID: id, Customer: j.texts.str(c.customer), Channel: j.store.str(c.channel)}
}

// setInfo makes info, that of a record, the Info of held conversation c.
func (j *Joiner) setInfo(c *held, info *Info) {
	if c.rest == 0 && info.Source == "" && info.Priority == "" && info.Start.IsZero() && !info.Outbound && info.Dims == nil {
		if c.customer == 0 && info.Customer != "" { // the first non-empty value stays (Joiner.merge)
			c.customer = addText(&j.texts, info.Customer)
		}
		if c.channel == 0 && info.Channel != "" {
			c.channel = internText(&j.store, info.Channel)
		}
		return
	}
	if c.rest == 0 {
		j.rests = append(j.rests, Info{})
		c.rest = uint32(len(j.rests))
	}
	j.rests[c.rest-1] = *info
}

// heldInfo returns the Info of held conversation c as the record rec, of
// the conversation, finds it: its id and its customer are those of rec when
// they are the same (no string made).
func (j *Joiner) heldInfo(c *held, rec *Record) Info {
	if c.rest != 0 {
		return j.rests[c.rest-1]
	}
	info := Info{ID: rec.Info.ID, Customer: rec.Info.Customer, Channel: j.store.str(c.channel)}
	if b := j.texts.text(c.customer); string(b) != info.Customer {
		info.Customer = string(b)
	}
	return info
}

// onlyID reports whether info has no field but the id.
func onlyID(info *Info) bool {
	return info.Customer == "" && info.Channel == "" && info.Source == "" && info.Priority == "" && info.Start.IsZero() &&
		!info.Outbound && len(info.Dims) == 0
}

// lineRef is a line of one of the inputs: the input's index in the top
// lineInputBits bits, the line number in the others, so that the line of
// each event held costs 8 bytes.
type lineRef uint64

const (
	lineInputBits = 20 // up to 2²⁰ inputs
	lineBits      = 64 - lineInputBits
	maxInputs     = 1 << lineInputBits
)

func newLineRef(input, line int) lineRef {
	return lineRef(uint64(input)<<lineBits | uint64(line)&(1<<lineBits-1))
}

func (l lineRef) input() int { return int(l >> lineBits) }
func (l lineRef) line() int  { return int(l & (1<<lineBits - 1)) }

// Read reads every record of r, the input called name in messages about its
// lines from another input ("line 3 of name"; "" names it "input N" when
// there are several), and adds them to the conversations of the earlier
// inputs. It returns the first error of r, or the first conflict or id
// conflict, as is (its Line is a line of r); build r with [SkipInvalid] to go
// past invalid lines. Read cannot follow [Joiner.Grouped] on one Joiner, nor
// [Joiner.Conversations].
func (j *Joiner) Read(name string, r EventReader) error {
	if err := j.start(joinHolding); err != nil {
		return err
	}
	in, err := j.addInput(name)
	if err != nil {
		return err
	}
	if pr, ok := r.(packedReader); ok && !j.DropIdentical {
		if ra, report, skipped := pr.packedAhead(); ra != nil {
			return j.readPacked(in, ra, report, skipped)
		}
	}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := j.hold(heldIndex(j, rec.Info.ID, -1, in, rec.Line), &rec, in); err != nil {
			return err
		}
	}
}

// readPacked is Read from a reader that reads ahead: most records come
// as packed records (recordpack.go), held without building an Event. The
// duplicate rule needs nothing of them, as they have no event id (and
// DropIdentical is not set).
func (j *Joiner) readPacked(in int, ra *readAhead, report func(*InputError), skipped *int) error {
	for {
		rec, p, err := ra.nextItem(report, skipped)
		switch {
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		case rec != nil:
			j.prefetchHeld(ra.cur, ra.pos+heldAhead)
			if err := j.hold(heldIndex(j, rec.Info.ID, ra.pos-1, in, rec.Line), rec, in); err != nil {
				return err
			}
			continue
		}
		c := ra.cur
		j.prefetchHeld(c, ra.pos+heldAhead)
		k := j.packedIndex(c, p, ra.pos-1, in)
		if p.info != 0 && !j.mergePacked(c, p, k) { // a conflict, or more to merge: as a Record
			rec := c.record(p)
			if err := j.hold(k, &rec, in); err != nil {
				return err
			}
			continue
		}
		line := c.line + int(p.line)
		if int64(line) >= 1<<lineBits {
			return &InputError{Line: line, Conversation: string(j.texts.text(j.conv(k).id)), Event: -1, Reason: fmt.Sprintf("more than %d lines in one input", int64(1<<lineBits-1))}
		}
		if err := j.store.addPacked(c, p, newLineRef(in, line)); err != nil {
			return err
		}
		j.link(k)
	}
}

// link makes the event that the store holds last the last event of held
// conversation k.
func (j *Joiner) link(k int) {
	c := j.conv(k)
	i := uint32(j.store.n - 1)
	if c.n == 0 {
		c.first = i
	} else {
		j.store.at(int(c.last)).next = i
	}
	c.last = i
	c.n++
}

// packedIndex is heldIndex for p, item q of c: the number in the page
// that prefetchHeld found, else the lookup of its id.
func (j *Joiner) packedIndex(c *chunk, p *packedRecord, q, in int) int {
	if p.pages != 0 {
		if s := j.ids.prefixes[p.pages-1].slot(p.counter); s != nil && *s != 0 {
			k := int(*s - 1)
			j.prev = k + 1
			return k
		}
	}
	return heldIndex(j, c.arenaBytes(p.conv), q, in, c.line+int(p.line))
}

// mergePacked merges the customer and channel of p, an item of c, into
// held conversation k, as hold does, and reports whether it did: not when
// the conversation has more than an id, a customer and a channel, nor when
// a value conflicts with the conversation's (hold then merges the record,
// or gives the conflict's error).
func (j *Joiner) mergePacked(c *chunk, p *packedRecord, k int) bool {
	h := j.conv(k)
	in := c.infoOf(p)
	customer, channel := c.arenaBytes(in.customer), c.arenaBytes(in.channel)
	switch {
	case h.rest != 0,
		len(customer) > 0 && h.customer != 0 && string(j.texts.text(h.customer)) != string(customer),
		len(channel) > 0 && h.channel != 0 && j.store.str(h.channel) != string(channel):
		return false
	}
	if len(customer) > 0 && h.customer == 0 {
		h.customer = addText(&j.texts, customer)
	}
	if len(channel) > 0 && h.channel == 0 {
		h.channel = internText(&j.store, channel)
	}
	return true
}

// heldAhead is how many items after the one being held readPacked starts
// loading the slot of the conversation id of, in its page or in the hash
// table (heldIDs): with a million conversations neither fits in a cache,
// and a new conversation's slot, or that of one that interleaved input
// goes back to, is anywhere in them, so that a lookup would wait for the
// memory. Without loading ahead, holding the items of 10 M interleaved
// events with counter ids took 15 % longer.
const heldAhead = 8

// prefetchHeld starts loading the slot of the conversation of item q of c,
// if there is one, for heldIndex: that of its page (heldAhead), or that of
// the hash table, keeping the id's hash for it.
func (j *Joiner) prefetchHeld(c *chunk, q int) {
	if q >= c.len() {
		return
	}
	switch rec, p, err := c.item(q); {
	case err != nil:
	case p != nil:
		if p.prefix != 0 && j.heldAhead(c, p) {
			return
		}
		aheadHash(j, c.arenaBytes(p.conv), q)
	default:
		aheadHash(j, rec.Info.ID, q)
	}
}

// heldAhead starts loading the slot of the conversation of p, an item of c
// whose id is a prefix and a counter, in its prefix's pages (heldIDs), and
// notes in p where they are. It reports whether the id can only be in the
// pages, so that the hash table need not be looked up.
func (j *Joiner) heldAhead(c *chunk, p *packedRecord) bool {
	i := prefixIndex(&j.ids, c.arena[p.conv.off:p.conv.off+uint32(p.prefix-1)])
	if i < 0 {
		return false
	}
	pg := &j.ids.prefixes[i]
	p.pages = uint8(i + 1)
	if s := pg.slot(p.counter); s != nil {
		prefetch(unsafe.Pointer(s))
	}
	return !pg.spilled
}

// idHash is the hash of a conversation id of at most idInline bytes,
// with the id (its key and length + 1, as in a customerIDs slot).
type idHash struct {
	key, h uint64
	n      int
}

// heldHashes is how many hashes of the ids ahead a Joiner keeps, by item
// position modulo heldHashes (more than heldAhead).
const heldHashes = 2 * heldAhead

// aheadHash starts loading where the id of item q of the chunk being read
// is looked up, and keeps its hash when it is hashed and short.
func aheadHash[T text](j *Joiner, id T, q int) {
	prefetchHeldID(&j.ids, id, &j.idsAhead[q%heldHashes])
}

// heldIndex returns the index of the held conversation id, item q of the
// chunk being read (−1: not read ahead), read at line of input in, adding
// it when new. It hashes the id, when it is hashed (heldIDs), unless
// prefetchHeld kept the hash of that very id (a hash kept for position q
// is only used for equal bytes: an item skipped or a chunk recycled cannot
// give a wrong one).
func heldIndex[T text](j *Joiner, id T, q, in, line int) int {
	k := j.prev - 1
	if k >= 0 && string(j.texts.text(j.conv(k).id)) == string(id) {
		return k
	}
	var ahead *idHash
	if q >= 0 {
		ahead = &j.idsAhead[q%heldHashes]
	}
	k, added := numberHeld(&j.ids, id, ahead)
	if added {
		if k%heldBlock == 0 {
			j.held = append(j.held, make([]held, heldBlock))
		}
		j.nheld++
		*j.conv(k) = held{id: addText(&j.texts, id), begin: newLineRef(in, line)}
	}
	j.prev = k + 1
	return k
}

// hold merges one record into held conversation k.
func (j *Joiner) hold(k int, rec *Record, in int) error {
	c := j.conv(k)
	info := Info{ID: rec.Info.ID}
	if !onlyID(&rec.Info) {
		info = j.heldInfo(c, rec)
	}
	if err := j.merge(&info, c.begin, rec, in); err != nil {
		return err
	}
	if !onlyID(&rec.Info) {
		j.setInfo(c, &info)
	}
	at := newLineRef(in, rec.Line)
	if rec.Event.ID != "" || j.DropIdentical { // else the duplicate rule has nothing to do
		if c.events == 0 {
			j.sets = append(j.sets, eventSet[lineRef]{})
			c.events = uint32(len(j.sets))
		}
		first, dup, diff := j.sets[c.events-1].add(j.store.event, &rec.Event, j.store.n, at, j.DropIdentical)
		switch {
		case diff != "":
			f := j.store.event(first.index)
			err := idConflict(rec.Info.ID, &rec.Event, &f, diff, j.where(first.at))
			err.Line = rec.Line
			return err
		case dup:
			j.dups++
			return nil
		}
	}
	if err := j.store.add(&rec.Event, at); err != nil {
		return err
	}
	j.link(k)
	return nil
}

// endReading drops what only reading needs: the index of the conversation
// ids and the events for the duplicate rule. The conversations are known
// by index from then on.
func (j *Joiner) endReading() {
	j.ids, j.sets, j.idsAhead = heldIDs{}, nil, [heldHashes]idHash{} // the hashes are of ids' seed
}

// dropHeld drops the held conversations, once built.
func (j *Joiner) dropHeld() {
	j.store, j.held, j.nheld, j.texts, j.rests = eventStore{}, nil, 0, heldTexts{}, nil
	j.endReading()
}

// Conversations returns an iterator over the conversations of every input
// given to [Joiner.Read], in the order in which each id first appeared, each
// with its events sorted by time. It ends the Joiner's reading; the
// iterator runs once. Read holds each event in 24 bytes without pointers
// (its agent in a table, its id in a column of 16 bytes an event
// where events have ids; an event with money, rare, whole; a link to the
// next event of its conversation), and each
// conversation in 48 bytes without pointers and its id's and customer's
// bytes (its channel in the table; the rest of its Info, when it has more,
// whole), with an index of the conversation ids (about 4 bytes a
// conversation whose id is a prefix and a counter, "c41", about 26 bytes
// another, see heldIDs), dropped once the reading ends; the iterator builds the
// conversations shortly before it yields them, in batches of about 4,096
// events, at most two batches ahead (on other goroutines when several
// cores can be used): a caller that adds each to a report and drops it
// holds those batches only. The memory of the events is released as the
// iterator goes, in blocks of 16,384 events read one after the other, each
// once all of its events are yielded: with input grouped by conversation,
// block after block; with interleaved lines, as the conversations of a
// block end (at once for lines that interleave over a short span, as
// exports in time order do; at the end for lines shuffled over the whole
// input).
func (j *Joiner) Conversations() iter.Seq[*Chat] {
	j.mode = joinDone
	return func(yield func(*Chat) bool) {
		if j.iterated {
			return
		}
		j.iterated = true
		var ahead []*chatBatch // being built, in order
		var free []*chatBatch  // with ReuseChats: yielded, their memory to be built in again
		defer func() {
			for _, b := range ahead {
				<-b.done // no goroutine reads the store once the iterator returns
			}
			j.dropHeld()
		}()
		j.endReading()
		parallel := parallelReading()
		left := j.store.eventsLeft()
		var tally blockTally
		planned := 0 // conversations planned
		for {
			for len(ahead) < aheadBatches && planned < j.nheld {
				b := &chatBatch{}
				if n := len(free); n > 0 {
					b, free = free[n-1], free[:n-1]
				}
				b.plan(j, planned, j.nheld)
				planned = b.first + b.n
				ahead = append(ahead, b)
				if parallel {
					go b.build(j, j.ReuseChats)
				} else {
					b.build(j, j.ReuseChats)
				}
			}
			if len(ahead) == 0 {
				return
			}
			b := ahead[0]
			ahead = ahead[:copy(ahead, ahead[1:])]
			<-b.done
			for i, chat := range b.chats {
				k := b.first + i
				c := j.conv(k)
				j.last = joining{chat: chat, begin: c.begin, lines: b.lines[b.ends[i]:b.ends[i+1]]}
				*c = held{}
				if (k+1)%heldBlock == 0 {
					j.held[k/heldBlock] = nil // its conversations are yielded
				}
				if !yield(chat) {
					return
				}
			}
			if j.ReuseChats { // the caller is done with its conversations
				free = append(free, b)
			}
			tally.release(&j.store, left, b.uses)
		}
	}
}

// Conversations builds the conversations in batches of about batchEvents
// events, at most aheadBatches ahead of the caller, each on a goroutine of
// its own when several cores can be used, so that building them (their
// events, sorted by time) runs on another core while the caller measures
// the conversations already yielded.
const (
	aheadBatches = 2
	batchEvents  = 4 << 10
)

// gatherWays is how many conversations a batch builds at a time, event
// by event in turn: with interleaved lines the events of a conversation
// are spread over a stretch of the store, found by following the links,
// each load waiting for the one before; building several conversations
// in turn, each next event is loaded while the other conversations'
// are built.
const gatherWays = 8

// chatBatch is a run of held conversations and, once done is closed, their
// Chats with the line of each event.
type chatBatch struct {
	first, n int // conversations first … first+n-1
	events   int // their events
	chats    []*Chat
	lines    []lineRef // the line of each event of the chats, one after the other
	ends     []int     // chat i's lines are lines[ends[i]:ends[i+1]]
	uses     []blockUse
	done     chan struct{}
	// With ReuseChats, the memory of the chats.
	chatMem  []Chat
	eventMem []Event
}

// blockUse says that a batch built n events of store block block (in
// runs: a block's events may be built by several batches).
type blockUse struct{ block, n int32 }

// plan makes b the batch of the held conversations from first on, before
// end: as many as fit in batchEvents events, at least one.
func (b *chatBatch) plan(j *Joiner, first, end int) {
	b.first, b.events, b.done = first, 0, make(chan struct{})
	k := first
	for k < end && (b.events == 0 || b.events+int(j.conv(k).n) <= batchEvents) {
		b.events += int(j.conv(k).n)
		k++
	}
	b.n = k - first
}

// build builds the conversations of b from the store of j, each by
// following the links from its first event (gatherWays at a time), in the
// memory of the batch's earlier conversations with reuse, and the blocks
// of the store it read (b.uses), then closes b.done.
func (b *chatBatch) build(j *Joiner, reuse bool) {
	defer close(b.done)
	s := &j.store
	b.lines, b.ends, b.uses = slices.Grow(b.lines[:0], b.events)[:b.events], slices.Grow(b.ends[:0], b.n+1)[:b.n+1], b.uses[:0]
	if reuse {
		b.chats = slices.Grow(b.chats[:0], b.n)[:b.n]
		b.chatMem = slices.Grow(b.chatMem[:0], b.n)[:b.n]
		b.eventMem = slices.Grow(b.eventMem[:0], b.events)[:b.events]
	} else {
		b.chats = make([]*Chat, b.n)
	}
	b.ends[0] = 0
	for x := range b.n {
		c := j.conv(b.first + x)
		from, n := b.ends[x], int(c.n) // the batch's events before the conversation's, its own
		b.ends[x+1] = from + n
		info := j.info(c, j.texts.str(c.id))
		if reuse {
			b.chats[x] = &b.chatMem[x]
			*b.chats[x] = Chat{Meta: info, Events: b.eventMem[from : from+n : from+n]}
		} else {
			b.chats[x] = &Chat{Meta: info, Events: make([]Event, n)}
		}
	}
	var next [gatherWays]uint32 // per conversation of the group: the event to build next
	var left [gatherWays]int    // and how many are left
	for g := 0; g < b.n; g += gatherWays {
		ways := min(gatherWays, b.n-g)
		for w := range ways {
			c := j.conv(b.first + g + w)
			next[w], left[w] = c.first, int(c.n)
		}
		for e, more := 0, true; more; e++ {
			more = false
			for w := range ways {
				if left[w] == 0 {
					continue
				}
				k := int(next[w])
				p := s.at(k)
				blk := int32(k >> storeBlockBits)
				if u := len(b.uses) - 1; u >= 0 && b.uses[u].block == blk {
					b.uses[u].n++
				} else {
					b.uses = append(b.uses, blockUse{blk, 1})
				}
				s.eventTo(k, &b.chats[g+w].Events[e])
				b.lines[b.ends[g+w]+e] = s.lineOf(k, p)
				left[w]--
				if left[w] > 0 { // not read past the conversation's last event
					next[w] = p.next
					prefetch(unsafe.Pointer(s.at(int(p.next)))) // built after the other ways' next
					more = true
				}
			}
		}
		for w := range ways {
			x := g + w
			sortJoined(b.chats[x].Events, b.lines[b.ends[x]:b.ends[x+1]])
		}
	}
}

// blockTally releases the blocks of the store whose events are all built,
// counting the events built of each block in left (per block, its events
// not yet built: eventStore.eventsLeft), which several goroutines building
// conversations may share.
type blockTally struct {
	n       []int32 // per block, the events built that left does not count yet
	touched []int32 // the blocks of n that are not 0
}

// release counts the events of uses built, and releases the blocks of s
// of which no event is left.
func (t *blockTally) release(s *eventStore, left []atomic.Int32, uses []blockUse) {
	if t.n == nil {
		t.n = make([]int32, len(left))
	}
	for _, u := range uses { // one atomic addition per block, not per run
		if t.n[u.block] == 0 {
			t.touched = append(t.touched, u.block)
		}
		t.n[u.block] += u.n
	}
	for _, blk := range t.touched {
		if left[blk].Add(-t.n[blk]) == 0 {
			s.release(int(blk))
		}
		t.n[blk] = 0
	}
	t.touched = t.touched[:0]
}

// Line returns where event i of c was read: the name of its input, as given
// to [Joiner.Read] or [Joiner.Grouped] ("" when it was given none), and the
// line. With i = -1 it returns the conversation's first line (in reading
// order). c must be the conversation that [Joiner.Conversations] or
// [Joiner.Grouped] yielded last, and i an index in its events as they were
// yielded; ok is false otherwise.
// It is for messages about an event that a later step rejects (a [Report]
// refusing a score): the Joiner keeps the line of each event it holds, 8
// bytes an event.
func (j *Joiner) Line(c *Chat, i int) (input string, line int, ok bool) {
	jc := &j.last
	if c == nil || jc.chat != c || i < -1 || i >= len(jc.lines) {
		return "", 0, false
	}
	at := jc.begin
	if i >= 0 {
		at = jc.lines[i]
	}
	return j.inputs[at.input()], at.line(), true
}

// sortJoined sorts events by time as [Chat.SortEvents] does (stably) and
// lines, the line of each event, with them.
func sortJoined(events []Event, lines []lineRef) {
	if slices.IsSortedFunc(events, func(a, b Event) int { return a.Time.Compare(b.Time) }) {
		return
	}
	sort.Stable(joinedEvents{events, lines})
}

type joinedEvents struct {
	events []Event
	lines  []lineRef
}

func (s joinedEvents) Len() int           { return len(s.events) }
func (s joinedEvents) Less(a, b int) bool { return s.events[a].Time.Before(s.events[b].Time) }
func (s joinedEvents) Swap(a, b int) {
	s.events[a], s.events[b] = s.events[b], s.events[a]
	s.lines[a], s.lines[b] = s.lines[b], s.lines[a]
}

// Duplicates returns the number of lines dropped so far as a second delivery
// of an event.
func (j *Joiner) Duplicates() int { return j.dups }

// Grouped returns an iterator over the conversations of r, an input whose
// lines are grouped by conversation, as [JSONLWriter] and [CSVWriter] write
// them, named name as in [Joiner.Read]. It holds one conversation at a time,
// each merged, de-duplicated and sorted as Read does, and yields it when its
// lines end. Successive calls on one Joiner read successive inputs, and a
// conversation may not continue from one input into the next.
//
// A conversation that comes back after its lines ended, in the same or a
// later input, is an [*InputError] naming the line where it comes back,
// which matches [ErrNotGrouped]. To
// find it the Joiner keeps each closed conversation's id: exactly, as a bit,
// when it is a prefix and a counter ("c41", "conv-123"; about 1/8 byte per
// conversation), else as a 64-bit hash (about 14.5 bytes per conversation,
// whatever the length of the ids): such a
// conversation is always found, but a new id whose hash equals that of a
// closed one is taken for it, with a probability the message states (n/2⁶⁴
// for n hashed closed conversations; a valid input of N conversations is rejected
// with probability below N²/2⁶⁵, 2.7·10⁻⁸ for N = 10⁶). The seed of the
// hash is drawn for each Joiner, so such a rejection does not repeat.
//
// With several cores, when r reads ahead ([NewJSONLReader] and
// [NewCSVReader] do), the conversations are joined on a goroutine of their
// own, ahead of the loop (at most 4 batches of about 4,096 events), while
// the loop runs: the loop sees the same conversations, errors, counts and
// [SkipInvalid] reports (called on its goroutine) in the same order; only
// a loop that stops early leaves r further on.
//
// The iterator stops after the first error, which it yields. Grouped cannot
// follow [Joiner.Read] on one Joiner.
func (j *Joiner) Grouped(name string, r EventReader) iter.Seq2[*Chat, error] {
	return func(yield func(*Chat, error) bool) {
		if err := j.start(joinGrouped); err != nil {
			yield(nil, err)
			return
		}
		in, err := j.addInput(name)
		if err != nil {
			yield(nil, err)
			return
		}
		c := &j.cur
		if c.chat != nil { // left open by a loop over the previous input that stopped early
			c.chat = nil
			c.lines = c.lines[:0]
			c.events.reset()
		}
		if ra, report, skipped := readingAhead(r); ra != nil {
			j.groupedAhead(in, ra, report, skipped, yield)
			return
		}
		emit := func(chat *Chat, begin lineRef, _ int) bool {
			j.closed.add(chat.Meta.ID)
			j.last.chat, j.last.begin = chat, begin
			j.last.lines, c.lines = c.lines, j.last.lines[:0] // the two buffers take turns
			more := yield(chat, nil)
			if j.ReuseChats {
				j.spare = chat
			}
			return more
		}
		if err := j.joinGrouped(in, r, nil, j.newChat, emit, &j.dups); err != nil && err != errStopped {
			yield(nil, err)
		}
	}
}

// errStopped is joinGrouped's "the loop stopped".
var errStopped = errors.New("chatkpi: stopped")

// joinGrouped joins the records of r, or, when next is not nil, those
// that next returns (each valid until the next call), grouped by
// conversation, into conversations built from
// newChat's, counting the duplicates in dups, and hands each closed one to
// emit with its first line and the number of duplicates counted then; its
// events' lines are j.cur.lines until emit returns. It returns the error
// that ends the reading, nil at the end of the input, or errStopped when
// emit returns false.
func (j *Joiner) joinGrouped(in int, r EventReader, next func() (*Record, error), newChat func(id string) *Chat,
	emit func(chat *Chat, begin lineRef, dups int) bool, dups *int) error {
	c := &j.cur
	var read Record // r's, on the stack
	for {
		rec, err := &read, error(nil)
		if next != nil {
			rec, err = next()
		} else {
			read, err = r.Next()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if c.chat == nil || rec.Info.ID != c.chat.Meta.ID {
			if j.isClosed(rec.Info.ID) {
				return j.cameBack(rec)
			}
			if c.chat != nil && !emit(j.close(c), c.begin, *dups) {
				return errStopped
			}
			c.chat, c.begin = newChat(rec.Info.ID), newLineRef(in, rec.Line)
		}
		dup, err := j.add(c, rec, in)
		if err != nil {
			return err
		}
		if dup {
			*dups++
		}
	}
	if c.chat != nil && !emit(j.close(c), c.begin, *dups) {
		return errStopped
	}
	return nil
}

// newChat returns the Chat of a new conversation of a grouped reading, with
// the spare one's memory when there is one.
func (j *Joiner) newChat(id string) *Chat {
	chat := j.spare
	if chat == nil {
		return &Chat{Meta: Info{ID: id}}
	}
	j.spare = nil
	clear(chat.Events) // no strings kept alive by the events of the conversation before
	*chat = Chat{Meta: Info{ID: id}, Events: chat.Events[:0]}
	return chat
}

// close ends the current conversation of a grouped reading, whose events
// and c.lines it sorts by time, and returns it; emit adds it to the closed
// ones.
func (j *Joiner) close(c *joining) *Chat {
	chat := c.chat
	sortJoined(chat.Events, c.lines)
	c.chat = nil
	c.events.reset()
	return chat
}

// isClosed reports whether conversation id was closed by a grouped reading.
func (j *Joiner) isClosed(id string) bool { return j.closed.has(id) }

// cameBack is the error of rec, whose conversation was closed before.
func (j *Joiner) cameBack(rec *Record) *InputError {
	return &InputError{Line: rec.Line, Conversation: rec.Info.ID, Event: -1, Field: "conversation", kind: ErrNotGrouped,
		Reason: "the conversation's lines are not contiguous: it came before, in this input or an earlier one, " +
			"so the input is not grouped by conversation" + j.closed.doubt(rec.Info.ID)}
}

func (j *Joiner) start(m joinMode) error {
	switch j.mode {
	case joinIdle, m:
		j.mode = m
		return nil
	case joinDone:
		return errors.New("chatkpi: Joiner: reading after Conversations")
	}
	return errors.New("chatkpi: Joiner: Read and Grouped cannot be mixed on one Joiner")
}

func (j *Joiner) addInput(name string) (int, error) {
	if len(j.inputs) == maxInputs {
		return 0, fmt.Errorf("chatkpi: Joiner: more than %d inputs", maxInputs)
	}
	j.inputs = append(j.inputs, name)
	return len(j.inputs) - 1, nil
}

// merge merges the conversation-level fields of rec, read from input in,
// into info, of the conversation that began at begin, and checks that its
// line can be held.
func (j *Joiner) merge(info *Info, begin lineRef, rec *Record, in int) error {
	if !onlyID(&rec.Info) { // most lines have nothing to merge
		if err := mergeInfo(info, &rec.Info); err != nil {
			err.Line = rec.Line
			if begin.input() != in || len(j.inputs) > 1 {
				err.Reason += " (the conversation began on " + j.where(begin) + ")"
			}
			return err
		}
	}
	if int64(rec.Line) >= 1<<lineBits {
		return &InputError{Line: rec.Line, Conversation: rec.Info.ID, Event: -1, Reason: fmt.Sprintf("more than %d lines in one input", int64(1<<lineBits-1))}
	}
	return nil
}

// add merges one record into conversation c of a grouped reading; dup
// reports a duplicate, dropped.
func (j *Joiner) add(c *joining, rec *Record, in int) (dup bool, err error) {
	if err := j.merge(&c.chat.Meta, c.begin, rec, in); err != nil {
		return false, err
	}
	at := newLineRef(in, rec.Line)
	var first firstDelivery[lineRef]
	var diff string
	if rec.Event.ID != "" || j.DropIdentical { // else the duplicate rule has nothing to find
		first, dup, diff = c.events.add(func(i int) Event { return c.chat.Events[i] }, &rec.Event, len(c.chat.Events), at, j.DropIdentical)
	}
	switch {
	case diff != "":
		err := idConflict(c.chat.Meta.ID, &rec.Event, &c.chat.Events[first.index], diff, j.where(first.at))
		err.Line = rec.Line
		return false, err
	case dup:
		return true, nil
	}
	if j.ReuseChats {
		c.chat.Events = append(c.chat.Events, rec.Event)
	} else {
		c.chat.Events = j.events.append(c.chat.Events, rec.Event)
	}
	c.lines = append(c.lines, at) // reused
	return false, nil
}

// where names a line in a message about a line of another input.
func (j *Joiner) where(l lineRef) string {
	s := "line " + strconv.Itoa(l.line())
	switch in := l.input(); {
	case j.inputs[in] != "":
		s += " of " + j.inputs[in]
	case len(j.inputs) > 1:
		s += " of input " + strconv.Itoa(in+1)
	}
	return s
}

// ReadConversations reads every record of the readers, one after the other,
// and groups them into conversations by id, in the order in which each id
// first appears, as a [Joiner] with the default settings does: the lines of
// a conversation may be spread over the inputs and interleave with others,
// its conversation-level fields are merged, events delivered twice (the same
// id) are dropped, and its events are sorted by time. It holds all
// conversations in memory; see [Conversations] for a streaming reader.
//
// The first error from a reader, or the first conflict, ends the reading and
// is returned with no conversations; with several readers, it names the
// input ("input 2: line 3: ..."). Build the readers with [SkipInvalid] to go
// past invalid lines (a conflict is not skipped: which value is right cannot
// be known).
func ReadConversations(rs ...EventReader) ([]*Chat, error) {
	var j Joiner
	for i, r := range rs {
		if err := j.Read("", r); err != nil {
			return nil, inputErr(rs, i, err)
		}
	}
	var chats []*Chat
	for c := range j.Conversations() {
		chats = append(chats, c)
	}
	return chats, nil
}

// Conversations returns an iterator over the conversations of inputs whose
// lines are grouped by conversation, as [JSONLWriter] and [CSVWriter] write
// them, read one after the other as [Joiner.Grouped] does with the default
// settings: it holds one conversation's events at a time (and a bit per
// conversation read whose id is a prefix and a counter, about 14.5 bytes
// per other), so it reads inputs of any size. A
// conversation whose lines are not contiguous is an [*InputError] naming the
// line where it comes back (matching [ErrNotGrouped]); use
// [ReadConversations] for inputs with interleaved lines. The iterator stops
// after the first error, which it yields.
func Conversations(rs ...EventReader) iter.Seq2[*Chat, error] {
	return func(yield func(*Chat, error) bool) {
		var j Joiner
		for i, r := range rs {
			for c, err := range j.Grouped("", r) {
				if err != nil {
					yield(nil, inputErr(rs, i, err))
					return
				}
				if !yield(c, nil) {
					return
				}
			}
		}
	}
}

// inputErr names input i in err when there are several.
func inputErr(rs []EventReader, i int, err error) error {
	if len(rs) < 2 {
		return err
	}
	return &namedInputError{name: "input " + strconv.Itoa(i+1), err: err}
}

type namedInputError struct {
	name string
	err  error
}

func (e *namedInputError) Error() string {
	return "chatkpi: " + e.name + ": " + strings.TrimPrefix(e.err.Error(), "chatkpi: ")
}

func (e *namedInputError) Unwrap() error { return e.err }
