// Package chatkpitest provides [pgregory.net/rapid] generators of chatkpi
// conversations, events and survey answers for property-based tests, as
// net/http/httptest provides test servers. Generated conversations are valid
// (they pass [chatkpi.Validate]) unless a generator's name says they are
// broken.
package chatkpitest

import (
	"fmt"
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

// Chat draws a valid conversation of up to 30 events in time order: customer
// messages, bot replies and fallbacks with feedback, handoffs, queueing,
// agents joining and replying, private notes, automatic and system
// messages, resolutions and reopens, goals with money, surveys and ratings on
// the default scales. Some conversations are outbound, some have no customer
// message, some are never answered.
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
			Outbound: rapid.IntRange(0, 9).Draw(t, "outbound") == 0,
			Dims:     map[string]string{"greeting": rapid.SampledFrom(greetings).Draw(t, "greeting")},
		}
		n := rapid.IntRange(0, 30).Draw(t, "events")
		events := make([]chatkpi.Event, 0, n)
		at := start
		agent := ""
		botReplied := false
		for i := range n {
			at = at.Add(Gap().Draw(t, "gap"))
			e := chatkpi.Event{Time: at}
			switch k := rapid.IntRange(0, 19).Draw(t, fmt.Sprintf("kind%d", i)); {
			case k < 6:
				e.Type, e.Role = chatkpi.Message, chatkpi.Customer
			case k < 8:
				e.Type, e.Role = chatkpi.Message, chatkpi.Bot
			case k < 10:
				if agent == "" {
					agent = rapid.SampledFrom(agents).Draw(t, "agent")
				}
				e.Type, e.Role, e.Agent = chatkpi.Message, chatkpi.Agent, agent
				e.Private = rapid.IntRange(0, 5).Draw(t, "private") == 0
			case k == 10:
				e.Type, e.Role = chatkpi.Message, chatkpi.System
				e.Automatic = rapid.Bool().Draw(t, "automatic")
			case k == 11:
				e.Type, e.Role = chatkpi.Fallback, chatkpi.Bot
			case k == 12 && botReplied:
				e.Type, e.Role = chatkpi.Feedback, chatkpi.Customer
				e.Helpful = rapid.Bool().Draw(t, "helpful")
			case k == 12: // feedback needs a bot answer to rate
				e.Type, e.Role = chatkpi.Message, chatkpi.Bot
			case k == 13:
				e.Type, e.Role = chatkpi.Handoff, chatkpi.Bot
			case k == 14:
				agent = rapid.SampledFrom(agents).Draw(t, "joiner")
				e.Type, e.Role, e.Agent = chatkpi.Joined, chatkpi.Agent, agent
			case k == 15:
				e.Type, e.Role = chatkpi.Resolved, rapid.SampledFrom([]chatkpi.Role{chatkpi.Agent, chatkpi.Bot, chatkpi.System}).Draw(t, "resolver")
				e.Agent = agent
			case k == 16:
				e.Type, e.Role = chatkpi.Reopened, chatkpi.Customer
			case k == 17:
				e.Type, e.Role = chatkpi.Goal, chatkpi.Customer
				if rapid.Bool().Draw(t, "valued") {
					e.Value = decimal.New(rapid.Int64Range(1, 1_000_000).Draw(t, "cents"), -2)
					e.Currency = rapid.SampledFrom([]string{"EUR", "USD"}).Draw(t, "currency")
				}
			case k == 18:
				kind := rapid.SampledFrom([]chatkpi.Survey{chatkpi.CSATSurvey, chatkpi.NPSSurvey, chatkpi.CESSurvey}).Draw(t, "survey")
				e.Type, e.Role, e.Survey, e.Agent = chatkpi.Rating, chatkpi.Customer, kind, agent
				e.Score = SurveyScore(kind).Draw(t, "score")
			default:
				e.Type, e.Role = chatkpi.Left, chatkpi.Customer
			}
			botReplied = botReplied || e.Role == chatkpi.Bot && e.IsReply()
			events = append(events, e)
		}
		return &chatkpi.Chat{Meta: info, Events: events}
	})
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
