package chatkpi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// The calculators in shards, as a distributed engine (Beam, Spark, a map
// of workers) runs them: conversations split at random over accumulators,
// each encoded with MarshalBinary and decoded into a zero value (which
// must restore its settings), merged in a random tree, and the result
// equal to one calculator fed every conversation.

// maxShards is the most shards the shard properties split conversations
// into.
const maxShards = 16

// mergeShards splits chats at random into 1 to maxShards shards, adds each
// shard to an accumulator from create, passes every shard through
// roundTrip (an encoding and a decoding into a zero value, as Beam does
// between workers) and merges the decoded shards in a random order and
// shape: it repeatedly merges two accumulators picked at random, in either
// argument order, and sometimes round-trips the partial result again, so
// that every merge tree (a chain, a balanced tree, anything between) can be
// drawn. Some shards are round-tripped while still empty and then added
// to, so that settings lost by a decode change what is added, not only
// what is merged.
func mergeShards[A any](t *rapid.T, chats []*chatkpi.Chat, create func() A, add func(A, *chatkpi.Chat), roundTrip func(A) A, merge func(a, b A) A) A {
	shards := make([]A, rapid.IntRange(1, maxShards).Draw(t, "shards"))
	for i := range shards {
		shards[i] = create()
		if rapid.Bool().Draw(t, "decodeEmpty") {
			shards[i] = roundTrip(shards[i])
		}
	}
	for _, ch := range chats {
		add(shards[rapid.IntRange(0, len(shards)-1).Draw(t, "shard")], ch)
	}
	for i := range shards {
		shards[i] = roundTrip(shards[i])
	}
	for len(shards) > 1 {
		i := rapid.IntRange(0, len(shards)-1).Draw(t, "mergeInto")
		j := rapid.IntRange(0, len(shards)-2).Draw(t, "mergeFrom")
		if j >= i {
			j++
		}
		m := merge(shards[i], shards[j])
		if rapid.Bool().Draw(t, "decodePartial") {
			m = roundTrip(m)
		}
		shards[i] = m
		shards = slices.Delete(shards, j, j+1)
	}
	return shards[0]
}

// mergeable is an accumulator that merges and encodes itself.
type mergeable[T any] interface {
	*T
	Merge(*T) error
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

// shardAccumulator is [mergeShards] for an accumulator P that decodes into
// a zero value; add adds one conversation (and checks its error).
func shardAccumulator[T any, P mergeable[T]](t *rapid.T, chats []*chatkpi.Chat, create func() P, add func(P, *chatkpi.Chat)) P {
	return mergeShards(t, chats, create, add,
		func(a P) P {
			b, err := a.MarshalBinary()
			require.NoError(t, err)
			back := P(new(T))
			require.NoError(t, back.UnmarshalBinary(b))
			return back
		},
		func(a, b P) P {
			require.NoError(t, a.Merge(b))
			return a
		})
}

// inShards is [shardAccumulator] from a calculator built by create, with
// a check that a decoded accumulator encodes to the same bytes, and the
// result of the merged accumulator after one more round trip.
func inShards[T any, P interface {
	mergeable[T]
	AddConversation(chatkpi.Conversation) error
	Result() (R, error)
}, R any](t *rapid.T, chats []*chatkpi.Chat, create func() P) (R, error) {
	merged := shardAccumulator(t, chats, create, func(acc P, ch *chatkpi.Chat) {
		require.NoError(t, acc.AddConversation(ch))
	})
	b, err := merged.MarshalBinary()
	require.NoError(t, err)
	back := P(new(T))
	require.NoError(t, back.UnmarshalBinary(b))
	again, err := back.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, b, again, "a zero value decodes to a different accumulator")
	return back.Result()
}

// whole adds every chat to one calculator and returns its result.
func whole[A interface {
	AddConversation(chatkpi.Conversation) error
	Result() (R, error)
}, R any](t *rapid.T, acc A, chats []*chatkpi.Chat) (R, error) {
	for _, ch := range chats {
		require.NoError(t, acc.AddConversation(ch))
	}
	return acc.Result()
}

func requireSameResult[R any](t *rapid.T, want R, wantErr error, got R, gotErr error) {
	require.Equal(t, wantErr, gotErr)
	require.Equal(t, want, got)
}

