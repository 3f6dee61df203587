package chatkpi_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The successful-chat rate of a Report: its per-customer ledger against a
// brute force over every pair of conversations, in any order, exact and
// streaming, merged, encoded and decoded.

// succCounts is a successful-chat rate as the summary gives it: count, of,
// pending, without customer (all zero for a null rate).
type succCounts [4]int64

func succOf(s *chatkpi.SuccessfulChatSummary) succCounts {
	if s == nil {
		return succCounts{}
	}
	return succCounts{s.Count, s.Of, s.Pending, s.WithoutCustomer}
}

// resolutionInForce returns when the resolution in force at the end of c
// was made (the first Resolved after the last Reopened), and whether c
// ends resolved: the rule of the brute-force oracles.
func resolutionInForce(c *chatkpi.Chat) (time.Time, bool) {
	var at time.Time
	open := true
	for _, e := range c.Events {
		switch {
		case e.Type == chatkpi.Resolved && open:
			at, open = e.Time, false
		case e.Type == chatkpi.Reopened:
			open = true
		}
	}
	return at, !open
}

// succBrute is the successful-chat rate of each (day, channel) group and
// overall ("") by the definition: an engaged conversation resolved at the
// end is successful unless another inbound engaged conversation of the
// same customer starts in (r, r + window] after its resolution r, pending
// when not repeated and r + window is after asOf (non-zero); without a
// customer id it is successful (or pending) and counted apart.
func succBrute(chats []*chatkpi.Chat, window time.Duration, asOf time.Time) map[string]succCounts {
	engaged := func(c *chatkpi.Chat) bool {
		return slices.ContainsFunc(c.Events, func(e chatkpi.Event) bool { return e.IsCustomerMessage() })
	}
	start := func(c *chatkpi.Chat) time.Time {
		if !c.Meta.Start.IsZero() {
			return c.Meta.Start
		}
		return c.Events[0].Time
	}
	resolution := resolutionInForce
	out := map[string]succCounts{}
	for _, c := range chats {
		if !engaged(c) {
			continue
		}
		key := start(c).UTC().Format("2006-01-02") + "/" + c.Meta.Channel
		var d succCounts
		d[1] = 1
		if r, ok := resolution(c); ok {
			repeat := false
			for _, o := range chats {
				if o != c && c.Meta.Customer != "" && o.Meta.Customer == c.Meta.Customer && !o.Meta.Outbound && engaged(o) {
					s := start(o)
					repeat = repeat || s.After(r) && !s.After(r.Add(window))
				}
			}
			switch {
			case repeat:
			case !asOf.IsZero() && r.Add(window).After(asOf):
				d[1], d[2] = 0, 1
			default:
				d[0] = 1
			}
			if c.Meta.Customer == "" {
				d[3] = 1
			}
		}
		for _, k := range []string{key, ""} {
			v := out[k]
			for i := range v {
				v[i] += d[i]
			}
			out[k] = v
		}
	}
	for k, v := range out {
		if v[1] == 0 { // no trials: a null rate
			delete(out, k)
		}
	}
	return out
}

// succOfSummary gives the same map from a summary (day/channel groups).
func succOfSummary(s *chatkpi.Summary) map[string]succCounts {
	out := map[string]succCounts{}
	if c := succOf(s.Overall.SuccessfulChat); c[1] > 0 {
		out[""] = c
	}
	for _, g := range s.Groups {
		if c := succOf(g.SuccessfulChat); c[1] > 0 {
			out[g.Period+"/"+g.Key["channel"]] = c
		}
	}
	return out
}

// succChats draws conversations moved into a few days, so that repeat
// contacts, overlaps and close calls at the window are common, keeping
// those a report takes.
func succChats(t *rapid.T, n int) []*chatkpi.Chat {
	chats := rapid.SliceOfN(chatkpitest.Chat(), n/2, n).Draw(t, "chats")
	probe, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics})
	require.NoError(t, err)
	fewer := rapid.Bool().Draw(t, "two customers") // many chats each
	var kept []*chatkpi.Chat
	for i, c := range chats {
		if len(c.Events) == 0 {
			continue
		}
		at := chatkpitest.Epoch().Add(time.Duration(rapid.Int64Range(0, 96).Draw(t, fmt.Sprintf("hour%d", i))) * time.Hour)
		shift := at.Sub(c.Events[0].Time)
		for j := range c.Events {
			c.Events[j].Time = c.Events[j].Time.Add(shift)
		}
		if !c.Meta.Start.IsZero() {
			c.Meta.Start = c.Meta.Start.Add(shift)
		}
		c.Meta.ID = fmt.Sprintf("conv-%d", i)
		if fewer {
			c.Meta.Customer = c.Meta.Customer[:len(c.Meta.Customer)-1] + string('1'+c.Meta.Customer[len(c.Meta.Customer)-1]%2)
		}
		if probe.AddConversation(c) == nil {
			kept = append(kept, c)
		}
	}
	return kept
}

