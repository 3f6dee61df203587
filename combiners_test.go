package chatkpi_test

import (
	"encoding/json"
	"math"
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

// binaryAccumulator is what Beam needs of an accumulator: *T, encoded with
// MarshalBinary and decoded into a new zero value.
type binaryAccumulator[T any] interface {
	*T
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

// combineFn is the method set Beam's Go SDK looks up by name.
type combineFn[A, R any] interface {
	CreateAccumulator() A
	AddInput(A, *chatkpi.Chat) (A, error)
	MergeAccumulators(A, A) (A, error)
	ExtractOutput(A) (R, error)
}

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

// combineLikeBeam builds c's result from chats as a Beam pipeline may:
// sharded, encoded, decoded and merged by [mergeShards] (MergeAccumulators
// merges its second argument into its first), and decoded once more before
// ExtractOutput.
func combineLikeBeam[T any, P binaryAccumulator[T], R any](t *rapid.T, c combineFn[P, R], chats []*chatkpi.Chat) (R, error) {
	roundTrip := func(a P) P {
		b, err := a.MarshalBinary()
		require.NoError(t, err)
		d := P(new(T))
		require.NoError(t, d.UnmarshalBinary(b))
		again, err := d.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, b, again, "a zero value decodes to a different accumulator")
		return d
	}
	add := func(acc P, ch *chatkpi.Chat) {
		got, err := c.AddInput(acc, ch)
		require.NoError(t, err)
		require.True(t, got == acc, "AddInput returns its accumulator")
	}
	merge := func(a, b P) P {
		m, err := c.MergeAccumulators(a, b)
		require.NoError(t, err)
		return m
	}
	merged := mergeShards(t, chats, c.CreateAccumulator, add, roundTrip, merge)
	return c.ExtractOutput(roundTrip(merged))
}

// whole adds every chat to one calculator built with options directly (not
// through the combiner), and returns its result.
func whole[A interface {
	AddConversation(chatkpi.Conversation) error
	Result() (R, error)
}, R any](t *rapid.T, acc A, err error, chats []*chatkpi.Chat) (R, error) {
	require.NoError(t, err)
	for _, ch := range chats {
		require.NoError(t, acc.AddConversation(ch))
	}
	return acc.Result()
}

func requireSameResult[R any](t *rapid.T, want R, wantErr error, got R, gotErr error) {
	require.Equal(t, wantErr, gotErr)
	require.Equal(t, want, got)
}

func TestCSATCombinerLikeBeam(t *testing.T) {
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
		c := chatkpi.CSATCombiner{Settings: set}
		direct, err := chatkpi.NewCSAT(set)
		if err != nil { // a drawn threshold contradicts a default one
			require.ErrorIs(t, c.Check(), chatkpi.ErrInvalid)
			return
		}
		require.NoError(t, c.Check())
		chats := rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.CSATSurvey, s), 0, 20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.CSAT, chatkpi.CSATResult](t, direct, nil, chats)
		got, gotErr := combineLikeBeam[chatkpi.CSAT](t, c, chats)
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestNPSCombinerLikeBeam(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.NPSSurvey, chatkpi.Scale{Min: 0, Max: 10}), 0, 20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.NPS, chatkpi.NPSResult](t, chatkpi.NewNPS(), nil, chats)
		got, gotErr := combineLikeBeam[chatkpi.NPS](t, chatkpi.NPSCombiner{}, chats)
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestCESCombinerLikeBeam(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.CESSettings{Scale: rapid.SampledFrom([]chatkpi.CESScale{chatkpi.CESAgreement7, chatkpi.CESEffort5}).Draw(t, "scale")}
		chats := rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.CESSurvey, set.Scale.Scale()), 0, 20).Draw(t, "chats")
		direct, err := chatkpi.NewCES(set)
		want, wantErr := whole[*chatkpi.CES, chatkpi.CESResult](t, direct, err, chats)
		got, gotErr := combineLikeBeam[chatkpi.CES](t, chatkpi.CESCombiner{Settings: set}, chats)
		requireSameResult(t, want, wantErr, got, gotErr)
	})
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

