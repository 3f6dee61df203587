package chatkpi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// BusinessHours is a business-hours calendar: a [TimeMeasure] that counts
// only the time during which a business is open. Give it to a timing
// calculator to measure first response, reply and resolution times in
// business time instead of calendar time.
//
// A calendar has an IANA time zone, weekly opening ranges and holidays:
//
//   - An opening range is a weekday and local wall-clock times [Start, End).
//     A day may have several ranges. A range whose End is before its Start
//     runs over midnight into the next day: Friday 22:00–06:00 is open from
//     Friday 22:00 to Saturday 06:00. A whole day is written 00:00–24:00; a
//     range with Start equal to End is rejected, because it could mean
//     either nothing or 24 hours. Ranges must not overlap, also not an
//     overnight range with the next day's ranges (they are rejected, not
//     merged, since an overlap in a configuration is usually a typo); ranges
//     may touch (09:00–12:00 and 12:00–17:00).
//   - A holiday is a local date on which the business is closed: it closes
//     the whole date, from its midnight to the next, and nothing else. The
//     part after midnight of an overnight range that opened the evening
//     before is closed (Tuesday 22:00–06:00 with Wednesday a holiday is open
//     22:00–24:00 that Tuesday); the part after midnight of an overnight
//     range that opens on the holiday's evening lies on the next date and is
//     open, unless that date is a holiday too.
//   - Opening and closing times are resolved to instants in the time zone,
//     and durations are measured between instants, so daylight saving time
//     gives real elapsed time: a range 00:00–06:00 on the night the clocks
//     go forward is open 5 hours, on the night they go back 7 hours. A wall
//     time that occurs twice (clocks go back) means its first occurrence; a
//     wall time that is skipped (clocks go forward) means the instant of the
//     jump, so a range that lies inside the skipped hour is empty.
//
// The business duration between two instants is the measure of the open
// time in [from, to): the sum, over every occurrence of every range, of the
// overlap with [from, to) of its parts that lie on dates that are not
// holidays. It never exceeds to − from, and it equals to − from for a
// calendar open 00:00–24:00 every day without holidays. Long spans cost time
// proportional to the number of daylight-saving transitions and holidays in
// them, not to their length: whole weeks are added arithmetically.
//
// Times of day have a resolution of one second. A calendar is built with
// [NewBusinessHours] or read from JSON with [ParseBusinessHours]. The zero
// value is a calendar that is never open: its Elapsed returns an error,
// because a business that never opens would silently turn every duration
// into 0. A BusinessHours is immutable and safe for concurrent use.
type BusinessHours struct {
	loc      *time.Location
	ranges   []OpeningRange // sorted by Day, then Start
	holidays []Holiday      // sorted
	// byDay holds the ranges of each weekday in seconds after the local
	// midnight that starts the range's day; an overnight end is > 86400.
	byDay       [7][]openSpan
	holidayDays []int64 // days since 1970-01-01, sorted
	weekOpen    int64   // open seconds per week without holidays, in wall time
	maxEnd      int64   // the latest end of any range, seconds after its day's midnight
}

type openSpan struct{ start, end int64 }

// OpeningRange is one weekly opening range: open from Start on Day to End,
// both local wall-clock times given as the time since midnight. Start is in
// [0, 24h) and End in [0, 24h], both whole seconds. End before Start means
// the range closes at End on the next day (so 22:00–00:00 closes at
// midnight, like 22:00–24:00); 00:00–24:00 is a whole day.
type OpeningRange struct {
	Day        time.Weekday
	Start, End time.Duration
}

// String formats the range as "Friday 22:00–06:00".
func (r OpeningRange) String() string {
	return r.Day.String() + " " + formatTimeOfDay(r.Start) + "–" + formatTimeOfDay(r.End)
}

// Holiday is a local date on which the business is closed all day.
type Holiday struct {
	Year  int
	Month time.Month
	Day   int
}

// String formats the date as in ISO 8601, "2026-12-25".
func (h Holiday) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", h.Year, int(h.Month), h.Day)
}

const (
	secondsPerDay  = 24 * 60 * 60
	secondsPerWeek = 7 * secondsPerDay
)

