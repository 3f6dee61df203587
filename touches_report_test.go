package chatkpi_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The first-contact resolutions of a streaming Report, judged by the
// bounded repeat ledger, against those of the exact report (every contact
// kept): in start order, with late arrivals, merged, encoded and decoded.

// fcrSettings draws an exact report's settings with MetricTouches: by day
// and channel or not, a repeat window of whole hours, an as-of instant or
// none.
func fcrSettings(t *rapid.T) chatkpi.ReportSettings {
	s := chatkpi.ReportSettings{Metrics: chatkpi.DefaultMetrics | chatkpi.MetricTouches}
	if rapid.Bool().Draw(t, "grouped") {
		s.Period, s.GroupBy = chatkpi.Day, [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByChannel()}
	}
	s.Outcomes.RepeatContactWindow = time.Duration(rapid.IntRange(1, 48).Draw(t, "window hours")) * time.Hour
	if rapid.Bool().Draw(t, "as of") {
		s.Outcomes.AsOf = chatkpitest.Epoch().Add(time.Duration(rapid.IntRange(0, 120).Draw(t, "as-of hour")) * time.Hour)
	}
	return s
}

// fcrOf is the touches of every group ("period/channel") and overall ("")
// of a summary, nil ones left out.
func fcrOf(s *chatkpi.Summary) map[string]chatkpi.TouchesSummary {
	out := map[string]chatkpi.TouchesSummary{}
	if s.Overall.Touches != nil {
		out[""] = *s.Overall.Touches
	}
	for _, g := range s.Groups {
		if g.Touches != nil {
			out[g.Period+"/"+g.Key["channel"]] = *g.Touches
		}
	}
	return out
}

// fcrUndefined checks a summary whose first-contact rates are undefined:
// every one is null, the rest of the touches are there.
func fcrUndefined(t require.TestingT, s, exact *chatkpi.Summary) {
	got, want := fcrOf(s), fcrOf(exact)
	require.Equal(t, len(want), len(got))
	for k, w := range want {
		require.Nil(t, got[k].FirstContactResolution, k)
		w.FirstContactResolution, w.FirstContactPending = nil, got[k].FirstContactPending
		require.Equal(t, w, got[k], k)
	}
}

// TestFirstContactStreamingEqualsExact: a streaming report's first-contact
// resolutions, in every group and overall, are the exact report's, or —
// only when the input is not in start order — undefined, saying why.
func TestFirstContactStreamingEqualsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := succChats(t, 40)
		s := fcrSettings(t)
		in, ordered := succOrder(t, chats)
		exact := succSummary(t, reportOf(t, s, in))
		require.Empty(t, exact.FirstContactUndefined)
		stream := succSummary(t, reportOf(t, s.WithStreaming(0), in))
		if stream.FirstContactUndefined != "" {
			require.False(t, ordered, "in start order a streaming report keeps first-contact resolution exact")
			require.Contains(t, stream.FirstContactUndefined, "the first-contact resolution rate needs exact mode")
			fcrUndefined(t, stream, exact)
			return
		}
		require.Equal(t, fcrOf(exact), fcrOf(stream))
	})
}

// TestFirstContactMergeAndPermutation: merging the reports of two parts
// gives the touches of the whole — exact: the same encoding, and it does
// not depend on the order of the conversations; streaming: the same
// first-contact resolutions when the parts are in start order and apart
// per customer, and whenever both are defined.
func TestFirstContactMergeAndPermutation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := succChats(t, 40)
		s := fcrSettings(t)
		chats, ordered := succOrder(t, chats)
		cut := rapid.IntRange(0, len(chats)).Draw(t, "cut")
		exact := succSummary(t, reportOf(t, s, chats))
		if !rapid.Bool().Draw(t, "streaming") {
			whole := reportOf(t, s, chats)
			a := reportOf(t, s, chats[:cut])
			require.NoError(t, a.Merge(reportOf(t, s, chats[cut:])))
			we, err := whole.MarshalBinary()
			require.NoError(t, err)
			me, err := a.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, we, me, "merge = union")
			pe, err := reportOf(t, s, rapid.Permutation(chats).Draw(t, "perm")).MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, we, pe, "permutation invariance")
			return
		}
		s = s.WithStreaming(0)
		a := reportOf(t, s, chats[:cut])
		require.NoError(t, a.Merge(reportOf(t, s, chats[cut:])))
		ms := succSummary(t, a)
		if ordered && succApart(chats[:cut], chats[cut:]) {
			require.Empty(t, ms.FirstContactUndefined, "parts in start order, apart in time per customer, compose")
		}
		if ms.FirstContactUndefined != "" {
			fcrUndefined(t, ms, exact)
			return
		}
		require.Equal(t, fcrOf(exact), fcrOf(ms))
	})
}

