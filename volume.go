package chatkpi

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// tagVolume is the wire tag of [Volume].
const tagVolume byte = 0x3a

// Grouping says how [Volume] splits its rows: by engagement source, channel,
// a caller dimension, or any key of the conversation's [Info]. The zero
// value does not group (every row has the group ""). Groupings compare
// with ==: the built-in ones by name, those of [GroupBy] by identity (each
// call of GroupBy makes a new one).
type Grouping struct {
	name string
	key  *customKey // the key function of GroupBy, nil for the built-in groupings
}

type customKey struct{ f func(Info) string }

// needsEvents reports whether the grouping's keys need the events
// ([GroupByAgent], [GroupByHandler]); only [Report] computes those.
func (g Grouping) needsEvents() bool { return g.name == "agent" || g.name == "handler" }

// GroupBySource groups by Info.Source, the engagement source (page, link,
// product or greeting that started the conversation).
func GroupBySource() Grouping { return Grouping{name: "source"} }

// GroupByChannel groups by Info.Channel.
func GroupByChannel() Grouping { return Grouping{name: "channel"} }

// GroupByPriority groups by Info.Priority, the ticket's priority.
func GroupByPriority() Grouping { return Grouping{name: "priority"} }

// GroupByDim groups by the caller dimension Info.Dims[dim]; conversations
// without it have the group "".
func GroupByDim(dim string) Grouping { return Grouping{name: "dim:" + dim} }

// GroupBy groups by any key of a conversation's Info. name identifies the
// grouping: accumulators merge only with the same name, and an accumulator
// decoded with [Volume.UnmarshalBinary] cannot add conversations under a
// custom grouping (its function is not encoded) but can still merge and
// report.
func GroupBy(name string, key func(Info) string) Grouping {
	return Grouping{name: "custom:" + name, key: &customKey{key}}
}

// Name returns the grouping's name: "" (none), "source", "channel", "priority",
// "dim:<name>" or "custom:<name>".
func (g Grouping) Name() string { return g.name }

// groupKey returns the group of a conversation and whether the grouping
// can compute it.
func (g Grouping) groupKey(info Info) (string, bool) {
	switch {
	case g.name == "":
		return "", true
	case g.name == "source":
		return info.Source, true
	case g.name == "channel":
		return info.Channel, true
	case g.name == "priority":
		return info.Priority, true
	case strings.HasPrefix(g.name, "dim:"):
		return info.Dims[g.name[4:]], true
	case g.key != nil:
		return g.key.f(info), true
	}
	return "", false
}

func validGroupingName(name string) bool {
	switch {
	case name == "", name == "source", name == "channel", name == "priority":
		return true
	case strings.HasPrefix(name, "dim:"):
		return true
	case len(name) > 7 && strings.HasPrefix(name, "custom:"):
		return true
	}
	return false
}

// VolumeSettings is how a [Volume] cuts and splits its rows, as a plain
// comparable value. The zero value is the default: UTC, weeks from Monday,
// not grouped.
type VolumeSettings struct {
	// Periods is the time zone and week start of the buckets. Default (the
	// zero Periods): UTC, weeks from Monday. Only zones that
	// [time.LoadLocation] finds by name can be encoded by MarshalBinary.
	Periods Periods
	// GroupBy splits the rows by a key of the conversation's [Info]
	// (source, channel, priority, dim:NAME or a [GroupBy] key). Default (the zero
	// Grouping): not grouped.
	GroupBy Grouping
}

// check returns the settings' error, wrapping [ErrInvalid] (or
// [ErrIncompatible] for a grouping that needs the events), or nil.
func (s VolumeSettings) check() error {
	if g := s.GroupBy; g.needsEvents() {
		return fmt.Errorf("%w: grouping %q needs a conversation's events; Volume groups by its Info (source, channel, priority, dim:NAME or a custom key): use a Report for it", ErrIncompatible, g.name)
	}
	return s.GroupBy.check()
}

