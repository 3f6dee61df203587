package chatkpi

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestCompareProportionsPublished(t *testing.T) {
	// Agresti, An Introduction to Categorical Data Analysis (Physicians'
	// Health Study, aspirin and myocardial infarction): placebo 189 of 11,034,
	// aspirin 104 of 11,037; difference 0.0171 − 0.0094 = 0.0077, standard
	// error 0.0015, 95 % interval (0.005, 0.011) with the unpooled SE.
	c, err := CompareProportions(Proportion{189, 11034}, Proportion{104, 11037})
	require.NoError(t, err)
	assert.InDelta(t, 0.0077, c.Difference, 0.00005)
	assert.InDelta(t, 0.005, c.Interval.Low, 0.0005)
	assert.InDelta(t, 0.011, c.Interval.High, 0.0005)
	// Cross-checked in python3 (math only): d = 0.0077060239760047815,
	// unpooled interval (0.004687750675049439, 0.010724297276960124), pooled
	// z = 5.001388204008378, p = 5.691896973740857e-07.
	assert.InDelta(t, 0.0077060239760047815, c.Difference, 1e-15)
	assert.InDelta(t, 0.004687750675049439, c.Interval.Low, 1e-12)
	assert.InDelta(t, 0.010724297276960124, c.Interval.High, 1e-12)
	assert.InDelta(t, 5.001388204008378, c.Z, 1e-9)
	assert.InDelta(t, 5.691896973740857e-07, c.P, 1e-15)

	// Illowsky & Dean, Collaborative Statistics / OpenStax Introductory
	// Statistics, "Comparing Two Independent Population Proportions"
	// (cnx.org/content/m17043): medication A, 20 of 200 still had hives;
	// medication B, 12 of 200; pooled proportion 0.08; two-tailed
	// p-value = 0.1404. python3 (math only): z = 1.4744195615489717,
	// p = 0.14036866077167318.
	c, err = CompareProportions(Proportion{20, 200}, Proportion{12, 200})
	require.NoError(t, err)
	assert.InDelta(t, 0.04, c.Difference, 1e-15)
	assert.Equal(t, "0.1404", FormatFloat(c.P, 4))
	assert.InDelta(t, 1.4744195615489717, c.Z, 1e-12)
	assert.InDelta(t, 0.14036866077167318, c.P, 1e-12)
}

