package chatkpi

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"strings"
)

// closedSet is the set of conversations a grouped reading ([Joiner.Grouped])
// has closed. Ids of the form prefix + counter — a decimal number without a
// leading zero, as most systems (and the generator) number conversations:
// "c0", "c41", "conv-123" — are kept exactly, as bits of a bitmap per
// prefix; any other id as a 64-bit hash, so that its memory does not depend
// on the ids' length.
//
// # Guarantee
//
// No false negatives: a conversation that comes back after it was closed is
// always found. A counter id is found only if it was added. Otherwise false
// positives are possible: a new id whose hash equals that of one of the n
// hashed ids in the set is taken for a closed one, with probability n/2⁶⁴
// for that id (below 5.5·10⁻¹² for n = 10⁸), so a valid input of N
// conversations is rejected with probability below N²/2⁶⁵ (2.7·10⁻⁸ for
// N = 10⁶, 2.7·10⁻⁴ for N = 10⁸), and never when its ids are counters that
// the bitmaps took. The hashes are [maphash] with a seed drawn for each set,
// so a false positive does not repeat on the next run and cannot be
// provoked by crafted ids; [closedSet.falsePositive] gives the probability
// for the message.
//
// # Memory
//
// A counter id costs one bit of its prefix's bitmap, which runs from 0 to
// the largest counter taken: at most closedPrefixes prefixes, each taking a
// counter only while its bitmap stays within 8 bits per id it holds plus
// closedSlack bits (so at most a byte per id and 8 KiB per prefix);
// a counter beyond that is hashed. Numbered
// conversations cost about 1/8 byte each (1 M conversations c0 … c999999:
// 122 KiB).
//
// Any other id costs about 14.5 bytes: the hashes live in 64 shards (by the top 6 bits
// of the hash), each an open-addressing table with linear probing that
// doubles when it is more than 80 % full. A single table would swing between
// 10 and 20 bytes per id as it doubles; the shards start at sizes spread
// evenly over one doubling (16·2^(k/64) slots for shard k), so they double at
// different times and together stay at 8/0.8 · 1/ln 2 ≈ 14.4 bytes per id
// (at most 16 from a few thousand ids on: TestClosedSetMemory finds at most
// 15.1 between 5,000 and 2 M ids, whatever the seed). A
// shard that doubles holds its old table until it is copied: 1/64 of the set
// at most.
type closedSet struct {
	seed     maphash.Seed
	seeded   bool
	n        int // ids in the set
	hashed   int // of them, kept as hashes
	counters []closedCounters
	shards   [closedShards]closedShard
}

// closedCounters is the bitmap of the counters of one prefix: bit k of
// bits[k/64] is set when prefix + k was added.
type closedCounters struct {
	prefix string
	bits   []uint64
	n      int // the bits set
}

// closedPrefixes bounds the prefixes that get a bitmap; closedSlack is the
// bits a bitmap may have beyond 8 per id it holds.
const (
	closedPrefixes = 16
	closedSlack    = 1 << 16
)

// counterID splits id into its prefix and counter, as counterOf does: the
// prefix is id without its trailing digits, which must be a decimal number
// without a leading zero and below 10¹⁸. ok is false for other ids.
func counterID(id string) (prefix string, k uint64, ok bool) {
	at, k, ok := counterOf(id)
	if !ok {
		return "", 0, false
	}
	return id[:at], k, true
}

// bitmap returns the bitmap of prefix, or nil.
func (s *closedSet) bitmap(prefix string) *closedCounters {
	if i := s.bitmapIndex(prefix); i >= 0 {
		return &s.counters[i]
	}
	return nil
}

// bitmapIndex returns the index of prefix's bitmap in s.counters, or -1.
func (s *closedSet) bitmapIndex(prefix string) int {
	for i := range s.counters {
		if s.counters[i].prefix == prefix {
			return i
		}
	}
	return -1
}

// counted reports whether id is a counter id set in its prefix's bitmap.
func (s *closedSet) counted(id string) bool {
	prefix, k, ok := counterID(id)
	if !ok {
		return false
	}
	b := s.bitmap(prefix)
	return b != nil && k/64 < uint64(len(b.bits)) && b.bits[k/64]&(1<<(k%64)) != 0
}

// addCounter sets the bit of counter k of prefix and reports whether it
// did (false: the id is to be hashed); new tells whether it was not set.
// It notes in u how to take back what it changed.
func (s *closedSet) addCounter(prefix string, k uint64, u *closedUndo) (done, new bool) {
	i := s.bitmapIndex(prefix)
	if i < 0 {
		if len(s.counters) == closedPrefixes {
			return false, false
		}
		s.counters = append(s.counters, closedCounters{prefix: strings.Clone(prefix)})
		i, u.newBitmap = len(s.counters)-1, true
	}
	b := &s.counters[i]
	u.bitmap = i + 1
	if w := k / 64; w >= uint64(len(b.bits)) {
		if k >= 8*uint64(b.n+1)+closedSlack {
			return false, false
		}
		u.old, u.grown = b.bits, true
		b.bits = append(b.bits, make([]uint64, int(w)+1-len(b.bits))...)
		b.bits = b.bits[:cap(b.bits)] // the growth append chose: zeros
	}
	m := uint64(1) << (k % 64)
	if b.bits[k/64]&m != 0 {
		return true, false
	}
	b.bits[k/64] |= m
	b.n++
	u.at = int(k)
	return true, true
}