func TestCSATInShards(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := chatkpitest.Scale().Draw(t, "scale")
		var set chatkpi.CSATSettings
		if s != (chatkpi.Scale{Min: 1, Max: 5}) || rapid.Bool().Draw(t, "explicitScale") {
			set.Scale = s
		}
		sat := s.Max
		if rapid.Bool().Draw(t, "satisfied") {
			sat = rapid.IntRange(s.Min+1, s.Max).Draw(t, "satisfiedFrom")
			set.SatisfiedFrom = sat
		}
		if rapid.Bool().Draw(t, "dissatisfied") {
			set.DissatisfiedBelow = rapid.IntRange(s.Min+1, sat).Draw(t, "dissatisfiedBelow")
		}
		direct, err := chatkpi.NewCSAT(set)
		if err != nil { // a drawn threshold contradicts a default one
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			return
		}
		chats := rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.CSATSurvey, s), 0, 20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.CSAT, chatkpi.CSATResult](t, direct, chats)
		got, gotErr := inShards[chatkpi.CSAT](t, chats, func() *chatkpi.CSAT {
			c, err := chatkpi.NewCSAT(set)
			require.NoError(t, err)
			return c
		})
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestNPSInShards(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.NPSSurvey, chatkpi.Scale{Min: 0, Max: 10}), 0, 20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.NPS, chatkpi.NPSResult](t, chatkpi.NewNPS(), chats)
		got, gotErr := inShards[chatkpi.NPS](t, chats, chatkpi.NewNPS)
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestCESInShards(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.CESSettings{Scale: rapid.SampledFrom([]chatkpi.CESScale{chatkpi.CESAgreement7, chatkpi.CESEffort5}).Draw(t, "scale")}
		chats := rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.CESSurvey, set.Scale.Scale()), 0, 20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.CES, chatkpi.CESResult](t, must(chatkpi.NewCES(set)), chats)
		got, gotErr := inShards[chatkpi.CES](t, chats, func() *chatkpi.CES { return must(chatkpi.NewCES(set)) })
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestFirstResponseTimeInShards(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.FirstResponseSettings{
			Start:           rapid.SampledFrom([]chatkpi.FRTStart{chatkpi.FromCustomerMessage, chatkpi.FromConversationStart, chatkpi.FromHandoff}).Draw(t, "start"),
			HumanOnly:       rapid.Bool().Draw(t, "humanOnly"),
			IncludeOutbound: rapid.Bool().Draw(t, "includeOutbound"),
			Durations:       drawDurations(t),
		}
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t, must(chatkpi.NewFirstResponseTime(set)), chats)
		got, gotErr := inShards[chatkpi.FirstResponseTime](t, chats, func() *chatkpi.FirstResponseTime {
			return must(chatkpi.NewFirstResponseTime(set))
		})
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestResponseTimeInShards(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.ResponseTimeSettings{HumanOnly: rapid.Bool().Draw(t, "humanOnly"), Durations: drawDurations(t)}
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.ResponseTime, chatkpi.ResponseTimeResult](t, must(chatkpi.NewResponseTime(set)), chats)
		got, gotErr := inShards[chatkpi.ResponseTime](t, chats, func() *chatkpi.ResponseTime {
			return must(chatkpi.NewResponseTime(set))
		})
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestResolutionTimeInShards(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.ResolutionTimeSettings{Durations: drawDurations(t)}
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.ResolutionTime, chatkpi.ResolutionTimeResult](t, must(chatkpi.NewResolutionTime(set)), chats)
		got, gotErr := inShards[chatkpi.ResolutionTime](t, chats, func() *chatkpi.ResolutionTime {
			return must(chatkpi.NewResolutionTime(set))
		})
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestConversionInShards(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.Conversion, chatkpi.ConversionResult](t, new(chatkpi.Conversion), chats)
		got, gotErr := inShards[chatkpi.Conversion](t, chats, func() *chatkpi.Conversion { return new(chatkpi.Conversion) })
		// Sums of money are equal in value, not necessarily in
		// representation (0.10 and 0.1).
		require.True(t, want.Sales.Equal(got.Sales), "sales %v, want %v", got.Sales, want.Sales)
		want.Sales, got.Sales = chatkpi.Money{}, chatkpi.Money{}
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

// must returns v, and panics on an error: the calculators' settings here
// are valid, and a panic fails the test with its stack.
func must[V any](v V, err error) V {
	if err != nil {
		panic(err)
	}
	return v
}

