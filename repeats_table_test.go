package chatkpi

import (
	"fmt"
	"reflect"

	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestCustomerIDsSharedHash: ids whose hashes are equal (forced here; real
// ids practically never share 64 bits) are told apart by their bytes, and
// each is found, cloned and listed once.
func TestCustomerIDsSharedHash(t *testing.T) {
	var ids customerIDs
	all := []string{"a", "b", strings.Repeat("x", 40), strings.Repeat("x", 39), "", strings.Repeat("y", idPage+5), "e"} // one larger than a page
	for i, id := range all {
		require.Equal(t, -1, ids.find(7, id), id)
		require.Equal(t, i, ids.add(7, id))
	}
	check := func(ids *customerIDs) {
		t.Helper()
		for i, id := range all {
			require.Equal(t, i, ids.find(7, id), id)
			require.Equal(t, id, string(ids.list()[i]))
		}
		require.Equal(t, -1, ids.find(7, "c"))
		require.Equal(t, -1, ids.find(7, strings.Repeat("x", 41)))
		var seen []string
		for _, id := range ids.all() {
			seen = append(seen, string(id))
		}
		require.Equal(t, all, seen)
		require.Equal(t, len(all), ids.len())
	}
	check(&ids)
	n := ids.clone()
	check(&n)
}

// TestCustomerIDsIsAMap checks customerIDs against a map: numbers given in
// order of first sight, every id found with its number through the growth
// of the table, unknown ids not found. The ids are kept in their slots up to
// 8 bytes and as records beyond: lengths around 8, and zero bytes, which
// an id kept in its slot is padded with ("a" is not "a\x00").
func TestCustomerIDsIsAMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var ids customerIDs
		want := map[string]int{}
		id := rapid.OneOf(rapid.StringMatching(`[a-c]{0,3}[0-9]{0,3}`),
			rapid.Map(rapid.SliceOfN(rapid.SampledFrom([]byte{'a', 0, 0xff}), 0, 11), func(b []byte) string { return string(b) }))
		for _, id := range rapid.SliceOf(id).Draw(t, "ids") {
			h := ids.hash(id)
			k, ok := want[id]
			if got := ids.find(h, id); ok && got != k || !ok && got != -1 {
				t.Fatalf("find(%q) = %d, want %d (known %v)", id, got, k, ok)
			}
			if !ok {
				want[id] = ids.add(h, id)
				if want[id] != len(want)-1 {
					t.Fatalf("%q numbered %d, want %d", id, want[id], len(want)-1)
				}
			}
		}
		if rapid.Bool().Draw(t, "reserve") {
			ids.reserve(3 * len(want))
		}
		for id, k := range want {
			if got := ids.find(ids.hash(id), id); got != k {
				t.Fatalf("after growing: find(%q) = %d, want %d", id, got, k)
			}
		}
		if 8*ids.len() > 7*len(ids.slots) {
			t.Fatalf("%d ids in %d slots", ids.len(), len(ids.slots))
		}
	})
}

// TestCustomerIDsNumberIsAMap checks number, which remembers the last id,
// against a map: ids drawn with runs of the same one and ids that differ in
// a byte or a length, numbered in order of first sight; remember (as the
// report's prefetch calls it) makes no difference.
func TestCustomerIDsNumberIsAMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var ids customerIDs
		want := map[string]int{}
		id := rapid.SampledFrom([]string{"", "a", "a\x00", "b", "u1", "u10", "u100000000", "u100000001", strings.Repeat("x", 40)})
		for _, id := range rapid.SliceOf(id).Draw(t, "ids") {
			k, ok := want[id]
			if !ok {
				k = len(want)
				want[id] = k
			}
			if ok && rapid.Bool().Draw(t, "remember") {
				ids.remember(id, k)
			}
			if got := ids.number(id); got != k {
				t.Fatalf("number(%q) = %d, want %d", id, got, k)
			}
		}
		for id, k := range want {
			if got := ids.find(ids.hash(id), id); got != k {
				t.Fatalf("find(%q) = %d, want %d", id, got, k)
			}
		}
	})
}

