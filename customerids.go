package chatkpi

import (
	"hash/maphash"
	"iter"
)

// customerIDs numbers the customer ids it is given 0, 1, 2, … in the order
// it first sees them, so that per-customer state can live in plain slices
// indexed by that number, without a pointer the garbage collector scans.
//
// The ids are kept once, one after the other in an arena (no string header
// per id); a hash table of 8-byte slots (32 bits of the id's hash, the
// number) finds them, open addressing with linear probing, at most 7/8
// full: a lookup reads a few slots of a cache line or two and compares the
// id in the arena. The last id found is found again without a probe (the
// states of a Report look up one customer in turn).
// Memory: the id's bytes, 4 bytes for its end in the arena and 9.1 to 18.3
// bytes of table (its load is 7/16 to 7/8), about 18 bytes plus the id per
// customer.
type customerIDs struct {
	seed   maphash.Seed
	seeded bool
	slots  []uint64 // hash>>32<<32 | number+1; 0: empty
	arena  []byte   // the ids, in number order
	// The end of id k in arena (its start: the end of k − 1) is ends[k]
	// plus 2³² for each number in wraps up to k: the numbers of the ids
	// whose end crossed a multiple of 4 GiB (none below 4 GiB of ids).
	ends  []uint32
	wraps []int
	// The hash and number of the last id found or added.
	lastH uint64
	lastK int
}

// end returns the end of id k in the arena.
func (t *customerIDs) end(k int) int {
	e := int(t.ends[k])
	if len(t.wraps) > 0 {
		for _, w := range t.wraps {
			if w <= k {
				e += 1 << 32
			}
		}
	}
	return e
}

// idSlot packs a slot: the high 32 bits of the hash and the number + 1.
func idSlot(h uint64, k int) uint64 { return h>>32<<32 | uint64(k+1) }

// len is the number of ids.
func (t *customerIDs) len() int { return len(t.ends) }

// id returns the bytes of id k (not to be changed).
func (t *customerIDs) id(k int) []byte {
	start, end := 0, t.end(k)
	if k > 0 {
		start = t.end(k - 1)
	}
	return t.arena[start:end:end]
}

// hash returns the hash of id.
func (t *customerIDs) hash(id string) uint64 {
	t.seedOnce()
	return maphash.String(t.seed, id)
}

func (t *customerIDs) seedOnce() {
	if !t.seeded {
		t.seed, t.seeded = maphash.MakeSeed(), true
	}
}

// find returns the number of id, whose hash is h, or −1.
func (t *customerIDs) find(h uint64, id string) int {
	if len(t.slots) == 0 {
		return -1
	}
	if h == t.lastH && t.lastK < len(t.ends) && string(t.id(t.lastK)) == id {
		return t.lastK
	}
	mask := uint64(len(t.slots) - 1)
	tag := h >> 32 << 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if s>>32<<32 == tag {
			if k := int(uint32(s)) - 1; string(t.id(k)) == id {
				t.lastH, t.lastK = h, k
				return k
			}
		}
	}
}

// add numbers id, whose hash is h and which t does not hold, and returns
// its number.
func (t *customerIDs) add(h uint64, id string) int {
	k := len(t.ends)
	if 8*(k+1) > 7*len(t.slots) {
		t.grow(max(64, 2*len(t.slots)))
	}
	before := len(t.arena)
	t.arena = append(t.arena, id...)
	for range len(t.arena)>>32 - before>>32 {
		t.wraps = append(t.wraps, k)
	}
	t.ends = append(t.ends, uint32(len(t.arena)))
	t.place(idSlot(h, k), h)
	t.lastH, t.lastK = h, k
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

// grow moves the table to size slots (a power of two).
func (t *customerIDs) grow(size int) {
	t.seedOnce()
	t.slots = make([]uint64, size)
	for k := range t.ends {
		h := maphash.Bytes(t.seed, t.id(k))
		t.place(idSlot(h, k), h)
	}
}

// place puts slot s, of hash h, in the first empty slot of its probe
// sequence.
func (t *customerIDs) place(s, h uint64) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// all yields the numbers and ids in number order.
func (t *customerIDs) all() iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		for k := range t.ends {
			if !yield(k, t.id(k)) {
				return
			}
		}
	}
}

// clone returns a copy of t (with its own seed's hashes: the same table).
func (t *customerIDs) clone() customerIDs {
	return customerIDs{seed: t.seed, seeded: t.seeded, slots: append([]uint64(nil), t.slots...),
		arena: append([]byte(nil), t.arena...), ends: append([]uint32(nil), t.ends...), wraps: append([]int(nil), t.wraps...)}
}
