package chatkpi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCSATSmallSampleFlag: 100 CSAT answers, 80 satisfied, have a Wilson
// interval of about 71 % to 87 %, 16 points: not a small sample; 10 answers
// are. The flag used to compare the interval in percent times 100, so every
// CSAT was a small sample.
func TestCSATSmallSampleFlag(t *testing.T) {
	for _, tc := range []struct {
		answers int
		small   bool
	}{{100, false}, {10, true}} {
		rep, err := chatkpi.NewReport(chatkpi.ReportSettings{})
		require.NoError(t, err)
		at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
		for i := range tc.answers {
			score := 5
			if i%5 == 0 {
				score = 2
			}
			require.NoError(t, rep.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint("c", i)}, Events: []chatkpi.Event{
				{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
				{Time: at.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: int8(score)},
			}}))
		}
		s, err := rep.Summary()
		require.NoError(t, err)
		c := s.Overall.CSAT
		require.NotNil(t, c)
		assert.Equal(t, int64(tc.answers), c.Responses)
		assert.Equal(t, tc.small, c.SmallSample, "%d answers, interval %.1f to %.1f %%", tc.answers, c.CILow, c.CIHigh)
	}
}
