package chatkpi

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Z95 is the normal quantile of every 95 % interval in the package (the
// Wilson intervals of rates, the NPS interval, the differences of
// [CompareProportions] and [CompareNPS]): Φ⁻¹(0.975), the 97.5th
// percentile of the standard normal distribution, here to 42 significant
// digits; as a float64 it is 1.9599639845400543, the float64 nearest to it.
// It is often rounded to two decimals; the package never rounds it.
const Z95 = 1.95996398454005423552459443052055152795555

// Interval is a confidence interval [Low, High] in the units of the value it
// brackets (a fraction in [0, 1] for proportions, points for NPS).
type Interval struct {
	Low, High float64
}

// Proportion is an exact count of successes out of trials: the numerator and
// denominator behind every rate in the package (CSAT %, containment,
// conversion, churn, ...). Rates are derived from it, never stored instead
// of it. The zero value is 0 of 0, which has no data.
type Proportion struct {
	Successes int64
	Trials    int64
}

// Fraction returns Successes / Trials in [0, 1], or [ErrNoData] when Trials
// is 0.
func (p Proportion) Fraction() (float64, error) {
	if err := p.check(); err != nil {
		return 0, err
	}
	return float64(p.Successes) / float64(p.Trials), nil
}

// Percent returns 100 × Successes / Trials, or [ErrNoData] when Trials is 0.
// It is not rounded; round only when formatting.
func (p Proportion) Percent() (float64, error) {
	f, err := p.Fraction()
	return 100 * f, err
}

// Wilson returns the Wilson score interval of the fraction for the normal
// quantile z ([Z95] for 95 %, for example 2.5758 for 99 %), in [0, 1]:
//
//	centre = (p̂ + z²/2n) / (1 + z²/n)
//	half   = z / (1 + z²/n) × √(p̂(1 − p̂)/n + z²/4n²)
//
// with p̂ = Successes/Trials and n = Trials. Unlike the normal ("Wald")
// interval it stays inside [0, 1] and is usable for small n and for p̂ of 0
// or 1. It returns [ErrNoData] when Trials is 0, and an error wrapping
// [ErrInvalid] for a z that is not positive and finite.
func (p Proportion) Wilson(z float64) (Interval, error) {
	if err := p.check(); err != nil {
		return Interval{}, err
	}
	if !(z > 0) || math.IsInf(z, 0) {
		return Interval{}, invalidf("z", "the normal quantile must be positive and finite, got %v", z)
	}
	n := float64(p.Trials)
	ph := float64(p.Successes) / n
	z2 := z * z
	den := 1 + z2/n
	centre := (ph + z2/(2*n)) / den
	half := z / den * math.Sqrt(ph*(1-ph)/n+z2/(4*n*n))
	lo, hi := centre-half, centre+half
	// Guard against rounding pushing the bounds a hair outside [0, 1] or past
	// the observed proportion at the edges (p̂ = 0 or 1 lies on the bound).
	lo = math.Max(0, math.Min(lo, ph))
	hi = math.Min(1, math.Max(hi, ph))
	return Interval{Low: lo, High: hi}, nil
}

// Add returns the proportion of the union of two disjoint samples.
func (p Proportion) Add(q Proportion) Proportion {
	return Proportion{Successes: p.Successes + q.Successes, Trials: p.Trials + q.Trials}
}

// String formats as "successes/trials (percent %)" with the percentage rounded
// half away from zero to two decimals, or "0/0 (no data)".
func (p Proportion) String() string {
	pc, err := p.Percent()
	if err != nil {
		return fmt.Sprintf("%d/%d (no data)", p.Successes, p.Trials)
	}
	return fmt.Sprintf("%d/%d (%s %%)", p.Successes, p.Trials, FormatFloat(pc, 2))
}

func (p Proportion) check() error {
	if p.Trials < 0 || p.Successes < 0 || p.Successes > p.Trials {
		return invalidf("proportion", "%d successes of %d trials is not a proportion", p.Successes, p.Trials)
	}
	if p.Trials == 0 {
		return ErrNoData
	}
	return nil
}

// FormatFloat formats x with the given number of decimals, rounding half away
// from zero (2.345 → "2.35", −45.4545 → "−45.45" with 2 decimals). It is the
// only place where the package rounds: results keep full precision.
//
// Rounding works on the shortest decimal representation of x (as
// [strconv.FormatFloat] with precision -1 prints it), so 2.345 rounds up even
// though the nearest float64 is slightly below 2.345. NaN and ±Inf, which no
// result of this package contains, are printed as "NaN", "+Inf", "-Inf".
func FormatFloat(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	s := decimal.NewFromFloat(x).StringFixed(int32(decimals))
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.00"
	}
	return s
}
