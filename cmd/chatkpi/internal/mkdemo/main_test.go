package main

import (
	"bytes"
	"os"
	"sort"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmbeddedDemoUpToDate fails when the committed demo sample differs from
// what mkdemo writes now: the sample is deterministic, and regenerating it
// (go generate ./cmd/chatkpi) gives the same bytes.
func TestEmbeddedDemoUpToDate(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, write(&a))
	require.NoError(t, write(&b))
	require.True(t, bytes.Equal(a.Bytes(), b.Bytes()), "two runs of mkdemo differ")
	committed, err := os.ReadFile("../../data/demo.jsonl")
	require.NoError(t, err)
	require.True(t, bytes.Equal(a.Bytes(), committed), "data/demo.jsonl is stale: run go generate ./cmd/chatkpi")
}

// TestDemoPresenceAlternates: every agent's Online and Offline events, over
// the whole sample in time order, alternate, so that chatkpi.Presence takes
// them all.
func TestDemoPresenceAlternates(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, write(&b))
	r, err := chatkpi.NewJSONLReader(&b)
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	var events []chatkpi.Event
	for _, c := range chats {
		for _, e := range c.Events {
			if e.Type == chatkpi.Online || e.Type == chatkpi.Offline {
				events = append(events, e)
			}
		}
	}
	require.Greater(t, len(events), 50)
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	var p chatkpi.Presence
	for _, e := range events {
		require.NoError(t, p.Add(e))
	}
	end := events[len(events)-1].Time
	for _, agent := range []string{"ana", "bo", "chen", "dara", "eli"} {
		online, err := p.OnlineTime(agent, end)
		require.NoError(t, err, agent)
		assert.Positive(t, online, agent)
	}
}
