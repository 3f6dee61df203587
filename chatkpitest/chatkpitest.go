// Package chatkpitest provides [pgregory.net/rapid] generators of chatkpi
// conversations, events and survey answers for property-based tests, as
// net/http/httptest provides test servers. Generated conversations are valid
// (they pass [chatkpi.Validate]) unless a generator's name says they are
// broken.
package chatkpitest

import (
	"fmt"
	"slices"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Epoch returns the earliest start time of a generated conversation
// (2024-01-01 UTC). Starts fall within three years after it.
func Epoch() time.Time { return time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC) }

// Customers, agents, channels, sources and greetings are drawn from small
// pools so that grouping and repeat contacts happen often.
func pools() (customers, agents, channels, sources, greetings []string) {
	return []string{"cust-1", "cust-2", "cust-3", "cust-4", "cust-5", "cust-6"},
		[]string{"ana", "bo", "chen"},
		[]string{"chat", "email", "social"},
		[]string{"pricing", "checkout", "help"},
		[]string{"A", "B"}
}

// Gap draws the time between two consecutive events: often zero (equal
// timestamps must be handled), mostly seconds to minutes, sometimes days.
func Gap() *rapid.Generator[time.Duration] {
	return rapid.Custom(func(t *rapid.T) time.Duration {
		switch rapid.IntRange(0, 9).Draw(t, "gapKind") {
		case 0:
			return 0
		case 9:
			return time.Duration(rapid.Int64Range(int64(time.Hour), int64(72*time.Hour)).Draw(t, "longGap"))
		default:
			return time.Duration(rapid.Int64Range(int64(time.Second), int64(30*time.Minute)).Draw(t, "gap"))
		}
	})
}

// SurveyScore draws a valid answer for the survey kind on its default scale:
// CSAT 1–5, NPS 0–10, CES 1–7.
func SurveyScore(kind chatkpi.Survey) *rapid.Generator[int] {
	switch kind {
	case chatkpi.CSATSurvey:
		return rapid.IntRange(1, 5)
	case chatkpi.NPSSurvey:
		return rapid.IntRange(0, 10)
	case chatkpi.CESSurvey:
		return rapid.IntRange(1, 7)
	}
	panic(fmt.Sprintf("chatkpitest: SurveyScore of unknown survey kind %d", kind))
}

// Chat draws a valid conversation of up to 30 events in time order, with
// every event type in every role the package's docs give it:
//
//   - messages by the customer, the bot, agents (public replies, private
//     notes, automatic messages) and the system (automatic or not);
//   - bot fallbacks, and feedback on the bot's answers from the customer or
//     a reviewer (role Agent), only after a bot reply;
//   - handoffs and queueing, by the bot or the system;
//   - agents joining (role Agent) or being assigned (role System), with
//     transfers from one agent to another;
//   - the customer leaving, recorded by the customer or the system;
//   - resolutions (by an agent, the bot or the system) and reopens (by the
//     customer, an agent or the system);
//   - goals with no value or with a money value in EUR, USD or GBP;
//   - surveys sent (by the system or the bot, naming the agent holding the
//     conversation) and ratings of each survey kind on its default scale
//     (see [SurveyScore]), answered or not, and answers without a survey
//     sent;
//   - agents going online and offline (alternating per agent, role Agent or
//     System).
//
// Some conversations are outbound (most of those open with an agent or bot
// message), some were opened before their first event (Info.Start), some
// have no events or no customer message, some are never answered. A test
// checks that Chat draws each of these.
func Chat() *rapid.Generator[*chatkpi.Chat] {
	return rapid.Custom(func(t *rapid.T) *chatkpi.Chat {
		customers, agents, channels, sources, greetings := pools()
		id := fmt.Sprintf("conv-%d", rapid.IntRange(0, 1<<30).Draw(t, "id"))
		start := Epoch().Add(time.Duration(rapid.Int64Range(0, int64(3*365*24*time.Hour)).Draw(t, "start")))
		info := chatkpi.Info{
			ID:       id,
			Customer: rapid.SampledFrom(customers).Draw(t, "customer"),
			Channel:  rapid.SampledFrom(channels).Draw(t, "channel"),
			Source:   rapid.SampledFrom(sources).Draw(t, "source"),
			Priority: rapid.SampledFrom([]string{"", "high", "low"}).Draw(t, "priority"),
			Outbound: rapid.IntRange(0, 9).Draw(t, "outbound") == 0,
			Dims:     map[string]string{"greeting": rapid.SampledFrom(greetings).Draw(t, "greeting")},
		}
		n := rapid.IntRange(0, 30).Draw(t, "events")
		events := make([]chatkpi.Event, 0, n)
		at := start
		if rapid.IntRange(0, 4).Draw(t, "opened before") == 0 {
			info.Start = start
			at = at.Add(Gap().Draw(t, "first event"))
		}
		d := chatDraw{t: t, agents: agents, online: map[string]bool{}}
		if info.Outbound && n > 0 && rapid.IntRange(0, 3).Draw(t, "opener") > 0 {
			// The business starts the conversation.
			e := chatkpi.Event{Time: at, Type: chatkpi.Message, Role: chatkpi.Bot}
			if rapid.Bool().Draw(t, "agent opens") {
				d.holder = rapid.SampledFrom(agents).Draw(t, "opening agent")
				e.Role, e.Agent = chatkpi.Agent, d.holder
			}
			d.botReplied = e.Role == chatkpi.Bot
			events = append(events, e)
			n--
		}
		for i := range n {
			at = at.Add(Gap().Draw(t, "gap"))
			e := d.event(i)
			e.Time = at
			d.botReplied = d.botReplied || e.Role == chatkpi.Bot && e.IsReply()
			events = append(events, e)
		}
		return &chatkpi.Chat{Meta: info, Events: events}
	})
}

