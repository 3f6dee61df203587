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

// BenchmarkJSONArrayScan is the part of BenchmarkJSONArrayReader that stays
// on the caller's goroutine when reading ahead: finding the elements.
func BenchmarkJSONArrayScan(b *testing.B) {
	data := jsonArrayOf(benchJSONL(b))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for range b.N {
		r, err := NewJSONLReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		r.start()
		for {
			_, _, err := r.readElement()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	if n != b.N*benchEvents {
		b.Fatalf("found %d elements, want %d", n, b.N*benchEvents)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
