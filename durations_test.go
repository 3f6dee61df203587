package chatkpi

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func durSecs(xs ...float64) []time.Duration {
	out := make([]time.Duration, len(xs))
	for i, x := range xs {
		out[i] = time.Duration(x * float64(time.Second))
	}
	return out
}

func mustDurations(t require.TestingT, xs []time.Duration, s DurationsSettings) *Durations {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	d, err := NewDurations(s)
	require.NoError(t, err)
	for _, x := range xs {
		require.NoError(t, d.Add(x))
	}
	return d
}

// Expected values from Python's statistics.quantiles(method="inclusive"),
// which is R type 7 / numpy's default.
func TestDurationsExactKnownAnswers(t *testing.T) {
	tests := []struct {
		name   string
		xs     []time.Duration
		q      []float64
		want   []float64 // seconds
		mean   float64
		stderr float64
	}{
		{"1..10", durSecs(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), []float64{0.25, 0.3, 0.4, 0.5, 0.9, 0.95, 0.99},
			[]float64{3.25, 3.7, 4.6, 5.5, 9.1, 9.55, 9.91}, 5.5, 0.9574271077563381},
		{"five", durSecs(50, 15, 35, 20, 40), []float64{0.25, 0.3, 0.4, 0.5, 0.9, 0.95, 0.99, 1},
			[]float64{20, 23, 29, 35, 46, 48, 49.6, 50}, 32, 6.442049363362562},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s DurationsSettings
			copy(s.Quantiles[:], tt.q)
			d := mustDurations(t, tt.xs, s)
			r, err := d.Result()
			require.NoError(t, err)
			require.Len(t, r.Quantiles, len(tt.q))
			for i, q := range r.Quantiles {
				assert.Equal(t, tt.q[i], q.Q)
				assert.InDelta(t, tt.want[i], q.Value.Seconds(), 1e-9, "q=%v", q.Q)
			}
			assert.InDelta(t, tt.mean, r.Mean.Seconds(), 1e-9)
			assert.True(t, r.HasStdErr)
			assert.InDelta(t, tt.stderr, r.StdErr.Seconds(), 1e-9)
			assert.Equal(t, int64(len(tt.xs)), r.Count)
			assert.False(t, r.Streaming)
		})
	}
}

func TestDurationsDefaultsAndSingle(t *testing.T) {
	var d Durations // zero value
	_, err := d.Result()
	require.ErrorIs(t, err, ErrNoData)
	_, err = d.mean()
	require.ErrorIs(t, err, ErrNoData)
	require.NoError(t, d.Add(90*time.Minute))
	r, err := d.Result()
	require.NoError(t, err)
	assert.False(t, r.HasStdErr, "one value has no sample standard deviation")
	_, err = d.stdErr()
	require.ErrorIs(t, err, ErrNoData)
	require.Equal(t, []Percentile{{0.5, 90 * time.Minute}, {0.9, 90 * time.Minute}, {0.95, 90 * time.Minute}, {0.99, 90 * time.Minute}}, r.Quantiles)
	// The default buckets: 30 s, 1 m, 5 m, 15 m, 1 h, 4 h, 24 h; 90 min in 1–4 h.
	require.Len(t, r.Histogram, 8)
	assert.Equal(t, DurationBucket{Low: 0, High: 30 * time.Second, Count: 0}, r.Histogram[0])
	assert.Equal(t, DurationBucket{Low: time.Hour, High: 4 * time.Hour, Count: 1}, r.Histogram[5])
	assert.Equal(t, DurationBucket{Low: 24 * time.Hour, High: 0, Count: 0}, r.Histogram[7])
}

