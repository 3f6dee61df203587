package chatkpi

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"time"
)

// RetentionSettings are the settings of a [Report]'s retention section
// ([Summary].Retention, [MetricRetention]), as a plain comparable value. The
// zero value is the default. The section's period is the report's
// ([ReportSettings].Period and Periods) and its repeat-contact window the
// outcomes' [OutcomesSettings].RepeatContactWindow (default 24 h), the one
// repeat window of the package.
type RetentionSettings struct {
	// Horizon is k of the churn over a horizon, 1 − (1 − c)^k
	// ([ChurnOverHorizon]), in periods of the report: 12 months, 52
	// weeks. Positive, at most 10,000. Default (0): 12.
	Horizon int
}

// DefaultChurnHorizon is the default [RetentionSettings].Horizon.
const DefaultChurnHorizon = 12

// maxChurnHorizon bounds RetentionSettings.Horizon.
const maxChurnHorizon = 10_000

func (s RetentionSettings) check() error {
	if s.Horizon < 0 || s.Horizon > maxChurnHorizon {
		return invalidf("horizon", "%d is not a number of periods from 1 to %d", s.Horizon, maxChurnHorizon)
	}
	return nil
}

func (s RetentionSettings) horizon() int {
	if s.Horizon == 0 {
		return DefaultChurnHorizon
	}
	return s.Horizon
}

// customerState is the customer-level state of a report: the periods in
// which each identified customer was active ([Cohorts], with the report's
// period and zone) and, unless the report streams, the start of each of
// their conversations for the repeat-contact rate, in customerStarts (an
// append per conversation; grouped by customer when read).
//
// With groupings, it keeps the same state again for each group key (the
// conversation's combined key without the period; by agent, the agent
// handling it at its last event, [GroupByAgent]), in groups: each group's
// customers are the customers of its conversations.
type customerState struct {
	cohorts Cohorts
	repeats bool           // keep the starts (not in streaming mode)
	window  int64          // the repeat-contact window, nanoseconds
	starts  customerStarts // with repeats: every conversation start
	keyed   bool           // the report has groupings: keep groups
	groups  map[string]*customerState
}

// emptyLike returns an empty state with the settings of cs, without groups.
func (cs *customerState) emptyLike() *customerState {
	return &customerState{cohorts: Cohorts{cfg: cs.cohorts.cfg}, repeats: cs.repeats, window: cs.window}
}

// newCustomerState returns the empty customer state of a report with cfg
// and the empty accumulators p, or nil when the report keeps none: without
// MetricRetention or without a period.
func newCustomerState(cfg *reportConfig, p *metricSet) *customerState {
	if cfg.metrics&MetricRetention == 0 || cfg.period == 0 {
		return nil
	}
	cs := &customerState{cohorts: Cohorts{cfg: cohortsConfig{period: cfg.period, periods: cfg.periods}}}
	if cfg.period == Week {
		cs.cohorts.cfg.period = 0 // the zero value's week, as NewCohorts and UnmarshalBinary keep it
	}
	cs.window = int64(p.out.cfg.repeat())
	for _, d := range p.statsConfigs() {
		cs.repeats = cs.repeats || !d.streaming
	}
	cs.keyed = len(cfg.groupings) > 0
	return cs
}

// checkCustomer reports an error for a conversation whose customer the
// state could not record (a start outside what both accumulators take), so
// that the report records nothing of it.
func (cs *customerState) checkCustomer(info *Info, start time.Time) error {
	if cs == nil || info.Customer == "" { // inlined: a report without retention
		return nil
	}
	return checkCustomerStart(info, start)
}

// repeatMinSecond and repeatMaxSecond are the Unix seconds in which
// repeatMinTime and repeatMaxTime lie (−9223372037 and 9223372036: the
// range of Unix nanoseconds, truncated to whole seconds).
const (
	repeatMinSecond = math.MinInt64/int64(time.Second) - 1
	repeatMaxSecond = math.MaxInt64 / int64(time.Second)
)

func checkCustomerStart(info *Info, start time.Time) error {
	// A start whose Unix second lies strictly between those of
	// repeatMinTime and repeatMaxTime (inside the cohorts' range) is in
	// range: one comparison of seconds for almost every conversation.
	if s := start.Unix(); s > repeatMinSecond && s < repeatMaxSecond {
		return nil
	}
	if start.Before(repeatMinTime()) || start.After(repeatMaxTime()) || start.Before(minCohortTime()) || start.After(maxCohortTime()) {
		return &InputError{Conversation: info.ID, Event: -1, Field: "start",
			Reason: "start " + start.Format(time.RFC3339Nano) + " is outside the years 1678–2261 that retention takes"}
	}
	return nil
}

