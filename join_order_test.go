package chatkpi

import (
	"bytes"
	"fmt"
	"testing"
)

// TestHeldLinks: the links of the events held make each conversation's
// events in reading order, all of them once, whether their lines are
// interleaved, grouped or both, over several blocks, packed or not.
func TestHeldLinks(t *testing.T) {
	for _, n := range []int{1, 5, storeBlock, 3*storeBlock + 7} {
		for _, spread := range []int{1, 3, 7919} {
			var lines bytes.Buffer
			want := map[string][]int{} // per conversation, its lines
			for i := range n {
				id := fmt.Sprintf("c%d", (i*spread/3)%(n/3+1))
				extra := ""
				if i%5 == 0 {
					extra = `,"customer":"u1","channel":"chat"` // packed with its conversation's fields
				}
				if i%11 == 0 {
					extra = `,"id":"e` + fmt.Sprint(i) + `"` // a Record
				}
				fmt.Fprintf(&lines, `{"conversation":"%s","time":"2026-01-05T10:00:%02dZ","role":"customer","type":"message"%s}`+"\n", id, i%60, extra)
				want[id] = append(want[id], i+1)
			}
			for _, size := range []int{0, chunkBytes} { // Records one by one, or packed
				r, err := NewJSONLReader(bytes.NewReader(lines.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				r.ra.size = size
				var j Joiner
				if err := j.Read("", r); err != nil {
					t.Fatal(err)
				}
				seen, events := make([]bool, j.store.n), 0
				for k := range j.nheld {
					c := j.conv(k)
					id := string(j.texts.text(c.id))
					i := int(c.first)
					for e := range int(c.n) {
						if seen[i] {
							t.Fatalf("%d lines, spread %d, chunks of %d: event %d twice", n, spread, size, i)
						}
						seen[i] = true
						p := j.store.at(i)
						if line := j.store.lineOf(i, p).line(); e >= len(want[id]) || line != want[id][e] {
							t.Fatalf("%d lines, spread %d, chunks of %d: %s's event %d is line %d, want %v", n, spread, size, id, e, line, want[id])
						}
						i = int(p.next)
					}
					if events += int(c.n); int(c.n) != len(want[id]) {
						t.Fatalf("%s: %d events, want %d", id, c.n, len(want[id]))
					}
				}
				if events != n || j.store.n != n {
					t.Fatalf("%d lines: %d events linked, %d held", n, events, j.store.n)
				}
			}
		}
	}
}

func jsonlReaderOf(t *testing.T, data []byte) EventReader {
	t.Helper()
	r, err := NewJSONLReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