func TestDurationsHistogramBoundariesGoUp(t *testing.T) {
	xs := []time.Duration{0, 30*time.Second - 1, 30 * time.Second, time.Minute, 5*time.Minute - 1, 15 * time.Minute,
		time.Hour - 1, time.Hour, 4 * time.Hour, 24*time.Hour - 1, 24 * time.Hour, 100 * time.Hour}
	for _, opt := range []DurationsSettings{{Quantiles: [8]float64{0.5}}, {Streaming: true}} {
		d := mustDurations(t, xs, opt)
		r, err := d.Result()
		require.NoError(t, err)
		got := make([]int64, len(r.Histogram))
		for i, b := range r.Histogram {
			got[i] = b.Count
		}
		// 0–30s: 0, 30s−1ns; 30s–1m: 30s (a bound goes up); 1–5m: 1m,
		// 5m−1ns; 5–15m: none; 15–60m: 15m, 1h−1ns; 1–4h: 1h; 4–24h: 4h,
		// 24h−1ns; 24h+: 24h, 100h.
		assert.Equal(t, []int64{2, 1, 2, 0, 2, 1, 2, 2}, got)
	}
	d := mustDurations(t, durSecs(1, 2, 3), DurationsSettings{Buckets: [8]time.Duration{2 * time.Second}})
	r, err := d.Result()
	require.NoError(t, err)
	assert.Equal(t, []DurationBucket{{0, 2 * time.Second, 1}, {2 * time.Second, 0, 2}}, r.Histogram)
}

func TestDurationsSLA(t *testing.T) {
	xs := durSecs(30, 59, 60, 61, 120)
	d := mustDurations(t, xs, DurationsSettings{SLA: [8]time.Duration{time.Minute}})
	p, err := d.Within(time.Minute)
	require.NoError(t, err)
	assert.Equal(t, Proportion{Successes: 3, Trials: 5}, p, "exactly on the target is within")
	p, err = d.Within(61 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, Proportion{Successes: 4, Trials: 5}, p, "exact mode answers any target")
	p, err = d.Within(29 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, Proportion{Successes: 0, Trials: 5}, p)

	s := mustDurations(t, xs, DurationsSettings{Streaming: true, SLA: [8]time.Duration{time.Minute}})
	r, err := s.Result()
	require.NoError(t, err)
	assert.Equal(t, []SLAAttainment{{time.Minute, Proportion{3, 5}}}, r.SLA)
	_, err = s.Within(2 * time.Minute)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestDurationsErrors(t *testing.T) {
	var d Durations
	err := d.Add(-time.Second)
	require.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, int64(0), d.size(), "a negative duration is rejected, not clamped")
	_, err = d.Quantile(1.5)
	require.ErrorIs(t, err, ErrInvalid)
	for _, opt := range []DurationsSettings{{Quantiles: [8]float64{-0.1}}, {Quantiles: [8]float64{math.NaN()}},
		{Quantiles: [8]float64{1.5}}, {Quantiles: [8]float64{0, 0.5}}, {Buckets: [8]time.Duration{time.Hour, time.Hour}},
		{Buckets: [8]time.Duration{-1}}, {SLA: [8]time.Duration{-1}}, {Streaming: true, RelativeAccuracy: 0.9},
		{Streaming: true, MaxBins: 3}, {RelativeAccuracy: 0.01}, {MaxBins: 2048}} {
		_, err := NewDurations(opt)
		require.ErrorIs(t, err, ErrInvalid)
	}
	s := mustDurations(t, durSecs(1), DurationsSettings{Streaming: true})
	require.ErrorIs(t, d.Merge(s), ErrIncompatible)
	require.ErrorIs(t, s.Merge(&d), ErrIncompatible)
	s2 := mustDurations(t, durSecs(1), DurationsSettings{Streaming: true, RelativeAccuracy: 0.02})
	require.ErrorIs(t, s.Merge(s2), ErrIncompatible)
	b := mustDurations(t, durSecs(1), DurationsSettings{Buckets: [8]time.Duration{time.Minute}})
	require.ErrorIs(t, d.Merge(b), ErrIncompatible)
}

// A million durations of days overflow an int64 sum of nanoseconds; the
// 128-bit sum keeps the mean exact.
func TestDurationsMeanDoesNotOverflow(t *testing.T) {
	var d Durations
	big := time.Duration(math.MaxInt64 - 1)
	for range 4 {
		require.NoError(t, d.Add(big))
	}
	require.NoError(t, d.Add(big-4))
	m, err := d.mean()
	require.NoError(t, err)
	// (5·big − 4)/5 = big − 0.8, rounded to big − 1.
	assert.Equal(t, big-1, m)

	var e Durations
	require.NoError(t, e.Add(1))
	require.NoError(t, e.Add(2))
	m, _ = e.mean()
	assert.Equal(t, time.Duration(2), m, "1.5 ns rounds half away from zero")
}

