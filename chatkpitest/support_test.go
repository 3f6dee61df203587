package chatkpitest_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestSupportChatIsValidAndInOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := chatkpitest.SupportChat().Draw(t, "chat")
		if err := chatkpi.Validate(c); err != nil {
			t.Fatalf("generated conversation is invalid: %v", err)
		}
		greeting := len(c.Events) == 1 && c.Events[0].Role == chatkpi.Bot && c.Events[0].Automatic
		if len(c.Events) == 0 || c.Events[0].Type != chatkpi.Message || c.Events[0].Role != chatkpi.Customer && !greeting {
			t.Fatalf("opens with neither a customer message nor a greeting alone: %+v", c.Events)
		}
		for i := 1; i < len(c.Events); i++ {
			if c.Events[i].Time.Before(c.Events[i-1].Time) {
				t.Fatalf("event %d is before event %d", i, i-1)
			}
		}
		if from, to := chatkpitest.Epoch(), chatkpitest.Epoch().AddDate(0, 0, 182); c.Events[0].Time.Before(from) || !c.Events[0].Time.Before(to) {
			t.Fatalf("starts at %s, outside the 26 weeks after the epoch", c.Events[0].Time)
		}
	})
}

// TestSupportChatCoversWhatItsDocSays checks that a few hundred examples
// hold every feature SupportChat's doc lists, and that an example is the
// same for the same seed.
func TestSupportChatCoversWhatItsDocSays(t *testing.T) {
	seen := map[string]int{}
	customers := map[string]int{}
	for seed := range 400 {
		c := chatkpitest.SupportChat().Example(seed)
		require.Equal(t, c, chatkpitest.SupportChat().Example(seed), "seed %d", seed)
		customers[c.Meta.Customer]++
		bot := false
		for _, e := range c.Events {
			seen[e.Type.String()]++
			bot = bot || e.Role == chatkpi.Bot
			switch {
			case e.Type == chatkpi.Goal && e.Currency != "":
				seen["goal "+e.Currency]++
			case e.Type == chatkpi.Rating:
				seen["rating "+e.Survey.String()]++
			case e.Type == chatkpi.Joined && e.Role == chatkpi.System:
				seen["assigned"]++
			}
		}
		if !bot {
			seen["no bot"]++
		}
		if len(c.Events) == 1 {
			seen["greeting ignored"]++
		}
		joins := 0
		for _, e := range c.Events {
			if e.Type == chatkpi.Joined {
				joins++
			}
		}
		if joins > 1 {
			seen["transfer"]++
		}
		if wd := c.Events[0].Time.Weekday(); wd == time.Saturday || wd == time.Sunday {
			seen["weekend"]++
		}
	}
	for _, want := range []string{"message", "fallback", "feedback", "handoff", "queued", "joined", "left", "resolved", "reopened",
		"goal", "goal EUR", "goal USD", "survey_sent", "rating csat", "rating nps", "rating ces", "online", "offline",
		"pending", "on_hold", "opened", "assigned", "transfer", "no bot", "weekend", "greeting ignored"} {
		assert.Positive(t, seen[want], "no %s in 400 examples: %v", want, seen)
	}
	returning := 0
	for _, n := range customers {
		if n > 1 {
			returning++
		}
	}
	assert.Positive(t, returning, "no customer returns")
}
