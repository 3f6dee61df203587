package chatkpi

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestMoneyUnits(t *testing.T) {
	for _, tt := range []struct {
		in    string
		units int64
		exp   int32
		ok    bool
	}{
		{"12.50", 1250, -2, true},
		{"0", 0, 0, true},
		{"-0.5", -5, -1, true},
		{"007.10", 710, -2, true},
		{"500", 500, 0, true},
		{"999999999999999999", 999999999999999999, 0, true},      // 18 digits
		{"-99999999.9999999999", -999999999999999999, -10, true}, // 18 digits
		{"1000000000000000000", 0, 0, false},                     // 19 digits
		{"0.0000000000000000001", 0, 0, false},                   // 20 digits, leading zeros count
	} {
		units, exp, ok := moneyUnits(tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
		if ok {
			assert.Equal(t, tt.units, units, tt.in)
			assert.Equal(t, tt.exp, exp, tt.in)
		}
	}
}

// sameDecimal reports whether a and b are the same coefficient and exponent
// (not only equal numbers: "1.50" is not "1.5").
func sameDecimal(a, b decimal.Decimal) bool {
	return a.Exponent() == b.Exponent() && a.Coefficient().Cmp(b.Coefficient()) == 0
}

// FuzzParseMoney: a goal's value reads as exactly what
// decimal.NewFromString reads, coefficient and exponent, with or without an
// int64 on the way.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"12.50", "-0", "0.000", "999999999999999999", "1234567890123456789.5", "-1.0000000000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isDecimal(s) {
			return
		}
		want, wantErr := decimal.NewFromString(s)
		got, err := parseMoney(s)
		gotB, errB := parseMoney([]byte(s))
		if (err != nil) != (wantErr != nil) || (errB != nil) != (wantErr != nil) {
			t.Fatalf("%q: errors %v and %v, decimal.NewFromString %v", s, err, errB, wantErr)
		}
		if wantErr == nil && (!sameDecimal(got, want) || !sameDecimal(gotB, want) || got.String() != want.String()) {
			t.Fatalf("%q: read as %s (%v × 10^%d), decimal.NewFromString %s (%v × 10^%d)", s, got, got.Coefficient(), got.Exponent(), want, want.Coefficient(), want.Exponent())
		}
	})
}
