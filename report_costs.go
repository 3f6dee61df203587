package chatkpi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// CostSettings are the costs of a [Report]'s money section
// ([Summary].Money): what the chat operation costs, in one currency. The
// zero value has no costs, and the report then has no money section.
//
// With costs, the report gives per period of the report and overall (see
// [MoneyFigures]): the cost saved by the bot, cost per conversion, ROI and
// payback period, with the formulas of roi.go ([BotCostSaved],
// [CostPerConversion], [ROI], [PaybackPeriods]), exactly in decimal and
// rounded only in their one division, to [MoneyPrecision] places. Goal
// values in other currencies are not converted (the report has no exchange
// rate): they stay out of the gain and are listed in
// [MoneySummary].OtherCurrencies.
//
// [ParseCosts] reads them from the JSON costs file of the command's -costs
// flag. decimal.Decimal values compare by pointer, so compare two settings
// field by field with Decimal.Equal.
type CostSettings struct {
	// Currency is the ISO 4217 code of every amount (three upper-case
	// letters). Required when any cost is set.
	Currency string
	// HumanConversation is the cost of one conversation handled by a human
	// agent: what each conversation the bot contained saved. Not negative.
	// Default (zero): nothing saved.
	HumanConversation decimal.Decimal
	// BotPerPeriod is the bot's running cost in one period of the report
	// ([ReportSettings].Period; in the whole data when the report has no
	// period). Not negative. Default (zero): free to run.
	BotPerPeriod decimal.Decimal
	// Investment is what building the bot cost, once: part of the overall
	// cost, and what the payback period repays. Not negative. Default
	// (zero): nothing invested.
	Investment decimal.Decimal
}

// isZero reports whether s sets nothing: no money section.
func (s *CostSettings) isZero() bool {
	return s.Currency == "" && s.HumanConversation.IsZero() && s.BotPerPeriod.IsZero() && s.Investment.IsZero()
}

// check returns the first bad field of s, as an error wrapping
// [ErrInvalid] that names it.
func (s *CostSettings) check() error {
	if s.isZero() {
		return nil
	}
	if !isCurrencyCode(s.Currency) {
		return invalidf("currency", "%q is not an ISO 4217 code (three upper-case letters)", s.Currency)
	}
	for _, f := range s.amounts() {
		switch {
		case f.v.IsNegative():
			return invalidf(f.name, "negative amount %s", f.v)
		case f.v.Exponent() > moneyMaxExponent || f.v.Exponent() < -moneyMaxExponent:
			return invalidf(f.name, "%s has an exponent beyond ±%d", f.v, moneyMaxExponent)
		}
	}
	return nil
}

// amounts returns the amounts of s with their names in the costs file.
func (s *CostSettings) amounts() [3]struct {
	name string
	v    decimal.Decimal
} {
	return [3]struct {
		name string
		v    decimal.Decimal
	}{{"human_conversation_cost", s.HumanConversation}, {"bot_cost_per_period", s.BotPerPeriod}, {"investment", s.Investment}}
}

// ParseCosts reads a costs file, a JSON object with exactly these fields,
// each required:
//
//	{
//	  "currency": "EUR",                  // ISO 4217 code of every amount
//	  "human_conversation_cost": "4.20",  // cost of one conversation handled by a human
//	  "bot_cost_per_period": "500",       // the bot's running cost per period of the report
//	  "investment": "9000"                // what building the bot cost, once
//	}
//
// Amounts are decimal numbers, as JSON strings ("4.20") or numbers (4.20),
// read exactly (never through float64), not negative, with a decimal
// exponent within ±1000. A missing, unknown, repeated or bad field is an
// error wrapping [ErrInvalid] that names it; "0" is how to say "none".
func ParseCosts(data []byte) (CostSettings, error) {
	var s CostSettings
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return s, invalidf("costs", "not a JSON object")
	}
	seen := make(map[string]bool, 4)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return s, invalidf("costs", "not a JSON object: %v", jsonReason(err))
		}
		name, _ := tok.(string)
		if seen[name] {
			return s, invalidf(name, "given twice")
		}
		seen[name] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return s, invalidf(name, "%v", jsonReason(err))
		}
		switch name {
		case "currency":
			var c string
			if err := json.Unmarshal(raw, &c); err != nil {
				return s, invalidf(name, "%s is not a string", raw)
			}
			if !isCurrencyCode(c) {
				return s, invalidf(name, "%q is not an ISO 4217 code (three upper-case letters)", c)
			}
			s.Currency = c
		case "human_conversation_cost", "bot_cost_per_period", "investment":
			v, err := parseCostAmount(name, raw)
			if err != nil {
				return s, err
			}
			switch name {
			case "human_conversation_cost":
				s.HumanConversation = v
			case "bot_cost_per_period":
				s.BotPerPeriod = v
			default:
				s.Investment = v
			}
		default:
			return s, invalidf(name, "unknown field (want currency, human_conversation_cost, bot_cost_per_period, investment)")
		}
	}
	if _, err := dec.Token(); err != nil {
		return s, invalidf("costs", "not a JSON object: %v", jsonReason(err))
	}
	if _, err := dec.Token(); err == nil {
		return s, invalidf("costs", "data after the JSON object")
	}
	for _, name := range []string{"currency", "human_conversation_cost", "bot_cost_per_period", "investment"} {
		if !seen[name] {
			return s, invalidf(name, "missing (give 0 for none)")
		}
	}
	return s, s.check()
}