// add records a conversation of info.Customer that started at start, in
// the report's period span (the cohort period: the report's) and, with
// groupings, in the group of key (its combined key), which checkCustomer
// accepted. The span caches the period's cohort index, so that a
// conversation costs no time-zone conversion.
func (cs *customerState) add(info *Info, start time.Time, span *periodSpan, key []byte) {
	if cs != nil && info.Customer != "" { // inlined: a report without retention
		cs.addCustomer(info, start, span, key)
	}
}

func (cs *customerState) addCustomer(info *Info, start time.Time, span *periodSpan, key []byte) {
	if span.cohort == 0 {
		span.cohort = cs.cohorts.cfg.index(time.Unix(span.start, 0)) + 1
	}
	cs.record(info.Customer, span.cohort-1, start)
	if !cs.keyed {
		return
	}
	g := cs.groups[string(key)]
	if g == nil {
		if cs.groups == nil {
			cs.groups = make(map[string]*customerState)
		}
		g = cs.emptyLike()
		cs.groups[string(key)] = g
	}
	g.record(info.Customer, span.cohort-1, start)
}

// record adds a conversation of customer in the period of cohort index i.
func (cs *customerState) record(customer string, i int64, start time.Time) {
	k := cs.cohorts.customers.number(customer)
	cs.cohorts.customers.addPeriod(k, i)
	if cs.repeats {
		cs.starts = append(cs.starts, customerStart{k, start.UnixNano()})
	}
}

// merge adds the state of o (see mergeNumbered).
func (cs *customerState) merge(o *customerState) error {
	if cs == nil {
		return nil
	}
	if err := cs.cohorts.compatible(&o.cohorts); err != nil {
		return err
	}
	return cs.mergeNumbered(o, cs.cohorts.customers.numbersOf(&o.cohorts.customers))
}

// mergeNumbered adds the state of o, compatible with cs's, whose customers
// ks translates: ks[k] is the number in cs's cohorts of customer k of o's
// (see customerIDs.numbers). Each group's state has customers of its own.
func (cs *customerState) mergeNumbered(o *customerState, ks []int) error {
	if cs == nil {
		return nil
	}
	cs.cohorts.customers.mergeNumbered(&o.cohorts.customers, ks)
	cs.starts = cs.starts.merged(o.starts, ks)
	for key, og := range o.groups {
		g := cs.groups[key]
		if g == nil {
			if cs.groups == nil {
				cs.groups = make(map[string]*customerState, len(o.groups))
			}
			g = cs.emptyLike()
			cs.groups[key] = g
		}
		if err := g.merge(og); err != nil {
			return err
		}
	}
	return nil
}

// encode writes the state after a report's groups: the customers' active
// periods (the settings are the report's) and their starts, by customer in
// id order; then, with groupings, the number of group keys and each key
// with its group's state, in key order.
func (cs *customerState) encode(e *encoder) {
	cs.cohorts.encodeCustomers(e)
	if cs.repeats {
		var ids [][]byte
		if cs.cohorts.customers.ids != nil {
			ids = cs.cohorts.customers.ids.list()
		}
		cs.starts.encode(e, ids)
	}
	if !cs.keyed {
		return
	}
	keys := slices.Sorted(maps.Keys(cs.groups))
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.string(k)
		cs.groups[k].encode(e)
	}
}

// decodeCustomers reads what customerState.encode wrote into proto, an
// empty state of the report. The customers with starts must be the
// customers with activity, each start in one of their active periods.
func decodeCustomers(d *decoder, proto *customerState) *customerState {
	cs := proto
	cs.cohorts.customers = decodeCohortCustomers(d, cs.cohorts.cfg)
	if !cs.repeats || d.err != nil {
		return cs
	}
	n := d.length(3)
	if d.err == nil && n != cs.cohorts.customers.len() {
		d.fail("starts of %d customers, activity of %d", n, cs.cohorts.customers.len())
	}
	var ps []int64
	prev := ""
	for i := 0; i < n && d.err == nil; i++ {
		id := d.string()
		starts := decodeInstants(d)
		k := cs.cohorts.customers.find(id)
		if d.err != nil {
			break
		}
		if k >= 0 {
			ps = cs.cohorts.customers.periods(k, ps[:0])
		}
		if i > 0 && id <= prev || k < 0 || len(starts) == 0 {
			d.fail("customer %q: out of order, without activity or without starts", id)
			break
		}
		for _, at := range starts {
			if _, found := slices.BinarySearch(ps, cs.cohorts.cfg.index(time.Unix(0, at))); !found {
				d.fail("customer %q: a start outside the periods of their activity", id)
				break
			}
			cs.starts = append(cs.starts, customerStart{k, at})
		}
		prev = id
	}
	return cs
}

