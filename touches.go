package chatkpi

import (
	"fmt"
	"sort"
	"time"
)

// tagTouches is the wire tag of [Touches].
const tagTouches byte = 0x67

// TouchesSettings is the repeat-contact window and the as-of instant of a
// [Touches], as a plain comparable value, with the names, meaning and
// defaults of [OutcomesSettings] (a [Report] takes them from its Outcomes
// settings, so one window serves the successful chats and the first-contact
// resolutions). The zero value is the default: a 24-hour window, data taken
// as final.
type TouchesSettings struct {
	// RepeatContactWindow is how soon after a resolution a new conversation
	// by the same customer counts as a repeat contact, which makes the
	// resolution not a first-contact one. Positive. Default (0): 24 hours.
	RepeatContactWindow time.Duration
	// AsOf says that the data are complete up to this instant, within the
	// years 1678–2261: a first-contact resolution whose window ends after
	// it cannot be judged yet and is counted as pending, out of that rate.
	// Default (the zero time): the data are final.
	AsOf time.Time
}

// config checks the settings and resolves them, wrapping [ErrInvalid].
func (s TouchesSettings) config() (outcomesConfig, error) {
	err := OutcomesSettings{RepeatContactWindow: s.RepeatContactWindow, AsOf: s.AsOf}.check()
	return outcomesConfig{repeatWindow: s.RepeatContactWindow, asOf: s.AsOf}, err
}

// The touch classes of a resolved conversation, by the public agent
// replies before its first resolution.
const (
	zeroTouch = iota
	oneTouch
	twoTouch
	multiTouch
	numTouches
)

// Touches accumulates how many times the team touched a conversation
// before resolving it, and the first-contact resolutions, over the
// conversations resolved at least once:
//
//   - one-touch, two-touch and multi-touch resolution: the conversation was
//     resolved (its first [Resolved] event) after exactly 1, exactly 2, or
//     3 or more public replies by human agents ([Event.IsReply] by an
//     [Agent]: private notes, automatic messages and bot replies are not
//     touches), in event order; Zendesk Explore's "one-touch tickets",
//     "two-touch tickets" and "multi-touch tickets"
//     (support.zendesk.com/hc/en-us/articles/4408820618266);
//   - zero-touch: resolved with no public agent reply before it (a bot
//     resolved it, or an agent resolved it without answering). Zendesk's
//     one-touch metric counts these as one-touch (its formula is "agent
//     replies < 2" on solved tickets); here they are apart, so Zendesk's
//     figure is zero-touch + one-touch. Zendesk also counts the replies of a
//     ticket's whole life, here only those before the first resolution, as
//     the catalogue defines it;
//   - first-contact resolution: resolved, never reopened after (no
//     [Reopened] after its first resolution), and no repeat contact — no
//     other inbound (not Outbound) conversation of the same Info.Customer
//     with a customer message starting within the repeat window after the
//     resolution (start in (r, r + window]), as the successful chats of
//     [Outcomes] judge it. A resolution whose window ends after the as-of
//     instant is pending, out of the rate; a conversation without a Customer
//     id cannot be linked to repeats and counts as a first-contact
//     resolution when never reopened (their number is reported).
//
// The touch rates are of the resolved conversations; zero + one + two +
// multi-touch = resolved. Conversations never resolved are counted in
// Unresolved. First-contact resolutions need every conversation of a
// customer, so Touches keeps, per identified customer, the start of each
// inbound engaged conversation and the resolution of each candidate: 32
// bytes per such instant (the id's string header, its hash and the
// instant; the id's bytes are those of the conversation), decided in
// [Touches.Result]; everything else is a fixed set of counters. Merge is
// exact; conversation order does not matter. A [Report] in streaming mode
// judges its touches' first-contact resolutions with the bounded state of
// its successful-chat rate instead (about 150 bytes per customer in
// start order; see the Report's memory bound), exact in start order and
// undefined ([Summary].FirstContactUndefined) rather than wrong when a
// conversation comes too late; a Touches of its own keeps every instant.
//
// The zero value uses the defaults (a 24-hour window, final data). A
// Touches is not safe for concurrent use.
type Touches struct {
	cfg              outcomesConfig // only the repeat window and AsOf
	touches          [numTouches]int64
	unresolved       int64
	reopened         int64      // resolved, then reopened: never first-contact
	anonymous        int64      // candidates without a customer id, window passed
	anonymousPending int64      // candidates without a customer id, window not passed
	contacts         contactLog // starts and candidate resolutions of identified customers (exact)
	// In a streaming Report, its repeat ledger decides the candidates of
	// identified customers instead of contacts (nil: contacts do): the
	// candidates, window passed [0] and pending [1], and of those the
	// ones followed by a repeat contact.
	repeats    *repeatLedger[*Touches]
	identified [2]int64
	repeatedN  [2]int64
	buf        []Event
}

