package chatkpi

import (
	"github.com/shopspring/decimal"
)

// maxUnitDigits is how many digits a coefficient may have to sit in an
// int64 exactly: 10^18 − 1 < 2^63 − 1.
const maxUnitDigits = 18

// moneyUnits returns the decimal text b, which [isDecimal] accepts
// (-?digits(.digits)?), as its integer coefficient and exponent: b =
// units × 10^exp, with as many fraction digits as b has ("12.50" is 1250 and
// −2, as [decimal.NewFromString] reads it). ok is false when the digits do
// not fit in an int64 (more than 18 of them).
func moneyUnits[T text](b T) (units int64, exp int32, ok bool) {
	neg := len(b) > 0 && b[0] == '-'
	digits := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '.':
			exp = -int32(len(b) - i - 1)
		case c >= '0' && c <= '9':
			if digits++; digits > maxUnitDigits {
				return 0, 0, false
			}
			units = units*10 + int64(c-'0')
		}
	}
	if neg {
		units = -units
	}
	return units, exp, true
}

// parseMoney reads a goal's value, the text b that [isDecimal] accepts, as
// exactly the decimal that [decimal.NewFromString] reads, without going
// through a string when the coefficient fits in an int64 (see [moneyUnits]).
func parseMoney[T text](b T) (decimal.Decimal, error) {
	if units, exp, ok := moneyUnits(b); ok {
		return decimal.New(units, exp), nil
	}
	return decimal.NewFromString(string(b))
}
