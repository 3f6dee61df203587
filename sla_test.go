package chatkpi_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// officeHours is Monday–Friday 09:00–17:00 in loc, with the holidays.
func officeHours(t testing.TB, loc *time.Location, holidays ...chatkpi.Holiday) *chatkpi.BusinessHours {
	t.Helper()
	var rs []chatkpi.OpeningRange
	for d := time.Monday; d <= time.Friday; d++ {
		rs = append(rs, chatkpi.OpeningRange{Day: d, Start: 9 * time.Hour, End: 17 * time.Hour})
	}
	b, err := chatkpi.NewBusinessHours(loc, rs, holidays...)
	require.NoError(t, err)
	return b
}

func policy(targets ...chatkpi.SLATarget) chatkpi.SLAPolicy {
	var p chatkpi.SLAPolicy
	copy(p.Targets[:], targets)
	return p
}

func verdicts(t *testing.T, p chatkpi.SLAPolicy, c *chatkpi.Chat) []chatkpi.SLAVerdict {
	t.Helper()
	s, err := chatkpi.NewSLA(p)
	require.NoError(t, err)
	vs, err := s.Verdicts(c)
	require.NoError(t, err)
	return vs
}

func TestSLAVerdictsKnownAnswers(t *testing.T) {
	// Monday 2026-11-02 09:00 UTC.
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	cust := func(m int) chatkpi.Event {
		return chatkpi.Event{Time: at(m), Type: chatkpi.Message, Role: chatkpi.Customer}
	}
	agent := func(m int, typ chatkpi.EventType) chatkpi.Event {
		e := chatkpi.Event{Time: at(m), Type: typ, Role: chatkpi.Agent, Agent: "ana"}
		return e
	}
	reply := func(m int) chatkpi.Event { return agent(m, chatkpi.Message) }
	chat := func(ev ...chatkpi.Event) *chatkpi.Chat {
		return &chatkpi.Chat{Meta: chatkpi.Info{ID: "c"}, Events: ev}
	}
	target := func(m chatkpi.SLAMetric, d time.Duration) chatkpi.SLATarget {
		return chatkpi.SLATarget{Metric: m, Target: d}
	}
	tests := []struct {
		name string
		p    chatkpi.SLAPolicy
		c    *chatkpi.Chat
		want []chatkpi.SLAVerdict
	}{
		{"first reply met: 30 min on 1 h", policy(target(chatkpi.FirstReplySLA, time.Hour)), chat(cust(0), reply(30)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLAMet, Start: at(0), Elapsed: 30 * time.Minute}}},
		{"first reply exactly on target is met", policy(target(chatkpi.FirstReplySLA, time.Hour)), chat(cust(0), reply(60)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLAMet, Start: at(0), Elapsed: time.Hour}}},
		{"first reply breached at 10:00, 30 min over", policy(target(chatkpi.FirstReplySLA, time.Hour)), chat(cust(0), reply(90)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLABreached, Start: at(0), BreachAt: at(60), Elapsed: 90 * time.Minute}}},
		{"first reply still running at the last event", policy(target(chatkpi.FirstReplySLA, time.Hour)), chat(cust(0), cust(10)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLARunning, Start: at(0), Elapsed: 10 * time.Minute}}},
		{"next reply: 10 min met, then 30 min breached at 09:45", policy(target(chatkpi.NextReplySLA, 15*time.Minute)),
			chat(cust(0), reply(5), cust(10), reply(20), cust(30), cust(35), reply(60)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLABreached, Start: at(10), BreachAt: at(45), Elapsed: 30 * time.Minute}}},
		{"next reply: no turn after the first reply", policy(target(chatkpi.NextReplySLA, 15*time.Minute)), chat(cust(0), reply(5)), nil},
		{"requester wait pauses while pending: 10 + 20 min on 25 min", policy(target(chatkpi.RequesterWaitSLA, 25*time.Minute)),
			// pending 09:10–10:10 (the customer's message ends it), resolved 10:30
			chat(cust(0), agent(10, chatkpi.Pending), cust(70), agent(90, chatkpi.Resolved)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLABreached, Start: at(0), BreachAt: at(85), Elapsed: 30 * time.Minute}}},
		{"requester wait met at 35 min", policy(target(chatkpi.RequesterWaitSLA, 35*time.Minute)),
			chat(cust(0), agent(10, chatkpi.Pending), cust(70), agent(90, chatkpi.Resolved)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLAMet, Start: at(0), Elapsed: 30 * time.Minute}}},
		{"resolution does not pause: 90 min", policy(target(chatkpi.ResolutionSLA, 2*time.Hour)),
			chat(cust(0), agent(10, chatkpi.Pending), cust(70), agent(90, chatkpi.Resolved)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLAMet, Start: at(0), Elapsed: 90 * time.Minute}}},
		{"resolution reopened: runs to the last resolution", policy(target(chatkpi.ResolutionSLA, 2*time.Hour)),
			chat(cust(0), agent(30, chatkpi.Resolved), chatkpi.Event{Time: at(60), Type: chatkpi.Reopened, Role: chatkpi.Customer}, agent(150, chatkpi.Resolved)),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLABreached, Start: at(0), BreachAt: at(120), Elapsed: 150 * time.Minute}}},
		{"resolution reopened and open: running", policy(target(chatkpi.ResolutionSLA, 2*time.Hour)),
			chat(cust(0), agent(30, chatkpi.Resolved), chatkpi.Event{Time: at(60), Type: chatkpi.Reopened, Role: chatkpi.Customer}),
			[]chatkpi.SLAVerdict{{Status: chatkpi.SLARunning, Start: at(0), Elapsed: time.Hour}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := verdicts(t, tt.p, tt.c)
			for i := range tt.want {
				tt.want[i].Target = tt.p.Targets[0]
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSLAAsOf(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "c"}, Events: []chatkpi.Event{{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer}}}
	p := policy(chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Target: time.Hour})
	assert.Equal(t, chatkpi.SLARunning, verdicts(t, p, c)[0].Status)
	p.AsOf = t0.Add(59 * time.Minute)
	assert.Equal(t, chatkpi.SLARunning, verdicts(t, p, c)[0].Status)
	p.AsOf = t0.Add(2 * time.Hour)
	v := verdicts(t, p, c)[0]
	assert.Equal(t, chatkpi.SLABreached, v.Status)
	assert.Equal(t, t0.Add(time.Hour), v.BreachAt)
	assert.Equal(t, time.Hour, v.Over())
}

