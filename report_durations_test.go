package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A report's Summary, which reads the groups' kept durations in place for
// the overall figures (reordering them, in blocks, in milliseconds or
// not), then more conversations, then Summary again, gives the Summary of
// a report that got every conversation before reading.
func TestReportSummaryAgainAfterAddsEqualsFresh(t *testing.T) {
	chats := benchChats(12000) // more than a block (8,192) of durations in a year
	inMs := make([]*Chat, len(chats))
	for i, c := range chats {
		ev := make([]Event, len(c.Events))
		for j, e := range c.Events {
			e.Time = e.Time.Truncate(time.Millisecond)
			ev[j] = e
		}
		inMs[i] = &Chat{Meta: c.Meta, Events: ev}
	}
	for _, period := range []Period{Year, Month} {
		for name, cs := range map[string][]*Chat{"ns": chats, "ms": inMs} {
			s := ReportSettings{Period: period}
			read, err := NewReport(s)
			require.NoError(t, err)
			fresh, err := NewReport(s)
			require.NoError(t, err)
			for i, c := range cs {
				if i == len(cs)/3 || i == len(cs)/2 {
					_, err := read.Summary()
					require.NoError(t, err)
				}
				require.NoError(t, read.AddConversation(c))
				require.NoError(t, fresh.AddConversation(c))
			}
			got, err := read.Summary()
			require.NoError(t, err)
			again, err := read.Summary()
			require.NoError(t, err)
			want, err := fresh.Summary()
			require.NoError(t, err)
			require.Equal(t, want, got, "%v %s", period, name)
			require.Equal(t, want, again, "%v %s, read twice", period, name)
		}
	}
}