func TestFirstResponseCombinerLikeBeam(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.FirstResponseSettings{
			Start:           rapid.SampledFrom([]chatkpi.FRTStart{chatkpi.FromCustomerMessage, chatkpi.FromConversationStart, chatkpi.FromHandoff}).Draw(t, "start"),
			HumanOnly:       rapid.Bool().Draw(t, "humanOnly"),
			IncludeOutbound: rapid.Bool().Draw(t, "includeOutbound"),
			Durations:       drawDurations(t),
		}
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		direct, err := chatkpi.NewFirstResponseTime(set)
		want, wantErr := whole[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t, direct, err, chats)
		got, gotErr := combineLikeBeam[chatkpi.FirstResponseTime](t, chatkpi.FirstResponseCombiner{Settings: set}, chats)
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestResponseTimeCombinerLikeBeam(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.ResponseTimeSettings{HumanOnly: rapid.Bool().Draw(t, "humanOnly"), Durations: drawDurations(t)}
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		direct, err := chatkpi.NewResponseTime(set)
		want, wantErr := whole[*chatkpi.ResponseTime, chatkpi.ResponseTimeResult](t, direct, err, chats)
		got, gotErr := combineLikeBeam[chatkpi.ResponseTime](t, chatkpi.ResponseTimeCombiner{Settings: set}, chats)
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestResolutionTimeCombinerLikeBeam(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := chatkpi.ResolutionTimeSettings{Durations: drawDurations(t)}
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		direct, err := chatkpi.NewResolutionTime(set)
		want, wantErr := whole[*chatkpi.ResolutionTime, chatkpi.ResolutionTimeResult](t, direct, err, chats)
		got, gotErr := combineLikeBeam[chatkpi.ResolutionTime](t, chatkpi.ResolutionTimeCombiner{Settings: set}, chats)
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

func TestConversionCombinerLikeBeam(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chats := chatkpitest.Chats(20).Draw(t, "chats")
		want, wantErr := whole[*chatkpi.Conversion, chatkpi.ConversionResult](t, new(chatkpi.Conversion), nil, chats)
		got, gotErr := combineLikeBeam[chatkpi.Conversion](t, chatkpi.ConversionCombiner{}, chats)
		// Sums of money are equal in value, not necessarily in
		// representation (0.10 and 0.1).
		require.True(t, want.Sales.Equal(got.Sales), "sales %v, want %v", got.Sales, want.Sales)
		want.Sales, got.Sales = chatkpi.Money{}, chatkpi.Money{}
		requireSameResult(t, want, wantErr, got, gotErr)
	})
}

// checkInvalid asserts that every method of a combiner with invalid
// settings returns an error wrapping ErrInvalid.
func checkInvalid[A, R any](t *testing.T, name string, c interface {
	combineFn[A, R]
	Check() error
}, chat *chatkpi.Chat) {
	t.Helper()
	assert.ErrorIs(t, c.Check(), chatkpi.ErrInvalid, name)
	acc := c.CreateAccumulator()
	_, err := c.AddInput(acc, chat)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid, name)
	_, err = c.MergeAccumulators(acc, c.CreateAccumulator())
	assert.ErrorIs(t, err, chatkpi.ErrInvalid, name)
	_, err = c.ExtractOutput(acc)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid, name)
}

