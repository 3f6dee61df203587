package chatkpi_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// retentionChats: customers active by month of 2026: a in Jan, Feb, Apr; b
// twice on 10 Jan (6 h apart: a repeat contact); c in Jan, Mar; d in Feb,
// Mar; e in Mar; and one conversation without a customer id.
func retentionChats() []*chatkpi.Chat {
	chat := func(id, customer string, month time.Month, day, hour int) *chatkpi.Chat {
		t := time.Date(2026, month, day, hour, 0, 0, 0, time.UTC)
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: customer}, Events: []chatkpi.Event{
			{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
		}}
	}
	return []*chatkpi.Chat{
		chat("a1", "a", time.January, 5, 9), chat("a2", "a", time.February, 5, 9), chat("a3", "a", time.April, 5, 9),
		chat("b1", "b", time.January, 10, 9), chat("b2", "b", time.January, 10, 15),
		chat("c1", "c", time.January, 20, 9), chat("c2", "c", time.March, 20, 9),
		chat("d1", "d", time.February, 1, 9), chat("d2", "d", time.March, 1, 9),
		chat("e1", "e", time.March, 15, 9),
		chat("x1", "", time.March, 15, 9),
	}
}

func retentionReport(t *testing.T, rs chatkpi.ReportSettings, chats []*chatkpi.Chat) *chatkpi.Report {
	t.Helper()
	if rs.Metrics == 0 {
		rs.Metrics = chatkpi.DefaultMetrics | chatkpi.MetricRetention
	}
	r, err := chatkpi.NewReport(rs)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	return r
}

func rate(count, of int64) *chatkpi.RateSummary {
	p := chatkpi.Proportion{Successes: count, Trials: of}
	pct, _ := p.Percent()
	iv, _ := p.Wilson(chatkpi.Z95)
	return &chatkpi.RateSummary{Count: count, Of: of, Percent: pct, CILow: 100 * iv.Low, CIHigh: 100 * iv.High,
		SmallSample: true}
}

func horizon(c float64, k int) *float64 {
	h := 100 * (1 - math.Pow(1-c, float64(k)))
	return &h
}

// TestReportRetention pins the section, computed by hand (the worked
// example of RetentionSummary, extended):
//
//	Feb: S = 3 (a b c), E = 2 (a d), N = 1 (d), kept 1 (a): 1/3, churn 2/3
//	Mar: S = 2 (a d), E = 3 (c d e), N = 1 (e), won back 1 (c), kept 1 (d)
//	Apr: S = 3 (c d e), E = 1 (a), won back 1 (a), kept 0: churn 3/3
//	May: S = 1 (a), E = 0: churn 1/1
//
// pooled churn 7 of 9; returning users a, c, d of 5; repeat contacts 1 (b's
// first) of the 10 conversations with a customer id.
func TestReportRetention(t *testing.T) {
	for _, grouping := range []string{"", "agent", "source"} {
		rs := chatkpi.ReportSettings{Period: chatkpi.Month}
		if grouping != "" {
			g, err := chatkpi.ParseGrouping(grouping)
			require.NoError(t, err)
			rs.GroupBy[0] = g
		}
		s, err := retentionReport(t, rs, retentionChats()).Summary()
		require.NoError(t, err)
		want := &chatkpi.RetentionSummary{
			Customers:           5,
			Returning:           rate(3, 5),
			RepeatContacts:      rate(1, 10),
			RepeatWindowSeconds: 86400,
			Churn:               rate(7, 9),
			HorizonPeriods:      12,
			Periods: []chatkpi.RetentionPeriod{
				{Period: "2026-01", End: 3, New: 3},
				{Period: "2026-02", Start: 3, End: 2, New: 1, Kept: 1, Retention: rate(1, 3), Churn: rate(2, 3)},
				{Period: "2026-03", Start: 2, End: 3, New: 1, WonBack: 1, Kept: 1, Retention: rate(1, 2), Churn: rate(1, 2)},
				{Period: "2026-04", Start: 3, End: 1, WonBack: 1, Retention: rate(0, 3), Churn: rate(3, 3)},
				{Period: "2026-05", Start: 1, Retention: rate(0, 1), Churn: rate(1, 1)},
			},
			Cohorts: []chatkpi.CohortSummary{
				{Period: "2026-01", Customers: 3, Active: []int64{3, 1, 1, 1}},
				{Period: "2026-02", Customers: 1, Active: []int64{1, 1, 0}},
				{Period: "2026-03", Customers: 1, Active: []int64{1, 0}},
			},
		}
		got := s.Retention
		require.NotNil(t, got, grouping)
		if grouping == "" {
			assert.Nil(t, got.Groups)
		} else {
			assert.NotEmpty(t, got.Groups, grouping) // TestReportRetentionGroups pins them
		}
		got.Groups = nil
		require.NotNil(t, got.ChurnOverHorizonPercent)
		assert.InDelta(t, *horizon(7.0/9, 12), *got.ChurnOverHorizonPercent, 1e-9)
		for i, p := range []float64{0, 2.0 / 3, 0.5, 1, 1} {
			if i == 0 {
				assert.Nil(t, got.Periods[i].ChurnOverHorizonPercent)
				continue
			}
			assert.InDelta(t, *horizon(p, 12), *got.Periods[i].ChurnOverHorizonPercent, 1e-9, "period %d", i)
		}
		got.ChurnOverHorizonPercent = nil
		for i := range got.Periods {
			got.Periods[i].ChurnOverHorizonPercent = nil
		}
		assert.Equal(t, want, got, grouping)
	}
}

