package chatwoot

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
)

func strp(s string) *string { return &s }
func intp(n int64) *int64   { return &n }

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// TestMessageEvent maps one message of each kind; a wrong row names its
// column.
func TestMessageEvent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		m         messageRow
		want      chatkpi.Event
		skipped   bool
		badColumn string
	}{
		{name: "incoming", m: messageRow{messageType: 0, senderType: strp("Contact"), senderID: intp(5)},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer}},
		{name: "incoming without sender", m: messageRow{messageType: 0},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer}},
		{name: "agent", m: messageRow{messageType: 1, senderType: strp("User"), senderID: intp(3), userName: strp("Ana")},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "Ana #3"}},
		{name: "agent deleted", m: messageRow{messageType: 1, senderType: strp("User"), senderID: intp(3)},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "#3"}},
		{name: "agent note", m: messageRow{messageType: 1, private: true, senderType: strp("User"), senderID: intp(3), userName: strp(" Ana ")},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "Ana #3", Private: true}},
		{name: "agent bot", m: messageRow{messageType: 1, senderType: strp("AgentBot"), senderID: intp(1)},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot}},
		{name: "captain", m: messageRow{messageType: 1, senderType: strp("Captain::Assistant"), senderID: intp(1)},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot}},
		{name: "integration", m: messageRow{messageType: 1},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot}},
		{name: "activity", m: messageRow{messageType: 2}, skipped: true},
		{name: "template", m: messageRow{messageType: 3},
			want: chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.System, Automatic: true}},
		{name: "csat survey", m: messageRow{messageType: 3, contentType: 9},
			want: chatkpi.Event{Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey}},
		{name: "csat survey outgoing", m: messageRow{messageType: 1, contentType: 9, senderType: strp("User"), senderID: intp(2)},
			want: chatkpi.Event{Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey}},
		{name: "csat survey incoming", m: messageRow{messageType: 0, contentType: 9}, badColumn: "message_type"},
		{name: "unknown type", m: messageRow{messageType: 4}, badColumn: "message_type"},
		{name: "incoming by a user", m: messageRow{messageType: 0, senderType: strp("User")}, badColumn: "sender_type"},
		{name: "incoming private", m: messageRow{messageType: 0, private: true}, badColumn: "private"},
		{name: "outgoing by a contact", m: messageRow{messageType: 1, senderType: strp("Contact")}, badColumn: "sender_type"},
		{name: "outgoing by a user without id", m: messageRow{messageType: 1, senderType: strp("User")}, badColumn: "sender_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.m.id, tc.m.conversationID, tc.m.createdAt = 7, 2, t0
			got, ok, err := messageEvent(&tc.m)
			if tc.badColumn != "" {
				var re *RowError
				if !errors.As(err, &re) || re.Column != tc.badColumn || re.ID != 7 || re.Conversation != 2 || re.Table != "messages" {
					t.Fatalf("error %v, want one about messages id 7, conversation 2, column %s", err, tc.badColumn)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ok == tc.skipped {
				t.Fatalf("mapped %v, want %v", ok, !tc.skipped)
			}
			if tc.skipped {
				return
			}
			tc.want.Time, tc.want.ID = t0, "message:7"
			if describe(got) != describe(tc.want) {
				t.Errorf("got  %s\nwant %s", describe(got), describe(tc.want))
			}
		})
	}
}

func TestReportingEvent(t *testing.T) {
	for _, tc := range []struct {
		r    reportingRow
		want chatkpi.Event
	}{
		{reportingRow{name: "conversation_resolved"}, chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.System}},
		{reportingRow{name: "conversation_resolved", userID: intp(4), userName: strp("Bo")},
			chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "Bo #4"}},
		{reportingRow{name: "conversation_bot_handoff", userID: intp(4)}, chatkpi.Event{Type: chatkpi.Handoff, Role: chatkpi.Bot}},
		{reportingRow{name: "conversation_opened"}, chatkpi.Event{Type: chatkpi.Reopened, Role: chatkpi.System}},
	} {
		tc.r.id, tc.r.at = 3, t0
		got, err := reportingEvent(&tc.r)
		if err != nil {
			t.Fatal(err)
		}
		tc.want.ID, tc.want.Time = "reporting_event:3", t0
		if describe(got) != describe(tc.want) {
			t.Errorf("%s: got %s, want %s", tc.r.name, describe(got), describe(tc.want))
		}
	}
	var re *RowError
	if _, err := reportingEvent(&reportingRow{id: 3, name: "first_response"}); !errors.As(err, &re) || re.Column != "name" {
		t.Errorf("first_response: %v, want an error about the name", err)
	}
}

func TestCSATEvent(t *testing.T) {
	for rating := -1; rating <= 7; rating++ {
		e, err := csatEvent(&csatRow{id: 1, conversationID: 2, rating: rating, createdAt: t0})
		if ok := rating >= 1 && rating <= 5; ok != (err == nil) {
			t.Errorf("rating %d: error %v", rating, err)
		} else if ok && (int(e.Score) != rating || e.Type != chatkpi.Rating || e.Survey != chatkpi.CSATSurvey) {
			t.Errorf("rating %d: %s", rating, describe(e))
		}
	}
}

