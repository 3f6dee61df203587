package chatkpi

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// Wire tags of the accumulators of retention.go.
const (
	tagRepeatContacts byte = 0x34
	tagChurnByGroup   byte = 0x35
)

// RetentionRate returns the customers kept through a period as a share of
// the customers at its start:
//
//	retention = (E − N) ÷ S
//
// with S customers at the start, E at the end and N acquired during the
// period; E − N are the starting customers still there. (Its Percent is the
// retention rate × 100.) Customers won during the period are not counted as
// kept, which the naive E ÷ S does (see [EndToStartRatio]).
//
// It returns [ErrNoData] when S is 0 and an error wrapping [ErrInvalid] when
// a count is negative, N exceeds E, or E − N exceeds S.
func RetentionRate(start, end, acquired int64) (Proportion, error) {
	if err := checkCustomerCounts(start, end, acquired); err != nil {
		return Proportion{}, err
	}
	return Proportion{Successes: end - acquired, Trials: start}, nil
}

// ChurnRate returns the customers lost during a period as a share of the
// customers at its start:
//
//	churn = lost ÷ S, lost = S − (E − N)
//
// with S, E and N as in [RetentionRate], whose errors it shares. Churn and
// retention add up to 1.
func ChurnRate(start, end, acquired int64) (Proportion, error) {
	if err := checkCustomerCounts(start, end, acquired); err != nil {
		return Proportion{}, err
	}
	return Proportion{Successes: start - (end - acquired), Trials: start}, nil
}

func checkCustomerCounts(start, end, acquired int64) error {
	switch {
	case start < 0 || end < 0 || acquired < 0:
		return invalidf("customers", "negative count: %d at the start, %d at the end, %d acquired", start, end, acquired)
	case acquired > end:
		return invalidf("acquired", "%d acquired is more than the %d customers at the end", acquired, end)
	case end-acquired > start:
		return invalidf("customers", "%d − %d = %d customers kept is more than the %d at the start", end, acquired, end-acquired, start)
	case start == 0:
		return fmt.Errorf("no customers at the start of the period: %w", ErrNoData)
	}
	return nil
}

// EndToStartRatio returns E ÷ S, the "retention" of some guides. It
// OVERSTATES retention whenever customers are won during the period, and can
// exceed 1; it is here only to reproduce such reports. Use [RetentionRate].
// It returns [ErrNoData] when S is 0 and an error wrapping [ErrInvalid] for a
// negative count.
func EndToStartRatio(start, end int64) (float64, error) {
	if start < 0 || end < 0 {
		return 0, invalidf("customers", "negative count: %d at the start, %d at the end", start, end)
	}
	if start == 0 {
		return 0, fmt.Errorf("no customers at the start of the period: %w", ErrNoData)
	}
	return float64(end) / float64(start), nil
}

// ChurnOverHorizon converts a churn rate c per period (a fraction in [0, 1])
// to the churn over k periods, assuming the same rate in every period:
//
//	1 − (1 − c)^k
//
// computed as −expm1(k × log1p(−c)) to stay accurate for small c. k = 0
// gives 0. A c outside [0, 1] (or NaN) or a negative k is an error wrapping
// [ErrInvalid].
func ChurnOverHorizon(c float64, k int) (float64, error) {
	if !(c >= 0 && c <= 1) {
		return 0, invalidf("churn", "%v is not a fraction in [0, 1]", c)
	}
	if k < 0 {
		return 0, invalidf("periods", "negative horizon %d", k)
	}
	if k == 0 {
		return 0, nil
	}
	if c == 1 {
		return 1, nil
	}
	return -math.Expm1(float64(k) * math.Log1p(-c)), nil
}

// ChurnByGroup counts customers and those who churned by a caller-given key
// (a contract type, a plan, a channel), for snapshot data where churn is a
// status rather than a count of customers over a period. Each customer is one
// observation. The zero value is empty and ready to use.
type ChurnByGroup struct {
	groups map[string]Proportion
}

// ChurnGroup is the churn of one key: churned customers ÷ customers.
type ChurnGroup struct {
	Key   string
	Churn Proportion
}

// Add counts one customer under key.
func (g *ChurnByGroup) Add(key string, churned bool) {
	if g.groups == nil {
		g.groups = make(map[string]Proportion)
	}
	p := g.groups[key]
	p.Trials++
	if churned {
		p.Successes++
	}
	g.groups[key] = p
}

// Merge adds the counts of o to g.
func (g *ChurnByGroup) Merge(o *ChurnByGroup) error {
	for k, p := range o.groups {
		if g.groups == nil {
			g.groups = make(map[string]Proportion, len(o.groups))
		}
		g.groups[k] = g.groups[k].Add(p)
	}
	return nil
}

