package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestNPSWorkedExamples(t *testing.T) {
	// Expected standard errors and intervals computed with python3 from
	// SE = 100 × √((p + d − (p − d)²) / n).
	tests := []struct {
		name                 string
		counts               map[int]int
		det, pass, prom      int64
		score, se, low, high float64
		formatted            string
	}{
		{"one at each score", map[int]int{0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1},
			7, 2, 2, -45.45454545454545, 23.579078706920832, -91.66869050874556, 0.7595995996546492, "-45.45"},
		{"10/30/60", map[int]int{3: 10, 7: 15, 8: 15, 9: 30, 10: 30},
			10, 30, 60, 50, 6.708203932499369, 36.85216189135127, 63.14783810864873, "50.00"},
		{"10/6/4", map[int]int{0: 5, 6: 5, 7: 6, 10: 4},
			10, 6, 4, -30, 17.464249196572982, -64.22929944231562, 4.229299442315622, "-30.00"},
		{"all promoters", map[int]int{9: 3, 10: 2}, 0, 0, 5, 100, 0, 100, 100, "100.00"},
		{"all detractors", map[int]int{0: 1}, 1, 0, 0, -100, 0, -100, -100, "-100.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n chatkpi.NPS
			addAll(t, n.Add, tt.counts)
			r, err := n.Result()
			require.NoError(t, err)
			assert.Equal(t, tt.det, r.Detractors)
			assert.Equal(t, tt.pass, r.Passives)
			assert.Equal(t, tt.prom, r.Promoters)
			assert.Equal(t, tt.det+tt.pass+tt.prom, r.Responses)
			assert.InDelta(t, tt.score, r.Score, 1e-12)
			assert.InDelta(t, tt.se, r.SE, 1e-9)
			assert.InDelta(t, tt.low, r.CI.Low, 1e-9)
			assert.InDelta(t, tt.high, r.CI.High, 1e-9)
			assert.Equal(t, tt.formatted, chatkpi.FormatFloat(r.Score, 2))
			for s, c := range tt.counts {
				assert.Equal(t, int64(c), r.Distribution[s])
			}
		})
	}
}

func TestNPSIntervalIsNotClipped(t *testing.T) {
	var n chatkpi.NPS
	require.NoError(t, n.Add(10))
	require.NoError(t, n.Add(8))
	r, err := n.Result()
	require.NoError(t, err)
	assert.Equal(t, 50.0, r.Score)
	assert.Greater(t, r.CI.High, 100.0, "two answers are too few for the normal approximation; the interval says so")
}

func TestNPSEmptyAndInvalid(t *testing.T) {
	var n chatkpi.NPS
	_, err := n.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	for _, s := range []int{-1, 11} {
		var ie *chatkpi.InputError
		require.ErrorAs(t, n.Add(s), &ie)
		assert.Equal(t, "score", ie.Field)
	}
	_, err = n.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	assert.Equal(t, &chatkpi.NPS{}, chatkpi.NewNPS())
	require.NoError(t, n.Merge(nil))
}

func TestNPSAddConversation(t *testing.T) {
	at := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "n1"}, Events: []chatkpi.Event{
		{Time: at, Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 10},
		{Time: at, Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 1},
		{Time: at.Add(time.Hour), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 0},
	}}
	var n chatkpi.NPS
	require.NoError(t, n.AddConversation(c))
	r, err := n.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.Responses)
	assert.Equal(t, 0.0, r.Score)

	c.Events[2].Time = at.Add(-time.Second)
	err = n.AddConversation(c)
	var ie *chatkpi.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, chatkpi.InputError{Conversation: "n1", Event: 2, Field: "time", Reason: ie.Reason}, *ie)

	c.Events[2].Time = at
	c.Events[2].Score = 11
	require.ErrorAs(t, n.AddConversation(c), &ie)
	assert.Equal(t, "score", ie.Field)
	assert.Equal(t, 2, ie.Event)
	r2, err := n.Result()
	require.NoError(t, err)
	assert.Equal(t, r, r2, "nothing is recorded from a conversation with an error")
}

func TestNPSUnmarshalRejectsInvalid(t *testing.T) {
	var n chatkpi.NPS
	addAll(t, n.Add, map[int]int{0: 1, 9: 2})
	good, err := n.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, []byte{0x02, 1, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0}, good)
	tests := map[string][]byte{
		"empty":        {},
		"CES tag":      {0x03, 1, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0},
		"truncated":    good[:len(good)-1],
		"trailing":     append(append([]byte{}, good...), 0),
		"sum mismatch": {0x02, 1, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0},
		"overlong":     {0x02, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"overflow": {0x02, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			d := n
			require.ErrorIs(t, d.UnmarshalBinary(data), chatkpi.ErrInvalid)
			assert.Equal(t, n, d)
		})
	}
}

func TestNPSProperties(t *testing.T) {
	checkSurveyProperties(t, func(t *rapid.T) (func() *chatkpi.NPS, *rapid.Generator[int]) {
		return chatkpi.NewNPS, rapid.IntRange(0, 10)
	})
}

func TestNPSBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var n chatkpi.NPS
		for _, s := range rapid.SliceOfN(rapid.IntRange(0, 10), 1, 300).Draw(t, "scores") {
			require.NoError(t, n.Add(s))
		}
		r, err := n.Result()
		require.NoError(t, err)
		require.True(t, r.Score >= -100 && r.Score <= 100, "NPS %v", r.Score)
		require.Equal(t, r.Responses, r.Promoters+r.Passives+r.Detractors)
		require.True(t, r.SE >= 0 && r.SE <= 100, "SE %v", r.SE)
		require.True(t, r.CI.Low <= r.Score && r.Score <= r.CI.High, "%v outside %v", r.Score, r.CI)
	})
}

func FuzzNPSUnmarshalBinary(f *testing.F) {
	var n chatkpi.NPS
	for s := range 11 {
		_ = n.Add(s)
	}
	good, _ := n.MarshalBinary()
	f.Add(good)
	f.Add([]byte{0x02, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x02})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecoded[chatkpi.NPS](t, data, func(n *chatkpi.NPS) error { _, err := n.Result(); return err })
	})
}
