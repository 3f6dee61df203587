package chatkpi

import (
	"fmt"
	"math"
	"time"
)

// Scale is an integer survey scale from Min to Max inclusive, such as 1–5
// for CSAT or 0–10 for NPS. Survey accumulators keep one count per point in
// a fixed array, so a scale must lie within 0–10 (the outer bounds that
// [Validate] accepts for ratings) and have between 2 and 11 points.
type Scale struct {
	Min, Max int
}

// Points returns the number of answers on the scale, Max − Min + 1.
func (s Scale) Points() int { return s.Max - s.Min + 1 }

// Contains reports whether score is on the scale.
func (s Scale) Contains(score int) bool { return score >= s.Min && score <= s.Max }

// String formats the scale as "1–5".
func (s Scale) String() string { return fmt.Sprintf("%d–%d", s.Min, s.Max) }

func (s Scale) check() error {
	if s.Min < 0 || s.Max > maxScaleWidth-1 || s.Min >= s.Max {
		return invalidf("scale", "%d–%d is not a scale of 2 to 11 points within 0–10", s.Min, s.Max)
	}
	return nil
}

// Distribution counts the answers of a survey by score: Distribution[s] is
// the number of answers with score s. Scores outside the survey's scale have
// a count of zero. Indexing by the score itself (rather than by its offset
// from the scale's minimum) makes a distribution readable without its scale.
type Distribution [11]int64

// Total returns the number of answers.
func (d Distribution) Total() int64 {
	var n int64
	for _, c := range d {
		n += c
	}
	return n
}

// Count returns the number of answers with a score from lo to hi inclusive.
func (d Distribution) Count(lo, hi int) int64 {
	var n int64
	for s := max(lo, 0); s <= hi && s < len(d); s++ {
		n += d[s]
	}
	return n
}

// mean returns the mean score and the sample variance (divisor n − 1, or 0
// when n < 2), computed in two passes over the counts so that neither
// overflows nor loses precision to cancellation.
func (d *Distribution) mean() (mean, variance float64, n int64) {
	n = d.Total()
	if n == 0 {
		return 0, 0, 0
	}
	var sum float64
	for s, c := range d {
		sum += float64(s) * float64(c)
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, 0, n
	}
	var ss float64
	for s, c := range d {
		dev := float64(s) - mean
		ss += float64(c) * dev * dev
	}
	return mean, ss / float64(n-1), n
}

// meanScore returns the mean of the answers; n must be positive.
func (d *Distribution) meanScore() MeanScore {
	m, v, n := d.mean()
	return MeanScore{Value: m, N: n, se: math.Sqrt(v / float64(n))}
}

// merge adds o into d, rejecting a sum that overflows int64 (which only a
// corrupt or adversarial decoded state can reach).
// The counts are never negative, so one pass adds them up in a uint64:
// while the running total is at most MaxInt64, adding a count cannot wrap,
// and high keeps every bit the total ever had, so that it exceeds MaxInt64
// exactly when the sum of both totals does.
func (d *Distribution) merge(o *Distribution) error {
	var sum Distribution
	var total, high uint64
	for s := range d {
		sum[s] = d[s] + o[s]
		total += uint64(d[s])
		high |= total
		total += uint64(o[s])
		high |= total
	}
	if high > math.MaxInt64 {
		return invalidf("responses", "merging %d and %d responses overflows int64", d.Total(), o.Total())
	}
	*d = sum
	return nil
}

// MeanScore is the arithmetic mean of N survey scores with its standard
// error s/√N, where s is the sample standard deviation (divisor N − 1).
type MeanScore struct {
	Value float64 // the mean score, on the survey's scale
	N     int64   // the number of scores
	se    float64
}

// StandardError returns the standard error of the mean, s/√N. With a single
// score the sample standard deviation, and so the standard error, is not
// defined: it returns an error wrapping [ErrUndefined] rather than 0 or NaN.
func (m MeanScore) StandardError() (float64, error) {
	if m.N < 2 {
		return 0, fmt.Errorf("%w: the standard error of a mean needs at least 2 scores, have %d", ErrUndefined, m.N)
	}
	return m.se, nil
}

// surveyTally is what one conversation contributes to a survey accumulator.
// It is filled completely before anything is added, so that an accumulator
// is left unchanged when a conversation has an error.
type surveyTally struct {
	dist    Distribution
	sent    int64
	answers int64 // Σ dist, so that empty tallies skip the merge
}

