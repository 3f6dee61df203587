package chatkpi

import (
	"errors"
	"testing"
	"time"
)

// TestRetentionGroupsMustAddUp: an encoding whose retention groups do not
// hold, together, exactly the customers' activity and starts is rejected
// (a group dropped, or a customer's period moved in one group), while the
// untouched encoding decodes.
func TestRetentionGroupsMustAddUp(t *testing.T) {
	build := func() *Report {
		r, err := NewReport(ReportSettings{Period: Month, Metrics: DefaultMetrics | MetricRetention,
			GroupBy: [MaxGroupings]Grouping{GroupBySource()}})
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range []struct{ customer, source string }{{"a", "web"}, {"b", "app"}, {"a", "app"}} {
			at := time.Date(2026, time.Month(1+i), 3, 9, 0, 0, 0, time.UTC)
			if err := r.AddConversation(&Chat{Meta: Info{ID: string(rune('x' + i)), Customer: c.customer, Source: c.source},
				Events: []Event{{Time: at, Type: Message, Role: Customer}}}); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	decode := func(r *Report) error {
		var z Report
		return z.UnmarshalBinary(r.encode())
	}
	if err := decode(build()); err != nil {
		t.Fatalf("a good encoding: %v", err)
	}
	r := build()
	for k := range r.customers.groups {
		delete(r.customers.groups, k) // one of the two groups
		break
	}
	if err := decode(r); !errors.Is(err, ErrInvalid) {
		t.Errorf("a group dropped: %v, want ErrInvalid", err)
	}
	r = build()
	for _, g := range r.customers.groups {
		moved := Cohorts{cfg: g.cohorts.cfg} // each customer active a period later in the group than overall
		g.cohorts.customers.each(func(_ int, id []byte, ps []int64) {
			for _, p := range ps {
				moved.customers.add(string(id), p+1)
			}
		})
		g.cohorts = moved
		for i := range g.starts {
			g.starts[i].at += int64(40 * 24 * time.Hour)
		}
		break
	}
	if err := decode(r); !errors.Is(err, ErrInvalid) {
		t.Errorf("a period moved: %v, want ErrInvalid", err)
	}
}