// Business hours follow the calendar exactly: its zone's DST change and
// its holidays.
func TestSLABusinessHoursDSTAndHolidays(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	// Friday 2026-03-27 16:30 Berlin (CET, 15:30 UTC); summer time starts on
	// Sunday 29 March; the reply is Monday 30 March 09:30 Berlin (CEST,
	// 07:30 UTC): 30 + 30 = 60 business minutes, 64 calendar hours.
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "c"}, Events: []chatkpi.Event{
		{Time: time.Date(2026, 3, 27, 15, 30, 0, 0, time.UTC), Type: chatkpi.Message, Role: chatkpi.Customer},
		{Time: time.Date(2026, 3, 30, 7, 30, 0, 0, time.UTC), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"},
	}}
	p := policy(chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Target: 45 * time.Minute, BusinessHours: true})
	p.BusinessHours = officeHours(t, berlin)
	v := verdicts(t, p, c)[0]
	assert.Equal(t, chatkpi.SLABreached, v.Status)
	assert.Equal(t, time.Hour, v.Elapsed)
	// 15 business minutes into Monday: 09:15 CEST = 07:15 UTC (not 08:15, the
	// winter offset).
	assert.Equal(t, time.Date(2026, 3, 30, 7, 15, 0, 0, time.UTC), v.BreachAt)
	assert.Equal(t, 15*time.Minute, v.Over())

	// Monday a holiday: the reply on Tuesday 09:30 is 30 + 30 min as well,
	// the breach on Tuesday 09:15.
	c.Events[1].Time = time.Date(2026, 3, 31, 7, 30, 0, 0, time.UTC)
	p.BusinessHours = officeHours(t, berlin, chatkpi.Holiday{Year: 2026, Month: 3, Day: 30})
	v = verdicts(t, p, c)[0]
	assert.Equal(t, time.Hour, v.Elapsed)
	assert.Equal(t, time.Date(2026, 3, 31, 7, 15, 0, 0, time.UTC), v.BreachAt)

	// The same target in calendar time: 88 h, breached at Friday 17:15.
	p.Targets[0].BusinessHours = false
	v = verdicts(t, p, c)[0]
	assert.Equal(t, 88*time.Hour, v.Elapsed)
	assert.Equal(t, time.Date(2026, 3, 27, 16, 15, 0, 0, time.UTC), v.BreachAt)
}

