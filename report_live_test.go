package chatkpi_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// writerRate runs 8 writers adding conversations to live for d while
// readers goroutines, taking turns, poll a summary in a tight loop (of
// live, or of other when other is not nil), and returns the writers'
// conversations per second.
func writerRate(t *testing.T, live *chatkpi.LiveReport, other *chatkpi.Report, chats []*chatkpi.Chat, readers int, d time.Duration) float64 {
	t.Helper()
	var added atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i += 8 {
				select {
				case <-stop:
					return
				default:
				}
				if err := live.AddConversation(chats[i%len(chats)]); err != nil {
					t.Error(err)
					return
				}
				added.Add(1)
			}
		}()
	}
	var turns sync.Mutex // the unrelated readers take turns like LiveReport's
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if other != nil {
					turns.Lock()
					_, err = other.Summary()
					turns.Unlock()
				} else {
					_, err = live.Summary()
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	start := time.Now()
	time.Sleep(d)
	close(stop)
	n := added.Load()
	elapsed := time.Since(start)
	wg.Wait()
	return float64(n) / elapsed.Seconds()
}

// Readers polling a live report in a tight loop must not starve its
// writers (issue 14, item 3): with the lock held while the summary was
// computed, 2 readers cut adding from 470,000 to 872 conversations/s on a
// streaming report by day × agent (here by week × agent, smaller, so that
// the test is quick even with -race: a reader holding the lock while it
// computes starves the writers at any size). Readers computing summaries take
// processor time, which no lock can give back on a small machine, so the
// bound compares the writers' rate with that under readers summarizing an
// unrelated report of the same size: the live readers may not cost the
// writers more than half of that (before the fix they cost 97 %).
func TestLiveReportReadersDoNotStarveWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	chats := reportBenchChats(10_000)
	opts := chatkpi.ReportSettings{Period: chatkpi.Week, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}.WithStreaming(0)
	live, err := chatkpi.NewLiveReport(opts, chatkpi.AssemblerSettings{})
	require.NoError(t, err)
	other, err := chatkpi.NewReport(opts)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, live.AddConversation(c)) // about 700 groups
		require.NoError(t, other.AddConversation(c))
	}
	const d = 500 * time.Millisecond
	var best [2]float64 // the best ratio of five tries, against load from elsewhere on the machine
	var figures string
	for try := 0; try < 5 && min(best[0], best[1]) < 0.5; try++ {
		base := writerRate(t, live, nil, chats, 0, d)
		var rates [2][2]float64
		for i, readers := range []int{2, 8} {
			rates[i][0] = writerRate(t, live, nil, chats, readers, d)
			rates[i][1] = writerRate(t, live, other, chats, readers, d)
			best[i] = max(best[i], rates[i][0]/rates[i][1])
		}
		figures += fmt.Sprintf("try %d: writers add %.0f conversations/s with 0 readers; with 2 readers %.0f (%.0f beside unrelated readers), with 8 readers %.0f (%.0f)\n",
			try+1, base, rates[0][0], rates[0][1], rates[1][0], rates[1][1])
	}
	t.Log("\n" + figures)
	require.GreaterOrEqual(t, best[0], 0.5, "2 readers starve the writers:\n%s", figures)
	require.GreaterOrEqual(t, best[1], 0.5, "8 readers starve the writers:\n%s", figures)
}

// A LiveReport checkpointed in the middle of a stream and restored into a
// zero value goes on as if it had never stopped.
func TestLiveReportCheckpoint(t *testing.T) {
	chats := withEvents(loadTwitter(t))
	opts := chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByHandler()}}
	want := serialSummary(t, chats, opts)
	ds := deliveries(chats)
	live, err := chatkpi.NewLiveReport(opts, chatkpi.AssemblerSettings{Lateness: time.Minute})
	require.NoError(t, err)
	half := len(ds) / 2
	for _, d := range ds[:half] {
		require.NoError(t, live.AddEvent(early, d.info, d.e))
	}
	require.NoError(t, live.Close(early, ds[0].info.ID)) // closed, held for the lateness
	b, err := live.MarshalBinary()
	require.NoError(t, err)

	var restored chatkpi.LiveReport
	require.NoError(t, restored.UnmarshalBinary(b))
	for _, d := range append(ds[half:], ds[:10]...) { // the rest, and re-deliveries
		require.NoError(t, restored.AddEvent(early, d.info, d.e))
	}
	require.NoError(t, restored.Drain())
	snap, err := restored.Snapshot()
	require.NoError(t, err)
	require.Equal(t, want, summaryJSON(t, snap))
	ls, err := restored.LiveSummary(early)
	require.NoError(t, err)
	require.EqualValues(t, 10, ls.DuplicatesDropped)

	other, err := chatkpi.NewLiveReport(chatkpi.ReportSettings{}, chatkpi.AssemblerSettings{})
	require.NoError(t, err)
	require.ErrorIs(t, other.UnmarshalBinary(b), chatkpi.ErrIncompatible, "a report with other settings")
}

// A conversation the report rejects when it closes is returned by Advance
// and counted, not dropped silently; the open view no longer holds it.
func TestLiveReportCountsRejected(t *testing.T) {
	var live chatkpi.LiveReport
	require.NoError(t, live.AddEvent(early, chatkpi.Info{ID: "bad"},
		chatkpi.Event{Time: at(0), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 9, ID: "1"}))
	require.NoError(t, live.Close(early, "bad"))
	err := live.Advance(early)
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	require.ErrorContains(t, err, `conversation "bad"`)
	ls, err := live.LiveSummary(early)
	require.NoError(t, err)
	require.Nil(t, ls.Closed)
	require.EqualValues(t, 1, ls.RejectedConversations)
	require.Zero(t, ls.Open.Conversations)
}

// The report's limit of groups counts every group, not those written since
// the last read: a reader swapping the writers' report must not let the
// writers past it (and then lose their conversations when it merges).
func TestLiveReportGroupLimitAcrossReads(t *testing.T) {
	live, err := chatkpi.NewLiveReport(chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByDim("u")}, MaxGroups: 3}, chatkpi.AssemblerSettings{})
	require.NoError(t, err)
	add := func(u string) error {
		return live.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: u, Dims: map[string]string{"u": u}},
			Events: []chatkpi.Event{{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer}}})
	}
	for _, u := range []string{"a", "b", "c"} {
		require.NoError(t, add(u))
		_, err := live.Summary() // a read between the writes
		require.NoError(t, err)
	}
	require.NoError(t, add("a"), "an existing group")
	require.ErrorIs(t, add("d"), chatkpi.ErrLimit)
	s, err := live.Summary()
	require.NoError(t, err)
	require.EqualValues(t, 4, s.Overall.Conversations)
	require.Len(t, s.Groups, 3)
}
