package chatkpi_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// BuildReport on any number of workers gives the serial report, in exact
// and in streaming mode. In streaming mode with the agents out of start
// order, each agent's concurrency (peak, busy time, mean) is, serial and
// parallel alike, the exact-mode figure or declared undefined (see Agents);
// every other figure is the serial one.
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
		exactOpts := drawMetricSettings(t, opts)
		streaming := rapid.Bool().Draw(t, "streaming")
		if streaming {
			opts = exactOpts.WithStreaming(0)
		} else {
			opts = exactOpts
		}
		ordered := rapid.Bool().Draw(t, "by start")
		if ordered {
			chats = byStart(chats)
		}
		serial, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		for _, c := range chats {
			require.NoError(t, serial.AddConversation(c))
		}
		parallel, err := chatkpi.BuildReport(chats, workers, opts)
		require.NoError(t, err)
		if !streaming || ordered || opts.Metrics&chatkpi.MetricAgents == 0 {
			require.Equal(t, summaryJSON(t, serial), summaryJSON(t, parallel))
			return
		}
		exactReport := reportOf(t, exactOpts, chats)
		exact := agentsOf(t, exactReport)
		requireAgentsMatch(t, exact, agentsOf(t, serial), true)
		requireAgentsMatch(t, exact, agentsOf(t, parallel), true)
		requirePresenceMatch(t, exactReport, serial, true)
		requirePresenceMatch(t, exactReport, parallel, true)
		require.Equal(t, withoutSwept(t, serial), withoutSwept(t, parallel))
	})
}

// withoutSwept returns the JSON summary of r without what a streaming
// report sweeps in start order: its agents' concurrency (peak, busy time,
// mean and whether they are undefined) and presence (availability, online
// times).
func withoutSwept(t require.TestingT, r *chatkpi.Report) string {
	s, err := r.Summary()
	require.NoError(t, err)
	sets := []*chatkpi.MetricsSummary{&s.Overall}
	for i := range s.Groups {
		sets = append(sets, &s.Groups[i].MetricsSummary)
	}
	for _, m := range sets {
		m.Availability, m.AvailabilityUndefined = nil, ""
		for i := range m.Agents {
			a := &m.Agents[i]
			a.MaxConcurrent, a.BusySeconds, a.MeanConcurrency, a.ConcurrencyUndefined = 0, 0, nil, ""
			a.OnlineSeconds = nil
		}
	}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
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

// A conversation that takes the report past its MaxGroups before one the
// report refuses: the error is that of adding them one by one (wrapping
// ErrLimit, naming the conversation), whichever shard holds each.
func TestBuildReportLimitBeforeRefused(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chat := func(id string, day, score int) *chatkpi.Chat {
		start := at.AddDate(0, 0, day)
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id}, Events: []chatkpi.Event{
			{Time: start, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: start.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: int8(score)},
		}}
	}
	chats := []*chatkpi.Chat{chat("a", 0, 9), chat("b", 1, 9), chat("c", 1, 11)} // b makes a second day, c is refused
	s := chatkpi.ReportSettings{Period: chatkpi.Day, MaxGroups: 1}
	serial, err := chatkpi.NewReport(s)
	require.NoError(t, err)
	require.NoError(t, serial.AddConversation(chats[0]))
	require.ErrorIs(t, serial.AddConversation(chats[1]), chatkpi.ErrLimit)
	for workers := 1; workers <= 3; workers++ {
		r, err := chatkpi.BuildReport(chats, workers, s)
		require.Nil(t, r)
		require.ErrorIs(t, err, chatkpi.ErrLimit, "workers %d", workers)
		require.ErrorContains(t, err, `conversation "b": it would take the report past its limit of 1 groups`, "workers %d", workers)
	}
}

// BuildReport on two workers gives the serial report when each shard has
// more customers than a report merges one state after the other
// (thousands, shared by both shards and not), so that the per-customer
// states — the repeat ledgers, the cohorts' periods, the customers' starts
// — merge at the same time: exact (the same summary and encoding) and
// streaming (the same summary).
func TestBuildReportEqualsSerialManyCustomers(t *testing.T) {
	at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(20261202, 1))
	chats := make([]*chatkpi.Chat, 60_000)
	for i := range chats {
		start := at.Add(time.Duration(rng.IntN(90*24*60)) * time.Minute)
		events := []chatkpi.Event{
			{Time: start, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: start.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		}
		if rng.IntN(3) > 0 {
			events = append(events, chatkpi.Event{Time: start.Add(10 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"})
		}
		chats[i] = &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint("c", i), Customer: fmt.Sprint("u", rng.IntN(40_000))}, Events: events}
	}
	exact := chatkpi.ReportSettings{Period: chatkpi.Day, Metrics: chatkpi.DefaultMetrics | chatkpi.MetricSuccessfulChat |
		chatkpi.MetricTouches | chatkpi.MetricRetention}
	for _, opts := range []chatkpi.ReportSettings{exact, exact.WithStreaming(0)} {
		serial := reportOf(t, opts, chats)
		parallel, err := chatkpi.BuildReport(chats, 2, opts)
		require.NoError(t, err)
		require.Equal(t, summaryJSON(t, serial), summaryJSON(t, parallel))
		if opts == exact {
			want, err := serial.MarshalBinary()
			require.NoError(t, err)
			got, err := parallel.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
	}
}
