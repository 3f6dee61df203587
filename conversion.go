package chatkpi

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Wire tags of the accumulators of conversion.go.
const (
	tagConversion        byte = 0x30
	tagConversionByGroup byte = 0x31
	tagFunnel            byte = 0x32
	tagGoalTally         byte = 0x37
)

// Conversion counts conversations (or web visits) and those that reached a
// goal: a purchase, a sign-up, any target action. It reads [Conversation]s
// with [Conversion.AddConversation] or plain outcomes with [Conversion.Add]
// for data that is not chat, such as web-shop sessions.
//
//	conversion rate = conversations with at least one Goal event ÷ conversations
//
// Goals achieved is the numerator: a conversation with three goals counts
// once (the number of Goal events is kept separately). Goal values are summed
// per currency as [Money], never across currencies.
//
// The zero value is an empty accumulator, ready to use. A Conversion is not
// safe for concurrent use; build one per goroutine and [Conversion.Merge].
type Conversion struct {
	conversations int64
	converted     int64
	goals         int64 // Goal events, counting several per conversation
	sales         Money
	buf           []Event // scratch for conversations that are not a *Chat
}

// ConversionResult is what a [Conversion] has counted.
type ConversionResult struct {
	// Rate is converted ÷ conversations; Rate.Successes is the number of
	// goals achieved (conversations with at least one goal).
	Rate Proportion
	// Interval is the 95 % Wilson score interval of Rate.
	Interval Interval
	// GoalEvents counts every Goal event, several per conversation if so.
	GoalEvents int64
	// Sales is the sum of goal values per currency.
	Sales Money
}

// AddConversation counts one conversation: converted when it has at least one
// Goal event. The conversation id must not be empty, events must be in time
// order and every event must pass [ValidateEvent]; on error nothing is
// counted.
func (c *Conversion) AddConversation(conv Conversation) error {
	info := conv.Info()
	evs, goals, err := c.scan(info.ID, conv)
	if err != nil {
		return err
	}
	c.count(evs, goals)
	return nil
}

// scan validates the events of conv and counts its goals, without changing
// the accumulator.
func (c *Conversion) scan(id string, conv Conversation) ([]Event, int64, error) {
	if id == "" {
		return nil, 0, &InputError{Event: -1, Field: "conversation", Reason: "empty conversation id"}
	}
	evs := readEvents(conv, &c.buf)
	if err := checkEvents(id, evs); err != nil {
		return nil, 0, err
	}
	return evs, countGoals(evs), nil
}

func countGoals(evs []Event) int64 {
	var goals int64
	for i := range evs {
		if evs[i].Type == Goal {
			goals++
		}
	}
	return goals
}

func (c *Conversion) count(evs []Event, goals int64) {
	c.conversations++
	if goals > 0 {
		c.converted++
		c.goals += goals
		for i := range evs {
			if e := &evs[i]; e.Type == Goal && !e.Value.IsZero() {
				c.sales.add(e.Currency, e.Value)
			}
		}
	}
}

// goalTally is the goals of a [Report] counted where each happened: the
// Goal events and the sum of their values per currency. The report counts
// its conversations and those that reached a goal in a [Conversion] (with
// Conversion.Add, in the group of the conversation's start) and the goal
// events in a goalTally (in the group of each goal), so that a period's
// conversion rate is the share of the conversations started in it that
// reached a goal, and its goals and goal value are those achieved in it.
type goalTally struct {
	events int64
	value  Money
}

// add counts a Goal event that passed checkEvent.
func (g *goalTally) add(e *Event) {
	g.events++
	if !e.Value.IsZero() {
		g.value.add(e.Currency, e.Value)
	}
}

// Merge adds o's goals; it cannot fail (the error is for binaryPart's
// symmetry with the other accumulators).
func (g *goalTally) Merge(o *goalTally) error {
	g.events += o.events
	g.value.Merge(o.value)
	return nil
}

// MarshalBinary encodes the count and the values (amounts as decimal
// strings).
func (g *goalTally) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagGoalTally, 16)
	e.uvarint(uint64(g.events))
	e.moneyAmounts(g.value)
	return e.finish(), nil
}