func TestDurationsMarshalRoundTrip(t *testing.T) {
	for _, opts := range []DurationsSettings{{}, {Streaming: true, SLA: [8]time.Duration{time.Minute}}, {Quantiles: [8]float64{0.1}, Buckets: [8]time.Duration{time.Second}}} {
		d := mustDurations(t, durSecs(3, 1, 2, 7200, 0), opts)
		b, err := d.MarshalBinary()
		require.NoError(t, err)
		var e Durations
		require.NoError(t, e.UnmarshalBinary(b))
		r1, err := d.Result()
		require.NoError(t, err)
		r2, err := e.Result()
		require.NoError(t, err)
		assert.Equal(t, r1, r2)
		b2, _ := e.MarshalBinary()
		assert.Equal(t, b, b2)
		// Every truncation is rejected.
		for i := range b {
			require.ErrorIs(t, new(Durations).UnmarshalBinary(b[:i]), ErrInvalid)
		}
	}
	var empty Durations
	b, _ := empty.MarshalBinary()
	require.NoError(t, new(Durations).UnmarshalBinary(b))
}

func TestDurationsDecoderRejectsTampering(t *testing.T) {
	d := mustDurations(t, durSecs(1, 2, 3), DurationsSettings{})
	b, _ := d.MarshalBinary()
	bad := append([]byte(nil), b...)
	bad[len(bad)-1]++ // last value delta no longer matches the max
	require.ErrorIs(t, new(Durations).UnmarshalBinary(bad), ErrInvalid)
	require.ErrorIs(t, new(Durations).UnmarshalBinary(append(b, 0)), ErrInvalid)
	b[0] = tagSketch
	require.ErrorIs(t, new(Durations).UnmarshalBinary(b), ErrInvalid)
}

// durationGen draws durations like chat timings: zeros, seconds, hours, days.
func durationGen() *rapid.Generator[time.Duration] {
	return rapid.Custom(func(t *rapid.T) time.Duration {
		switch rapid.IntRange(0, 5).Draw(t, "kind") {
		case 0:
			return 0
		case 1:
			return time.Duration(rapid.Int64Range(1, 1000).Draw(t, "ns"))
		case 2:
			return time.Duration(rapid.Int64Range(0, int64(60*24*time.Hour)).Draw(t, "long"))
		default:
			return time.Duration(rapid.Int64Range(int64(time.Second), int64(2*time.Hour)).Draw(t, "secs"))
		}
	})
}

// withinGuarantee checks |v − x| ≤ α·x, allowing 2 ns for rounding both
// values to the nanosecond.
func withinGuarantee(t interface{ Fatalf(string, ...any) }, alpha float64, q float64, exact, approx time.Duration) {
	if diff := math.Abs(float64(approx - exact)); diff > alpha*float64(exact)+2 {
		t.Fatalf("q=%v: streaming %v vs exact %v: error %v > α·x = %v", q, approx, exact, time.Duration(diff), time.Duration(alpha*float64(exact)))
	}
}

var propQuantiles = []float64{0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1}

func TestDurationsStreamingWithinGuaranteeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(durationGen(), 1, 300).Draw(t, "xs")
		alpha := rapid.SampledFrom([]float64{0.01, 0.05, 0.001}).Draw(t, "alpha")
		ex := mustDurations(t, xs, DurationsSettings{})
		st := mustDurations(t, xs, DurationsSettings{Streaming: true, RelativeAccuracy: alpha, MaxBins: maxSketchBins})
		require.False(t, st.sketch.Collapsed())
		for _, q := range propQuantiles {
			x, err := ex.Quantile(q)
			require.NoError(t, err)
			v, err := st.Quantile(q)
			require.NoError(t, err)
			withinGuarantee(t, alpha, q, x, v)
		}
		re, _ := ex.Result()
		rs, _ := st.Result()
		require.Equal(t, re.Count, rs.Count)
		require.Equal(t, re.Mean, rs.Mean, "the mean is exact in both modes")
		require.Equal(t, re.Min, rs.Min)
		require.Equal(t, re.Max, rs.Max)
		require.Equal(t, re.Histogram, rs.Histogram)
		if re.HasStdErr {
			require.InDelta(t, re.StdErr.Seconds(), rs.StdErr.Seconds(), 1e-6*re.StdErr.Seconds()+1e-6)
		}
	})
}

func TestDurationsMergeOfSplitEqualsWholeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(durationGen(), 0, 200).Draw(t, "xs")
		k := rapid.IntRange(0, len(xs)).Draw(t, "split")
		streaming := rapid.Bool().Draw(t, "streaming")
		opts := DurationsSettings{SLA: [8]time.Duration{time.Minute}, Streaming: streaming}
		whole := mustDurations(t, xs, opts)
		a := mustDurations(t, xs[:k], opts)
		b := mustDurations(t, xs[k:], opts)
		require.NoError(t, a.Merge(b))
		rw, errW := whole.Result()
		ra, errA := a.Result()
		if len(xs) == 0 {
			require.ErrorIs(t, errW, ErrNoData)
			require.ErrorIs(t, errA, ErrNoData)
			return
		}
		require.NoError(t, errW)
		require.NoError(t, errA)
		if !streaming {
			require.Equal(t, rw, ra, "exact mode merges exactly")
			return
		}
		// Streaming: the same bins, so the same quantiles; the running
		// variance may differ in the last bits.
		require.Equal(t, rw.Quantiles, ra.Quantiles)
		require.Equal(t, rw.Mean, ra.Mean)
		require.Equal(t, rw.Histogram, ra.Histogram)
		require.Equal(t, rw.SLA, ra.SLA)
		require.InDelta(t, rw.StdErr.Seconds(), ra.StdErr.Seconds(), 1e-6*rw.StdErr.Seconds()+1e-6)
	})
}

func TestDurationsPermutationInvariantProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(durationGen(), 1, 100).Draw(t, "xs")
		ys := rapid.Permutation(xs).Draw(t, "ys")
		for _, opts := range []DurationsSettings{{}, {Streaming: true}} {
			a, b := mustDurations(t, xs, opts), mustDurations(t, ys, opts)
			ra, _ := a.Result()
			rb, _ := b.Result()
			if a.streaming() {
				// Welford's running variance depends on the order in its last bits.
				require.InDelta(t, ra.StdErr.Seconds(), rb.StdErr.Seconds(), 1e-6*ra.StdErr.Seconds()+1e-6)
				ra.StdErr, rb.StdErr = 0, 0
			}
			require.Equal(t, ra, rb)
		}
	})
}

func TestDurationsMarshalProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(durationGen(), 0, 100).Draw(t, "xs")
		opts := DurationsSettings{Streaming: rapid.Bool().Draw(t, "streaming")}
		d := mustDurations(t, xs, opts)
		b, err := d.MarshalBinary()
		require.NoError(t, err)
		var e Durations
		require.NoError(t, e.UnmarshalBinary(b))
		r1, err1 := d.Result()
		r2, err2 := e.Result()
		require.Equal(t, err1, err2)
		require.Equal(t, r1, r2)
		// Decoded state keeps accumulating like the original.
		require.NoError(t, d.Add(time.Second))
		require.NoError(t, e.Add(time.Second))
		r1, _ = d.Result()
		r2, _ = e.Result()
		require.Equal(t, r1, r2)
	})
}

func FuzzDurationsUnmarshal(f *testing.F) {
	for _, opts := range []DurationsSettings{{}, {Streaming: true}, {SLA: [8]time.Duration{time.Minute}, Buckets: [8]time.Duration{time.Second}}} {
		d := mustDurations(f, durSecs(1, 0, 3600, 0.5), opts)
		b, _ := d.MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte{tagDurations, wireVersion})
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Durations
		if err := d.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		// Accepted state must be usable and re-encode to the same bytes.
		_, _ = d.Result()
		b, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var e Durations
		if err := e.UnmarshalBinary(b); err != nil {
			t.Fatalf("re-encoding of accepted state rejected: %v", err)
		}
	})
}

func TestDefaultDurationBucketOfMatchesBounds(t *testing.T) {
	for _, x := range []time.Duration{0, 30*time.Second - 1, 30 * time.Second, time.Minute - 1, time.Minute, 5*time.Minute - 1, 5 * time.Minute,
		15*time.Minute - 1, 15 * time.Minute, time.Hour - 1, time.Hour, 4*time.Hour - 1, 4 * time.Hour, 24*time.Hour - 1, 24 * time.Hour, 1 << 62} {
		if got, want := defaultDurationBucketOf(x), durationBucketOf(defaultDurationBounds(), x); got != want {
			t.Errorf("bucket of %v: %d, want %d", x, got, want)
		}
	}
}