func TestCombinersInvalidSettings(t *testing.T) {
	chat := combinerChats()[0]
	for name, s := range map[string]chatkpi.CSATSettings{
		"scale too wide":           {Scale: chatkpi.Scale{Min: 0, Max: 11}},
		"scale of one point":       {Scale: chatkpi.Scale{Min: 3, Max: 3}},
		"scale reversed":           {Scale: chatkpi.Scale{Min: 5, Max: 1}},
		"satisfied above the top":  {SatisfiedFrom: 6},
		"satisfied at the bottom":  {SatisfiedFrom: 1},
		"dissatisfied ≥ satisfied": {DissatisfiedBelow: 5},
	} {
		checkInvalid[*chatkpi.CSAT, chatkpi.CSATResult](t, "CSAT "+name, chatkpi.CSATCombiner{Settings: s}, chat)
	}
	checkInvalid[*chatkpi.CES, chatkpi.CESResult](t, "CES", chatkpi.CESCombiner{Settings: chatkpi.CESSettings{Scale: 7}}, chat)
	for name, s := range map[string]chatkpi.DurationsSettings{
		"accuracy too coarse":          {Streaming: true, RelativeAccuracy: 0.9},
		"accuracy without streaming":   {RelativeAccuracy: 0.02},
		"quantile above 1":             {Quantiles: [chatkpi.MaxQuantiles]float64{0.5, 1.5}},
		"quantile NaN":                 {Quantiles: [chatkpi.MaxQuantiles]float64{math.NaN()}},
		"quantile after a zero":        {Quantiles: [chatkpi.MaxQuantiles]float64{0, 0.5}},
		"negative SLA":                 {SLA: [chatkpi.MaxSLATargets]time.Duration{-time.Second}},
		"streaming with negative SLA":  {Streaming: true, SLA: [chatkpi.MaxSLATargets]time.Duration{-1}},
		"streaming with bad quantiles": {Streaming: true, Quantiles: [chatkpi.MaxQuantiles]float64{-0.5}},
		"buckets not increasing":       {Buckets: [chatkpi.MaxBuckets]time.Duration{time.Hour, time.Minute}},
	} {
		frt := chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{Durations: s}}
		checkInvalid[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t, "FRT "+name, frt, chat)
		rt := chatkpi.ResponseTimeCombiner{Settings: chatkpi.ResponseTimeSettings{Durations: s}}
		checkInvalid[*chatkpi.ResponseTime, chatkpi.ResponseTimeResult](t, "response time "+name, rt, chat)
		res := chatkpi.ResolutionTimeCombiner{Settings: chatkpi.ResolutionTimeSettings{Durations: s}}
		checkInvalid[*chatkpi.ResolutionTime, chatkpi.ResolutionTimeResult](t, "resolution time "+name, res, chat)
	}
	checkInvalid[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t, "FRT start",
		chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{Start: 9}}, chat)
	// Business hours cannot be shipped to Beam workers.
	checkInvalid[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t, "FRT measure",
		chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{BusinessHours: &chatkpi.BusinessHours{}}}, chat)
}

// The settings check guards every AddInput, so it must not allocate on
// valid settings.
func TestCombinersCheckDoesNotAllocate(t *testing.T) {
	csat := chatkpi.CSATCombiner{Settings: chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 0, Max: 10}, SatisfiedFrom: 9, DissatisfiedBelow: 2}}
	frt := chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{Start: chatkpi.FromHandoff,
		Durations: chatkpi.DurationsSettings{Streaming: true, RelativeAccuracy: 0.02,
			Quantiles: [chatkpi.MaxQuantiles]float64{0.5, 0.99}, SLA: [chatkpi.MaxSLATargets]time.Duration{time.Minute},
			Buckets: [chatkpi.MaxBuckets]time.Duration{time.Minute, time.Hour}}}}
	var err error
	allocs := testing.AllocsPerRun(100, func() {
		err = csat.Check()
		if err == nil {
			err = frt.Check()
		}
		if err == nil {
			err = chatkpi.CESCombiner{Settings: chatkpi.CESSettings{Scale: chatkpi.CESEffort5}}.Check()
		}
	})
	require.NoError(t, err)
	assert.Zero(t, allocs)
}