// decodeCustomerState reads what customerState.encode wrote into proto, an
// empty state of the report with groupings n (0: none). The groups must
// hold, together, exactly the customers' activity and starts.
func decodeCustomerState(d *decoder, proto *customerState, n int) *customerState {
	cs := decodeCustomers(d, proto)
	if !cs.keyed || d.err != nil {
		return cs
	}
	k := d.length(2)
	union := cs.emptyLike()
	prev := ""
	for i := 0; i < k && d.err == nil; i++ {
		key := d.string()
		g := decodeCustomers(d, cs.emptyLike())
		if d.err != nil {
			break
		}
		if _, ok := splitKey(key, n); !ok || i > 0 && key <= prev || g.cohorts.customers.len() == 0 {
			d.fail("retention group %d: corrupt, out of order or without customers", i)
			break
		}
		prev = key
		if cs.groups == nil {
			cs.groups = make(map[string]*customerState, k)
		}
		cs.groups[key] = g
		_ = union.merge(g) // same settings
	}
	if d.err == nil && (!sameActivity(&union.cohorts, &cs.cohorts) || len(union.starts) != len(cs.starts)) {
		d.fail("the retention groups do not add up to the customers")
	}
	return cs
}

// sameActivity reports whether a and b hold the same customers, each
// active in the same periods.
func sameActivity(a, b *Cohorts) bool {
	if a.customers.len() != b.customers.len() {
		return false
	}
	same := true
	var pb []int64
	a.customers.each(func(_ int, id []byte, pa []int64) {
		if k := b.customers.find(string(id)); k < 0 {
			same = false
		} else if pb = b.customers.periods(k, pb[:0]); !slices.Equal(pa, pb) {
			same = false
		}
	})
	return same
}

// RetentionSummary is the customer-level section of a [Summary]
// ([MetricRetention]): retention, churn, cohorts, returning users and repeat
// contacts of the customers identified by Info.Customer, per period of the
// report. It is absent when the report has no period or no conversation
// has a customer id.
//
// A customer is a customer of a period when active in it — had a
// conversation starting in it. For period p, with S the customers active
// in the period before, E those active in p, N those whose first
// conversation is in p, and W those won back (active in p and earlier, but
// not in the period before):
//
//	kept = E − N − W (active in p and in the period before)
//	retention = (E − (N + W)) ÷ S = kept ÷ S      ([RetentionRate])
//	churn     = (S − kept) ÷ S                    ([ChurnRate])
//	churn over the horizon = 1 − (1 − churn)^k    ([ChurnOverHorizon])
//
// so the customers won during the period (N + W, the catalogue's N) are
// not counted as kept. Worked example: customers a, b, c active in January,
// a and d in February: February has S = 3, E = 2, N = 1 (d), kept 1 (a),
// retention 1 ÷ 3 = 33.3 %, churn 66.7 %; at 12 periods 1 − (1/3)^12.
//
// With groupings ([ReportSettings].GroupBy), Groups has the same figures
// for each group key, as if the group's conversations were the whole data
// (see [RetentionGroup]).
//
// Memory: the report keeps per customer the set of periods in which they
// were active: 12 bytes while they span at most 64 periods (any customer
// by week or month over a year), else 8 bytes per active period, and the
// id, once per report (shared with the repeat ledgers), bounded by the
// customers and the periods, in streaming mode too; and,
// outside streaming mode, 16 bytes per conversation of an identified
// customer for the repeat-contact rate, which needs every start (a flat
// log: adding is an append, without a lookup). With groupings it keeps
// the same again per group key: bounded by groups × customers (a customer
// counts once in each group they had a conversation in), and 16 bytes more
// per conversation outside streaming mode. On the report benchmark
// (20,000 customers, every conversation identified) recording the
// customers takes about a tenth of AddConversation's time.
type RetentionSummary struct {
	// Customers is the number of identified customers.
	Customers int64 `json:"customers"`
	// Returning is the returning-user rate: customers active in at least
	// two periods ÷ customers ([Cohorts.Returning]).
	Returning *RateSummary `json:"returning_users"`
	// RepeatContacts is the repeat-contact rate: conversations followed by
	// another of the same customer starting within RepeatWindowSeconds of
	// their start ÷ conversations of identified customers
	// ([RepeatContacts]). Null in streaming mode (every timing metric
	// streams), where the report keeps no starts.
	RepeatContacts      *RateSummary `json:"repeat_contacts"`
	RepeatWindowSeconds float64      `json:"repeat_window_seconds"`
	// Churn pools the periods: Σ (S − kept) ÷ Σ S, the mean churn per
	// period weighted by customers; null when no period has customers at
	// its start. ChurnOverHorizonPercent converts it to HorizonPeriods.
	Churn                   *RateSummary `json:"churn"`
	HorizonPeriods          int          `json:"horizon_periods"`
	ChurnOverHorizonPercent *float64     `json:"churn_over_horizon_percent"`
	// Periods has one entry per period with customers active in it or in
	// the period before, in time order.
	Periods []RetentionPeriod `json:"periods"`
	// Cohorts is the cohort triangle: one row per period in which some
	// customer had their first conversation ([Cohorts.Table]). The
	// triangle is overall only: null in a group's entry.
	Cohorts []CohortSummary `json:"cohorts"`
	// Groups has one entry per group key with identified customers, in the
	// order of the keys of [Summary].Groups; absent without groupings.
	Groups []RetentionGroup `json:"groups,omitempty"`
}

