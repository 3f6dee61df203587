package chatkpi

import (
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// BenchmarkConversion adds 1 M conversations of 4 events each (a pool of
// 1,000 distinct conversations, cycled); one in five has a goal with a value.
func BenchmarkConversion(b *testing.B) {
	const pool, perOp = 1000, 1_000_000
	convs := make([]*Chat, pool)
	for i := range convs {
		st := convT0.Add(time.Duration(i) * time.Minute)
		evs := []Event{
			{Time: st, Type: Message, Role: Customer},
			{Time: st.Add(time.Second), Type: Message, Role: Bot},
			{Time: st.Add(2 * time.Second), Type: Message, Role: Customer},
			{Time: st.Add(3 * time.Second), Type: Resolved, Role: Bot},
		}
		if i%5 == 0 {
			evs[3] = Event{Time: st.Add(3 * time.Second), Type: Goal, Role: Customer, Value: decimal.New(1999, -2), Currency: "EUR"}
		}
		convs[i] = &Chat{Meta: Info{ID: strconv.Itoa(i)}, Events: evs}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var c Conversion
		for i := range perOp {
			if err := c.AddConversation(convs[i%pool]); err != nil {
				b.Fatal(err)
			}
		}
		if r, err := c.Result(); err != nil || r.Rate.Trials != perOp {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*perOp*4/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.N)*perOp/b.Elapsed().Seconds(), "conversations/s")
}

// BenchmarkConversionVisits adds 1 M plain observations.
func BenchmarkConversionVisits(b *testing.B) {
	const perOp = 1_000_000
	b.ReportAllocs()
	for range b.N {
		var c Conversion
		for i := range perOp {
			c.Add(i%7 == 0)
		}
	}
	b.ReportMetric(float64(b.N)*perOp/b.Elapsed().Seconds(), "events/s")
}
