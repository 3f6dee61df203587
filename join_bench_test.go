package chatkpi

import (
	"bytes"
	"slices"
	"testing"
)

// benchJSONLWithIDs is the export of benchJSONL with an id on every event
// and every line delivered twice: the de-duplication's worst case.
func benchJSONLWithIDs(b *testing.B) []byte {
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for _, c := range eventfileBenchChats() {
		for i := range c.Events {
			c.Events[i].ID = "msg-" + itoa(1000+i)
		}
		if err := w.WriteConversation(c); err != nil {
			b.Fatal(err)
		}
		if err := w.WriteConversation(c); err != nil { // grouped: the copy follows
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkJoinerWithIDs reads 200,000 lines, half of them redeliveries;
// events/s counts the lines read.
func BenchmarkJoinerWithIDs(b *testing.B) {
	data := benchJSONLWithIDs(b)
	for _, grouped := range []bool{false, true} {
		name := "holding"
		if grouped {
			name = "grouped"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for range b.N {
				r, err := NewJSONLReader(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				var j Joiner
				n := 0
				if grouped {
					for _, err := range j.Grouped("", r) {
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
				} else {
					if err := j.Read("", r); err != nil {
						b.Fatal(err)
					}
					n = len(slices.Collect(j.Conversations()))
				}
				if n != benchEvents/10 || j.Duplicates() != benchEvents {
					b.Fatal(n, j.Duplicates())
				}
			}
			b.ReportMetric(float64(b.N*2*benchEvents)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
