package chatkpi

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestMoney(t *testing.T) {
	var m Money
	assert.Equal(t, "0", m.String())
	assert.True(t, m.IsZero())
	for _, v := range []string{"1", "0.5", "2.25", "99999999999999999999.99", "0.001"} {
		require.NoError(t, m.Add("EUR", roiDec(v)))
	}
	require.NoError(t, m.Add("JPY", roiDec("300")))
	assert.Equal(t, "100000000000000000003.741", m.Amount("EUR").String())
	assert.Equal(t, "EUR 100000000000000000003.741, JPY 300", m.String())
	assert.True(t, m.Amount("USD").IsZero())
	assert.Equal(t, []string{"EUR", "JPY"}, m.Currencies())
	require.ErrorIs(t, m.Add("EURO", roiDec("1")), ErrInvalid)
	require.ErrorIs(t, m.Add("EUR", roiDec("-1")), ErrInvalid)

	c := m.Clone()
	require.NoError(t, c.Add("EUR", roiDec("1")))
	assert.False(t, c.Equal(m))
	assert.Equal(t, "100000000000000000003.741", m.Amount("EUR").String())
}

func TestMoneySumProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var m, o Money
		want := decimal.Zero
		for i, n := 0, rapid.IntRange(0, 30).Draw(t, "n"); i < n; i++ {
			var coef int64
			if rapid.Bool().Draw(t, "large") {
				coef = rapid.Int64Range(1<<61, 1<<63-1).Draw(t, "coef")
			} else {
				coef = rapid.Int64Range(0, 100000).Draw(t, "coef")
			}
			v := decimal.New(coef, int32(rapid.IntRange(-4, 2).Draw(t, "exp")))
			want = want.Add(v)
			if err := m.Add("EUR", v); err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				_ = o.Add("EUR", v)
			}
		}
		if !m.Amount("EUR").Equal(want) {
			t.Fatalf("sum %s, want %s", m.Amount("EUR"), want)
		}
		var back Money
		e := newEncoder(0x7f, 0)
		e.moneyAmounts(m)
		d := newDecoder(e.finish(), 0x7f, "money")
		back = d.moneyAmounts()
		if err := d.finish(); err != nil || !back.Equal(m) {
			t.Fatalf("round trip %s vs %s (%v)", back, m, err)
		}
	})
}