// NewTouches returns an empty accumulator with the settings, or an error
// wrapping [ErrInvalid] for invalid settings.
func NewTouches(s TouchesSettings) (*Touches, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	return &Touches{cfg: cfg}, nil
}

// touchMeasure is what one conversation adds to a [Touches].
type touchMeasure struct {
	resolved  bool
	replies   int64 // public agent replies before the first resolution
	reopened  bool  // a Reopened after the first resolution
	engaged   bool  // a customer message
	start, at int64 // Unix nanoseconds of the start and of the first resolution
	firstAt   int   // index of the first Resolved event, −1 for none
}

// measureTouches measures a conversation whose events passed checkEvents.
func measureTouches(info *Info, ev []Event) (touchMeasure, error) {
	m := touchMeasure{firstAt: -1}
	for i := range ev {
		e := &ev[i]
		switch {
		case e.IsCustomerMessage():
			m.engaged = true
		case e.Type == Resolved && m.firstAt < 0:
			m.firstAt, m.resolved = i, true
		case e.Type == Reopened && m.resolved:
			m.reopened = true
		case m.firstAt < 0 && e.isHumanReply():
			m.replies++
		}
	}
	start := info.Start
	if start.IsZero() && len(ev) > 0 {
		start = ev[0].Time
	}
	var ok1, ok2 bool = true, true
	if m.engaged {
		m.start, ok1 = unixNanos(start)
	}
	if m.resolved {
		m.at, ok2 = unixNanos(ev[m.firstAt].Time)
	}
	if !ok1 || !ok2 {
		return m, &InputError{Conversation: info.ID, Event: -1, Field: "time", Reason: "conversation time outside the years 1678–2261"}
	}
	if !m.engaged {
		// Not a contact; a repeat ledger orders the conversation by it.
		if s, ok := unixNanos(start); ok && (!m.resolved || s <= m.at) {
			m.start = s
		} else {
			m.start = m.at
		}
	}
	return m, nil
}

// AddConversation measures c and adds it. Invalid events give an
// [*InputError]; nothing is added then.
func (t *Touches) AddConversation(c Conversation) error {
	info := c.Info()
	ev := readEvents(c, &t.buf)
	if info.ID == "" {
		return noConversationID()
	}
	if err := checkEvents(info.ID, ev); err != nil {
		return err
	}
	m, err := measureTouches(&info, ev)
	if err != nil {
		return err
	}
	recordTouches(t, t, &info, &m)
	return nil
}

// recordTouches adds a measured conversation, its start to start's set and
// its resolution to res's; with a repeat ledger (res's, which every set of
// a streaming report shares), the ledger gets the start and the candidate
// resolution, credited to res.
func recordTouches(start, res *Touches, info *Info, m *touchMeasure) {
	start.recordStart(info, m)
	res.recordResolution(info, m)
	l := res.repeats
	if l == nil || info.Customer == "" {
		return
	}
	inbound, candidate := m.engaged && !info.Outbound, m.resolved && !m.reopened
	if inbound || candidate {
		l.add(info.Customer, m.start, inbound, candidate, m.at, res, candidate && res.cfg.repeatPending(m.at))
	}
}

// repeated counts one of the identified candidates as followed by a
// repeat contact (a repeatTarget).
func (t *Touches) repeated(pending bool) { t.repeatedN[b2i(pending)]++ }

// openResolutions is the number of identified candidates (pending or not)
// with no repeat contact so far.
func (t *Touches) openResolutions(pending bool) int64 {
	k := b2i(pending)
	return t.identified[k] - t.repeatedN[k]
}