// UnmarshalBinary replaces g with a decoded [goalTally.MarshalBinary]; a
// value without a goal event is corrupt.
func (g *goalTally) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagGoalTally, "goals")
	var x goalTally
	x.events = d.count()
	x.value = d.moneyAmounts()
	if d.err == nil && x.events == 0 && !x.value.IsZero() {
		d.fail("goal value %s without a goal event", x.value)
	}
	if err := d.finish(); err != nil {
		return err
	}
	*g = x
	return nil
}

// Add counts one visit (or any other observation that is not a
// conversation) that converted or not; a converted visit counts as one goal
// event.
func (c *Conversion) Add(converted bool) {
	c.conversations++
	if converted {
		c.converted++
		c.goals++
	}
}

// AddSale counts one converted visit with its value in currency, for data
// that is not chat. The value must not be negative; a zero value adds no
// money, but the visit still counts as converted.
func (c *Conversion) AddSale(currency string, value decimal.Decimal) error {
	if err := convCheckSale(currency, value); err != nil {
		return err
	}
	c.Add(true)
	if !value.IsZero() {
		c.sales.add(currency, value)
	}
	return nil
}

func convCheckSale(currency string, value decimal.Decimal) error {
	if !isCurrencyCode(currency) {
		return invalidf("currency", "%q is not an ISO 4217 code (three upper-case letters)", currency)
	}
	if value.IsNegative() {
		return invalidf("value", "negative sale %s %s", value, currency)
	}
	return nil
}

// Merge adds the counts and sales of o to c. Conversions have no settings, so
// it always succeeds; the error is there for symmetry with the accumulators
// that have.
func (c *Conversion) Merge(o *Conversion) error {
	c.conversations += o.conversations
	c.converted += o.converted
	c.goals += o.goals
	c.sales.Merge(o.sales)
	return nil
}

// Result returns the counts, or [ErrNoData] when nothing was added.
func (c *Conversion) Result() (ConversionResult, error) {
	if c.conversations == 0 {
		return ConversionResult{}, ErrNoData
	}
	r := Proportion{Successes: c.converted, Trials: c.conversations}
	iv, err := r.Wilson(Z95)
	if err != nil {
		return ConversionResult{}, err
	}
	return ConversionResult{Rate: r, Interval: iv, GoalEvents: c.goals, Sales: c.sales.Clone()}, nil
}

// MarshalBinary encodes the counts and sales (amounts as decimal strings).
func (c *Conversion) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagConversion, 16)
	c.encode(e)
	return e.finish(), nil
}

func (c *Conversion) encode(e *encoder) {
	e.uvarint(uint64(c.conversations))
	e.uvarint(uint64(c.converted))
	e.uvarint(uint64(c.goals))
	e.moneyAmounts(c.sales)
}

// UnmarshalBinary replaces c with a decoded [Conversion.MarshalBinary]. It
// rejects counts that cannot occur (more conversions than conversations,
// fewer goal events than conversions, sales without conversions).
func (c *Conversion) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagConversion, "conversion")
	var x Conversion
	x.decode(d)
	if err := d.finish(); err != nil {
		return err
	}
	*c = x
	return nil
}

func (c *Conversion) decode(d *decoder) {
	c.conversations = d.count()
	c.converted = d.count()
	c.goals = d.count()
	c.sales = d.moneyAmounts()
	if d.err != nil {
		return
	}
	if c.converted > c.conversations || c.goals < c.converted || (c.converted == 0 && (c.goals != 0 || !c.sales.IsZero())) {
		d.fail("inconsistent counts: %d conversations, %d converted, %d goal events, sales %s", c.conversations, c.converted, c.goals, c.sales)
	}
}

// ConversionByGroup is a [Conversion] per caller-given key (a greeting, an
// agent, a page, a visitor type) and, optionally, per calendar period: the
// conversion rate by dimension and over days, weeks or months.
//
// A conversation belongs to the period of its start: Info.Start, or the time
// of its first event when Start is zero. Without a period
// ([ConversionByGroupSettings]) conversations are grouped by key only. The
// zero value groups by key only, in UTC, and is ready to use;
// [NewConversionByGroup] sets a period and a time zone.
type ConversionByGroup struct {
	cfg    conversionGroupsConfig
	groups map[conversionKey]*Conversion
	buf    []Event
}

type conversionKey struct {
	key   string
	start int64 // Unix seconds of the period start; 0 without a period
}

type conversionGroupsConfig struct {
	period  Period // 0: no split by period
	periods Periods
}

