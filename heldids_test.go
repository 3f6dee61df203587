package chatkpi

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

// heldIDs numbers ids as a map does, in order of first appearance, whatever
// mix of counters (of many prefixes, spread or dense, with leading zeros)
// and other ids, from bytes or strings, with or without a hash kept ahead.
func TestHeldIDsNumberInOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefixes := []string{"c", "", "conv-", "x"}
		for i := range closedPrefixes + 2 { // more than get pages
			prefixes = append(prefixes, "p"+strconv.Itoa(i)+"_")
		}
		spread := rapid.SampledFrom([]uint64{50, 5000, 1 << 22, 1 << 40, 1e18 - 1}).Draw(t, "spread")
		id := rapid.OneOf(
			rapid.Custom(func(t *rapid.T) string {
				return rapid.SampledFrom(prefixes).Draw(t, "prefix") +
					strconv.FormatUint(spread-rapid.Uint64Range(0, spread).Draw(t, "counter"), 10) // rapid draws small numbers more
			}),
			rapid.SampledFrom([]string{"c007", "c0", "00", "c", "conversation-a", "", "c1x", "9a", "ü3"}),
			rapid.StringN(0, 12, -1),
		)
		var h heldIDs
		want := map[string]int{}
		var ids []string
		if rapid.Bool().Draw(t, "pages nearly full") { // so that pages are refused, as past a million ids
			for i := range heldSlack / counterPage {
				ids = append(ids, prefixes[i%3]+strconv.Itoa(i*counterPage))
			}
		}
		var ahead idHash
		pool := rapid.SliceOfN(id, 1, 100).Draw(t, "pool")                                         // so that ids come back
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(pool)-1), 1, 2000).Draw(t, "ids") { // of the pool
			ids = append(ids, pool[i])
		}
		for _, s := range ids {
			useAhead := rapid.Bool().Draw(t, "ahead")
			if useAhead {
				prefetchHeldID(&h, []byte(s), &ahead)
			}
			var k int
			var added bool
			switch {
			case useAhead:
				k, added = numberHeld(&h, []byte(s), &ahead)
			case len(s)%2 == 0:
				k, added = numberHeld(&h, s, nil)
			default:
				k, added = numberHeld(&h, []byte(s), nil)
			}
			w, seen := want[s]
			if !seen {
				w = len(want)
				want[s] = w
			}
			if k != w || added == seen {
				t.Fatalf("%q: number %d, added %v; want %d, %v", s, k, added, w, !seen)
			}
		}
		if h.n != len(want) {
			t.Fatalf("%d ids numbered, want %d", h.n, len(want))
		}
	})
}

// Counters take pages and not the hash table while the bounds allow it,
// in any order: a million conversations numbered 0 … 999,999 shuffled take
// no hash and about 4 bytes each; counters spread too thinly go to the
// table, and both kinds keep their numbers.
func TestHeldIDsCounterPages(t *testing.T) {
	const n = 1_000_000
	var h heldIDs
	order := rand.New(rand.NewPCG(1, 2)).Perm(n)
	for i, c := range order {
		if k, added := numberHeld(&h, "c"+strconv.Itoa(c), nil); k != i || !added {
			t.Fatalf("c%d: %d, %v; want %d, true", c, k, added, i)
		}
	}
	if h.hashed.len() != 0 || h.prefixes[0].spilled {
		t.Fatalf("%d of %d dense counters hashed", h.hashed.len(), n)
	}
	if h.pages != (n+counterPage-1)/counterPage {
		t.Fatalf("%d pages for %d counters", h.pages, n)
	}
	for i, c := range order[:1000] {
		if k, added := numberHeld(&h, []byte("c"+strconv.Itoa(c)), nil); k != i || added {
			t.Fatalf("c%d again: %d, %v; want %d, false", c, k, added, i)
		}
	}

	// 4,000 counters spread over 3,000 pages' span: the pages stop at the
	// bound on memory, 4 counters an id plus heldSlack, and the others are
	// hashed.
	var s heldIDs
	r := rand.New(rand.NewPCG(3, 4))
	ids := make([]string, 4000)
	for i := range ids {
		ids[i] = "t" + strconv.Itoa(r.IntN(3000*counterPage))
	}
	seen := map[string]int{}
	for _, id := range ids {
		k, _ := numberHeld(&s, id, nil)
		if w, ok := seen[id]; ok && k != w {
			t.Fatalf("%s: %d, then %d", id, w, k)
		}
		seen[id] = k
	}
	if s.hashed.len() == 0 || !s.prefixes[0].spilled {
		t.Fatal("no counter hashed")
	}
	if limit := (4*s.n + heldSlack) / counterPage; s.pages > limit+1 {
		t.Fatalf("%d pages, more than the bound %d", s.pages, limit)
	}
	for _, id := range ids {
		if k, added := numberHeld(&s, id, nil); k != seen[id] || added {
			t.Fatalf("%s again: %d, %v; want %d", id, k, added, seen[id])
		}
	}
}

// counterOf splits an id into its prefix and a counter without a leading
// zero, below 10¹⁸, and reads bytes as it reads a string.
func TestCounterOf(t *testing.T) {
	for _, c := range []struct {
		id     string
		prefix string
		k      uint64
		ok     bool
	}{
		{"c0", "c", 0, true}, {"c41", "c", 41, true}, {"conv-123", "conv-", 123, true}, {"0", "", 0, true},
		{"7", "", 7, true}, {"999999999999999999", "", 999999999999999999, true},
		{"x123456789012345678", "x", 123456789012345678, true}, {"a9b8", "a9b", 8, true}, {"ü3", "ü", 3, true},
		{"", "", 0, false}, {"c", "", 0, false}, {"c01", "", 0, false}, {"00", "", 0, false}, {"c1x", "", 0, false},
		{"1000000000000000000", "", 0, false}, {"x1234567890123456789", "", 0, false}, {"c18446744073709551615", "", 0, false},
	} {
		prefix, k, ok := counterID(c.id)
		assert.Equal(t, []any{c.prefix, c.k, c.ok}, []any{prefix, k, ok}, "%q", c.id)
		at, k2, ok2 := counterOf([]byte(c.id))
		assert.Equal(t, []any{len(c.prefix), c.k, c.ok}, []any{at, k2, ok2}, "%q as bytes", c.id)
	}
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.StringMatching(`[a-c0-9-]{0,3}[0-9]{0,20}`).Draw(t, "id")
		at, k, ok := counterOf(id)
		digits := strings.TrimRight(id, "0123456789")
		digits = id[len(digits):]
		want, err := strconv.ParseUint(digits, 10, 64)
		wantOK := err == nil && len(digits) <= 18 && (len(digits) == 1 || digits[0] != '0')
		if ok != wantOK || ok && (at != len(id)-len(digits) || k != want) {
			t.Fatalf("%q: counterOf %d %d %v; want %d %d %v", id, at, k, ok, len(id)-len(digits), want, wantOK)
		}
	})
}
