package chatkpitest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// SupportChat draws a valid conversation as a support team with a bot and
// human agents has it, its events in the order they happen (unlike [Chat],
// whose events are any valid sequence). It starts within the 182 days
// (26 weeks, 2024-01-01 to 2024-06-30) from [Epoch], on weekdays mostly and
// between 07:00 and 21:00 UTC, with a customer drawn from 400 ("cust-001"
// to "cust-400", so that customers return), a channel, a source, a
// "greeting" dimension (A or B) and a priority (none, "high" or "low"). In
// one conversation of ten the bot's greeting (an automatic bot message) is
// all there is: the visitor never writes. Otherwise, drawn per
// conversation:
//
//   - the customer writes; in nine conversations of ten the bot answers,
//     sometimes with a fallback, and the customer may rate its answer;
//   - the bot resolves the question, the customer leaves, or the bot hands
//     over: the conversation is queued, the customer may give up waiting,
//     or a human agent (of five) comes online if needed and joins or is
//     assigned; in a conversation of ten without a bot the agent answers
//     directly;
//   - the agent and the customer exchange messages; the agent may transfer
//     the conversation to a colleague, set it pending (waiting on the
//     customer) or on hold (waiting on a third party) and open it again,
//     then resolves it; some are reopened by the customer and resolved
//     again; the agent goes offline afterwards;
//   - some customers reach a goal, with a value in EUR or USD;
//   - most resolved conversations are sent a CSAT survey, some an NPS or a
//     CES survey too, and most are answered, with scores that lean to the
//     top of their scale as real answers do.
//
// Its draws are stable for a seed: Example(seed) gives the same
// conversation every time with one version of this package and of rapid.
func SupportChat() *rapid.Generator[*chatkpi.Chat] {
	return rapid.Custom(func(t *rapid.T) *chatkpi.Chat {
		_, _, channels, sources, greetings := pools()
		// rapid's draws lean to the edges of their ranges, as a property
		// test wants; shares as in real data need uniform draws, from a
		// source seeded by rapid.
		s := supportDraw{r: rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), rapid.Uint64().Draw(t, "stream")))}
		day := s.r.IntN(182)
		start := Epoch().AddDate(0, 0, day)
		switch wd := start.Weekday(); { // most weekend contacts move to the Friday before
		case wd == time.Saturday && s.chance("weekend", 70):
			start = start.AddDate(0, 0, -1)
		case wd == time.Sunday && s.chance("weekend", 70):
			start = start.AddDate(0, 0, -2)
		}
		s.at = start
		s.wait("time of day", 7*time.Hour, 21*time.Hour)
		s.info = chatkpi.Info{
			ID:       fmt.Sprintf("support-%d", s.r.IntN(1<<30)),
			Customer: fmt.Sprintf("cust-%03d", 1+s.r.IntN(400)),
			Channel:  pick(s.r, channels),
			Source:   pick(s.r, sources),
			Priority: pick(s.r, []string{"", "", "low", "high"}),
			Dims:     map[string]string{"greeting": pick(s.r, greetings)},
		}
		if s.chance("greeting ignored", 10) {
			// The bot's greeting is shown and the visitor never writes.
			s.add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot, Automatic: true})
			return &chatkpi.Chat{Meta: s.info, Events: s.events}
		}
		s.customer(0)
		resolved := s.converse()
		if resolved && s.chance("goal", 25) {
			s.goal()
		}
		if resolved && s.chance("survey", 75) {
			s.surveys()
		}
		return &chatkpi.Chat{Meta: s.info, Events: s.events}
	})
}

// supportAgents are the human agents of [SupportChat].
func supportAgents() []string { return []string{"ana", "bo", "chen", "dara", "eli"} }

// supportDraw is the state of one conversation that [SupportChat] draws.
type supportDraw struct {
	r      *rand.Rand
	info   chatkpi.Info
	at     time.Time
	events []chatkpi.Event
	holder string // the agent holding the conversation
}