// ConversionByGroupSettings is how a [ConversionByGroup] splits its
// groups by period, as a plain comparable value. The zero value is the
// default: groups by key only, in UTC.
type ConversionByGroupSettings struct {
	// Period splits every group by calendar period (Day, Week, Month or
	// Year). Default (0): groups are not split by period.
	Period Period
	// Periods is the time zone and week start of the periods. Default (the
	// zero Periods): UTC, Monday. The zone must be an IANA name
	// ("Europe/Berlin") so that the accumulator can be marshalled.
	Periods Periods
}

// check returns the settings' error, wrapping [ErrInvalid], or nil.
func (s ConversionByGroupSettings) check() error {
	if err := s.Period.check(); err != nil {
		return err
	}
	return groupPeriodsEncodable(s.Periods)
}

// NewConversionByGroup returns an empty accumulator with the settings, or
// an error wrapping [ErrInvalid] for invalid settings.
func NewConversionByGroup(s ConversionByGroupSettings) (*ConversionByGroup, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return &ConversionByGroup{cfg: conversionGroupsConfig{period: s.Period, periods: s.Periods}}, nil
}

// ConversionGroup is the result of one key and period.
type ConversionGroup struct {
	Key string
	// Period is the start of the period in the accumulator's time zone, or
	// the zero time when groups are not split by period.
	Period time.Time
	ConversionResult
}

func (g *ConversionByGroup) group(key string, t time.Time) (*Conversion, error) {
	k := conversionKey{key: key}
	if g.cfg.period != 0 {
		if t.IsZero() {
			return nil, invalidf("time", "zero time for key %q: grouping by %s needs the time of each item", key, g.cfg.period)
		}
		k.start = g.cfg.periods.Start(t, g.cfg.period).Unix()
	}
	c := g.groups[k]
	if c == nil {
		if g.groups == nil {
			g.groups = make(map[conversionKey]*Conversion)
		}
		c = &Conversion{}
		g.groups[k] = c
	}
	return c, nil
}

// AddConversation counts conv under key and the period of its start, as
// [Conversion.AddConversation] does. When grouping by period, a conversation
// without events needs Info.Start. On error nothing is counted.
func (g *ConversionByGroup) AddConversation(key string, conv Conversation) error {
	info := conv.Info()
	scratch := Conversion{buf: g.buf}
	evs, goals, err := scratch.scan(info.ID, conv)
	g.buf = scratch.buf
	if err != nil {
		return err
	}
	start := info.Start
	if start.IsZero() && len(evs) > 0 {
		start = evs[0].Time
	}
	c, err := g.group(key, start)
	if err != nil {
		return &InputError{Conversation: info.ID, Event: -1, Field: "start", Reason: "no Info.Start and no events: the period of the conversation is unknown"}
	}
	c.count(evs, goals)
	return nil
}

// Add counts one visit under key at time t (t is only read when grouping by
// period, and must then not be zero).
func (g *ConversionByGroup) Add(key string, t time.Time, converted bool) error {
	c, err := g.group(key, t)
	if err != nil {
		return err
	}
	c.Add(converted)
	return nil
}

// AddSale counts one converted visit with its value, as [Conversion.AddSale].
func (g *ConversionByGroup) AddSale(key string, t time.Time, currency string, value decimal.Decimal) error {
	if err := convCheckSale(currency, value); err != nil {
		return err
	}
	c, err := g.group(key, t)
	if err != nil {
		return err
	}
	return c.AddSale(currency, value)
}

// Merge adds the groups of o to g. It returns [ErrIncompatible] when the two
// use different periods, time zones or week starts.
func (g *ConversionByGroup) Merge(o *ConversionByGroup) error {
	if !g.cfg.equal(o.cfg) {
		return fmt.Errorf("conversion by group: %s in %s vs %s in %s: %w",
			convPeriodName(g.cfg.period), g.cfg.periods.Location(), convPeriodName(o.cfg.period), o.cfg.periods.Location(), ErrIncompatible)
	}
	for k, oc := range o.groups {
		c, ok := g.groups[k]
		if !ok {
			if g.groups == nil {
				g.groups = make(map[conversionKey]*Conversion, len(o.groups))
			}
			c = &Conversion{}
			g.groups[k] = c
		}
		if err := c.Merge(oc); err != nil {
			return err
		}
	}
	return nil
}

func (c conversionGroupsConfig) equal(o conversionGroupsConfig) bool {
	return c.period == o.period && groupPeriodsEqual(c.periods, o.periods)
}