// dropHorizons checks that every churn over the horizon is there exactly
// when the churn is, and clears them (floats: the tests compare them with
// a tolerance elsewhere).
func dropHorizons(t *testing.T, r *chatkpi.RetentionSummary) {
	t.Helper()
	assert.Equal(t, r.Churn != nil, r.ChurnOverHorizonPercent != nil)
	r.ChurnOverHorizonPercent = nil
	for i := range r.Periods {
		p := &r.Periods[i]
		assert.Equal(t, p.Churn != nil, p.ChurnOverHorizonPercent != nil)
		p.ChurnOverHorizonPercent = nil
	}
}

// TestReportRetentionGroups pins the retention per source, computed by
// hand. Customers by month of 2026: a on web in January and in the app
// in February; b on web in January and twice on 10 February (6 h apart);
// c in the app in February and March.
//
//	overall: Feb S 2, E 3, N 1, kept 2; Mar S 3, E 1, kept 1; Apr S 1:
//	         churn 3 of 6; returning 3 of 3; repeat contacts 1 of 7
//	web:     Jan E 2, N 2; Feb S 2, E 1, kept 1 (b); Mar S 1: churn 2 of
//	         3; returning 1 (b) of 2; repeat contacts 1 of 4
//	app:     Feb E 2, N 2 (a is new to the app); Mar S 2, E 1, kept 1
//	         (c); Apr S 1: churn 2 of 3; returning 1 (c) of 2; repeats 0 of 3
//
// The triangle stays overall.
func TestReportRetentionGroups(t *testing.T) {
	chat := func(id, customer, source string, month time.Month, day, hour int) *chatkpi.Chat {
		at := time.Date(2026, month, day, hour, 0, 0, 0, time.UTC)
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Customer: customer, Source: source}, Events: []chatkpi.Event{
			{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
		}}
	}
	chats := []*chatkpi.Chat{
		chat("a1", "a", "web", time.January, 5, 9), chat("a2", "a", "app", time.February, 5, 9),
		chat("b1", "b", "web", time.January, 6, 9), chat("b2", "b", "web", time.February, 10, 9), chat("b3", "b", "web", time.February, 10, 15),
		chat("c1", "c", "app", time.February, 20, 9), chat("c2", "c", "app", time.March, 20, 9),
	}
	s, err := retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month,
		GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBySource()}}, chats).Summary()
	require.NoError(t, err)
	got := s.Retention
	require.NotNil(t, got)
	dropHorizons(t, got)
	assert.Equal(t, rate(3, 6), got.Churn)
	assert.Equal(t, rate(3, 3), got.Returning)
	assert.Equal(t, rate(1, 7), got.RepeatContacts)
	assert.Equal(t, []chatkpi.CohortSummary{
		{Period: "2026-01", Customers: 2, Active: []int64{2, 2, 0}},
		{Period: "2026-02", Customers: 1, Active: []int64{1, 1}},
	}, got.Cohorts)
	require.Len(t, got.Groups, 2)
	for i := range got.Groups {
		dropHorizons(t, &got.Groups[i].RetentionSummary)
	}
	assert.Equal(t, []chatkpi.RetentionGroup{
		{Key: map[string]string{"source": "app"}, RetentionSummary: chatkpi.RetentionSummary{
			Customers: 2, Returning: rate(1, 2), RepeatContacts: rate(0, 3), RepeatWindowSeconds: 86400,
			Churn: rate(2, 3), HorizonPeriods: 12,
			Periods: []chatkpi.RetentionPeriod{
				{Period: "2026-02", End: 2, New: 2},
				{Period: "2026-03", Start: 2, End: 1, Kept: 1, Retention: rate(1, 2), Churn: rate(1, 2)},
				{Period: "2026-04", Start: 1, Retention: rate(0, 1), Churn: rate(1, 1)},
			}}},
		{Key: map[string]string{"source": "web"}, RetentionSummary: chatkpi.RetentionSummary{
			Customers: 2, Returning: rate(1, 2), RepeatContacts: rate(1, 4), RepeatWindowSeconds: 86400,
			Churn: rate(2, 3), HorizonPeriods: 12,
			Periods: []chatkpi.RetentionPeriod{
				{Period: "2026-01", End: 2, New: 2},
				{Period: "2026-02", Start: 2, End: 1, Kept: 1, Retention: rate(1, 2), Churn: rate(1, 2)},
				{Period: "2026-03", Start: 1, Retention: rate(0, 1), Churn: rate(1, 1)},
			}}},
	}, got.Groups)
}

