package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolutionTime(t *testing.T) {
	r, err := NewResolutionTime(ResolutionTimeSettings{})
	require.NoError(t, err)
	for _, c := range []*Chat{
		// Resolved once at 10 min.
		tchat("1", tev(0, Customer, Message), tev(600, Agent, Resolved)),
		// Resolved, reopened, resolved again: first 2 min, full 1 h, 1 cycle.
		tchat("2", tev(0, Customer, Message), tev(120, Agent, Resolved), tev(500, Customer, Reopened), tev(3600, Agent, Resolved)),
		// Resolved then reopened and still open: first only.
		tchat("3", tev(0, Customer, Message), tev(60, Bot, Resolved), tev(70, Customer, Reopened)),
		// Never resolved.
		tchat("4", tev(0, Customer, Message)),
		// Start from Info.Start.
		{Meta: Info{ID: "5", Start: timingT0.Add(-time.Minute)}, Events: []Event{tev(0, Customer, Message), tev(240, Agent, Resolved)}},
	} {
		require.NoError(t, r.AddConversation(c))
	}
	res, err := r.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(4), res.Resolved)
	assert.Equal(t, int64(1), res.Unresolved)
	assert.Equal(t, int64(1), res.ReopenedOpen)
	assert.Equal(t, int64(2), res.Reopens)
	assert.Equal(t, int64(2), res.Cycles)
	assert.Equal(t, Proportion{2, 4}, res.ReopenRate())
	r.first.sortValues()
	r.full.sortValues()
	assert.Equal(t, []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute}, r.first.values)
	assert.Equal(t, []time.Duration{5 * time.Minute, 10 * time.Minute, time.Hour}, r.full.values)

	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var back ResolutionTime
	require.NoError(t, back.UnmarshalBinary(b))
	res2, err := back.Result()
	require.NoError(t, err)
	assert.Equal(t, res, res2)
}

func TestResolutionTimeEdges(t *testing.T) {
	var r ResolutionTime
	_, err := r.Result()
	require.ErrorIs(t, err, ErrNoData)
	err = r.AddConversation(tchat("z", tev(10, Customer, Message), tev(5, Agent, Resolved)))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 1, ie.Event)
	// A reopen before any resolution is a reopen, not a cycle.
	require.NoError(t, r.AddConversation(tchat("r", tev(0, Customer, Reopened), tev(30, Agent, Resolved))))
	res, err := r.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), res.Reopens)
	assert.Equal(t, int64(0), res.Cycles)
	// Business time.
	h, _ := NewResolutionTime(ResolutionTimeSettings{})
	h.cfg.measure = halfTimeMeasure{}
	require.NoError(t, h.AddConversation(tchat("h", tev(0, Customer, Message), tev(100, Agent, Resolved))))
	hr, _ := h.Result()
	assert.Equal(t, 50*time.Second, hr.First.Mean)
	require.ErrorIs(t, r.Merge(h), ErrIncompatible)
}

func FuzzResolutionTimeUnmarshal(f *testing.F) {
	var r ResolutionTime
	_ = r.AddConversation(tchat("2", tev(0, Customer, Message), tev(120, Agent, Resolved), tev(500, Customer, Reopened)))
	b, _ := r.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r ResolutionTime
		if err := r.UnmarshalBinary(data); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}