// NewBusinessHours returns a calendar in the time zone loc (nil means UTC)
// open during ranges except on holidays. It returns an error wrapping
// [ErrInvalid] if there are no ranges, if a range or holiday is invalid or
// if two ranges overlap; holidays listed twice are an error too.
func NewBusinessHours(loc *time.Location, ranges []OpeningRange, holidays ...Holiday) (*BusinessHours, error) {
	return newBusinessHours(loc, ranges, func(i int) string { return "ranges[" + strconv.Itoa(i) + "]" },
		holidays, func(i int) string { return "holidays[" + strconv.Itoa(i) + "]" })
}

func newBusinessHours(loc *time.Location, ranges []OpeningRange, rangeField func(int) string,
	holidays []Holiday, holidayField func(int) string) (*BusinessHours, error) {
	if loc == nil {
		loc = time.UTC
	}
	if len(ranges) == 0 {
		return nil, invalidf("ranges", "the calendar is never open: no opening ranges")
	}
	for i, r := range ranges {
		if err := validateRange(r); err != nil {
			return nil, invalidf(rangeField(i), "%s", err)
		}
	}
	b := &BusinessHours{loc: loc}

	// Overlap check on the weekly circle: sort by start within the week and
	// compare each range's end with the next range's start.
	order := make([]int, len(ranges))
	for i := range order {
		order[i] = i
	}
	weekStart := func(i int) int64 {
		return int64(ranges[i].Day)*secondsPerDay + int64(ranges[i].Start/time.Second)
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(weekStart(x), weekStart(y)) })
	for k, i := range order {
		j := order[(k+1)%len(order)]
		end := weekStart(i) + rangeLength(ranges[i])
		next := weekStart(j)
		if k+1 == len(order) {
			next += secondsPerWeek
		}
		if end > next {
			return nil, invalidf(rangeField(i), "%s overlaps %s %s", ranges[i], rangeField(j), ranges[j])
		}
	}
	for _, i := range order {
		r := ranges[i]
		s := int64(r.Start / time.Second)
		e := s + rangeLength(r)
		b.byDay[r.Day] = append(b.byDay[r.Day], openSpan{s, e})
		b.ranges = append(b.ranges, r)
		b.weekOpen += e - s
		b.maxEnd = max(b.maxEnd, e)
	}

	for i, h := range holidays {
		t := time.Date(h.Year, h.Month, h.Day, 0, 0, 0, 0, time.UTC)
		if y, m, d := t.Date(); y != h.Year || m != h.Month || d != h.Day {
			return nil, invalidf(holidayField(i), "%s is not a date", h)
		}
		for j := range i {
			if holidays[j] == h {
				return nil, invalidf(holidayField(i), "%s is listed twice (also %s)", h, holidayField(j))
			}
		}
		b.holidayDays = append(b.holidayDays, floorDiv(t.Unix(), secondsPerDay))
	}
	b.holidays = slices.Clone(holidays)
	slices.SortFunc(b.holidays, func(x, y Holiday) int {
		return cmp.Compare(dayNumber(x), dayNumber(y))
	})
	slices.Sort(b.holidayDays)
	return b, nil
}