// RetentionGroup is the retention of the customers of one group key
// (Key as in [GroupSummary], without the period): the figures of a
// [RetentionSummary] over the group's own conversations only — a
// customer is active in a period in the group when they had a
// conversation of the group starting in it, and a repeat contact is a
// conversation of the group followed within the window by another of the
// same customer in the group. A conversation is in one group (by agent:
// the agent handling it at its last event, the group of its outcome, see
// [GroupByAgent]), so the customers of the groups are, together, the
// customers overall, and a customer who moves from one group to another
// is lost to the first and new (or won back) in the second. Cohorts and
// Groups are null: the cohort triangle is overall only.
type RetentionGroup struct {
	Key map[string]string `json:"key"`
	RetentionSummary
}

// RetentionPeriod is the retention of one period; see [RetentionSummary].
// Retention and Churn are null when no customer was active in the period
// before (S = 0).
type RetentionPeriod struct {
	Period                  string       `json:"period"`
	Start                   int64        `json:"start"`    // S
	End                     int64        `json:"end"`      // E
	New                     int64        `json:"new"`      // N
	WonBack                 int64        `json:"won_back"` // W
	Kept                    int64        `json:"kept"`     // E − N − W
	Retention               *RateSummary `json:"retention"`
	Churn                   *RateSummary `json:"churn"`
	ChurnOverHorizonPercent *float64     `json:"churn_over_horizon_percent"`
}

// CohortSummary is one row of the cohort triangle: the customers whose
// first conversation is in Period, and Active[k] of them active k periods
// later (Active[0] = Customers), for every period up to the last one with
// any activity.
type CohortSummary struct {
	Period    string  `json:"period"`
	Customers int64   `json:"customers"`
	Active    []int64 `json:"active"`
}

// maxCohortCells bounds the cells of the summary's cohort triangle: a
// report by day over 27 years has about 50 million, which the summary
// leaves out (the section says so by having no Cohorts) rather than
// allocating gigabytes.
const maxCohortCells = 1 << 20

// summary returns the retention section, or nil without customers.
func (cs *customerState) summary(c *reportConfig) (*RetentionSummary, error) {
	if cs == nil || cs.cohorts.customers.len() == 0 {
		return nil, nil
	}
	rs, err := cs.figures(c, true)
	if err != nil || !cs.keyed {
		return rs, err
	}
	keys := slices.SortedFunc(maps.Keys(cs.groups), c.compareKeys)
	rs.Groups = make([]RetentionGroup, 0, len(keys))
	for _, k := range keys {
		g, err := cs.groups[k].figures(c, false)
		if err != nil {
			return nil, err
		}
		rg := RetentionGroup{Key: make(map[string]string, len(c.groupings)), RetentionSummary: *g}
		vs, _ := splitKey(k, len(c.groupings))
		for i, v := range vs {
			rg.Key[c.groupings[i].name] = v
		}
		rs.Groups = append(rs.Groups, rg)
	}
	return rs, nil
}

