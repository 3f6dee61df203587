package chatkpi

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// checkOracle is Report.check's scan spelled out plainly: every event through
// checkEvent (ValidateEvent, then time.Time.Before against the event
// before), then the report's own rules in the order of the events. The
// report's check must give exactly its answer: the same first error (the
// same message, event and field) and, without one, the same counts.
func checkOracle(r *Report, info *Info, ev []Event) (messages int64, start time.Time, tally [CESSurvey + 1]surveyTally, err error) {
	start, err = r.checkStart(info, ev) // shared: the oracle is of the scan over the events
	if err != nil {
		return 0, start, tally, err
	}
	csatScale, cesScale := r.proto.csat.Scale(), r.proto.ces.Scale().Scale()
	botReplies, engaged, resolved, resolvedIdx := 0, false, false, -1
	for i := range ev {
		e := &ev[i]
		if err := checkEvent(info.ID, ev, i); err != nil {
			return 0, start, tally, err
		}
		switch e.Type {
		case Message:
			if !e.Private {
				messages++
			}
			if e.IsCustomerMessage() {
				engaged = true
			} else if e.Role == Bot && e.IsReply() {
				botReplies++
			}
		case Fallback:
			messages++
			botReplies++
		case Feedback:
			if botReplies == 0 {
				return 0, start, tally, eventErrorf(info.ID, i, "type", "feedback before any bot reply: it has no answer to rate")
			}
		case Rating:
			switch {
			case e.Survey == CSATSurvey && !csatScale.Contains(int(e.Score)):
				return 0, start, tally, eventErrorf(info.ID, i, "score", "%d is outside the csat scale %s", e.Score, csatScale)
			case e.Survey == CESSurvey && !cesScale.Contains(int(e.Score)):
				return 0, start, tally, eventErrorf(info.ID, i, "score", "%d is outside the ces scale %s", e.Score, cesScale)
			}
			tally[e.Survey].dist[e.Score]++
			tally[e.Survey].answers++
		case SurveySent:
			tally[e.Survey].sent++
		case Resolved:
			if !resolved {
				resolved, resolvedIdx = true, i
			}
		case Reopened:
			resolved = false
		}
	}
	if !resolved {
		resolvedIdx = -1
	}
	if engaged {
		if err := timeRangeError(info, start, ev, resolvedIdx); err != nil { // shared, as checkStart
			return 0, start, tally, err
		}
	}
	return messages, start, tally, nil
}

// drawCheckTime draws the time of an event after prev: a step forward or
// back from it, or a time of another kind — in Local, with a monotonic
// clock reading, zero, or at the edges of time.Time's seconds, where Unix
// seconds wrap.
func drawCheckTime(t *rapid.T, prev time.Time, now time.Time, label string) time.Time {
	switch 59 - rapid.IntRange(0, 59).Draw(t, label+" kind") { // rapid draws small numbers more often
	case 0:
		return time.Time{}
	case 1:
		return now.Add(time.Duration(rapid.Int64Range(-3, 3).Draw(t, label+" mono s")) * time.Second) // monotonic
	case 2:
		return time.Unix(rapid.Int64Range(1e9, 2e9).Draw(t, label+" local s"), 0) // Local, no monotonic reading
	case 3:
		// Seconds at the ends of int64: Unix seconds + 62135596800 overflow.
		return time.Unix(rapid.SampledFrom([]int64{math.MaxInt64 - 62135596800 + 1, math.MaxInt64, math.MinInt64, math.MinInt64 + 62135596800 - 1}).Draw(t, label+" edge s"),
			rapid.Int64Range(0, 999_999_999).Draw(t, label+" edge ns")).UTC()
	case 4:
		return time.Date(rapid.SampledFrom([]int{1677, 1678, 2261, 2262}).Draw(t, label+" year"), 6, 1, 0, 0, 0, 0, time.UTC)
	}
	if prev.IsZero() {
		prev = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	}
	return prev.Add(time.Duration((20 - rapid.Int64Range(0, 22).Draw(t, label+" step"))) * time.Second / 2)
}