// Groups returns the churn of every key in key order, or [ErrNoData] when
// nothing was added.
func (g *ChurnByGroup) Groups() ([]ChurnGroup, error) {
	if len(g.groups) == 0 {
		return nil, ErrNoData
	}
	keys := slices.Sorted(maps.Keys(g.groups))
	out := make([]ChurnGroup, len(keys))
	for i, k := range keys {
		out[i] = ChurnGroup{Key: k, Churn: g.groups[k]}
	}
	return out, nil
}

// Total returns the churn over all keys, or [ErrNoData] when empty.
func (g *ChurnByGroup) Total() (Proportion, error) {
	var t Proportion
	for _, p := range g.groups {
		t = t.Add(p)
	}
	if t.Trials == 0 {
		return Proportion{}, ErrNoData
	}
	return t, nil
}

// MarshalBinary encodes the counts of every key.
func (g *ChurnByGroup) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagChurnByGroup, 16*len(g.groups))
	keys := slices.Sorted(maps.Keys(g.groups))
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.string(k)
		e.uvarint(uint64(g.groups[k].Successes))
		e.uvarint(uint64(g.groups[k].Trials))
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces g with a decoded [ChurnByGroup.MarshalBinary]. It
// rejects keys out of order or repeated and counts that are not a non-empty
// proportion.
func (g *ChurnByGroup) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagChurnByGroup, "churn by group")
	n := d.length(3)
	groups := make(map[string]Proportion, n)
	prev := ""
	for i := range n {
		k := d.string()
		p := Proportion{Successes: d.count(), Trials: d.count()}
		if d.err != nil {
			break
		}
		if i > 0 && k <= prev {
			d.fail("key %q is out of order or repeated", k)
			break
		}
		if p.Trials == 0 || p.Successes > p.Trials {
			d.fail("key %q: %d churned of %d customers", k, p.Successes, p.Trials)
			break
		}
		groups[k] = p
		prev = k
	}
	if err := d.finish(); err != nil {
		return err
	}
	*g = ChurnByGroup{groups: groups}
	return nil
}

// DefaultRepeatWindow is the default window of [RepeatContacts].
const DefaultRepeatWindow = 24 * time.Hour

// RepeatContacts measures the repeat-contact rate: how often a customer comes
// back soon after a conversation, a sign that the first one did not solve the
// problem.
//
//	repeat-contact rate = conversations followed by another conversation of
//	                      the same customer starting within the window after
//	                      their start ÷ conversations
//
// Precisely: the starts of each customer's conversations are sorted; a
// conversation counts as repeated when the customer's next start (in that
// order, which may be the same instant) is at most the window after its own
// start. The last conversation of a customer is never repeated, so the rate
// reads low for conversations near the end of the data. A conversation
// starts at Info.Start, or at its first event when Start is zero.
//
// The window defaults to [DefaultRepeatWindow] (24 h); set another with
// [NewRepeatContacts]. The zero value uses the default and is ready to use.
// Memory is one int64 per conversation, so that merging is exact. For the
// returning-user rate see [Cohorts.Returning]. A RepeatContacts is not safe
// for concurrent use, not even for concurrent calls of Result, which sorts.
type RepeatContacts struct {
	window time.Duration // 0: DefaultRepeatWindow
	starts map[string][]int64
	buf    []Event
}

// NewRepeatContacts returns an empty accumulator with the given window,
// which must be positive.
func NewRepeatContacts(window time.Duration) (*RepeatContacts, error) {
	if window <= 0 {
		return nil, invalidf("window", "the repeat-contact window must be positive, got %s", window)
	}
	return &RepeatContacts{window: window}, nil
}

// Window returns the repeat-contact window.
func (r *RepeatContacts) Window() time.Duration {
	if r.window == 0 {
		return DefaultRepeatWindow
	}
	return r.window
}

// repeatMinTime and repeatMaxTime bound the instants that fit in Unix
// nanoseconds.
func repeatMinTime() time.Time { return time.Unix(0, math.MinInt64) }
func repeatMaxTime() time.Time { return time.Unix(0, math.MaxInt64) }

// Add counts a conversation of customer that started at start. The customer
// must not be empty and start must lie between the years 1678 and 2262 (the
// range of Unix nanoseconds).
func (r *RepeatContacts) Add(customer string, start time.Time) error {
	if customer == "" {
		return invalidf("customer", "empty customer id: repeat contacts need to know who came back")
	}
	if start.IsZero() || start.Before(repeatMinTime()) || start.After(repeatMaxTime()) {
		return invalidf("start", "start %s is zero or outside the years 1678–2262", start.Format(time.RFC3339Nano))
	}
	if r.starts == nil {
		r.starts = make(map[string][]int64)
	}
	r.starts[customer] = append(r.starts[customer], start.UnixNano())
	return nil
}

// AddConversation counts conv for Info.Customer at its start. Events must be
// in time order; a conversation without events needs Info.Start.
func (r *RepeatContacts) AddConversation(conv Conversation) error {
	return addCustomerStart(conv, &r.buf, r.Add)
}

