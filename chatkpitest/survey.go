package chatkpitest

import (
	"fmt"
	"math"
	"time"

	"github.com/chatkpi/chatkpi"
	"pgregory.net/rapid"
)

// Scale draws a survey scale that the survey accumulators accept: 2 to 11
// points within 0–10, with the common ones (1–5, 1–7, 1–10, 0–10, 0–1)
// drawn often.
func Scale() *rapid.Generator[chatkpi.Scale] {
	return rapid.Custom(func(t *rapid.T) chatkpi.Scale {
		common := []chatkpi.Scale{{Min: 1, Max: 5}, {Min: 1, Max: 7}, {Min: 1, Max: 10}, {Min: 0, Max: 10}, {Min: 0, Max: 1}}
		if rapid.Bool().Draw(t, "common") {
			return rapid.SampledFrom(common).Draw(t, "scale")
		}
		lo := rapid.IntRange(0, 9).Draw(t, "min")
		return chatkpi.Scale{Min: lo, Max: rapid.IntRange(lo+1, 10).Draw(t, "max")}
	})
}

// ScoreOn draws a valid answer on s.
func ScoreOn(s chatkpi.Scale) *rapid.Generator[int] {
	return rapid.IntRange(s.Min, s.Max)
}

// ScoreOff draws an answer outside s: just below or above it, or far away
// (down to math.MinInt8 and up to math.MaxInt8, the range of
// [chatkpi.Event].Score).
func ScoreOff(s chatkpi.Scale) *rapid.Generator[int] {
	return rapid.Custom(func(t *rapid.T) int {
		switch rapid.IntRange(0, 3).Draw(t, "side") {
		case 0:
			return s.Min - 1
		case 1:
			return s.Max + 1
		case 2:
			return rapid.IntRange(math.MinInt8, s.Min-1).Draw(t, "below")
		default:
			return rapid.IntRange(s.Max+1, math.MaxInt8).Draw(t, "above")
		}
	})
}

// SurveyScoreOff draws an answer for the survey kind that is outside every
// scale [chatkpi.Validate] accepts for it (0–10 for CSAT and NPS, 1–7 for
// CES), so that Validate reports it.
func SurveyScoreOff(kind chatkpi.Survey) *rapid.Generator[int] {
	s := chatkpi.Scale{Min: 0, Max: 10}
	if kind == chatkpi.CESSurvey {
		s = chatkpi.Scale{Min: 1, Max: 7}
	}
	return ScoreOff(s)
}

// SurveyChat draws a valid conversation of up to 40 events in time order
// that asks the survey of kind and answers it on the scale s, mixed with
// customer and bot messages and with answers to the other survey kinds on
// their default scales (see [SurveyScore]). Surveys may be sent and not
// answered, and answered without a recorded SurveySent.
func SurveyChat(kind chatkpi.Survey, s chatkpi.Scale) *rapid.Generator[*chatkpi.Chat] {
	return rapid.Custom(func(t *rapid.T) *chatkpi.Chat {
		id := fmt.Sprintf("survey-%d", rapid.IntRange(0, 1<<30).Draw(t, "id"))
		at := Epoch().Add(time.Duration(rapid.Int64Range(0, int64(3*365*24*time.Hour)).Draw(t, "start")))
		n := rapid.IntRange(0, 40).Draw(t, "events")
		events := make([]chatkpi.Event, 0, n)
		others := []chatkpi.Survey{chatkpi.CSATSurvey, chatkpi.NPSSurvey, chatkpi.CESSurvey}
		for i := range n {
			at = at.Add(Gap().Draw(t, "gap"))
			e := chatkpi.Event{Time: at}
			switch k := rapid.IntRange(0, 9).Draw(t, fmt.Sprintf("kind%d", i)); {
			case k < 2:
				e.Type, e.Role = chatkpi.Message, chatkpi.Customer
			case k < 3:
				e.Type, e.Role = chatkpi.Message, chatkpi.Bot
			case k < 5:
				e.Type, e.Role, e.Survey = chatkpi.SurveySent, chatkpi.System, kind
			case k < 8:
				e.Type, e.Role, e.Survey = chatkpi.Rating, chatkpi.Customer, kind
				e.Score = int8(ScoreOn(s).Draw(t, "score"))
			case k < 9:
				other := rapid.SampledFrom(others).Draw(t, "other")
				e.Type, e.Role, e.Survey = chatkpi.SurveySent, chatkpi.System, other
			default:
				other := rapid.SampledFrom(others).Draw(t, "other")
				if other == kind {
					e.Type, e.Role = chatkpi.Message, chatkpi.Customer
					break
				}
				e.Type, e.Role, e.Survey = chatkpi.Rating, chatkpi.Customer, other
				e.Score = int8(SurveyScore(other).Draw(t, "otherScore"))
			}
			events = append(events, e)
		}
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Channel: "chat"}, Events: events}
	})
}

// Answers returns the scores of the Rating events of kind in c, in order,
// and the number of its SurveySent events of kind: what an accumulator
// should record from c.
func Answers(c chatkpi.Conversation, kind chatkpi.Survey) (scores []int, sent int64) {
	for i := range c.Len() {
		e := c.Event(i)
		if e.Survey != kind {
			continue
		}
		switch e.Type {
		case chatkpi.Rating:
			scores = append(scores, int(e.Score))
		case chatkpi.SurveySent:
			sent++
		}
	}
	return scores, sent
}