// closedUndo is what one [closedSet.add] changed, for [closedSet.undo] to
// take it back: the set is then as if the id had not been added (the same
// bitmaps and tables, of the same sizes, so that the ids added after are
// kept as they would have been).
type closedUndo struct {
	at        int      // the bit (counter) or slot (hash) set; -1: none
	bitmap    int      // the bitmap the add set a bit in or appended, +1 (0: none)
	shard     int      // the shard the id was hashed into, +1 (0: not hashed)
	old       []uint64 // with grown, the bits of the bitmap, or the slots of the shard, before
	grown     bool     // the add replaced old
	newBitmap bool     // the add appended its bitmap to s.counters
}

// undo takes back the add that returned u. Adds are taken back last
// first: u must be that of the last add not taken back.
func (s *closedSet) undo(u closedUndo) {
	if u.shard > 0 { // hashed
		sh := &s.shards[u.shard-1]
		if u.at >= 0 {
			sh.slots[u.at] = 0
			sh.n--
			s.n--
			s.hashed--
		}
		if u.grown {
			sh.slots = u.old
		}
	} else if u.bitmap > 0 {
		b := &s.counters[u.bitmap-1]
		if u.at >= 0 {
			b.bits[u.at/64] &^= 1 << (u.at % 64)
			b.n--
			s.n--
		}
		if u.grown {
			b.bits = u.old
		}
	}
	if u.newBitmap { // the last one, whether the id went to it or was hashed
		s.counters[len(s.counters)-1] = closedCounters{}
		s.counters = s.counters[:len(s.counters)-1]
	}
}

const closedShards = 64

type closedShard struct {
	slots []uint64 // hashes; 0 is an empty slot (a hash of 0 is stored as 1)
	n     int
}

func (s *closedSet) hash(id string) uint64 {
	if !s.seeded {
		s.seed, s.seeded = maphash.MakeSeed(), true
	}
	return max(maphash.String(s.seed, id), 1)
}

// slot returns where h starts its probe in a table of size n: the low 58
// bits of h (the top 6 chose the shard) scaled to [0, n).
func slot(h uint64, n int) int {
	hi, _ := bits.Mul64(h<<6, uint64(n))
	return int(hi)
}

// has reports whether id may have been added (see the guarantee).
func (s *closedSet) has(id string) bool {
	if s.counted(id) {
		return true
	}
	if s.hashed == 0 {
		return false
	}
	h := s.hash(id)
	sh := &s.shards[h>>(64-6)]
	if len(sh.slots) == 0 {
		return false
	}
	for i := slot(h, len(sh.slots)); ; {
		switch sh.slots[i] {
		case 0:
			return false
		case h:
			return true
		}
		if i++; i == len(sh.slots) {
			i = 0
		}
	}
}

// add adds id; adding an id twice keeps one. It returns how to take the
// add back ([closedSet.undo]).
func (s *closedSet) add(id string) closedUndo {
	u := closedUndo{at: -1}
	if prefix, k, ok := counterID(id); ok {
		if done, new := s.addCounter(prefix, k, &u); done {
			if new {
				s.n++
			}
			return u
		}
	}
	h := s.hash(id)
	k := h >> (64 - 6)
	sh := &s.shards[k]
	u.bitmap, u.shard = 0, int(k)+1
	if len(sh.slots) == 0 {
		u.old, u.grown = sh.slots, true
		sh.slots = make([]uint64, int(math.Ceil(16*math.Exp2(float64(k)/closedShards))))
	} else if 5*(sh.n+1) > 4*len(sh.slots) {
		old := sh.slots
		u.old, u.grown = old, true
		sh.slots = make([]uint64, 2*len(old))
		for _, v := range old {
			if v != 0 {
				sh.insert(v)
			}
		}
	}
	if i, ok := sh.insert(h); ok {
		sh.n++
		s.n++
		s.hashed++
		u.at = i
	}
	return u
}

// insert puts h in its slot i and reports whether it was not there yet.
func (sh *closedShard) insert(h uint64) (i int, new bool) {
	for i := slot(h, len(sh.slots)); ; {
		switch sh.slots[i] {
		case 0:
			sh.slots[i] = h
			return i, true
		case h:
			return i, false
		}
		if i++; i == len(sh.slots) {
			i = 0
		}
	}
}

// falsePositive is the probability that a given id not in the set is
// reported by has: n/2⁶⁴ for the n hashed ids (0 for a counter id that a
// bitmap would have taken).
func (s *closedSet) falsePositive() float64 { return float64(s.hashed) / math.Exp2(64) }

// doubt is what the message about id, found by has, says of the chance
// that it was not added: nothing for a counter id that a bitmap holds
// (exact), else the chance of a hash collision.
func (s *closedSet) doubt(id string) string {
	if s.counted(id) {
		return ""
	}
	return fmt.Sprintf(" (the chance that its id merely shares a 64-bit hash with one of the %d conversations closed before is %.2g)",
		s.hashed, s.falsePositive())
}

// bytes is the memory of the tables and bitmaps.
func (s *closedSet) bytes() int {
	n := 0
	for _, b := range s.counters {
		n += 8 * cap(b.bits)
	}
	for i := range s.shards {
		n += 8 * len(s.shards[i].slots)
	}
	return n
}