// figures computes the retention figures of cs, with the cohort triangle
// when triangle is set.
func (cs *customerState) figures(c *reportConfig, triangle bool) (*RetentionSummary, error) {
	rs := &RetentionSummary{Customers: int64(cs.cohorts.customers.len()), HorizonPeriods: c.retention.horizon(),
		Periods: []RetentionPeriod{}, Cohorts: []CohortSummary{}}
	ret, err := cs.cohorts.Returning()
	if err != nil {
		return nil, err
	}
	rs.Returning = rateSummary(ret)
	rs.RepeatWindowSeconds = time.Duration(cs.window).Seconds()
	if cs.repeats {
		var rep Proportion
		cs.starts.eachCustomer(func(_ int, starts []int64) {
			rep.Trials += int64(len(starts))
			rep.Successes += repeatedStarts(starts, cs.window)
		})
		rs.RepeatContacts = rateSummary(rep)
	}

	flows := cs.cohorts.flows()
	k := rs.HorizonPeriods
	var pooled Proportion
	for _, f := range flows {
		p := RetentionPeriod{Period: c.periods.Label(cs.cohorts.cfg.start(f.index), c.period),
			Start: f.start, End: f.end, New: f.new, WonBack: f.wonBack, Kept: f.end - f.new - f.wonBack}
		if p.Start > 0 {
			kept, err := RetentionRate(f.start, f.end, f.new+f.wonBack)
			if err != nil {
				return nil, err
			}
			churn, err := ChurnRate(f.start, f.end, f.new+f.wonBack)
			if err != nil {
				return nil, err
			}
			p.Retention, p.Churn = rateSummary(kept), rateSummary(churn)
			if p.ChurnOverHorizonPercent, err = churnOverHorizonPercent(churn, k); err != nil {
				return nil, err
			}
			pooled = pooled.Add(churn)
		}
		rs.Periods = append(rs.Periods, p)
	}
	if pooled.Trials > 0 {
		rs.Churn = rateSummary(pooled)
		if rs.ChurnOverHorizonPercent, err = churnOverHorizonPercent(pooled, k); err != nil {
			return nil, err
		}
	}

	if !triangle {
		rs.Cohorts = nil
		return rs, nil
	}
	table, err := cs.cohorts.Table()
	if err != nil {
		return nil, err
	}
	var cells int64
	for _, row := range table {
		cells += row.Periods
	}
	if cells <= maxCohortCells {
		for _, row := range table {
			cr := CohortSummary{Period: c.periods.Label(row.Start, c.period), Customers: row.Customers, Active: make([]int64, row.Periods)}
			for _, cell := range row.Cells {
				cr.Active[cell.Offset] = cell.Active.Successes
			}
			rs.Cohorts = append(rs.Cohorts, cr)
		}
	}
	return rs, nil
}

// churnOverHorizonPercent converts a churn rate to k periods, in percent.
func churnOverHorizonPercent(churn Proportion, k int) (*float64, error) {
	f, err := churn.Fraction()
	if err != nil {
		return nil, err
	}
	h, err := ChurnOverHorizon(f, k)
	if err != nil {
		return nil, err
	}
	h *= 100
	return &h, nil
}

// periodFlow is the customer flow of one period (see RetentionSummary).
type periodFlow struct {
	index                    int64 // the period, as cohortsConfig.index numbers them
	start, end, new, wonBack int64
}

// flows returns the flow of every period in which some customer was active
// or was active the period before, in time order, in time proportional to
// the recorded (customer, period) activities.
func (c *Cohorts) flows() []periodFlow {
	byIndex := make(map[int64]*periodFlow)
	at := func(i int64) *periodFlow {
		f := byIndex[i]
		if f == nil {
			f = &periodFlow{index: i}
			byIndex[i] = f
		}
		return f
	}
	c.customers.each(func(_ int, _ []byte, s []int64) {
		for j, i := range s {
			f := at(i)
			f.end++
			switch {
			case j == 0:
				f.new++
			case s[j-1] != i-1:
				f.wonBack++
			}
			if i < math.MaxInt64 {
				at(i+1).start++
			}
		}
	})
	out := make([]periodFlow, 0, len(byIndex))
	for _, f := range byIndex {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b periodFlow) int { return cmp.Compare(a.index, b.index) })
	return out
}
