package chatkpi

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

const benchEvents = 100_000

// eventfileBenchChats returns 10,000 conversations of 10 events: a mix of messages,
// a handoff, a join, a rating and a goal, with ids, agents and dimensions as
// an export from a real backend would have them.
func eventfileBenchChats() []*Chat {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	chats := make([]*Chat, benchEvents/10)
	for i := range chats {
		at := t0.Add(time.Duration(i) * time.Minute)
		c := &Chat{Meta: Info{ID: "conv-" + itoa(100000+i), Customer: "cust-" + itoa(i%3000), Channel: "chat",
			Source: "pricing-page", Dims: map[string]string{"greeting": "A", "lang": "en"}}}
		add := func(e Event) {
			at = at.Add(1234567 * time.Microsecond)
			e.Time = at
			c.Events = append(c.Events, e)
		}
		add(Event{Role: Customer, Type: Message})
		add(Event{Role: Bot, Type: Message})
		add(Event{Role: Customer, Type: Message})
		add(Event{Role: Bot, Type: Handoff})
		add(Event{Role: System, Type: Queued})
		add(Event{Role: Agent, Type: Joined, Agent: "agent-" + itoa(i%40)})
		add(Event{Role: Agent, Type: Message, Agent: "agent-" + itoa(i%40)})
		add(Event{Role: Customer, Type: Message})
		add(Event{Role: Customer, Type: Rating, Survey: CSATSurvey, Score: int8(1 + i%5)})
		add(Event{Role: Customer, Type: Goal, Value: decimal.New(int64(1000+i), -2), Currency: "EUR"})
		chats[i] = c
	}
	return chats
}

func benchJSONL(b *testing.B) []byte {
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for _, c := range eventfileBenchChats() {
		if err := w.WriteConversation(c); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchCSV(b *testing.B) []byte {
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, []string{"greeting", "lang"})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range eventfileBenchChats() {
		if err := w.WriteConversation(c); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchRead(b *testing.B, data []byte, open func(io.Reader) (EventReader, error)) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for range b.N {
		r, err := open(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
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
		b.Fatalf("read %d events, want %d", n, b.N*benchEvents)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkJSONLReader(b *testing.B) {
	benchRead(b, benchJSONL(b), func(r io.Reader) (EventReader, error) { return NewJSONLReader(r) })
}

func BenchmarkCSVReader(b *testing.B) {
	benchRead(b, benchCSV(b), func(r io.Reader) (EventReader, error) { return NewCSVReader(r) })
}

// benchMapping renames the bench files' conversation and time fields and
// their customer role, and ignores a text field added to every line: the
// mapping costs no allocation per event.
var benchMapping = Mapping{
	Rename: map[string]string{"conversation_id": "conversation", "created_at": "time"},
	Values: map[string]map[string]string{"role": {"incoming": "customer"}},
	Ignore: []string{"text"},
}

func BenchmarkJSONLReaderMapped(b *testing.B) {
	data := benchJSONL(b)
	data = bytes.ReplaceAll(data, []byte(`{"conversation":`), []byte(`{"text":{"body":"Hello, \"world\"","n":[1,2]},"conversation_id":`))
	data = bytes.ReplaceAll(data, []byte(`"time":`), []byte(`"created_at":`))
	data = bytes.ReplaceAll(data, []byte(`"role":"customer"`), []byte(`"role":"incoming"`))
	benchRead(b, data, func(r io.Reader) (EventReader, error) { return NewJSONLReader(r, MapFields(benchMapping)) })
}

func BenchmarkCSVReaderMapped(b *testing.B) {
	data := benchCSV(b)
	header, rest, _ := bytes.Cut(data, []byte{'\n'})
	header = bytes.Replace(header, []byte("conversation,time,"), []byte("conversation_id,created_at,"), 1)
	rest = bytes.ReplaceAll(rest, []byte(",customer,"), []byte(",incoming,"))
	data = append(append(header, '\n'), rest...)
	benchRead(b, data, func(r io.Reader) (EventReader, error) { return NewCSVReader(r, MapFields(benchMapping)) })
}

func BenchmarkReadConversations(b *testing.B) {
	data := benchJSONL(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := NewJSONLReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		chats, err := ReadConversations(r)
		if err != nil || len(chats) != benchEvents/10 {
			b.Fatal(err, len(chats))
		}
	}
	b.ReportMetric(float64(b.N*benchEvents)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkJSONLWriter(b *testing.B) {
	chats := eventfileBenchChats()
	b.SetBytes(int64(len(benchJSONL(b))))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w := NewJSONLWriter(io.Discard)
		for _, c := range chats {
			if err := w.WriteConversation(c); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchEvents)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkConversations(b *testing.B) {
	data := benchJSONL(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := NewJSONLReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range Conversations(r) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchEvents/10 {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(b.N*benchEvents)/b.Elapsed().Seconds(), "events/s")
}
