package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestCESScales(t *testing.T) {
	// Expected means, standard errors and Wilson intervals computed with
	// python3.
	tests := []struct {
		name           string
		opts           chatkpi.CESSettings
		scale          chatkpi.CESScale
		counts         map[int]int
		low            int64
		mean, se       float64
		ciLow, ciHigh  float64
		higherIsBetter bool
	}{
		{"CES 2.0 by default", chatkpi.CESSettings{}, chatkpi.CESAgreement7,
			map[int]int{1: 2, 2: 3, 3: 5, 4: 10, 5: 20, 6: 30, 7: 30},
			80, 5.53, 0.14595903673305194, 71.11708344068411, 86.66330666689676, true},
		{"original 1-5 effort", chatkpi.CESSettings{Scale: chatkpi.CESEffort5}, chatkpi.CESEffort5,
			map[int]int{1: 40, 2: 30, 3: 15, 4: 10, 5: 5},
			70, 2.1, 0.11849221088495243, 60.41514536665332, 78.10511470506724, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := chatkpi.NewCES(tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.scale, c.Scale())
			assert.Equal(t, tt.higherIsBetter, c.Scale().HigherIsBetter())
			addAll(t, c.Add, tt.counts)
			r, err := c.Result()
			require.NoError(t, err)
			assert.Equal(t, tt.scale, r.Scale)
			assert.Equal(t, int64(100), r.Responses)
			assert.Equal(t, chatkpi.Proportion{Successes: tt.low, Trials: 100}, r.LowEffort)
			assert.Equal(t, float64(tt.low), r.LowEffortPercent)
			assert.InDelta(t, tt.ciLow, r.LowEffortCI.Low, 1e-9)
			assert.InDelta(t, tt.ciHigh, r.LowEffortCI.High, 1e-9)
			assert.InDelta(t, tt.mean, r.Mean.Value, 1e-12)
			se, err := r.Mean.StandardError()
			require.NoError(t, err)
			assert.InDelta(t, tt.se, se, 1e-12)
			for s, n := range tt.counts {
				assert.Equal(t, int64(n), r.Distribution[s])
			}
		})
	}
}

func TestCESScaleNames(t *testing.T) {
	assert.Equal(t, chatkpi.Scale{Min: 1, Max: 7}, chatkpi.CESAgreement7.Scale())
	assert.Equal(t, chatkpi.Scale{Min: 1, Max: 5}, chatkpi.CESEffort5.Scale())
	lo, hi := chatkpi.CESAgreement7.LowEffort()
	assert.Equal(t, [2]int{5, 7}, [2]int{lo, hi})
	lo, hi = chatkpi.CESEffort5.LowEffort()
	assert.Equal(t, [2]int{1, 2}, [2]int{lo, hi})
	assert.Equal(t, "CES 2.0 (1–7 agreement)", chatkpi.CESAgreement7.String())
	assert.Equal(t, "CES (1–5 effort)", chatkpi.CESEffort5.String())
	assert.Equal(t, "CESScale(9)", chatkpi.CESScale(9).String())
	_, err := chatkpi.NewCES(chatkpi.CESSettings{Scale: chatkpi.CESScale(9)})
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
}

func TestCESEmptyInvalidIncompatible(t *testing.T) {
	var c chatkpi.CES
	_, err := c.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	for _, s := range []int{0, 8} {
		var ie *chatkpi.InputError
		require.ErrorAs(t, c.Add(s), &ie)
		assert.Equal(t, "score", ie.Field)
	}
	five, _ := chatkpi.NewCES(chatkpi.CESSettings{Scale: chatkpi.CESEffort5})
	require.ErrorIs(t, five.Add(6), chatkpi.ErrInvalid)
	require.ErrorIs(t, c.Merge(five), chatkpi.ErrIncompatible)
	require.NoError(t, c.Merge(nil))
	_, err = c.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
}

