package chatkpi

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// tagCohorts is the wire tag of [Cohorts].
const tagCohorts byte = 0x33

// Cohorts builds the cohort retention table that product-analytics tools draw
// as a triangle: customers are grouped into cohorts by the period (day, week
// or month) of their first conversation, and for each later period k = 0, 1,
// 2, … the table gives the share of the cohort that was active — had a
// conversation — in period k after the cohort's own:
//
//	cell(cohort, k) = customers of the cohort active in period cohort + k
//	                  ÷ customers of the cohort
//
// Period 0 is always 100 %. Rows run up to the last period with any activity,
// so later cohorts have fewer cells; [Cohorts.Table] lists only the cells
// with activity. Activities may arrive in any order: the
// first period is the earliest one seen, so merging the accumulators of any
// split of the data gives exactly the table of the whole.
//
// It also gives the returning-user rate ([Cohorts.Returning]).
//
// Merging needs per-customer state: the set of periods in which each
// customer was active, so memory is O(customers): the id once, about 50
// bytes with it, and 12 bytes for the set when it spans at most 64 periods
// (any customer by week or month over a year), else 8 bytes per active
// period and a map entry.
//
// A Cohorts is not safe for concurrent use. The zero value groups by week
// (starting Monday) in UTC and is ready to use;
// [CohortsSettings] chooses the period and time zone. Instants must be within the
// years 1–9999.
type Cohorts struct {
	cfg       cohortsConfig
	customers cohortCustomers // each customer's active periods
	buf       []Event
}

type cohortsConfig struct {
	period  Period // 0 means Week
	periods Periods
}

func (c cohortsConfig) effectivePeriod() Period {
	if c.period == 0 {
		return Week
	}
	return c.period
}

// CohortsSettings is the period and the calendar of [Cohorts], as a plain
// comparable value. The zero value is the default: weeks from Monday, in
// UTC.
type CohortsSettings struct {
	// Period is the cohort and activity period: Day, Week, Month or Year.
	// Default (0): Week.
	Period Period
	// Periods is the time zone and week start. Default (the zero Periods):
	// UTC, Monday. The zone must be an IANA name so that the accumulator
	// can be marshalled.
	Periods Periods
}

// check returns the settings' error, wrapping [ErrInvalid], or nil.
func (s CohortsSettings) check() error {
	if err := s.Period.check(); err != nil {
		return err
	}
	return groupPeriodsEncodable(s.Periods)
}

// NewCohorts returns an empty accumulator with the settings, or an error
// wrapping [ErrInvalid] for invalid settings.
func NewCohorts(s CohortsSettings) (*Cohorts, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return &Cohorts{cfg: cohortsConfig{period: s.Period, periods: s.Periods}}, nil
}

// Period returns the cohort period.
func (c *Cohorts) Period() Period { return c.cfg.effectivePeriod() }

// index numbers the periods so that consecutive periods differ by one: days
// since 1970-01-01 in the zone, weeks counted likewise from the configured
// week start, months as 12 × year + month − 1, years as the year.
func (c cohortsConfig) index(t time.Time) int64 {
	y, m, d := t.In(c.periods.Location()).Date()
	switch c.effectivePeriod() {
	case Month:
		return int64(y)*12 + int64(m-1)
	case Year:
		return int64(y)
	}
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	if c.effectivePeriod() == Day {
		return days
	}
	// 1970-01-01 was a Thursday (weekday 4): days+4−ws is a multiple of 7
	// exactly on the first day of a week.
	return floorDivInt64(days+4-int64(c.periods.WeekStart()), 7)
}

// start returns the first instant of the period with index i.
func (c cohortsConfig) start(i int64) time.Time {
	loc := c.periods.Location()
	switch c.effectivePeriod() {
	case Month:
		return localMidnight(int(floorDivInt64(i, 12)), time.Month(i-12*floorDivInt64(i, 12)+1), 1, loc)
	case Year:
		return localMidnight(int(i), time.January, 1, loc)
	case Week:
		i = i*7 - 4 + int64(c.periods.WeekStart())
	}
	y, m, d := time.Unix(i*86400, 0).UTC().Date()
	return localMidnight(y, m, d, loc)
}