func TestCombinersEmptyAndNil(t *testing.T) {
	chat := combinerChats()[0]
	checkEmpty := func(name string, err error) {
		t.Helper()
		assert.ErrorIs(t, err, chatkpi.ErrNoData, name)
	}
	_, err := chatkpi.CSATCombiner{}.ExtractOutput(chatkpi.CSATCombiner{}.CreateAccumulator())
	checkEmpty("CSAT", err)
	_, err = chatkpi.NPSCombiner{}.ExtractOutput(chatkpi.NPSCombiner{}.CreateAccumulator())
	checkEmpty("NPS", err)
	_, err = chatkpi.CESCombiner{}.ExtractOutput(chatkpi.CESCombiner{}.CreateAccumulator())
	checkEmpty("CES", err)
	_, err = chatkpi.FirstResponseCombiner{}.ExtractOutput(chatkpi.FirstResponseCombiner{}.CreateAccumulator())
	checkEmpty("FRT", err)
	_, err = chatkpi.ResponseTimeCombiner{}.ExtractOutput(chatkpi.ResponseTimeCombiner{}.CreateAccumulator())
	checkEmpty("response time", err)
	_, err = chatkpi.ResolutionTimeCombiner{}.ExtractOutput(chatkpi.ResolutionTimeCombiner{}.CreateAccumulator())
	checkEmpty("resolution time", err)
	_, err = chatkpi.ConversionCombiner{}.ExtractOutput(chatkpi.ConversionCombiner{}.CreateAccumulator())
	checkEmpty("conversion", err)

	// Beam never passes nil, but a nil is an error, not a panic.
	var c chatkpi.FirstResponseCombiner
	_, err = c.AddInput(nil, chat)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = c.AddInput(c.CreateAccumulator(), nil)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = c.MergeAccumulators(c.CreateAccumulator(), nil)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = c.ExtractOutput(nil)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)

	// An invalid conversation is AddInput's error and adds nothing.
	bad := &chatkpi.Chat{Meta: chatkpi.Info{ID: "x"}, Events: []chatkpi.Event{chat.Events[1], chat.Events[0]}}
	acc := c.CreateAccumulator()
	_, err = c.AddInput(acc, bad)
	assert.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = c.ExtractOutput(acc)
	checkEmpty("FRT after an invalid conversation", err)
}

// Combiners with different settings do not merge.
func TestCombinersDifferentSettingsDoNotMerge(t *testing.T) {
	_, err := chatkpi.CSATCombiner{}.MergeAccumulators(chatkpi.CSATCombiner{}.CreateAccumulator(),
		chatkpi.CSATCombiner{Settings: chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}}}.CreateAccumulator())
	assert.ErrorIs(t, err, chatkpi.ErrIncompatible)
	_, err = chatkpi.CESCombiner{}.MergeAccumulators(chatkpi.CESCombiner{}.CreateAccumulator(),
		chatkpi.CESCombiner{Settings: chatkpi.CESSettings{Scale: chatkpi.CESEffort5}}.CreateAccumulator())
	assert.ErrorIs(t, err, chatkpi.ErrIncompatible)
	_, err = chatkpi.FirstResponseCombiner{}.MergeAccumulators(chatkpi.FirstResponseCombiner{}.CreateAccumulator(),
		chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{HumanOnly: true}}.CreateAccumulator())
	assert.ErrorIs(t, err, chatkpi.ErrIncompatible)
	_, err = chatkpi.ResolutionTimeCombiner{}.MergeAccumulators(chatkpi.ResolutionTimeCombiner{}.CreateAccumulator(),
		chatkpi.ResolutionTimeCombiner{Settings: chatkpi.ResolutionTimeSettings{Durations: chatkpi.DurationsSettings{Streaming: true}}}.CreateAccumulator())
	assert.ErrorIs(t, err, chatkpi.ErrIncompatible)
}

// Beam ships a combine function to its workers as JSON of its exported
// fields: every setting must survive that.
func TestCombinersSurviveJSON(t *testing.T) {
	for _, c := range []any{
		chatkpi.CSATCombiner{Settings: chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 0, Max: 10}, SatisfiedFrom: 9, DissatisfiedBelow: 1}},
		chatkpi.CESCombiner{Settings: chatkpi.CESSettings{Scale: chatkpi.CESEffort5}},
		chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{Start: chatkpi.FromHandoff, HumanOnly: true,
			IncludeOutbound: true, Durations: chatkpi.DurationsSettings{Streaming: true, RelativeAccuracy: 0.02, MaxBins: 512,
				Quantiles: [chatkpi.MaxQuantiles]float64{0.25}, SLA: [chatkpi.MaxSLATargets]time.Duration{time.Minute},
				Buckets: [chatkpi.MaxBuckets]time.Duration{time.Second}}}},
		chatkpi.ResponseTimeCombiner{Settings: chatkpi.ResponseTimeSettings{HumanOnly: true,
			Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.5}}}},
		chatkpi.ResolutionTimeCombiner{Settings: chatkpi.ResolutionTimeSettings{
			Durations: chatkpi.DurationsSettings{Streaming: true, SLA: [chatkpi.MaxSLATargets]time.Duration{time.Hour}}}},
	} {
		b, err := json.Marshal(c)
		require.NoError(t, err)
		back := newLike(c)
		require.NoError(t, json.Unmarshal(b, back.ptr))
		assert.Equal(t, c, back.get())
	}
}