// The standard error comes from exact integer sums, so it does not depend on
// how the durations were split and merged, even where floating-point
// running variances round differently: values 2 s and 2 s + 3 ns have
// s² = 4.5 ns², SE = √(4.5/2) = 1.5 ns, rounded half away from zero to 2 ns.
func TestDurationsStdErrExactUnderMerge(t *testing.T) {
	for _, streaming := range []bool{false, true} {
		opts := DurationsSettings{Streaming: streaming}
		whole, err := NewDurations(opts)
		require.NoError(t, err)
		a, err := NewDurations(opts)
		require.NoError(t, err)
		b, err := NewDurations(opts)
		require.NoError(t, err)
		x, y := 2*time.Second, 2*time.Second+3
		require.NoError(t, whole.Add(x))
		require.NoError(t, whole.Add(y))
		require.NoError(t, a.Add(x))
		require.NoError(t, b.Add(y))
		require.NoError(t, a.Merge(b))
		for _, d := range []*Durations{whole, a} {
			se, err := d.stdErr()
			require.NoError(t, err)
			require.Equal(t, 2*time.Nanosecond, se, "streaming %v", streaming)
		}
		// And across the binary encoding.
		enc, err := a.MarshalBinary()
		require.NoError(t, err)
		back, err := NewDurations(opts)
		require.NoError(t, err)
		require.NoError(t, back.UnmarshalBinary(enc))
		se, err := back.stdErr()
		require.NoError(t, err)
		require.Equal(t, 2*time.Nanosecond, se)
	}
}

// TestDurationsExactPercentilesAreExact: the rank h = q(n−1) and the
// interpolation are exact, with q read as the decimal it prints as, and the
// result is rounded once to the nanosecond, half away from zero (issue 10).
func TestDurationsExactPercentilesAreExact(t *testing.T) {
	const maxD = time.Duration(math.MaxInt64)
	twelveZeros := append(make([]time.Duration, 12), 374250*time.Second)
	tests := []struct {
		name string
		xs   []time.Duration
		q    float64
		want time.Duration
	}{
		// h = 0.95 × 12 = 11.4: 0.4 × 374,250 s (float64 gives 1 ns less).
		{"p95 of twelve zeros and 374,250 s", twelveZeros, 0.95, 149700 * time.Second},
		{"p50 of 1 ns and 2 ns rounds half away from zero", []time.Duration{1, 2}, 0.5, 2},
		{"p50 of 1 ns and 4 ns: 2.5 ns rounds up", []time.Duration{1, 4}, 0.5, 3},
		{"p10 of 0 and 4 ns: 0.4 ns rounds down", []time.Duration{0, 4}, 0.1, 0},
		// 0.3 × (2⁶³ − 1) = 2,767,011,611,056,432,742.1 ns: beyond float64.
		{"p30 of 0 and the largest duration", []time.Duration{0, maxD}, 0.3, 2767011611056432742},
		// 0.999 × (2⁶³ − 1) = 9,214,148,664,817,921,031.193 ns.
		{"p99.9 of 0 and the largest duration", []time.Duration{0, maxD}, 0.999, 9214148664817921031},
		// h = 0.29 × 100 = 29 exactly (float64: 28.999999999999996).
		{"p29 of 0..100 ns is rank 29", nsRange(101), 0.29, 29},
		// q with 20 decimal places: the rank needs more than 64 bits.
		// 9·10¹⁸ ns × 0.00012345678901234567 = 1,111,111,101,111,111.03 ns.
		{"a quantile of 20 decimal places", []time.Duration{0, 9e18}, 0.00012345678901234567, 1111111101111111},
		{"q = 1 is the maximum", []time.Duration{3, 5, 7}, 1, 7},
		{"q = 0 is the minimum", []time.Duration{3, 5, 7}, 0, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDurations(t, tc.xs, quantileSettings(tc.q))
			got, err := d.Quantile(tc.q)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "Quantile")
			if tc.q == 0 { // not a setting: the minimum is reported apart
				return
			}
			r, err := d.Result()
			require.NoError(t, err)
			assert.Equal(t, tc.want, r.Quantiles[0].Value, "Result")
		})
	}
}

// quantileSettings reports the non-zero quantiles of qs, in order.
func quantileSettings(qs ...float64) DurationsSettings {
	var s DurationsSettings
	i := 0
	for _, q := range qs {
		if q > 0 {
			s.Quantiles[i] = q
			i++
		}
	}
	return s
}