func floorDivInt64(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// minCohortTime and maxCohortTime bound the instants a cohort accepts.
func minCohortTime() time.Time { return time.Date(1, time.January, 2, 0, 0, 0, 0, time.UTC) }
func maxCohortTime() time.Time { return time.Date(9999, time.December, 30, 0, 0, 0, 0, time.UTC) }

// indexRange is the range of period indices of instants the accumulator
// accepts (a day of margin on each side covers every zone offset).
func (c cohortsConfig) indexRange() (lo, hi int64) {
	return c.index(minCohortTime()), c.index(maxCohortTime())
}

// Add records that customer was active (had a conversation) at t.
func (c *Cohorts) Add(customer string, t time.Time) error {
	if customer == "" {
		return invalidf("customer", "empty customer id: cohorts need to know who was active")
	}
	if t.Before(minCohortTime()) || t.After(maxCohortTime()) {
		return invalidf("time", "%s is zero or outside the years 1–9999", t.Format(time.RFC3339Nano))
	}
	c.addIndex(customer, c.cfg.index(t))
	return nil
}

// addIndex records that customer was active in the period with index i.
func (c *Cohorts) addIndex(customer string, i int64) { c.customers.add(customer, i) }

// AddConversation records Info.Customer as active at the conversation's
// start (Info.Start, or its first event when Start is zero). Events must be
// in time order.
func (c *Cohorts) AddConversation(conv Conversation) error {
	return addCustomerStart(conv, &c.buf, c.Add)
}

// Merge adds the activity of o to c. Both must use the same period, time
// zone and week start ([ErrIncompatible] otherwise).
func (c *Cohorts) Merge(o *Cohorts) error {
	if err := c.compatible(o); err != nil {
		return err
	}
	c.customers.merge(&o.customers)
	return nil
}

// compatible returns the error of merging o into c when their periods
// differ ([ErrIncompatible]), else nil.
func (c *Cohorts) compatible(o *Cohorts) error {
	if c.cfg.effectivePeriod() != o.cfg.effectivePeriod() || !groupPeriodsEqual(c.cfg.periods, o.cfg.periods) {
		return fmt.Errorf("cohorts: %s in %s vs %s in %s: %w", c.cfg.effectivePeriod(), c.cfg.periods.Location(),
			o.cfg.effectivePeriod(), o.cfg.periods.Location(), ErrIncompatible)
	}
	return nil
}

// Cohort is one row of the cohort table, sparse: it lists the periods in
// which some customer of the cohort was active, so a table takes memory in
// proportion to the activity recorded, not to the time it spans.
type Cohort struct {
	// Start is the first instant of the cohort's period.
	Start time.Time
	// Customers is the size of the cohort: customers whose first activity
	// falls in its period.
	Customers int64
	// Periods is the length of the row: the cohort's own period and the
	// later ones up to the last period with any activity (of any cohort).
	Periods int64
	// Cells are the periods of the row in which some customer of the
	// cohort was active, by Offset; Cells[0] is period 0, Customers of
	// Customers. A period of the row that is not listed had none active.
	Cells []CohortCell
}

// CohortCell is one period of a [Cohort] with activity.
type CohortCell struct {
	Offset int64      // periods after the cohort's own (0: its own)
	Active Proportion // customers of the cohort active then, of Customers
}

// Active returns the cell of the k-th period after Start: the cohort's
// customers active then, out of Customers — 0 of Customers for a period
// without activity. Outside the row (k < 0 or k ≥ Periods) it is 0 of 0.
func (c Cohort) Active(k int64) Proportion {
	if k < 0 || k >= c.Periods {
		return Proportion{}
	}
	if i, ok := slices.BinarySearchFunc(c.Cells, k, func(x CohortCell, k int64) int { return cmp.Compare(x.Offset, k) }); ok {
		return c.Cells[i].Active
	}
	return Proportion{Trials: c.Customers}
}

// Table returns the cohorts in time order, or [ErrNoData] when nothing was
// added. Periods in which no customer had a first activity have no row;
// each row runs to the last period with any activity and lists the periods
// with activity of its customers ([Cohort.Active] gives any cell). It takes
// time in proportion to the recorded (customer, period) activities and
// memory in proportion to the cells with activity, whatever the time they
// span.
func (c *Cohorts) Table() ([]Cohort, error) {
	if c.customers.len() == 0 {
		return nil, ErrNoData
	}
	last := int64(math.MinInt64)
	sizes := make(map[int64]int64)
	c.customers.each(func(_ int, _ []byte, s []int64) {
		sizes[s[0]]++
		last = max(last, s[len(s)-1])
	})
	firsts := slices.Sorted(maps.Keys(sizes))
	row := make(map[int64]int, len(firsts))
	for i, f := range firsts {
		row[f] = i
	}
	active := make([]map[int64]int64, len(firsts)) // of each cohort: offset → customers active then
	c.customers.each(func(_ int, _ []byte, s []int64) {
		i := row[s[0]]
		if active[i] == nil {
			active[i] = make(map[int64]int64)
		}
		for _, p := range s {
			active[i][p-s[0]]++
		}
	})
	out := make([]Cohort, len(firsts))
	for i, f := range firsts {
		n := sizes[f]
		cells := make([]CohortCell, 0, len(active[i]))
		for _, off := range slices.Sorted(maps.Keys(active[i])) {
			cells = append(cells, CohortCell{Offset: off, Active: Proportion{Successes: active[i][off], Trials: n}})
		}
		out[i] = Cohort{Start: c.cfg.start(f), Customers: n, Periods: last - f + 1, Cells: cells}
	}
	return out, nil
}

// Returning returns the returning-user rate: customers active in at least
// two distinct periods ÷ customers. With the period a day, a customer who
// chats twice on one day has not returned; one who chats on Monday and again
// on Tuesday has. It returns [ErrNoData] when nothing was added.
func (c *Cohorts) Returning() (Proportion, error) {
	var p Proportion
	for k := range c.customers.sets {
		if c.customers.has(k) {
			p.Trials++
			if c.customers.count(k) >= 2 {
				p.Successes++
			}
		}
	}
	if p.Trials == 0 {
		return Proportion{}, ErrNoData
	}
	return p, nil
}

// MarshalBinary encodes the settings and every customer's active periods.
func (c *Cohorts) MarshalBinary() ([]byte, error) {
	if err := groupPeriodsEncodable(c.cfg.periods); err != nil {
		return nil, err
	}
	e := newEncoder(tagCohorts, 16+12*c.customers.len())
	e.byte1(byte(c.cfg.effectivePeriod()))
	encodeGroupPeriods(e, c.cfg.periods)
	c.encodeCustomers(e)
	return e.finish(), nil
}

// encodeCustomers writes every customer's active periods, in id order.
func (c *Cohorts) encodeCustomers(e *encoder) {
	ks, ids := c.customers.sorted()
	e.uvarint(uint64(len(ks)))
	var s []int64
	for _, k := range ks {
		s = c.customers.periods(k, s[:0])
		e.string(string(ids[k]))
		e.uvarint(uint64(len(s)))
		e.varint(s[0])
		for i := 1; i < len(s); i++ {
			e.uvarint(uint64(s[i] - s[i-1]))
		}
	}
}

// UnmarshalBinary replaces c with a decoded [Cohorts.MarshalBinary]. It
// rejects an unknown period or zone, customers empty, out of order or
// repeated, and period sets that are not strictly increasing or lie outside
// the years 1–9999.
func (c *Cohorts) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagCohorts, "cohorts")
	var cfg cohortsConfig
	cfg.period = Period(d.byte1())
	if d.err == nil && (cfg.period < Day || cfg.period > Year) {
		d.fail("period %d is not day, week, month or year", uint8(cfg.period))
	}
	cfg.periods = decodeGroupPeriods(d)
	customers := decodeCohortCustomers(d, cfg)
	if err := d.finish(); err != nil {
		return err
	}
	if cfg.period == Week {
		cfg.period = 0
	}
	*c = Cohorts{cfg: cfg, customers: customers}
	return nil
}

