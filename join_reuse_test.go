package chatkpi

import (
	"io"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordsReader gives records held in memory, so that a test measures the
// Joiner's allocations only.
type recordsReader struct {
	recs []Record
	i    int
}

func (r *recordsReader) Next() (Record, error) {
	if r.i == len(r.recs) {
		return Record{}, io.EOF
	}
	r.i++
	return r.recs[r.i-1], nil
}

// groupedRecords returns the records of n conversations of k events each,
// grouped, each conversation's customer on its second line.
func groupedRecords(n, k int) []Record {
	t0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	var recs []Record
	for c := range n {
		id := "c" + strconv.Itoa(c)
		for e := range k {
			rec := Record{Line: len(recs) + 1, Info: Info{ID: id}, Event: Event{Time: t0.Add(time.Duration(e) * time.Second), Role: Agent, Type: Message, Agent: "ana"}}
			if e == 1 {
				rec.Info.Customer = "u" + id
			}
			recs = append(recs, rec)
		}
	}
	return recs
}

// TestJoinerReuseChats: with ReuseChats, Grouped yields the conversations
// it yields without, in one Chat whose memory is reused, and allocates
// nothing per event or conversation once it has the room of the largest.
func TestJoinerReuseChats(t *testing.T) {
	lineC3 := `{"conversation":"c3","time":"2026-01-05T10:03:00Z","role":"customer","type":"message","customer":"u3"}`
	lines := []string{lineM1, lineM3, lineM2, lineM1, lineC2, lineC3, lineC3}
	var want []*Chat
	for c, err := range (&Joiner{}).Grouped("", jsonlReader(t, lines...)) {
		require.NoError(t, err)
		want = append(want, c)
	}
	var got []*Chat
	j := &Joiner{ReuseChats: true}
	var first *Chat
	for c, err := range j.Grouped("", jsonlReader(t, lines...)) {
		require.NoError(t, err)
		if first == nil {
			first = c
		}
		if !parallelReading() { // else joined ahead, in the memory of a few batches (join_ahead.go)
			assert.Same(t, first, c, "one Chat, yielded again")
		}
		got = append(got, NewChat(c))
		_, line, ok := j.Line(c, 0)
		require.True(t, ok)
		assert.Positive(t, line)
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 1, j.Duplicates())

	const convs, events = 2000, 8
	allocs := func(reuse bool) float64 {
		recs := groupedRecords(convs, events)
		return testing.AllocsPerRun(5, func() {
			j := Joiner{ReuseChats: reuse}
			n := 0
			for c, err := range j.Grouped("", &recordsReader{recs: recs}) {
				if err != nil {
					t.Fatal(err)
				}
				n += len(c.Events)
			}
			require.Equal(t, convs*events, n)
		})
	}
	reused, own := allocs(true), allocs(false)
	t.Logf("allocations for %d conversations of %d events: %.0f with ReuseChats, %.0f without", convs, events, reused, own)
	assert.Less(t, reused, float64(convs)/3, "nothing per conversation but the growth of the set of closed ids")
	assert.Greater(t, own, float64(convs), "a Chat per conversation")
}

// TestJoinerConversationsReuseChats: with ReuseChats, Conversations yields
// the conversations it yields without, over many batches, grouped or
// interleaved; and its memory of the events is released as it goes.
func TestJoinerConversationsReuseChats(t *testing.T) {
	grouped := groupedRecords(3000, 7)
	interleaved := slices.Clone(grouped)
	for i := 0; i+14 <= len(interleaved); i += 14 { // two conversations at a time
		a, b := slices.Clone(interleaved[i:i+7]), slices.Clone(interleaved[i+7:i+14])
		for e := range 7 {
			interleaved[i+2*e], interleaved[i+2*e+1] = a[e], b[e]
		}
	}
	for i := range interleaved {
		interleaved[i].Line = i + 1
	}
	for name, recs := range map[string][]Record{"grouped": grouped, "interleaved": interleaved} {
		t.Run(name, func(t *testing.T) {
			read := func(reuse bool) (chats []*Chat, lines [][]int) {
				j := &Joiner{ReuseChats: reuse}
				require.NoError(t, j.Read("", &recordsReader{recs: recs}))
				for c := range j.Conversations() {
					var ls []int
					for i := -1; i < len(c.Events); i++ {
						_, l, ok := j.Line(c, i)
						require.True(t, ok)
						ls = append(ls, l)
					}
					chats, lines = append(chats, NewChat(c)), append(lines, ls)
				}
				return chats, lines
			}
			want, wantLines := read(false)
			got, gotLines := read(true)
			require.Len(t, got, 3000)
			assert.Equal(t, want, got)
			assert.Equal(t, wantLines, gotLines)
		})
	}
}

// TestJoinerConversationsReleaseInterleaved: with lines that interleave
// over a short span, Conversations releases each block of the store once
// the conversations of its events are yielded, long before the end.
func TestJoinerConversationsReleaseInterleaved(t *testing.T) {
	const convs, events = 4 * storeBlock / 8, 8 // four blocks
	recs := groupedRecords(convs, events)
	for i := 0; i+2*events <= len(recs); i += 2 * events { // two conversations at a time
		a, b := slices.Clone(recs[i:i+events]), slices.Clone(recs[i+events:i+2*events])
		for e := range events {
			recs[i+2*e], recs[i+2*e+1] = a[e], b[e]
		}
	}
	j := &Joiner{}
	require.NoError(t, j.Read("", &recordsReader{recs: recs}))
	n, releasedAt := 0, -1
	for c := range j.Conversations() {
		n++
		if releasedAt < 0 && j.store.blocks[0] == nil {
			releasedAt = n
		}
		require.Len(t, c.Events, events)
	}
	assert.Equal(t, convs, n)
	assert.Positive(t, releasedAt, "the first block is released")
	assert.Less(t, releasedAt, convs/2, "the first block is released before half the conversations are yielded")
}