// TestReportRetentionSettings: the horizon, streaming (no repeat
// contacts), no period or no customers (no section), and bad settings.
func TestReportRetentionSettings(t *testing.T) {
	s, err := retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month, Retention: chatkpi.RetentionSettings{Horizon: 3}},
		retentionChats()).Summary()
	require.NoError(t, err)
	assert.Equal(t, 3, s.Retention.HorizonPeriods)
	assert.InDelta(t, *horizon(7.0/9, 3), *s.Retention.ChurnOverHorizonPercent, 1e-9)

	s, err = retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month}.WithStreaming(0), retentionChats()).Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Retention.RepeatContacts)
	assert.Equal(t, rate(7, 9), s.Retention.Churn)

	s, err = retentionReport(t, chatkpi.ReportSettings{}, retentionChats()).Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Retention)

	s, err = retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month, Metrics: chatkpi.DefaultMetrics},
		retentionChats()).Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Retention)

	s, err = retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month}, retentionChats()[10:]).Summary()
	require.NoError(t, err)
	assert.Nil(t, s.Retention, "no customer ids")

	for _, h := range []int{-1, 10_001} {
		_, err := chatkpi.NewReport(chatkpi.ReportSettings{Retention: chatkpi.RetentionSettings{Horizon: h}})
		require.ErrorIs(t, err, chatkpi.ErrInvalid)
	}
	// Other horizons are other settings: no merge.
	a := retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month}, nil)
	b := retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month, Retention: chatkpi.RetentionSettings{Horizon: 3}}, nil)
	require.ErrorIs(t, a.Merge(b), chatkpi.ErrIncompatible)
}