// tallySurvey reads the Rating and SurveySent events of kind from c, checking
// the time order of all events and the scale of each answer. A *Chat's slice
// is read directly; other conversations are read one event at a time, so
// nothing is allocated per event.
func tallySurvey(c Conversation, kind Survey, scale Scale, t *surveyTally) error {
	if ch, ok := c.(*Chat); ok {
		// The hot path: compare each event with the previous one in place
		// and look closer only at the few survey events.
		evs := ch.Events
		for i := range evs {
			e := &evs[i]
			if i > 0 && e.Time.Before(evs[i-1].Time) {
				return outOfOrder(c.Info().ID, i, e.Time, evs[i-1].Time)
			}
			if e.Survey == kind && (e.Type == Rating || e.Type == SurveySent) {
				if err := t.record(c, i, e, kind, scale); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var prev time.Time
	for i, n := 0, c.Len(); i < n; i++ {
		e := c.Event(i)
		if err := t.event(c, i, &e, kind, scale, &prev); err != nil {
			return err
		}
	}
	return nil
}

// tallyAnswer counts Rating event e, which passed checkEvent and whose
// score is on the scale of the accumulator its tally goes to, in the
// tally of its kind (see Report.check).
func (m *conversationMeasures) tallyAnswer(e *Event) {
	t := &m.tally[e.Survey]
	t.dist[e.Score]++
	t.answers++
	m.tallied = true
}

// tallySent counts SurveySent event e, which passed checkEvent, in the
// tally of its kind.
func (m *conversationMeasures) tallySent(e *Event) {
	m.tally[e.Survey].sent++
	m.tallied = true
}

func (t *surveyTally) event(c Conversation, i int, e *Event, kind Survey, scale Scale, prev *time.Time) error {
	if i > 0 && e.Time.Before(*prev) {
		return outOfOrder(c.Info().ID, i, e.Time, *prev)
	}
	*prev = e.Time
	if e.Survey != kind {
		return nil
	}
	return t.record(c, i, e, kind, scale)
}

// record counts a Rating or SurveySent event of the tallied kind.
func (t *surveyTally) record(c Conversation, i int, e *Event, kind Survey, scale Scale) error {
	switch e.Type {
	case Rating:
		if e.Time.IsZero() {
			return eventErrorf(c.Info().ID, i, "time", "zero time")
		}
		if !scale.Contains(int(e.Score)) {
			return eventErrorf(c.Info().ID, i, "score", "%d is outside the %s scale %s", e.Score, kind, scale)
		}
		t.dist[e.Score]++
		t.answers++
	case SurveySent:
		if e.Time.IsZero() {
			return eventErrorf(c.Info().ID, i, "time", "zero time")
		}
		t.sent++
	}
	return nil
}

// encodeDistribution writes the total and then the count of every point of
// the scale; decodeDistribution reads them back and checks that they sum to
// the total, which catches most corruption of the counts.
func encodeDistribution(e *encoder, d *Distribution, scale Scale) {
	e.uvarint(uint64(d.Total()))
	for s := scale.Min; s <= scale.Max; s++ {
		e.uvarint(uint64(d[s]))
	}
}

func decodeDistribution(d *decoder, scale Scale) Distribution {
	var dist Distribution
	total := d.count()
	var sum int64
	for s := scale.Min; s <= scale.Max && d.err == nil; s++ {
		c := d.count()
		if c > math.MaxInt64-sum {
			d.fail("counts overflow int64")
			break
		}
		sum += c
		dist[s] = c
	}
	if d.err == nil && sum != total {
		d.fail("counts sum to %d, not to the %d responses recorded", sum, total)
	}
	return dist
}

// failSetting reports invalid decoded settings as a decoding error, keeping
// the field and reason of the settings check.
func failSetting(d *decoder, err error) {
	if ie, ok := err.(*InputError); ok {
		d.fail("%s: %s", ie.Field, ie.Reason)
		return
	}
	d.fail("%v", err)
}

// percentInterval returns the 95 % Wilson interval of p in percent.
func percentInterval(p Proportion) (Interval, error) {
	iv, err := p.Wilson(Z95)
	return Interval{Low: 100 * iv.Low, High: 100 * iv.High}, err
}
