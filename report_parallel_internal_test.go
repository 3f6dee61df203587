package chatkpi

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Conversations of many groups are shared out by group, evenly enough;
// conversations of one group fall back to contiguous shards.
func TestShardByGroup(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chats := make([]*Chat, 400)
	for i := range chats {
		chats[i] = &Chat{Meta: Info{ID: fmt.Sprint(i), Start: at.Add(time.Duration(i%40) * 24 * time.Hour)},
			Events: []Event{{Time: at.Add(time.Duration(i%40)*24*time.Hour + time.Minute), Type: Message, Role: Customer}}}
	}
	reports := func(opts ...ReportOption) []*Report {
		rs := make([]*Report, 2)
		for w := range rs {
			var err error
			rs[w], err = NewReport(opts...)
			require.NoError(t, err)
		}
		return rs
	}
	byDay := reports(ReportPeriod(Day))[0]
	require.True(t, groupsBalanced(chats, byDay, 2), "40 days of 10 conversations each share out evenly enough")
	owner := map[int]int{}
	for i, c := range chats {
		s, ok := byDay.shardOf(c, 2)
		require.True(t, ok)
		if prev, ok := owner[i%40]; ok {
			require.Equal(t, prev, s, "a day's conversations go to one worker")
		}
		owner[i%40] = s
	}
	require.False(t, groupsBalanced(chats, reports(ReportPeriod(Year))[0], 2), "one group cannot be shared out")
	_, ok := byDay.shardOf(&Chat{Meta: Info{ID: "x"}}, 2)
	require.False(t, ok, "no start, no group")
}
