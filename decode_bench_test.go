package chatkpi

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi/internal/cpuclock"
	"github.com/shopspring/decimal"
)

// decodeBenchChats returns conversations holding events events in all, in
// the mix of peer-bench's workload (../shared/peer-bench): about ten events
// a conversation, the customer and channel on the first line, millisecond
// times, bot replies and fallbacks, automatic acknowledgements, handoffs,
// agents' replies and private notes, CSAT surveys and ratings, a few goals.
func decodeBenchChats(events int) []*Chat {
	r := rand.New(rand.NewPCG(20261123, 1))
	agents := [...]string{"ana", "ben", "chen", "dara", "eli", "fay", "gus", "hana"}
	channels := [...]string{"chat", "email", "social"}
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	var chats []*Chat
	for n := 0; events > 0; n++ {
		at := t0.Add(time.Duration(r.Int64N(int64(90*24*time.Hour/time.Millisecond))) * time.Millisecond)
		c := &Chat{Meta: Info{ID: "c" + itoa(n), Customer: "u" + itoa(r.IntN(50000)), Channel: channels[r.IntN(3)]}}
		add := func(role Role, typ EventType) *Event {
			at = at.Add(time.Duration(1+r.IntN(60000)) * time.Millisecond)
			c.Events = append(c.Events, Event{Time: at, Role: role, Type: typ})
			return &c.Events[len(c.Events)-1]
		}
		agent := agents[r.IntN(len(agents))]
		add(Customer, Message)
		if r.IntN(3) == 0 {
			add(System, Message).Automatic = true
		}
		add(Bot, Message)
		add(Customer, Message)
		if r.IntN(4) == 0 {
			add(Bot, Fallback)
		}
		add(Bot, Handoff)
		add(Agent, Joined).Agent = agent
		add(Agent, Message).Agent = agent
		if r.IntN(5) == 0 {
			e := add(Agent, Message)
			e.Agent, e.Private = agent, true
		}
		add(Customer, Message)
		if r.IntN(3) == 0 {
			add(System, SurveySent).Survey = CSATSurvey
			e := add(Customer, Rating)
			e.Survey, e.Score = CSATSurvey, int8(1+r.IntN(5))
		}
		if r.IntN(10) == 0 {
			e := add(Customer, Goal)
			e.Value, e.Currency = decimal.New(int64(100+r.IntN(10000)), -2), "EUR"
		}
		add(Agent, Resolved).Agent = agent
		if len(c.Events) > events {
			c.Events = c.Events[:events]
		}
		events -= len(c.Events)
		chats = append(chats, c)
	}
	return chats
}

// decodeBenchFile writes decodeBenchChats(events) as JSON Lines, or as CSV.
func decodeBenchFile(b *testing.B, events int, csv bool) []byte {
	var buf bytes.Buffer
	var w interface {
		WriteConversation(Conversation) error
		Flush() error
	} = NewJSONLWriter(&buf)
	if csv {
		cw, err := NewCSVWriter(&buf, nil)
		if err != nil {
			b.Fatal(err)
		}
		w = cw
	}
	for _, c := range decodeBenchChats(events) {
		if err := w.WriteConversation(c); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// benchChunks cuts data into chunks of whole lines of about chunkBytes, as
// reading ahead does; line is the number of the first line.
func benchChunks(data []byte, line int) []*chunk {
	var chunks []*chunk
	for len(data) > 0 {
		n := len(data)
		if n > chunkBytes {
			n = bytes.LastIndexByte(data[:chunkBytes], '\n') + 1
		}
		chunks = append(chunks, &chunk{text: data[:n], line: line})
		line += bytes.Count(data[:n], []byte{'\n'})
		data = data[n:]
	}
	return chunks
}

// benchDecode decodes the chunks with d once per iteration and reports
// the time per line.
func benchDecode(b *testing.B, chunks []*chunk, d chunkDecoder, lines int) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuclock.Process()
	for range b.N {
		n := 0
		for _, c := range chunks {
			c.reset(true)
			d.decodeChunk(c)
			for k := range c.len() {
				if _, _, err := c.item(k); err != nil {
					b.Fatal(err)
				}
			}
			n += c.len()
		}
		if n != lines {
			b.Fatalf("decoded %d lines, want %d", n, lines)
		}
	}
	if cpu := cpuclock.Process() - cpu; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*lines), "cpu-ns/line")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
	b.ReportMetric(float64(b.N*lines)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkJSONLDecode measures the decoding of JSON Lines alone, as the
// goroutines that read ahead do it for a Joiner (packed records): 100,000
// lines in peer-bench's mix per iteration, on one goroutine. cpu-ns/line is
// the process's CPU time (the garbage collector's included), which moves
// less than the wall time on a shared machine.
func BenchmarkJSONLDecode(b *testing.B) {
	const events = 100_000
	chunks := benchChunks(decodeBenchFile(b, events, false), 1)
	benchDecode(b, chunks, &jsonDecoder{max: DefaultMaxLineSize}, events)
}

// BenchmarkCSVDecode is BenchmarkJSONLDecode for the same events in CSV:
// records framed, split into fields and decoded.
func BenchmarkCSVDecode(b *testing.B) {
	const events = 100_000
	data := decodeBenchFile(b, events, true)
	r, err := NewCSVReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	r.ra.size = 0
	if r.begin(); r.err != nil {
		b.Fatal(r.err)
	}
	header := bytes.IndexByte(data, '\n') + 1
	chunks := benchChunks(data[header:], 2)
	chunks[len(chunks)-1].last = true
	benchDecode(b, chunks, &csvChunkDecoder{dec: newCSVDecoder(r.cols, nil), max: DefaultMaxLineSize}, events)
}

// BenchmarkJSONLDecodeSpaced is BenchmarkJSONLDecode for lines laid out
// as Python's json.dumps lays them out: a space after each ':' and ','.
func BenchmarkJSONLDecodeSpaced(b *testing.B) {
	const events = 100_000
	data := decodeBenchFile(b, events, false)
	data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte(`":`), []byte(`": `)), []byte(`,"`), []byte(`, "`))
	benchDecode(b, benchChunks(data, 1), &jsonDecoder{max: DefaultMaxLineSize}, events)
}