// TestCustomerIDsNumberAfterMissing checks number after rememberMissing
// (the report's prefetch found the id missing) against a map: the id is
// numbered next, once, and an id added in between by a merge (numbers) is
// not numbered twice.
func TestCustomerIDsNumberAfterMissing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var ids customerIDs
		want := map[string]int{}
		id := rapid.SampledFrom([]string{"a", "b", "u1", "u10", "u100000000", "u100000001", strings.Repeat("x", 40)})
		for _, id := range rapid.SliceOf(id).Draw(t, "ids") {
			h := ids.hash(id)
			if ids.find(h, id) < 0 {
				ids.rememberMissing(id, h)
			}
			if rapid.Bool().Draw(t, "merged first") {
				var o customerIDs
				o.number(id)
				ids.numbers(&o)
				if _, ok := want[id]; !ok {
					want[id] = len(want)
				}
			}
			k, ok := want[id]
			if !ok {
				k = len(want)
				want[id] = k
			}
			if got := ids.number(id); got != k {
				t.Fatalf("number(%q) = %d, want %d", id, got, k)
			}
		}
		if ids.len() != len(want) {
			t.Fatalf("%d ids, want %d", ids.len(), len(want))
		}
		for id, k := range want {
			if got := ids.find(ids.hash(id), id); got != k {
				t.Fatalf("find(%q) = %d, want %d", id, got, k)
			}
		}
	})
}

// TestCustomerIDsNumbersTranslates checks numbers, the translation of one
// table's customers into another's that merges use, against a map: every
// id of o gets its number in t, the ones new to t numbered after t's, in
// o's order, and t finds every id with its number afterwards. Over more
// ids than a batch of lookups, some in both tables, ids of every length
// (kept in their slots and as records), and o = t (the identity).
func TestCustomerIDsNumbersTranslates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.OneOf(rapid.StringMatching(`u[0-9]{1,3}`), rapid.StringMatching(`[a-c\x00]{0,12}`))
		var dst, src customerIDs
		want := map[string]int{}
		for _, id := range rapid.SliceOfN(id, 0, 3*idBatch).Draw(t, "dst") {
			if _, ok := want[id]; !ok {
				want[id] = dst.number(id)
			}
		}
		var order []string
		for _, id := range rapid.SliceOfN(id, 0, 3*idBatch).Draw(t, "src") {
			if src.find(src.hash(id), id) < 0 {
				src.number(id)
				order = append(order, id)
			}
		}
		if rapid.Bool().Draw(t, "self") {
			ks := dst.numbers(&dst)
			for id, k := range want {
				if ks[k] != k {
					t.Fatalf("self: %q numbered %d, want %d", id, ks[k], k)
				}
			}
			return
		}
		for _, id := range order {
			if _, ok := want[id]; !ok {
				want[id] = len(want)
			}
		}
		ks := dst.numbers(&src)
		if len(ks) != len(order) {
			t.Fatalf("%d numbers for %d ids", len(ks), len(order))
		}
		for k, id := range order {
			if ks[k] != want[id] {
				t.Fatalf("%q (%d in src) numbered %d, want %d", id, k, ks[k], want[id])
			}
		}
		if dst.len() != len(want) {
			t.Fatalf("%d ids, want %d", dst.len(), len(want))
		}
		for id, k := range want {
			if got := dst.find(dst.hash(id), id); got != k {
				t.Fatalf("find(%q) = %d, want %d", id, got, k)
			}
		}
	})
}

// TestCustomerIDsPages: ids fill page after page of records (never
// copied), and each is found with its number, listed in number order.
func TestCustomerIDsPages(t *testing.T) {
	var ids customerIDs
	const n = 100_000
	for k := range n {
		id := fmt.Sprint("u", k, strings.Repeat("z", k%11))
		require.Equal(t, k, ids.add(ids.hash(id), id))
	}
	require.Greater(t, len(ids.pages), 3)
	for i, p := range ids.pages {
		require.Equal(t, min(idPage, idFirstPage<<i), cap(p), "pages double, and are not reallocated")
	}
	list := ids.list()
	require.Len(t, list, n)
	for k := range n {
		id := fmt.Sprint("u", k, strings.Repeat("z", k%11))
		require.Equal(t, id, string(list[k]))
		require.Equal(t, k, ids.find(ids.hash(id), id))
	}
	k := 0
	for i, id := range ids.all() {
		require.Equal(t, k, i)
		require.Equal(t, list[i], id)
		k++
	}
	require.Equal(t, n, k)
}