// decodeCohortCustomers reads what Cohorts.encodeCustomers wrote, for the
// settings cfg.
func decodeCohortCustomers(d *decoder, cfg cohortsConfig) cohortCustomers {
	var lo, hi int64
	if d.err == nil {
		lo, hi = cfg.indexRange()
	}
	n := d.length(4)
	customers := cohortCustomers{ids: new(customerIDs)}
	customers.ids.reserve(n)
	prev := ""
	for i := 0; i < n && d.err == nil; i++ {
		id := d.string()
		k := d.length(1)
		if d.err != nil {
			break
		}
		if id == "" || (i > 0 && id <= prev) || k == 0 {
			d.fail("customer %q is empty, out of order, repeated or has no activity", id)
			break
		}
		s := make([]int64, k)
		s[0] = d.varint()
		if d.err == nil && (s[0] < lo || s[0] > hi) {
			d.fail("customer %q: first period outside the years 1–9999", id)
		}
		for j := 1; j < k && d.err == nil; j++ {
			gap := d.uvarint()
			if gap == 0 || gap > uint64(hi-lo) {
				d.fail("customer %q: period gap %d is not positive or too large", id, gap)
				break
			}
			s[j] = s[j-1] + int64(gap)
		}
		if d.err == nil && s[k-1] > hi {
			d.fail("customer %q: periods outside the years 1–9999", id)
		}
		ck := customers.number(id)
		for _, p := range s {
			customers.addPeriod(ck, p)
		}
		prev = id
	}
	return customers
}
