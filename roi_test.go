package chatkpi

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func roiDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestROI(t *testing.T) {
	for _, tc := range []struct {
		revenue, saved, cost, want string
	}{
		{"5000", "3000", "4000", "100"},              // (8000 − 4000) ÷ 4000 × 100
		{"1", "0", "3", "-66.6666666667"},            // half away from zero at 10 places
		{"0", "0", "7", "-100"},                      // no gain: all lost
		{"2", "0", "3", "-33.3333333333"},            // −33.33…
		{"12000.50", "0.50", "8000", "50.0125"},      // exact
		{"0.0000000001", "0", "3", "-99.9999999967"}, // −99.99999999666… rounds away from zero
	} {
		got, err := ROI(roiDec(tc.revenue), roiDec(tc.saved), roiDec(tc.cost))
		require.NoError(t, err)
		assert.True(t, got.Equal(roiDec(tc.want)), "%+v: got %s", tc, got)
	}
	_, err := ROI(roiDec("1"), roiDec("1"), decimal.Zero)
	assert.ErrorIs(t, err, ErrUndefined)
	for _, args := range [][3]string{{"-1", "0", "1"}, {"0", "-1", "1"}, {"0", "0", "-1"}} {
		_, err := ROI(roiDec(args[0]), roiDec(args[1]), roiDec(args[2]))
		assert.ErrorIs(t, err, ErrInvalid, "%v", args)
	}
}

func TestCostPerConversionAndPayback(t *testing.T) {
	saved, err := BotCostSaved(1200, roiDec("4.50"))
	require.NoError(t, err)
	assert.True(t, saved.Equal(roiDec("5400")), saved.String())
	_, err = BotCostSaved(-1, roiDec("1"))
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = BotCostSaved(1, roiDec("-1"))
	assert.ErrorIs(t, err, ErrInvalid)

	cpc, err := CostPerConversion(roiDec("1000"), 3)
	require.NoError(t, err)
	assert.Equal(t, "333.3333333333", cpc.String())
	cpc, err = CostPerConversion(roiDec("2000"), 3)
	require.NoError(t, err)
	assert.Equal(t, "666.6666666667", cpc.String())
	_, err = CostPerConversion(roiDec("1000"), 0)
	assert.ErrorIs(t, err, ErrUndefined)
	_, err = CostPerConversion(roiDec("-1"), 3)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = CostPerConversion(roiDec("1"), -3)
	assert.ErrorIs(t, err, ErrInvalid)

	pb, err := PaybackPeriods(roiDec("10000"), roiDec("3000"))
	require.NoError(t, err)
	assert.Equal(t, "3.3333333333", pb.String())
	pb, err = PaybackPeriods(decimal.Zero, roiDec("3000"))
	require.NoError(t, err)
	assert.True(t, pb.IsZero())
	_, err = PaybackPeriods(roiDec("10000"), decimal.Zero)
	assert.ErrorIs(t, err, ErrUndefined)
	_, err = PaybackPeriods(roiDec("-1"), roiDec("1"))
	assert.ErrorIs(t, err, ErrInvalid)
}
