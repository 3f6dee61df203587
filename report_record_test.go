package chatkpi

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// recordWhole skips its work for reports without wholeMetrics: so every
// metric that it records must be one of them. A conversation measured for
// every metric, recorded by recordWholeOn for each other metric alone,
// leaves the set as it was.
func TestRecordWholeMetrics(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ev := []Event{
		{Time: at, Type: Message, Role: Customer},
		{Time: at.Add(time.Second), Type: Message, Role: Bot},
		{Time: at.Add(2 * time.Second), Type: Feedback, Role: Customer, Helpful: true},
		{Time: at.Add(3 * time.Second), Type: Handoff, Role: Bot},
		{Time: at.Add(4 * time.Second), Type: Queued, Role: System},
		{Time: at.Add(5 * time.Second), Type: Joined, Role: Agent, Agent: "ana"},
		{Time: at.Add(6 * time.Second), Type: Message, Role: Agent, Agent: "ana"},
		{Time: at.Add(7 * time.Second), Type: Goal, Role: Customer, Value: decimal.New(1999, -2), Currency: "EUR"},
		{Time: at.Add(8 * time.Second), Type: Resolved, Role: Agent, Agent: "ana"},
		{Time: at.Add(9 * time.Second), Type: SurveySent, Role: System, Survey: CSATSurvey},
		{Time: at.Add(10 * time.Second), Type: Rating, Role: Customer, Survey: CSATSurvey, Score: 5},
	}
	info := Info{ID: "c", Customer: "u", Start: at}
	r, err := NewReport(ReportSettings{Metrics: AllMetrics})
	require.NoError(t, err)
	m := &r.measures
	_, _, err = r.check(&info, ev, m)
	require.NoError(t, err)
	require.NoError(t, r.measure(&info, ev, m))
	recorded := r.proto
	recorded.recordWholeOn(&info, ev, m, AllMetrics)
	require.False(t, reflect.DeepEqual(r.proto, recorded), "the conversation records something")
	for bit := Metric(1); bit != 0 && bit <= AllMetrics; bit <<= 1 {
		if bit&AllMetrics == 0 || bit&wholeMetrics != 0 {
			continue
		}
		set := r.proto
		set.recordWholeOn(&info, ev, m, bit)
		require.True(t, reflect.DeepEqual(r.proto, set), "recordWhole records %s, not in wholeMetrics", bit)
	}
}