type holder struct {
	ptr any
	get func() any
}

func newLike(c any) holder {
	switch c.(type) {
	case chatkpi.CSATCombiner:
		var v chatkpi.CSATCombiner
		return holder{&v, func() any { return v }}
	case chatkpi.CESCombiner:
		var v chatkpi.CESCombiner
		return holder{&v, func() any { return v }}
	case chatkpi.FirstResponseCombiner:
		var v chatkpi.FirstResponseCombiner
		return holder{&v, func() any { return v }}
	case chatkpi.ResponseTimeCombiner:
		var v chatkpi.ResponseTimeCombiner
		return holder{&v, func() any { return v }}
	default:
		var v chatkpi.ResolutionTimeCombiner
		return holder{&v, func() any { return v }}
	}
}

// combinerChats are three hand-made conversations of 2026-11-23:
//
//	a: customer 9:00, automatic message 9:00:10, bot 9:00:20, agent 9:02,
//	   resolved 9:05, CSAT 5, NPS 10, CES 6, a goal of 20 EUR
//	b: customer 10:00, agent 10:01, customer 10:03 (never answered),
//	   resolved 10:10, reopened 10:20, resolved 10:30, CSAT 2, NPS 3, CES 2
//	c: customer 11:00, nothing else
func combinerChats() []*chatkpi.Chat {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 23, h, m, s, 0, time.UTC) }
	ev := func(t time.Time, role chatkpi.Role, typ chatkpi.EventType) chatkpi.Event {
		return chatkpi.Event{Time: t, Role: role, Type: typ}
	}
	rating := func(t time.Time, s chatkpi.Survey, score int) chatkpi.Event {
		return chatkpi.Event{Time: t, Role: chatkpi.Customer, Type: chatkpi.Rating, Survey: s, Score: int8(score)}
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

// run feeds chats to a combiner with one accumulator per chat, merged.
func run[A, R any](t *testing.T, c combineFn[A, R], chats []*chatkpi.Chat) R {
	t.Helper()
	acc := c.CreateAccumulator()
	for _, ch := range chats {
		one, err := c.AddInput(c.CreateAccumulator(), ch)
		require.NoError(t, err)
		acc, err = c.MergeAccumulators(acc, one)
		require.NoError(t, err)
	}
	r, err := c.ExtractOutput(acc)
	require.NoError(t, err)
	return r
}

func TestCombinersKnownAnswers(t *testing.T) {
	chats := combinerChats()

	csat := run[*chatkpi.CSAT, chatkpi.CSATResult](t, chatkpi.CSATCombiner{}, chats)
	assert.Equal(t, int64(2), csat.Responses)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 2}, csat.Satisfied)
	assert.InDelta(t, 50.0, csat.Percent, 0)
	assert.InDelta(t, 0.0, csat.Net, 0) // 50 % satisfied − 50 % dissatisfied
	// On 1–10 with satisfied from 5 and dissatisfied through 1, the 2 is
	// neither: net +50.
	csat = run[*chatkpi.CSAT, chatkpi.CSATResult](t, chatkpi.CSATCombiner{Settings: chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: 1, Max: 10}, SatisfiedFrom: 5, DissatisfiedBelow: 2}}, chats)
	assert.Equal(t, chatkpi.Scale{Min: 1, Max: 10}, csat.Scale)
	assert.Equal(t, 1, csat.DissatisfiedThrough)
	assert.InDelta(t, 50.0, csat.Net, 0)

	nps := run[*chatkpi.NPS, chatkpi.NPSResult](t, chatkpi.NPSCombiner{}, chats)
	assert.Equal(t, int64(1), nps.Promoters)
	assert.Equal(t, int64(1), nps.Detractors)
	assert.InDelta(t, 0.0, nps.Score, 0)

	ces := run[*chatkpi.CES, chatkpi.CESResult](t, chatkpi.CESCombiner{}, chats)
	assert.Equal(t, chatkpi.CESAgreement7, ces.Scale)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 2}, ces.LowEffort)                                                             // 6 on 1–7
	ces = run[*chatkpi.CES, chatkpi.CESResult](t, chatkpi.CESCombiner{Settings: chatkpi.CESSettings{Scale: chatkpi.CESEffort5}}, chats[1:]) // a's 6 is off 1–5
	assert.Equal(t, chatkpi.CESEffort5, ces.Scale)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 1}, ces.LowEffort) // 2 on 1–5

	frt := run[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t, chatkpi.FirstResponseCombiner{}, chats)
	assert.Equal(t, int64(2), frt.Answered)
	assert.Equal(t, int64(1), frt.Unanswered)
	assert.Equal(t, 20*time.Second, frt.Stats.Min)  // the bot, not the automatic message
	assert.Equal(t, 60*time.Second, frt.Stats.Max)  // b
	assert.Equal(t, 40*time.Second, frt.Stats.Mean) // (20 + 60) / 2
	frt = run[*chatkpi.FirstResponseTime, chatkpi.FirstResponseResult](t,
		chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{HumanOnly: true,
			Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.5}, SLA: [chatkpi.MaxSLATargets]time.Duration{time.Minute}}}}, chats)
	assert.Equal(t, 90*time.Second, frt.Stats.Mean) // (120 + 60) / 2
	assert.Equal(t, []chatkpi.Percentile{{Q: 0.5, Value: 90 * time.Second}}, frt.Stats.Quantiles)
	require.Len(t, frt.Stats.SLA, 1)
	assert.Equal(t, int64(1), frt.Stats.SLA[0].Within.Successes)

	rt := run[*chatkpi.ResponseTime, chatkpi.ResponseTimeResult](t, chatkpi.ResponseTimeCombiner{}, chats)
	assert.Equal(t, int64(2), rt.Answered)
	assert.Equal(t, int64(2), rt.Unanswered) // b's second turn and c

	res := run[*chatkpi.ResolutionTime, chatkpi.ResolutionTimeResult](t, chatkpi.ResolutionTimeCombiner{}, chats)
	assert.Equal(t, int64(2), res.Resolved)
	assert.Equal(t, int64(1), res.Unresolved)
	assert.Equal(t, int64(1), res.Cycles)
	assert.Equal(t, 5*time.Minute, res.First.Min)  // a
	assert.Equal(t, 30*time.Minute, res.Full.Max)  // b, to its last resolution
	assert.Equal(t, 10*time.Minute, res.First.Max) // b, to its first resolution

	conv := run[*chatkpi.Conversion, chatkpi.ConversionResult](t, chatkpi.ConversionCombiner{}, chats)
	assert.Equal(t, chatkpi.Proportion{Successes: 1, Trials: 3}, conv.Rate)
	assert.Equal(t, int64(1), conv.GoalEvents)
}