// drawDurations draws valid statistics settings.
func drawDurations(t *rapid.T) chatkpi.DurationsSettings {
	var s chatkpi.DurationsSettings
	if s.Streaming = rapid.Bool().Draw(t, "streaming"); s.Streaming {
		s.RelativeAccuracy = rapid.SampledFrom([]float64{0, 0.001, 0.02}).Draw(t, "accuracy")
	}
	if rapid.Bool().Draw(t, "quantiles") {
		s.Quantiles = [chatkpi.MaxQuantiles]float64{0.25, 0.75, 1}
	}
	if rapid.Bool().Draw(t, "sla") {
		s.SLA = [chatkpi.MaxSLATargets]time.Duration{time.Second, time.Minute, time.Hour}
	}
	if rapid.Bool().Draw(t, "buckets") {
		s.Buckets = [chatkpi.MaxBuckets]time.Duration{time.Second, time.Minute}
	}
	return s
}

// shardChats are three hand-made conversations of 2026-11-23:
//
//	a: customer 9:00, automatic message 9:00:10, bot 9:00:20, agent 9:02,
//	   resolved 9:05, CSAT 5, NPS 10, CES 6, a goal of 20 EUR
//	b: customer 10:00, agent 10:01, customer 10:03 (never answered),
//	   resolved 10:10, reopened 10:20, resolved 10:30, CSAT 2, NPS 3, CES 2
//	c: customer 11:00, nothing else
func shardChats() []*chatkpi.Chat {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 23, h, m, s, 0, time.UTC) }
	ev := func(t time.Time, role chatkpi.Role, typ chatkpi.EventType) chatkpi.Event {
		return chatkpi.Event{Time: t, Role: role, Type: typ}
	}
	rating := func(t time.Time, s chatkpi.Survey, score int) chatkpi.Event {
		return chatkpi.Event{Time: t, Role: chatkpi.Customer, Type: chatkpi.Rating, Survey: s, Score: score}
	}
	auto := ev(at(9, 0, 10), chatkpi.System, chatkpi.Message)
	auto.Automatic = true
	goal := ev(at(9, 6, 0), chatkpi.Customer, chatkpi.Goal)
	goal.Value, goal.Currency = decimal.NewFromInt(20), "EUR"
	agent := func(t time.Time, typ chatkpi.EventType) chatkpi.Event {
		e := ev(t, chatkpi.Agent, typ)
		e.Agent = "ana"
		return e
	}
	return []*chatkpi.Chat{
		{Meta: chatkpi.Info{ID: "a"}, Events: []chatkpi.Event{
			ev(at(9, 0, 0), chatkpi.Customer, chatkpi.Message),
			auto,
			ev(at(9, 0, 20), chatkpi.Bot, chatkpi.Message),
			agent(at(9, 2, 0), chatkpi.Message),
			agent(at(9, 5, 0), chatkpi.Resolved),
			goal,
			rating(at(9, 7, 0), chatkpi.CSATSurvey, 5),
			rating(at(9, 7, 0), chatkpi.NPSSurvey, 10),
			rating(at(9, 7, 0), chatkpi.CESSurvey, 6),
		}},
		{Meta: chatkpi.Info{ID: "b"}, Events: []chatkpi.Event{
			ev(at(10, 0, 0), chatkpi.Customer, chatkpi.Message),
			agent(at(10, 1, 0), chatkpi.Message),
			ev(at(10, 3, 0), chatkpi.Customer, chatkpi.Message),
			agent(at(10, 10, 0), chatkpi.Resolved),
			ev(at(10, 20, 0), chatkpi.Customer, chatkpi.Reopened),
			agent(at(10, 30, 0), chatkpi.Resolved),
			rating(at(10, 31, 0), chatkpi.CSATSurvey, 2),
			rating(at(10, 31, 0), chatkpi.NPSSurvey, 3),
			rating(at(10, 31, 0), chatkpi.CESSurvey, 2),
		}},
		{Meta: chatkpi.Info{ID: "c"}, Events: []chatkpi.Event{
			ev(at(11, 0, 0), chatkpi.Customer, chatkpi.Message),
		}},
	}
}

// run adds each chat to an accumulator of its own from create and merges
// them all into one, as a combine step does, and returns the result.
func run[T any, P interface {
	*T
	Merge(*T) error
	AddConversation(chatkpi.Conversation) error
	Result() (R, error)
}, R any](t *testing.T, chats []*chatkpi.Chat, create func() P) R {
	t.Helper()
	acc := create()
	for _, ch := range chats {
		one := create()
		require.NoError(t, one.AddConversation(ch))
		require.NoError(t, acc.Merge((*T)(one)))
	}
	r, err := acc.Result()
	require.NoError(t, err)
	return r
}

