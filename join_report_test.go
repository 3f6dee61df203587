package chatkpi_test

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// serialJoined is the report of the conversations of j added one by one, as
// Joiner.Conversations yields them, and the first error.
func serialJoined(t require.TestingT, j *chatkpi.Joiner, s chatkpi.ReportSettings) (*chatkpi.Report, error) {
	r, err := chatkpi.NewReport(s)
	require.NoError(t, err)
	for c := range j.Conversations() {
		if err := r.AddConversation(c); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// requireSameReport checks that Joiner.Report gave what adding the
// conversations one by one gives: the same summary, and in exact mode the
// same encoding, or the same error.
func requireSameReport(t require.TestingT, serial, parallel *chatkpi.Report, serialErr, parallelErr error, streaming bool) {
	switch {
	case serialErr != nil:
		require.EqualError(t, parallelErr, serialErr.Error())
		require.Nil(t, parallel)
		return
	}
	require.NoError(t, parallelErr)
	require.Equal(t, summaryJSON(t, serial), summaryJSON(t, parallel))
	if streaming {
		return
	}
	want, err := serial.MarshalBinary()
	require.NoError(t, err)
	got, err := parallel.MarshalBinary()
	require.NoError(t, err)
	if !bytes.Equal(want, got) {
		i := 0
		for i < min(len(want), len(got)) && want[i] == got[i] {
			i++
		}
		require.Failf(t, "MarshalBinary differs", "at byte %d of %d (%d): % x … instead of % x …", i, len(want), len(got),
			got[i:min(len(got), i+16)], want[i:min(len(want), i+16)])
	}
}

// TestJoinerReportEqualsSerial: Joiner.Report, on one core or two, gives
// the report of adding the conversations that Conversations yields one by
// one, or its first error: grouped or interleaved lines over one or more
// inputs, conversations the report refuses anywhere (in either shard),
// groups by day and agent up to a small MaxGroups, exact or streaming.
func TestJoinerReportEqualsSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rapid.Check(t, func(t *rapid.T) {
		var buf bytes.Buffer
		w := chatkpi.NewJSONLWriter(&buf)
		for i, c := range chatkpitest.Chats(40).Draw(t, "chats") {
			if len(c.Events) == 0 {
				continue // an event file cannot hold an empty conversation
			}
			require.NoError(t, w.WriteConversation(c))
			if rapid.IntRange(0, 15).Draw(t, fmt.Sprintf("refused%d", i)) == 0 { // read, then refused by the report
				require.NoError(t, w.Flush())
				fmt.Fprintf(&buf, `{"conversation":%q,"time":%q,"role":"customer","type":"rating","survey":"csat","score":9}`+"\n",
					c.Meta.ID, c.Events[len(c.Events)-1].Time.Format(time.RFC3339Nano))
			}
		}
		require.NoError(t, w.Flush())
		var lines []string
		if buf.Len() > 0 {
			lines = strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		}
		if rapid.Bool().Draw(t, "interleaved") {
			lines = rapid.Permutation(lines).Draw(t, "order")
		}
		inputs := rapid.IntRange(1, 3).Draw(t, "inputs")
		opts := drawMetricSettings(t, chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}})
		streaming := rapid.Bool().Draw(t, "streaming")
		if streaming {
			opts = opts.WithStreaming(0)
		}
		opts.MaxGroups = rapid.SampledFrom([]int{0, 1, 3, 8}).Draw(t, "maxGroups")
		read := func() *chatkpi.Joiner {
			j := &chatkpi.Joiner{}
			for in := range inputs {
				require.NoError(t, j.Read(fmt.Sprint(in), reader(t, lines[in*len(lines)/inputs:(in+1)*len(lines)/inputs])))
			}
			return j
		}
		runtime.GOMAXPROCS(rapid.IntRange(1, 2).Draw(t, "procs"))
		serial, serialErr := serialJoined(t, read(), opts)
		parallel, parallelErr := read().Report(opts)
		requireSameReport(t, serial, parallel, serialErr, parallelErr, streaming)
	})
}

// joinedLines returns the JSON Lines of n conversations of five events
// each, by day and five agents, interleaved in pairs (every conversation's
// lines alternate with the next one's) when interleaved, with a CSAT score
// outside the default scale, which the report refuses, in conversation
// refused when it is not negative.
func joinedLines(n int, interleaved bool, refused int) []byte {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	conv := func(c int) []string {
		start := at.Add(time.Duration(c) * 37 * time.Second)
		line := func(sec int, rest string) string {
			return fmt.Sprintf(`{"conversation":"c%d","time":%q,%s}`, c, start.Add(time.Duration(sec)*time.Second).Format(time.RFC3339), rest)
		}
		score := 1 + c%5
		if c == refused {
			score = 9
		}
		return []string{
			line(0, fmt.Sprintf(`"role":"customer","type":"message","customer":"u%d"`, c%300)),
			line(40, fmt.Sprintf(`"role":"agent","type":"message","agent":"a%d"`, c%5)),
			line(20, `"role":"customer","type":"message"`), // out of time order
			line(90, fmt.Sprintf(`"role":"customer","type":"rating","survey":"csat","score":%d`, score)),
			line(95, `"role":"system","type":"resolved"`),
		}
	}
	var b bytes.Buffer
	for c := 0; c < n; c += 2 {
		x, y := conv(c), conv(c+1)
		for i := range x {
			if interleaved {
				b.WriteString(x[i] + "\n" + y[i] + "\n")
			} else {
				b.WriteString(x[i] + "\n")
			}
		}
		if !interleaved {
			b.WriteString(strings.Join(y, "\n") + "\n")
		}
	}
	return b.Bytes()
}

