// Package bench holds a deterministic synthetic workload and the benchmarks
// that measure chatkpi's core KPIs against the targets of the "Scale" issue.
// See README.md for how to run them and the measured figures.
package bench

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/chatkpi/chatkpi"
)

// epoch is the first possible conversation start. Times are built with
// time.Date, so they carry no monotonic reading, like times read from files.
var epoch = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

// spread is the range of conversation starts: about 90 days.
const spread = 90 * 24 * time.Hour

var agents = [...]string{"ana", "ben", "chen", "dara", "eli", "fay", "gus", "hana"}
var channels = [...]string{"chat", "email", "social"}

// Generate returns conversations holding exactly events events in total,
// the same for the same seed (math/rand/v2 PCG). A conversation has about
// ten events: customer messages, bot replies and fallbacks, handoffs, agent
// joins and replies, private notes, automatic acknowledgements and
// resolutions; a fifth carry CSAT and NPS surveys (SurveySent then Rating);
// a few are never answered. Starts are spread over about 90 days in UTC and
// the events of each conversation are in time order, so every chat passes
// [chatkpi.Validate]. The last conversation may be cut short to hit the
// exact count (a prefix of a valid conversation is valid).
func Generate(seed uint64, events int) []*chatkpi.Chat {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	chats := make([]*chatkpi.Chat, 0, events/10+1)
	// One backing array for all events keeps the workload compact and
	// cache-friendly, as a reader that decodes into a large slice would.
	all := make([]chatkpi.Event, 0, events+32) // +32: the last conversation overshoots before the cut
	for n := 0; len(all) < events; n++ {
		start := epoch.Add(time.Duration(r.Int64N(int64(spread))))
		first := len(all)
		all = appendConversation(all, r, start)
		if len(all) > events {
			all = all[:events]
		}
		chats = append(chats, &chatkpi.Chat{
			Meta: chatkpi.Info{
				ID:       "c" + strconv.Itoa(n),
				Customer: "u" + strconv.Itoa(r.IntN(events/20+1)),
				Channel:  channels[r.IntN(len(channels))],
				Start:    start,
			},
			Events: all[first:len(all):len(all)],
		})
	}
	return chats
}

// appendConversation appends one conversation starting at t.
func appendConversation(evs []chatkpi.Event, r *rand.Rand, t time.Time) []chatkpi.Event {
	add := func(d time.Duration, typ chatkpi.EventType, role chatkpi.Role) *chatkpi.Event {
		t = t.Add(d)
		evs = append(evs, chatkpi.Event{Time: t, Type: typ, Role: role})
		return &evs[len(evs)-1]
	}
	sec := func(lo, hi int) time.Duration { return time.Duration(lo+r.IntN(hi-lo+1)) * time.Second }
	agent := agents[r.IntN(len(agents))]

	add(0, chatkpi.Message, chatkpi.Customer)
	if r.IntN(20) == 0 { // 5 %: nobody ever answers
		add(sec(30, 600), chatkpi.Message, chatkpi.Customer)
		return evs
	}
	if r.IntN(3) == 0 {
		add(sec(0, 2), chatkpi.Message, chatkpi.System).Automatic = true
	}
	add(sec(1, 5), chatkpi.Message, chatkpi.Bot)
	add(sec(5, 60), chatkpi.Message, chatkpi.Customer)
	if r.IntN(4) == 0 {
		add(sec(1, 5), chatkpi.Fallback, chatkpi.Bot)
	}
	if r.IntN(10) < 7 { // 70 %: handed off to a human
		add(sec(1, 10), chatkpi.Handoff, chatkpi.Bot)
		add(sec(5, 600), chatkpi.Joined, chatkpi.Agent).Agent = agent
		if r.IntN(5) == 0 {
			add(sec(1, 30), chatkpi.Message, chatkpi.Agent).Private = true
		}
		add(sec(10, 1800), chatkpi.Message, chatkpi.Agent).Agent = agent
		for range r.IntN(3) {
			add(sec(10, 300), chatkpi.Message, chatkpi.Customer)
			add(sec(10, 900), chatkpi.Message, chatkpi.Agent).Agent = agent
		}
		add(sec(5, 120), chatkpi.Resolved, chatkpi.Agent).Agent = agent
	} else {
		add(sec(1, 5), chatkpi.Message, chatkpi.Bot)
		add(sec(5, 60), chatkpi.Message, chatkpi.Customer)
		add(sec(1, 3), chatkpi.Resolved, chatkpi.Bot)
	}
	if r.IntN(5) == 0 { // a fifth rate the conversation
		e := add(sec(1, 5), chatkpi.SurveySent, chatkpi.System)
		e.Survey = chatkpi.CSATSurvey
		e = add(sec(5, 300), chatkpi.Rating, chatkpi.Customer)
		e.Survey, e.Score = chatkpi.CSATSurvey, int8(1+r.IntN(5))
		e = add(sec(1, 5), chatkpi.SurveySent, chatkpi.System)
		e.Survey = chatkpi.NPSSurvey
		e = add(sec(5, 300), chatkpi.Rating, chatkpi.Customer)
		e.Survey, e.Score = chatkpi.NPSSurvey, int8(r.IntN(11))
	}
	return evs
}
