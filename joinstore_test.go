package chatkpi

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestEventStoreRoundTrip: an event held by the store comes back equal in
// every field, whatever its time zone, score, money, strings and flags.
func TestEventStoreRoundTrip(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -9*3600-1800), time.Local}
	var many []*time.Location // more zones than the compact form holds
	for m := range wholeZone + 44 {
		many = append(many, time.FixedZone("", 60*m))
	}
	if got := unsafe.Sizeof(packedEvent{}); got != 24 {
		t.Errorf("a packed event is %d bytes", got)
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 200).Draw(t, "events")
		spread := rapid.Bool().Draw(t, "many zones")                  // event i in zone i
		lo, hi := int64(-62135596800), int64(253402300799)            // the years 1–9999
		lineOf := func(i int) lineRef { return newLineRef(i%3, i+1) } // lines of 3 inputs, unordered
		if spread {
			n += len(many)
			lineOf = func(i int) lineRef { return newLineRef(0, i+1) }
		}
		if spread || rapid.Bool().Draw(t, "recent") {
			lo, hi = 0, 4102444800 // 1970–2099, in int64 nanoseconds
		}
		var s eventStore
		want := make([]Event, n)
		for i := range want {
			e := Event{
				Time: time.Unix(rapid.Int64Range(lo, hi).Draw(t, "sec"), rapid.Int64Range(0, 999999999).Draw(t, "nsec")).
					In(rapid.SampledFrom(zones).Draw(t, "zone")),
				Type:      EventType(rapid.IntRange(0, int(Opened)).Draw(t, "type")),
				Role:      Role(rapid.SampledFrom([]int{0, 1, 2, 3, 4, 8, 255}).Draw(t, "role")), // a custom reader's too
				Survey:    Survey(rapid.SampledFrom([]int{0, 1, 2, 3, 4, 255}).Draw(t, "survey")),
				Score:     rapid.SampledFrom([]int8{0, 5, -3, math.MaxInt8, math.MinInt8}).Draw(t, "score"),
				Agent:     rapid.SampledFrom([]string{"", "ana", "bo"}).Draw(t, "agent"),
				Currency:  rapid.SampledFrom([]string{"", "EUR"}).Draw(t, "currency"),
				Private:   rapid.Bool().Draw(t, "private"),
				Automatic: rapid.Bool().Draw(t, "automatic"),
				Helpful:   rapid.Bool().Draw(t, "helpful"),
				ID:        rapid.SampledFrom([]string{"", "m1", "m2"}).Draw(t, "id"),
			}
			if rapid.Bool().Draw(t, "money") {
				e.Value = decimal.New(rapid.Int64().Draw(t, "units"), int32(rapid.IntRange(-4, 2).Draw(t, "exp")))
			}
			if spread { // else compact: only the zones overflow
				e.Time, e.Role, e.Survey, e.Currency, e.Value = e.Time.In(many[i%len(many)]), Agent, 0, "", decimal.Decimal{}
			}
			want[i] = e
			if err := s.add(&want[i], lineOf(i)); err != nil {
				t.Fatal(err)
			}
		}
		for i := range want {
			p := s.at(i)
			if got := s.event(i); !reflect.DeepEqual(got, want[i]) {
				t.Fatalf("event %d: %+v, want %+v", i, got, want[i])
			}
			if s.lineOf(i, p) != lineOf(i) {
				t.Fatalf("event %d: line %v", i, s.lineOf(i, p))
			}
		}
	})
}

// TestEventStoreAllocations: holding events allocates only blocks and the
// tables' growth, not per event.
func TestEventStoreAllocations(t *testing.T) {
	var s eventStore
	e := Event{Time: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), Type: Message, Role: Agent, Agent: "ana"}
	allocs := testing.AllocsPerRun(4, func() {
		for i := range storeBlock {
			if err := s.add(&e, newLineRef(0, i+1)); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs > 2 {
		t.Errorf("%.1f allocations per %d events", allocs, storeBlock)
	}
	for _, i := range []int{0, storeBlock - 1, storeBlock, s.n - 1} { // across blocks
		if got := s.event(i); !reflect.DeepEqual(got, e) || s.lineOf(i, s.at(i)).line() != i%storeBlock+1 {
			t.Errorf("event %d: %+v, line %d", i, got, s.lineOf(i, s.at(i)).line())
		}
	}
}

// pointerFree reports whether values of t hold no pointer for the garbage
// collector to scan.
func pointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Array:
		return t.Len() == 0 || pointerFree(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// What a Joiner holds per event and per conversation has no pointer, so
// that the collector does not scan it (and the sizes the docs state).
func TestHeldIsPointerFree(t *testing.T) {
	for _, v := range []any{packedEvent{}, held{}, packedRecord{}} {
		typ := reflect.TypeOf(v)
		if !pointerFree(typ) {
			t.Errorf("%v holds pointers", typ)
		}
	}
	if s := reflect.TypeOf(held{}).Size(); s != 48 {
		t.Errorf("held: %d bytes, not 48", s)
	}
	if s := reflect.TypeOf(packedEvent{}).Size(); s != 24 {
		t.Errorf("packedEvent: %d bytes, not 24", s)
	}
	if s := reflect.TypeOf(packedRecord{}).Size(); s != 56 {
		t.Errorf("packedRecord: %d bytes, not 56", s)
	}
}

// heldTexts gives back each text added, short or longer than a page, over
// several pages.
func TestHeldTexts(t *testing.T) {
	var ts heldTexts
	texts := []string{"c1", "", strings.Repeat("x", 200), strings.Repeat("y", textPage+5), "u42"}
	for round := range 3000 {
		if round == 1 {
			texts[3] = "" // one page of its own is enough
		}
		var wheres []uint64
		for _, s := range texts {
			wheres = append(wheres, addText(&ts, s))
		}
		for i, w := range wheres {
			if got := string(ts.text(w)); got != texts[i] {
				t.Fatalf("round %d, text %d: %.20q…, want %.20q…", round, i, got, texts[i])
			}
			if got := ts.str(w); got != texts[i] {
				t.Fatalf("round %d, text %d as a string: %.20q…, want %.20q…", round, i, got, texts[i])
			}
		}
		if round == 0 && wheres[1] != 0 {
			t.Fatalf("the empty text is at %d, not 0", wheres[1])
		}
	}
}