// succSettings draws the report's settings: by day and channel, a repeat
// window of whole hours (so that starts fall exactly on it), an as-of
// instant or none, exact or streaming.
func succSettings(t *rapid.T) chatkpi.ReportSettings {
	s := chatkpi.ReportSettings{Period: chatkpi.Day, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByChannel()},
		Metrics: chatkpi.DefaultMetrics | chatkpi.MetricSuccessfulChat}
	s.Outcomes.RepeatContactWindow = time.Duration(rapid.IntRange(1, 48).Draw(t, "window hours")) * time.Hour
	if rapid.Bool().Draw(t, "as of") {
		s.Outcomes.AsOf = chatkpitest.Epoch().Add(time.Duration(rapid.IntRange(0, 120).Draw(t, "as-of hour")) * time.Hour)
	}
	if rapid.Bool().Draw(t, "streaming") {
		s = s.WithStreaming(0)
	}
	return s
}

// reportOf is the report of chats, added one by one.
func reportOf(t require.TestingT, s chatkpi.ReportSettings, chats []*chatkpi.Chat) *chatkpi.Report {
	r, err := chatkpi.NewReport(s)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	return r
}

// succSummary is r's summary; an empty one without conversations.
func succSummary(t require.TestingT, r *chatkpi.Report) *chatkpi.Summary {
	s, err := r.Summary()
	if errors.Is(err, chatkpi.ErrNoData) {
		return &chatkpi.Summary{}
	}
	require.NoError(t, err)
	return s
}

// byStart sorts conversations by start (the start order of a file by time).
func byStart(chats []*chatkpi.Chat) []*chatkpi.Chat {
	start := func(c *chatkpi.Chat) time.Time {
		if !c.Meta.Start.IsZero() {
			return c.Meta.Start
		}
		return c.Events[0].Time
	}
	out := slices.Clone(chats)
	slices.SortStableFunc(out, func(a, b *chatkpi.Chat) int { return start(a).Compare(start(b)) })
	return out
}

// succOrder draws an order of chats: any, by start, or by start with a
// few chats moved elsewhere (late or early arrivals); ordered says which
// is by start.
func succOrder(t *rapid.T, chats []*chatkpi.Chat) (in []*chatkpi.Chat, ordered bool) {
	switch rapid.IntRange(0, 2).Draw(t, "order kind") {
	case 0:
		return rapid.Permutation(chats).Draw(t, "order"), false
	case 1:
		return byStart(chats), true
	}
	in = byStart(chats)
	for range rapid.IntRange(1, 3).Draw(t, "moves") {
		if len(in) < 2 {
			break
		}
		i := rapid.IntRange(0, len(in)-1).Draw(t, "from")
		c := in[i]
		in = slices.Delete(in, i, i+1)
		j := rapid.IntRange(0, len(in)).Draw(t, "to")
		in = slices.Insert(in, j, c)
	}
	return in, false
}

// mergedStreaming draws an order of a and of b (succOrder), builds a
// streaming report of each with s and merges them, the later into the
// earlier or the other way round (drawn); ordered says whether both orders
// are by start.
func mergedStreaming(t *rapid.T, s chatkpi.ReportSettings, a, b []*chatkpi.Chat) (r *chatkpi.Report, ordered bool) {
	inA, orderedA := succOrder(t, a)
	inB, orderedB := succOrder(t, b)
	ra, rb := reportOf(t, s.WithStreaming(0), inA), reportOf(t, s.WithStreaming(0), inB)
	if rapid.Bool().Draw(t, "later into earlier") {
		require.NoError(t, ra.Merge(rb))
		return ra, orderedA && orderedB
	}
	require.NoError(t, rb.Merge(ra))
	return rb, orderedA && orderedB
}

