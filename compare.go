package chatkpi

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Comparison is the side-by-side comparison of a metric in two groups A and
// B (greeting A vs greeting B, agent vs agent, bot vs human): the difference
// A − B with its 95 % confidence interval and a two-sided test of "no
// difference". All tests use the normal approximation; the p-value is
// P(|Z| ≥ |z|) = erfc(|z| / √2) for a standard normal Z, always in [0, 1].
type Comparison struct {
	// Difference is the metric of A minus the metric of B, in the metric's
	// units (a fraction for rates, points for NPS).
	Difference float64
	// Interval is the 95 % confidence interval of Difference.
	Interval Interval
	// Z is the test statistic; positive when A is larger.
	Z float64
	// P is the two-sided p-value.
	P float64
}

// twoSidedNormalP returns erfc(|z|/√2), the probability that a standard normal
// variable is at least |z| away from 0.
func twoSidedNormalP(z float64) float64 {
	p := math.Erfc(math.Abs(z) / math.Sqrt2)
	return math.Min(1, math.Max(0, p))
}

// CompareProportions compares two rates (conversion, CSAT %, containment)
// with the two-proportion z-test. With p̂ₐ = xₐ/nₐ, p̂ᵦ = xᵦ/nᵦ and
// d = p̂ₐ − p̂ᵦ:
//
//   - the test uses the pooled standard error, as the null hypothesis
//     pₐ = pᵦ implies: p̄ = (xₐ + xᵦ)/(nₐ + nᵦ),
//     SE₀ = √(p̄(1 − p̄)(1/nₐ + 1/nᵦ)), z = d / SE₀;
//   - the 95 % interval uses the unpooled (Wald) standard error,
//     SE = √(p̂ₐ(1 − p̂ₐ)/nₐ + p̂ᵦ(1 − p̂ᵦ)/nᵦ), d ± [Z95] × SE, cut to
//     [−1, 1], the range of a difference of fractions.
//
// When p̄ is 0 or 1 both groups are all failures or all successes: d = 0,
// z = 0 and p = 1. The approximation wants about five successes and five
// failures in each group; with fewer, read the p-value as a rough guide. It
// returns [ErrNoData] when a group has no trials and an error wrapping
// [ErrInvalid] for counts that are not a proportion.
func CompareProportions(a, b Proportion) (Comparison, error) {
	fa, err := a.Fraction()
	if err != nil {
		return Comparison{}, fmt.Errorf("group A: %w", err)
	}
	fb, err := b.Fraction()
	if err != nil {
		return Comparison{}, fmt.Errorf("group B: %w", err)
	}
	na, nb := float64(a.Trials), float64(b.Trials)
	d := fa - fb
	se := math.Sqrt(fa*(1-fa)/na + fb*(1-fb)/nb)
	c := Comparison{
		Difference: d,
		Interval:   Interval{Low: math.Max(-1, d-Z95*se), High: math.Min(1, d+Z95*se)},
	}
	pooled := float64(a.Successes+b.Successes) / (na + nb)
	se0 := math.Sqrt(pooled * (1 - pooled) * (1/na + 1/nb))
	if se0 == 0 || d == 0 {
		c.Z, c.P = 0, 1
		return c, nil
	}
	c.Z = d / se0
	c.P = twoSidedNormalP(c.Z)
	return c, nil
}

// NPSCounts are the answers to an NPS survey by category: promoters (9–10),
// passives (7–8) and detractors (0–6).
type NPSCounts struct {
	Promoters, Passives, Detractors int64
}

// npsPoint returns NPS = 100 × (p − d) and its standard error
// 100 × √((p + d − (p − d)²)/n).
func (c NPSCounts) npsPoint() (nps, se float64, err error) {
	if c.Promoters < 0 || c.Passives < 0 || c.Detractors < 0 {
		return 0, 0, invalidf("nps counts", "negative count in %+v", c)
	}
	if c.Promoters > math.MaxInt64-c.Passives || c.Promoters+c.Passives > math.MaxInt64-c.Detractors {
		return 0, 0, invalidf("nps counts", "total of %+v overflows int64", c)
	}
	n := c.Promoters + c.Passives + c.Detractors
	if n == 0 {
		return 0, 0, ErrNoData
	}
	fn := float64(n)
	p, d := float64(c.Promoters)/fn, float64(c.Detractors)/fn
	v := p + d - (p-d)*(p-d)
	if v < 0 { // rounding when p + d is 0 or 1 and p − d is ±1
		v = 0
	}
	return 100 * (p - d), 100 * math.Sqrt(v/fn), nil
}