func TestCompareProportionsEdges(t *testing.T) {
	c, err := CompareProportions(Proportion{0, 10}, Proportion{0, 20})
	require.NoError(t, err)
	assert.Equal(t, Comparison{Difference: 0, Interval: Interval{0, 0}, Z: 0, P: 1}, c)

	c, err = CompareProportions(Proportion{5, 5}, Proportion{7, 7})
	require.NoError(t, err)
	assert.Equal(t, 0.0, c.Z)
	assert.Equal(t, 1.0, c.P)

	// All successes vs all failures: the unpooled SE is 0 but the pooled one
	// is not, so the test is defined.
	c, err = CompareProportions(Proportion{10, 10}, Proportion{0, 10})
	require.NoError(t, err)
	assert.Equal(t, 1.0, c.Difference)
	assert.Equal(t, Interval{1, 1}, c.Interval)
	assert.InDelta(t, 10/math.Sqrt(0.25*0.2)/10, c.Z, 1e-12) // 1/√(0.5·0.5·0.2) = 4.4721
	assert.Less(t, c.P, 1e-5)

	_, err = CompareProportions(Proportion{}, Proportion{1, 2})
	assert.ErrorIs(t, err, ErrNoData)
	_, err = CompareProportions(Proportion{1, 2}, Proportion{})
	assert.ErrorIs(t, err, ErrNoData)
	_, err = CompareProportions(Proportion{3, 2}, Proportion{1, 2})
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestCompareNPS(t *testing.T) {
	// A: 60 promoters, 30 passives, 10 detractors: NPS 50; variance
	// 0.7 − 0.25 = 0.45, SE = 100 × √(0.45/100) = 6.7082.
	// B: 4 promoters, 6 passives, 10 detractors: NPS −30; variance
	// 0.7 − 0.09 = 0.61, SE = 100 × √(0.61/20) = 17.4642.
	a := NPSCounts{Promoters: 60, Passives: 30, Detractors: 10}
	b := NPSCounts{Promoters: 4, Passives: 6, Detractors: 10}
	c, err := CompareNPS(a, b)
	require.NoError(t, err)
	se := math.Sqrt(100*100*0.45/100 + 100*100*0.61/20)
	assert.InDelta(t, 80, c.Difference, 1e-9)
	assert.InDelta(t, 18.708287, se, 1e-6) // √(45 + 305) = √350
	assert.InDelta(t, 80/se, c.Z, 1e-9)
	assert.InDelta(t, 80-Z95*se, c.Interval.Low, 1e-9)
	assert.InDelta(t, 80+Z95*se, c.Interval.High, 1e-9)
	assert.InDelta(t, math.Erfc(80/se/math.Sqrt2), c.P, 1e-15)

	c, err = CompareNPS(a, a)
	require.NoError(t, err)
	assert.Equal(t, 0.0, c.Z)
	assert.Equal(t, 1.0, c.P)

	// Zero variance: all promoters vs all promoters is identical; all
	// promoters vs all detractors is undefined for a normal test.
	c, err = CompareNPS(NPSCounts{Promoters: 3}, NPSCounts{Promoters: 9})
	require.NoError(t, err)
	assert.Equal(t, 1.0, c.P)
	_, err = CompareNPS(NPSCounts{Promoters: 3}, NPSCounts{Detractors: 9})
	assert.ErrorIs(t, err, ErrUndefined)

	_, err = CompareNPS(NPSCounts{}, a)
	assert.ErrorIs(t, err, ErrNoData)
	_, err = CompareNPS(a, NPSCounts{Passives: -1})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = CompareNPS(a, NPSCounts{Passives: math.MaxInt64, Promoters: 1})
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestCompareDurationsPublished(t *testing.T) {
	// SciPy's documentation of scipy.stats.mannwhitneyu (the example from
	// Conover, Practical Nonparametric Statistics): males 19, 22, 16, 29, 24
	// vs females 20, 11, 17, 12; U = 17 and, with method="asymptotic" (normal
	// approximation, tie and continuity corrections), p = 0.11134688653314041.
	// python3 (math only) gives z = 1.5921683328090657.
	c, err := CompareDurations(durSecs(19, 22, 16, 29, 24), durSecs(20, 11, 17, 12))
	require.NoError(t, err)
	assert.Equal(t, 17.0, c.U)
	assert.InDelta(t, 1.5921683328090657, c.Z, 1e-12)
	assert.InDelta(t, 0.11134688653314041, c.P, 1e-12)
	assert.Equal(t, 22*time.Second, c.MedianA)
	assert.Equal(t, 14500*time.Millisecond, c.MedianB)
	assert.InDelta(t, 17.0/20, c.Superiority, 1e-15)

	// Wikipedia, "Mann–Whitney U test", the tortoise and hare example:
	// finishing order T H H H H H T T T T T H, so tortoises have ranks 1,
	// 7–11 and hares 2–6, 12; U of the tortoises is 25 and of the hares 11
	// (ranks stand in for finishing times here).
	c, err = CompareDurations(durSecs(1, 7, 8, 9, 10, 11), durSecs(2, 3, 4, 5, 6, 12))
	require.NoError(t, err)
	assert.Equal(t, 25.0, c.U)
	assert.InDelta(t, 1.0408329997330663, c.Z, 1e-12) // python3
	assert.InDelta(t, 0.2979530616081678, c.P, 1e-12)
}

func TestCompareDurationsTies(t *testing.T) {
	// Hand count with ties. A = 1, 2, 2, 3; B = 2, 3, 3, 4, 5.
	// Merged: 1 | 2 2 2 | 3 3 3 | 4 | 5 → mid-ranks 1, 3, 3, 3, 6, 6, 6, 8, 9.
	// Rank sum of A = 1 + 3 + 3 + 6 = 13, U = 13 − 4·5/2 = 3.
	// Pair count: 1 beats none; each 2 ties one 2 (0.5); 3 beats 2 and ties
	// two 3s (1 + 1) → 0.5 + 0.5 + 2 = 3. ✓.
	// μ = 10, ties t = 3, 3: Σ(t³ − t) = 48, N = 9:
	// σ² = 20/12 × (10 − 48/72) = 15.5556, z = −(7 − 0.5)/3.944053 = −1.648050.
	c, err := CompareDurations(durSecs(1, 2, 2, 3), durSecs(2, 3, 3, 4, 5))
	require.NoError(t, err)
	assert.Equal(t, 3.0, c.U)
	sigma := math.Sqrt(20.0 / 12 * (10 - 48.0/72))
	assert.InDelta(t, 3.944053, sigma, 1e-6)
	assert.InDelta(t, -6.5/sigma, c.Z, 1e-12)
	assert.InDelta(t, -1.648050, c.Z, 1e-6)
	assert.InDelta(t, math.Erfc(6.5/sigma/math.Sqrt2), c.P, 1e-15)

	// Every value tied: no variance, no evidence.
	c, err = CompareDurations(durSecs(5, 5), durSecs(5, 5, 5))
	require.NoError(t, err)
	assert.Equal(t, 3.0, c.U)
	assert.Equal(t, 0.0, c.Z)
	assert.Equal(t, 1.0, c.P)

	_, err = CompareDurations(nil, durSecs(1))
	assert.ErrorIs(t, err, ErrNoData)
	_, err = CompareDurations(durSecs(1), nil)
	assert.ErrorIs(t, err, ErrNoData)
	_, err = CompareDurations(durSecs(1), durSecs(-1))
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestCompareProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		na := rapid.Int64Range(1, 1_000_000).Draw(t, "na")
		nb := rapid.Int64Range(1, 1_000_000).Draw(t, "nb")
		a := Proportion{rapid.Int64Range(0, na).Draw(t, "xa"), na}
		b := Proportion{rapid.Int64Range(0, nb).Draw(t, "xb"), nb}
		ab, err := CompareProportions(a, b)
		if err != nil {
			t.Fatal(err)
		}
		ba, err := CompareProportions(b, a)
		if err != nil {
			t.Fatal(err)
		}
		compareCheckSymmetric(t, ab, ba)
		aa, err := CompareProportions(a, a)
		if err != nil {
			t.Fatal(err)
		}
		if aa.P != 1 || aa.Z != 0 {
			t.Fatalf("identical groups: %+v", aa)
		}

		pa := NPSCounts{rapid.Int64Range(0, 1000).Draw(t, "pa"), rapid.Int64Range(0, 1000).Draw(t, "sa"), rapid.Int64Range(0, 1000).Draw(t, "da")}
		pb := NPSCounts{rapid.Int64Range(0, 1000).Draw(t, "pb"), rapid.Int64Range(0, 1000).Draw(t, "sb"), rapid.Int64Range(0, 1000).Draw(t, "db")}
		nab, errAB := CompareNPS(pa, pb)
		nba, errBA := CompareNPS(pb, pa)
		if (errAB == nil) != (errBA == nil) {
			t.Fatalf("asymmetric errors %v, %v", errAB, errBA)
		}
		if errAB == nil {
			compareCheckSymmetric(t, nab, nba)
		} else if !errors.Is(errAB, ErrNoData) && !errors.Is(errAB, ErrUndefined) {
			t.Fatal(errAB)
		}
		if s, err := CompareNPS(pa, pa); err == nil && (s.P != 1 || s.Z != 0) {
			t.Fatalf("identical NPS groups: %+v", s)
		}

		gen := rapid.SliceOfN(rapid.Int64Range(0, 20), 1, 40)
		da := durSecs64(gen.Draw(t, "durA"))
		db := durSecs64(gen.Draw(t, "durB"))
		rab, err := CompareDurations(da, db)
		if err != nil {
			t.Fatal(err)
		}
		rba, err := CompareDurations(db, da)
		if err != nil {
			t.Fatal(err)
		}
		compareCheckP(t, rab.P)
		if rab.P != rba.P || rab.Z != -rba.Z || rab.U+rba.U != float64(len(da)*len(db)) {
			t.Fatalf("not symmetric: %+v vs %+v", rab, rba)
		}
		if rab.U != bruteU(da, db) {
			t.Fatalf("U = %v, pair count %v", rab.U, bruteU(da, db))
		}
		raa, err := CompareDurations(da, da)
		if err != nil {
			t.Fatal(err)
		}
		if raa.P != 1 || raa.Z != 0 {
			t.Fatalf("identical samples: %+v", raa)
		}
	})
}