// The report's check agrees with checkOracle on conversations with every
// kind of event and time: zero, Local, monotonic, out of order, at the
// edges of the supported years and of time.Time's seconds.
func TestReportCheckAgreesWithOracle(t *testing.T) {
	now := time.Now()
	rapid.Check(t, func(t *rapid.T) {
		var s ReportSettings
		if rapid.Bool().Draw(t, "csat 0–10") {
			s.CSAT.Scale = Scale{Min: 0, Max: 10}
		}
		if rapid.Bool().Draw(t, "ces 1–5") {
			s.CES.Scale = CESEffort5
		}
		r, err := NewReport(s)
		if err != nil {
			t.Fatal(err)
		}
		info := Info{ID: rapid.SampledFrom([]string{"c", "c", "c", "c", "c", ""}).Draw(t, "id")}
		if rapid.Bool().Draw(t, "start") {
			info.Start = drawCheckTime(t, time.Time{}, now, "start")
		}
		ev := make([]Event, rapid.IntRange(0, 8).Draw(t, "events"))
		prev := info.Start
		for i := range ev {
			prev = drawCheckTime(t, prev, now, "event")
			// Lists rather than ranges: rapid draws their first items more
			// often (small numbers), common valid values there.
			ev[i] = Event{
				Time: prev,
				Type: rapid.SampledFrom([]EventType{Message, Message, Resolved, Feedback, Reopened, Rating, Fallback, SurveySent,
					Joined, Handoff, Queued, Left, Goal, Online, Offline, Pending, OnHold, Opened, 0, lastEventType + 1}).Draw(t, "type"),
				Role:      rapid.SampledFrom([]Role{Customer, Bot, Agent, System, 0, System + 1}).Draw(t, "role"),
				Agent:     rapid.SampledFrom([]string{"ana", ""}).Draw(t, "agent"),
				Survey:    rapid.SampledFrom([]Survey{0, CSATSurvey, NPSSurvey, CESSurvey, CESSurvey + 1}).Draw(t, "survey"),
				Score:     rapid.SampledFrom([]int8{3, 5, 1, 0, 10, 7, 6, -1, 11}).Draw(t, "score"),
				Private:   rapid.Bool().Draw(t, "private"),
				Automatic: rapid.Bool().Draw(t, "automatic"),
			}
		}
		// The scratch measures of an earlier conversation, with surveys
		// or without.
		var cm conversationMeasures
		if rapid.Bool().Draw(t, "earlier surveys") {
			cm.tally[CSATSurvey].dist[4], cm.tally[NPSSurvey].sent, cm.tallied = 2, 1, true
		}
		m1, s1, err1 := r.check(&info, ev, &cm)
		m2, s2, v2, err2 := checkOracle(r, &info, ev)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("check: %v; oracle: %v", err1, err2)
		}
		if err1 == nil && (m1 != m2 || s1 != s2 || cm.tally != v2 || cm.tallied != (v2 != [CESSurvey + 1]surveyTally{})) {
			t.Fatalf("check: %d %v %v %v; oracle: %d %v %v", m1, s1, cm.tally, cm.tallied, m2, s2, v2)
		}
	})
}

// instant's order test never says "not before" where time.Time.Before says
// "before", and says exactly what Before says unless both times may carry
// monotonic readings.
func TestInstantMayBeBefore(t *testing.T) {
	now := time.Now()
	rapid.Check(t, func(t *rapid.T) {
		a := drawCheckTime(t, time.Time{}, now, "a")
		b := drawCheckTime(t, a, now, "b")
		if rapid.Bool().Draw(t, "swap") {
			a, b = b, a
		}
		ia, ib := instantOf(&a), instantOf(&b)
		may, before := ia.mayBeBefore(ib), a.Before(b)
		if before && !may {
			t.Fatalf("%v is before %v, but mayBeBefore says no", a, b)
		}
		if !(ia.local && ib.local) && may != before {
			t.Fatalf("%v before %v: mayBeBefore %v, Before %v", a, b, may, before)
		}
		if (ia.sec == 0 && ia.nsec == 0) != a.IsZero() {
			t.Fatalf("%v: instant %+v", a, ia)
		}
	})
}

