package chatkpi

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// MoneyPrecision is the number of decimal places to which the money formulas
// of this file round their one division (half away from zero, with
// [decimal.Decimal.DivRound]). Sums and products are exact. The package never
// changes decimal's package-level settings such as DivisionPrecision.
//
// All amounts passed to one call must be in one currency; converting
// currencies is the caller's job.
const MoneyPrecision = 10

// ROI returns the return on investment in percent, rounded to
// [MoneyPrecision] places:
//
//	ROI = (gain − cost) ÷ cost × 100, gain = revenue + saved
//
// where revenue is the revenue attributed to the bot or chat, saved the
// operating cost it saved (see [BotCostSaved]) and cost what building and
// running it cost. A zero cost makes ROI undefined ([ErrUndefined]); negative
// amounts are an error wrapping [ErrInvalid].
func ROI(revenue, saved, cost decimal.Decimal) (decimal.Decimal, error) {
	if err := roiFirstError(roiNonNegative("revenue", revenue), roiNonNegative("saved", saved), roiNonNegative("cost", cost)); err != nil {
		return decimal.Decimal{}, err
	}
	if cost.IsZero() {
		return decimal.Decimal{}, fmt.Errorf("ROI with zero cost: %w", ErrUndefined)
	}
	gain := revenue.Add(saved)
	return gain.Sub(cost).Mul(decimal.NewFromInt(100)).DivRound(cost, MoneyPrecision), nil
}

// BotCostSaved returns the cost a bot saved: contained conversations (resolved
// by the bot without a human) × the cost of a conversation handled by a
// human. It is exact. Negative inputs are an error wrapping [ErrInvalid].
func BotCostSaved(contained int64, humanCost decimal.Decimal) (decimal.Decimal, error) {
	if contained < 0 {
		return decimal.Decimal{}, invalidf("contained", "negative count %d", contained)
	}
	if err := roiNonNegative("human cost", humanCost); err != nil {
		return decimal.Decimal{}, err
	}
	return humanCost.Mul(decimal.NewFromInt(contained)), nil
}

// CostPerConversion returns cost ÷ conversions, rounded to [MoneyPrecision]
// places: what acquiring one converting customer cost. Zero conversions make
// it undefined ([ErrUndefined]); a negative cost or count is an error
// wrapping [ErrInvalid].
func CostPerConversion(cost decimal.Decimal, conversions int64) (decimal.Decimal, error) {
	if err := roiNonNegative("cost", cost); err != nil {
		return decimal.Decimal{}, err
	}
	if conversions < 0 {
		return decimal.Decimal{}, invalidf("conversions", "negative count %d", conversions)
	}
	if conversions == 0 {
		return decimal.Decimal{}, fmt.Errorf("cost per conversion with zero conversions: %w", ErrUndefined)
	}
	return cost.DivRound(decimal.NewFromInt(conversions), MoneyPrecision), nil
}

// PaybackPeriods returns investment ÷ gain per period, rounded to
// [MoneyPrecision] places: how many periods (months, if the gain is per
// month) the gain takes to repay the investment. A zero gain never pays back
// and is undefined ([ErrUndefined]); negative amounts are an error wrapping
// [ErrInvalid].
func PaybackPeriods(investment, gainPerPeriod decimal.Decimal) (decimal.Decimal, error) {
	if err := roiFirstError(roiNonNegative("investment", investment), roiNonNegative("gain per period", gainPerPeriod)); err != nil {
		return decimal.Decimal{}, err
	}
	if gainPerPeriod.IsZero() {
		return decimal.Decimal{}, fmt.Errorf("payback period with zero gain per period: %w", ErrUndefined)
	}
	return investment.DivRound(gainPerPeriod, MoneyPrecision), nil
}

// roiNonNegative reports a negative amount named name.
func roiNonNegative(name string, v decimal.Decimal) error {
	if v.IsNegative() {
		return invalidf(name, "negative amount %s", v)
	}
	return nil
}

// roiFirstError returns the first non-nil error.
func roiFirstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
