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
