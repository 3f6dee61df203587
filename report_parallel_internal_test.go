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
	shards := shardByGroup(chats, reports(ReportPeriod(Day)))
	require.NotNil(t, shards, "40 days of 10 conversations each share out evenly enough")
	byDay := map[int]int32{}
	for i, s := range shards {
		if prev, ok := byDay[i%40]; ok {
			require.Equal(t, prev, s, "a day's conversations go to one worker")
		}
		byDay[i%40] = s
	}
	require.Nil(t, shardByGroup(chats, reports(ReportPeriod(Year))), "one group cannot be shared out")
}