// CompareNPS compares the NPS of two groups, in points: d = NPSₐ − NPSᵦ with
// SE_d = √(SEₐ² + SEᵦ²), where each SE = 100 × √((p + d − (p − d)²)/n) for
// promoter and detractor fractions p and d of n answers (the per-answer score
// +1/0/−1 has variance p + d − (p − d)²). The interval is d ± [Z95] ×
// SE_d and z = d / SE_d.
//
// When both groups have zero variance (every answer in each group in the same
// category) and the same NPS, z = 0 and p = 1; with different NPS the normal
// test is undefined and the error wraps [ErrUndefined]. It returns
// [ErrNoData] when a group has no answers.
func CompareNPS(a, b NPSCounts) (Comparison, error) {
	na, sa, err := a.npsPoint()
	if err != nil {
		return Comparison{}, fmt.Errorf("group A: %w", err)
	}
	nb, sb, err := b.npsPoint()
	if err != nil {
		return Comparison{}, fmt.Errorf("group B: %w", err)
	}
	d := na - nb
	se := math.Sqrt(sa*sa + sb*sb)
	c := Comparison{Difference: d, Interval: Interval{Low: d - Z95*se, High: d + Z95*se}}
	switch {
	case d == 0:
		c.Z, c.P = 0, 1
	case se == 0:
		return Comparison{}, fmt.Errorf("NPS %.6g vs %.6g with no variance in either group: the z-test is undefined: %w", na, nb, ErrUndefined)
	default:
		c.Z = d / se
		c.P = twoSidedNormalP(c.Z)
	}
	return c, nil
}

// RankComparison is the Mann–Whitney U test of two samples of durations.
type RankComparison struct {
	// U is the Mann–Whitney statistic of A: the number of pairs (a, b) with
	// a > b plus half the pairs with a = b. U of B is nₐnᵦ − U.
	U float64
	// Superiority is U / (nₐnᵦ): the probability that a random duration of A
	// is longer than one of B, counting ties as one half (the "common
	// language effect size"); 0.5 means no tendency either way.
	Superiority float64
	// MedianA and MedianB are the sample medians, the 0.5 percentile as
	// [Durations] computes it: the middle value, or for an even count the
	// mean of the two middle values rounded half away from zero to the
	// nanosecond.
	MedianA, MedianB time.Duration
	// Shift is the Hodges–Lehmann estimate of how much longer the
	// durations of A are than those of B: the median of the nₐnᵦ
	// differences a − b (for an even count the mean of the two middle
	// ones, rounded half away from zero to the nanosecond). It is the
	// difference that goes with the rank test; negative when A is shorter.
	Shift time.Duration
	// ShiftLow and ShiftHigh are the 95 % confidence interval of Shift,
	// the one that inverts the test (Lehmann; Hollander and Wolfe): with
	// N = nₐnᵦ differences sorted, D₍ₖ₎ the k-th and σ the tie-corrected
	// standard deviation of U below,
	//
	//	k = ⌊N/2 − Z95 × σ⌋ (at least 1), interval [D₍ₖ₎, D₍N+1−k₎]
	//
	// (the normal approximation of the critical value). Each order
	// statistic is found exactly by a binary search on the difference
	// with a linear count, in O((nₐ + nᵦ) × 64) time, never forming the N
	// differences.
	ShiftLow, ShiftHigh time.Duration
	// Z is the normal approximation's statistic; positive when A tends to be
	// longer.
	Z float64
	// P is the two-sided p-value.
	P float64
}