// check returns the error of a custom grouping without a name or a key
// function, wrapping [ErrInvalid], or nil.
func (g Grouping) check() error {
	if strings.HasPrefix(g.name, "custom:") && (g.key == nil || g.key.f == nil || g.name == "custom:") {
		return invalidf("grouping", "a custom grouping needs a name and a key function, got %q", g.name)
	}
	return nil
}

type volumeConfig struct {
	periods  Periods
	grouping Grouping
}

// Volume counts conversations, messages and resolutions per day, week, month
// and year, optionally split into groups. The zero value counts in UTC with
// weeks from Monday, ungrouped.
//
// What counts in which bucket:
//
//   - Conversations: each conversation once, in the bucket of its start
//     (Info.Start, or its first event) — the "new conversations" (new
//     tickets) of the bucket;
//   - Active: each conversation once in every bucket that contains its start
//     or at least one of its events — the conversations handled in the
//     bucket;
//   - Messages: Message events that are not Private notes, and Fallbacks, in
//     the bucket where each was sent (customer, agent, bot and system
//     messages alike);
//   - Resolutions: Resolved events, in the bucket where each happened (a
//     conversation resolved again after a reopen counts again).
//
// All four sizes of bucket are counted as conversations are added, so one
// Volume answers [Volume.Result] for any [Period]. State is one row of four
// counters per bucket and group that has data. A Volume is not safe for
// concurrent use.
type Volume struct {
	cfg  volumeConfig
	rows map[volumeKey]*VolumeCounts // pointers, so that the span cache can hold a row
	buf  []Event
	// spans caches buckets of each size, each in the slot of its start's
	// approximate bucket number, so that most events — even of conversations
	// that arrive out of time order — find their bucket (and its row) with
	// a few integer comparisons instead of a time-zone conversion and a map
	// lookup. Allocated at the first conversation (4 × 256 slots of 48
	// bytes: 48 KiB).
	spans *[volumePeriods][spanSlots]bucketSpan
}

// spanSlots is the number of cached buckets of each size.
const spanSlots = 256

// spanApprox is a bucket length in seconds for each size that is at most
// the shortest bucket (an hour less, for daylight saving time), so that the
// starts of two buckets never share a cache slot; the bucket of a time then
// starts in its slot or in one of the two before it.
func spanApprox(p Period) int64 {
	switch p {
	case Day:
		return 23 * 3600
	case Week:
		return 7*86400 - 3600
	case Month:
		return 28*86400 - 3600
	}
	return 365*86400 - 3600
}

// bucketSpan is a bucket [start, next) in Unix seconds. Bucket bounds are
// whole seconds (zone offsets are), so a time t is in the bucket exactly when
// start ≤ t.Unix() < next. The zero value contains no time.
type bucketSpan struct {
	start, next int64
	// row is the row of this bucket for group, or nil.
	group string
	row   *VolumeCounts
}

// bucket returns the cached bucket of size p containing t, whose Unix
// seconds are sec.
func (v *Volume) bucket(sec int64, t time.Time, p Period) *bucketSpan {
	if v.spans == nil {
		v.spans = new([volumePeriods][spanSlots]bucketSpan)
	}
	slots := &v.spans[p-1]
	n := sec / spanApprox(p)
	for back := range int64(3) {
		if b := &slots[(n-back)&(spanSlots-1)]; sec >= b.start && sec < b.next {
			return b
		}
	}
	start := v.cfg.periods.Start(t, p)
	s0 := start.Unix()
	b := &slots[(s0/spanApprox(p))&(spanSlots-1)]
	*b = bucketSpan{start: s0, next: v.cfg.periods.Next(start, p).Unix()}
	return b
}

type volumeKey struct {
	period Period
	start  int64 // Unix seconds of the bucket's first instant
	group  string
}