// TestReportRetentionMergeIsUnion: the retention section of any split of
// the data, merged or encoded and decoded, and of any order, is that of
// the whole.
func TestReportRetentionMergeIsUnion(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 30).Draw(t, "n")
		var chats []*chatkpi.Chat
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			cust := rapid.SampledFrom([]string{"", "a", "b", "c", "d"}).Draw(t, "customer")
			at := base.Add(time.Duration(rapid.IntRange(0, 60*24).Draw(t, "hour")) * time.Hour)
			src := rapid.SampledFrom([]string{"web", "app"}).Draw(t, "source")
			chats = append(chats, &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint("c", i), Customer: cust, Source: src},
				Events: []chatkpi.Event{{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer}}})
		}
		rs := chatkpi.ReportSettings{Period: rapid.SampledFrom([]chatkpi.Period{chatkpi.Day, chatkpi.Week, chatkpi.Month}).Draw(t, "period")}
		if rapid.Bool().Draw(t, "by source") {
			rs.GroupBy[0] = chatkpi.GroupBySource()
		}
		if rapid.Bool().Draw(t, "touches") { // a third state numbering its customers with the report's ids
			rs.Metrics = chatkpi.DefaultMetrics | chatkpi.MetricTouches
		}
		if rapid.Bool().Draw(t, "streaming") { // bounded ledgers
			rs = rs.WithStreaming(0)
		}
		whole := mustReport(t, rs, chats)
		cut := rapid.IntRange(0, n).Draw(t, "cut")
		left, right := mustReport(t, rs, chats[:cut]), mustReport(t, rs, chats[cut:])
		b, err := right.MarshalBinary()
		require.NoError(t, err)
		var decoded chatkpi.Report
		require.NoError(t, decoded.UnmarshalBinary(b))
		require.NoError(t, left.Merge(&decoded))
		perm := rapid.Permutation(chats).Draw(t, "order")
		shuffled := mustReport(t, rs, perm)
		want, err := whole.Summary()
		require.NoError(t, err)
		for _, r := range []*chatkpi.Report{left, shuffled} {
			got, err := r.Summary()
			require.NoError(t, err)
			require.Equal(t, want.Retention, got.Retention)
			// The ledgers share the customers' numbers with the retention
			// state: exact, or undefined rather than wrong.
			if want.SuccessfulChatUndefined == "" && got.SuccessfulChatUndefined == "" {
				require.Equal(t, want.Overall.SuccessfulChat, got.Overall.SuccessfulChat)
			}
			if want.FirstContactUndefined == "" && got.FirstContactUndefined == "" && want.Overall.Touches != nil {
				require.Equal(t, want.Overall.Touches.FirstContactResolution, got.Overall.Touches.FirstContactResolution)
			}
		}
		if w := want.Retention; w != nil && rs.GroupBy[0] != (chatkpi.Grouping{}) {
			// The groups' customers are, together, the customers; their
			// repeat contacts count each conversation once, and no more
			// often than overall (a repeat within a group is one overall).
			var customers, trials, repeats int64
			for _, g := range w.Groups {
				customers += g.Customers
				if g.RepeatContacts != nil {
					trials, repeats = trials+g.RepeatContacts.Of, repeats+g.RepeatContacts.Count
				}
				assert.Nil(t, g.Cohorts)
			}
			assert.GreaterOrEqual(t, customers, w.Customers)
			assert.LessOrEqual(t, customers, 2*w.Customers)
			if w.RepeatContacts != nil {
				assert.Equal(t, w.RepeatContacts.Of, trials)
				assert.LessOrEqual(t, repeats, w.RepeatContacts.Count)
			}
		}
	})
}

func mustReport(t require.TestingT, rs chatkpi.ReportSettings, chats []*chatkpi.Chat) *chatkpi.Report {
	r, err := chatkpi.NewReport(rs)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	return r
}

func ExampleRetentionSummary() {
	// Customers a, b, c active in January, a and d in February (the
	// catalogue's S = 3, E = 2, N = 1).
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Metrics: chatkpi.DefaultMetrics | chatkpi.MetricRetention})
	for i, c := range []struct {
		customer string
		month    time.Month
	}{{"a", time.January}, {"b", time.January}, {"c", time.January}, {"a", time.February}, {"d", time.February}} {
		t := time.Date(2026, c.month, 10, 9, 0, 0, 0, time.UTC)
		_ = r.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint(i), Customer: c.customer},
			Events: []chatkpi.Event{{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer}}})
	}
	s, _ := r.Summary()
	feb := s.Retention.Periods[1]
	fmt.Printf("%s: S %d, E %d, N %d, kept %d: retention %s %%, churn %s %%, over 12 months %s %%\n",
		feb.Period, feb.Start, feb.End, feb.New, feb.Kept, chatkpi.FormatFloat(feb.Retention.Percent, 1),
		chatkpi.FormatFloat(feb.Churn.Percent, 1), chatkpi.FormatFloat(*feb.ChurnOverHorizonPercent, 4))
	for _, c := range s.Retention.Cohorts {
		fmt.Println("cohort", c.Period, c.Customers, c.Active)
	}
	fmt.Printf("returning users %d of %d\n", s.Retention.Returning.Count, s.Retention.Returning.Of)
	// Output:
	// 2026-02: S 3, E 2, N 1, kept 1: retention 33.3 %, churn 66.7 %, over 12 months 99.9998 %
	// cohort 2026-01 3 [3 1]
	// cohort 2026-02 1 [1]
	// returning users 1 of 4
}

