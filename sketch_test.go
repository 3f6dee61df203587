package chatkpi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestSketchBasics(t *testing.T) {
	var s sketch
	_, err := s.Quantile(0.5)
	require.ErrorIs(t, err, ErrNoData)
	_, err = s.Min()
	require.ErrorIs(t, err, ErrNoData)
	require.ErrorIs(t, s.Add(-1), ErrInvalid)
	for _, d := range []time.Duration{0, 0, 0, time.Second, time.Hour} {
		require.NoError(t, s.Add(d))
	}
	assert.Equal(t, int64(5), s.Count())
	v, err := s.Quantile(0.5)
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), v, "zero durations are exact in the zero bucket")
	v, _ = s.Quantile(1)
	assert.Equal(t, time.Hour, v, "clamped to the exact max")
	v, _ = s.Quantile(0.75) // the rank-3 value, 1 s
	assert.InDelta(t, 1.0, v.Seconds(), 0.01*1.0000001)
	_, err = s.Quantile(-0.01)
	require.ErrorIs(t, err, ErrInvalid)
	assert.False(t, s.Collapsed())
	assert.Equal(t, DefaultRelativeAccuracy, s.RelativeAccuracy())
	assert.Equal(t, DefaultMaxBins, s.MaxBins())
}

func TestSketchSettings(t *testing.T) {
	for _, c := range []struct {
		alpha float64
		bins  int
	}{{0, 2048}, {0.6, 2048}, {0.01, 15}, {0.01, 1 << 17}} {
		_, err := newSketch(c.alpha, c.bins)
		require.ErrorIs(t, err, ErrInvalid)
	}
	a, err := newSketch(0.02, 100)
	require.NoError(t, err)
	var b sketch
	require.ErrorIs(t, a.Merge(&b), ErrIncompatible)
}

// With few bins the lowest values collapse; Collapsed says so.
func TestSketchCollapses(t *testing.T) {
	s, err := newSketch(0.01, 16)
	require.NoError(t, err)
	require.NoError(t, s.Add(time.Nanosecond))
	require.NoError(t, s.Add(time.Hour))
	assert.True(t, s.Collapsed())
	v, _ := s.Quantile(1)
	assert.Equal(t, time.Hour, v, "the highest bins never collapse")
}

func TestSketchMarshal(t *testing.T) {
	var s sketch
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	var e sketch
	require.NoError(t, e.UnmarshalBinary(b))
	for _, d := range []time.Duration{0, 5 * time.Second, 5 * time.Second, 3 * time.Hour, 40 * 24 * time.Hour} {
		require.NoError(t, s.Add(d))
	}
	b, err = s.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, e.UnmarshalBinary(b))
	for _, q := range propQuantiles {
		v1, _ := s.Quantile(q)
		v2, _ := e.Quantile(q)
		assert.Equal(t, v1, v2)
	}
	b2, _ := e.MarshalBinary()
	assert.Equal(t, b, b2)
	for i := range b {
		require.ErrorIs(t, new(sketch).UnmarshalBinary(b[:i]), ErrInvalid, "truncated at %d", i)
	}
	// The max must sit in the highest bin.
	var bad sketch
	require.NoError(t, bad.Add(time.Second))
	bad.max = time.Hour
	bb, _ := bad.MarshalBinary()
	require.ErrorIs(t, new(sketch).UnmarshalBinary(bb), ErrInvalid)
}

func TestSketchMergeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(durationGen(), 1, 200).Draw(t, "xs")
		k := rapid.IntRange(0, len(xs)).Draw(t, "split")
		var whole, a, b sketch
		for i, x := range xs {
			require.NoError(t, whole.Add(x))
			if i < k {
				require.NoError(t, a.Add(x))
			} else {
				require.NoError(t, b.Add(x))
			}
		}
		require.NoError(t, a.Merge(&b))
		ex := mustDurations(t, xs, DurationsSettings{})
		for _, q := range propQuantiles {
			vw, err := whole.Quantile(q)
			require.NoError(t, err)
			vm, err := a.Quantile(q)
			require.NoError(t, err)
			require.Equal(t, vw, vm, "merged sketches hold the same bins")
			x, _ := ex.Quantile(q)
			withinGuarantee(t, DefaultRelativeAccuracy, q, x, vm)
		}
	})
}

func FuzzSketchUnmarshal(f *testing.F) {
	var s sketch
	b, _ := s.MarshalBinary()
	f.Add(b)
	for _, d := range []time.Duration{0, time.Millisecond, time.Minute, 50 * time.Hour} {
		_ = s.Add(d)
	}
	b, _ = s.MarshalBinary()
	f.Add(b)
	f.Add([]byte{tagSketch, wireVersion, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s sketch
		if err := s.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if s.Count() > 0 {
			lo, _ := s.Min()
			hi, _ := s.Max()
			for _, q := range []float64{0, 0.5, 1} {
				v, err := s.Quantile(q)
				if err != nil || v < lo || v > hi {
					t.Fatalf("q=%v: %v %v outside [%v, %v]", q, v, err, lo, hi)
				}
			}
		}
		b, _ := s.MarshalBinary()
		if err := new(sketch).UnmarshalBinary(b); err != nil {
			t.Fatalf("re-encoding rejected: %v", err)
		}
	})
}