// parseCostAmount reads one amount of a costs file: a JSON string or number
// holding a decimal.
func parseCostAmount(name string, raw json.RawMessage) (decimal.Decimal, error) {
	text := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return decimal.Decimal{}, invalidf(name, "%s is not a decimal amount", raw)
		}
	} else if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return decimal.Decimal{}, invalidf(name, "%s is not a decimal amount", raw)
	}
	// decimal accepts "1e5" but also things JSON does not: require digits.
	if text == "" || strings.ContainsAny(text, " \t\n+") || strings.Count(text, ".") > 1 {
		return decimal.Decimal{}, invalidf(name, "%q is not a decimal amount", text)
	}
	v, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Decimal{}, invalidf(name, "%q is not a decimal amount", text)
	}
	if v.Exponent() > moneyMaxExponent || v.Exponent() < -moneyMaxExponent {
		return decimal.Decimal{}, invalidf(name, "%q has a decimal exponent beyond ±%d", text, moneyMaxExponent)
	}
	if v.IsNegative() {
		return decimal.Decimal{}, invalidf(name, "negative amount %s", text)
	}
	return v, nil
}

// jsonReason strips the package prefix of a JSON error.
func jsonReason(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

// encode writes the costs into a report's settings fingerprint (only when
// set, so that reports without costs keep their encoding).
func (s *CostSettings) encode(e *encoder) {
	e.string(s.Currency)
	for _, f := range s.amounts() {
		e.string(f.v.String())
	}
}

// decodeCosts reads what CostSettings.encode wrote.
func decodeCosts(d *decoder) CostSettings {
	s := CostSettings{Currency: d.string()}
	var vs [3]decimal.Decimal
	for i := range vs {
		text := d.string()
		if d.err != nil {
			return CostSettings{}
		}
		v, err := decimal.NewFromString(text)
		if err != nil {
			d.fail("cost %q is not a decimal", text)
			return CostSettings{}
		}
		vs[i] = v
	}
	s.HumanConversation, s.BotPerPeriod, s.Investment = vs[0], vs[1], vs[2]
	if err := s.check(); err != nil {
		d.fail("costs: %v", err)
		return CostSettings{}
	}
	if s.isZero() {
		d.fail("costs block without costs")
	}
	return s
}

// MoneySummary is the money section of a [Summary]: the costs given
// ([CostSettings]) and what they make of the report's outcomes and goals,
// overall and per period of the report. All amounts are decimal strings in
// Currency; nothing is float.
type MoneySummary struct {
	Currency              string `json:"currency"`
	HumanConversationCost string `json:"human_conversation_cost"`
	BotCostPerPeriod      string `json:"bot_cost_per_period"`
	Investment            string `json:"investment"`
	// OtherCurrencies lists the currencies of goal values that are not
	// Currency: they are not converted, so not in the revenue or the gain.
	OtherCurrencies []string `json:"other_currencies,omitempty"`
	// Overall is the whole data: Periods periods of running cost and the
	// investment.
	Overall MoneyFigures `json:"overall"`
	// Periods has one entry per period of the report that holds data, in
	// time order; empty when the report has no period. Each period's cost
	// is its running cost (BotCostPerPeriod), without the investment.
	Periods []MoneyPeriod `json:"periods"`
	// Groups has one entry per group of [Summary].Groups, in the same
	// order (by period, then key), when the report has groupings
	// ([ReportSettings].GroupBy); absent otherwise. See [MoneyGroup] for
	// what a group's entry attributes to it.
	Groups []MoneyGroup `json:"groups,omitempty"`
}

// MoneyGroup is the money of one group in one period, keyed and labelled
// like its [GroupSummary]: the figures of its own conversations and goals
// ([MoneyFigures] with the group's counts c, x, h and revenue R: contained,
// conversions, human conversations, cost saved, gain, human cost and human
// cost per conversion).
//
// The bot's running cost and the investment are per period, not per
// conversation, and a group is not charged any of them: a group's Periods
// is 0 and its Cost "0", and its cost per conversion, ROI and payback are
// undefined with the reason "running cost and investment are not
// attributed to groups" — they stay overall and per period. The human
// cost per conversion is a group's cost per conversion: the cost its
// conversations caused, per conversion.
//
// Each conversation's outcome and conversion, and each goal, is in exactly
// one group (by agent: the agent holding the conversation at its end, or
// when the goal happened; see [Report]), so the counts and amounts of the
// groups of a period sum exactly to the period's, and over all groups to
// the overall ones.
type MoneyGroup struct {
	Key    map[string]string `json:"key"`
	Period string            `json:"period"`
	MoneyFigures
}

// moneyNotAttributed is the reason why a [MoneyGroup]'s cost per
// conversion, ROI and payback are undefined.
const moneyNotAttributed = "running cost and investment are not attributed to groups"

// MoneyPeriod is the money of one period, labelled like [GroupSummary].Period.
type MoneyPeriod struct {
	Period string `json:"period"`
	MoneyFigures
}

// MoneyFigures is the money of a set of conversations. With c contained
// conversations (resolved by the bot, [ResolvedByBot]), x conversions
// (conversations with a goal), revenue R (goal values in the currency) and k
// periods:
//
//	cost saved          = c × human conversation cost
//	gain                = R + cost saved
//	cost                = k × bot cost per period (+ investment, overall)
//	cost per conversion = cost ÷ x
//	ROI %               = (gain − cost) ÷ cost × 100
//	payback periods     = investment ÷ (gain ÷ k), computed as
//	                      investment × k ÷ gain (one rounding)
//
// and, with h the conversations handled by a human (the outcomes
// [Escalated] and [ResolvedByAgent]: handed over to a human, or resolved
// with a human taking part; abandoned and unengaged conversations are not
// counted),
//
//	human cost                    = h × human conversation cost
//	human cost per conversion     = human cost ÷ x
//
// The gain of the payback is the catalogue's gain (revenue plus cost
// saved), not net of the running cost, and the cost of the ROI is the
// bot's (building and running it), without the human cost. In a period,
// c, h and x count the conversations that started in it and R the goals
// that happened in it (see [Report] on periods). A figure whose divisor is
// zero is undefined ([MoneyValue].Undefined says why). In a group, see
// [MoneyGroup].
type MoneyFigures struct {
	// Periods is k: 1 for a period, and overall the periods of the report
	// from the first to the last one with data (the bot runs in each), or
	// 1 when the report has no period; 0 in a group ([MoneyGroup]).
	Periods     int64  `json:"periods"`
	Contained   int64  `json:"contained"`
	Conversions int64  `json:"conversions"`
	Revenue     string `json:"revenue"`
	CostSaved   string `json:"cost_saved"`
	Gain        string `json:"gain"`
	Cost        string `json:"cost"`

	CostPerConversion MoneyValue `json:"cost_per_conversion"`
	ROIPercent        MoneyValue `json:"roi_percent"`
	PaybackPeriods    MoneyValue `json:"payback_periods"`

	HumanConversations     int64      `json:"human_conversations"` // h
	HumanCost              string     `json:"human_cost"`
	HumanCostPerConversion MoneyValue `json:"human_cost_per_conversion"`
}

// MoneyValue is a money figure that may be undefined: Value is the decimal
// (rounded to [MoneyPrecision] places, half away from zero), or null with
// Undefined saying why ("zero conversions", "zero cost", "zero gain").
type MoneyValue struct {
	Value     *string `json:"value"`
	Undefined string  `json:"undefined,omitempty"`
}

// moneyValue converts the result of a roi.go formula: ErrUndefined becomes
// the reason, any other error is returned.
func moneyValue(v decimal.Decimal, err error, reason string) (MoneyValue, error) {
	switch {
	case errors.Is(err, ErrUndefined):
		return MoneyValue{Undefined: reason}, nil
	case err != nil:
		return MoneyValue{}, err
	}
	s := v.String()
	return MoneyValue{Value: &s}, nil
}

// moneyCounts is what the money formulas need from a set of conversations.
type moneyCounts struct {
	contained, conversions, human int64
	revenue                       decimal.Decimal
}

// plus adds o's counts to m.
func (m *moneyCounts) plus(o moneyCounts) {
	m.contained += o.contained
	m.conversions += o.conversions
	m.human += o.human
	m.revenue = m.revenue.Add(o.revenue)
}

func (m *moneyCounts) add(s *metricSet, currency string, others map[string]bool) {
	m.contained += s.out.counts[ResolvedByBot-1]
	m.human += s.out.counts[Escalated-1] + s.out.counts[ResolvedByAgent-1]
	m.conversions += s.conv.converted
	for c, v := range s.goals.value.amounts {
		if c == currency {
			m.revenue = m.revenue.Add(v.total())
		} else if !v.total().IsZero() {
			others[c] = true
		}
	}
}

// figures applies the formulas to counts of k periods; invest says whether
// the cost includes the investment (overall) or not (one period).
func (s *CostSettings) figures(m moneyCounts, k int64, invest bool) (MoneyFigures, error) {
	f := MoneyFigures{Periods: k, Contained: m.contained, Conversions: m.conversions, Revenue: m.revenue.String(), HumanConversations: m.human}
	saved, err := BotCostSaved(m.contained, s.HumanConversation)
	if err != nil {
		return f, err
	}
	human := s.HumanConversation.Mul(decimal.NewFromInt(m.human)) // exact
	f.HumanCost = human.String()
	v, err := CostPerConversion(human, m.conversions)
	if f.HumanCostPerConversion, err = moneyValue(v, err, "zero conversions"); err != nil {
		return f, err
	}
	gain := m.revenue.Add(saved)
	cost := s.BotPerPeriod.Mul(decimal.NewFromInt(k))
	if invest {
		cost = cost.Add(s.Investment)
	}
	f.CostSaved, f.Gain, f.Cost = saved.String(), gain.String(), cost.String()
	v, err = CostPerConversion(cost, m.conversions)
	if f.CostPerConversion, err = moneyValue(v, err, "zero conversions"); err != nil {
		return f, err
	}
	v, err = ROI(m.revenue, saved, cost)
	if f.ROIPercent, err = moneyValue(v, err, "zero cost"); err != nil {
		return f, err
	}
	v, err = PaybackPeriods(s.Investment.Mul(decimal.NewFromInt(k)), gain)
	if f.PaybackPeriods, err = moneyValue(v, err, "zero gain"); err != nil {
		return f, err
	}
	return f, nil
}

// groupFigures is the money of one group: its own figures, with nothing of
// the running cost or the investment (see MoneyGroup).
func (s *CostSettings) groupFigures(m moneyCounts) (MoneyFigures, error) {
	f, err := s.figures(m, 0, false)
	undefined := MoneyValue{Undefined: moneyNotAttributed}
	f.CostPerConversion, f.ROIPercent, f.PaybackPeriods = undefined, undefined, undefined
	return f, err
}

// moneySummary computes the money section from the report's groups (sorted
// by period, then key) or, ungrouped, its overall metrics. Outcomes,
// conversions and goal values are each recorded in one group, so summing
// the groups is exact; a goal's value is revenue of the period the goal
// happened in, the conversion and containment of the period of the
// conversation's start.
func (r *Report) moneySummary(groups []reportGroup) (*MoneySummary, error) {
	c := &r.cfg.costs
	if c.isZero() {
		return nil, nil
	}
	ms := &MoneySummary{Currency: c.Currency, HumanConversationCost: c.HumanConversation.String(),
		BotCostPerPeriod: c.BotPerPeriod.String(), Investment: c.Investment.String(), Periods: []MoneyPeriod{}}
	others := make(map[string]bool)
	var total moneyCounts
	k := int64(1)
	if !r.grouped() {
		total.add(&r.overall, c.Currency, others)
	}
	for i := 0; i < len(groups); {
		var m moneyCounts
		j := i
		for ; j < len(groups) && groups[j].start == groups[i].start; j++ {
			var g moneyCounts
			g.add(groups[j].set, c.Currency, others)
			m.plus(g)
			if len(r.cfg.groupings) > 0 {
				if err := r.moneyGroup(ms, &groups[j], g); err != nil {
					return nil, err
				}
			}
		}
		total.plus(m)
		if r.cfg.period != 0 {
			f, err := c.figures(m, 1, false)
			if err != nil {
				return nil, err
			}
			at := time.Unix(groups[i].start, 0)
			ms.Periods = append(ms.Periods, MoneyPeriod{Period: r.cfg.periods.Label(at, r.cfg.period), MoneyFigures: f})
		}
		i = j
	}
	if r.cfg.period != 0 && len(groups) > 0 {
		k = r.periodsBetween(groups[0].start, groups[len(groups)-1].start)
	}
	var err error
	if ms.Overall, err = c.figures(total, k, true); err != nil {
		return nil, err
	}
	for cur := range others {
		ms.OtherCurrencies = append(ms.OtherCurrencies, cur)
	}
	slices.Sort(ms.OtherCurrencies)
	return ms, nil
}

// moneyGroup appends the money of group g, with counts m, to ms.
func (r *Report) moneyGroup(ms *MoneySummary, g *reportGroup, m moneyCounts) error {
	f, err := r.cfg.costs.groupFigures(m)
	if err != nil {
		return err
	}
	mg := MoneyGroup{Key: make(map[string]string, len(r.cfg.groupings)), MoneyFigures: f}
	vs, _ := splitKey(g.key, len(r.cfg.groupings))
	for i, v := range vs {
		mg.Key[r.cfg.groupings[i].name] = v
	}
	if r.cfg.period != 0 {
		mg.Period = r.cfg.periods.Label(time.Unix(g.start, 0), r.cfg.period)
	}
	ms.Groups = append(ms.Groups, mg)
	return nil
}

// periodsBetween counts the report's periods from the one starting at first
// to the one starting at last (Unix seconds), both included, in constant
// time: the periods numbered as the cohorts number them.
func (r *Report) periodsBetween(first, last int64) int64 {
	c := cohortsConfig{period: r.cfg.period, periods: r.cfg.periods}
	return c.index(time.Unix(last, 0)) - c.index(time.Unix(first, 0)) + 1
}

// checkCosts checks the costs and that the report computes what the money
// section needs.
func (c *reportConfig) checkCosts() error {
	if err := c.costs.check(); err != nil {
		return fmt.Errorf("costs: %w", err)
	}
	if !c.costs.isZero() && c.metrics&(MetricOutcomes|MetricConversion) != MetricOutcomes|MetricConversion {
		return invalidf("costs", "the money section needs the metrics %s and %s", MetricOutcomes, MetricConversion)
	}
	return nil
}

// encodeSummarySettings writes the settings that change only the summary
// (the costs, the churn horizon) at the end of a report's settings
// fingerprint: a mask of those set, then each; nothing when none is set,
// so that reports without them keep their encoding.
func (c *reportConfig) encodeSummarySettings(e *encoder) {
	var mask byte
	if !c.costs.isZero() {
		mask |= 1
	}
	if c.retention != (RetentionSettings{}) {
		mask |= 2
	}
	if mask == 0 {
		return
	}
	e.byte1(mask)
	if mask&1 != 0 {
		c.costs.encode(e)
	}
	if mask&2 != 0 {
		e.uvarint(uint64(c.retention.Horizon))
	}
}

// decodeSummarySettings reads what encodeSummarySettings wrote, if anything
// is left to read.
func (c *reportConfig) decodeSummarySettings(d *decoder) {
	if d.err != nil || d.off == len(d.buf) {
		return
	}
	mask := d.byte1()
	if d.err == nil && (mask == 0 || mask&^3 != 0) {
		d.fail("summary settings mask %#x", mask)
		return
	}
	if mask&1 != 0 {
		c.costs = decodeCosts(d)
	}
	if mask&2 != 0 {
		h := d.uvarint()
		if d.err == nil && (h == 0 || h > maxChurnHorizon) {
			d.fail("churn horizon %d", h)
		}
		c.retention.Horizon = int(h)
	}
}
