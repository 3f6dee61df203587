package chatkpitest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// requireReported checks that Validate reports b's defect at b's location.
func requireReported(t require.TestingT, b chatkpitest.Broken) {
	err := chatkpi.Validate(b.Chat)
	require.Error(t, err, "Validate accepted a conversation with %s", b.Defect)
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	var ie *chatkpi.InputError
	require.True(t, errors.As(err, &ie), "%T is not an *InputError", err)
	require.Equal(t, b.Field, ie.Field, "field of %s: %v", b.Defect, err)
	require.Equal(t, b.Event, ie.Event, "event of %s: %v", b.Defect, err)
	require.Equal(t, b.Conversation, ie.Conversation, "conversation of %s: %v", b.Defect, err)
}

func TestValidateReportsEveryDefect(t *testing.T) {
	at := chatkpitest.Epoch()
	valid := &chatkpi.Chat{Meta: chatkpi.Info{ID: "c1"}, Events: []chatkpi.Event{
		{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at.Add(time.Second), Type: chatkpi.Message, Role: chatkpi.Bot},
		{Time: at.Add(2 * time.Second), Type: chatkpi.Message, Role: chatkpi.Customer},
	}}
	require.NoError(t, chatkpi.Validate(valid))
	wantFields := map[chatkpitest.Defect]string{
		chatkpitest.EmptyID: "conversation", chatkpitest.ZeroTime: "time", chatkpitest.UnknownRole: "role",
		chatkpitest.UnknownType: "type", chatkpitest.OutOfOrder: "time", chatkpitest.RatingWithoutSurvey: "survey",
		chatkpitest.SentWithoutSurvey: "survey", chatkpitest.ScoreOutOfRange: "score", chatkpitest.NegativeValue: "value",
		chatkpitest.ValueWithoutCurrency: "currency", chatkpitest.BadCurrency: "currency",
		chatkpitest.MissingAgent: "agent", chatkpitest.FallbackNotByBot: "role",
	}
	require.Len(t, chatkpitest.Defects(), len(wantFields))
	for _, d := range chatkpitest.Defects() {
		t.Run(d.String(), func(t *testing.T) {
			b := chatkpitest.Break(valid, d, 1)
			assert.Equal(t, wantFields[d], b.Field)
			requireReported(t, b)
			require.NoError(t, chatkpi.Validate(valid), "Break changed its input")
		})
	}
}

func TestValidateReportsBrokenChat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		requireReported(t, chatkpitest.BrokenChat().Draw(t, "broken"))
	})
}

func TestValidateEventReportsBrokenEvent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := chatkpitest.BrokenChat().Draw(t, "broken")
		if b.Defect == chatkpitest.EmptyID || b.Defect == chatkpitest.OutOfOrder {
			return // not a defect of the event alone
		}
		e := b.Chat.Events[b.Event]
		err := chatkpi.ValidateEvent(b.Chat.Meta.ID, b.Event, &e)
		var ie *chatkpi.InputError
		require.True(t, errors.As(err, &ie), "ValidateEvent missed %s: %v", b.Defect, err)
		require.Equal(t, b.Field, ie.Field)
		require.Equal(t, b.Event, ie.Event)
	})
}

func TestScoreGenerators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpitest.Scale().Draw(t, "scale")
		require.True(t, s.Min >= 0 && s.Max <= 10 && s.Min < s.Max, "scale %v", s)
		require.True(t, s.Contains(chatkpitest.ScoreOn(s).Draw(t, "on")))
		require.False(t, s.Contains(chatkpitest.ScoreOff(s).Draw(t, "off")))
		kind := rapid.SampledFrom([]chatkpi.Survey{chatkpi.CSATSurvey, chatkpi.NPSSurvey, chatkpi.CESSurvey}).Draw(t, "kind")
		e := chatkpi.Event{Time: chatkpitest.Epoch(), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: kind,
			Score: int8(chatkpitest.SurveyScoreOff(kind).Draw(t, "score"))}
		require.Error(t, chatkpi.ValidateEvent("c", 0, &e))
	})
}

func TestSurveyChatIsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		kind := rapid.SampledFrom([]chatkpi.Survey{chatkpi.CSATSurvey, chatkpi.NPSSurvey, chatkpi.CESSurvey}).Draw(t, "kind")
		s := chatkpi.Scale{Min: 1, Max: 7}
		if kind != chatkpi.CESSurvey {
			s = chatkpitest.Scale().Draw(t, "scale")
		}
		c := chatkpitest.SurveyChat(kind, s).Draw(t, "chat")
		require.NoError(t, chatkpi.Validate(c))
		scores, _ := chatkpitest.Answers(c, kind)
		for _, sc := range scores {
			require.True(t, s.Contains(sc))
		}
	})
}