func convPeriodName(p Period) string {
	if p == 0 {
		return "no period"
	}
	return p.String()
}

// Groups returns one result per key and period, ordered by key and then by
// period, or [ErrNoData] when nothing was added.
func (g *ConversionByGroup) Groups() ([]ConversionGroup, error) {
	if len(g.groups) == 0 {
		return nil, ErrNoData
	}
	keys := g.sortedKeys()
	out := make([]ConversionGroup, 0, len(keys))
	for _, k := range keys {
		r, err := g.groups[k].Result()
		if err != nil {
			return nil, err
		}
		cg := ConversionGroup{Key: k.key, ConversionResult: r}
		if g.cfg.period != 0 {
			cg.Period = time.Unix(k.start, 0).In(g.cfg.periods.Location())
		}
		out = append(out, cg)
	}
	return out, nil
}

func (g *ConversionByGroup) sortedKeys() []conversionKey {
	keys := slices.Collect(maps.Keys(g.groups))
	slices.SortFunc(keys, func(a, b conversionKey) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.start, b.start))
	})
	return keys
}

// Total returns the result over all groups, or [ErrNoData] when empty.
func (g *ConversionByGroup) Total() (ConversionResult, error) {
	var t Conversion
	for _, c := range g.groups {
		_ = t.Merge(c)
	}
	return t.Result()
}

// MarshalBinary encodes the settings and every group.
func (g *ConversionByGroup) MarshalBinary() ([]byte, error) {
	if err := groupPeriodsEncodable(g.cfg.periods); err != nil {
		return nil, err
	}
	e := newEncoder(tagConversionByGroup, 16+24*len(g.groups))
	e.byte1(byte(g.cfg.period))
	encodeGroupPeriods(e, g.cfg.periods)
	keys := g.sortedKeys()
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.string(k.key)
		e.varint(k.start)
		g.groups[k].encode(e)
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces g with a decoded [ConversionByGroup.MarshalBinary].
// It rejects groups out of order or duplicated, empty groups, period starts
// that are not the start of a period, and inconsistent counts.
func (g *ConversionByGroup) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagConversionByGroup, "conversion by group")
	var cfg conversionGroupsConfig
	cfg.period = Period(d.byte1())
	if d.err == nil && cfg.period > Year {
		d.fail("period %d is not day, week, month or year", uint8(cfg.period))
	}
	cfg.periods = decodeGroupPeriods(d)
	n := d.length(5)
	groups := make(map[conversionKey]*Conversion, n)
	var prev conversionKey
	for i := range n {
		k := conversionKey{key: d.string(), start: d.varint()}
		c := &Conversion{}
		c.decode(d)
		if d.err != nil {
			break
		}
		if i > 0 && cmp.Or(cmp.Compare(prev.key, k.key), cmp.Compare(prev.start, k.start)) >= 0 {
			d.fail("group (%q, %d) is out of order or repeated", k.key, k.start)
			break
		}
		if c.conversations == 0 {
			d.fail("group %q has no conversations", k.key)
			break
		}
		if cfg.period == 0 && k.start != 0 {
			d.fail("group %q has a period start but the groups are not split by period", k.key)
			break
		}
		if cfg.period != 0 && cfg.periods.Start(time.Unix(k.start, 0), cfg.period).Unix() != k.start {
			d.fail("group %q: %d is not the start of a %s", k.key, k.start, cfg.period)
			break
		}
		groups[k] = c
		prev = k
	}
	if err := d.finish(); err != nil {
		return err
	}
	*g = ConversionByGroup{cfg: cfg, groups: groups}
	return nil
}

// Funnel counts a greeting funnel: greetings displayed → accepted (a chat
// started from the greeting) → goal (the chat converted). Each step is a
// subset of the one before, so its rate is a [Proportion] of the previous
// step. The zero value is an empty funnel, ready to use; keep one Funnel per
// greeting to compare greetings.
type Funnel struct {
	displayed, accepted, converted int64
}

// FunnelResult holds the counts of each step and the rate of each step.
type FunnelResult struct {
	Displayed, Accepted, Converted int64
	// Acceptance is accepted ÷ displayed.
	Acceptance Proportion
	// GoalRate is converted ÷ accepted; it has no data when nothing was
	// accepted.
	GoalRate Proportion
	// Overall is converted ÷ displayed.
	Overall Proportion
}