// pick draws one of list, each as likely.
func pick[V any](r *rand.Rand, list []V) V { return list[r.IntN(len(list))] }

// chance draws true with the given percent probability; what names the
// draw for the reader.
func (s *supportDraw) chance(what string, percent int) bool { return s.r.IntN(100) < percent }

// wait moves the clock on by a whole number of seconds drawn uniformly
// between lo and hi.
func (s *supportDraw) wait(what string, lo, hi time.Duration) {
	s.at = s.at.Add(lo + time.Second*time.Duration(s.r.Int64N(int64((hi-lo)/time.Second)+1)))
}

func (s *supportDraw) add(e chatkpi.Event) {
	e.Time = s.at
	s.events = append(s.events, e)
}

// customer adds a customer message after a pause of up to max.
func (s *supportDraw) customer(max time.Duration) {
	if max > 0 {
		s.wait("customer pause", 5*time.Second, max)
	}
	s.add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer})
}

func (s *supportDraw) agentReply(lo, hi time.Duration) {
	s.wait("agent reply", lo, hi)
	s.add(chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: s.holder})
}

// converse draws the conversation from the customer's first message to its
// end; it reports whether the conversation ended resolved.
func (s *supportDraw) converse() bool {
	if s.chance("no bot", 10) {
		return s.human(false)
	}
	rounds := 1 + s.r.IntN(3)
	for i := range rounds {
		s.wait("bot reply", time.Second, 6*time.Second)
		typ := chatkpi.Message
		if s.chance("fallback", 15) {
			typ = chatkpi.Fallback
		}
		s.add(chatkpi.Event{Type: typ, Role: chatkpi.Bot})
		if s.chance("feedback", 20) {
			s.wait("feedback", 2*time.Second, 30*time.Second)
			s.add(chatkpi.Event{Type: chatkpi.Feedback, Role: chatkpi.Customer, Helpful: typ == chatkpi.Message && s.chance("helpful", 75)})
		}
		if i < rounds-1 {
			s.customer(2 * time.Minute)
		}
	}
	switch k := s.r.IntN(100); {
	case k < 35:
		s.wait("bot resolves", 2*time.Second, time.Minute)
		s.add(chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Bot})
		return true
	case k < 45:
		s.wait("customer leaves", 10*time.Second, 5*time.Minute)
		s.add(chatkpi.Event{Type: chatkpi.Left, Role: chatkpi.Customer})
		return false
	default:
		s.wait("handoff", time.Second, 10*time.Second)
		s.add(chatkpi.Event{Type: chatkpi.Handoff, Role: chatkpi.Bot})
		return s.human(true)
	}
}