func TestCalculatorsInShardsKnownAnswers(t *testing.T) {
	chats := shardChats()

	csat := run(t, chats, func() *chatkpi.CSAT { return must(chatkpi.NewCSAT(chatkpi.CSATSettings{})) })
	assert.Equal(t, int64(2), csat.Responses)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 2}, csat.Satisfied)
	assert.InDelta(t, 50.0, csat.Percent, 0)
	assert.InDelta(t, 0.0, csat.Net, 0) // 50 % satisfied − 50 % dissatisfied
	// On 1–10 with satisfied from 5 and dissatisfied through 1, the 2 is
	// neither: net +50.
	csat = run(t, chats, func() *chatkpi.CSAT {
		return must(chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}, SatisfiedFrom: 5, DissatisfiedBelow: 2}))
	})
	assert.Equal(t, chatkpi.Scale{Min: 1, Max: 10}, csat.Scale)
	assert.Equal(t, 1, csat.DissatisfiedThrough)
	assert.InDelta(t, 50.0, csat.Net, 0)

	nps := run(t, chats, chatkpi.NewNPS)
	assert.Equal(t, int64(1), nps.Promoters)
	assert.Equal(t, int64(1), nps.Detractors)
	assert.InDelta(t, 0.0, nps.Score, 0)

	ces := run(t, chats, func() *chatkpi.CES { return must(chatkpi.NewCES(chatkpi.CESSettings{})) })
	assert.Equal(t, chatkpi.CESAgreement7, ces.Scale)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 2}, ces.LowEffort)                                                  // 6 on 1–7
	ces = run(t, chats[1:], func() *chatkpi.CES { return must(chatkpi.NewCES(chatkpi.CESSettings{Scale: chatkpi.CESEffort5})) }) // a's 6 is off 1–5
	assert.Equal(t, chatkpi.CESEffort5, ces.Scale)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 1}, ces.LowEffort) // 2 on 1–5

	frt := run(t, chats, func() *chatkpi.FirstResponseTime {
		return must(chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{}))
	})
	assert.Equal(t, int64(2), frt.Answered)
	assert.Equal(t, int64(1), frt.Unanswered)
	assert.Equal(t, 20*time.Second, frt.Stats.Min)  // the bot, not the automatic message
	assert.Equal(t, 60*time.Second, frt.Stats.Max)  // b
	assert.Equal(t, 40*time.Second, frt.Stats.Mean) // (20 + 60) / 2
	frt = run(t, chats, func() *chatkpi.FirstResponseTime {
		return must(chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{HumanOnly: true,
			Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.5}, SLA: [chatkpi.MaxSLATargets]time.Duration{time.Minute}}}))
	})
	assert.Equal(t, 90*time.Second, frt.Stats.Mean) // (120 + 60) / 2
	assert.Equal(t, []chatkpi.Percentile{{Q: 0.5, Value: 90 * time.Second}}, frt.Stats.Quantiles)
	require.Len(t, frt.Stats.SLA, 1)
	assert.Equal(t, int64(1), frt.Stats.SLA[0].Within.Successes)

	rt := run(t, chats, func() *chatkpi.ResponseTime { return must(chatkpi.NewResponseTime(chatkpi.ResponseTimeSettings{})) })
	assert.Equal(t, int64(2), rt.Answered)
	assert.Equal(t, int64(2), rt.Unanswered) // b's second turn and c

	res := run(t, chats, func() *chatkpi.ResolutionTime {
		return must(chatkpi.NewResolutionTime(chatkpi.ResolutionTimeSettings{}))
	})
	assert.Equal(t, int64(2), res.Resolved)
	assert.Equal(t, int64(1), res.Unresolved)
	assert.Equal(t, int64(1), res.Cycles)
	assert.Equal(t, 5*time.Minute, res.First.Min)  // a
	assert.Equal(t, 30*time.Minute, res.Full.Max)  // b, to its last resolution
	assert.Equal(t, 10*time.Minute, res.First.Max) // b, to its first resolution

	conv := run(t, chats, func() *chatkpi.Conversion { return new(chatkpi.Conversion) })
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 3}, conv.Rate)
	assert.Equal(t, int64(1), conv.GoalEvents)
}
