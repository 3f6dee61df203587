package bench

import (
	"bytes"
	"sync"
	"testing"
)

// The reading path from a JSON array: the 1 M workload's JSON Lines file
// as one array, an element a line (as JSON exports write them), built on
// first use.

var (
	arrayOnce sync.Once
	arrayFile []byte
)

// eventFile returns the workload's file in format: jsonl, csv or
// json-array.
func eventFile(b *testing.B, format string) []byte {
	if format != "json-array" {
		return eventFiles(b)[format]
	}
	arrayOnce.Do(func() {
		jl := eventFiles(b)["jsonl"]
		lines := bytes.Split(bytes.TrimSuffix(jl, []byte{'\n'}), []byte{'\n'})
		arrayFile = append(append([]byte("[\n  "), bytes.Join(lines, []byte(",\n  "))...), "\n]\n"...)
	})
	return arrayFile
}

// BenchmarkJSONArrayRecords is BenchmarkReadRecords on the JSON array.
// Run with -cpu 1,2: on one core the elements are decoded on the caller's
// goroutine, on two ahead on another.
func BenchmarkJSONArrayRecords(b *testing.B) {
	readBench(b, readRecords, "json-array")
}

// BenchmarkJSONArrayReport is BenchmarkFileReport on the JSON array.
func BenchmarkJSONArrayReport(b *testing.B) {
	readBench(b, fileReport, "json-array")
}
