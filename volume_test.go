package chatkpi_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// outcVolBerlin builds the hand-made week around the 2026 switch to summer
// time in Berlin (Sunday 29 March, 02:00 CET → 03:00 CEST).
func outcVolBerlin(t *testing.T) (*time.Location, []*chatkpi.Chat) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	at := func(month time.Month, day, h, m int) time.Time {
		return time.Date(2026, month, day, h, m, 0, 0, berlin)
	}
	ev := func(tm time.Time, typ chatkpi.EventType, role chatkpi.Role) chatkpi.Event {
		return chatkpi.Event{Time: tm, Type: typ, Role: role}
	}
	note := ev(at(time.March, 28, 23, 40), outcMsg, chatkpi.Agent)
	note.Private, note.Agent = true, "ana"
	chats := []*chatkpi.Chat{
		// Saturday night into Sunday: starts on the 28th, outcResolved on the 29th.
		{Meta: chatkpi.Info{ID: "c1", Source: "pricing", Channel: "chat"}, Events: []chatkpi.Event{
			ev(at(time.March, 28, 23, 30), outcMsg, outcCust), note, ev(at(time.March, 28, 23, 50), outcMsg, outcBot),
			ev(at(time.March, 29, 0, 10), outcMsg, outcCust), ev(at(time.March, 29, 0, 20), outcResolved, outcBot),
		}},
		// Sunday morning, after the switch.
		{Meta: chatkpi.Info{ID: "c2", Source: "help", Channel: "email"}, Events: []chatkpi.Event{
			ev(at(time.March, 29, 10, 0), outcMsg, outcCust), ev(at(time.March, 29, 10, 1), chatkpi.Fallback, outcBot),
			ev(at(time.March, 29, 10, 5), outcResolved, outcBot),
		}},
		// Tuesday 31 March into Wednesday 1 April, a new month.
		{Meta: chatkpi.Info{ID: "c3", Source: "pricing", Channel: "chat"}, Events: []chatkpi.Event{
			ev(at(time.March, 31, 9, 0), outcMsg, outcCust),
			ev(at(time.April, 1, 9, 0), outcMsg, outcCust), ev(at(time.April, 1, 9, 30), outcResolved, chatkpi.Agent),
		}},
	}
	return berlin, chats
}

type outcVolRow struct {
	label, group                     string
	conv, active, msgs, outcResolved int64
}

func outcVolRows(rows []chatkpi.VolumeRow) []outcVolRow {
	out := make([]outcVolRow, len(rows))
	for i, r := range rows {
		out[i] = outcVolRow{r.Label, r.Group, r.Conversations, r.Active, r.Messages, r.Resolutions}
	}
	return out
}

func TestVolumeBerlinSundayWeeks(t *testing.T) {
	berlin, chats := outcVolBerlin(t)
	ps, err := chatkpi.NewPeriods(berlin, time.Sunday)
	require.NoError(t, err)
	v, err := chatkpi.NewVolume(chatkpi.WithPeriods(ps), chatkpi.WithGrouping(chatkpi.GroupBySource()))
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, v.AddConversation(c))
	}

	days, err := v.Result(chatkpi.Day)
	require.NoError(t, err)
	assert.Equal(t, []outcVolRow{
		{"2026-03-28", "pricing", 1, 1, 2, 0},
		{"2026-03-29", "help", 1, 1, 2, 1},
		{"2026-03-29", "pricing", 0, 1, 1, 1},
		{"2026-03-31", "pricing", 1, 1, 1, 0},
		{"2026-04-01", "pricing", 0, 1, 1, 1},
	}, outcVolRows(days))
	// The 29th started at midnight CET; the 31st at midnight CEST.
	assert.Equal(t, time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC), days[1].Start.UTC())
	assert.Equal(t, time.Date(2026, 3, 30, 22, 0, 0, 0, time.UTC), days[3].Start.UTC())

	weeks, err := v.Result(chatkpi.Week)
	require.NoError(t, err)
	assert.Equal(t, []outcVolRow{
		{"2026-03-22", "pricing", 1, 1, 2, 0},
		{"2026-03-29", "help", 1, 1, 2, 1},
		{"2026-03-29", "pricing", 1, 2, 3, 2},
	}, outcVolRows(weeks))
	assert.Equal(t, time.Sunday, weeks[1].Start.Weekday())

	months, err := v.Result(chatkpi.Month)
	require.NoError(t, err)
	assert.Equal(t, []outcVolRow{
		{"2026-03", "help", 1, 1, 2, 1},
		{"2026-03", "pricing", 2, 2, 4, 1},
		{"2026-04", "pricing", 0, 1, 1, 1},
	}, outcVolRows(months))

	years, err := v.Result(chatkpi.Year)
	require.NoError(t, err)
	assert.Equal(t, []outcVolRow{{"2026", "help", 1, 1, 2, 1}, {"2026", "pricing", 2, 2, 5, 2}}, outcVolRows(years))

	// The same data in UTC with Monday weeks, by channel: c1 starts on the
	// 28th in UTC as well (22:30Z), and all of it is in the week of the 23rd.
	u, err := chatkpi.NewVolume(chatkpi.WithGrouping(chatkpi.GroupByChannel()))
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, u.AddConversation(c))
	}
	uw, err := u.Result(chatkpi.Week)
	require.NoError(t, err)
	assert.Equal(t, []outcVolRow{
		{"2026-03-23", "chat", 1, 1, 3, 1},
		{"2026-03-23", "email", 1, 1, 2, 1},
		{"2026-03-30", "chat", 1, 1, 2, 1},
	}, outcVolRows(uw))
}