// TestRepeatLedgerGrows: the ledger grows past its first table size and
// pool page and keeps every customer, each listed once, in the records'
// small segments.
func TestRepeatLedgerGrows(t *testing.T) {
	l := newRepeatLedger[*Outcomes](int64(1e9), false)
	var o Outcomes
	const n = 10_000 // more than two pages of single-word segments
	for i := range n {
		l.add(fmt.Sprint("customer-", i), int64(i), true, false, 0, &o, false)
	}
	require.Equal(t, n, l.ncust())
	require.Greater(t, len(l.ids.slots), n)
	require.Len(t, l.pool.pages, (n+poolPage-1)/poolPage)
	for k, id := range l.ids.all() {
		require.Equal(t, fmt.Sprint("customer-", k), string(id))
		var c customerRepeats[*Outcomes]
		c = *l.load(k, &c)
		require.Equal(t, []int64{int64(k)}, c.starts)
		require.Equal(t, int64(k), c.first)
		require.Equal(t, flagFirstIsStart|flagSegment, l.recs[k].flags)
		require.Zero(t, l.recs[k].class, "one word: the start, which is the first")
	}
}

func TestClassWords(t *testing.T) {
	var sizes []int
	for c := uint8(0); c < 16; c++ {
		sizes = append(sizes, classWords(c))
	}
	require.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32}, sizes)
	require.Equal(t, poolPage, classWords(poolClasses-1), "the largest class is a page")
	for n := 1; n < 3*poolPage; n += 1 + n/7 {
		c := classFor(n)
		require.GreaterOrEqual(t, classWords(c), n)
		require.True(t, c == 0 || classWords(c-1) < n, "the smallest class for %d", n)
	}
}

// TestRepeatRecordRoundTrip: any customer state saves and loads back as it
// was — states too long to pack (heavy, kept unpacked), dropped bounds, a
// first before the first start, target numbers of 15 bits or more (wide
// metas), shrinking and
// growing in place or not — and saving one customer leaves the others as
// they were.
func TestRepeatRecordRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := newRepeatLedger[*Outcomes](int64(1e9), true)
		targets := []*Outcomes{new(Outcomes), new(Outcomes), new(Outcomes)}
		if rapid.IntRange(0, 4).Draw(t, "wide") == 0 { // target numbers past 16 bits of meta: one a word
			for range 1 << 15 {
				l.target(new(Outcomes))
			}
		}
		state := rapid.Custom(func(t *rapid.T) customerRepeats[*Outcomes] {
			big := rapid.IntRange(0, 9).Draw(t, "size") == 0
			maxN := 6
			if big {
				maxN = rapid.SampledFrom([]int{30, 60, 300}).Draw(t, "big") // near heavyWords, past it
			}
			c := customerRepeats[*Outcomes]{first: rapid.Int64Range(-1e18, 1e18).Draw(t, "first"), dropStart: noInstant, dropOpen: noInstant,
				full: rapid.Bool().Draw(t, "full"), lost: rapid.Bool().Draw(t, "lost")}
			ns, no := rapid.IntRange(0, maxN).Draw(t, "ns"), rapid.IntRange(0, maxN/2).Draw(t, "no")
			for i := range ns {
				c.starts = append(c.starts, c.first+int64(i)*rapid.Int64Range(0, 1e9).Draw(t, "gap"))
			}
			if ns > 0 && rapid.Bool().Draw(t, "firstIsStart") {
				c.first = c.starts[0]
			}
			for range no {
				c.open = append(c.open, openResolution[*Outcomes]{at: rapid.Int64().Draw(t, "at"),
					to: rapid.SampledFrom(targets).Draw(t, "to"), pending: rapid.Bool().Draw(t, "pending")})
			}
			if rapid.Bool().Draw(t, "dropStart") {
				c.dropFrom, c.dropStart = rapid.Int64().Draw(t, "dropFrom"), rapid.Int64Range(math64Min+1, 1<<62).Draw(t, "dropStartAt")
			}
			if rapid.Bool().Draw(t, "dropOpen") {
				c.dropOpen = rapid.Int64Range(math64Min+1, 1<<62).Draw(t, "dropOpenAt")
			}
			return c
		})
		var want []customerRepeats[*Outcomes]
		for range rapid.IntRange(1, 30).Draw(t, "steps") {
			k := rapid.IntRange(0, len(want)).Draw(t, "customer")
			c := state.Draw(t, "state")
			if k == len(want) {
				c.k = l.ids.add(l.ids.hash(fmt.Sprint(k)), fmt.Sprint(k))
				l.recs = append(l.recs, repeatRecord{})
				want = append(want, c)
			}
			c.k = k
			want[k] = c
			l.save(&c)
			for j, w := range want {
				var got customerRepeats[*Outcomes]
				got = *l.load(j, &got)
				requireSameCustomer(t, w, got)
			}
		}
		n := l.clone(func(o *Outcomes) *Outcomes { return o })
		for j, w := range want {
			var got customerRepeats[*Outcomes]
			got = *n.load(j, &got)
			requireSameCustomer(t, w, got)
		}
	})
}

