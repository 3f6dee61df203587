package chatkpi

import (
	"hash/maphash"
	"reflect"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

func TestCounterID(t *testing.T) {
	for _, c := range []struct {
		id     string
		prefix string
		k      uint64
		ok     bool
	}{
		{"c0", "c", 0, true},
		{"c41", "c", 41, true},
		{"conv-123", "conv-", 123, true},
		{"7", "", 7, true},
		{"a1b22", "a1b", 22, true},
		{"c007", "", 0, false}, // a leading zero: "c7" is another id
		{"c00", "", 0, false},  // likewise
		{"abc", "", 0, false},  // no counter
		{"", "", 0, false},     // empty
		{"c999999999999999999", "c", 999_999_999_999_999_999, true},
		{"c1000000000000000000", "", 0, false}, // 19 digits
	} {
		prefix, k, ok := counterID(c.id)
		assert.Equal(t, c.ok, ok, c.id)
		if c.ok {
			assert.Equal(t, c.prefix, prefix, c.id)
			assert.Equal(t, c.k, k, c.id)
		}
	}
}

// TestClosedSetCounters checks that numbered ids go to the bitmaps, exactly
// (no hash: no false positive), at about a bit each, and that the rest are
// hashed: a counter far beyond its bitmap, leading zeros, a prefix beyond
// closedPrefixes.
func TestClosedSetCounters(t *testing.T) {
	var s closedSet
	const n = 1_000_000
	for i := range n {
		s.add("c" + strconv.Itoa(i))
	}
	assert.Equal(t, n, s.n)
	assert.Zero(t, s.hashed)
	assert.Zero(t, s.falsePositive())
	assert.LessOrEqual(t, s.bytes(), 160<<10, "about n/8 bytes")
	assert.True(t, s.has("c0"))
	assert.True(t, s.has("c999999"))
	assert.False(t, s.has("c1000000"))
	assert.False(t, s.has("c00"))
	assert.False(t, s.has("d5"))

	s.add("c1000000000") // far beyond the bitmap: hashed
	s.add("c0005")       // not a counter
	for p := range closedPrefixes {
		s.add("p" + strconv.Itoa(p) + "-1")
	}
	assert.Equal(t, 3, s.hashed, "two ids, and one prefix past closedPrefixes")
	assert.Equal(t, n+2+closedPrefixes, s.n)
	for _, id := range []string{"c1000000000", "c0005", "p0-1", "p14-1", "p15-1"} {
		assert.True(t, s.has(id), id)
	}
	assert.False(t, s.has("c5000000"))
	s.add("c5") // again: kept once
	assert.Equal(t, n+2+closedPrefixes, s.n)
}

// TestClosedSetIsASet checks the set against a map, on ids mixing counters
// of a few prefixes (dense and sparse), leading zeros and other ids: every
// id added is found, and an id not added is not (no hash collision among
// so few ids: a failure would be a bug, with probability below 2⁻⁵⁰).
func TestClosedSetIsASet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s closedSet
		added := map[string]bool{}
		id := rapid.Custom(func(t *rapid.T) string {
			prefix := rapid.SampledFrom([]string{"", "c", "conv-", "x9y", "p1", "p2", "p3"}).Draw(t, "prefix")
			switch rapid.IntRange(0, 3).Draw(t, "form") {
			case 0:
				return prefix + strconv.Itoa(rapid.IntRange(0, 300).Draw(t, "k"))
			case 1:
				return prefix + strconv.FormatUint(rapid.Uint64Range(0, 1e18).Draw(t, "big"), 10)
			case 2:
				return prefix + "0" + strconv.Itoa(rapid.IntRange(0, 99).Draw(t, "k"))
			}
			return prefix + rapid.StringMatching(`[a-z0-9]{0,4}`).Draw(t, "rest")
		})
		for range rapid.IntRange(0, 200).Draw(t, "steps") {
			x := id.Draw(t, "id")
			if rapid.Bool().Draw(t, "add") {
				s.add(x)
				added[x] = true
			}
			if s.has(x) != added[x] {
				t.Fatalf("has(%q) = %v, added %v", x, s.has(x), added[x])
			}
		}
		if s.n != len(added) {
			t.Fatalf("n = %d, %d ids added", s.n, len(added))
		}
		for x := range added {
			if !s.has(x) {
				t.Fatalf("%q added, not found", x)
			}
		}
	})
}

// TestClosedSetUndo checks that taking adds back, newest first, leaves the
// set as it was before them — the same bitmaps, of the same capacity, and
// tables of the same sizes — so that adding other ids then gives the set
// that adding those alone gives: counters near and far (a bitmap grows, or
// the id is hashed), more prefixes than get a bitmap, other ids, enough of
// them that tables double.
func TestClosedSetUndo(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.Custom(func(t *rapid.T) string {
			prefix := "p" + strconv.Itoa(rapid.IntRange(0, closedPrefixes+3).Draw(t, "prefix"))
			switch rapid.IntRange(0, 3).Draw(t, "form") {
			case 0:
				return prefix + strconv.Itoa(rapid.IntRange(0, 1000).Draw(t, "k"))
			case 1:
				return prefix + strconv.Itoa(rapid.IntRange(0, 3*closedSlack).Draw(t, "far"))
			}
			return rapid.StringMatching(`[a-z]{1,6}`).Draw(t, "other")
		})
		kept := rapid.SliceOfN(id, 0, 1500).Draw(t, "kept")
		taken := rapid.SliceOfN(id, 0, 1500).Draw(t, "taken back")
		after := rapid.SliceOfN(id, 0, 500).Draw(t, "after")
		var s, want closedSet
		s.seed, s.seeded = maphash.MakeSeed(), true
		want.seed, want.seeded = s.seed, true
		for _, x := range kept {
			s.add(x)
			want.add(x)
		}
		var undo []closedUndo
		for _, x := range taken {
			undo = append(undo, s.add(x))
		}
		for k := len(undo) - 1; k >= 0; k-- {
			s.undo(undo[k])
		}
		same := func(stage string) {
			if len(s.counters) != len(want.counters) || !reflect.DeepEqual(s.shards, want.shards) || s.n != want.n || s.hashed != want.hashed {
				t.Fatalf("%s: the set differs from that of the ids added alone", stage)
			}
			for i := range s.counters {
				if !reflect.DeepEqual(s.counters[i], want.counters[i]) {
					t.Fatalf("%s: bitmap %q differs", stage, s.counters[i].prefix)
				}
				if cap(s.counters[i].bits) != cap(want.counters[i].bits) {
					t.Fatalf("%s: bitmap %q: capacity %d, want %d", stage, s.counters[i].prefix, cap(s.counters[i].bits), cap(want.counters[i].bits))
				}
			}
		}
		same("taken back")
		for _, x := range after {
			s.add(x)
			want.add(x)
		}
		same("then added")
	})
}