// Add counts one displayed greeting. A greeting cannot convert without being
// accepted, so converted without accepted is an error.
func (f *Funnel) Add(accepted, converted bool) error {
	if converted && !accepted {
		return invalidf("converted", "a goal from a greeting that was not accepted")
	}
	return f.AddCounts(1, funnelCount(accepted), funnelCount(converted))
}

func funnelCount(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// AddCounts adds counts of the three steps. It is an error if a count is
// negative or a later step exceeds an earlier one.
func (f *Funnel) AddCounts(displayed, accepted, converted int64) error {
	if err := checkFunnel(displayed, accepted, converted); err != nil {
		return err
	}
	if displayed > math.MaxInt64-f.displayed {
		return invalidf("displayed", "count overflows int64")
	}
	f.displayed += displayed
	f.accepted += accepted
	f.converted += converted
	return nil
}

func checkFunnel(displayed, accepted, converted int64) error {
	switch {
	case displayed < 0 || accepted < 0 || converted < 0:
		return invalidf("funnel", "negative count in %d displayed, %d accepted, %d converted", displayed, accepted, converted)
	case accepted > displayed:
		return invalidf("accepted", "%d accepted exceeds %d displayed", accepted, displayed)
	case converted > accepted:
		return invalidf("converted", "%d converted exceeds %d accepted", converted, accepted)
	}
	return nil
}

// Merge adds the counts of o to f.
func (f *Funnel) Merge(o *Funnel) error {
	return f.AddCounts(o.displayed, o.accepted, o.converted)
}

// Result returns the steps and their rates, or [ErrNoData] when no greeting
// was displayed.
func (f *Funnel) Result() (FunnelResult, error) {
	if f.displayed == 0 {
		return FunnelResult{}, ErrNoData
	}
	return FunnelResult{
		Displayed: f.displayed, Accepted: f.accepted, Converted: f.converted,
		Acceptance: Proportion{Successes: f.accepted, Trials: f.displayed},
		GoalRate:   Proportion{Successes: f.converted, Trials: f.accepted},
		Overall:    Proportion{Successes: f.converted, Trials: f.displayed},
	}, nil
}

// MarshalBinary encodes the three counts.
func (f *Funnel) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagFunnel, 12)
	e.uvarint(uint64(f.displayed))
	e.uvarint(uint64(f.accepted))
	e.uvarint(uint64(f.converted))
	return e.finish(), nil
}

// UnmarshalBinary replaces f with a decoded [Funnel.MarshalBinary]; a later
// step larger than an earlier one is rejected.
func (f *Funnel) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagFunnel, "funnel")
	x := Funnel{displayed: d.count(), accepted: d.count(), converted: d.count()}
	if d.err == nil {
		if err := checkFunnel(x.displayed, x.accepted, x.converted); err != nil {
			d.fail("%v", err)
		}
	}
	if err := d.finish(); err != nil {
		return err
	}
	*f = x
	return nil
}

// groupPeriodsEqual reports whether two Periods assign every instant to the same
// buckets (same zone name and week start).
func groupPeriodsEqual(a, b Periods) bool {
	return a.Location().String() == b.Location().String() && a.WeekStart() == b.WeekStart()
}

// groupPeriodsEncodable fails when the zone of ps cannot be found again by
// name with [time.LoadLocation], which decoding needs.
func groupPeriodsEncodable(ps Periods) error {
	name := ps.Location().String()
	if name == "Local" {
		return invalidf("time zone", "the machine's Local zone has no portable name; pass time.LoadLocation of an IANA name")
	}
	if _, err := time.LoadLocation(name); err != nil {
		return invalidf("time zone", "%q is not an IANA time zone name that can be loaded: %v", name, err)
	}
	return nil
}

func encodeGroupPeriods(e *encoder, ps Periods) {
	e.string(ps.Location().String())
	e.byte1(byte(ps.WeekStart()))
}

func decodeGroupPeriods(d *decoder) Periods {
	name := d.string()
	ws := d.byte1()
	if d.err != nil {
		return Periods{}
	}
	if ws > byte(time.Saturday) {
		d.fail("week start %d is not a weekday", ws)
		return Periods{}
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		d.fail("time zone %q is not an IANA name that can be loaded", name)
		return Periods{}
	}
	ps, err := NewPeriods(loc, time.Weekday(ws))
	if err != nil {
		d.fail("%v", err)
	}
	return ps
}
