package chatkpi_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// exportLines draws conversations and writes them as JSON Lines, one string
// a line. Events get distinct instants (event i is moved by i ns), so that
// reading the lines in any order sorts them back into the same
// conversations, and, when withIDs, an id each.
func exportLines(t *rapid.T, withIDs bool) []string {
	var buf bytes.Buffer
	w := chatkpi.NewJSONLWriter(&buf)
	for _, c := range chatkpitest.Chats(6).Draw(t, "chats") {
		if len(c.Events) == 0 {
			continue // an event file cannot hold an empty conversation
		}
		for i := range c.Events {
			c.Events[i].Time = c.Events[i].Time.Add(time.Duration(i))
			if withIDs {
				c.Events[i].ID = fmt.Sprintf("e%d", i)
			}
		}
		require.NoError(t, w.WriteConversation(c))
	}
	require.NoError(t, w.Flush())
	if buf.Len() == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

func reader(t require.TestingT, lines []string) chatkpi.EventReader {
	r, err := chatkpi.NewJSONLReader(strings.NewReader(strings.Join(lines, "\n")))
	require.NoError(t, err)
	return r
}

// summary is the report of chats, taken in id order so that it does not
// depend on the order in which conversations first appeared.
func summary(t require.TestingT, chats []*chatkpi.Chat) *chatkpi.Summary {
	chats = slices.Clone(chats)
	slices.SortFunc(chats, func(a, b *chatkpi.Chat) int { return strings.Compare(a.Meta.ID, b.Meta.ID) })
	rep, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Day})
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, rep.AddConversation(c))
	}
	s, err := rep.Summary()
	if len(chats) == 0 {
		require.ErrorIs(t, err, chatkpi.ErrNoData)
		return nil
	}
	require.NoError(t, err)
	return s
}

// TestExactlyOnce: any duplication of the lines of an export (each line
// delivered one to three times), in any order, split over any number of
// inputs, gives the conversations and the report of reading each line once;
// the Joiner counts every extra delivery. With ids, duplicates are found by
// id; without, by DropIdentical (the drawn export has no two identical
// events).
func TestExactlyOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		withIDs := rapid.Bool().Draw(t, "withIDs")
		lines := exportLines(t, withIDs)
		once := chatkpi.Joiner{DropIdentical: !withIDs}
		require.NoError(t, once.Read("", reader(t, lines)))
		require.Zero(t, once.Duplicates())
		want := slices.Collect(once.Conversations())

		var deliveries []string
		for i, l := range lines {
			for range rapid.IntRange(1, 3).Draw(t, fmt.Sprintf("copies%d", i)) {
				deliveries = append(deliveries, l)
			}
		}
		deliveries = rapid.Permutation(deliveries).Draw(t, "order")
		files := make([][]string, rapid.IntRange(1, 4).Draw(t, "files"))
		for i, l := range deliveries {
			f := rapid.IntRange(0, len(files)-1).Draw(t, fmt.Sprintf("file%d", i))
			files[f] = append(files[f], l)
		}
		j := chatkpi.Joiner{DropIdentical: !withIDs}
		for i, f := range files {
			require.NoError(t, j.Read(fmt.Sprintf("f%d", i), reader(t, f)))
		}
		require.Equal(t, len(deliveries)-len(lines), j.Duplicates())
		got := slices.Collect(j.Conversations())
		byID := func(a, b *chatkpi.Chat) int { return strings.Compare(a.Meta.ID, b.Meta.ID) }
		slices.SortFunc(want, byID)
		slices.SortFunc(got, byID)
		require.Equal(t, want, got)
		require.Equal(t, summary(t, want), summary(t, got))
	})
}

// TestSplitOverInputs: the lines of an export in their order, cut into
// consecutive inputs at any lines (daily exports of chats that cross
// midnight), give the conversations of the whole, in the same order, with
// ReadConversations.
func TestSplitOverInputs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lines := exportLines(t, rapid.Bool().Draw(t, "withIDs"))
		lines = rapid.Permutation(lines).Draw(t, "interleaving")
		whole, err := chatkpi.ReadConversations(reader(t, lines))
		require.NoError(t, err)
		var rs []chatkpi.EventReader
		for rest := lines; len(rest) > 0; {
			n := rapid.IntRange(1, len(rest)).Draw(t, "cut")
			rs = append(rs, reader(t, rest[:n]))
			rest = rest[n:]
		}
		split, err := chatkpi.ReadConversations(rs...)
		require.NoError(t, err)
		require.Equal(t, whole, split)
	})
}