// TestSuccessfulChatEqualsBruteForce: in any order, an exact report gives
// the brute force's counts in every group and overall; a streaming one
// gives them too, or — only when the input is not in start order — no
// rate at all, saying why. In start order a streaming report always has
// the exact rate.
func TestSuccessfulChatEqualsBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := succChats(t, 40)
		s := succSettings(t)
		want := succBrute(chats, s.Outcomes.RepeatContactWindow, s.Outcomes.AsOf)
		in, ordered := succOrder(t, chats)
		sum := succSummary(t, reportOf(t, s, in))
		if sum.SuccessfulChatUndefined != "" {
			require.True(t, s.FirstResponse.Durations.Streaming, "an exact report always has the rate")
			require.False(t, ordered, "in start order a streaming report keeps the rate exact")
			require.Empty(t, succOfSummary(sum))
			return
		}
		require.Equal(t, want, succOfSummary(sum))
	})
}

// TestSuccessfulChatMergeAndPermutation: merging the reports of two parts
// gives the report of the whole (exact: the same encoding; streaming: the
// same rate, or none when out of order), and in exact mode the encoding
// does not depend on the order of the conversations.
func TestSuccessfulChatMergeAndPermutation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := succChats(t, 40)
		s := succSettings(t)
		chats, ordered := succOrder(t, chats)
		cut := rapid.IntRange(0, len(chats)).Draw(t, "cut")
		whole := reportOf(t, s, chats)
		a, b := reportOf(t, s, chats[:cut]), reportOf(t, s, chats[cut:])
		require.NoError(t, a.Merge(b))
		ws, ms := succSummary(t, whole), succSummary(t, a)
		switch {
		case !s.FirstResponse.Durations.Streaming:
			we, err := whole.MarshalBinary()
			require.NoError(t, err)
			me, err := a.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, we, me, "merge = union")
			perm := reportOf(t, s, rapid.Permutation(chats).Draw(t, "perm"))
			pe, err := perm.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, we, pe, "permutation invariance")
		case ordered && succApart(chats[:cut], chats[cut:]):
			require.Empty(t, ws.SuccessfulChatUndefined)
			require.Empty(t, ms.SuccessfulChatUndefined, "parts in start order, apart in time per customer, compose")
			require.Equal(t, succOfSummary(ws), succOfSummary(ms))
		case ws.SuccessfulChatUndefined == "" && ms.SuccessfulChatUndefined == "":
			require.Equal(t, succOfSummary(ws), succOfSummary(ms))
		}
		if ws.SuccessfulChatUndefined == "" && ms.SuccessfulChatUndefined == "" {
			require.Equal(t, succBrute(chats, s.Outcomes.RepeatContactWindow, s.Outcomes.AsOf), succOfSummary(ms))
		}
	})
}

// succApart reports whether, for each customer, every event of a comes at
// or before the start of every conversation of b.
func succApart(a, b []*chatkpi.Chat) bool {
	last := map[string]time.Time{}
	for _, c := range a {
		if t := c.Events[len(c.Events)-1].Time; t.After(last[c.Meta.Customer]) {
			last[c.Meta.Customer] = t
		}
	}
	for _, c := range byStart(b) {
		start := c.Meta.Start
		if start.IsZero() {
			start = c.Events[0].Time
		}
		if l, ok := last[c.Meta.Customer]; ok && l.After(start) {
			return false
		}
	}
	return true
}

// TestSuccessfulChatRoundTrip: a report decoded from its encoding (into
// a zero Report and into one with the settings) encodes the same, has the
// same summary and goes on as the original when more conversations come,
// grouped and not.
func TestSuccessfulChatRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := succChats(t, 30)
		s := succSettings(t)
		if rapid.Bool().Draw(t, "ungrouped") {
			s.Period, s.GroupBy = 0, [chatkpi.MaxGroupings]chatkpi.Grouping{}
		}
		cut := rapid.IntRange(0, len(chats)).Draw(t, "cut")
		orig := reportOf(t, s, chats[:cut])
		enc, err := orig.MarshalBinary()
		require.NoError(t, err)
		for _, into := range []*chatkpi.Report{{}, reportOf(t, s, nil)} {
			require.NoError(t, into.UnmarshalBinary(enc))
			again, err := into.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, enc, again)
			if len(chats[:cut]) > 0 {
				require.Equal(t, succSummary(t, orig), succSummary(t, into))
			}
		}
		dec := reportOf(t, s, nil)
		require.NoError(t, dec.UnmarshalBinary(enc))
		for _, c := range chats[cut:] {
			require.NoError(t, orig.AddConversation(c))
			require.NoError(t, dec.AddConversation(c))
		}
		if len(chats) > 0 {
			require.Equal(t, succSummary(t, orig), succSummary(t, dec))
		}
	})
}

