package chatkpi

import (
	"math"
	"math/bits"
	"time"
)

// stdErrFast returns what stdErrBig returns, without math/big, when it can
// tell: when n·Σx², (Σx)² and n²(n − 1) fit in 128 bits (fewer than 2³²
// durations whose sum is below 2⁶⁴ ns, 584 years), and the float64 estimate
// of SE = √((n·Σx² − (Σx)²) / (n²(n − 1))) is far enough from the nearest
// half nanosecond that the exact value, and stdErrBig's 128-bit result
// rounded to float64, round to the same nanosecond. ok is false otherwise.
//
// The error bound: each 128-bit integer converted to float64 is within a
// relative 3·2⁻⁵³ (two roundings and an add), the quotient and the square
// root add 2⁻⁵³ each, so the estimate s is within a relative 2⁻⁵⁰ of SE;
// stdErrBig's float64 is within 2⁻⁵³ (its rounding from 128 bits, which
// are within 2⁻¹²⁰) of SE. Both are so within tol = s·2⁻⁴⁶ + 2⁻⁵⁰ of s,
// with a margin of 8 or more; when no half-integer lies within tol of s,
// they round to the same integer, math.Round(s).
func (d *Durations) stdErrFast() (se time.Duration, ok bool) {
	if d.sumHi != 0 || d.sumSq[2] != 0 || d.n >= 1<<32 {
		return 0, false
	}
	n := uint64(d.n)
	// n·Σx², in 128 bits.
	h0, l0 := bits.Mul64(n, d.sumSq[0])
	h1, l1 := bits.Mul64(n, d.sumSq[1])
	hi, c := bits.Add64(h0, l1, 0)
	if h1 != 0 || c != 0 {
		return 0, false
	}
	lo := l0
	// − (Σx)², never negative (Cauchy–Schwarz).
	sh, sl := bits.Mul64(d.sumLo, d.sumLo)
	var b uint64
	lo, b = bits.Sub64(lo, sl, 0)
	hi, b = bits.Sub64(hi, sh, b)
	if b != 0 {
		return 0, false
	}
	if hi == 0 && lo == 0 {
		return 0, true
	}
	dh, dl := bits.Mul64(n*n, n-1) // n < 2³²: n² fits 64 bits
	s := math.Sqrt((float64(hi)*0x1p64 + float64(lo)) / (float64(dh)*0x1p64 + float64(dl)))
	tol := s*0x1p-46 + 0x1p-50
	if math.Abs(s-math.Floor(s)-0.5) <= tol {
		return 0, false
	}
	return time.Duration(math.Round(s)), true
}
