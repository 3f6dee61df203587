package chatkpi_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// withinSketchGuarantee checks |v − x| ≤ α·x, allowing 2 ns for rounding both
// values to the nanosecond.
func withinSketchGuarantee(t *rapid.T, alpha, q float64, exact, approx time.Duration) {
	if diff := math.Abs(float64(approx - exact)); diff > alpha*float64(exact)+2 {
		t.Fatalf("q=%v: streaming %v vs exact %v: error %v > α·x", q, approx, exact, time.Duration(diff))
	}
}

// timingCalc is what every timing calculator offers.
type timingCalc[R any] interface {
	AddConversation(chatkpi.Conversation) error
	Result() (R, error)
	MarshalBinary() ([]byte, error)
}

// checkTiming runs the shared properties of a timing calculator on
// generated conversations: up to 16 shards, each encoded and decoded, merged
// in any order and tree equal the whole ([mergeShards]), the encoding
// round-trips, and build(streaming) returns results whose percentiles are
// within the sketch's guarantee, compared by stats.
func checkTiming[R any, T any, C interface {
	*T
	timingCalc[R]
	UnmarshalBinary([]byte) error
}](t *rapid.T, build func(streaming bool) C, merge func(a, b C) error,
	unmarshal func([]byte) (R, error), stats func(R) []chatkpi.DurationStats) {
	chats := chatkpitest.Chats(40).Draw(t, "chats")
	add := func(c C, cs []*chatkpi.Chat) C {
		for _, ch := range cs {
			require.NoError(t, c.AddConversation(ch))
		}
		return c
	}
	whole := add(build(false), chats)
	a := mergeShards(t, chats, func() C { return build(false) },
		func(c C, ch *chatkpi.Chat) { require.NoError(t, c.AddConversation(ch)) },
		func(c C) C {
			b, err := c.MarshalBinary()
			require.NoError(t, err)
			back := C(new(T))
			require.NoError(t, back.UnmarshalBinary(b))
			return back
		},
		func(x, y C) C {
			require.NoError(t, merge(x, y))
			return x
		})
	rw, errW := whole.Result()
	ra, errA := a.Result()
	require.Equal(t, errW, errA)
	require.Equal(t, rw, ra, "merge of any sharding equals the whole")

	st := add(build(true), chats)
	rs, errS := st.Result()
	require.Equal(t, errors.Is(errW, chatkpi.ErrNoData), errors.Is(errS, chatkpi.ErrNoData))
	ex, ap := stats(rw), stats(rs)
	for i := range ex {
		require.Equal(t, ex[i].Count, ap[i].Count)
		require.Equal(t, ex[i].Mean, ap[i].Mean)
		for _, q := range ex[i].Quantiles {
			v, ok := ap[i].Quantile(q.Q)
			require.True(t, ok)
			withinSketchGuarantee(t, chatkpi.DefaultRelativeAccuracy, q.Q, q.Value, v)
		}
	}
	for _, c := range []C{whole, st} {
		enc, err := c.MarshalBinary()
		require.NoError(t, err)
		back, err := unmarshal(enc)
		require.NoError(t, err)
		r1, _ := c.Result()
		require.Equal(t, r1, back, "MarshalBinary round trip")
	}
}

func streamingOpt(s bool) []chatkpi.StatsOption {
	if s {
		return []chatkpi.StatsOption{chatkpi.WithStreaming()}
	}
	return nil
}

func TestFirstResponseTimeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		human := rapid.Bool().Draw(t, "human")
		checkTiming(t, func(s bool) *chatkpi.FirstResponseTime {
			var opts []chatkpi.FirstResponseOption
			if human {
				opts = append(opts, chatkpi.WithFRTStart(chatkpi.FromHandoff), chatkpi.HumanReplies())
			}
			for _, o := range streamingOpt(s) {
				opts = append(opts, o)
			}
			f, err := chatkpi.NewFirstResponseTime(opts...)
			require.NoError(t, err)
			return f
		}, (*chatkpi.FirstResponseTime).Merge, func(b []byte) (chatkpi.FirstResponseResult, error) {
			var f chatkpi.FirstResponseTime
			if err := f.UnmarshalBinary(b); err != nil {
				return chatkpi.FirstResponseResult{}, err
			}
			r, _ := f.Result()
			return r, nil
		}, func(r chatkpi.FirstResponseResult) []chatkpi.DurationStats { return []chatkpi.DurationStats{r.Stats} })
	})
}

func TestResponseTimeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		checkTiming(t, func(s bool) *chatkpi.ResponseTime {
			var opts []chatkpi.ResponseTimeOption
			for _, o := range streamingOpt(s) {
				opts = append(opts, o)
			}
			f, err := chatkpi.NewResponseTime(opts...)
			require.NoError(t, err)
			return f
		}, (*chatkpi.ResponseTime).Merge, func(b []byte) (chatkpi.ResponseTimeResult, error) {
			var f chatkpi.ResponseTime
			if err := f.UnmarshalBinary(b); err != nil {
				return chatkpi.ResponseTimeResult{}, err
			}
			r, _ := f.Result()
			return r, nil
		}, func(r chatkpi.ResponseTimeResult) []chatkpi.DurationStats { return []chatkpi.DurationStats{r.Stats} })
	})
}

func TestResolutionTimeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		checkTiming(t, func(s bool) *chatkpi.ResolutionTime {
			var opts []chatkpi.ResolutionTimeOption
			for _, o := range streamingOpt(s) {
				opts = append(opts, o)
			}
			f, err := chatkpi.NewResolutionTime(opts...)
			require.NoError(t, err)
			return f
		}, (*chatkpi.ResolutionTime).Merge, func(b []byte) (chatkpi.ResolutionTimeResult, error) {
			var f chatkpi.ResolutionTime
			if err := f.UnmarshalBinary(b); err != nil {
				return chatkpi.ResolutionTimeResult{}, err
			}
			r, _ := f.Result()
			return r, nil
		}, func(r chatkpi.ResolutionTimeResult) []chatkpi.DurationStats {
			return []chatkpi.DurationStats{r.First, r.Full}
		})
	})
}

func TestChatDurationProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gap := time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "gap"))
		checkTiming(t, func(s bool) *chatkpi.ChatDuration {
			opts := []chatkpi.ChatDurationOption{chatkpi.WithActiveGap(gap)}
			for _, o := range streamingOpt(s) {
				opts = append(opts, o)
			}
			f, err := chatkpi.NewChatDuration(opts...)
			require.NoError(t, err)
			return f
		}, (*chatkpi.ChatDuration).Merge, func(b []byte) (chatkpi.ChatDurationResult, error) {
			var f chatkpi.ChatDuration
			if err := f.UnmarshalBinary(b); err != nil {
				return chatkpi.ChatDurationResult{}, err
			}
			r, _ := f.Result()
			return r, nil
		}, func(r chatkpi.ChatDurationResult) []chatkpi.DurationStats {
			return []chatkpi.DurationStats{r.Full, r.Active}
		})
	})
}

func TestQueueWaitProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		checkTiming(t, func(s bool) *chatkpi.QueueWait {
			var opts []chatkpi.QueueWaitOption
			for _, o := range streamingOpt(s) {
				opts = append(opts, o)
			}
			f, err := chatkpi.NewQueueWait(opts...)
			require.NoError(t, err)
			return f
		}, (*chatkpi.QueueWait).Merge, func(b []byte) (chatkpi.QueueWaitResult, error) {
			var f chatkpi.QueueWait
			if err := f.UnmarshalBinary(b); err != nil {
				return chatkpi.QueueWaitResult{}, err
			}
			r, _ := f.Result()
			return r, nil
		}, func(r chatkpi.QueueWaitResult) []chatkpi.DurationStats { return []chatkpi.DurationStats{r.Stats} })
	})
}