// recordStart adds the start of a measured conversation, which may be the
// repeat contact of another, when it is inbound, engaged and identified.
func (t *Touches) recordStart(info *Info, m *touchMeasure) {
	if m.engaged && !info.Outbound && info.Customer != "" && t.repeats == nil {
		t.contacts.starts = append(t.contacts.starts, contactAt{info.Customer, customerHash(info.Customer), m.start})
	}
}

// counts returns the conversations by touches and the unresolved ones,
// which add up to the conversations added.
func (t *Touches) counts() []int64 {
	return []int64{t.touches[zeroTouch], t.touches[oneTouch], t.touches[twoTouch], t.touches[multiTouch], t.unresolved}
}

// recordResolution adds the touches and the first-contact candidacy of a
// measured conversation (or counts it unresolved).
func (t *Touches) recordResolution(info *Info, m *touchMeasure) {
	if !m.resolved {
		t.unresolved++
		return
	}
	t.touches[min(m.replies, multiTouch)]++
	switch {
	case m.reopened:
		t.reopened++
	case info.Customer != "" && t.repeats != nil:
		t.identified[b2i(t.cfg.repeatPending(m.at))]++
	case info.Customer != "":
		t.contacts.resolutions = append(t.contacts.resolutions, contactAt{info.Customer, customerHash(info.Customer), m.at})
	case t.cfg.repeatPending(m.at):
		t.anonymousPending++
	default:
		t.anonymous++
	}
}

// Merge adds o's conversations; a different window or as-of instant gives
// [ErrIncompatible].
func (t *Touches) Merge(o *Touches) error {
	if !t.cfg.same(o.cfg) {
		return fmt.Errorf("%w: touches with different repeat windows or as-of instants", ErrIncompatible)
	}
	for i := range t.touches {
		t.touches[i] += o.touches[i]
	}
	t.unresolved += o.unresolved
	t.reopened += o.reopened
	t.anonymous += o.anonymous
	t.anonymousPending += o.anonymousPending
	t.contacts.merge(&o.contacts)
	for k := range t.identified {
		t.identified[k] += o.identified[k]
		t.repeatedN[k] += o.repeatedN[k]
	}
	return nil // a report merges its ledger itself
}

// TouchesResult is the result of a [Touches]. Each rate is a [Proportion]
// of the resolved conversations.
type TouchesResult struct {
	Resolved   int64 // conversations resolved at least once
	Unresolved int64 // never resolved
	// ZeroTouch, OneTouch, TwoTouch and MultiTouch: resolved after 0, 1, 2,
	// and 3 or more public agent replies, of Resolved.
	ZeroTouch, OneTouch, TwoTouch, MultiTouch Proportion
	// FirstContact is the first-contact resolutions of the resolved
	// conversations that could be judged (Resolved − FirstContactPending).
	FirstContact        Proportion
	FirstContactPending int64
	// Reopened is the resolved conversations reopened after their first
	// resolution (never first-contact).
	Reopened int64
	// WithoutCustomer is the first-contact resolutions without a Customer
	// id, counted as such for lack of a way to see repeats (pending ones
	// included).
	WithoutCustomer int64
}

// Result returns the counts and rates, or [ErrNoData] with the counts when
// no conversation was resolved.
func (t *Touches) Result() (TouchesResult, error) {
	return t.resultAgainst(newStartIndex(&t.contacts))
}

