package chatkpi_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// early is an instant before every generated or real conversation: with
// it as "now", no conversation closes before it is drained.
var early = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// delivery is one event as a backend receives it.
type delivery struct {
	info chatkpi.Info
	e    chatkpi.Event
}

// deliveries gives every event of chats an id in its order ("e0000", …)
// and returns one delivery per event, carrying the conversation-level
// fields on the first event only.
func deliveries(chats []*chatkpi.Chat) []delivery {
	var out []delivery
	for _, c := range chats {
		for i, e := range c.Events {
			e.ID = fmt.Sprintf("e%04d", i)
			info := chatkpi.Info{ID: c.Meta.ID}
			if i == 0 {
				info = c.Meta
			}
			out = append(out, delivery{info, e})
		}
	}
	return out
}

// withEvents drops the conversations without events (they have nothing to
// deliver).
func withEvents(chats []*chatkpi.Chat) []*chatkpi.Chat {
	var out []*chatkpi.Chat
	for _, c := range chats {
		if len(c.Events) > 0 {
			out = append(out, c)
		}
	}
	return out
}

func serialSummary(t require.TestingT, chats []*chatkpi.Chat, opts chatkpi.ReportSettings) string {
	r, err := chatkpi.NewReport(opts)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, r.AddConversation(c))
	}
	return summaryJSON(t, r)
}