// CompareDurations compares two samples of durations (first response times,
// handle times) with the Mann–Whitney U (Wilcoxon rank-sum) test, which does
// not assume any distribution. Ranks are mid-ranks for ties, computed by
// sorting, in O((n + m) log(n + m)) time and O(n + m) memory; the inputs are
// not modified.
//
// The p-value uses the normal approximation with the tie correction and a
// continuity correction of 0.5:
//
//	μ = nm/2, σ² = nm/12 × ((N + 1) − Σ(t³ − t)/(N(N − 1))), N = n + m,
//	z = sign(U − μ) × max(0, |U − μ| − 0.5) / σ
//
// where t runs over the sizes of groups of tied values. It is accurate for
// groups of about ten or more; for smaller groups an exact test is better.
// When every value is the same (σ = 0), z = 0 and p = 1. It returns
// [ErrNoData] when a group is empty and an error wrapping [ErrInvalid] for a
// negative duration.
func CompareDurations(a, b []time.Duration) (RankComparison, error) {
	if len(a) == 0 {
		return RankComparison{}, fmt.Errorf("group A: %w", ErrNoData)
	}
	if len(b) == 0 {
		return RankComparison{}, fmt.Errorf("group B: %w", ErrNoData)
	}
	for i, x := range a {
		if x < 0 {
			return RankComparison{}, invalidf("duration", "group A: duration %d is negative (%s)", i, x)
		}
	}
	for i, x := range b {
		if x < 0 {
			return RankComparison{}, invalidf("duration", "group B: duration %d is negative (%s)", i, x)
		}
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)
	n, m := float64(len(sa)), float64(len(sb))
	N := n + m

	// Walk the merged order by runs of equal values; a run occupying ranks
	// r+1 … r+t has mid-rank r + (t+1)/2 for each of its members.
	var rankSumA, tieSum float64
	i, j, r := 0, 0, 0
	for i < len(sa) || j < len(sb) {
		var v time.Duration
		switch {
		case j >= len(sb) || (i < len(sa) && sa[i] <= sb[j]):
			v = sa[i]
		default:
			v = sb[j]
		}
		ta, tb := 0, 0
		for i < len(sa) && sa[i] == v {
			i++
			ta++
		}
		for j < len(sb) && sb[j] == v {
			j++
			tb++
		}
		t := ta + tb
		mid := float64(r) + float64(t+1)/2
		rankSumA += float64(ta) * mid
		ft := float64(t)
		tieSum += ft*ft*ft - ft
		r += t
	}
	u := rankSumA - n*(n+1)/2
	res := RankComparison{
		U:           u,
		Superiority: u / (n * m),
		MedianA:     quantileSorted(sa, 0.5),
		MedianB:     quantileSorted(sb, 0.5),
	}
	mu := n * m / 2
	variance := n * m / 12 * ((N + 1) - tieSum/(N*(N-1)))
	res.Shift, res.ShiftLow, res.ShiftHigh = hodgesLehmann(sa, sb, math.Sqrt(max(0, variance)))
	dev := math.Abs(u-mu) - 0.5
	if variance <= 0 || dev <= 0 {
		res.Z, res.P = 0, 1
		return res, nil
	}
	res.Z = math.Copysign(dev/math.Sqrt(variance), u-mu)
	res.P = twoSidedNormalP(res.Z)
	return res, nil
}

// hodgesLehmann returns the median of the differences a − b of two sorted
// non-empty samples and its 95 % interval for the standard deviation sd of
// U (see [RankComparison]).
func hodgesLehmann(a, b []time.Duration, sd float64) (shift, low, high time.Duration) {
	total := int64(len(a)) * int64(len(b))
	if total%2 == 1 {
		shift = kthDifference(a, b, total/2+1)
	} else {
		shift = meanHalfAway(kthDifference(a, b, total/2), kthDifference(a, b, total/2+1))
	}
	k := int64(1)
	if c := math.Floor(float64(total)/2 - Z95*sd); c > 1 {
		k = int64(c)
	}
	return shift, kthDifference(a, b, k), kthDifference(a, b, total+1-k)
}

// kthDifference returns the k-th smallest (1-based) of the differences
// a[i] − b[j] of two sorted samples of non-negative durations: the smallest
// d with at least k differences ≤ d, by binary search on d. Each count
// walks both samples once: as a[i] grows, the first b[j] with
// a[i] − b[j] ≤ d moves right.
func kthDifference(a, b []time.Duration, k int64) time.Duration {
	atMost := func(d time.Duration) int64 {
		var n int64
		j := 0
		for _, x := range a {
			for j < len(b) && x-b[j] > d {
				j++
			}
			n += int64(len(b) - j)
		}
		return n
	}
	lo, hi := a[0]-b[len(b)-1], a[len(a)-1]-b[0] // the smallest and largest differences
	for lo < hi {
		mid := lo + time.Duration((uint64(hi)-uint64(lo))/2) // no overflow for any lo ≤ hi
		if atMost(mid) >= k {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// meanHalfAway returns (x + y) / 2 rounded half away from zero, without
// overflow.
func meanHalfAway(x, y time.Duration) time.Duration {
	q, r := x/2+y/2, x%2+y%2 // x + y = 2q + r, r in [−2, 2]
	q, r = q+r/2, r%2
	switch {
	case r == 1 && q >= 0:
		q++
	case r == -1 && q <= 0:
		q--
	}
	return q
}
