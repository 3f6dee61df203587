package chatkpitest_test

import (
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"pgregory.net/rapid"
)

func TestChatIsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := chatkpitest.Chat().Draw(t, "chat")
		if err := chatkpi.Validate(c); err != nil {
			t.Fatalf("generated conversation is invalid: %v", err)
		}
	})
}

func TestChatsHaveDistinctIDs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seen := map[string]bool{}
		for _, c := range chatkpitest.Chats(20).Draw(t, "chats") {
			if seen[c.Meta.ID] {
				t.Fatalf("duplicate id %q", c.Meta.ID)
			}
			seen[c.Meta.ID] = true
		}
	})
}

// TestChatCoversWhatItsDocSays draws many conversations and checks that
// every event type appears in exactly the roles Chat's doc names, and that
// each case the doc lists (private notes, transfers, surveys of each kind
// sent and answered, goals in several currencies, presence, outbound
// conversations, ...) is drawn at least once.
func TestChatCoversWhatItsDocSays(t *testing.T) {
	const draws = 2000
	type typeRole struct {
		typ  chatkpi.EventType
		role chatkpi.Role
	}
	c, a, b, s := chatkpi.Customer, chatkpi.Agent, chatkpi.Bot, chatkpi.System
	wantRoles := map[chatkpi.EventType][]chatkpi.Role{
		chatkpi.Message:    {c, a, b, s},
		chatkpi.Fallback:   {b},
		chatkpi.Feedback:   {c, a},
		chatkpi.Handoff:    {b, s},
		chatkpi.Queued:     {s, b},
		chatkpi.Joined:     {a, s},
		chatkpi.Left:       {c, s},
		chatkpi.Resolved:   {a, b, s},
		chatkpi.Reopened:   {c, a, s},
		chatkpi.Goal:       {c},
		chatkpi.SurveySent: {s, b},
		chatkpi.Rating:     {c},
		chatkpi.Online:     {a, s},
		chatkpi.Offline:    {a, s},
		chatkpi.Pending:    {a, b, s},
		chatkpi.OnHold:     {a, b, s},
		chatkpi.Opened:     {a, b, s},
	}
	want := map[typeRole]bool{}
	for typ, roles := range wantRoles {
		for _, r := range roles {
			want[typeRole{typ, r}] = true
		}
	}
	for typ := chatkpi.Message; typ <= chatkpi.Opened; typ++ {
		if len(wantRoles[typ]) == 0 {
			t.Errorf("event type %s is missing from the test's list", typ)
		}
	}
	wantCases := []string{
		"agent private note", "agent automatic message", "bot automatic message",
		"system automatic message", "system message",
		"csat sent", "nps sent", "ces sent", "csat rated", "nps rated", "ces rated",
		"survey sent and answered", "survey sent, not answered", "answer without a survey sent",
		"survey sent naming the agent",
		"helpful feedback", "unhelpful feedback",
		"goal without value", "goal in EUR", "goal in USD", "goal in GBP", "goals in two currencies",
		"assignment", "transfer", "handoff then join", "reopen after a resolution",
		"agent online then offline",
		"outbound", "outbound opened by an agent", "outbound opened by the bot",
		"opened before its first event", "no events", "no customer message", "never answered",
	}

	gotRoles := map[typeRole]int{}
	gotCases := map[string]int{}
	for seed := range draws {
		ch := chatkpitest.Chat().Example(seed)
		if err := chatkpi.Validate(ch); err != nil {
			t.Fatalf("seed %d: invalid: %v", seed, err)
		}
		var (
			sent          = map[chatkpi.Survey]bool{}
			currencies    = map[string]bool{}
			holder        string
			resolved      bool
			handoff       bool
			customer      bool
			replied       bool
			online        = map[string]bool{}
			sentKinds     int
			answeredKinds = map[chatkpi.Survey]bool{}
		)
		hit := func(name string) { gotCases[name]++ }
		if ch.Meta.Outbound {
			hit("outbound")
			if len(ch.Events) > 0 && ch.Events[0].Type == chatkpi.Message {
				switch ch.Events[0].Role {
				case a:
					hit("outbound opened by an agent")
				case b:
					hit("outbound opened by the bot")
				}
			}
		}
		if !ch.Meta.Start.IsZero() && len(ch.Events) > 0 && ch.Meta.Start.Before(ch.Events[0].Time) {
			hit("opened before its first event")
		}
		if len(ch.Events) == 0 {
			hit("no events")
		}
		for _, e := range ch.Events {
			gotRoles[typeRole{e.Type, e.Role}]++
			switch e.Type {
			case chatkpi.Message:
				switch {
				case e.Role == c:
					customer = true
				case e.Role == a && e.Private:
					hit("agent private note")
				case e.Role == a && e.Automatic:
					hit("agent automatic message")
				case e.Role == b && e.Automatic:
					hit("bot automatic message")
				case e.Role == s && e.Automatic:
					hit("system automatic message")
				case e.Role == s:
					hit("system message")
				}
			case chatkpi.SurveySent:
				hit(e.Survey.String() + " sent")
				sent[e.Survey] = true
				sentKinds++
				if e.Agent != "" {
					hit("survey sent naming the agent")
				}
			case chatkpi.Rating:
				hit(e.Survey.String() + " rated")
				answeredKinds[e.Survey] = true
				if sent[e.Survey] {
					hit("survey sent and answered")
				} else {
					hit("answer without a survey sent")
				}
			case chatkpi.Feedback:
				if e.Helpful {
					hit("helpful feedback")
				} else {
					hit("unhelpful feedback")
				}
			case chatkpi.Goal:
				if e.Currency == "" {
					hit("goal without value")
				} else {
					hit("goal in " + e.Currency)
					currencies[e.Currency] = true
				}
			case chatkpi.Handoff:
				handoff = true
			case chatkpi.Joined:
				if e.Role == s {
					hit("assignment")
				}
				if holder != "" && holder != e.Agent {
					hit("transfer")
				}
				if handoff {
					hit("handoff then join")
				}
				holder = e.Agent
			case chatkpi.Resolved:
				resolved = true
			case chatkpi.Reopened:
				if resolved {
					hit("reopen after a resolution")
				}
			case chatkpi.Online:
				online[e.Agent] = true
			case chatkpi.Offline:
				if online[e.Agent] {
					hit("agent online then offline")
				}
			}
			if e.Type == chatkpi.Message && e.Role == a && !e.Private && !e.Automatic {
				holder = e.Agent
			}
			replied = replied || e.IsReply()
		}
		for k := range sent {
			if !answeredKinds[k] {
				hit("survey sent, not answered")
			}
		}
		if len(currencies) >= 2 {
			hit("goals in two currencies")
		}
		if len(ch.Events) > 0 && !customer {
			hit("no customer message")
		}
		if customer && !replied {
			hit("never answered")
		}
	}
	for tr := range want {
		if gotRoles[tr] == 0 {
			t.Errorf("%d conversations have no %s event by %s", draws, tr.typ, tr.role)
		}
	}
	for tr, n := range gotRoles {
		if !want[tr] {
			t.Errorf("%d %s events by %s, a role Chat's doc does not name for the type", n, tr.typ, tr.role)
		}
	}
	for _, name := range wantCases {
		if gotCases[name] == 0 {
			t.Errorf("%d conversations without the case %q", draws, name)
		}
	}
}
