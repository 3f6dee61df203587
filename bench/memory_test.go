package bench

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// TestStreamingMemoryBounded streams 10 M events — a pool of 2 M generated
// events, passed five times, each pass shifted by 91 days so that every pass
// brings new days, weeks and months — through streaming FRT, CSAT, NPS and
// Volume, and checks that the accumulators hold less than 64 MiB of heap
// afterwards (live heap after runtime.GC, before and after; the pool is the
// input and is not counted). The state is bounded by buckets and sketch
// bins, not by events: this is far below the limit, so the check is robust.
func TestStreamingMemoryBounded(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("streams 10 M events: too slow with -short or -race")
	}
	const pool, passes = 2_000_000, 5
	chats := Generate(seed, pool)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	frt, err := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Streaming: true}})
	require.NoError(t, err)
	csat, nps, vol := new(chatkpi.CSAT), new(chatkpi.NPS), new(chatkpi.Volume)
	for pass := range passes {
		if pass > 0 {
			shift(chats, 91*24*time.Hour)
		}
		for _, c := range chats {
			for _, a := range []adder{frt, csat, nps, vol} {
				require.NoError(t, a.AddConversation(c))
			}
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	require.Positive(t, growth, "the accumulators hold some state")
	fr, err := frt.Result()
	require.NoError(t, err)
	require.Equal(t, int64(passes*len(chats)), fr.Answered+fr.Unanswered)
	days, err := vol.Result(chatkpi.Day)
	require.NoError(t, err)
	require.Greater(t, len(days), 4*91, "every pass adds new days")
	t.Logf("heap held by streaming accumulators after %d M events: %.3f MiB", passes*pool/1_000_000, float64(growth)/(1<<20))
	require.Less(t, growth, int64(64<<20))
	runtime.KeepAlive(chats) // the input: live throughout, not counted
	runtime.KeepAlive(csat)
	runtime.KeepAlive(nps)
}

// shift moves every conversation of chats by d.
func shift(chats []*chatkpi.Chat, d time.Duration) {
	for _, c := range chats {
		c.Meta.Start = c.Meta.Start.Add(d)
		for i := range c.Events {
			c.Events[i].Time = c.Events[i].Time.Add(d)
		}
	}
}

// A streaming report keeps a set of sketches and counters per group, a
// constant per identified customer (the successful-chat rate) and nothing
// per conversation. Over 10 M events (a 2 M pool in start order, as a file
// by time or a stream gives them, passed five times) its heap stays under
// 64 MiB: grouped by day with every pass shifted 91 days, so that each
// opens new days (450 groups) and brings each of the 100,000 customers
// back, and grouped by day and agent over the same 90 days each pass (810
// groups), where the heap after 10 M events is that after the first 2 M:
// it grows with the groups and the customers, not with the events. That
// second case replays the same conversations, which every customer sees
// out of start order, so it leaves out the successful-chat rate.
func TestReportStreamingMemoryBounded(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("streams 10 M events: too slow with -short or -race")
	}
	const pool, passes = 2_000_000, 5
	chats := Generate(seed, pool)
	slices.SortStableFunc(chats, func(a, b *chatkpi.Chat) int { return a.Meta.Start.Compare(b.Meta.Start) })
	heap := func() int64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	for _, grouping := range []struct {
		name  string
		shift bool
		opts  chatkpi.ReportSettings
	}{
		{"day, new days every pass", true, chatkpi.ReportSettings{Period: chatkpi.Day}},
		{"day and agent, the same days every pass", false, chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()},
			Metrics: chatkpi.DefaultMetrics &^ chatkpi.MetricSuccessfulChat}},
	} {
		before := heap()
		r, err := chatkpi.NewReport(grouping.opts.WithStreaming(0))
		require.NoError(t, err)
		var afterFirst int64
		for pass := range passes {
			if grouping.shift && pass > 0 {
				shift(chats, 91*24*time.Hour)
			}
			for _, c := range chats {
				require.NoError(t, r.AddConversation(c))
			}
			if pass == 0 {
				afterFirst = heap() - before
			}
		}
		growth := heap() - before
		s, err := r.Summary()
		require.NoError(t, err)
		require.Equal(t, int64(passes*len(chats)), s.Overall.Conversations)
		require.Empty(t, s.SuccessfulChatUndefined, "in start order the rate is exact")
		t.Logf("streaming report by %s: %d groups, heap %.1f MiB after 2 M events, %.1f MiB after %d M events (%.1f KiB a group)",
			grouping.name, len(s.Groups), float64(afterFirst)/(1<<20), float64(growth)/(1<<20), passes*pool/1_000_000,
			float64(growth)/1024/float64(len(s.Groups)))
		require.Less(t, growth, int64(64<<20))
		if !grouping.shift {
			require.Less(t, growth, afterFirst+afterFirst/10, "the same groups hold no more after more events")
		}
		runtime.KeepAlive(r)
	}
	runtime.KeepAlive(chats)
}