const math64Min = -1 << 63

func requireSameCustomer(t *rapid.T, want, got customerRepeats[*Outcomes]) {
	t.Helper()
	if len(want.starts) == 0 {
		want.starts = nil
	}
	if len(want.open) == 0 {
		want.open = nil
	}
	if len(got.starts) == 0 {
		got.starts = nil
	}
	if len(got.open) == 0 {
		got.open = nil
	}
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Fatalf("customer %d: saved %+v, loaded %+v", want.k, want, got)
	}
}

// TestRepeatLedgerCompacts: customers whose segments grow in step leave
// free segments of classes nobody needs any more; the pool compacts them
// away when a quarter of it is free, moving every segment in place, and
// each customer loads back as saved.
func TestRepeatLedgerCompacts(t *testing.T) {
	l := newRepeatLedger[*Outcomes](int64(1e9), true)
	to := new(Outcomes)
	const customers = 3000
	for k := range customers {
		l.number(fmt.Sprint(k))
	}
	state := func(k, n int) customerRepeats[*Outcomes] { return ledgerState(k, n, customers, to) }
	segments := 0
	for round := 1; round <= 12; round++ {
		for k := range customers {
			c := state(k, round)
			l.save(&c)
		}
		segments = 0
		for k := range customers {
			var got customerRepeats[*Outcomes]
			got = *l.load(k, &got)
			want := state(k, round)
			require.Equal(t, want.starts, got.starts, "customer %d, round %d", k, round)
			require.Equal(t, want.open, got.open, "customer %d, round %d", k, round)
			segments += classWords(l.recs[k].class)
		}
		require.LessOrEqual(t, 4*l.pool.freeWords, len(l.pool.pages)*poolPage+4*poolPage, "round %d", round)
	}
	pool := len(l.pool.pages) * poolPage
	t.Logf("%d words of segments in a pool of %d", segments, pool)
	require.Less(t, pool, segments*4/3+2*poolPage, "at most a third more than the segments")
}