func TestAssemblerClosesQuietResolvedIdleAndExplicit(t *testing.T) {
	a, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{ResolvedQuiet: 10 * time.Minute, IdleTimeout: time.Hour, Lateness: time.Minute})
	require.NoError(t, err)
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	add := func(id string, e chatkpi.Event) { require.NoError(t, a.Add(e.Time, chatkpi.Info{ID: id}, e)) }
	msg := func(d time.Duration, role chatkpi.Role, id string) chatkpi.Event {
		return chatkpi.Event{Time: at(d), Type: chatkpi.Message, Role: role, Agent: map[bool]string{true: "ana"}[role == chatkpi.Agent], ID: id}
	}
	// resolved: quiet 10 min + lateness 1 min after its last event at 2 min
	add("resolved", msg(0, chatkpi.Customer, "1"))
	add("resolved", msg(time.Minute, chatkpi.Agent, "2"))
	add("resolved", chatkpi.Event{Time: at(2 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana", ID: "3"})
	// idle: never resolved, 1 h + 1 min after its last event at 0
	add("idle", msg(0, chatkpi.Customer, "1"))
	// explicit: closed at 5 min, goes at 6 min
	add("explicit", msg(0, chatkpi.Customer, "1"))
	require.NoError(t, a.Close(at(5*time.Minute), "explicit"))
	require.Error(t, a.Close(at(5*time.Minute), "unknown"))

	steps := []struct {
		now  time.Duration
		open int
	}{{5*time.Minute + 59*time.Second, 3}, {6 * time.Minute, 2}, {12*time.Minute + 59*time.Second, 2}, {13 * time.Minute, 1}, {61 * time.Minute, 0}}
	for _, s := range steps {
		require.NoError(t, a.Advance(at(s.now), r))
		assert.Equal(t, s.open, a.Open(), "at %v", s.now)
	}
	sum, err := r.Summary()
	require.NoError(t, err)
	assert.EqualValues(t, 3, sum.Overall.Conversations)
	assert.EqualValues(t, 1, sum.Overall.FirstResponseTime.Count)
	assert.EqualValues(t, 2, sum.Overall.FirstResponseTime.Unanswered)

	// A re-delivery after the close is dropped; a new event is rejected,
	// naming the conversation and the event.
	require.NoError(t, a.Add(at(2*time.Hour), chatkpi.Info{ID: "resolved"}, msg(time.Minute, chatkpi.Agent, "2")))
	assert.EqualValues(t, 1, a.Duplicates())
	err = a.Add(at(2*time.Hour), chatkpi.Info{ID: "resolved"}, msg(3*time.Minute, chatkpi.Customer, "4"))
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	assert.Contains(t, err.Error(), `conversation "resolved"`)
	assert.Contains(t, err.Error(), `event "4"`)
	assert.Contains(t, err.Error(), "lateness 1m0s")
}

func TestAssemblerLatenessHoldsAClosedConversation(t *testing.T) {
	a, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{IdleTimeout: time.Hour, Lateness: 5 * time.Minute})
	require.NoError(t, err)
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	require.NoError(t, a.Add(at(0), chatkpi.Info{ID: "c"}, chatkpi.Event{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"}))
	// Idle since 0: closed at 1 h, held until 1 h 5 min.
	require.NoError(t, a.Advance(at(time.Hour+4*time.Minute), r))
	require.Equal(t, 1, a.Open())
	// A reply that arrives late, within the lateness, still joins it.
	require.NoError(t, a.Add(at(time.Hour+4*time.Minute), chatkpi.Info{ID: "c"},
		chatkpi.Event{Time: at(30 * time.Second), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana", ID: "2"}))
	require.NoError(t, a.Advance(at(time.Hour+5*time.Minute), r))
	require.Equal(t, 1, a.Open(), "the late event moved its close to 1 h 30 s + 5 min")
	require.NoError(t, a.Advance(at(time.Hour+5*time.Minute+30*time.Second), r))
	require.Equal(t, 0, a.Open())
	s, err := r.Summary()
	require.NoError(t, err)
	assert.EqualValues(t, 1, s.Overall.FirstResponseTime.Count)
	assert.InDelta(t, 30, *s.Overall.FirstResponseTime.MeanSeconds, 1e-9)
}

func TestAssemblerRejects(t *testing.T) {
	msg := chatkpi.Event{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"}
	for name, tc := range map[string]struct {
		before []delivery
		d      delivery
		want   string
	}{
		"no conversation id": {nil, delivery{chatkpi.Info{}, msg}, "conversation"},
		"invalid event":      {nil, delivery{chatkpi.Info{ID: "c"}, chatkpi.Event{Time: at(0), Type: chatkpi.Joined, Role: chatkpi.Agent, ID: "j1"}}, `event "j1": joined event without an agent`},
		"conflicting channel on a re-delivery": {[]delivery{{chatkpi.Info{ID: "c", Channel: "chat"}, msg}},
			delivery{chatkpi.Info{ID: "c", Channel: "email"}, msg}, "channel"},
		"same id, other content": {[]delivery{{chatkpi.Info{ID: "c"}, msg}},
			delivery{chatkpi.Info{ID: "c"}, chatkpi.Event{Time: at(time.Second), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"}}, `"1" is the id of two different events: time`},
		"conflicting channel": {[]delivery{{chatkpi.Info{ID: "c", Channel: "chat"}, msg}},
			delivery{chatkpi.Info{ID: "c", Channel: "email"}, chatkpi.Event{Time: at(time.Second), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "2"}}, "channel"},
		"conflicting dimension": {[]delivery{{chatkpi.Info{ID: "c", Dims: map[string]string{"g": "A"}}, msg}},
			delivery{chatkpi.Info{ID: "c", Dims: map[string]string{"g": "B"}}, chatkpi.Event{Time: at(time.Second), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "2"}}, "dims.g"},
	} {
		t.Run(name, func(t *testing.T) {
			var a chatkpi.Assembler
			for _, d := range tc.before {
				require.NoError(t, a.Add(t0, d.info, d.e))
			}
			before, err := a.MarshalBinary()
			require.NoError(t, err)
			err = a.Add(t0, tc.d.info, tc.d.e)
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			after, err := a.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, before, after, "a rejected event records nothing")
		})
	}
	a, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{MaxEvents: 2})
	require.NoError(t, err)
	for i := range 2 {
		require.NoError(t, a.Add(t0, chatkpi.Info{ID: "c"}, chatkpi.Event{Time: at(time.Duration(i)), Type: chatkpi.Message, Role: chatkpi.Customer}))
	}
	require.ErrorContains(t, a.Add(t0, chatkpi.Info{ID: "c"}, msg), "MaxEvents 2")
	for _, s := range []chatkpi.AssemblerSettings{{ResolvedQuiet: -1}, {IdleTimeout: -1}, {Lateness: -1}, {ClosedRecord: -1}, {MaxEvents: -1}} {
		_, err := chatkpi.NewAssembler(s)
		assert.ErrorIs(t, err, chatkpi.ErrInvalid, "%+v", s)
	}
}

func TestAssemblerReportRejectionIsReturned(t *testing.T) {
	var a chatkpi.Assembler
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	// CSAT 9 is a valid event but off the report's 1–5 scale.
	require.NoError(t, a.Add(t0, chatkpi.Info{ID: "bad"}, chatkpi.Event{Time: at(0), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 9}))
	require.NoError(t, a.Close(t0, "bad"))
	err = a.Advance(t0, r)
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	assert.Contains(t, err.Error(), `conversation "bad"`)
	_, err = r.Summary()
	assert.ErrorIs(t, err, chatkpi.ErrNoData)
}

func TestAssemblerClosedRecordIsBounded(t *testing.T) {
	a, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{ClosedRecord: 2})
	require.NoError(t, err)
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, err)
	e := chatkpi.Event{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"}
	for _, id := range []string{"a", "b", "c"} {
		require.NoError(t, a.Add(t0, chatkpi.Info{ID: id}, e))
		require.NoError(t, a.Close(t0, id))
		require.NoError(t, a.Advance(t0, r))
	}
	// "a" was forgotten: its event starts a new conversation; "b" is
	// remembered: its re-delivery is dropped.
	require.NoError(t, a.Add(t0, chatkpi.Info{ID: "b"}, e))
	assert.Equal(t, 0, a.Open())
	require.NoError(t, a.Add(t0, chatkpi.Info{ID: "a"}, e))
	assert.Equal(t, 1, a.Open())
}

// Any interleaving and any duplication of the events of a set of
// conversations, with checkpoints and restores anywhere, gives the serial
// report, and counts the duplicates.
func TestAssemblerPropertyInterleavingDuplicationCheckpoint(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := withEvents(chatkpitest.Chats(12).Draw(t, "chats"))
		want := ""
		if len(chats) > 0 {
			want = serialSummary(t, chats, chatkpi.ReportSettings{})
		}
		ds := deliveries(chats)
		dups := rapid.SliceOfN(rapid.IntRange(0, max(len(ds)-1, 0)), 0, len(ds)).Draw(t, "dups")
		if len(ds) == 0 {
			dups = nil
		}
		for _, i := range dups {
			d := ds[i]
			d.info = chatkpi.Info{ID: d.info.ID}
			ds = append(ds, d)
		}
		order := rapid.Permutation(ds).Draw(t, "order")
		// The conversation-level fields travel with the first delivery of
		// each conversation in arrival order.
		meta := map[string]chatkpi.Info{}
		for _, c := range chats {
			meta[c.Meta.ID] = c.Meta
		}
		seen := map[string]bool{}
		for i := range order {
			id := order[i].info.ID
			order[i].info = chatkpi.Info{ID: id}
			if !seen[id] {
				order[i].info, seen[id] = meta[id], true
			}
		}
		checkpoints := rapid.SliceOfN(rapid.IntRange(0, len(order)), 0, 3).Draw(t, "checkpoints")
		a := &chatkpi.Assembler{}
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
		require.NoError(t, err)
		for i, d := range order {
			for _, c := range checkpoints {
				if c == i {
					a = restore(t, a)
				}
			}
			require.NoError(t, a.Add(early, d.info, d.e))
			require.NoError(t, a.Advance(early, r))
		}
		require.NoError(t, restore(t, a).Drain(r))
		if len(chats) == 0 {
			_, err := r.Summary()
			require.ErrorIs(t, err, chatkpi.ErrNoData)
			return
		}
		require.Equal(t, want, summaryJSON(t, r))
		require.EqualValues(t, len(dups), a.Duplicates())
	})
}

// restore checkpoints a and restores the checkpoint into a new assembler.
func restore(t require.TestingT, a *chatkpi.Assembler) *chatkpi.Assembler {
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	var cp chatkpi.Assembler
	require.NoError(t, cp.UnmarshalBinary(b))
	b2, err := cp.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, b, b2, "a restored assembler encodes as the original")
	return &cp
}

// Assemblers fed any split of the (duplicated) events merge into the
// serial report.
func TestAssemblerPropertyMergeIsUnion(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := withEvents(chatkpitest.Chats(10).Draw(t, "chats"))
		if len(chats) == 0 {
			return
		}
		want := serialSummary(t, chats, chatkpi.ReportSettings{})
		ds := deliveries(chats)
		var parts [3]chatkpi.Assembler
		for i, d := range ds {
			for p := range parts {
				// every event goes to at least one part, some to several
				if p == i%3 || rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("copy%d.%d", i, p)) == 0 {
					require.NoError(t, parts[p].Add(early, d.info, d.e))
				}
			}
		}
		for _, p := range rapid.Permutation([]int{1, 2}).Draw(t, "merge order") {
			require.NoError(t, parts[0].Merge(&parts[p]))
		}
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{})
		require.NoError(t, err)
		require.NoError(t, parts[0].Drain(r))
		require.Equal(t, want, summaryJSON(t, r))
	})
}

func TestAssemblerMergeRejects(t *testing.T) {
	e := chatkpi.Event{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"}
	var a, b chatkpi.Assembler
	require.NoError(t, a.Add(t0, chatkpi.Info{ID: "c"}, e))
	e2 := e
	e2.Time = at(time.Second)
	require.NoError(t, b.Add(t0, chatkpi.Info{ID: "c"}, e2))
	before, _ := a.MarshalBinary()
	require.ErrorContains(t, a.Merge(&b), "is the id of two different events")
	after, _ := a.MarshalBinary()
	assert.Equal(t, before, after)

	c, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{Lateness: time.Second})
	require.NoError(t, err)
	require.ErrorIs(t, a.Merge(c), chatkpi.ErrIncompatible)

	var closed chatkpi.Assembler
	r, _ := chatkpi.NewReport(chatkpi.ReportSettings{})
	require.NoError(t, closed.Add(t0, chatkpi.Info{ID: "c"}, e))
	require.NoError(t, closed.Drain(r))
	require.ErrorContains(t, a.Merge(&closed), "open in one assembler and closed in the other")
}

func TestAssemblerUnmarshalRejects(t *testing.T) {
	var a chatkpi.Assembler
	require.NoError(t, a.Add(t0, chatkpi.Info{ID: "c"}, chatkpi.Event{Time: at(0), Type: chatkpi.Message, Role: chatkpi.Customer, ID: "1"}))
	good, err := a.MarshalBinary()
	require.NoError(t, err)
	for i := range good {
		var cp chatkpi.Assembler
		if err := cp.UnmarshalBinary(good[:i]); err == nil {
			t.Fatalf("a truncation to %d bytes decoded", i)
		} else {
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
		}
	}
	other, err := chatkpi.NewAssembler(chatkpi.AssemblerSettings{MaxEvents: 5})
	require.NoError(t, err)
	require.ErrorIs(t, other.UnmarshalBinary(good), chatkpi.ErrIncompatible)
}

func TestAssemblerOpenSummary(t *testing.T) {
	var a chatkpi.Assembler
	add := func(id string, e chatkpi.Event) { require.NoError(t, a.Add(t0, chatkpi.Info{ID: id}, e)) }
	cust := func(d time.Duration) chatkpi.Event {
		return chatkpi.Event{Time: at(d), Type: chatkpi.Message, Role: chatkpi.Customer}
	}
	add("waiting", cust(0))  // unanswered since 0
	add("answered", cust(0)) // answered, then the customer writes again: waiting, not unanswered
	add("answered", chatkpi.Event{Time: at(time.Minute), Type: chatkpi.Message, Role: chatkpi.Bot})
	add("answered", cust(2*time.Minute))
	add("left", cust(time.Minute)) // unanswered since 1 min but left: not waiting
	add("left", chatkpi.Event{Time: at(2 * time.Minute), Type: chatkpi.Left, Role: chatkpi.Customer})
	add("future", cust(time.Hour)) // after asOf: not yet
	s, err := a.OpenSummary(at(5 * time.Minute))
	require.NoError(t, err)
	assert.EqualValues(t, 4, s.Conversations)
	assert.EqualValues(t, 7, s.Events)
	assert.EqualValues(t, 3, s.WaitingCustomers)
	require.NotNil(t, s.Unanswered)
	assert.EqualValues(t, 2, s.Unanswered.Count) // 5 min and 4 min
	assert.InDelta(t, 270, *s.Unanswered.MeanSeconds, 1e-9)
	assert.InDelta(t, 300, *s.Unanswered.MaxSeconds, 1e-9)
}

// Concurrent writers feeding events and readers polling the live summary:
// the final report equals the serial one, and the race detector watches.
func TestLiveReportEventsConcurrent(t *testing.T) {
	all := loadTwitter(t)
	opts := chatkpi.ReportSettings{Period: chatkpi.Month, GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByHandler()}}
	want := serialSummary(t, withEvents(all), opts)
	live, err := chatkpi.NewLiveReport(opts, chatkpi.AssemblerSettings{})
	require.NoError(t, err)
	ds := deliveries(withEvents(all))
	const writers = 8
	done := make(chan struct{})
	var readers, wg sync.WaitGroup
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := live.LiveSummary(early); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(ds); i += writers {
				// every tenth event twice
				for range 1 + btoi(i%10 == 0) {
					if err := live.AddEvent(early, ds[i].info, ds[i].e); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readers.Wait()
	ls, err := live.LiveSummary(early)
	require.NoError(t, err)
	assert.Nil(t, ls.Closed, "nothing closed yet")
	assert.EqualValues(t, len(withEvents(all)), ls.Open.Conversations)
	require.NoError(t, live.Drain())
	snap, err := live.Snapshot()
	require.NoError(t, err)
	assert.Equal(t, want, summaryJSON(t, snap))
	ls, err = live.LiveSummary(early)
	require.NoError(t, err)
	assert.EqualValues(t, (len(ds)+9)/10, ls.DuplicatesDropped)
	assert.Zero(t, ls.Open.Conversations)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
