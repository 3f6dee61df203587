package chatkpi

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
)

// TestOrderByConversation: the events held of interleaved conversations
// are ordered by conversation, each in reading order, the same on one
// goroutine or two (from both ends).
func TestOrderByConversation(t *testing.T) {
	for _, n := range []int{1, 5, storeBlock, 3*storeBlock + 7} {
		var lines bytes.Buffer
		for i := range n {
			fmt.Fprintf(&lines, `{"conversation":"c%d","time":"2026-01-05T10:00:%02dZ","role":"customer","type":"message"}`+"\n", (i*7919)%(n/3+1), i%60)
		}
		var j Joiner
		if err := j.Read("", jsonlReaderOf(t, lines.Bytes())); err != nil {
			t.Fatal(err)
		}
		serial, parallel := j.orderByConversation(false), j.orderByConversation(true)
		if !reflect.DeepEqual(parallel, serial) {
			t.Fatalf("%d events: on two goroutines\n%v\non one\n%v", n, parallel[:min(20, n)], serial[:min(20, n)])
		}
		for i := 1; i < n; i++ { // by conversation, then reading order
			a, b := j.store.at(int(serial[i-1])), j.store.at(int(serial[i]))
			if a.conv > b.conv || a.conv == b.conv && serial[i-1] > serial[i] {
				t.Fatalf("%d events: %d before %d", n, serial[i-1], serial[i])
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