// FuzzReportUnmarshalSections decodes corrupted encodings of reports with
// the sections' settings (costs, horizon) and state (customers): an
// encoding is accepted or rejected with an error, never a panic, and what
// is accepted summarizes and encodes stably.
func FuzzReportUnmarshalSections(f *testing.F) {
	for _, rs := range []chatkpi.ReportSettings{
		{Period: chatkpi.Month, Costs: testCosts(), Retention: chatkpi.RetentionSettings{Horizon: 3}},
		{Period: chatkpi.Week, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}},
		chatkpi.ReportSettings{Period: chatkpi.Day, Costs: testCosts()}.WithStreaming(0),
		{Period: chatkpi.Month, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBySource()},
			Metrics: chatkpi.DefaultMetrics | chatkpi.MetricRetention, Costs: testCosts()},
	} {
		r, err := chatkpi.NewReport(rs)
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range append(retentionChats(), moneyChats()[:2]...) {
			if err := r.AddConversation(c); err != nil {
				f.Fatal(err)
			}
		}
		b, err := r.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var z chatkpi.Report
		if err := z.UnmarshalBinary(data); err != nil {
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			return
		}
		if _, err := z.Summary(); err != nil {
			require.ErrorIs(t, err, chatkpi.ErrNoData)
		}
		again, err := z.MarshalBinary()
		require.NoError(t, err)
		var z2 chatkpi.Report
		require.NoError(t, z2.UnmarshalBinary(again))
		twice, err := z2.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, again, twice)
	})
}

// TestReportRetentionBadStart: a start that the customer state cannot take
// is an error naming the conversation, and nothing of it is recorded.
func TestReportRetentionBadStart(t *testing.T) {
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Metrics: chatkpi.MetricRetention})
	require.NoError(t, err)
	old := time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
	err = r.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: "old", Customer: "a", Start: old}})
	var ie *chatkpi.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "old", ie.Conversation)
	assert.Equal(t, "start", ie.Field)
	_, err = r.Summary()
	require.ErrorIs(t, err, chatkpi.ErrNoData, "nothing recorded")
}

func ExampleRetentionGroup() {
	// Customer a came through the web in January and the app in
	// February; b through the web both months.
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{Period: chatkpi.Month, Metrics: chatkpi.DefaultMetrics | chatkpi.MetricRetention,
		GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupBySource()}})
	for i, c := range []struct {
		customer, source string
		month            time.Month
	}{{"a", "web", time.January}, {"b", "web", time.January}, {"a", "app", time.February}, {"b", "web", time.February}} {
		t := time.Date(2026, c.month, 10, 9, 0, 0, 0, time.UTC)
		_ = r.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint(i), Customer: c.customer, Source: c.source},
			Events: []chatkpi.Event{{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer}}})
	}
	s, _ := r.Summary()
	fmt.Printf("overall: February retention %s %%\n", chatkpi.FormatFloat(s.Retention.Periods[1].Retention.Percent, 1))
	for _, g := range s.Retention.Groups {
		feb := g.Periods[len(g.Periods)-1]
		if feb.Period != "2026-02" {
			feb = g.Periods[len(g.Periods)-2]
		}
		ret := "none (no customer in January)"
		if feb.Retention != nil {
			ret = chatkpi.FormatFloat(feb.Retention.Percent, 1) + " %"
		}
		fmt.Printf("%s: %d customers, February retention %s\n", g.Key["source"], g.Customers, ret)
	}
	// Output:
	// overall: February retention 100.0 %
	// app: 1 customers, February retention none (no customer in January)
	// web: 2 customers, February retention 50.0 %
}

// TestReportRetentionGroupsByAgent: by agent, a conversation's customer is
// a customer of the agent handling it at its last event (the group of its
// outcome) only, not of every agent who replied.
func TestReportRetentionGroupsByAgent(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	transferred := &chatkpi.Chat{Meta: chatkpi.Info{ID: "t", Customer: "x"}, Events: []chatkpi.Event{
		{Time: at, Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: at.Add(10 * time.Second), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at.Add(time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
		{Time: at.Add(2 * time.Minute), Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: "bob"},
		{Time: at.Add(3 * time.Minute), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "bob"},
	}}
	s, err := retentionReport(t, chatkpi.ReportSettings{Period: chatkpi.Month,
		GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByAgent()}}, []*chatkpi.Chat{transferred}).Summary()
	require.NoError(t, err)
	require.Len(t, s.Retention.Groups, 1)
	assert.Equal(t, map[string]string{"agent": "bob"}, s.Retention.Groups[0].Key)
	assert.Equal(t, int64(1), s.Retention.Groups[0].Customers)
	var agents []string
	for _, g := range s.Groups {
		agents = append(agents, g.Key["agent"])
	}
	assert.Equal(t, []string{"ana", "bob"}, agents, "both handled it")
}
