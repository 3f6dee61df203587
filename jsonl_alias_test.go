package chatkpi

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// decodeForJoiner decodes text as one chunk for a Joiner (packed), with a
// decoder d that it returns for decoding more chunks.
func decodeForJoiner(d *jsonDecoder, c *chunk, text string) {
	c.reset(true)
	c.text, c.line = append(c.text[:0], text...), 1
	c.dec = d
	d.decodeChunk(c)
}

// TestJSONLChunkRecordsOwnTheirStrings: the records that a chunk decoded
// for a Joiner keeps as Records (not packed) hold conversation ids and
// customers of their own, not strings sharing the chunk's text, which the
// next chunk is read into: those of a line that the common parse read but
// that packing refused (an extra field), and those of a line parsed
// otherwise after lines of the same conversation that the common parse
// read (whose last values it must not reuse).
func TestJSONLChunkRecordsOwnTheirStrings(t *testing.T) {
	common := `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","customer":"u1"}` + "\n"
	text := common +
		`{"conversation":"c1","time":"2024-05-01T09:31:00Z","role":"customer","type":"message","customer":"u1","source":"web"}` + "\n" + // read by the common parse, not packed
		common +
		` {"conversation":"c1","time":"2024-05-01T09:32:00Z","role":"customer","type":"message","customer":"u1","source":"web"}` + "\n" // parsed otherwise (a leading space), not packed
	d := &jsonDecoder{max: 1 << 20}
	var c chunk
	decodeForJoiner(d, &c, text)
	if len(c.items) != 4 || len(c.recs) != 2 || c.errs[0] != nil || c.errs[1] != nil {
		t.Fatalf("the input is not what the test means: %d items, %d records, errors %v", len(c.items), len(c.recs), c.errs)
	}
	for i := range c.text { // as reading the next chunk into the same memory does
		c.text[i] = 'x'
	}
	for i, rec := range c.recs {
		if rec.Info.ID != "c1" || rec.Info.Customer != "u1" {
			t.Errorf("record %d: conversation %q, customer %q, want c1 and u1", i, rec.Info.ID, rec.Info.Customer)
		}
	}
	// The next chunk, in the same memory, read by the same decoder: its
	// values are not taken for those of the chunk before.
	decodeForJoiner(d, &c, strings.ReplaceAll(text, "c1", "c2"))
	for i, rec := range c.recs {
		if rec.Info.ID != "c2" {
			t.Errorf("next chunk, record %d: conversation %q, want c2", i, rec.Info.ID)
		}
	}
	for k := range c.items {
		if p := &c.items[k]; p.ref == 0 && string(c.arenaBytes(p.conv)) != "c2" {
			t.Errorf("next chunk, item %d: conversation %q, want c2", k, c.arenaBytes(p.conv))
		}
	}
}

// TestJSONLChunkForJoinerAllocations: decoding interleaved lines for a
// Joiner allocates nothing per line, though the conversation id and the
// customer change from line to line.
func TestJSONLChunkForJoinerAllocations(t *testing.T) {
	var b bytes.Buffer
	const lines = 1000
	for i := range lines {
		fmt.Fprintf(&b, `{"conversation":"c%d","time":"2024-05-01T09:%02d:00Z","role":"customer","type":"message","customer":"u%d","channel":"chat"}`+"\n",
			i*7919%lines, i%60, i*104729%lines)
	}
	text := b.String()
	d := &jsonDecoder{max: 1 << 20}
	var c chunk
	decodeForJoiner(d, &c, text) // the chunk's memory, grown once
	if len(c.items) != lines || len(c.recs) != 0 {
		t.Fatalf("the input is not what the test means: %d items, %d records", len(c.items), len(c.recs))
	}
	if n := testing.AllocsPerRun(5, func() { decodeForJoiner(d, &c, text) }); n > 10 {
		t.Errorf("%.0f allocations to decode %d lines, want at most 10", n, lines)
	}
}