func dayNumber(h Holiday) int64 {
	return floorDiv(time.Date(h.Year, h.Month, h.Day, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay)
}

func validateRange(r OpeningRange) error {
	switch {
	case r.Day < time.Sunday || r.Day > time.Saturday:
		return fmt.Errorf("%d is not a weekday", int(r.Day))
	case r.Start < 0 || r.Start >= 24*time.Hour:
		return fmt.Errorf("start %v is not a time of day in [00:00, 24:00)", r.Start)
	case r.End < 0 || r.End > 24*time.Hour:
		return fmt.Errorf("end %v is not a time of day in [00:00, 24:00]", r.End)
	case r.Start%time.Second != 0 || r.End%time.Second != 0:
		return fmt.Errorf("%v–%v is not in whole seconds", r.Start, r.End)
	case r.Start == r.End:
		return fmt.Errorf("start equals end %s; write 00:00–24:00 for a whole day", formatTimeOfDay(r.Start))
	}
	return nil
}

// rangeLength is the wall-clock length of a valid range in seconds.
func rangeLength(r OpeningRange) int64 {
	s, e := int64(r.Start/time.Second), int64(r.End/time.Second)
	if e < s {
		e += secondsPerDay
	}
	return e - s
}

// Location returns the calendar's time zone.
func (b *BusinessHours) Location() *time.Location {
	if b == nil || b.loc == nil {
		return time.UTC
	}
	return b.loc
}

// Ranges returns a copy of the opening ranges, sorted by weekday (Sunday
// first) and start.
func (b *BusinessHours) Ranges() []OpeningRange {
	if b == nil {
		return nil
	}
	return slices.Clone(b.ranges)
}

// Holidays returns a copy of the holidays in date order.
func (b *BusinessHours) Holidays() []Holiday {
	if b == nil {
		return nil
	}
	return slices.Clone(b.holidays)
}

// Elapsed returns the open time in [from, to). It returns an error wrapping
// [ErrInvalid] if to is before from, if to − from does not fit a
// [time.Duration], or if the calendar is never open (the zero value).
func (b *BusinessHours) Elapsed(from, to time.Time) (time.Duration, error) {
	if b == nil || b.weekOpen == 0 {
		return 0, invalidf("business hours", "the calendar is never open: no opening ranges")
	}
	if to.Before(from) {
		return 0, invalidf("time", "end %s is before start %s", to.Format(time.RFC3339Nano), from.Format(time.RFC3339Nano))
	}
	span := to.Sub(from)
	if span == math.MaxInt64 && !from.Add(span).Equal(to) {
		return 0, invalidf("time", "span from %s to %s is too long for a time.Duration", from.Format(time.RFC3339Nano), to.Format(time.RFC3339Nano))
	}
	return time.Duration(b.open(from, to, int64(span))), nil
}

// IsOpen reports whether the business is open at t, by the same rules as
// Elapsed: t is open if Elapsed(t, t+ε) > 0. The zero value is never open.
func (b *BusinessHours) IsOpen(t time.Time) bool {
	if b == nil || b.weekOpen == 0 {
		return false
	}
	// Range boundaries are whole seconds, so [t, t+1ns) is open entirely or
	// not at all.
	return b.open(t, t.Add(1), 1) > 0
}

// open returns the open nanoseconds in [from, to), span = to − from.
func (b *BusinessHours) open(from, to time.Time, span int64) int64 {
	z := zoneCursor{loc: b.loc}
	z.seek(from.Unix())
	fs, fn := from.Unix(), int64(from.Nanosecond())
	ts := to.Unix()
	// clip maps an instant in whole seconds to nanoseconds after from,
	// clamped to [0, span].
	clip := func(x int64) int64 {
		if x <= fs {
			return 0
		}
		d := x - fs
		if d > span/1e9+1 {
			return span
		}
		return min(d*1e9-fn, span)
	}
	// Ranges that start two days before from's local date can still reach
	// it (an overnight range, or a clock that went back at midnight); one
	// day after to's local date covers a clock that went back over midnight.
	first := floorDiv(fs+int64(z.off), secondsPerDay) - 2
	_, toOff := to.In(b.loc).Zone()
	last := floorDiv(ts+int64(toOff), secondsPerDay) + 1

	hol := b.holidayDays
	h, _ := slices.BinarySearch(hol, first)
	var total int64
	for day := first; day <= last; {
		for h < len(hol) && hol[h] < day {
			h++
		}
		if n := b.wholeWeeks(&z, day, fs, fn, ts, hol, h); n > 0 {
			total += n * b.weekOpen * 1e9
			day += 7 * n
			continue
		}
		// A holiday closes its date: the ranges starting on it up to the
		// next midnight, and the ranges of the day before from midnight on.
		closed := h < len(hol) && hol[h] == day
		closedNext := h < len(hol) && hol[h] == day+1 || h+1 < len(hol) && hol[h+1] == day+1
		midnight := day * secondsPerDay
		for _, r := range b.byDay[weekday(day)] {
			s, e := r.start, r.end
			if closed {
				s = max(s, secondsPerDay)
			}
			if closedNext {
				e = min(e, secondsPerDay)
			}
			if s < e {
				total += clip(z.resolve(midnight+e)) - clip(z.resolve(midnight+s))
			}
		}
		day++
	}
	return total
}

// wholeWeeks returns how many whole weeks of ranges starting on day can be
// added as n × weekOpen: all their instants lie in [from, to] and in the
// cursor's zone period (one UTC offset, so wall length is real length), and
// no holiday falls on a date they reach (the last week's overnight ranges
// reach the date after it). hol[h] is the first holiday ≥ day.
func (b *BusinessHours) wholeWeeks(z *zoneCursor, day, fs, fn, ts int64, hol []int64, h int) int64 {
	off := int64(z.off)
	w0 := day * secondsPerDay
	first := w0 - off
	if fn > 0 {
		fs++
	}
	if first < fs || first < z.start || (z.prevOff > z.off && w0-int64(z.prevOff) < z.start) {
		return 0
	}
	limit := ts + off // the last wall time allowed
	if z.end != math.MaxInt64 {
		limit = min(limit, z.end-1+off)
	}
	// (day + 7n − 1)·86400 + maxEnd ≤ limit
	room := limit - b.maxEnd - (day-1)*secondsPerDay
	if room < secondsPerWeek {
		return 0
	}
	n := room / secondsPerWeek
	if h < len(hol) {
		reach := hol[h] - day // the weeks end on or before the holiday's date
		if b.maxEnd > secondsPerDay {
			reach-- // and their overnight ranges before it
		}
		n = min(n, max(reach, 0)/7)
	}
	return n
}

// zoneCursor resolves local wall times (seconds since 1970-01-01 00:00 in
// wall time) to instants (Unix seconds), caching the zone period — the span
// of instants with one UTC offset — that it last used.
type zoneCursor struct {
	loc        *time.Location
	start, end int64 // the period [start, end); math.MinInt64/MaxInt64 if unbounded
	off        int   // its UTC offset in seconds
	prevOff    int   // the offset of the period before it, or off if none
}

// seek loads the zone period that contains the instant u.
func (z *zoneCursor) seek(u int64) {
	t := time.Unix(u, 0).In(z.loc)
	_, z.off = t.Zone()
	s, e := t.ZoneBounds()
	z.start, z.end = int64(math.MinInt64), int64(math.MaxInt64)
	z.prevOff = z.off
	if !s.IsZero() {
		z.start = s.Unix()
		_, z.prevOff = time.Unix(z.start-1, 0).In(z.loc).Zone()
	}
	if !e.IsZero() {
		z.end = e.Unix()
	}
}

// resolve returns the first instant at which the local clock reads w, or
// the instant of the jump if the clock skips w.
func (z *zoneCursor) resolve(w int64) int64 {
	u := w - int64(z.off)
	if u >= z.start && u < z.end && (z.prevOff <= z.off || w-int64(z.prevOff) >= z.start) {
		return u
	}
	day := floorDiv(w, secondsPerDay)
	t := time.Date(1970, 1, 1+int(day), 0, 0, int(w-day*secondsPerDay), 0, z.loc)
	u = t.Unix()
	z.seek(u)
	switch wall := u + int64(z.off); {
	case wall == w:
		// The clock reads w at u; if the previous period has a larger offset,
		// it may read w there first.
		if z.prevOff > z.off {
			if v := w - int64(z.prevOff); v < z.start {
				_, o := time.Unix(v, 0).In(z.loc).Zone()
				if o == z.prevOff {
					z.seek(v)
					return v
				}
			}
		}
		return u
	case wall > w && z.start != math.MinInt64:
		// u is after a jump over w: the jump is the start of u's period.
		return z.start
	case wall < w && z.end != math.MaxInt64:
		// u is before a jump over w.
		v := z.end
		z.seek(v)
		return v
	}
	return u // not reached with a consistent zone database
}

func weekday(day int64) time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday((day%7 + 7 + 4) % 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// ParseBusinessHours reads a calendar from JSON:
//
//	{
//	  "time_zone": "Europe/Berlin",
//	  "hours": {
//	    "monday": [["09:00", "12:30"], ["13:30", "17:00"]],
//	    "friday": [["09:00", "17:00"], ["22:00", "06:00"]],
//	    "sunday": [["00:00", "24:00"]]
//	  },
//	  "holidays": ["2026-12-25", "2026-12-26"]
//	}
//
// time_zone, required, is an IANA name loaded with [time.LoadLocation]
// ("UTC" is allowed, "Local" is not since it depends on the machine);
// programs that run where no zone database is installed should import
// [time/tzdata]. hours maps English day names (any case) to lists of
// [open, close] pairs of local times "HH:MM" or "HH:MM:SS"; a close of
// "24:00" or "00:00" means midnight at the end of the day, and any other
// close before the open runs into the next day (see
// [BusinessHours] for the rules). Days that are missing or have an empty list
// are closed. holidays, optional, lists local dates "YYYY-MM-DD". Unknown
// fields, keys given twice, and trailing data are errors.
//
// Errors wrap [ErrInvalid] and are [*InputError] values whose Field says
// where, e.g. `hours.monday[1]: "25:00" is not a time of day`; a JSON
// syntax error gives the Line.
func ParseBusinessHours(data []byte) (*BusinessHours, error) {
	members, err := objectMembers(data, "calendar")
	if err != nil {
		return nil, syntaxLine(data, err)
	}
	var (
		zone        *string
		hoursRaw    json.RawMessage
		holidaysRaw json.RawMessage
	)
	for _, m := range members {
		switch m.key {
		case "time_zone":
			var s string
			if err := json.Unmarshal(m.value, &s); err != nil {
				return nil, invalidf("time_zone", "want a string such as \"Europe/Berlin\"")
			}
			zone = &s
		case "hours":
			hoursRaw = m.value
		case "holidays":
			holidaysRaw = m.value
		default:
			return nil, invalidf(m.key, "unknown field; want time_zone, hours or holidays")
		}
	}
	if zone == nil || *zone == "" {
		return nil, invalidf("time_zone", "missing; want an IANA time zone such as \"Europe/Berlin\" or \"UTC\"")
	}
	if *zone == "Local" {
		return nil, invalidf("time_zone", "\"Local\" depends on the machine; name the IANA time zone")
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		return nil, invalidf("time_zone", "%q is not a known IANA time zone", *zone)
	}

	var (
		ranges      []OpeningRange
		rangeFields []string
	)
	if len(hoursRaw) > 0 && string(hoursRaw) != "null" {
		days, err := objectMembers(hoursRaw, "hours")
		if err != nil {
			return nil, err
		}
		var seen [7]string
		for _, d := range days {
			wd, ok := parseWeekday(d.key)
			field := "hours." + d.key
			if !ok {
				return nil, invalidf(field, "unknown day; want monday, tuesday, …, sunday")
			}
			if seen[wd] != "" {
				return nil, invalidf(field, "%s is given twice (also hours.%s)", strings.ToLower(wd.String()), seen[wd])
			}
			seen[wd] = d.key
			var pairs []json.RawMessage
			if err := json.Unmarshal(d.value, &pairs); err != nil {
				return nil, invalidf(field, "want a list of [open, close] pairs")
			}
			for i, p := range pairs {
				f := field + "[" + strconv.Itoa(i) + "]"
				var times []json.RawMessage
				if err := json.Unmarshal(p, &times); err != nil || len(times) != 2 {
					return nil, invalidf(f, "want [open, close], e.g. [\"09:00\", \"17:00\"]")
				}
				var open, close string
				if json.Unmarshal(times[0], &open) != nil || json.Unmarshal(times[1], &close) != nil {
					return nil, invalidf(f, "want [open, close] as strings, e.g. [\"09:00\", \"17:00\"]")
				}
				r := OpeningRange{Day: wd}
				var ok bool
				if r.Start, ok = parseTimeOfDay(open); !ok || r.Start == 24*time.Hour {
					return nil, invalidf(f, "%q is not a time of day to open at (00:00 to 23:59:59)", open)
				}
				if r.End, ok = parseTimeOfDay(close); !ok {
					return nil, invalidf(f, "%q is not a time of day", close)
				}
				ranges = append(ranges, r)
				rangeFields = append(rangeFields, f)
			}
		}
	}
	if len(ranges) == 0 {
		return nil, invalidf("hours", "the calendar is never open: no opening ranges")
	}

	var holidays []Holiday
	var holidayStrings []string
	if len(holidaysRaw) > 0 {
		if err := json.Unmarshal(holidaysRaw, &holidayStrings); err != nil {
			return nil, invalidf("holidays", "want a list of dates \"YYYY-MM-DD\"")
		}
		for i, s := range holidayStrings {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return nil, invalidf("holidays["+strconv.Itoa(i)+"]", "%q is not a date YYYY-MM-DD", s)
			}
			y, m, d := t.Date()
			holidays = append(holidays, Holiday{y, m, d})
		}
	}
	return newBusinessHours(loc, ranges, func(i int) string { return rangeFields[i] },
		holidays, func(i int) string { return "holidays[" + strconv.Itoa(i) + "]" })
}

// UnmarshalJSON reads the format of [ParseBusinessHours].
func (b *BusinessHours) UnmarshalJSON(data []byte) error {
	c, err := ParseBusinessHours(data)
	if err != nil {
		return err
	}
	*b = *c
	return nil
}

// MarshalJSON writes the format of [ParseBusinessHours], days from Monday
// to Sunday. The time zone is written by its name ([time.Location.String]),
// so a zone made with [time.FixedZone] does not read back.
func (b *BusinessHours) MarshalJSON() ([]byte, error) {
	if b == nil || b.weekOpen == 0 {
		return nil, invalidf("business hours", "the calendar is never open: no opening ranges")
	}
	var buf bytes.Buffer
	buf.WriteString(`{"time_zone":`)
	name, _ := json.Marshal(b.Location().String())
	buf.Write(name)
	buf.WriteString(`,"hours":{`)
	firstDay := true
	for k := range 7 {
		wd := time.Weekday((k + 1) % 7)
		if len(b.byDay[wd]) == 0 {
			continue
		}
		if !firstDay {
			buf.WriteByte(',')
		}
		firstDay = false
		buf.WriteString(`"` + strings.ToLower(wd.String()) + `":[`)
		i := 0
		for _, r := range b.ranges {
			if r.Day != wd {
				continue
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			i++
			buf.WriteString(`["` + formatTimeOfDay(r.Start) + `","` + formatTimeOfDay(r.End) + `"]`)
		}
		buf.WriteByte(']')
	}
	buf.WriteString(`}`)
	if len(b.holidays) > 0 {
		buf.WriteString(`,"holidays":[`)
		for i, h := range b.holidays {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(`"` + h.String() + `"`)
		}
		buf.WriteByte(']')
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

type jsonMember struct {
	key   string
	value json.RawMessage
}

// objectMembers splits a JSON object into its members in order, rejecting
// keys given twice and data after the object.
func objectMembers(data []byte, field string) ([]jsonMember, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, invalidf(field, "want a JSON object")
	}
	var members []jsonMember
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		name := key
		if field != "calendar" {
			name = field + "." + key
		}
		for _, m := range members {
			if m.key == key {
				return nil, invalidf(name, "given twice")
			}
		}
		members = append(members, jsonMember{key, v})
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = invalidf(field, "unexpected data after the JSON object")
		}
		return nil, err
	}
	return members, nil
}

// syntaxLine turns a JSON syntax error into an *InputError with its line.
func syntaxLine(data []byte, err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return err
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := min(max(se.Offset, 0), int64(len(data)))
		line := 1 + bytes.Count(data[:off], []byte{'\n'})
		return &InputError{Line: line, Event: -1, Reason: "JSON: " + se.Error()}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &InputError{Event: -1, Reason: "JSON: unexpected end of input"}
	}
	return &InputError{Event: -1, Reason: "JSON: " + err.Error()}
}

func parseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) {
			return d, true
		}
	}
	return 0, false
}

// parseTimeOfDay reads "HH:MM" or "HH:MM:SS" from 00:00 to 24:00.
func parseTimeOfDay(s string) (time.Duration, bool) {
	if len(s) != 5 && len(s) != 8 {
		return 0, false
	}
	num := func(i, limit int) (int, bool) {
		a, b := s[i], s[i+1]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		n := int(a-'0')*10 + int(b-'0')
		return n, n <= limit
	}
	h, ok1 := num(0, 24)
	m, ok2 := num(3, 59)
	sec, ok3 := 0, true
	if len(s) == 8 {
		if s[5] != ':' {
			return 0, false
		}
		sec, ok3 = num(6, 59)
	}
	if !ok1 || !ok2 || !ok3 || s[2] != ':' || (h == 24 && (m != 0 || sec != 0)) {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, true
}

func formatTimeOfDay(d time.Duration) string {
	if d < 0 || d > 24*time.Hour {
		return d.String()
	}
	s := int64(d / time.Second)
	out := fmt.Sprintf("%02d:%02d", s/3600, s/60%60)
	if s%60 != 0 || d%time.Second != 0 {
		out += fmt.Sprintf(":%02d", s%60)
	}
	return out
}