// TestSuccessfulChatCases: hand-computed rates, with the default 24-hour
// window, by day, in three orders, exact and streaming.
//
//   - Customer a: day 1 10:00 resolved 10:10; day 2 10:10, exactly 24 h
//     after that resolution, so a repeat contact (start in (r, r + 24 h]),
//     resolved 10:20; day 3 10:21, 24 h 1 min after it, not a repeat,
//     resolved 10:30 with no later contact: 2 of 3.
//   - Customer b: two overlapping chats, day 1 09:00–12:00 and
//     09:30–09:45; no start follows either resolution: 2 of 2.
//   - Customer c: day 1 08:00 unresolved (engaged, not successful), day 1
//     20:00 resolved 20:05: 1 of 2.
//
// Total 5 of 7; day 1 3 of 5 (a1 repeated, b1, b2, c1 unresolved, c2),
// day 2 1 of 1, day 3 1 of 1.
func TestSuccessfulChatCases(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	chat := func(id, customer string, start, resolved time.Time) *chatkpi.Chat {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: customer, Channel: "chat"}, Events: []chatkpi.Event{
			{Time: start, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: start.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		}}
		if !resolved.IsZero() {
			c.Events = append(c.Events, chatkpi.Event{Time: resolved, Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"})
		}
		return c
	}
	chats := []*chatkpi.Chat{
		chat("a1", "a", day(1, 10, 0), day(1, 10, 10)),
		chat("a2", "a", day(2, 10, 10), day(2, 10, 20)),
		chat("a3", "a", day(3, 10, 21), day(3, 10, 30)),
		chat("b1", "b", day(1, 9, 0), day(1, 12, 0)),
		chat("b2", "b", day(1, 9, 30), day(1, 9, 45)),
		chat("c1", "c", day(1, 8, 0), time.Time{}),
		chat("c2", "c", day(1, 20, 0), day(1, 20, 5)),
	}
	for _, mode := range []string{"exact", "streaming"} {
		s := chatkpi.ReportSettings{Period: chatkpi.Day, Metrics: chatkpi.DefaultMetrics | chatkpi.MetricSuccessfulChat}
		if mode == "streaming" {
			s = s.WithStreaming(0)
		}
		for name, order := range map[string][]*chatkpi.Chat{
			"in order": byStart(chats), "as listed": chats, "reversed": reversed(chats),
		} {
			sum := succSummary(t, reportOf(t, s, order))
			require.Empty(t, sum.SuccessfulChatUndefined, mode, name)
			require.Equal(t, succCounts{5, 7, 0, 0}, succOf(sum.Overall.SuccessfulChat), mode, name)
			byDay := map[string]succCounts{}
			for _, g := range sum.Groups {
				byDay[g.Period] = succOf(g.SuccessfulChat)
			}
			require.Equal(t, map[string]succCounts{"2026-03-01": {3, 5}, "2026-03-02": {1, 1}, "2026-03-03": {1, 1}}, byDay, mode, name)
		}
	}
}

func reversed[T any](s []T) []T {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// succCase is a chat of customer d opened at start by a customer message,
// answered a minute later and resolved ten minutes after the start.
func succCase(id string, start time.Time) *chatkpi.Chat {
	return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: "d", Channel: "chat"}, Events: []chatkpi.Event{
		{Time: start, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: start.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: start.Add(10 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"},
	}}
}

// TestSuccessfulChatOutOfOrder: customer d comes back every 25 hours six
// times (each resolution 24 h 50 min before the next start: all
// successful), and one more chat arrives last although it started
// earlier. An hour after the fifth resolution it repeats the fifth, and
// the sixth start repeats it: 5 of 7, in streaming mode too (it is one
// chat late, within what the streaming state keeps; d is then kept
// whole). Seventeen hours after the first resolution it repeats the first,
// and the second start repeats it: 5 of 7 exactly; a streaming report has
// dropped the first resolution by then and says that the rate needs exact
// mode instead of giving a wrong one.
func TestSuccessfulChatOutOfOrder(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var chats []*chatkpi.Chat
	for k := range 6 {
		chats = append(chats, succCase(fmt.Sprintf("d%d", k), t0.Add(time.Duration(k)*25*time.Hour)))
	}
	res := func(k int) time.Time { return t0.Add(time.Duration(k)*25*time.Hour + 10*time.Minute) }
	oneLate := append(slices.Clone(chats), succCase("late", res(4).Add(time.Hour)))
	farLate := append(slices.Clone(chats), succCase("late", res(0).Add(17*time.Hour)))
	for _, mode := range []string{"exact", "streaming"} {
		s := chatkpi.ReportSettings{Metrics: chatkpi.DefaultMetrics | chatkpi.MetricSuccessfulChat}
		if mode == "streaming" {
			s = s.WithStreaming(0)
		}
		r := reportOf(t, s, oneLate)
		sum := succSummary(t, r)
		require.Empty(t, sum.SuccessfulChatUndefined, mode)
		require.Equal(t, succCounts{5, 7, 0, 0}, succOf(sum.Overall.SuccessfulChat), mode)
		if mode == "streaming" {
			require.Equal(t, int64(1), chatkpi.ReportCustomersKeptWhole(r))
		}
		sum = succSummary(t, reportOf(t, s, farLate))
		if mode == "exact" {
			require.Equal(t, succCounts{5, 7, 0, 0}, succOf(sum.Overall.SuccessfulChat))
			continue
		}
		require.Nil(t, sum.Overall.SuccessfulChat)
		require.Contains(t, sum.SuccessfulChatUndefined, "1 customers came too far out of start order")
		require.Contains(t, sum.SuccessfulChatUndefined, "needs exact mode")
	}
}

// TestSuccessfulChatStreamingMemoryPerCustomer: in streaming mode and in
// start order, the report's heap per customer stays the same whether each
// customer has 5 conversations or 50 (exact mode keeps a start of each).
func TestSuccessfulChatStreamingMemoryPerCustomer(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	perCustomer := func(s chatkpi.ReportSettings, contacts int) float64 {
		return heapPerCustomer(t, s, contacts, func(r *chatkpi.Report, sum *chatkpi.Summary, chats int64) {
			require.Equal(t, chats, sum.Overall.SuccessfulChat.Count) // 30 h apart: none repeated
			require.Zero(t, chatkpi.ReportCustomersKeptWhole(r))
		})
	}
	stream := chatkpi.ReportSettings{Metrics: chatkpi.MetricSuccessfulChat}.WithStreaming(0)
	// The heap after a GC also holds a few KiB of the runtime's own, which
	// come and go (±2 B per customer here): the lesser of two measurements
	// is the report's.
	few := min(perCustomer(stream, 5), perCustomer(stream, 5))
	many := min(perCustomer(stream, 50), perCustomer(stream, 50))
	exactMany := perCustomer(chatkpi.ReportSettings{Metrics: chatkpi.MetricSuccessfulChat}, 50)
	t.Logf("streaming: %.0f B per customer with 5 chats each, %.0f B with 50; exact: %.0f B with 50", few, many, exactMany)
	require.Less(t, many, few*1.25+16, "streaming: constant per customer")
	require.Less(t, many, 230.0, "streaming: the ledger's packed records (183–186 B with 5 chats, 217–220 B with 50; 450 before)")
	require.Greater(t, exactMany, many+40*8, "exact mode keeps every start")
}

// addLedgerSeeds adds to f the encodings of streaming reports of metric
// (a customer-ledger metric) whose customer holds dropped instants, is
// kept whole (a conversation a little late) or is lost (one later).
func addLedgerSeeds(f *testing.F, metric chatkpi.Metric) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var chats []*chatkpi.Chat
	for k := range 8 {
		chats = append(chats, succCase(fmt.Sprintf("d%d", k), t0.Add(time.Duration(k)*25*time.Hour)))
	}
	s := chatkpi.ReportSettings{Period: chatkpi.Day, Metrics: metric}.WithStreaming(0)
	for _, in := range [][]*chatkpi.Chat{
		chats, // dropped starts and resolutions
		append(slices.Clone(chats), succCase("late1", t0.Add(6*25*time.Hour+time.Hour))),    // kept whole
		append(slices.Clone(chats), succCase("late2", t0.Add(17*time.Hour+10*time.Minute))), // lost
	} {
		enc, err := reportOf(f, s, in).MarshalBinary()
		require.NoError(f, err)
		f.Add(enc)
	}
}

// decodeReportStably decodes a fuzzed report encoding: an error must wrap
// ErrInvalid (ok false); a report that decodes re-encodes to a canonical
// form that decodes and encodes to itself.
func decodeReportStably(t *testing.T, data []byte) (r *chatkpi.Report, ok bool) {
	r = new(chatkpi.Report)
	if err := r.UnmarshalBinary(data); err != nil {
		require.ErrorIs(t, err, chatkpi.ErrInvalid)
		return nil, false
	}
	canon, err := r.MarshalBinary()
	require.NoError(t, err)
	var back chatkpi.Report
	require.NoError(t, back.UnmarshalBinary(canon))
	again, err := back.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, canon, again)
	return r, true
}