// addCustomerStart passes the customer and start of conv (see
// customerConversationStart) to add, naming the conversation in its error:
// the AddConversation of [RepeatContacts] and [Cohorts].
func addCustomerStart(conv Conversation, buf *[]Event, add func(customer string, start time.Time) error) error {
	info := conv.Info()
	start, err := customerConversationStart(info, conv, buf)
	if err != nil {
		return err
	}
	if err := add(info.Customer, start); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			ie.Conversation = info.ID
		}
		return err
	}
	return nil
}

// customerConversationStart returns Info.Start, or the time of the first
// event when Start is zero, after checking that the events are in time order.
func customerConversationStart(info Info, conv Conversation, buf *[]Event) (time.Time, error) {
	evs := readEvents(conv, buf)
	for i := range evs {
		if err := checkEvent(info.ID, evs, i); err != nil {
			return time.Time{}, err
		}
	}
	start := info.Start
	if start.IsZero() && len(evs) > 0 {
		start = evs[0].Time
	}
	if start.IsZero() {
		return time.Time{}, &InputError{Conversation: info.ID, Event: -1, Field: "start", Reason: "no Info.Start and no events with a time: the start is unknown"}
	}
	return start, nil
}

// Merge adds the conversations of o to r. Both must use the same window
// ([ErrIncompatible] otherwise).
func (r *RepeatContacts) Merge(o *RepeatContacts) error {
	if r.Window() != o.Window() {
		return fmt.Errorf("repeat contacts: window %s vs %s: %w", r.Window(), o.Window(), ErrIncompatible)
	}
	for c, s := range o.starts {
		if r.starts == nil {
			r.starts = make(map[string][]int64, len(o.starts))
		}
		r.starts[c] = append(r.starts[c], s...)
	}
	return nil
}

// Result returns the repeat-contact rate, or [ErrNoData] when nothing was
// added.
func (r *RepeatContacts) Result() (Proportion, error) {
	var p Proportion
	w := int64(r.Window())
	for _, s := range r.starts {
		slices.Sort(s)
		p.Trials += int64(len(s))
		p.Successes += repeatedStarts(s, w)
	}
	if p.Trials == 0 {
		return Proportion{}, ErrNoData
	}
	return p, nil
}

// repeatedStarts counts the starts of one customer's conversations, sorted,
// that the next start follows within w nanoseconds: the rule of
// [RepeatContacts].
func repeatedStarts(s []int64, w int64) int64 {
	var n int64
	for i := 1; i < len(s); i++ {
		// s[i] − s[i−1] may overflow for starts centuries apart; compare
		// without subtracting past the window.
		if s[i-1] > math.MaxInt64-w || s[i] <= s[i-1]+w {
			n++
		}
	}
	return n
}

// MarshalBinary encodes the window and every customer's starts.
func (r *RepeatContacts) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagRepeatContacts, 16*len(r.starts))
	e.varint(int64(r.Window()))
	customers := slices.Sorted(maps.Keys(r.starts))
	e.uvarint(uint64(len(customers)))
	for _, c := range customers {
		s := slices.Sorted(slices.Values(r.starts[c]))
		e.string(c)
		e.uvarint(uint64(len(s)))
		prev := int64(0)
		for i, t := range s {
			if i == 0 {
				e.varint(t)
			} else {
				e.uvarint(uint64(t - prev)) // sorted: the gap is not negative
			}
			prev = t
		}
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces r with a decoded [RepeatContacts.MarshalBinary].
// It rejects a non-positive window, customers out of order, repeated or
// without conversations, and starts that overflow.
func (r *RepeatContacts) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagRepeatContacts, "repeat contacts")
	window := time.Duration(d.varint())
	if d.err == nil && window <= 0 {
		d.fail("window %s is not positive", window)
	}
	n := d.length(3)
	starts := make(map[string][]int64, n)
	prev := ""
	for i := 0; i < n && d.err == nil; i++ {
		c := d.string()
		k := d.length(1)
		if d.err != nil {
			break
		}
		if c == "" || (i > 0 && c <= prev) || k == 0 {
			d.fail("customer %q is empty, out of order, repeated or has no conversations", c)
			break
		}
		s := make([]int64, k)
		for j := range k {
			if j == 0 {
				s[j] = d.varint()
				continue
			}
			gap := d.uvarint()
			// MaxInt64 − s[j−1] in unsigned arithmetic is exact for any
			// int64 s[j−1].
			if gap > uint64(math.MaxInt64)-uint64(s[j-1]) {
				d.fail("customer %q: start overflows", c)
				break
			}
			s[j] = s[j-1] + int64(gap)
		}
		starts[c] = s
		prev = c
	}
	if err := d.finish(); err != nil {
		return err
	}
	w := window
	if w == DefaultRepeatWindow {
		w = 0
	}
	*r = RepeatContacts{window: w, starts: starts}
	return nil
}
