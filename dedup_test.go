package chatkpi

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// genNearEvent draws events from small pools, so that two draws are often
// equal or differ in one field.
func genNearEvent(t *rapid.T, label string) Event {
	base := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	zone := rapid.SampledFrom([]*time.Location{time.UTC, time.FixedZone("", 3600)}).Draw(t, label+"zone")
	return Event{
		Time:      base.Add(time.Duration(rapid.IntRange(0, 1).Draw(t, label+"time"))).In(zone),
		Role:      Role(rapid.IntRange(int(Customer), int(Agent)).Draw(t, label+"role")),
		Type:      EventType(rapid.IntRange(int(Message), int(Handoff)).Draw(t, label+"type")),
		Agent:     rapid.SampledFrom([]string{"", "a"}).Draw(t, label+"agent"),
		Survey:    Survey(rapid.IntRange(0, 1).Draw(t, label+"survey")),
		Score:     int8(rapid.IntRange(0, 1).Draw(t, label+"score")),
		Value:     rapid.SampledFrom([]decimal.Decimal{{}, decimal.RequireFromString("1.5"), decimal.RequireFromString("1.50"), decimal.New(2, 0)}).Draw(t, label+"value"),
		Currency:  rapid.SampledFrom([]string{"", "EUR"}).Draw(t, label+"currency"),
		Helpful:   rapid.Bool().Draw(t, label+"helpful"),
		Private:   rapid.Bool().Draw(t, label+"private"),
		Automatic: rapid.Bool().Draw(t, label+"automatic"),
		ID:        rapid.SampledFrom([]string{"", "x"}).Draw(t, label+"id"),
	}
}

// TestEventKeyIsEventDiff: the comparable key of DropIdentical and the
// field-by-field comparison of ids are one rule.
func TestEventKeyIsEventDiff(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genNearEvent(t, "a"), genNearEvent(t, "b")
		diff := eventDiff(&a, &b)
		require.Equal(t, diff == "", keyOf(&a) == keyOf(&b), "diff %q", diff)
		require.Equal(t, diff, eventDiff(&b, &a), "symmetric")
		if diff != "" {
			require.NotEqual(t, fieldText(&a, diff), fieldText(&b, diff), "the message shows the difference")
		}
	})
}

func TestEventDiffNamesEveryField(t *testing.T) {
	require.Equal(t, 12, reflect.TypeOf(Event{}).NumField(),
		"a new field of Event must be compared by keyOf and named by eventDiff and fieldText")
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	base := Event{Time: at, Role: Customer, Type: Message, ID: "x"}
	for want, change := range map[string]func(*Event){
		"":          func(e *Event) { e.Time = at.In(time.FixedZone("", 7200)); e.ID = "y" },
		"time":      func(e *Event) { e.Time = at.Add(1) },
		"role":      func(e *Event) { e.Role = Bot },
		"type":      func(e *Event) { e.Type = Left },
		"agent":     func(e *Event) { e.Agent = "a" },
		"survey":    func(e *Event) { e.Survey = CESSurvey },
		"score":     func(e *Event) { e.Score = 3 },
		"value":     func(e *Event) { e.Value = decimal.New(1, -2) },
		"currency":  func(e *Event) { e.Currency = "EUR" },
		"helpful":   func(e *Event) { e.Helpful = true },
		"private":   func(e *Event) { e.Private = true },
		"automatic": func(e *Event) { e.Automatic = true },
	} {
		e := base
		change(&e)
		assert.Equal(t, want, eventDiff(&base, &e))
	}
}

func TestClosedSetFindsEveryClosedID(t *testing.T) {
	var s closedSet
	assert.False(t, s.has("a"))
	const n = 200_000
	for i := range n {
		s.add("c" + strconv.Itoa(i) + "x") // not a counter: hashed
		if i%50_000 == 0 {
			s.add("c0x") // again: kept once
		}
	}
	assert.Equal(t, n, s.n)
	for i := range n {
		if !s.has("c" + strconv.Itoa(i) + "x") {
			t.Fatalf("c%d not found", i)
		}
	}
	// A new id is found with probability n/2⁶⁴ each (5e-15 here): none of
	// these may be.
	for i := range n {
		if s.has("d" + strconv.Itoa(i) + "x") {
			t.Fatalf("d%d taken for a closed id", i)
		}
	}
	assert.InDelta(t, float64(n)/(1<<64), s.falsePositive(), 1e-25)
}