// TestJoinerReportManyBatches: over many batches and blocks of the store,
// Joiner.Report on two cores gives the serial report, and the first error
// whichever shard refuses a conversation.
func TestJoinerReportManyBatches(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	const n = 12000 // 60,000 events: four blocks of the store, some fifteen batches
	opts := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()},
		Metrics: chatkpi.AllMetrics}
	for _, interleaved := range []bool{false, true} {
		for _, refused := range []int{-1, 5, n / 2, n - 3} {
			// Six days: past a limit of one group in the first shard, of four in the merge only.
			for _, s := range []chatkpi.ReportSettings{opts, opts.WithStreaming(0), {MaxGroups: 1, Period: chatkpi.Day}, {MaxGroups: 4, Period: chatkpi.Day}} {
				data := joinedLines(n, interleaved, refused)
				read := func() *chatkpi.Joiner {
					var j chatkpi.Joiner
					require.NoError(t, j.Read("", reader(t, strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"))))
					return &j
				}
				runtime.GOMAXPROCS(1)
				serial, serialErr := serialJoined(t, read(), s)
				runtime.GOMAXPROCS(2)
				parallel, err := read().Report(s)
				requireSameReport(t, serial, parallel, serialErr, err, s.FirstResponse.Durations.Streaming)
				if refused >= 0 && s.MaxGroups == 0 {
					require.ErrorContains(t, err, fmt.Sprintf(`conversation "c%d"`, refused))
				}
			}
		}
	}
}

// Report ends the Joiner, as Conversations does, and cannot follow Grouped.
func TestJoinerReportEnds(t *testing.T) {
	data := joinedLines(4, false, -1)
	var j chatkpi.Joiner
	require.NoError(t, j.Read("", jsonlOf(t, data)))
	r, err := j.Report(chatkpi.ReportSettings{})
	require.NoError(t, err)
	s, err := r.Summary()
	require.NoError(t, err)
	assert.EqualValues(t, 4, s.Overall.Conversations)
	_, err = j.Report(chatkpi.ReportSettings{})
	require.ErrorContains(t, err, "Report after Conversations or Report")
	require.ErrorContains(t, j.Read("", jsonlOf(t, data)), "reading after Conversations")

	var g chatkpi.Joiner
	for _, err := range g.Grouped("", jsonlOf(t, data)) {
		require.NoError(t, err)
	}
	_, err = g.Report(chatkpi.ReportSettings{})
	require.ErrorContains(t, err, "Report after Grouped")

	var empty chatkpi.Joiner
	r, err = empty.Report(chatkpi.ReportSettings{})
	require.NoError(t, err)
	_, err = r.Summary()
	require.ErrorIs(t, err, chatkpi.ErrNoData, "no conversations: an empty report")
}

func jsonlOf(t *testing.T, data []byte) chatkpi.EventReader {
	r, err := chatkpi.NewJSONLReader(bytes.NewReader(data))
	require.NoError(t, err)
	return r
}

// In streaming mode with MetricAgents, Joiner.Report gives the serial
// report, exact in start order (TestReportAgentsStreamingShards' day: ana
// has L, minutes 0–100, and six short conversations while it is open);
// shards merged without holding back their heads would declare ana's
// concurrency undefined.
func TestJoinerReportStreamingAgents(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	short := func(id string, m float64) *chatkpi.Chat {
		return outcChat(id, "", outcE(m, outcMsg, outcCust), outcAgent(m, chatkpi.Joined, "ana"), outcAgent(m+1, outcMsg, "ana"),
			outcE(m+5, outcResolved, chatkpi.Agent))
	}
	long := outcChat("L", "", outcE(0, outcMsg, outcCust), outcAgent(0, chatkpi.Joined, "ana"), outcAgent(1, outcMsg, "ana"),
		outcAgent(2, outcMsg, "ana"), outcAgent(3, outcMsg, "ana"), // so that the shards are {L, s10, s20} and {s30, … s55}
		outcAgent(60, chatkpi.Joined, "bo"), outcAgent(61, outcMsg, "bo"), outcE(100, outcResolved, chatkpi.Agent))
	var buf bytes.Buffer
	w := chatkpi.NewJSONLWriter(&buf)
	for _, c := range []*chatkpi.Chat{long, short("s10", 10), short("s20", 20), short("s30", 30), short("s40", 40), short("s50", 50), short("s55", 55)} {
		require.NoError(t, w.WriteConversation(c))
	}
	require.NoError(t, w.Flush())
	s := chatkpi.ReportSettings{Metrics: chatkpi.MetricAgents}.WithStreaming(0)
	var serial, parallel chatkpi.Joiner
	require.NoError(t, serial.Read("", jsonlOf(t, buf.Bytes())))
	require.NoError(t, parallel.Read("", jsonlOf(t, buf.Bytes())))
	want, err := serialJoined(t, &serial, s)
	require.NoError(t, err)
	got, err := parallel.Report(s)
	require.NoError(t, err)
	require.Equal(t, summaryJSON(t, want), summaryJSON(t, got))
	ana := agentsOf(t, got)[""][0]
	require.Equal(t, "ana", ana.Agent)
	require.Empty(t, ana.ConcurrencyUndefined)
	require.EqualValues(t, 2, ana.MaxConcurrent)
}
