package chatkpi

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestEventStoreRoundTrip: an event held by the store comes back equal in
// every field, whatever its time zone, score, money, strings and flags.
func TestEventStoreRoundTrip(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -9*3600-1800), time.Local}
	rapid.Check(t, func(t *rapid.T) {
		var s eventStore
		n := rapid.IntRange(1, 200).Draw(t, "events")
		want := make([]Event, n)
		for i := range want {
			e := Event{
				Time: time.Unix(rapid.Int64Range(-62135596800, 253402300799).Draw(t, "sec"), rapid.Int64Range(0, 999999999).Draw(t, "nsec")).
					In(rapid.SampledFrom(zones).Draw(t, "zone")),
				Type:      EventType(rapid.IntRange(0, int(Opened)).Draw(t, "type")),
				Role:      Role(rapid.IntRange(0, int(System)).Draw(t, "role")),
				Survey:    Survey(rapid.IntRange(0, int(CESSurvey)).Draw(t, "survey")),
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
			want[i] = e
			if err := s.add(&want[i], i%7, newLineRef(i%3, i+1)); err != nil {
				t.Fatal(err)
			}
		}
		for i := range want {
			p := s.at(i)
			if got := s.event(p); !reflect.DeepEqual(got, want[i]) {
				t.Fatalf("event %d: %+v, want %+v", i, got, want[i])
			}
			if p.conv != uint32(i%7) || p.line != newLineRef(i%3, i+1) {
				t.Fatalf("event %d: conversation %d, line %v", i, p.conv, p.line)
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
			if err := s.add(&e, 0, newLineRef(0, i+1)); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs > 2 {
		t.Errorf("%.1f allocations per %d events", allocs, storeBlock)
	}
	for _, i := range []int{0, storeBlock - 1, storeBlock, s.n - 1} { // across blocks
		if got := s.event(s.at(i)); !reflect.DeepEqual(got, e) || s.at(i).line.line() != i%storeBlock+1 {
			t.Errorf("event %d: %+v, line %d", i, got, s.at(i).line.line())
		}
	}
}