func TestSLAPolicyMostSpecificTarget(t *testing.T) {
	p := policy(
		chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Target: 8 * time.Hour},
		chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Priority: "high", Target: time.Hour},
		chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Priority: "high", Channel: "email", Target: 30 * time.Minute},
		chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Channel: "email", Target: 4 * time.Hour},
	)
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		priority, channel string
		want              time.Duration
	}{{"high", "email", 30 * time.Minute}, {"high", "chat", time.Hour}, {"low", "email", 4 * time.Hour}, {"", "chat", 8 * time.Hour}} {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "c", Priority: tt.priority, Channel: tt.channel}, Events: []chatkpi.Event{
			{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer}, {Time: t0.Add(time.Hour), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"}}}
		vs := verdicts(t, p, c)
		require.Len(t, vs, 1)
		assert.Equal(t, tt.want, vs[0].Target.Target, "%s/%s", tt.priority, tt.channel)
	}
	// Only a high target: a low conversation has none.
	vs := verdicts(t, policy(chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Priority: "high", Target: time.Hour}),
		&chatkpi.Chat{Meta: chatkpi.Info{ID: "c", Priority: "low"}, Events: []chatkpi.Event{{Time: t0, Type: chatkpi.Resolved, Role: chatkpi.System}}})
	assert.Empty(t, vs)
}

func TestSLAResult(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	s, err := chatkpi.NewSLA(policy(chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Target: time.Hour}))
	require.NoError(t, err)
	_, err = s.Result()
	require.ErrorIs(t, err, chatkpi.ErrNoData)
	// Replies after 30 min, 90 min, 150 min, none (running), and an outbound
	// conversation (no clock).
	for i, reply := range []time.Duration{30 * time.Minute, 90 * time.Minute, 150 * time.Minute, -1} {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint(i)}, Events: []chatkpi.Event{{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer}}}
		if reply > 0 {
			c.Events = append(c.Events, chatkpi.Event{Time: t0.Add(reply), Type: chatkpi.Message, Role: chatkpi.Bot})
		}
		require.NoError(t, s.AddConversation(c))
	}
	require.NoError(t, s.AddConversation(&chatkpi.Chat{Meta: chatkpi.Info{ID: "out", Outbound: true}, Events: []chatkpi.Event{{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer}}}))
	r, err := s.Result()
	require.NoError(t, err)
	require.Len(t, r.Metrics, 1)
	m := r.Metrics[0]
	assert.Equal(t, chatkpi.FirstReplySLA, m.Metric)
	assert.Equal(t, [3]int64{1, 2, 1}, [3]int64{m.Met, m.Breached, m.Running})
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 3}, m.Attainment)
	assert.Equal(t, int64(2), m.OverTarget.Count)
	p50, _ := m.OverTarget.Quantile(0.5)
	assert.Equal(t, time.Hour, p50) // 30 min and 90 min over
}