func TestVolumeGroupings(t *testing.T) {
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "g", Customer: "Cust", Dims: map[string]string{"greeting": "B"}}, Events: []chatkpi.Event{outcE(0, outcMsg, outcCust)}}
	for _, tc := range []struct {
		g    chatkpi.Grouping
		want string
	}{
		{chatkpi.Grouping{}, ""},
		{chatkpi.GroupByDim("greeting"), "B"},
		{chatkpi.GroupByDim("missing"), ""},
		{chatkpi.GroupBy("customer", func(i chatkpi.Info) string { return strings.ToLower(i.Customer) }), "cust"},
	} {
		v, err := chatkpi.NewVolume(chatkpi.WithGrouping(tc.g))
		require.NoError(t, err)
		require.NoError(t, v.AddConversation(c))
		rows, err := v.Result(chatkpi.Day)
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, tc.want, rows[0].Group, tc.g.Name())
	}
	_, err := chatkpi.NewVolume(chatkpi.WithGrouping(chatkpi.GroupBy("x", nil)))
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)

	// A decoded custom grouping can merge and report but not add.
	v, err := chatkpi.NewVolume(chatkpi.WithGrouping(chatkpi.GroupBy("customer", func(i chatkpi.Info) string { return i.Customer })))
	require.NoError(t, err)
	require.NoError(t, v.AddConversation(c))
	data, err := v.MarshalBinary()
	require.NoError(t, err)
	var back chatkpi.Volume
	require.NoError(t, back.UnmarshalBinary(data))
	assert.ErrorIs(t, back.AddConversation(c), chatkpi.ErrIncompatible)
	require.NoError(t, v.Merge(&back))
	rows, err := v.Result(chatkpi.Day)
	require.NoError(t, err)
	assert.Equal(t, int64(2), rows[0].Conversations)
	var plain chatkpi.Volume
	assert.ErrorIs(t, plain.Merge(v), chatkpi.ErrIncompatible)
}

func TestVolumeErrors(t *testing.T) {
	var v chatkpi.Volume
	_, err := v.Result(chatkpi.Day)
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
	_, err = v.Result(chatkpi.Period(0))
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	assert.ErrorIs(t, v.AddConversation(outcChat("empty", "x")), chatkpi.ErrInvalid)
	assert.ErrorIs(t, v.AddConversation(outcChat("order", "x", outcE(1, outcMsg, outcCust), outcE(0, outcMsg, outcBot))), chatkpi.ErrInvalid)
	late := outcChat("late", "x", outcE(0, outcMsg, outcCust))
	late.Meta.Start = outcT0.Add(time.Hour)
	assert.ErrorIs(t, v.AddConversation(late), chatkpi.ErrInvalid)
	_, err = v.Result(chatkpi.Day)
	assert.ErrorIs(t, err, chatkpi.ErrNoData, "failed adds count nothing")

	// A conversation known only by its start counts as started and active.
	require.NoError(t, v.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: "s", Start: outcT0}}))
	rows, err := v.Result(chatkpi.Month)
	require.NoError(t, err)
	assert.Equal(t, []outcVolRow{{"2026-03", "", 1, 1, 0, 0}}, outcVolRows(rows))

	fixed, err := chatkpi.NewPeriods(time.FixedZone("X", 3600), time.Monday)
	require.NoError(t, err)
	fv, err := chatkpi.NewVolume(chatkpi.WithPeriods(fixed))
	require.NoError(t, err)
	_, err = fv.MarshalBinary()
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)

	// Agent and handler groupings need the events: NewVolume says so.
	for _, g := range []chatkpi.Grouping{chatkpi.GroupByAgent(), chatkpi.GroupByHandler()} {
		_, err = chatkpi.NewVolume(chatkpi.WithGrouping(g))
		assert.ErrorIs(t, err, chatkpi.ErrIncompatible)
		assert.ErrorContains(t, err, "use a Report", g.Name())
	}
}

func outcVolumeOf(t require.TestingT, ps chatkpi.Periods, chats []*chatkpi.Chat) *chatkpi.Volume {
	v, err := chatkpi.NewVolume(chatkpi.WithPeriods(ps), chatkpi.WithGrouping(chatkpi.GroupByDim("greeting")))
	require.NoError(t, err)
	for _, c := range chats {
		addVolume(t, v, c)
	}
	return v
}