// resultAgainst is Result with the repeat contacts looked up in idx, the
// starts of every conversation that may be a repeat: t's own, or those of
// a whole report when t is one of its groups.
func (t *Touches) resultAgainst(idx startIndex) (TouchesResult, error) {
	var r TouchesResult
	for _, n := range t.touches {
		r.Resolved += n
	}
	r.Unresolved, r.Reopened = t.unresolved, t.reopened
	r.ZeroTouch = Proportion{t.touches[zeroTouch], r.Resolved}
	r.OneTouch = Proportion{t.touches[oneTouch], r.Resolved}
	r.TwoTouch = Proportion{t.touches[twoTouch], r.Resolved}
	r.MultiTouch = Proportion{t.touches[multiTouch], r.Resolved}
	first, pending := t.anonymous+t.openResolutions(false), t.anonymousPending+t.openResolutions(true)
	for i := range t.contacts.resolutions {
		c := &t.contacts.resolutions[i]
		next, ok := idx.nextStart(c.customer, c.at)
		switch t.cfg.repeatVerdict(c.at, next, ok) {
		case noRepeat:
			first++
		case repeatPending:
			pending++
		}
	}
	r.FirstContact = Proportion{first, r.Resolved - pending}
	r.FirstContactPending = pending
	r.WithoutCustomer = t.anonymous + t.anonymousPending
	if r.Resolved == 0 {
		return r, ErrNoData
	}
	return r, nil
}

// startIndex is the sorted starts of inbound engaged conversations by
// customer id.
type startIndex map[string][]int64

// newStartIndex indexes the starts of l.
func newStartIndex(l *contactLog) startIndex {
	idx := make(startIndex)
	if len(l.starts) == 0 {
		return idx
	}
	starts := contactLog{starts: l.starts}
	starts.eachCustomer(func(id string, s, _ []int64) {
		idx[id] = append([]int64(nil), s...)
	})
	return idx
}

// nextStart returns the first start of customer's conversations after r,
// and false when there is none.
func (idx startIndex) nextStart(customer string, r int64) (int64, bool) {
	s := idx[customer]
	i := sort.Search(len(s), func(i int) bool { return s[i] > r })
	if i == len(s) {
		return 0, false
	}
	return s[i], true
}

// MarshalBinary encodes the state, settings included. The encoding does not
// depend on the order in which conversations were added.
func (t *Touches) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagTouches, 64+8*t.contacts.size())
	e.varint(int64(t.cfg.repeat()))
	encodeAsOf(e, t.cfg.asOf)
	for _, n := range t.touches {
		e.uvarint(uint64(n))
	}
	for _, n := range [...]int64{t.unresolved, t.reopened, t.anonymous, t.anonymousPending} {
		e.uvarint(uint64(n))
	}
	t.contacts.encode(e)
	for _, n := range [...]int64{t.identified[0], t.identified[1], t.repeatedN[0], t.repeatedN[1]} {
		e.uvarint(uint64(n))
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces the state with one written by
// [Touches.MarshalBinary]. Corrupt or inconsistent input gives an error
// wrapping [ErrInvalid]; t is unchanged then.
func (t *Touches) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagTouches, "touches")
	var n Touches
	n.cfg.repeatWindow = time.Duration(d.varint())
	if d.err == nil && n.cfg.repeatWindow <= 0 {
		d.fail("the repeat window must be positive")
	}
	n.cfg.asOf = decodeAsOf(d)
	var resolved int64
	for i := range n.touches {
		n.touches[i] = d.count()
		if resolved += n.touches[i]; resolved < 0 {
			d.fail("counts overflow")
		}
	}
	n.unresolved, n.reopened, n.anonymous, n.anonymousPending = d.count(), d.count(), d.count(), d.count()
	candidates := n.contacts.decode(d)
	for _, p := range []*int64{&n.identified[0], &n.identified[1], &n.repeatedN[0], &n.repeatedN[1]} {
		*p = d.count()
	}
	n.repeats = t.repeats // a streaming report's, which it decodes itself
	switch {
	case d.err != nil:
	case n.repeatedN[0] > n.identified[0] || n.repeatedN[1] > n.identified[1]:
		d.fail("more repeated than identified candidates")
	case n.repeats == nil && n.identified != [2]int64{}:
		d.fail("identified candidates counted outside a streaming report")
	case n.repeats != nil && n.contacts.size() > 0:
		d.fail("the touches of a streaming report hold no contacts")
	}
	if err := d.finish(); err != nil {
		return err
	}
	candidates += n.identified[0] + n.identified[1]
	if sum := n.reopened + n.anonymous + n.anonymousPending + candidates; sum != resolved || sum < 0 {
		return invalidf("touches", "%d resolved conversations, but %d reopened and first-contact candidates", resolved, sum)
	}
	n.buf = t.buf
	*t = n
	return nil
}