func nsRange(n int) []time.Duration {
	xs := make([]time.Duration, n)
	for i := range xs {
		xs[i] = time.Duration(i)
	}
	return xs
}

// TestDurationsExactPercentileOracleProperty compares every exact
// percentile, by sorting and by selection, with R type 7 computed in
// rational arithmetic from the decimal of q.
func TestDurationsExactPercentileOracleProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(rapid.OneOf(
			rapid.Int64Range(0, 1e12),
			rapid.Int64Range(0, math.MaxInt64),
		), 1, 200).Draw(t, "ns")
		qs := rapid.SliceOfN(rapid.OneOf(
			rapid.Custom(func(t *rapid.T) float64 { return float64(rapid.IntRange(0, 1000).Draw(t, "permille")) / 1000 }),
			rapid.Custom(func(t *rapid.T) float64 { return float64(rapid.IntRange(0, 1e6).Draw(t, "ppm")) / 1e6 }),
			rapid.Float64Range(0, 1),
		), 1, 6).Draw(t, "qs")
		ds := make([]time.Duration, len(xs))
		for i, x := range xs {
			ds[i] = time.Duration(x)
		}
		d := mustDurations(t, ds, quantileSettings(qs...))
		r, err := d.Result() // selects the ranks with 64 values or more
		if err != nil {
			t.Fatal(err)
		}
		sorted := slices.Clone(ds)
		slices.Sort(sorted)
		i := 0
		for _, q := range qs {
			want := oracleQuantile(sorted, q)
			if q > 0 { // 0 is not a setting (the minimum is reported apart)
				if r.Quantiles[i].Value != want {
					t.Fatalf("Result q=%v: %v, oracle %v", q, r.Quantiles[i].Value, want)
				}
				i++
			}
			if got, _ := d.Quantile(q); got != want {
				t.Fatalf("Quantile q=%v: %v, oracle %v", q, got, want)
			}
		}
	})
}

// oracleQuantile is R type 7 in big.Rat: h = q(n−1) with q the shortest
// decimal of the float64, x = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎),
// rounded half away from zero.
func oracleQuantile(sorted []time.Duration, q float64) time.Duration {
	qr, ok := new(big.Rat).SetString(strconv.FormatFloat(q, 'g', -1, 64))
	if !ok {
		panic(q)
	}
	h := new(big.Rat).Mul(qr, new(big.Rat).SetInt64(int64(len(sorted)-1)))
	lo := new(big.Int).Quo(h.Num(), h.Denom()).Int64()
	if int(lo) >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := new(big.Rat).Sub(h, new(big.Rat).SetInt64(lo))
	x := new(big.Rat).Mul(f, new(big.Rat).SetInt64(int64(sorted[lo+1]-sorted[lo])))
	x.Add(x, new(big.Rat).SetFrac64(1, 2)) // non-negative: half away from zero is half up
	v := new(big.Int).Quo(x.Num(), x.Denom())
	return sorted[lo] + time.Duration(v.Int64())
}

func TestQuantileSortedDoesNotAllocate(t *testing.T) {
	xs := nsRange(1000)
	allocs := testing.AllocsPerRun(100, func() { _ = quantileSorted(xs, 0.95) })
	assert.Zero(t, allocs)
}

// FuzzExactQuantile compares the exact percentile with the rational
// oracle for any quantile in [0, 1] and any sorted durations.
func FuzzExactQuantile(f *testing.F) {
	f.Add(0.95, int64(0), int64(374250e9), uint8(13))
	f.Add(0.00012345678901234567, int64(0), int64(9e18), uint8(2))
	f.Add(0.3, int64(0), int64(math.MaxInt64), uint8(2))
	f.Fuzz(func(t *testing.T, q float64, lo, hi int64, n uint8) {
		if !(q >= 0 && q <= 1) || n == 0 {
			return
		}
		lo, hi = abs64(lo), abs64(hi)
		if lo > hi {
			lo, hi = hi, lo
		}
		// n values: lo repeated, then hi, spread by a fixed step.
		xs := make([]time.Duration, n)
		step := (hi - lo) / int64(n)
		for i := range xs {
			xs[i] = time.Duration(lo + int64(i)*step)
		}
		xs[len(xs)-1] = time.Duration(hi)
		if got, want := quantileSorted(xs, q), oracleQuantile(xs, q); got != want {
			t.Fatalf("q=%v n=%d: %v, oracle %v", q, n, got, want)
		}
	})
}
