package chatkpi

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// groupedTranscript reads inputs (JSON Lines, or CSV with csv) as one
// Joiner's successive Grouped readings, the readers reading ahead in chunks
// of size bytes (0: no reading ahead, so no joining ahead), and writes down
// everything a loop sees, in order: each conversation with the line of
// each of its events, Duplicates and the reader's Skipped when it is
// yielded, each SkipInvalid report, and the error that ends a reading. The
// loop stops after stopAt conversations (0: never).
func groupedTranscript(t *testing.T, inputs [][]byte, size int, skip, reuse, csv bool, stopAt int) []string {
	t.Helper()
	var out []string
	j := &Joiner{ReuseChats: reuse}
	yielded := 0
	for in, data := range inputs {
		var opts []ReaderOption
		if skip {
			opts = append(opts, SkipInvalid(func(e *InputError) { out = append(out, "skipped: "+e.Error()) }))
		}
		r := sizedReader(t, data, size, csv, opts...)
		for c, err := range j.Grouped("in"+strconv.Itoa(in), r) {
			if err != nil {
				out = append(out, "error: "+err.Error())
				break
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%+v dups %d skipped %d lines", *NewChat(c), j.Duplicates(), r.Skipped())
			for i := -1; i < len(c.Events); i++ {
				name, line, ok := j.Line(c, i)
				fmt.Fprintf(&b, " %s:%d:%v", name, line, ok)
			}
			out = append(out, b.String())
			if yielded++; yielded == stopAt {
				out = append(out, fmt.Sprintf("stopped: dups %d", j.Duplicates()))
				break
			}
		}
		out = append(out, fmt.Sprintf("end of input %d: dups %d skipped %d", in, j.Duplicates(), r.Skipped()))
	}
	return out
}

// groupedLines returns n conversations of k lines each, grouped, with an
// invalid line every 7th line, a redelivered event every 11th and a
// conversation-level field on the second line of each.
func groupedLines(n, k int) []byte {
	var b bytes.Buffer
	t0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	line := 0
	for c := range n {
		for e := range k {
			line++
			at := t0.Add(time.Duration(c*k+(k-e)) * time.Second).Format(time.RFC3339) // each conversation's lines out of time order
			switch {
			case line%7 == 0:
				b.WriteString(`{"conversation":"x` + strconv.Itoa(c) + `","time":"nope"}` + "\n")
			case line%11 == 0:
				fmt.Fprintf(&b, `{"conversation":"c%d","id":"e0","time":%q,"role":"customer","type":"message"}`+"\n", c, t0.Add(time.Duration(c*k+k)*time.Second).Format(time.RFC3339))
			default:
				cust := ""
				if e == 1 {
					cust = `,"customer":"u` + strconv.Itoa(c%5) + `"`
				}
				fmt.Fprintf(&b, `{"conversation":"c%d","id":"e%d","time":%q,"role":"customer","type":"message"%s}`+"\n", c, e, at, cust)
			}
		}
	}
	return b.Bytes()
}

// TestJoinerGroupedAhead: joined ahead on another goroutine, Grouped
// gives a loop exactly what it gives sequentially — the conversations and
// their lines, the counts when each is yielded, the SkipInvalid reports
// between them, the error that ends a reading — over many chunks and
// batches, with or without ReuseChats, over several inputs, and when the
// loop stops early.
func TestJoinerGroupedAhead(t *testing.T) {
	long := groupedLines(3000, 5) // several batches of joinBatchEvents
	came := append(groupedLines(40, 3), `{"conversation":"c3","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}`+"\n"...)
	conflict := append(groupedLines(40, 3), `{"conversation":"c39","id":"e1","time":"2026-01-05T10:00:00Z","role":"agent","type":"message","agent":"a"}`+"\n"...)
	var skips bytes.Buffer                             // one conversation, its lines among more invalid ones than the batches hold
	for i := range joinBatches*joinBatchEvents + 100 { // the last batch taken is the first again
		if i%1000 == 0 {
			fmt.Fprintf(&skips, `{"conversation":"c1","time":"2026-01-05T10:%02d:00Z","role":"customer","type":"message"}`+"\n", i/1000)
		}
		skips.WriteString(`{"conversation":"c1","time":"no"}` + "\n")
	}
	skips.Write(groupedLines(10, 3))
	cases := map[string][][]byte{
		"many skipped":    {skips.Bytes()},
		"long":            {long},
		"several inputs":  {groupedLines(50, 4), groupedLines(30, 6)},
		"comes back":      {came},
		"id conflict":     {conflict},
		"next input goes": {groupedLines(20, 3), groupedLines(20, 3)}, // c0 comes back in the second
		"empty":           {nil, []byte("\n\n")},
	}
	hashed := regexp.MustCompile(`"conversation":"(c\d+)"`) // ids not of the form prefix + counter: closedSet hashes them
	for _, name := range []string{"comes back", "next input goes", "several inputs"} {
		var ins [][]byte
		for _, in := range cases[name] {
			ins = append(ins, hashed.ReplaceAll(in, []byte(`"conversation":"${1}z"`)))
		}
		cases[name+", hashed ids"] = ins
	}
	for name, inputs := range cases {
		for _, skip := range []bool{false, true} {
			for _, reuse := range []bool{false, true} {
				for _, stopAt := range []int{0, 1, 37, 2999} {
					want := groupedTranscript(t, inputs, 0, skip, reuse, false, stopAt)
					for _, size := range []int{1, 300, 4 << 10, chunkBytes} {
						got := groupedTranscript(t, inputs, size, skip, reuse, false, stopAt)
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("%s, skip %v, reuse %v, stop at %d, chunks of %d bytes:\n%s\nsequentially:\n%s", name, skip, reuse, stopAt, size,
								firstDiff(got, want), firstDiff(want, got))
						}
					}
				}
			}
		}
	}
}