func TestParseSLAPolicy(t *testing.T) {
	p, err := chatkpi.ParseSLAPolicy([]byte(`{"targets": [
		{"metric": "first_reply", "priority": "high", "target": "1h"},
		{"metric": "resolution", "channel": "email", "target": "27h", "business_hours": true}]}`))
	require.NoError(t, err)
	assert.Equal(t, policy(chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Priority: "high", Target: time.Hour},
		chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Channel: "email", Target: 27 * time.Hour, BusinessHours: true}), p)
	// A business target needs the calendar.
	_, err = chatkpi.NewSLA(p)
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	assert.Contains(t, err.Error(), "targets[1].business_hours")
	p.BusinessHours = officeHours(t, time.UTC)
	_, err = chatkpi.NewSLA(p)
	require.NoError(t, err)

	for _, tt := range []struct{ name, json, want string }{
		{"not json", `{`, "JSON"},
		{"no targets", `{}`, "targets: missing"},
		{"unknown field", `{"targets": [], "x": 1}`, "unknown field"},
		{"bad metric", `{"targets": [{"metric": "speed", "target": "1h"}]}`, "targets[0].metric"},
		{"bad target", `{"targets": [{"metric": "resolution", "target": "soon"}]}`, "targets[0].target"},
		{"zero target", `{"targets": [{"metric": "resolution", "target": "0s"}]}`, "targets[0].target"},
		{"twice", `{"targets": [{"metric": "resolution", "target": "1h"}, {"metric": "resolution", "target": "2h"}]}`, "targets[1]: a second resolution target"},
		{"trailing", `{"targets": []} {}`, "data after"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chatkpi.ParseSLAPolicy([]byte(tt.json))
			require.Error(t, err)
			assert.True(t, errors.Is(err, chatkpi.ErrInvalid), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func FuzzParseSLAPolicy(f *testing.F) {
	f.Add([]byte(`{"targets": [{"metric": "first_reply", "priority": "high", "target": "1h"}]}`))
	f.Add([]byte(`{"targets": [{"metric": "resolution", "channel": "email", "target": "27h", "business_hours": true}, {"metric": "next_reply", "target": "90m"}]}`))
	f.Add([]byte(`{"targets": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := chatkpi.ParseSLAPolicy(data)
		if err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		q, err := chatkpi.ParseSLAPolicy(out)
		if err != nil || q != p {
			t.Fatalf("round trip: %s gives %v, %v", out, q, err)
		}
	})
}

// slaChat draws a help-desk conversation: customer messages, agent and bot
// replies, pending, on-hold and opened events, resolutions and reopens, in
// an order the ticket states accept.
func slaChat(t *rapid.T, id string) *chatkpi.Chat {
	start := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.Int64Range(0, int64(20*24*time.Hour)).Draw(t, "start")))
	c := &chatkpi.Chat{Meta: chatkpi.Info{ID: id, Start: start, Priority: rapid.SampledFrom([]string{"", "high", "low"}).Draw(t, "priority"),
		Channel: rapid.SampledFrom([]string{"chat", "email"}).Draw(t, "channel")}}
	at, resolved := start, false
	for i := range rapid.IntRange(0, 12).Draw(t, "events") {
		at = at.Add(time.Duration(rapid.Int64Range(0, int64(30*time.Hour)).Draw(t, "gap")))
		e := chatkpi.Event{Time: at, Role: chatkpi.Agent, Agent: "ana"}
		switch k := rapid.IntRange(0, 7).Draw(t, fmt.Sprint("kind", i)); {
		case k == 0 || k == 1:
			e.Type, e.Role, e.Agent = chatkpi.Message, chatkpi.Customer, ""
		case k == 2:
			e.Type = chatkpi.Message
		case k == 3:
			e.Type, e.Role, e.Agent = chatkpi.Message, chatkpi.Bot, ""
		case k == 4 && !resolved:
			e.Type = rapid.SampledFrom([]chatkpi.EventType{chatkpi.Pending, chatkpi.OnHold, chatkpi.Opened}).Draw(t, "state")
		case k == 5 || k == 4:
			e.Type, resolved = chatkpi.Resolved, true
		default:
			e.Type, e.Role, e.Agent, resolved = chatkpi.Reopened, chatkpi.Customer, "", false
		}
		c.Events = append(c.Events, e)
	}
	return c
}

func slaChats(t *rapid.T) []*chatkpi.Chat {
	n := rapid.IntRange(0, 15).Draw(t, "chats")
	cs := make([]*chatkpi.Chat, n)
	for i := range cs {
		cs[i] = slaChat(t, fmt.Sprint("c", i))
	}
	return cs
}

// slaPolicy draws a policy over every metric, in calendar or business time.
func slaPolicy(t *rapid.T, bh *chatkpi.BusinessHours, business bool) chatkpi.SLAPolicy {
	var p chatkpi.SLAPolicy
	n := 0
	for m := chatkpi.FirstReplySLA; m <= chatkpi.ResolutionSLA; m++ {
		for _, pr := range []string{"", "high"} {
			p.Targets[n] = chatkpi.SLATarget{Metric: m, Priority: pr, BusinessHours: business,
				Target: time.Duration(rapid.Int64Range(1, int64(48*time.Hour)).Draw(t, "target"))}
			n++
		}
	}
	p.BusinessHours = bh
	if rapid.Bool().Draw(t, "as of") {
		p.AsOf = time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC)
	}
	return p
}

func slaResult(t *rapid.T, p chatkpi.SLAPolicy, cs []*chatkpi.Chat) (chatkpi.SLAResult, error) {
	s, err := chatkpi.NewSLA(p)
	require.NoError(t, err)
	for _, c := range cs {
		require.NoError(t, s.AddConversation(c))
	}
	return s.Result()
}

func TestSLAProperties(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	bh := officeHours(t, berlin, chatkpi.Holiday{Year: 2026, Month: 4, Day: 3})
	rapid.Check(t, func(t *rapid.T) {
		business := rapid.Bool().Draw(t, "business")
		p := slaPolicy(t, bh, business)
		cs := slaChats(t)

		// Merge = union, and the encoding round trip.
		k := rapid.IntRange(0, len(cs)).Draw(t, "split")
		a, err := chatkpi.NewSLA(p)
		require.NoError(t, err)
		b, err := chatkpi.NewSLA(p)
		require.NoError(t, err)
		for i, c := range cs {
			s := a
			if i >= k {
				s = b
			}
			require.NoError(t, s.AddConversation(c))
		}
		require.NoError(t, a.Merge(b))
		want, wantErr := slaResult(t, p, cs)
		got, gotErr := a.Result()
		require.Equal(t, wantErr, gotErr)
		require.Equal(t, want, got)
		data, err := a.MarshalBinary()
		require.NoError(t, err)
		d, err := chatkpi.NewSLA(chatkpi.SLAPolicy{BusinessHours: bh})
		require.NoError(t, err)
		require.NoError(t, d.UnmarshalBinary(data))
		got, _ = d.Result()
		require.Equal(t, want, got)

		// Permutation invariance.
		perm := rapid.Permutation(cs).Draw(t, "perm")
		got, _ = slaResult(t, p, perm)
		require.Equal(t, want, got)

		// Verdicts: a breach never before its clock's start (nor after the
		// end of the data); business time never above calendar time.
		cal := p
		for i := range cal.Targets {
			cal.Targets[i].BusinessHours = false
		}
		s, _ := chatkpi.NewSLA(p)
		sc, _ := chatkpi.NewSLA(cal)
		for _, c := range cs {
			vs, err := s.Verdicts(c)
			require.NoError(t, err)
			vc, err := sc.Verdicts(c)
			require.NoError(t, err)
			require.Len(t, vs, len(vc))
			for i, v := range vs {
				switch v.Status {
				case chatkpi.SLABreached:
					require.False(t, v.BreachAt.Before(v.Start), "breach %v before start %v", v.BreachAt, v.Start)
					require.Greater(t, v.Elapsed, v.Target.Target)
				case chatkpi.SLAMet, chatkpi.SLARunning:
					require.True(t, v.BreachAt.IsZero())
					require.LessOrEqual(t, v.Elapsed, v.Target.Target)
				default:
					t.Fatalf("status %v", v.Status)
				}
				require.LessOrEqual(t, v.Elapsed, vc[i].Elapsed, "business %v above calendar %v", v.Elapsed, vc[i].Elapsed)
				if v.Status == chatkpi.SLABreached && vc[i].Status == chatkpi.SLABreached {
					require.False(t, v.BreachAt.Before(vc[i].BreachAt), "business breach before the calendar one")
				}
			}
		}
	})
}

func FuzzSLAUnmarshal(f *testing.F) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p := policy(chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Priority: "high", Target: time.Hour},
		chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Target: 4 * time.Hour})
	p.AsOf = t0.Add(24 * time.Hour)
	s, err := chatkpi.NewSLA(p)
	if err != nil {
		f.Fatal(err)
	}
	for i, reply := range []time.Duration{time.Minute, 2 * time.Hour} {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprint(i), Priority: "high"}, Events: []chatkpi.Event{
			{Time: t0, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: t0.Add(reply), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"}}}
		if err := s.AddConversation(c); err != nil {
			f.Fatal(err)
		}
	}
	seed, _ := s.MarshalBinary()
	f.Add(seed)
	empty, _ := (&chatkpi.SLA{}).MarshalBinary()
	f.Add(empty)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d chatkpi.SLA
		if err := d.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if _, err := d.Result(); err != nil && !errors.Is(err, chatkpi.ErrNoData) {
			t.Fatal(err)
		}
		again, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var e chatkpi.SLA
		if err := e.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		twice, _ := e.MarshalBinary()
		if !bytes.Equal(again, twice) {
			t.Fatal("encoding not stable")
		}
	})
}