// addVolume adds c, which is an error only without a time to count it at.
func addVolume(t require.TestingT, v *chatkpi.Volume, c *chatkpi.Chat) {
	if len(c.Events) == 0 && c.Meta.Start.IsZero() {
		require.ErrorIs(t, v.AddConversation(c), chatkpi.ErrInvalid)
		return
	}
	require.NoError(t, v.AddConversation(c))
}

func TestVolumeProperties(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(30).Draw(t, "chats")
		ps, err := chatkpi.NewPeriods(berlin, time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekStart")))
		require.NoError(t, err)
		whole := outcVolumeOf(t, ps, chats)
		merged := shardAccumulator(t, chats, func() *chatkpi.Volume { return outcVolumeOf(t, ps, nil) },
			func(v *chatkpi.Volume, c *chatkpi.Chat) { addVolume(t, v, c) })
		perm := outcVolumeOf(t, ps, rapid.Permutation(chats).Draw(t, "perm"))
		data, err := whole.MarshalBinary()
		require.NoError(t, err)
		var back chatkpi.Volume
		require.NoError(t, back.UnmarshalBinary(data))

		var counted, messages int64
		for _, c := range chats {
			if len(c.Events) > 0 || !c.Meta.Start.IsZero() {
				counted++
			}
			for _, e := range c.Events {
				if e.Type == chatkpi.Message && !e.Private || e.Type == chatkpi.Fallback {
					messages++
				}
			}
		}
		for _, p := range []chatkpi.Period{chatkpi.Day, chatkpi.Week, chatkpi.Month, chatkpi.Year} {
			want, werr := whole.Result(p)
			for _, other := range []*chatkpi.Volume{merged, perm, &back} {
				got, gerr := other.Result(p)
				require.Equal(t, werr, gerr)
				require.Equal(t, outcVolRows(want), outcVolRows(got))
			}
			var convs, msgs int64
			for i, r := range want {
				convs += r.Conversations
				msgs += r.Messages
				require.LessOrEqual(t, r.Conversations, r.Active)
				require.True(t, ps.Start(r.Start, p).Equal(r.Start))
				if i > 0 {
					require.False(t, r.Start.Before(want[i-1].Start))
				}
			}
			require.Equal(t, counted, convs, "every conversation once per %s", p)
			require.Equal(t, messages, msgs)
		}
	})
}

func FuzzVolumeUnmarshal(f *testing.F) {
	var v chatkpi.Volume
	empty, _ := v.MarshalBinary()
	f.Add(empty)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		f.Fatal(err)
	}
	ps, _ := chatkpi.NewPeriods(berlin, time.Sunday)
	g, _ := chatkpi.NewVolume(chatkpi.WithPeriods(ps), chatkpi.WithGrouping(chatkpi.GroupBySource()))
	for _, c := range []*chatkpi.Chat{
		outcChat("a", "a", outcE(0, outcMsg, outcCust), outcE(1, outcMsg, outcBot), outcE(2, outcResolved, outcBot)),
		outcChat("b", "a", outcE(0, outcMsg, outcCust), outcE(3*outcDay, outcMsg, outcBot)),
	} {
		if err := g.AddConversation(c); err != nil {
			f.Fatal(err)
		}
		data, _ := g.MarshalBinary()
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v chatkpi.Volume
		if err := v.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		for _, p := range []chatkpi.Period{chatkpi.Day, chatkpi.Week, chatkpi.Month, chatkpi.Year} {
			if _, err := v.Result(p); err != nil && !errors.Is(err, chatkpi.ErrNoData) {
				t.Fatal(err)
			}
		}
		canon, err := v.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back chatkpi.Volume
		if err := back.UnmarshalBinary(canon); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		again, _ := back.MarshalBinary()
		if string(again) != string(canon) {
			t.Fatal("re-encoding differs")
		}
	})
}

func TestVolumeUnmarshalResetsZone(t *testing.T) {
	berlin, chats := outcVolBerlin(t)
	ps, err := chatkpi.NewPeriods(berlin, time.Sunday)
	require.NoError(t, err)
	inBerlin, err := chatkpi.NewVolume(chatkpi.WithPeriods(ps))
	require.NoError(t, err)
	var utc chatkpi.Volume
	require.NoError(t, utc.AddConversation(chats[0]))
	data, err := inBerlin.MarshalBinary()
	require.NoError(t, err)
	// utc now takes Berlin's (empty) state and must bucket in Berlin.
	require.NoError(t, utc.UnmarshalBinary(data))
	require.NoError(t, utc.AddConversation(chats[0]))
	rows, err := utc.Result(chatkpi.Day)
	require.NoError(t, err)
	assert.Equal(t, []outcVolRow{{"2026-03-28", "", 1, 1, 2, 0}, {"2026-03-29", "", 0, 1, 1, 1}}, outcVolRows(rows))
}