// heapPerCustomer is the heap a report built with s grows by, per customer,
// when 2,000 customers have contacts conversations each, 30 hours apart
// (so none repeats another) and added in start order; check looks at the
// report and its summary, given the number of conversations.
func heapPerCustomer(t *testing.T, s chatkpi.ReportSettings, contacts int, check func(r *chatkpi.Report, sum *chatkpi.Summary, chats int64)) float64 {
	t.Helper()
	const customers = 2000
	heap := func() int64 {
		var m runtime.MemStats
		// Twice: what the finalizers that a first collection runs let go
		// (files of earlier tests, say) is freed by the second only, and
		// would otherwise be counted against the report.
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	before := heap()
	r, err := chatkpi.NewReport(s)
	require.NoError(t, err)
	for k := range contacts { // every customer's k-th chat, day k: start order
		for c := range customers {
			ch := succCase(fmt.Sprintf("c%d-%d", c, k), t0.Add(time.Duration(k)*30*time.Hour+time.Duration(c)*time.Second))
			ch.Meta.Customer = fmt.Sprintf("customer-%d", c)
			require.NoError(t, r.AddConversation(ch))
		}
	}
	grew := heap() - before
	check(r, succSummary(t, r), int64(customers*contacts))
	runtime.KeepAlive(r)
	return float64(grew) / customers
}

// FuzzSuccessfulChatUnmarshal decodes streaming reports whose customers
// hold dropped instants, are kept whole or are lost (the bounded ledger's
// states): a decoded state re-encodes to what decodes to itself, its
// summary is a valid rate or none, and bad input wraps ErrInvalid.
func FuzzSuccessfulChatUnmarshal(f *testing.F) {
	addLedgerSeeds(f, chatkpi.MetricSuccessfulChat)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok := decodeReportStably(t, data)
		if !ok {
			return
		}
		sum, err := r.Summary()
		if err != nil {
			require.ErrorIs(t, err, chatkpi.ErrNoData)
			return
		}
		for _, g := range append([]chatkpi.MetricsSummary{sum.Overall}, func() (ms []chatkpi.MetricsSummary) {
			for _, g := range sum.Groups {
				ms = append(ms, g.MetricsSummary)
			}
			return ms
		}()...) {
			if c := g.SuccessfulChat; c != nil {
				require.True(t, c.Count >= 0 && c.Count <= c.Of && c.Pending >= 0, "rate %+v", c)
			}
		}
	})
}