// TestFirstContactStreamingRoundTrip: a streaming report decoded from its
// encoding (into a zero Report and into one with the settings) encodes
// the same, has the same touches and goes on as the original when more
// conversations come.
func TestFirstContactStreamingRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := succChats(t, 30)
		s := fcrSettings(t).WithStreaming(0)
		chats, _ = succOrder(t, chats)
		cut := rapid.IntRange(0, len(chats)).Draw(t, "cut")
		orig := reportOf(t, s, chats[:cut])
		enc, err := orig.MarshalBinary()
		require.NoError(t, err)
		for _, into := range []*chatkpi.Report{{}, reportOf(t, s, nil)} {
			require.NoError(t, into.UnmarshalBinary(enc))
			again, err := into.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, enc, again)
			require.Equal(t, succSummary(t, orig), succSummary(t, into))
		}
		dec := reportOf(t, s, nil)
		require.NoError(t, dec.UnmarshalBinary(enc))
		for _, c := range chats[cut:] {
			require.NoError(t, orig.AddConversation(c))
			require.NoError(t, dec.AddConversation(c))
		}
		require.Equal(t, succSummary(t, orig), succSummary(t, dec))
	})
}

// TestFirstContactStreamingCases: customer d comes back every 25 hours six
// times (each resolution 24 h 50 min before the next start: 6 of 6
// first-contact), and one more chat arrives last although it started
// earlier. An hour after the fifth resolution it repeats the fifth and the
// sixth start repeats it: 5 of 7 in both modes (one chat late, within what
// the streaming state keeps). Seventeen hours after the first resolution
// it repeats the first: 5 of 7 exactly, undefined in streaming mode, which
// dropped the first resolution by then.
func TestFirstContactStreamingCases(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var chats []*chatkpi.Chat
	for k := range 6 {
		chats = append(chats, succCase(fmt.Sprintf("d%d", k), t0.Add(time.Duration(k)*25*time.Hour)))
	}
	res := func(k int) time.Time { return t0.Add(time.Duration(k)*25*time.Hour + 10*time.Minute) }
	oneLate := append(slices.Clone(chats), succCase("late", res(4).Add(time.Hour)))
	farLate := append(slices.Clone(chats), succCase("late", res(0).Add(17*time.Hour)))
	fcr := func(s *chatkpi.Summary) [2]int64 {
		return [2]int64{s.Overall.Touches.FirstContactResolution.Count, s.Overall.Touches.FirstContactResolution.Of}
	}
	for _, mode := range []string{"exact", "streaming"} {
		s := chatkpi.ReportSettings{Metrics: chatkpi.MetricTouches}
		if mode == "streaming" {
			s = s.WithStreaming(0)
		}
		require.Equal(t, [2]int64{6, 6}, fcr(succSummary(t, reportOf(t, s, chats))), mode)
		sum := succSummary(t, reportOf(t, s, oneLate))
		require.Empty(t, sum.FirstContactUndefined, mode)
		require.Equal(t, [2]int64{5, 7}, fcr(sum), mode)
		sum = succSummary(t, reportOf(t, s, farLate))
		if mode == "exact" {
			require.Equal(t, [2]int64{5, 7}, fcr(sum))
			continue
		}
		require.Nil(t, sum.Overall.Touches.FirstContactResolution)
		require.Equal(t, int64(7), sum.Overall.Touches.Resolved, "the touch rates stay")
		require.Contains(t, sum.FirstContactUndefined, "1 customers came too far out of start order")
		require.Empty(t, sum.SuccessfulChatUndefined, "not one of the metrics")
	}
}

// TestFirstContactStreamingMemoryPerCustomer: with MetricTouches in
// streaming mode and in start order, the report's heap per customer stays
// the same whether each customer has 5 conversations or 50; exact mode
// keeps 32 bytes per start and per candidate.
func TestFirstContactStreamingMemoryPerCustomer(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	perCustomer := func(s chatkpi.ReportSettings, contacts int) float64 {
		return heapPerCustomer(t, s, contacts, func(_ *chatkpi.Report, sum *chatkpi.Summary, chats int64) {
			require.Equal(t, chats, sum.Overall.Touches.FirstContactResolution.Count) // 30 h apart: none repeated
		})
	}
	stream := chatkpi.ReportSettings{Metrics: chatkpi.MetricTouches}.WithStreaming(0)
	few, many := perCustomer(stream, 5), perCustomer(stream, 50)
	exactFew, exactMany := perCustomer(chatkpi.ReportSettings{Metrics: chatkpi.MetricTouches}, 5), perCustomer(chatkpi.ReportSettings{Metrics: chatkpi.MetricTouches}, 50)
	t.Logf("streaming: %.0f B per customer with 5 chats each, %.0f B with 50; exact: %.0f B with 5, %.0f B with 50", few, many, exactFew, exactMany)
	require.Less(t, many, few*1.25+16, "streaming: constant per customer")
	require.Less(t, many, 220.0, "streaming: the ledger's packed records (about 190 B; 450 before)")
	require.Greater(t, exactMany, many+45*2*32, "exact mode keeps every start and candidate")
}

// FuzzFirstContactUnmarshal decodes streaming reports with MetricTouches
// whose customers hold dropped instants, are kept whole or are lost: a
// decoded state re-encodes to what decodes to itself, its first-contact
// rates are valid or none, and bad input wraps ErrInvalid.
func FuzzFirstContactUnmarshal(f *testing.F) {
	addLedgerSeeds(f, chatkpi.MetricTouches)
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
		for _, ts := range fcrOf(sum) {
			if c := ts.FirstContactResolution; c != nil {
				require.True(t, c.Count >= 0 && c.Count <= c.Of && ts.FirstContactPending >= 0, "rate %+v", c)
			}
		}
	})
}