// TestRepeatLedgerCompactsWhileGrowing: the pool compacts while a
// customer moves from its segment to a larger one. Four pages of one-word
// segments, a third of their customers then kept unpacked (heavy: their
// segments freed), and the last customer, whose segment is the last word
// of the pool, grows to two words: the pool is full and a third free, so
// it compacts, and every customer loads back as saved. (The compaction
// used to move that customer's old segment as if it had its new size
// already: reading past its page, or over the next segment.)
func TestRepeatLedgerCompactsWhileGrowing(t *testing.T) {
	l := newRepeatLedger[*Outcomes](int64(1e9), true)
	to := new(Outcomes)
	const customers = 4 * poolPage
	state := func(k, n int) customerRepeats[*Outcomes] { return ledgerState(k, n, customers, to) }
	size := make([]int, customers)
	save := func(k, n int) {
		size[k] = n
		c := state(k, n)
		l.save(&c)
	}
	for k := range customers {
		l.number(fmt.Sprint(k))
		save(k, 0) // one word: first
	}
	require.Len(t, l.pool.pages, 4)
	require.Equal(t, poolPage, l.pool.used)
	for k := 0; k < customers-1; k += 3 {
		save(k, 43) // heavy: 3·43 + 43 words > heavyWords
	}
	pages := len(l.pool.pages)
	save(customers-1, 1) // 1 start, 1 open resolution and its meta: 3 words
	require.Less(t, l.pool.freeWords, poolPage, "compacted")
	require.LessOrEqual(t, len(l.pool.pages), pages)
	for k, n := range size {
		var got customerRepeats[*Outcomes]
		got = *l.load(k, &got)
		want := state(k, n)
		require.Equal(t, want.first, got.first, "customer %d", k)
		require.Equal(t, want.starts, got.starts, "customer %d", k)
		require.Equal(t, want.open, got.open, "customer %d", k)
	}
}

// TestExtendTo: a per-customer slice extended customer by customer keeps
// its elements, has its new ones zero (also where a shorter slice of the
// same array was extended before), and is copied about log2(n) times, not
// some thirty times for a million as append's growth by a quarter does.
func TestExtendTo(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s []int64
		var want []int64
		for _, n := range rapid.SliceOfN(rapid.IntRange(0, 5000), 1, 30).Draw(t, "lengths") {
			if n < len(s) { // a shorter view of the same array, its tail written
				s, want = s[:n], want[:n]
				continue
			}
			before := len(s)
			s = extendTo(s, n)
			for len(want) < n {
				want = append(want, 0)
			}
			require.Equal(t, want, s)
			for i := before; i < n; i++ {
				s[i], want[i] = int64(i)+1, int64(i)+1 // written, as a ledger does
			}
		}
	})
	var s []uint64
	copies := 0
	for k := range 1_000_000 {
		if k >= cap(s) {
			copies++
		}
		s = extendTo(s, k+1)
		s[k] = uint64(k)
	}
	require.LessOrEqual(t, copies, 14) // 256, 512, …, 2^20
}

// ledgerState is customer k's state with n starts and n open resolutions
// (counted in to), distinct across the customers of a ledger of
// customers.
func ledgerState(k, n, customers int, to *Outcomes) customerRepeats[*Outcomes] {
	c := customerRepeats[*Outcomes]{k: k, first: int64(k), dropStart: noInstant, dropOpen: noInstant}
	for i := range n {
		c.starts = append(c.starts, int64(k+i*customers))
		c.open = append(c.open, openResolution[*Outcomes]{at: int64(k + i*customers + 1), to: to, pending: i%2 == 0})
	}
	return c
}

// reset leaves a used customerRepeats as the composite literal of an empty
// state would, every field (filled here by reflection, so that a field
// added later and not reset fails), keeping the slices' memory.
func TestCustomerRepeatsReset(t *testing.T) {
	var c customerRepeats[*Outcomes]
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
		switch f.Kind() {
		case reflect.Int, reflect.Int64:
			f.SetInt(7)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 4))
		default:
			t.Fatalf("field %s of kind %s: fill it here", v.Type().Field(i).Name, f.Kind())
		}
	}
	starts, open := c.starts, c.open
	c.reset(3, 42)
	want := customerRepeats[*Outcomes]{k: 3, first: 42, dropStart: noInstant, dropOpen: noInstant, starts: starts[:0], open: open[:0]}
	require.Equal(t, want, c)
	require.Equal(t, unsafe.SliceData(starts), unsafe.SliceData(c.starts), "the slices' memory kept")
}
