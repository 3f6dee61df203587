package chatkpi

import (
	"encoding/binary"
	"hash/maphash"
	"iter"
	"unsafe"
)

// customerIDs numbers the customer ids it is given 0, 1, 2, … in the order
// it first sees them, so that per-customer state can live in plain slices
// indexed by that number, without a pointer the garbage collector scans.
//
// Each id is kept once, as a record in an arena of pages: its length, its
// bytes and its number (uvarints), padded to 4 bytes (no string header per
// id; a page is never copied; the pages double from 1 to 256 KiB). A hash
// table of 16-byte slots (idSlot) finds them, open addressing with linear
// probing, at most 7/8 full. An id of at most 8 bytes (most customer ids:
// "u440209") is in its slot itself, with its number: a lookup reads the
// slot, in one cache line, and nothing else. A longer id's slot holds its
// 64-bit hash and where its record is, where a lookup compares the id and
// reads the number. number remembers the last id it numbered (a copy of its
// bytes), which it numbers again without hashing or probing: the states of a
// Report look up one customer in turn. Memory: the record (12
// bytes for an id of 7 bytes among a million) and 18.3 to 36.6 bytes of
// table (its load is 7/16 to 7/8), about 40 bytes per customer with a
// 7-byte id.
type customerIDs struct {
	seed   maphash.Seed
	seeded bool
	slots  []idSlot
	pages  [][]byte // records; a page of idPage bytes, or of one larger record
	n      int      // the ids
	// The last id numbered (lastK ≥ 0), or given its number by remember,
	// or found missing by the report's prefetch (lastK −1, its hash lastH:
	// see rememberMissing).
	lastID []byte
	lastK  int
	lastH  uint64
	lastOK bool
}

// idSlot is a slot of a customerIDs table. An id of at most 8 bytes: key
// holds its bytes (little-endian, zero-padded), meta its length + 1 (bits
// 0–3) and its number (from bit 4). A longer one: key is its hash, meta
// idLong and where its record is + 1 (from bit 4, see idWhere). Empty:
// meta 0.
type idSlot struct {
	key, meta uint64
}

const (
	idPageBits  = 18 // a page of 256 KiB
	idPage      = 1 << idPageBits
	idFirstPage = 1 << 10
	idInline    = 8   // the longest id kept in its slot
	idLong      = 0xf // the meta of a longer id's slot, bits 0–3
	idMetaShift = 4
)

// inlineKey returns the key of an id of at most idInline bytes.
func inlineKey[S ~string | ~[]byte](id S) uint64 {
	var key uint64
	for i := len(id) - 1; i >= 0; i-- {
		key = key<<8 | uint64(id[i])
	}
	return key
}

// slotOf returns the slot of id, whose hash is h, number k and record at
// where.
func slotOf[S ~string | ~[]byte](h uint64, id S, k int, where uint64) idSlot {
	if len(id) <= idInline {
		return idSlot{inlineKey(id), uint64(len(id)+1) | uint64(k)<<idMetaShift}
	}
	return idSlot{h, idLong | (where+1)<<idMetaShift}
}

// idWhere is where a record is: its page << 16 | its offset in the page ÷ 4
// (16 bits; a page larger than idPage holds one record, at 0).
func idWhere(page, at int) uint64 { return uint64(page)<<(idPageBits-2) | uint64(at>>2) }

// len is the number of ids.
func (t *customerIDs) len() int { return t.n }

// record returns the bytes (not to be changed) of the record at where,
// with its page and where its number starts there.
func (t *customerIDs) record(where uint64) (id, page []byte, number int) {
	page = t.pages[where>>(idPageBits-2)]
	at := int(where&(1<<(idPageBits-2)-1)) << 2
	l, n := uint64(page[at]), 1 // most ids are shorter than 128 bytes
	if l >= 0x80 {
		l, n = binary.Uvarint(page[at:])
	}
	start := at + n
	end := start + int(l)
	return page[start:end:end], page, end
}

// numberAt reads the number of a record at page[at:] and returns it and
// the offset after the record.
func numberAt(page []byte, at int) (k, next int) {
	u, n := binary.Uvarint(page[at:])
	return int(u), (at + n + 3) &^ 3
}

// hash returns the hash of id.
func (t *customerIDs) hash(id string) uint64 {
	t.seedOnce()
	return maphash.String(t.seed, id)
}

// hashBytes returns the hash of id, as hash does.
func (t *customerIDs) hashBytes(id []byte) uint64 {
	t.seedOnce()
	return maphash.Bytes(t.seed, id)
}

func (t *customerIDs) seedOnce() {
	if !t.seeded {
		t.seed, t.seeded = maphash.MakeSeed(), true
	}
}