// human draws the human part: queue, join, exchange, resolution.
func (s *supportDraw) human(queued bool) bool {
	if queued {
		s.add(chatkpi.Event{Type: chatkpi.Queued, Role: chatkpi.System})
		if s.chance("abandons queue", 12) {
			s.wait("gives up", time.Minute, 20*time.Minute)
			s.add(chatkpi.Event{Type: chatkpi.Left, Role: chatkpi.Customer})
			return false
		}
	}
	s.holder = pick(s.r, supportAgents())
	if s.chance("comes online", 30) {
		s.wait("online", time.Second, 2*time.Minute)
		s.add(chatkpi.Event{Type: chatkpi.Online, Role: chatkpi.Agent, Agent: s.holder})
	}
	s.wait("queue wait", 20*time.Second, 15*time.Minute)
	s.add(chatkpi.Event{Type: chatkpi.Joined, Role: pick(s.r, []chatkpi.Role{chatkpi.Agent, chatkpi.System}), Agent: s.holder})
	s.agentReply(5*time.Second, 3*time.Minute)
	for range s.r.IntN(4) {
		s.customer(4 * time.Minute)
		s.agentReply(10*time.Second, 5*time.Minute)
	}
	if s.chance("transfer", 15) {
		agents := supportAgents()
		next := pick(s.r, agents)
		if next == s.holder {
			next = agents[(slices.Index(agents, next)+1)%len(agents)]
		}
		s.holder = next
		s.wait("transfer", 30*time.Second, 5*time.Minute)
		s.add(chatkpi.Event{Type: chatkpi.Joined, Role: chatkpi.System, Agent: s.holder})
		s.agentReply(10*time.Second, 4*time.Minute)
	}
	switch k := s.r.IntN(100); {
	case k < 20: // the agent asks the customer, who answers later
		s.wait("pending", 10*time.Second, time.Minute)
		s.add(chatkpi.Event{Type: chatkpi.Pending, Role: chatkpi.Agent})
		s.customer(6 * time.Hour)
		s.agentReply(time.Minute, 30*time.Minute)
	case k < 30: // the agent waits on a third party
		s.wait("on hold", 10*time.Second, time.Minute)
		s.add(chatkpi.Event{Type: chatkpi.OnHold, Role: chatkpi.Agent})
		s.wait("third party", 30*time.Minute, 2*24*time.Hour)
		s.add(chatkpi.Event{Type: chatkpi.Opened, Role: chatkpi.Agent})
		s.agentReply(10*time.Second, 2*time.Minute)
	}
	s.wait("resolve", 10*time.Second, 10*time.Minute)
	s.add(chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: s.holder})
	if s.chance("reopen", 8) {
		s.wait("reopen", time.Hour, 3*24*time.Hour)
		s.add(chatkpi.Event{Type: chatkpi.Reopened, Role: chatkpi.Customer})
		s.customer(0)
		s.agentReply(time.Minute, time.Hour)
		s.wait("resolve again", time.Minute, time.Hour)
		s.add(chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: s.holder})
	}
	if s.chance("goes offline", 30) {
		s.wait("offline", time.Minute, 4*time.Hour)
		s.add(chatkpi.Event{Type: chatkpi.Offline, Role: chatkpi.Agent, Agent: s.holder})
	}
	return true
}

// goal adds a goal with a value in EUR or USD, or without a value.
func (s *supportDraw) goal() {
	s.wait("goal", 10*time.Second, 30*time.Minute)
	e := chatkpi.Event{Type: chatkpi.Goal, Role: chatkpi.Customer}
	if s.chance("valued", 85) {
		e.Value = decimal.New(500+s.r.Int64N(49501), -2)
		e.Currency = pick(s.r, []string{"EUR", "EUR", "USD"})
	}
	s.add(e)
}

// surveys sends a CSAT survey, sometimes NPS and CES too, and answers most.
func (s *supportDraw) surveys() {
	kinds := []chatkpi.Survey{chatkpi.CSATSurvey}
	if s.chance("nps", 40) {
		kinds = append(kinds, chatkpi.NPSSurvey)
	}
	if s.chance("ces", 30) {
		kinds = append(kinds, chatkpi.CESSurvey)
	}
	// Scores lean to the top of each scale (CSAT 1–5, NPS 0–10, CES 1–7).
	scores := map[chatkpi.Survey][]int{
		chatkpi.CSATSurvey: {5, 5, 5, 5, 4, 4, 4, 3, 2, 1},
		chatkpi.NPSSurvey:  {10, 10, 9, 9, 9, 8, 8, 7, 6, 5, 3, 0},
		chatkpi.CESSurvey:  {7, 7, 6, 6, 6, 5, 4, 3, 2},
	}
	for _, k := range kinds {
		s.wait("survey sent", time.Second, time.Minute)
		s.add(chatkpi.Event{Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: k, Agent: s.holder})
		if s.chance("answered", 65) {
			s.wait("answer", 10*time.Second, 2*time.Hour)
			s.add(chatkpi.Event{Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: k, Agent: s.holder,
				Score: int8(pick(s.r, scores[k]))})
		}
	}
}
