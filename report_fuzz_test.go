package chatkpi

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// fuzzChat decodes a conversation from bytes: a header (id, era, start
// offset, outbound) and then four bytes per event (type, role, survey and
// score, time step), with times that may go backwards and eras at the edges
// of the supported years.
func fuzzChat(data []byte) *Chat {
	c := &Chat{Meta: Info{ID: "c"}}
	if len(data) < 3 {
		return c
	}
	eras := []time.Time{
		time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2261, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	h := data[0]
	if h&1 != 0 {
		c.Meta.ID = ""
	}
	c.Meta.Outbound = h&2 != 0
	at := eras[int(h>>2)%len(eras)]
	if s := int8(data[1]); s != 0 {
		c.Meta.Start = at.Add(time.Duration(s) * time.Minute)
	}
	c.Meta.Customer = []string{"", "u1", "u2"}[int(data[2])%3]
	agents := []string{"", "ana", "bo"}
	for b := data[3:]; len(b) >= 4; b = b[4:] {
		at = at.Add(time.Duration(int8(b[3])) * time.Minute)
		c.Events = append(c.Events, Event{
			Time:   at,
			Type:   EventType(b[0] % uint8(lastEventType+2)),
			Role:   Role(b[1] % uint8(System+2)),
			Agent:  agents[int(b[1]>>4)%len(agents)],
			Survey: Survey(b[2] % uint8(CESSurvey+2)),
			Score:  int8(b[2]>>2) - 1,
		})
	}
	return c
}

// FuzzReportAddConversation fuzzes the report's own checks: a conversation
// it rejects is an error wrapping ErrInvalid (or ErrLimit) and leaves the
// report as it was; one it accepts passes Validate, is summarised, and is
// recorded exactly as each metric's own accumulator records it.
func FuzzReportAddConversation(f *testing.F) {
	f.Add([]byte{0, 0, 1, byte(Message), byte(Customer), 0, 0, byte(Message), byte(Agent) | 1<<4, 0, 1})
	f.Add([]byte{0, 0, 1, byte(Message), byte(Customer), 0, 0, byte(SurveySent), byte(System), byte(CSATSurvey), 1,
		byte(Rating), byte(Customer), byte(CSATSurvey) | 6<<2, 1})
	f.Add([]byte{4, 0, 0, byte(Message), byte(Customer), 0, 0, byte(Resolved), byte(Agent), 0, 1})
	f.Add([]byte{0, 3, 2, byte(Feedback), byte(Customer), 0, 0})
	f.Add([]byte{0, 0, 0, byte(Message), byte(Bot), 0, 0, byte(Fallback), byte(Bot), 0, 0xff})
	f.Add([]byte{0, 0, 1, byte(Message), byte(Customer), 0, 0, byte(Pending), byte(Agent), 0, 1, byte(Message), byte(Customer), 0, 2,
		byte(OnHold), byte(System), 0, 1, byte(Opened), byte(Bot), 0, 1, byte(Resolved), byte(Agent), 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := fuzzChat(data)
		for _, opts := range []ReportSettings{
			{},
			{Metrics: AllMetrics, Period: Day, GroupBy: [MaxGroupings]Grouping{GroupByAgent()}},
			{Period: Day, GroupBy: [MaxGroupings]Grouping{GroupByAgent()}, CSAT: CSATSettings{Scale: Scale{Min: 0, Max: 10}}, CES: CESSettings{Scale: CESEffort5}, MaxGroups: 2},
		} {
			r, err := NewReport(opts)
			if err != nil {
				t.Fatal(err)
			}
			// A first conversation, so that a rejected one must leave state.
			if err := r.AddConversation(fuzzChat([]byte{0, 0, 1, byte(Message), byte(Customer), 0, 0})); err != nil {
				t.Fatal(err)
			}
			before := r.encode()
			if err := r.AddConversation(c); err != nil {
				if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrLimit) {
					t.Fatalf("error %v wraps neither ErrInvalid nor ErrLimit", err)
				}
				if !bytes.Equal(before, r.encode()) {
					t.Fatalf("a rejected conversation (%v) changed the report", err)
				}
				continue
			}
			if err := Validate(c); err != nil {
				t.Fatalf("the report accepts a conversation that Validate rejects: %v", err)
			}
			s, err := r.Summary()
			if err != nil {
				t.Fatal(err)
			}
			if s.Overall.Conversations != 2 {
				t.Fatalf("%d conversations after adding two", s.Overall.Conversations)
			}
			if opts != (ReportSettings{}) {
				continue
			}
			one, _ := NewReport(ReportSettings{})
			if err := one.AddConversation(c); err != nil {
				t.Fatal(err)
			}
			want, err := ReportReferenceEncoding(one, []Conversation{c})
			if err != nil {
				t.Fatalf("the report accepts a conversation that an accumulator rejects: %v", err)
			}
			if got := ReportOverallEncoding(one); !bytes.Equal(got, want) {
				t.Fatalf("the report records the conversation unlike the accumulators")
			}
		}
	})
}