// VolumeCounts are the counts of one bucket; see [Volume].
type VolumeCounts struct {
	Conversations int64 // started in the bucket
	Active        int64 // started in or had an event in the bucket
	Messages      int64
	Resolutions   int64
}

// VolumeRow is one bucket of one group.
type VolumeRow struct {
	Start time.Time // first instant of the bucket, in the buckets' zone
	Label string    // the bucket as [Periods.Label] writes it
	Group string    // the group key ("" when not grouped)
	VolumeCounts
}

// NewVolume returns a Volume with the settings, or an error for invalid
// settings.
func NewVolume(s VolumeSettings) (*Volume, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return &Volume{cfg: volumeConfig{periods: s.Periods, grouping: s.GroupBy}}, nil
}

// volumePeriods is the number of period sizes a Volume counts: Day, Week,
// Month and Year, which are 1 to 4.
const volumePeriods = 4

// Add counts a conversation. It returns an [*InputError] for an invalid
// event, events out of time order, a start after the first event, or a
// conversation with neither events nor a start; on error nothing is counted.
func (v *Volume) AddConversation(c Conversation) error {
	info := c.Info()
	if info.ID == "" {
		return noConversationID()
	}
	group, ok := v.cfg.grouping.groupKey(info)
	if !ok {
		return fmt.Errorf("%w: volume grouping %q has no key function (it was decoded); merge into a Volume built with NewVolume", ErrIncompatible, v.cfg.grouping.name)
	}
	events := readEvents(c, &v.buf)
	for i := range events {
		if err := checkEvent(info.ID, events, i); err != nil {
			return err
		}
	}
	start := info.Start
	switch {
	case start.IsZero() && len(events) == 0:
		return &InputError{Conversation: info.ID, Event: -1, Field: "start", Reason: "no start time and no events: the conversation belongs to no period"}
	case start.IsZero():
		start = events[0].Time
	case len(events) > 0 && events[0].Time.Before(start):
		return eventErrorf(info.ID, 0, "time", "%s is before the conversation's start %s",
			events[0].Time.Format(time.RFC3339Nano), start.Format(time.RFC3339Nano))
	}
	if v.rows == nil {
		v.rows = make(map[volumeKey]*VolumeCounts)
	}
	// One pass over the events for all four bucket sizes: the running
	// message and resolution totals minus their value when a bucket opened
	// give the counts of the bucket when it closes. A bucket pointer stays
	// valid until the next lookup of its size.
	var bucket [volumePeriods]*bucketSpan
	var next, baseMsgs, baseRes [volumePeriods]int64
	s0 := start.Unix()
	for p := range volumePeriods {
		bucket[p] = v.bucket(s0, start, Period(p+1))
		next[p] = bucket[p].next
	}
	conversations := [volumePeriods]int64{1, 1, 1, 1}
	soonest := slices.Min(next[:])
	var msgs, res int64
	for i := range events {
		e := &events[i]
		if sec := e.Time.Unix(); sec >= soonest {
			for p := range volumePeriods {
				if sec >= next[p] {
					v.addSpanRow(bucket[p], Period(p+1), group, VolumeCounts{Conversations: conversations[p],
						Active: 1, Messages: msgs - baseMsgs[p], Resolutions: res - baseRes[p]})
					bucket[p] = v.bucket(sec, e.Time, Period(p+1))
					next[p] = bucket[p].next
					conversations[p], baseMsgs[p], baseRes[p] = 0, msgs, res
				}
			}
			soonest = slices.Min(next[:])
		}
		switch {
		case e.Type == Message && !e.Private, e.Type == Fallback:
			msgs++
		case e.Type == Resolved:
			res++
		}
	}
	for p := range volumePeriods {
		v.addSpanRow(bucket[p], Period(p+1), group, VolumeCounts{Conversations: conversations[p],
			Active: 1, Messages: msgs - baseMsgs[p], Resolutions: res - baseRes[p]})
	}
	return nil
}

