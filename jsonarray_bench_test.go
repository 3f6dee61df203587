package chatkpi

import (
	"bytes"
	"io"
	"testing"
)

// jsonArrayOf returns the JSON Lines jsonl as one JSON array, an element a
// line, as JSON exports (and json.dump with indent) write them.
func jsonArrayOf(jsonl []byte) []byte {
	lines := bytes.Split(bytes.TrimSuffix(jsonl, []byte{'\n'}), []byte{'\n'})
	return append(append([]byte("[\n  "), bytes.Join(lines, []byte(",\n  "))...), "\n]\n"...)
}

// BenchmarkJSONArrayReader is BenchmarkJSONLReader on the same events as
// one JSON array. Run with -cpu 1,2: with one core the elements are decoded
// on the caller's goroutine, with more ahead on others.
func BenchmarkJSONArrayReader(b *testing.B) {
	benchRead(b, jsonArrayOf(benchJSONL(b)), func(r io.Reader) (EventReader, error) { return NewJSONLReader(r) })
}