func TestCESAddConversation(t *testing.T) {
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "e1"}, Events: []chatkpi.Event{
		{Time: at, Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CESSurvey},
		{Time: at.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CESSurvey, Score: 5},
	}}
	five, _ := chatkpi.NewCES(chatkpi.CESSettings{Scale: chatkpi.CESEffort5})
	require.NoError(t, five.AddConversation(c))
	c.Events[1].Score = 6
	var ie *chatkpi.InputError
	require.ErrorAs(t, five.AddConversation(c), &ie, "6 is on 1–7 but not on 1–5")
	assert.Equal(t, chatkpi.InputError{Conversation: "e1", Event: 1, Field: "score", Reason: ie.Reason}, *ie)
	r, err := five.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.Responses)
	assert.Equal(t, int64(0), r.LowEffort.Successes, "5 is high effort on the 1–5 scale")
}

func TestCESUnmarshalRejectsInvalid(t *testing.T) {
	var c chatkpi.CES
	addAll(t, c.Add, map[int]int{7: 2})
	good, err := c.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, []byte{0x03, 1, 0, 2, 0, 0, 0, 0, 0, 0, 2}, good)
	tests := map[string][]byte{
		"CSAT tag":                {0x01, 1, 0, 2, 0, 0, 0, 0, 0, 0, 2},
		"unknown scale":           {0x03, 1, 2, 2, 0, 0, 0, 0, 0, 0, 2},
		"sum mismatch":            {0x03, 1, 0, 3, 0, 0, 0, 0, 0, 0, 2},
		"truncated":               good[:5],
		"scale 1-5 with 7 counts": {0x03, 1, 1, 2, 0, 0, 0, 0, 0, 0, 2},
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			d := c
			require.ErrorIs(t, d.UnmarshalBinary(data), chatkpi.ErrInvalid)
			assert.Equal(t, c, d)
		})
	}
}

func TestCESProperties(t *testing.T) {
	checkSurveyProperties(t, func(t *rapid.T) (func() *chatkpi.CES, *rapid.Generator[int]) {
		s := rapid.SampledFrom([]chatkpi.CESScale{chatkpi.CESAgreement7, chatkpi.CESEffort5}).Draw(t, "scale")
		return func() *chatkpi.CES {
			c, err := chatkpi.NewCES(chatkpi.CESSettings{Scale: s})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, rapid.IntRange(s.Scale().Min, s.Scale().Max)
	})
}

func TestCESBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.SampledFrom([]chatkpi.CESScale{chatkpi.CESAgreement7, chatkpi.CESEffort5}).Draw(t, "scale")
		c, err := chatkpi.NewCES(chatkpi.CESSettings{Scale: s})
		require.NoError(t, err)
		for _, sc := range rapid.SliceOfN(rapid.IntRange(s.Scale().Min, s.Scale().Max), 1, 200).Draw(t, "scores") {
			require.NoError(t, c.Add(sc))
		}
		r, err := c.Result()
		require.NoError(t, err)
		p := r.LowEffortPercent
		require.True(t, p >= 0 && p <= 100, "low effort %v", p)
		require.True(t, r.LowEffortCI.Low <= p && p <= r.LowEffortCI.High, "%v outside %v", p, r.LowEffortCI)
		require.True(t, r.Mean.Value >= float64(s.Scale().Min) && r.Mean.Value <= float64(s.Scale().Max))
	})
}

func FuzzCESUnmarshalBinary(f *testing.F) {
	var c chatkpi.CES
	_ = c.Add(7)
	good, _ := c.MarshalBinary()
	f.Add(good)
	five, _ := chatkpi.NewCES(chatkpi.CESSettings{Scale: chatkpi.CESEffort5})
	_ = five.Add(1)
	data, _ := five.MarshalBinary()
	f.Add(data)
	f.Add([]byte{0x03, 1, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecoded[chatkpi.CES](t, data, func(c *chatkpi.CES) error { _, err := c.Result(); return err })
	})
}