// The NPS examples of METRICS.md through the combiner.
func TestNPSCombinerMetricsExamples(t *testing.T) {
	chat := func(scores ...int) *chatkpi.Chat {
		c := &chatkpi.Chat{Meta: chatkpi.Info{ID: "n"}}
		for i, s := range scores {
			c.Events = append(c.Events, chatkpi.Event{Time: time.Unix(int64(i), 0), Role: chatkpi.Customer,
				Type: chatkpi.Rating, Survey: chatkpi.NPSSurvey, Score: int8(s)})
		}
		return c
	}
	repeat := func(score, n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = score
		}
		return s
	}
	for _, tc := range []struct {
		chats []*chatkpi.Chat
		want  float64
	}{
		{[]*chatkpi.Chat{chat(0, 1, 2, 3), chat(4, 5, 6, 7, 8, 9, 10)}, 100 * (2.0 - 7.0) / 11},
		{[]*chatkpi.Chat{chat(repeat(0, 10)...), chat(repeat(8, 30)...), chat(repeat(10, 60)...)}, 50},
		{[]*chatkpi.Chat{chat(append(repeat(6, 10), repeat(7, 6)...)...), chat(repeat(9, 4)...)}, -30},
	} {
		r := run[*chatkpi.NPS, chatkpi.NPSResult](t, chatkpi.NPSCombiner{}, tc.chats)
		assert.InDelta(t, tc.want, r.Score, 1e-12)
	}
}
