package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// eventSurelyOK, Report.check's inlined test of most events, passes only
// events that eventOK (and so ValidateEvent) accepts, and passes the
// common ones (the event types of commonFieldsOK); its test of the zero Time agrees with IsZero at the edges
// of the Time's range.
func TestEventSurelyOK(t *testing.T) {
	times := []time.Time{{}, time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC),
		time.Date(0, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(-400, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("x", 3600)), time.Unix(0, 0), time.Now()}
	rapid.Check(t, func(t *rapid.T) {
		e := fuzzEvent(0, byte(rapid.IntRange(0, 6).Draw(t, "role")), byte(rapid.IntRange(0, 18).Draw(t, "type")),
			byte(rapid.IntRange(0, 4).Draw(t, "survey")), rapid.IntRange(-2, 12).Draw(t, "score"),
			rapid.Int64Range(-2, 2).Draw(t, "cents"), rapid.SampledFrom([]string{"", "EUR", "eur"}).Draw(t, "currency"),
			rapid.SampledFrom([]string{"", "ana"}).Draw(t, "agent"))
		e.Time = rapid.SampledFrom(times).Draw(t, "time")
		if eventSurelyOK(&e, instantOf(&e.Time)) {
			require.True(t, eventOK(&e))
			require.NoError(t, ValidateEvent("c", 0, &e))
		}
	})
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	for _, typ := range []EventType{Message, Handoff, Queued, Left, Resolved, Reopened, Feedback, Fallback} {
		e := Event{Time: at, Type: typ, Role: Bot}
		require.True(t, eventSurelyOK(&e, instantOf(&e.Time)), "%s", typ)
	}
	for _, typ := range []EventType{Joined, Online, Offline} {
		e := Event{Time: at, Type: typ, Role: Agent, Agent: "ana"}
		require.True(t, eventSurelyOK(&e, instantOf(&e.Time)), "%s", typ)
	}
	for _, s := range []Survey{CSATSurvey, NPSSurvey, CESSurvey} {
		e := Event{Time: at, Type: SurveySent, Role: System, Survey: s}
		require.True(t, eventSurelyOK(&e, instantOf(&e.Time)), "%s", s)
	}
	zero := Event{Type: Message, Role: Customer}
	require.False(t, eventSurelyOK(&zero, instantOf(&zero.Time)))
}
