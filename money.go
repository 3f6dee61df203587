package chatkpi

import (
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an amount per currency: goal values (tracked sales) summed
// separately for each ISO 4217 currency code, because amounts in different
// currencies cannot be added without an exchange rate that the library does
// not have. The zero value holds no money and is ready to use; copy a Money
// with [Money.Clone], not by assignment, because it shares its map.
type Money struct {
	amounts map[string]moneySum
}

// moneySum is an exact sum that adds values with the same exponent and a
// coefficient of at most 18 digits in an int64, so that summing typical prices
// does not allocate; anything else goes to a decimal. The sum is
// units × 10^exp + rest.
type moneySum struct {
	exp   int32
	units int64
	rest  decimal.Decimal
}

func (s *moneySum) add(v decimal.Decimal) {
	if v.NumDigits() <= 18 { // then the coefficient fits an int64 exactly
		c, e := v.CoefficientInt64(), v.Exponent()
		if s.units == 0 {
			s.exp = e
		}
		if e == s.exp && c >= 0 && c <= math.MaxInt64-s.units {
			s.units += c
			return
		}
	}
	s.rest = s.rest.Add(v)
}

func (s moneySum) total() decimal.Decimal {
	if s.rest.IsZero() {
		return decimal.New(s.units, s.exp)
	}
	return decimal.New(s.units, s.exp).Add(s.rest)
}

// Add adds v in currency to m. The currency must be three upper-case letters
// and v must not be negative (goal values are sales, not refunds).
func (m *Money) Add(currency string, v decimal.Decimal) error {
	if !isCurrencyCode(currency) {
		return invalidf("currency", "%q is not an ISO 4217 code (three upper-case letters)", currency)
	}
	if v.IsNegative() {
		return invalidf("value", "negative amount %s %s", v, currency)
	}
	m.add(currency, v)
	return nil
}

func (m *Money) add(currency string, v decimal.Decimal) {
	if m.amounts == nil {
		m.amounts = make(map[string]moneySum, 1)
	}
	s := m.amounts[currency]
	s.add(v)
	m.amounts[currency] = s
}

// Amount returns the total in currency (zero when there is none).
func (m Money) Amount(currency string) decimal.Decimal {
	return m.amounts[currency].total()
}

// Currencies returns the currency codes that have an amount, sorted.
func (m Money) Currencies() []string {
	return slices.Sorted(maps.Keys(m.amounts))
}

// IsZero reports whether m holds no amount in any currency.
func (m Money) IsZero() bool {
	for _, v := range m.amounts {
		if !v.total().IsZero() {
			return false
		}
	}
	return true
}

// Merge adds every amount of o to m, currency by currency.
func (m *Money) Merge(o Money) {
	for c, v := range o.amounts {
		m.add(c, v.total())
	}
}

// Clone returns an independent copy of m.
func (m Money) Clone() Money {
	if m.amounts == nil {
		return Money{}
	}
	return Money{amounts: maps.Clone(m.amounts)}
}

// Equal reports whether m and o hold equal amounts in every currency (a
// currency missing on one side counts as zero).
func (m Money) Equal(o Money) bool {
	for c, v := range m.amounts {
		if !v.total().Equal(o.Amount(c)) {
			return false
		}
	}
	for c, v := range o.amounts {
		if !v.total().Equal(m.Amount(c)) {
			return false
		}
	}
	return true
}

// String formats the amounts as "EUR 12.5, USD 3" in currency order, or
// "0" when there is none. Amounts are printed exactly, not rounded.
func (m Money) String() string {
	cs := m.Currencies()
	if len(cs) == 0 {
		return "0"
	}
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c)
		b.WriteByte(' ')
		b.WriteString(m.amounts[c].total().String())
	}
	return b.String()
}

// moneyMaxExponent bounds the decimal exponent accepted by decoders, so that
// a corrupt encoding such as "1e999999999" cannot make a later String call
// allocate gigabytes.
const moneyMaxExponent = 1000

func (e *encoder) moneyAmounts(m Money) {
	cs := m.Currencies()
	e.uvarint(uint64(len(cs)))
	for _, c := range cs {
		e.string(c)
		e.string(m.amounts[c].total().String())
	}
}

// moneyAmounts reads what encoder.moneyAmounts wrote: strictly increasing
// currency codes, each with a non-negative decimal string.
func (d *decoder) moneyAmounts() Money {
	n := d.length(5) // code (1+3) and at least a one-byte amount (1+1)
	var m Money
	prev := ""
	for range n {
		c := d.string()
		s := d.string()
		if d.err != nil {
			return Money{}
		}
		if !isCurrencyCode(c) || c <= prev {
			d.fail("currency %q is not an ISO 4217 code in increasing order", c)
			return Money{}
		}
		v, err := decimal.NewFromString(s)
		if err != nil || v.IsNegative() || v.Exponent() > moneyMaxExponent || v.Exponent() < -moneyMaxExponent {
			d.fail("amount %q in %s is not a non-negative decimal", s, c)
			return Money{}
		}
		m.add(c, v)
		prev = c
	}
	return m
}