// match returns the number of id, whose hash is h, if slot s (not empty)
// holds it, or −1.
func (t *customerIDs) match(s idSlot, h uint64, id string) int {
	if len(id) <= idInline {
		if s.meta&idLong == uint64(len(id)+1) && s.key == inlineKey(id) {
			return int(s.meta >> idMetaShift)
		}
		return -1
	}
	if s.meta&idLong != idLong || s.key != h {
		return -1
	}
	if b, page, at := t.record(s.meta>>idMetaShift - 1); string(b) == id {
		k, _ := numberAt(page, at)
		return k
	}
	return -1
}

// find returns the number of id, whose hash is h, or −1.
func (t *customerIDs) find(h uint64, id string) int {
	if len(t.slots) == 0 {
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	if len(id) <= idInline { // the slot holds the id: its key and length, compared once made
		key, length := inlineKey(id), uint64(len(id)+1)
		for i := h & mask; ; i = (i + 1) & mask {
			s := t.slots[i]
			switch {
			case s.meta == 0:
				return -1
			case s.meta&idLong == length && s.key == key:
				return int(s.meta >> idMetaShift)
			}
		}
	}
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.meta == 0 {
			return -1
		}
		if k := t.match(s, h, id); k >= 0 {
			return k
		}
	}
}

// prefetchSlot starts loading the slot where the lookup of an id whose
// hash is h begins (see prefetch), so that a find of it soon after need not
// wait for the memory.
func (t *customerIDs) prefetchSlot(h uint64) {
	if len(t.slots) > 0 {
		prefetch(unsafe.Pointer(&t.slots[h&uint64(len(t.slots)-1)]))
	}
}

// number returns the number of id, numbering it when new.
func (t *customerIDs) number(id string) int {
	if t.lastOK && string(t.lastID) == id {
		if t.lastK < 0 { // found missing: numbered without hashing or looking it up again
			t.lastK, t.lastOK = t.add(t.lastH, id), true
		}
		return t.lastK
	}
	h := t.hash(id)
	k := t.find(h, id)
	if k < 0 {
		k = t.add(h, id)
	}
	t.remember(id, k)
	return k
}

// numbers numbers in t every id of o, the new ones in o's order, and
// returns t's number of each of o's ids, by o's number: the translation of
// o's per-customer states into t's, which merging them then indexes
// instead of looking every customer up again. It looks the ids up in
// batches of idBatch, hashing a batch and prefetching each id's slot
// before probing, so that the batch's cache misses overlap.
func (t *customerIDs) numbers(o *customerIDs) []int {
	to := make([]int, o.n)
	t.numbersInto(o, to, nil)
	return to
}

// numbersInto is numbers into to (of length o.len()): with ready, it
// calls ready(n) each time the numbers of o's first n ids are in to, n
// growing by numbersStep and lastly o.len(), so that another goroutine
// can use those while the others are numbered.
func (t *customerIDs) numbersInto(o *customerIDs, to []int, ready func(n int)) {
	if o.n == 0 {
		return
	}
	t.reserve(t.n + o.n)
	var ids [idBatch][]byte
	var hs [idBatch]uint64
	n, done := 0, 0
	flush := func() {
		for i := range n {
			hs[i] = t.hashBytes(ids[i])
			t.prefetchSlot(hs[i])
		}
		for i := range n {
			k := t.find(hs[i], string(ids[i]))
			if k < 0 {
				k = t.add(hs[i], string(ids[i]))
			}
			to[done] = k
			done++
		}
		n = 0
		if ready != nil && (done%numbersStep == 0 || done == o.n) {
			ready(done)
		}
	}
	for _, id := range o.records() {
		ids[n] = id
		if n++; n == idBatch {
			flush()
		}
	}
	if n > 0 {
		flush()
	}
}

// numbersStep is how many numbers numbersInto makes ready at a time (a
// multiple of idBatch).
const numbersStep = 128 * idBatch

// idBatch is how many lookups numbers overlaps.
const idBatch = 32

// remember makes k, the number of id, the one number gives id next.
func (t *customerIDs) remember(id string, k int) {
	t.lastID, t.lastK, t.lastOK = append(t.lastID[:0], id...), k, true
}

// rememberMissing notes that t does not hold id, whose hash is h (find
// said so), so that number numbers it next without hashing it and looking
// it up again: the report's prefetch looks each conversation's customer
// up before the states number it. Adding an id forgets it.
func (t *customerIDs) rememberMissing(id string, h uint64) {
	t.lastID, t.lastK, t.lastH, t.lastOK = append(t.lastID[:0], id...), -1, h, true
}

