package chatkpi

import (
	"hash/maphash"
	"math"
	"math/bits"
)

// closedSet is the set of conversations a grouped reading ([Joiner.Grouped])
// has closed, kept as 64-bit hashes of their ids so that its memory does not
// depend on the ids' length.
//
// # Guarantee
//
// No false negatives: a conversation that comes back after it was closed is
// always found. False positives are possible: a new id whose hash equals that
// of one of the n ids in the set is taken for a closed one, with probability
// n/2⁶⁴ for that id (below 5.5·10⁻¹² for n = 10⁸), so a valid input of N
// conversations is rejected with probability below N²/2⁶⁵ (2.7·10⁻⁸ for
// N = 10⁶, 2.7·10⁻⁴ for N = 10⁸). The hashes are [maphash] with a seed drawn
// for each set, so a false positive does not repeat on the next run and
// cannot be provoked by crafted ids; [closedSet.falsePositive] gives the
// probability for the message.
//
// # Memory
//
// About 14.5 bytes per id: the hashes live in 64 shards (by the top 6 bits
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
	seed   maphash.Seed
	seeded bool
	n      int
	shards [closedShards]closedShard
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

// add adds id; adding an id twice keeps one.
func (s *closedSet) add(id string) {
	h := s.hash(id)
	k := h >> (64 - 6)
	sh := &s.shards[k]
	if len(sh.slots) == 0 {
		sh.slots = make([]uint64, int(math.Ceil(16*math.Exp2(float64(k)/closedShards))))
	} else if 5*(sh.n+1) > 4*len(sh.slots) {
		old := sh.slots
		sh.slots = make([]uint64, 2*len(old))
		for _, v := range old {
			if v != 0 {
				sh.insert(v)
			}
		}
	}
	if sh.insert(h) {
		sh.n++
		s.n++
	}
}

// insert puts h in its slot and reports whether it was not there yet.
func (sh *closedShard) insert(h uint64) bool {
	for i := slot(h, len(sh.slots)); ; {
		switch sh.slots[i] {
		case 0:
			sh.slots[i] = h
			return true
		case h:
			return false
		}
		if i++; i == len(sh.slots) {
			i = 0
		}
	}
}

// falsePositive is the probability that a given id not in the set is
// reported by has: n/2⁶⁴.
func (s *closedSet) falsePositive() float64 { return float64(s.n) / math.Exp2(64) }

// bytes is the memory of the tables.
func (s *closedSet) bytes() int {
	n := 0
	for i := range s.shards {
		n += 8 * len(s.shards[i].slots)
	}
	return n
}