// TestClosedSetMemory checks the README's figure: at most 16 bytes per hashed id
// from a few thousand ids on, about 14.5 on average, because the shards
// double at different times.
func TestClosedSetMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 2 M ids")
	}
	var s closedSet
	worst, sum, samples := 0.0, 0.0, 0
	for i := range 2_000_000 {
		s.add("conversation-" + strconv.Itoa(i) + "x") // hashed (a counter costs a bit)
		if n := i + 1; n >= 5000 && n%997 == 0 {
			perID := float64(s.bytes()) / float64(n)
			worst = max(worst, perID)
			sum += perID
			samples++
		}
	}
	mean := sum / float64(samples)
	t.Logf("bytes per id: worst %.2f, mean %.2f", worst, mean)
	assert.LessOrEqual(t, worst, 16.0)
	assert.InDelta(t, 14.5, mean, 0.5)
}

// FuzzJoin checks the joining of any JSON Lines input against itself: cut
// into two inputs at any line it gives the same conversations and
// duplicates as whole (or fails as whole does); read twice with
// DropIdentical it gives the conversations of once, every line of the
// second copy a duplicate; and when the grouped reading accepts it, it
// gives the conversations of the holding one; with ReuseChats, both give
// the same conversations.
func FuzzJoin(f *testing.F) {
	f.Add([]byte(lineM1+"\n"+lineM2+"\n"+lineC2+"\n"+lineM1+"\n"+lineM3), uint(2), false)
	f.Add([]byte(lineNo1+"\n"+lineNo1+"\n"+lineC2), uint(1), true)
	f.Add([]byte(lineM1+"\n"+`{"conversation":"c1","id":"m1","time":"2026-01-05T10:00:00Z","role":"agent","type":"message"}`), uint(1), false)
	f.Add([]byte(lineM1+"\n"+`{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","customer":"u2"}`), uint(1), false)
	f.Fuzz(func(t *testing.T, data []byte, cut uint, identical bool) {
		lines := bytes.SplitAfter(data, []byte{'\n'})
		at := int(cut % uint(len(lines)+1))
		read := func(inputs ...[]byte) ([]*Chat, int, error) {
			j := Joiner{DropIdentical: identical}
			for i, in := range inputs {
				r, err := NewJSONLReader(bytes.NewReader(in))
				require.NoError(t, err)
				if err := j.Read(fmt.Sprint("in", i), r); err != nil {
					return nil, 0, err
				}
			}
			return slices.Collect(j.Conversations()), j.Duplicates(), nil
		}
		whole, dups, err := read(data)
		split, splitDups, splitErr := read(bytes.Join(lines[:at], nil), bytes.Join(lines[at:], nil))
		if (err == nil) != (splitErr == nil) {
			t.Fatalf("whole: %v; cut at line %d: %v", err, at, splitErr)
		}
		if err != nil {
			return
		}
		require.Equal(t, whole, split)
		require.Equal(t, dups, splitDups)

		if identical {
			nl := data
			if len(nl) > 0 && nl[len(nl)-1] != '\n' {
				nl = append(bytes.Clone(nl), '\n')
			}
			twice, twiceDups, err := read(nl, nl)
			require.NoError(t, err)
			require.Equal(t, whole, twice)
			events := 0
			for _, c := range whole {
				events += len(c.Events)
			}
			require.Equal(t, 2*dups+events, twiceDups, "every line of the second copy is a duplicate")
		}

		// Reusing the chats' memory changes nothing but their lifetime.
		k := Joiner{DropIdentical: identical, ReuseChats: true}
		r, err := NewJSONLReader(bytes.NewReader(data))
		require.NoError(t, err)
		require.NoError(t, k.Read("", r))
		var reused []*Chat
		for c := range k.Conversations() {
			reused = append(reused, NewChat(c))
		}
		require.Equal(t, whole, reused)

		for _, reuse := range []bool{false, true} {
			j := Joiner{DropIdentical: identical, ReuseChats: reuse}
			r, err := NewJSONLReader(bytes.NewReader(data))
			require.NoError(t, err)
			var grouped []*Chat
			for c, err := range j.Grouped("", r) {
				if err != nil {
					return // not grouped
				}
				grouped = append(grouped, NewChat(c))
			}
			require.Equal(t, whole, grouped)
			require.Equal(t, dups, j.Duplicates())
		}
	})
}