// chatDraw is the state of one conversation that [Chat] is drawing.
type chatDraw struct {
	t          *rapid.T
	agents     []string
	holder     string          // the agent holding the conversation, if any
	online     map[string]bool // agents online, for alternating presence
	botReplied bool            // a bot replied: feedback has an answer to rate
}

// event draws the i-th event of the conversation, without its time.
func (d *chatDraw) event(i int) chatkpi.Event {
	t := d.t
	role := func(label string, rs ...chatkpi.Role) chatkpi.Role { return rapid.SampledFrom(rs).Draw(t, label) }
	surveyKinds := []chatkpi.Survey{chatkpi.CSATSurvey, chatkpi.NPSSurvey, chatkpi.CESSurvey}
	var e chatkpi.Event
	switch k := rapid.IntRange(0, 23).Draw(t, fmt.Sprintf("kind%d", i)); {
	case k < 6:
		e.Type, e.Role = chatkpi.Message, chatkpi.Customer
	case k < 8:
		e.Type, e.Role = chatkpi.Message, chatkpi.Bot
		e.Automatic = rapid.IntRange(0, 7).Draw(t, "bot automatic") == 0
	case k < 10:
		if d.holder == "" {
			d.holder = rapid.SampledFrom(d.agents).Draw(t, "agent")
		}
		e.Type, e.Role, e.Agent = chatkpi.Message, chatkpi.Agent, d.holder
		switch rapid.IntRange(0, 7).Draw(t, "agent message") {
		case 0:
			e.Private = true
		case 1:
			e.Automatic = true
		}
	case k == 10:
		e.Type, e.Role = chatkpi.Message, chatkpi.System
		e.Automatic = rapid.Bool().Draw(t, "automatic")
	case k == 11:
		e.Type, e.Role = chatkpi.Fallback, chatkpi.Bot
	case k == 12 && d.botReplied:
		e.Type, e.Role = chatkpi.Feedback, role("rater", chatkpi.Customer, chatkpi.Agent)
		e.Helpful = rapid.Bool().Draw(t, "helpful")
	case k == 12: // feedback needs a bot answer to rate
		e.Type, e.Role = chatkpi.Message, chatkpi.Bot
	case k == 13:
		e.Type, e.Role = chatkpi.Handoff, role("handoff by", chatkpi.Bot, chatkpi.System)
	case k == 14:
		e.Type, e.Role = chatkpi.Queued, role("queued by", chatkpi.System, chatkpi.Bot)
	case k == 15:
		// An agent joins, or the platform assigns one; with a holder, often
		// another agent: a transfer.
		next := rapid.SampledFrom(d.agents).Draw(t, "joiner")
		if d.holder != "" && next == d.holder && rapid.Bool().Draw(t, "transfer") {
			next = d.agents[(slices.Index(d.agents, next)+1)%len(d.agents)]
		}
		d.holder = next
		e.Type, e.Role, e.Agent = chatkpi.Joined, role("joined by", chatkpi.Agent, chatkpi.System), next
	case k == 16:
		e.Type, e.Role = chatkpi.Resolved, role("resolver", chatkpi.Agent, chatkpi.Bot, chatkpi.System)
		e.Agent = d.holder
	case k == 17:
		e.Type, e.Role = chatkpi.Reopened, role("reopener", chatkpi.Customer, chatkpi.Agent, chatkpi.System)
	case k == 18:
		e.Type, e.Role = chatkpi.Goal, chatkpi.Customer
		if rapid.Bool().Draw(t, "valued") {
			e.Value = decimal.New(rapid.Int64Range(1, 1_000_000).Draw(t, "cents"), -2)
			e.Currency = rapid.SampledFrom([]string{"EUR", "USD", "GBP"}).Draw(t, "currency")
		}
	case k == 19:
		e.Type, e.Role, e.Agent = chatkpi.SurveySent, role("survey by", chatkpi.System, chatkpi.Bot), d.holder
		e.Survey = rapid.SampledFrom(surveyKinds).Draw(t, "survey sent")
	case k == 20:
		kind := rapid.SampledFrom(surveyKinds).Draw(t, "survey")
		e.Type, e.Role, e.Survey, e.Agent = chatkpi.Rating, chatkpi.Customer, kind, d.holder
		e.Score = int8(SurveyScore(kind).Draw(t, "score"))
	case k == 21:
		agent := rapid.SampledFrom(d.agents).Draw(t, "presence agent")
		e.Type, e.Role, e.Agent = chatkpi.Online, role("presence by", chatkpi.Agent, chatkpi.System), agent
		if d.online[agent] {
			e.Type = chatkpi.Offline
		}
		d.online[agent] = !d.online[agent]
	case k == 22:
		e.Type = rapid.SampledFrom([]chatkpi.EventType{chatkpi.Pending, chatkpi.OnHold, chatkpi.Opened}).Draw(t, "ticket state")
		e.Role = role("state set by", chatkpi.Agent, chatkpi.Bot, chatkpi.System)
	default:
		e.Type, e.Role = chatkpi.Left, role("left recorded by", chatkpi.Customer, chatkpi.System)
	}
	return e
}

// Chats draws up to max valid conversations with distinct ids.
func Chats(max int) *rapid.Generator[[]*chatkpi.Chat] {
	return rapid.Custom(func(t *rapid.T) []*chatkpi.Chat {
		cs := rapid.SliceOfN(Chat(), 0, max).Draw(t, "chats")
		for i, c := range cs {
			c.Meta.ID = fmt.Sprintf("conv-%d", i)
		}
		return cs
	})
}
