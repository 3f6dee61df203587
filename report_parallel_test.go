package chatkpi_test

import (
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// BuildReport on any number of workers gives the serial report, in exact
// and in streaming mode.
func TestBuildReportEqualsSerial(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(60).Draw(t, "chats")
		if len(chats) == 0 {
			return
		}
		for _, c := range chats {
			if len(c.Events) == 0 { // a day grouping needs a start
				c.Meta.Start = chatkpitest.Epoch()
			}
		}
		workers := rapid.IntRange(1, 16).Draw(t, "workers")
		opts := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}
		if rapid.Bool().Draw(t, "streaming") {
			opts = opts.WithStreaming(0)
		}
		opts = drawMetricSettings(t, opts)
		serial, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, serial.AddConversation(c))
		}
		parallel, err := chatkpi.BuildReport(chats, workers, opts)
		require.NoError(t, err)
		require.Equal(t, summaryJSON(t, serial), summaryJSON(t, parallel))
	})
}

// The error is the one of the first bad conversation, whichever shard
// finds a bad conversation first.
func TestBuildReportFirstError(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chat := func(id string, score int) *chatkpi.Chat {
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id}, Events: []chatkpi.Event{
			{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: at.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: int8(score)},
		}}
	}
	chats := []*chatkpi.Chat{chat("a", 9), chat("b", 11), chat("c", 3), chat("d", 12)}
	for workers := 1; workers <= 4; workers++ {
		r, err := chatkpi.BuildReport(chats, workers, chatkpi.ReportSettings{})
		require.Nil(t, r)
		require.ErrorIs(t, err, chatkpi.ErrInvalid)
		require.ErrorContains(t, err, `conversation "b"`, "workers %d", workers)
	}
	_, err := chatkpi.BuildReport(nil, 2, chatkpi.ReportSettings{})
	require.NoError(t, err, "no conversations is an empty report, not an error")
}