func TestChannel(t *testing.T) {
	for in, want := range map[string]string{
		"Channel::WebWidget": "chat", "Channel::Email": "email", "Channel::Api": "api",
		"Channel::FacebookPage": "social", "Channel::Instagram": "social", "Channel::TwitterProfile": "social",
		"Channel::Whatsapp": "messaging", "Channel::TwilioSms": "messaging", "Channel::Telegram": "messaging",
		"Channel::Line": "messaging", "Channel::Sms": "messaging", "Channel::Voice": "call", "Channel::NewThing": "newthing",
	} {
		if got := channel(&in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	if got := channel(nil); got != "" {
		t.Errorf("no channel type: %q", got)
	}
}

// TestAssembleOrder: events of one instant keep the order messages,
// reporting events, CSAT answers; a conversation_opened before any
// resolution is dropped, one after it kept, a second one without a new
// resolution dropped.
func TestAssembleOrder(t *testing.T) {
	ev := func(id string, s int, typ chatkpi.EventType, role chatkpi.Role) chatkpi.Event {
		return chatkpi.Event{ID: id, Time: t0.Add(time.Duration(s) * time.Second), Type: typ, Role: role}
	}
	c := &conversationRow{id: 9, accountID: 1, createdAt: t0, inboxName: "Web", events: []chatkpi.Event{
		ev("m1", 0, chatkpi.Message, chatkpi.Customer), ev("m2", 20, chatkpi.Message, chatkpi.Customer),
		ev("r1", 0, chatkpi.Reopened, chatkpi.System), ev("r2", 10, chatkpi.Resolved, chatkpi.System),
		ev("r3", 20, chatkpi.Reopened, chatkpi.System), ev("r4", 30, chatkpi.Reopened, chatkpi.System),
	}}
	got := assemble(c)
	var ids []string
	for _, e := range got.Events {
		ids = append(ids, e.ID)
	}
	if s := strings.Join(ids, " "); s != "m1 r2 m2 r3" {
		t.Errorf("events %s, want m1 r2 m2 r3", s)
	}
	if got.Meta.ID != "9" || got.Meta.Outbound || !got.Meta.Start.Equal(t0) || got.Meta.Customer != "" {
		t.Errorf("info %+v", got.Meta)
	}
}

// TestOutbound: an agent's public reply before the first customer message
// makes the conversation outbound; a bot's, a note or a template does not.
func TestOutbound(t *testing.T) {
	cust := chatkpi.Event{Time: t0.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Customer}
	for _, tc := range []struct {
		first chatkpi.Event
		want  bool
	}{
		{chatkpi.Event{Time: t0, Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "a"}, true},
		{chatkpi.Event{Time: t0, Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "a", Private: true}, false},
		{chatkpi.Event{Time: t0, Type: chatkpi.Message, Role: chatkpi.Bot}, false},
		{chatkpi.Event{Time: t0, Type: chatkpi.Message, Role: chatkpi.System, Automatic: true}, false},
	} {
		c := &conversationRow{id: 1, createdAt: t0, events: []chatkpi.Event{tc.first, cust}}
		if got := assemble(c).Meta.Outbound; got != tc.want {
			t.Errorf("%s first: outbound %v, want %v", describe(tc.first), got, tc.want)
		}
	}
	c := &conversationRow{id: 1, createdAt: t0, campaignID: intp(4), events: []chatkpi.Event{cust}}
	if m := assemble(c).Meta; !m.Outbound || m.Source != "campaign 4" {
		t.Errorf("campaign: %+v", m)
	}
}

// FuzzMessageEvent: any message row is either an error naming messages and
// a column, skipped (activity), or an event that chatkpi accepts.
func FuzzMessageEvent(f *testing.F) {
	f.Add(0, 0, false, "Contact", true, int64(1), "")
	f.Add(1, 0, true, "User", true, int64(2), "Ana")
	f.Add(3, 9, false, "", false, int64(0), "")
	f.Add(1, 9, false, "AgentBot", true, int64(1), "")
	f.Fuzz(func(t *testing.T, mtype, ctype int, private bool, sender string, hasID bool, id int64, name string) {
		m := messageRow{id: 1, conversationID: 2, messageType: mtype, contentType: ctype, private: private,
			createdAt: t0, userName: &name}
		if sender != "" {
			m.senderType = &sender
		}
		if hasID {
			m.senderID = &id
		}
		e, ok, err := messageEvent(&m)
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) || re.Table != "messages" || re.Column == "" {
				t.Fatalf("error %v is not a RowError about messages", err)
			}
			return
		}
		if !ok {
			if mtype != messageActivity {
				t.Fatalf("message_type %d skipped", mtype)
			}
			return
		}
		if err := chatkpi.ValidateEvent("2", 0, &e); err != nil {
			t.Fatalf("%s: %v", describe(e), err)
		}
	})
}

// TestNoEvents: a conversation with only activity messages (or none) is a
// conversation without events that starts at its creation: the report
// counts it, as unengaged.
func TestNoEvents(t *testing.T) {
	c := assemble(&conversationRow{id: 5, accountID: 1, createdAt: t0, inboxName: "Web"})
	if len(c.Events) != 0 || !c.Meta.Start.Equal(t0) {
		t.Fatalf("%+v", c)
	}
	rep, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.AddConversation(c); err != nil {
		t.Fatal(err)
	}
	s, err := rep.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if s.Overall.Conversations != 1 || s.Overall.Outcomes == nil || s.Overall.Outcomes.Unengaged != 1 {
		t.Errorf("conversations %d, outcomes %+v; want 1 unengaged", s.Overall.Conversations, s.Overall.Outcomes)
	}
}