func (v *Volume) addRow(k volumeKey, c VolumeCounts) {
	r := v.rows[k]
	if r == nil {
		r = new(VolumeCounts)
		v.rows[k] = r
	}
	r.add(c)
}

// addSpanRow adds c to the row of bucket b of size p for group,
// remembering the row with the bucket so that the next conversation of the
// bucket and group skips the map.
func (v *Volume) addSpanRow(b *bucketSpan, p Period, group string, c VolumeCounts) {
	if b.row == nil || b.group != group {
		k := volumeKey{p, b.start, group}
		b.row, b.group = v.rows[k], group
		if b.row == nil {
			b.row = new(VolumeCounts)
			v.rows[k] = b.row
		}
	}
	b.row.add(c)
}

func (r *VolumeCounts) add(c VolumeCounts) {
	r.Conversations += c.Conversations
	r.Active += c.Active
	r.Messages += c.Messages
	r.Resolutions += c.Resolutions
}

func (v *Volume) compatible(other *Volume) bool {
	a, b := v.cfg.periods, other.cfg.periods
	return a.Location().String() == b.Location().String() && a.WeekStart() == b.WeekStart() &&
		v.cfg.grouping.name == other.cfg.grouping.name
}

// Merge adds the rows of other. Both must have the same time zone, week
// start and grouping name, or it returns [ErrIncompatible].
func (v *Volume) Merge(other *Volume) error {
	if other == nil {
		return nil // nothing to add
	}
	if !v.compatible(other) {
		return fmt.Errorf("%w: volumes with different zones, week starts or groupings", ErrIncompatible)
	}
	if len(other.rows) > 0 && v.rows == nil {
		v.rows = make(map[volumeKey]*VolumeCounts, len(other.rows))
	}
	for k, c := range other.rows {
		v.addRow(k, *c)
	}
	return nil
}

// Result returns the rows of buckets of size p that have data, sorted by
// bucket start and then group. It returns [ErrNoData] if no conversation
// was added, and an error for a p that is not a [Period].
func (v *Volume) Result(p Period) ([]VolumeRow, error) {
	if p < Day || p > Year {
		return nil, invalidf("period", "%d is not a period", uint8(p))
	}
	if len(v.rows) == 0 {
		return nil, ErrNoData
	}
	ps := v.cfg.periods
	var rows []VolumeRow
	for k, c := range v.rows {
		if k.period != p {
			continue
		}
		start := time.Unix(k.start, 0).In(ps.Location())
		rows = append(rows, VolumeRow{Start: start, Label: ps.Label(start, p), Group: k.group, VolumeCounts: *c})
	}
	slices.SortFunc(rows, func(a, b VolumeRow) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Group, b.Group)
	})
	return rows, nil
}

func (v *Volume) sortedKeys() []volumeKey {
	keys := make([]volumeKey, 0, len(v.rows))
	for k := range v.rows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareVolumeKeys)
	return keys
}

func compareVolumeKeys(a, b volumeKey) int {
	if c := cmp.Compare(a.period, b.period); c != 0 {
		return c
	}
	if c := cmp.Compare(a.start, b.start); c != 0 {
		return c
	}
	return cmp.Compare(a.group, b.group)
}

// MarshalBinary encodes the settings (zone name, week start, grouping name)
// and the rows. It fails for a zone that [time.LoadLocation] cannot load by
// name (such as a [time.FixedZone]).
func (v *Volume) MarshalBinary() ([]byte, error) {
	zone := v.cfg.periods.Location().String()
	if _, err := loadZone(zone); err != nil {
		return nil, err
	}
	e := newEncoder(tagVolume, 32+24*len(v.rows))
	e.string(zone)
	e.byte1(byte(v.cfg.periods.WeekStart()))
	e.string(v.cfg.grouping.name)
	e.uvarint(uint64(len(v.rows)))
	for _, k := range v.sortedKeys() {
		c := *v.rows[k]
		e.byte1(byte(k.period))
		e.varint(k.start)
		e.string(k.group)
		e.uvarint(uint64(c.Conversations))
		e.uvarint(uint64(c.Active))
		e.uvarint(uint64(c.Messages))
		e.uvarint(uint64(c.Resolutions))
	}
	return e.finish(), nil
}