func durSecs64(xs []int64) []time.Duration {
	out := make([]time.Duration, len(xs))
	for i, x := range xs {
		out[i] = time.Duration(x) * time.Second
	}
	return out
}

// bruteU counts pairs directly, the definition of U, in O(nm).
func bruteU(a, b []time.Duration) float64 {
	u := 0.0
	for _, x := range a {
		for _, y := range b {
			switch {
			case x > y:
				u++
			case x == y:
				u += 0.5
			}
		}
	}
	return u
}

func compareCheckP(t *rapid.T, p float64) {
	if !(p >= 0 && p <= 1) {
		t.Fatalf("p-value %v outside [0, 1]", p)
	}
}

func compareCheckSymmetric(t *rapid.T, ab, ba Comparison) {
	compareCheckP(t, ab.P)
	if ab.P != ba.P || ab.Z != -ba.Z || ab.Difference != -ba.Difference ||
		ab.Interval.Low != -ba.Interval.High || ab.Interval.High != -ba.Interval.Low {
		t.Fatalf("swapping groups: %+v vs %+v", ab, ba)
	}
	if !(ab.Interval.Low <= ab.Difference && ab.Difference <= ab.Interval.High) {
		t.Fatalf("difference outside its interval: %+v", ab)
	}
}

// TestCompareDurationsMedianRoundsLikePercentiles: the median is the 0.5
// percentile of Durations, rounded half away from zero (1.5 ns → 2 ns).
func TestCompareDurationsMedianRoundsLikePercentiles(t *testing.T) {
	c, err := CompareDurations([]time.Duration{1, 2}, []time.Duration{4, 5, 9})
	require.NoError(t, err)
	assert.Equal(t, time.Duration(2), c.MedianA)
	assert.Equal(t, time.Duration(5), c.MedianB)
}
