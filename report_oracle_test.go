package chatkpi_test

import (
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The report validates a conversation once and has its accumulators scan
// the checked events in one go; it must record exactly what each
// accumulator records through its own public AddConversation. The encoded
// state of the overall metrics is compared byte for byte, for *Chat values
// for conversations adapted from other types and for reports restricted
// to some metrics.
func TestReportEqualsCalculators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var opts chatkpi.ReportSettings
		if rapid.Bool().Draw(t, "streaming") {
			opts = opts.WithStreaming(0)
		}
		if rapid.Bool().Draw(t, "restricted") {
			opts.Metrics = chatkpi.Metric(rapid.IntRange(1, int(chatkpi.AllMetrics)).Draw(t, "metrics")) & chatkpi.AllMetrics
			if opts.Metrics == 0 {
				opts.Metrics = chatkpi.AllMetrics
			}
		}
		r, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		adapt := rapid.Bool().Draw(t, "adapt")
		var added []chatkpi.Conversation
		for _, c := range chatkpitest.Chats(40).Draw(t, "chats") {
			if len(c.Events) == 0 { // the report needs a start
				c.Meta.Start = chatkpitest.Epoch()
			}
			var conv chatkpi.Conversation = c
			if adapt {
				conv = notAChat{c}
			}
			require.NoError(t, r.AddConversation(conv))
			added = append(added, conv)
		}
		want, err := chatkpi.ReportReferenceEncoding(r, added)
		require.NoError(t, err)
		require.Equal(t, want, chatkpi.ReportOverallEncoding(r))
	})
}

// notAChat hides a *Chat behind the Conversation interface.
type notAChat struct{ c *chatkpi.Chat }

func (n notAChat) Info() chatkpi.Info        { return n.c.Meta }
func (n notAChat) Len() int                  { return len(n.c.Events) }
func (n notAChat) Event(i int) chatkpi.Event { return n.c.Events[i] }

// The overall metrics of a grouped report, the merge of its groups, equal
// the ungrouped report's, before and after an encoding round trip.
func TestGroupedOverallEqualsUngrouped(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var opts chatkpi.ReportSettings
		if rapid.Bool().Draw(t, "streaming") {
			opts = opts.WithStreaming(0)
		}
		if rapid.Bool().Draw(t, "allMetrics") {
			opts.Metrics = chatkpi.AllMetrics
		}
		flat, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		// Hours and days make conversations span periods, so that their
		// resolutions and survey events are credited to later periods.
		period := rapid.SampledFrom([]chatkpi.Period{chatkpi.Day, chatkpi.Week}).Draw(t, "period")
		groupings := []chatkpi.Grouping{chatkpi.GroupByAgent(), chatkpi.GroupByChannel()}
		if rapid.Bool().Draw(t, "without agent") {
			groupings = groupings[1:]
		}
		opts.Period = period
		copy(opts.GroupBy[:], groupings)
		grouped, err := chatkpi.NewReport(opts)
		require.NoError(t, err)
		chats := chatkpitest.Chats(40).Draw(t, "chats")
		for _, c := range chats {
			if len(c.Events) == 0 {
				c.Meta.Start = chatkpitest.Epoch()
			}
			require.NoError(t, flat.AddConversation(c))
			require.NoError(t, grouped.AddConversation(c))
		}
		if len(chats) == 0 {
			return
		}
		overall := func(r *chatkpi.Report) chatkpi.MetricsSummary {
			s, err := r.Summary()
			require.NoError(t, err)
			return s.Overall
		}
		want := overall(flat)
		require.Equal(t, want, overall(grouped))
		b, err := grouped.MarshalBinary()
		require.NoError(t, err)
		var decoded chatkpi.Report
		require.NoError(t, decoded.UnmarshalBinary(b))
		require.Equal(t, want, overall(&decoded))
	})
}
