package chatkpi

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadAheadDepth: a reader reading ahead for a Joiner that holds the
// records (packed) keeps heldAheadChunks chunks in flight, otherwise
// aheadChunks.
func TestReadAheadDepth(t *testing.T) {
	line := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}` + "\n"
	data := []byte(strings.Repeat(line, 4*heldAheadChunks))
	for _, packed := range []bool{false, true} {
		r, err := NewJSONLReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		r.ra.size = len(line) // a chunk a line
		ra, _, _ := r.packedAhead()
		if ra == nil {
			t.Skip("no reading ahead on one core")
		}
		ra.packed = packed
		ra.fill(true)
		want := aheadChunks
		if packed {
			want = heldAheadChunks
		}
		if len(ra.ahead) != want {
			t.Errorf("packed %v: %d chunks in flight, want %d", packed, len(ra.ahead), want)
		}
		for _, c := range ra.ahead {
			<-c.done
		}
	}
}