// firstDiff returns the first line of a that differs from b's, with its index.
func firstDiff(a, b []string) string {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return strconv.Itoa(i) + ": " + a[i]
		}
	}
	return fmt.Sprintf("(%d lines, the same as the first of the other)", len(a))
}

// FuzzJoinerGroupedAhead: on any input, JSON Lines or CSV, in chunks of
// any size, with or without SkipInvalid and ReuseChats, stopping anywhere,
// split into two inputs anywhere, Grouped joined ahead gives the loop what
// the sequential joining gives it.
func FuzzJoinerGroupedAhead(f *testing.F) {
	f.Add(groupedLines(30, 4), uint16(7), uint8(0), uint16(3), uint8(3))
	f.Add(append(groupedLines(10, 3), groupedLines(3, 2)...), uint16(100), uint8(2), uint16(0), uint8(1))
	f.Add([]byte("conversation,id,time,role,type\nc1,e1,2026-01-05T10:00:00Z,customer,message\nc1,e1,2026-01-05T10:00:00Z,customer,message\nc2,,x,customer,message\nc1,e2,2026-01-05T10:01:00Z,agent,message\n"),
		uint16(20), uint8(1), uint16(30), uint8(4+2))
	f.Fuzz(func(t *testing.T, data []byte, size uint16, stopAt uint8, split uint16, flags uint8) {
		skip, reuse, csv := flags&1 != 0, flags&2 != 0, flags&4 != 0
		inputs := [][]byte{data}
		if s := int(split); s > 0 && s < len(data) {
			inputs = [][]byte{data[:s], data[s:]}
			if csv { // the second input needs the header too
				if nl := bytes.IndexByte(data, '\n'); nl >= 0 {
					inputs[1] = append(append([]byte{}, data[:nl+1]...), data[s:]...)
				}
			}
		}
		want := groupedTranscript(t, inputs, 0, skip, reuse, csv, int(stopAt))
		got := groupedTranscript(t, inputs, 1+int(size), skip, reuse, csv, int(stopAt))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("chunks of %d bytes, flags %b, stop at %d:\n%s\nsequentially:\n%s", 1+int(size), flags, stopAt, firstDiff(got, want), firstDiff(want, got))
		}
	})
}
