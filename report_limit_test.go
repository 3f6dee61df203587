package chatkpi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// A report near its group limit checks, before recording a conversation,
// that the groups it credits fit, by crediting it on a scratch set (see
// credits.roomFor). That dry run must leave the customer-level ledgers
// alone: once it added every conversation a second time to the
// successful-chat and first-contact ledgers, so that in streaming mode a
// customer's history filled up twice as fast and a conversation two late,
// which the Report's memory bound judges exactly, made the rates undefined.
func TestReportNearGroupLimitLeavesLedgersAlone(t *testing.T) {
	day0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	chat := func(day int) *chatkpi.Chat {
		at := day0.AddDate(0, 0, day)
		var ev []chatkpi.Event
		for i := range 4 {
			ev = append(ev,
				chatkpi.Event{Time: at.Add(time.Duration(2*i) * time.Minute), Type: chatkpi.Message, Role: chatkpi.Customer},
				chatkpi.Event{Time: at.Add(time.Duration(2*i+1) * time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ann"})
		}
		ev = append(ev, chatkpi.Event{Time: at.Add(10 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ann"})
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint("c", day), Customer: "u"}, Events: ev}
	}
	// Days 0 to 8 in start order but day 6, which comes two late.
	var chats []*chatkpi.Chat
	for _, d := range []int{0, 1, 2, 3, 4, 5, 7, 8, 6} {
		chats = append(chats, chat(d))
	}
	summary := func(maxGroups int) *chatkpi.Summary {
		s := chatkpi.ReportSettings{Period: chatkpi.Day, MaxGroups: maxGroups,
			Metrics: chatkpi.MetricOutcomes | chatkpi.MetricSuccessfulChat | chatkpi.MetricTouches}.WithStreaming(0)
		r, err := chatkpi.NewReport(s)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, r.AddConversation(c))
		}
		sum, err := r.Summary()
		require.NoError(t, err)
		return sum
	}
	far, near := summary(0), summary(len(chats)) // every conversation of near is near the limit
	require.Empty(t, far.SuccessfulChatUndefined)
	require.Empty(t, far.FirstContactUndefined)
	require.NotNil(t, far.Overall.SuccessfulChat)
	require.EqualValues(t, 1, far.Overall.SuccessfulChat.Count, "only day 8 is not followed by a contact within 24 h")
	require.Equal(t, far, near)
}

// A report grouped by period only, at its group limit: a conversation
// whose day's group an earlier conversation made (crediting its
// resolution after midnight to the next day) fits, since it makes no
// group. It was refused: the cache of the day's group, set only when a
// conversation of that day made it, was taken for the group.
func TestReportAtGroupLimitCreditedDay(t *testing.T) {
	midnight := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	chat := func(id string, start time.Time, resolved time.Duration) *chatkpi.Chat {
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id}, Events: []chatkpi.Event{
			{Time: start, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: start.Add(30 * time.Second), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ann"},
			{Time: start.Add(resolved), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ann"},
		}}
	}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day, MaxGroups: 2})
	require.NoError(t, err)
	require.NoError(t, r.AddConversation(chat("late", midnight.Add(-time.Minute), 2*time.Minute))) // Nov 2, resolved Nov 3
	s, err := r.Summary()
	require.NoError(t, err)
	require.Len(t, s.Groups, 2, "the resolution credited to Nov 3 makes its group")
	require.NoError(t, r.AddConversation(chat("next", midnight.Add(time.Minute), time.Minute)), "Nov 3 has its group")
	require.ErrorIs(t, r.AddConversation(chat("third", midnight.Add(24*time.Hour), time.Minute)), chatkpi.ErrLimit, "Nov 4 would be a third")
}
