package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A report's score ranges hold exactly the Ratings that ValidateEvent
// accepts and that are on the report's scales, for every kind and score
// and the scales a report can have; the zero value holds none.
func TestScoreRanges(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, s := range []ReportSettings{
		{},
		{CSAT: CSATSettings{Scale: Scale{Min: 0, Max: 10}}},
		{CSAT: CSATSettings{Scale: Scale{Min: 1, Max: 3}}, CES: CESSettings{Scale: CESEffort5}},
	} {
		r, err := NewReport(s)
		require.NoError(t, err)
		held := 0
		for survey := Survey(0); survey <= CESSurvey+1; survey++ {
			for score := int8(-3); score <= 12; score++ {
				e := Event{Time: at, Type: Rating, Role: Customer, Survey: survey, Score: score}
				want := eventOK(&e) && r.onScale(&e)
				require.Equal(t, want, r.scores.hold(&e), "%+v: %s %d", s, survey, score)
				if want {
					held++
				}
				require.False(t, (&scoreRanges{}).hold(&e))
			}
		}
		require.Positive(t, held)
	}
}