// TestSuccessfulChatHeavyCustomers: customers with a hundred conversations
// each (their states too long to pack: kept unpacked) merge, encode and
// decode as in any order, in exact mode; every resolution 30 h apart is
// successful, every one 1 h apart but the last is repeated.
func TestSuccessfulChatHeavyCustomers(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var chats []*chatkpi.Chat
	for k := range 100 {
		for c, gap := range []time.Duration{30 * time.Hour, time.Hour} {
			ch := succCase(fmt.Sprintf("c%d-%d", c, k), t0.Add(time.Duration(k)*gap+time.Duration(c)*time.Minute))
			ch.Meta.Customer = fmt.Sprint("customer-", c)
			chats = append(chats, ch)
		}
	}
	s := chatkpi.ReportSettings{Metrics: chatkpi.MetricSuccessfulChat}
	whole := reportOf(t, s, chats)
	sum := succSummary(t, whole)
	require.Equal(t, int64(200), sum.Overall.SuccessfulChat.Of)
	require.Equal(t, int64(101), sum.Overall.SuccessfulChat.Count, "100 apart, and the last of those 1 h apart")
	we, err := whole.MarshalBinary()
	require.NoError(t, err)
	a, b := reportOf(t, s, chats[:77]), reportOf(t, s, chats[77:])
	require.NoError(t, b.Merge(a))
	be, err := b.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, we, be, "merge = union")
	var back chatkpi.Report
	require.NoError(t, back.UnmarshalBinary(we))
	again, err := back.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, we, again)
	require.NoError(t, back.Merge(&back)) // each resolution twice, each start twice: the same verdicts
	require.Equal(t, int64(202), succSummary(t, &back).Overall.SuccessfulChat.Count)
}