// The report's check on conversations with a known first error (or none).
func TestReportCheckKnownErrors(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	far := time.Date(2262, 6, 1, 0, 0, 0, 0, time.UTC) // beyond Unix nanoseconds
	ev := func(d time.Duration, typ EventType, role Role) Event {
		return Event{Time: at.Add(d), Type: typ, Role: role}
	}
	farEv := func(d time.Duration, typ EventType) Event { return Event{Time: far.Add(d), Type: typ, Role: Agent} }
	automatic := ev(time.Second, Message, Bot)
	automatic.Automatic = true
	for _, tc := range []struct {
		name  string
		ev    []Event
		event int // of the error; -2: none
	}{
		{"feedback after an automatic bot message", []Event{ev(0, Message, Customer), automatic, ev(2*time.Second, Feedback, Customer)}, 2},
		{"feedback after a bot reply", []Event{ev(0, Message, Customer), ev(time.Second, Message, Bot), ev(2*time.Second, Feedback, Customer)}, -2},
		{"resolved out of range, reopened", []Event{ev(0, Message, Customer), farEv(0, Resolved), farEv(time.Second, Reopened)}, -2},
		{"resolved out of range, reopened, resolved", []Event{ev(0, Message, Customer), farEv(0, Resolved), farEv(time.Second, Reopened), farEv(2*time.Second, Resolved)}, 3},
		{"resolved twice, out of range", []Event{ev(0, Message, Customer), farEv(0, Resolved), farEv(time.Second, Resolved)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReport(ReportSettings{})
			if err != nil {
				t.Fatal(err)
			}
			info := Info{ID: "c"}
			_, _, err = r.check(&info, tc.ev, new(conversationMeasures))
			_, _, _, want := checkOracle(r, &info, tc.ev)
			if (err == nil) != (want == nil) || err != nil && err.Error() != want.Error() {
				t.Fatalf("check: %v; oracle: %v", err, want)
			}
			var ie *InputError
			switch {
			case tc.event == -2 && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.event != -2 && (!errors.As(err, &ie) || ie.Event != tc.event):
				t.Fatalf("error %v, want one at event %d", err, tc.event)
			}
		})
	}
}

// check tallies the answers and sent surveys of every kind, and nothing
// of another conversation's tallies remains.
func TestReportCheckTalliesSurveys(t *testing.T) {
	r, err := NewReport(ReportSettings{})
	require.NoError(t, err)
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	ev := []Event{
		{Time: at, Type: Message, Role: Customer, Survey: NPSSurvey}, // names a kind, neither asks nor answers
		{Time: at, Type: SurveySent, Role: System, Survey: CSATSurvey},
		{Time: at, Type: Rating, Role: Customer, Survey: CSATSurvey, Score: 4},
		{Time: at, Type: Rating, Role: Customer, Survey: NPSSurvey, Score: 9},
		{Time: at, Type: SurveySent, Role: System, Survey: CESSurvey},
	}
	m := &conversationMeasures{tallied: true}
	m.tally[NPSSurvey].dist[3], m.tally[NPSSurvey].answers = 1, 1
	_, _, err = r.check(&Info{ID: "c"}, ev, m)
	require.NoError(t, err)
	var want [CESSurvey + 1]surveyTally
	want[CSATSurvey].dist[4], want[CSATSurvey].answers, want[CSATSurvey].sent = 1, 1, 1
	want[NPSSurvey].dist[9], want[NPSSurvey].answers = 1, 1
	want[CESSurvey].sent = 1
	require.Equal(t, want, m.tally)
	require.True(t, m.tallied)
	_, _, err = r.check(&Info{ID: "d"}, ev[:1], m)
	require.NoError(t, err)
	require.Equal(t, [CESSurvey + 1]surveyTally{}, m.tally)
	require.False(t, m.tallied)
}