// add numbers id, whose hash is h and which t does not hold, and returns
// its number.
func (t *customerIDs) add(h uint64, id string) int {
	t.lastOK = t.lastOK && t.lastK >= 0 // a missing id may be this one
	k := t.n
	if 8*(k+1) > 7*len(t.slots) {
		t.grow(max(64, 2*len(t.slots)))
	}
	var head, tail [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(head[:], uint64(len(id)))
	m := binary.PutUvarint(tail[:], uint64(k))
	size := (n + len(id) + m + 3) &^ 3
	last := len(t.pages) - 1
	if last < 0 || len(t.pages[last])+size > cap(t.pages[last]) {
		c := idFirstPage // the pages double up to idPage, so that a few ids take little
		if last >= 0 {
			c = min(idPage, 2*cap(t.pages[last]))
		}
		t.pages = append(t.pages, make([]byte, 0, max(c, size)))
		last++
	}
	p := t.pages[last]
	where := idWhere(last, len(p))
	p = append(append(append(p, head[:n]...), id...), tail[:m]...)
	t.pages[last] = append(p, make([]byte, size-n-len(id)-m)...)
	t.n++
	t.place(slotOf(h, id, k, where), h)
	return k
}

// reserve makes room for n ids or more without growing the table.
func (t *customerIDs) reserve(n int) {
	size := 64
	for 7*size < 8*n {
		size *= 2
	}
	if size > len(t.slots) {
		t.grow(size)
	}
}

// grow moves the table to size slots (a power of two), at least as many as
// it has. It walks the old slots in order, placing each where its hash
// puts it in the new table (a slot does not depend on the table's size):
// an id at or after its home i of the old table goes to or after i or
// i + len(old) in the new one, so the writes run along two streams
// instead of jumping at random, as placing the ids in number order would
// (a cache miss each, in a table of millions of slots). Lookups do not
// depend on where an id lands within its probe sequence.
func (t *customerIDs) grow(size int) {
	t.seedOnce()
	old := t.slots
	t.slots = make([]idSlot, size)
	touchPages(t.slots)
	for _, s := range old {
		if s.meta != 0 {
			t.place(s, t.slotHash(s))
		}
	}
}

// slotHash returns the hash of the id in slot s (not empty): kept in the
// slot for a long id, that of the bytes in the slot for a short one.
func (t *customerIDs) slotHash(s idSlot) uint64 {
	if s.meta&idLong == idLong {
		return s.key
	}
	var b [idInline]byte
	binary.LittleEndian.PutUint64(b[:], s.key)
	return maphash.Bytes(t.seed, b[:s.meta&idLong-1])
}

// place puts slot s, of hash h, in the first empty slot of its probe
// sequence.
func (t *customerIDs) place(s idSlot, h uint64) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i].meta != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// records yields where each record is and its id, in number order.
func (t *customerIDs) records() iter.Seq2[uint64, []byte] {
	return func(yield func(uint64, []byte) bool) {
		for i, p := range t.pages {
			for at := 0; at < len(p); {
				where := idWhere(i, at)
				id, _, end := t.record(where)
				if !yield(where, id) {
					return
				}
				_, at = numberAt(p, end)
			}
		}
	}
}

// all yields the numbers and ids in number order.
func (t *customerIDs) all() iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		k := 0
		for _, id := range t.records() {
			if !yield(k, id) {
				return
			}
			k++
		}
	}
}

// list returns the ids by number (for random access, as sorting needs).
func (t *customerIDs) list() [][]byte {
	ids := make([][]byte, 0, t.n)
	for _, id := range t.records() {
		ids = append(ids, id)
	}
	return ids
}

// clone returns a copy of t (with its seed: the same table).
func (t *customerIDs) clone() customerIDs {
	n := customerIDs{seed: t.seed, seeded: t.seeded, slots: append([]idSlot(nil), t.slots...), n: t.n,
		pages: make([][]byte, len(t.pages))}
	for i, p := range t.pages {
		n.pages[i] = append(make([]byte, 0, cap(p)), p...)
	}
	return n
}

// extendTo returns s with length n ≥ len(s), its new elements zero, for a
// per-customer slice indexed by the customers' numbers as they come:
// growing it doubles its capacity (append grows a large slice by a
// quarter, so a million customers would leave some thirty copies behind,
// about four times the slice's final size, for the collector to free and
// the operating system to take back; doubling leaves about one).
func extendTo[T any](s []T, n int) []T {
	if n <= cap(s) {
		t := s[:n]
		clear(t[len(s):])
		return t
	}
	grown := make([]T, n, max(n, 2*cap(s), 256))
	copy(grown, s)
	return grown
}
