package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func addAll(t require.TestingT, add func(int) error, counts map[int]int) {
	for score, n := range counts {
		for range n {
			require.NoError(t, add(score))
		}
	}
}

func TestCSATTopTwoBox(t *testing.T) {
	var c chatkpi.CSAT
	addAll(t, c.Add, map[int]int{1: 5, 2: 5, 3: 10, 4: 30, 5: 50})
	r, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Scale{Min: 1, Max: 5}, r.Scale)
	assert.Equal(t, 4, r.SatisfiedFrom)
	assert.Equal(t, 2, r.DissatisfiedThrough)
	assert.Equal(t, int64(100), r.Responses)
	assert.Equal(t, chatkpi.Distribution{0, 5, 5, 10, 30, 50}, r.Distribution)
	assert.Equal(t, chatkpi.Proportion{Successes: 80, Trials: 100}, r.Satisfied)
	assert.Equal(t, chatkpi.Proportion{Successes: 10, Trials: 100}, r.Dissatisfied)
	assert.Equal(t, 80.0, r.Percent)
	assert.Equal(t, 70.0, r.Net)
	// Wilson 95 % of 80/100 and the sample SE, computed with python3.
	assert.InDelta(t, 71.11708344068411, r.CI.Low, 1e-9)
	assert.InDelta(t, 86.66330666689676, r.CI.High, 1e-9)
	assert.InDelta(t, 4.15, r.Mean.Value, 1e-12)
	assert.Equal(t, int64(100), r.Mean.N)
	se, err := r.Mean.StandardError()
	require.NoError(t, err)
	assert.InDelta(t, 0.11135075167680683, se, 1e-12)
	_, err = r.ResponseRate()
	require.ErrorIs(t, err, chatkpi.ErrNoData, "no surveys were counted as sent")
}

func TestCSATScalesAndThresholds(t *testing.T) {
	tests := []struct {
		name                    string
		opts                    chatkpi.CSATSettings
		scale                   chatkpi.Scale
		satisfied, dissatisfied int
	}{
		{"default", chatkpi.CSATSettings{}, chatkpi.Scale{Min: 1, Max: 5}, 4, 2},
		{"1-7", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 7}}, chatkpi.Scale{Min: 1, Max: 7}, 6, 2},
		{"1-10", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}}, chatkpi.Scale{Min: 1, Max: 10}, 9, 2},
		{"0-10", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 0, Max: 10}}, chatkpi.Scale{Min: 0, Max: 10}, 9, 1},
		{"binary", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 0, Max: 1}}, chatkpi.Scale{Min: 0, Max: 1}, 1, 0},
		{"3 points", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 3}}, chatkpi.Scale{Min: 1, Max: 3}, 3, 1},
		{"4 points", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 4}}, chatkpi.Scale{Min: 1, Max: 4}, 3, 2},
		{"top box", chatkpi.CSATSettings{SatisfiedFrom: 5}, chatkpi.Scale{Min: 1, Max: 5}, 5, 2},
		{"bottom box", chatkpi.CSATSettings{DissatisfiedBelow: 2}, chatkpi.Scale{Min: 1, Max: 5}, 4, 1},
		{"order of options", chatkpi.CSATSettings{SatisfiedFrom: 8, Scale: chatkpi.Scale{Min: 1, Max: 10}}, chatkpi.Scale{Min: 1, Max: 10}, 8, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := chatkpi.NewCSAT(tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.scale, c.Scale())
			for s := tt.scale.Min; s <= tt.scale.Max; s++ {
				require.NoError(t, c.Add(s))
			}
			r, err := c.Result()
			require.NoError(t, err)
			assert.Equal(t, tt.satisfied, r.SatisfiedFrom)
			assert.Equal(t, tt.dissatisfied, r.DissatisfiedThrough)
			assert.Equal(t, int64(tt.scale.Max-tt.satisfied+1), r.Satisfied.Successes)
			assert.Equal(t, int64(tt.dissatisfied-tt.scale.Min+1), r.Dissatisfied.Successes)
		})
	}
}

func TestCSATDefaultsEqualZeroValue(t *testing.T) {
	c, err := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 5}, SatisfiedFrom: 4})
	require.NoError(t, err)
	assert.Equal(t, &chatkpi.CSAT{}, c)
	require.NoError(t, c.Merge(&chatkpi.CSAT{}))
}

func TestNewCSATRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name  string
		opts  chatkpi.CSATSettings
		field string
	}{
		{"one point", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 3, Max: 3}}, "scale"},
		{"reversed", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 5, Max: 1}}, "scale"},
		{"negative", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: -1, Max: 4}}, "scale"},
		{"12 points", chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 0, Max: 11}}, "scale"},
		{"satisfied at the bottom", chatkpi.CSATSettings{SatisfiedFrom: 1}, "satisfied"},
		{"satisfied above the top", chatkpi.CSATSettings{SatisfiedFrom: 6}, "satisfied"},
		{"dissatisfied below the bottom", chatkpi.CSATSettings{DissatisfiedBelow: 1}, "dissatisfied"},
		{"overlap", chatkpi.CSATSettings{SatisfiedFrom: 3, DissatisfiedBelow: 4}, "dissatisfied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := chatkpi.NewCSAT(tt.opts)
			require.Nil(t, c)
			var ie *chatkpi.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.ErrorIs(t, err, chatkpi.ErrInvalid)
		})
	}
}

func TestCSATRejectsOutOfScale(t *testing.T) {
	c, err := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}})
	require.NoError(t, err)
	for _, s := range []int{0, 11, -1, 100} {
		err := c.Add(s)
		var ie *chatkpi.InputError
		require.ErrorAs(t, err, &ie, "score %d", s)
		assert.Equal(t, "score", ie.Field)
	}
	_, err = c.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData, "rejected scores are not recorded")
	require.ErrorIs(t, c.AddSent(-1), chatkpi.ErrInvalid)
}

func TestCSATEmpty(t *testing.T) {
	var c chatkpi.CSAT
	_, err := c.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	_, err = c.ResponseRate()
	require.ErrorIs(t, err, chatkpi.ErrNoData)

	require.NoError(t, c.AddSent(3))
	_, err = c.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData, "surveys sent without answers give no CSAT")
	rate, err := c.ResponseRate()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 0, Trials: 3}, rate)
}

func TestCSATResponseRate(t *testing.T) {
	var c chatkpi.CSAT
	require.NoError(t, c.AddSent(4))
	require.NoError(t, c.Add(5))
	rate, err := c.ResponseRate()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 4}, rate)
	r, err := c.Result()
	require.NoError(t, err)
	rate, err = r.ResponseRate()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 4}, rate)

	for range 4 {
		require.NoError(t, c.Add(5))
	}
	_, err = c.ResponseRate()
	require.ErrorIs(t, err, chatkpi.ErrInvalid, "5 answers to 4 surveys")
}

func TestCSATAddConversation(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "c1"}, Events: []chatkpi.Event{
		{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at.Add(time.Minute), Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey},
		{Time: at.Add(time.Minute), Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.NPSSurvey},
		{Time: at.Add(2 * time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 5},
		{Time: at.Add(2 * time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 0},
	}}
	var csat chatkpi.CSAT
	require.NoError(t, csat.AddConversation(c))
	require.NoError(t, csat.AddConversation(adapted(c)))
	r, err := csat.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.Responses)
	assert.Equal(t, int64(2), r.Sent)
	assert.Equal(t, 100.0, r.Percent)

	tests := []struct {
		name  string
		edit  func(*chatkpi.Chat)
		event int
		field string
	}{
		{"out of order", func(c *chatkpi.Chat) { c.Events[2].Time = at }, 2, "time"},
		{"off the scale", func(c *chatkpi.Chat) { c.Events[3].Score = 7 }, 3, "score"},
		{"zero time", func(c *chatkpi.Chat) { c.Events[0].Time = time.Time{}; c.Events[1].Time = time.Time{} }, 1, "time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := chatkpi.NewChat(c)
			tt.edit(bad)
			before := csat
			for _, conv := range []chatkpi.Conversation{bad, adapted(bad)} {
				err := csat.AddConversation(conv)
				var ie *chatkpi.InputError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, "c1", ie.Conversation)
				assert.Equal(t, tt.event, ie.Event)
				assert.Equal(t, tt.field, ie.Field)
				assert.Equal(t, before, csat, "nothing is recorded from a conversation with an error")
			}
		})
	}
}