// errLocalZone is the error for [time.Local] in an encoding: time.LoadLocation
// reads "Local" as the zone of the machine it runs on, so an encoding made
// on one machine would decode in another's zone.
func errLocalZone() error {
	return invalidf("zone", "the machine's Local zone has no portable name, so it is not encoded: build the periods with time.LoadLocation of an IANA name such as Europe/Berlin")
}

// loadZone loads an encoded zone by its IANA name; "Local" is refused.
func loadZone(name string) (*time.Location, error) {
	switch name {
	case "UTC":
		return time.UTC, nil
	case "Local":
		return nil, errLocalZone()
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, invalidf("zone", "time zone %q cannot be loaded by name: %v", name, err)
	}
	return loc, nil
}

// UnmarshalBinary replaces the state with one written by
// [Volume.MarshalBinary]. A custom grouping ([GroupBy]) comes back without
// its key function. Corrupt or inconsistent encodings (unaligned buckets,
// totals that differ between bucket sizes, more conversations than active
// ones) return an error wrapping [ErrInvalid] and leave v unchanged.
func (v *Volume) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagVolume, "volume")
	zone := d.string()
	week := d.byte1()
	group := d.string()
	if d.err != nil {
		return d.err
	}
	if week > byte(time.Saturday) {
		d.fail("week start %d is not a weekday", week)
		return d.err
	}
	if !validGroupingName(group) {
		d.fail("unknown grouping %q", group)
		return d.err
	}
	loc, err := loadZone(zone)
	if err != nil {
		return err
	}
	ps, _ := NewPeriods(loc, time.Weekday(week))
	n := d.length(7) // a row takes at least 7 bytes
	rows := make(map[volumeKey]*VolumeCounts, n)
	var totals [volumePeriods][3]int64
	var prev volumeKey
	for i := 0; i < n && d.err == nil; i++ {
		k := volumeKey{period: Period(d.byte1()), start: d.varint(), group: d.string()}
		c := VolumeCounts{Conversations: d.count(), Active: d.count(), Messages: d.count(), Resolutions: d.count()}
		if d.err != nil {
			break
		}
		switch {
		case k.period < Day || k.period > Year:
			d.fail("bucket size %d is not a period", k.period)
		case i > 0 && compareVolumeKeys(prev, k) >= 0:
			d.fail("rows are not sorted and distinct")
		case c.Active == 0 || c.Conversations > c.Active:
			d.fail("a row needs an active conversation and at most as many new as active ones")
		case k.start < -1<<40 || k.start > 1<<40:
			d.fail("bucket start out of range")
		case group == "" && k.group != "":
			d.fail("a row of group %q in a volume without grouping", k.group)
		}
		if d.err != nil {
			break
		}
		if s := time.Unix(k.start, 0); !ps.Start(s, k.period).Equal(s) {
			d.fail("bucket start %d is not the start of a %s", k.start, k.period)
			break
		}
		t := &totals[k.period-1]
		t[0] += c.Conversations
		t[1] += c.Messages
		t[2] += c.Resolutions
		if t[0] < 0 || t[1] < 0 || t[2] < 0 {
			d.fail("counts overflow")
			break
		}
		rows[k] = &c
		prev = k
	}
	if err := d.finish(); err != nil {
		return err
	}
	for _, t := range totals[1:] {
		if t != totals[0] {
			d.fail("totals differ between bucket sizes")
			return d.err
		}
	}
	if len(rows) == 0 {
		rows = nil
	}
	v.cfg = volumeConfig{periods: ps, grouping: Grouping{name: group}}
	v.rows = rows
	v.spans = nil // buckets of the old zone
	return nil
}
