package chatwoot

import (
	"math/rand"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"pgregory.net/rapid"
)

// rows is one generated conversation as Chatwoot stores it: the rows of
// every table the source reads, each valid by Chatwoot's own rules.
type rows struct {
	conv      conversationRow
	messages  []messageRow
	reporting []reportingRow
	csat      []csatRow
}

func genRows(t *rapid.T) rows {
	start := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	r := rows{conv: conversationRow{id: 1, accountID: 1, createdAt: start, inboxName: "Web"}}
	if rapid.Bool().Draw(t, "campaign") {
		r.conv.campaignID = intp(3)
	}
	// Distinct instants, so that any order of the rows gives one answer.
	at := func(i int) time.Time { return start.Add(time.Duration(i+1) * time.Second) }
	n := rapid.IntRange(0, 30).Draw(t, "rows")
	for i := range n {
		id := int64(i + 1)
		switch rapid.IntRange(0, 9).Draw(t, "kind") {
		case 0, 1, 2: // a message of a valid kind
			m := messageRow{id: id, conversationID: 1, createdAt: at(i)}
			switch rapid.IntRange(0, 7).Draw(t, "message") {
			case 0:
				m.messageType, m.senderType = messageIncoming, strp("Contact")
			case 1:
				m.messageType, m.senderType, m.senderID, m.userName = messageOutgoing, strp("User"), intp(2), strp("Ana")
			case 2:
				m.messageType, m.senderType, m.senderID, m.userName, m.private = messageOutgoing, strp("User"), intp(2), strp("Ana"), true
			case 3:
				m.messageType, m.senderType = messageOutgoing, strp("AgentBot")
			case 4:
				m.messageType, m.senderType, m.private = messageOutgoing, strp("Captain::Assistant"), true
			case 5:
				m.messageType = messageActivity
			case 6:
				m.messageType = messageTemplate
			case 7:
				m.messageType, m.contentType = messageTemplate, contentInputCSAT
			}
			r.messages = append(r.messages, m)
		case 3, 4, 5, 6, 7:
			name := rapid.SampledFrom([]string{eventResolved, eventHandoff, eventOpened}).Draw(t, "event")
			rr := reportingRow{id: id, conversationID: 1, name: name, at: at(i)}
			if rapid.Bool().Draw(t, "user") {
				rr.userID, rr.userName = intp(2), strp("Ana")
			}
			r.reporting = append(r.reporting, rr)
		default:
			r.csat = append(r.csat, csatRow{id: id, conversationID: 1, rating: rapid.IntRange(1, 5).Draw(t, "rating"), createdAt: at(i)})
		}
	}
	return r
}

// chat maps the rows as the source does, taking each table's rows in the
// given order.
func (r rows) chat(t *rapid.T) *chatkpi.Chat {
	c := r.conv
	c.events = nil
	for i := range r.messages {
		e, ok, err := messageEvent(&r.messages[i])
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			c.events = append(c.events, e)
		}
	}
	for i := range r.reporting {
		e, err := reportingEvent(&r.reporting[i])
		if err != nil {
			t.Fatal(err)
		}
		c.events = append(c.events, e)
	}
	for i := range r.csat {
		e, err := csatEvent(&r.csat[i])
		if err != nil {
			t.Fatal(err)
		}
		c.events = append(c.events, e)
	}
	return assemble(&c)
}

// TestPropertyValidRowsMakeValidChats: any valid Chatwoot rows give a
// conversation that chatkpi's report accepts, with one event per mapped
// row (activity messages and openings before a resolution left out), in
// time order, every Reopened after a resolution; and the rows' order in
// the tables does not matter.
func TestPropertyValidRowsMakeValidChats(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRows(t)
		c := r.chat(t)
		rep, err := chatkpi.NewReport()
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.AddConversation(c); err != nil {
			t.Fatalf("the report rejects the mapped conversation: %v", err)
		}
		if err := chatkpi.Validate(c); err != nil {
			t.Fatal(err)
		}
		want := len(r.reporting) + len(r.csat)
		for _, m := range r.messages {
			if m.messageType != messageActivity {
				want++
			}
		}
		resolved, dropped := false, 0
		for _, e := range c.Events {
			switch e.Type {
			case chatkpi.Resolved:
				resolved = true
			case chatkpi.Reopened:
				if !resolved {
					t.Fatalf("%s reopens nothing", e.ID)
				}
				resolved = false
			}
		}
		// The openings the source must drop (the generated rows are in time
		// order): those with no resolution since the last opening.
		resolved = false
		for _, rr := range r.reporting {
			switch rr.name {
			case eventResolved:
				resolved = true
			case eventOpened:
				if !resolved {
					dropped++
				}
				resolved = false
			}
		}
		if len(c.Events) != want-dropped {
			t.Fatalf("%d events from %d mapped rows with %d openings dropped", len(c.Events), want, dropped)
		}

		shuffled := r
		rng := rand.New(rand.NewSource(rapid.Int64().Draw(t, "seed")))
		shuffled.messages = append([]messageRow(nil), r.messages...)
		shuffled.reporting = append([]reportingRow(nil), r.reporting...)
		rng.Shuffle(len(shuffled.messages), func(i, j int) {
			shuffled.messages[i], shuffled.messages[j] = shuffled.messages[j], shuffled.messages[i]
		})
		rng.Shuffle(len(shuffled.reporting), func(i, j int) {
			shuffled.reporting[i], shuffled.reporting[j] = shuffled.reporting[j], shuffled.reporting[i]
		})
		d := shuffled.chat(t)
		for i := range c.Events {
			if describe(c.Events[i]) != describe(d.Events[i]) {
				t.Fatalf("event %d: %s, with the rows in another order %s", i, describe(c.Events[i]), describe(d.Events[i]))
			}
		}
		if c.Meta.Outbound != d.Meta.Outbound {
			t.Fatal("outbound depends on the row order")
		}
	})
}