func TestCSATMergeIncompatible(t *testing.T) {
	var five chatkpi.CSAT
	ten, _ := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}})
	topBox, _ := chatkpi.NewCSAT(chatkpi.CSATSettings{SatisfiedFrom: 5})
	require.ErrorIs(t, five.Merge(ten), chatkpi.ErrIncompatible)
	require.ErrorIs(t, five.Merge(topBox), chatkpi.ErrIncompatible)
	require.NoError(t, five.Merge(nil))
}

func TestCSATUnmarshalRejectsInvalid(t *testing.T) {
	var c chatkpi.CSAT
	addAll(t, c.Add, map[int]int{2: 1, 5: 3})
	require.NoError(t, c.AddSent(6))
	good, err := c.MarshalBinary()
	require.NoError(t, err)
	// Layout: tag, version, min, max, satisfied, dissatisfied, sent, total,
	// then one count per point of the scale.
	require.Equal(t, []byte{0x01, 1, 1, 5, 4, 2, 6, 4, 0, 1, 0, 0, 3}, good)
	tests := map[string][]byte{
		"empty":          nil,
		"NPS tag":        {0x02, 1, 1, 5, 4, 2, 6, 4, 0, 1, 0, 0, 3},
		"version":        {0x01, 9, 1, 5, 4, 2, 6, 4, 0, 1, 0, 0, 3},
		"truncated":      good[:len(good)-1],
		"trailing":       append(append([]byte{}, good...), 0),
		"sum mismatch":   {0x01, 1, 1, 5, 4, 2, 6, 5, 0, 1, 0, 0, 3},
		"scale reversed": {0x01, 1, 5, 1, 4, 2, 6, 4, 0, 1, 0, 0, 3},
		"scale too wide": {0x01, 1, 0, 11, 4, 2, 6, 4, 0, 1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0},
		"overlap":        {0x01, 1, 1, 5, 2, 2, 6, 4, 0, 1, 0, 0, 3},
		"huge setting":   {0x01, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 5, 4, 2, 6, 4, 0, 1, 0, 0, 3},
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			d := c
			err := d.UnmarshalBinary(data)
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			assert.Equal(t, c, d, "a failed decode leaves the CSAT unchanged")
		})
	}
}

func TestCSATProperties(t *testing.T) {
	checkSurveyProperties(t,
		func(t *rapid.T) (func() *chatkpi.CSAT, *rapid.Generator[int]) {
			s := chatkpitest.Scale().Draw(t, "scale")
			return func() *chatkpi.CSAT {
				c, err := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: s.Min, Max: s.Max}})
				if err != nil {
					t.Fatal(err)
				}
				return c
			}, chatkpitest.ScoreOn(s)
		})
}

func TestCSATBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpitest.Scale().Draw(t, "scale")
		c, err := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: s.Min, Max: s.Max}})
		require.NoError(t, err)
		scores := rapid.SliceOfN(chatkpitest.ScoreOn(s), 1, 200).Draw(t, "scores")
		for _, sc := range scores {
			require.NoError(t, c.Add(sc))
		}
		err = c.Add(chatkpitest.ScoreOff(s).Draw(t, "off"))
		require.ErrorIs(t, err, chatkpi.ErrInvalid)
		r, err := c.Result()
		require.NoError(t, err)
		require.Equal(t, int64(len(scores)), r.Responses)
		require.True(t, r.Percent >= 0 && r.Percent <= 100, "CSAT %v", r.Percent)
		require.True(t, r.Net >= -100 && r.Net <= 100, "net %v", r.Net)
		require.True(t, r.CI.Low <= r.Percent && r.Percent <= r.CI.High, "%v outside %v", r.Percent, r.CI)
		require.True(t, r.CI.Low >= 0 && r.CI.High <= 100, "CI %v", r.CI)
		require.True(t, r.Mean.Value >= float64(s.Min) && r.Mean.Value <= float64(s.Max), "mean %v", r.Mean.Value)
	})
}

func FuzzCSATUnmarshalBinary(f *testing.F) {
	var c chatkpi.CSAT
	_ = c.Add(5)
	_ = c.AddSent(2)
	good, _ := c.MarshalBinary()
	f.Add(good)
	ten, _ := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 0, Max: 10}})
	_ = ten.Add(0)
	data, _ := ten.MarshalBinary()
	f.Add(data)
	f.Add([]byte{})
	f.Add([]byte{0x01, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecoded[chatkpi.CSAT](t, data, func(c *chatkpi.CSAT) error { _, err := c.Result(); return err })
	})
}
