package chatkpi

import (
	"fmt"
	"math"
)

// CSAT accumulates customer-satisfaction survey answers and the number of
// surveys sent:
//
//	CSAT %          = satisfied answers ÷ answers × 100
//	net CSAT        = % satisfied − % dissatisfied, in [−100, +100]
//	response rate   = answers ÷ surveys sent
//
// The scale is 1–5 by default; [CSATSettings] chooses another (1–7, 1–10,
// 0–10, 0–1 for a binary bad/good question, or any scale of 2 to 11 points
// within 0–10). Satisfied means the top two boxes by default (4–5 on 1–5,
// 9–10 on 1–10) and dissatisfied the bottom two (1–2 on 1–5); on scales of 2
// or 3 points, where two boxes would overlap, they are the top and the bottom
// box (on 0–1: 1 is good, 0 is bad). SatisfiedFrom and DissatisfiedBelow
// move the thresholds.
//
// The zero value is an empty CSAT on the default 1–5 scale with the default
// thresholds. A CSAT is not safe for concurrent use; build one per goroutine
// and [CSAT.Merge] them.
type CSAT struct {
	cfg  csatConfig // the zero value means the defaults
	dist Distribution
	sent int64
}

// csatConfig is the scale and thresholds. It is stored in canonical form:
// the defaults are always the zero value, so that two CSATs with the same
// settings are equal whichever way they were built.
type csatConfig struct {
	scale        Scale
	satisfied    int // lowest satisfied score
	dissatisfied int // highest dissatisfied score
}

// defaultCSAT is the 1–5 scale with the top two and bottom two boxes.
func defaultCSAT() csatConfig {
	return csatConfig{scale: Scale{Min: 1, Max: 5}, satisfied: 4, dissatisfied: 2}
}

func (c csatConfig) resolved() csatConfig {
	if c == (csatConfig{}) {
		return defaultCSAT()
	}
	return c
}

func (c csatConfig) canonical() csatConfig {
	if c == defaultCSAT() {
		return csatConfig{}
	}
	return c
}

func (c csatConfig) check() error {
	if err := c.scale.check(); err != nil {
		return err
	}
	if c.satisfied <= c.scale.Min || c.satisfied > c.scale.Max {
		return invalidf("satisfied", "threshold %d must be above the bottom and at most the top of the scale %s", c.satisfied, c.scale)
	}
	if c.dissatisfied < c.scale.Min || c.dissatisfied >= c.satisfied {
		return invalidf("dissatisfied", "threshold %d must be on the scale %s and below the satisfied threshold %d", c.dissatisfied, c.scale, c.satisfied)
	}
	return nil
}

// CSATSettings is the scale and thresholds of a [CSAT], as a plain
// comparable value. The zero value is the default: the 1–5 scale,
// satisfied 4–5, dissatisfied 1–2.
type CSATSettings struct {
	// Scale is the answer scale, 2 to 11 points within 0–10 (1–5, 1–7,
	// 1–10, 0–10, 0–1 for a binary bad/good question). Default (the zero
	// Scale): 1–5.
	Scale Scale
	// SatisfiedFrom is the lowest satisfied score: scores from it to the
	// top of the scale are satisfied. Default (0, never a valid
	// threshold): the top two boxes, or the top box on scales of 2 or 3
	// points.
	SatisfiedFrom int
	// DissatisfiedBelow is one more than the highest dissatisfied score:
	// scores from the bottom of the scale to DissatisfiedBelow − 1 are
	// dissatisfied, for net CSAT. It is at most SatisfiedFrom. Default (0,
	// never a valid threshold): the bottom two boxes, or the bottom box on
	// scales of 2 or 3 points.
	DissatisfiedBelow int
}

// config resolves the settings into canonical form.
func (s CSATSettings) config() (csatConfig, error) {
	scale := s.Scale
	if scale == (Scale{}) {
		scale = defaultCSAT().scale
	}
	if err := scale.check(); err != nil {
		return csatConfig{}, err
	}
	boxes := 2
	if scale.Points() < 4 {
		boxes = 1
	}
	cfg := csatConfig{scale: scale, satisfied: scale.Max - boxes + 1, dissatisfied: scale.Min + boxes - 1}
	if s.SatisfiedFrom != 0 {
		cfg.satisfied = s.SatisfiedFrom
	}
	if s.DissatisfiedBelow != 0 {
		cfg.dissatisfied = s.DissatisfiedBelow - 1
	}
	if err := cfg.check(); err != nil {
		return csatConfig{}, err
	}
	return cfg.canonical(), nil
}

// NewCSAT returns an empty CSAT with the settings, or an error wrapping
// [ErrInvalid] if the scale or thresholds are not valid.
func NewCSAT(s CSATSettings) (*CSAT, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	return &CSAT{cfg: cfg}, nil
}

// Scale returns the answer scale.
func (c *CSAT) Scale() Scale { return c.cfg.resolved().scale }

// Add records one answer. A score outside the scale is an error wrapping
// [ErrInvalid] and is not recorded.
func (c *CSAT) Add(score int) error {
	scale := c.cfg.resolved().scale
	if !scale.Contains(score) {
		return invalidf("score", "%d is outside the CSAT scale %s", score, scale)
	}
	c.dist[score]++
	return nil
}

// AddSent records n surveys sent, answered or not: the denominator of the
// response rate. Callers who count answers with [CSAT.Add] count every sent
// survey here, including the answered ones.
func (c *CSAT) AddSent(n int64) error {
	if n < 0 {
		return invalidf("sent", "negative number of surveys sent %d", n)
	}
	if c.sent > math.MaxInt64-n {
		return invalidf("sent", "number of surveys sent overflows int64")
	}
	c.sent += n
	return nil
}

// AddConversation records the CSAT answers (Rating events of the
// [CSATSurvey] kind) and sent surveys (its SurveySent events) of c. Every
// Rating is one answer. It checks that all events are in time order and that
// every answer is on the scale, and returns an [*InputError] naming the
// conversation and event otherwise; on error nothing is recorded.
func (c *CSAT) AddConversation(conv Conversation) error {
	var t surveyTally
	if err := tallySurvey(conv, CSATSurvey, c.cfg.resolved().scale, &t); err != nil {
		return err
	}
	return c.addTally(&t)
}

// addTally adds one conversation's tally.
func (c *CSAT) addTally(t *surveyTally) error {
	if t.answers == 0 && t.sent == 0 { // inlined: most conversations
		return nil
	}
	return c.addSurveys(t)
}

func (c *CSAT) addSurveys(t *surveyTally) error {
	if c.sent > math.MaxInt64-t.sent {
		return invalidf("sent", "number of surveys sent overflows int64")
	}
	if err := c.dist.merge(&t.dist); err != nil {
		return err
	}
	c.sent += t.sent
	return nil
}

// Merge adds the answers and sent surveys of o, for example a CSAT built on
// another shard or day. It returns an error wrapping [ErrIncompatible] if the
// scales or thresholds differ. A nil o adds nothing.
func (c *CSAT) Merge(o *CSAT) error {
	if o == nil {
		return nil
	}
	if c.cfg.resolved() != o.cfg.resolved() {
		return fmt.Errorf("%w: CSAT on %s (satisfied ≥ %d, dissatisfied ≤ %d) and on %s (satisfied ≥ %d, dissatisfied ≤ %d)",
			ErrIncompatible, c.Scale(), c.cfg.resolved().satisfied, c.cfg.resolved().dissatisfied,
			o.Scale(), o.cfg.resolved().satisfied, o.cfg.resolved().dissatisfied)
	}
	if c.sent > math.MaxInt64-o.sent {
		return invalidf("sent", "merging surveys sent overflows int64")
	}
	if err := c.dist.merge(&o.dist); err != nil {
		return err
	}
	c.sent += o.sent
	return nil
}

// ResponseRate returns answers of surveys sent. It returns [ErrNoData] when
// no survey was sent, and an error wrapping [ErrInvalid] when there are more
// answers than surveys sent (answers counted without their surveys, see
// [CSAT.AddSent]), rather than a rate above 100 %.
func (c *CSAT) ResponseRate() (Proportion, error) {
	return responseRate(c.dist.Total(), c.sent)
}

func responseRate(responses, sent int64) (Proportion, error) {
	if sent == 0 {
		return Proportion{Successes: responses}, ErrNoData
	}
	if responses > sent {
		return Proportion{Successes: responses, Trials: sent}, invalidf("sent", "%d answers but only %d surveys sent", responses, sent)
	}
	return Proportion{Successes: responses, Trials: sent}, nil
}

// CSATResult is the CSAT of the answers so far: the counts and what is
// derived from them.
type CSATResult struct {
	Scale               Scale
	SatisfiedFrom       int   // lowest satisfied score
	DissatisfiedThrough int   // highest dissatisfied score
	Responses           int64 // answers
	Sent                int64 // surveys sent (0 if not counted)
	Distribution        Distribution
	Satisfied           Proportion // satisfied answers of all answers
	Dissatisfied        Proportion // dissatisfied answers of all answers
	// Percent is CSAT % = 100 × Satisfied.Successes / Responses, unrounded.
	Percent float64
	// CI is the 95 % Wilson score interval of Percent, in percent.
	CI Interval
	// Net is % satisfied − % dissatisfied, in [−100, +100].
	Net float64
	// Mean is the mean score with its standard error.
	Mean MeanScore
}

// ResponseRate returns Responses of Sent, as [CSAT.ResponseRate].
func (r CSATResult) ResponseRate() (Proportion, error) { return responseRate(r.Responses, r.Sent) }

// Result returns the CSAT of the answers so far, or [ErrNoData] when there
// are none (surveys sent without answers give no CSAT; see
// [CSAT.ResponseRate]).
func (c *CSAT) Result() (CSATResult, error) {
	cfg := c.cfg.resolved()
	n := c.dist.Total()
	if n == 0 {
		return CSATResult{}, ErrNoData
	}
	sat := Proportion{Successes: c.dist.Count(cfg.satisfied, cfg.scale.Max), Trials: n}
	dis := Proportion{Successes: c.dist.Count(cfg.scale.Min, cfg.dissatisfied), Trials: n}
	ci, err := percentInterval(sat)
	if err != nil {
		return CSATResult{}, err
	}
	pct := 100 * float64(sat.Successes) / float64(n)
	return CSATResult{
		Scale:               cfg.scale,
		SatisfiedFrom:       cfg.satisfied,
		DissatisfiedThrough: cfg.dissatisfied,
		Responses:           n,
		Sent:                c.sent,
		Distribution:        c.dist,
		Satisfied:           sat,
		Dissatisfied:        dis,
		Percent:             pct,
		CI:                  ci,
		Net:                 100 * float64(sat.Successes-dis.Successes) / float64(n),
		Mean:                c.dist.meanScore(),
	}, nil
}

// MarshalBinary encodes the settings, answers and surveys sent (see the
// package's binary encoding in wire.go).
func (c *CSAT) MarshalBinary() ([]byte, error) {
	cfg := c.cfg.resolved()
	e := newEncoder(tagCSAT, 8+2*cfg.scale.Points())
	e.uvarint(uint64(cfg.scale.Min))
	e.uvarint(uint64(cfg.scale.Max))
	e.uvarint(uint64(cfg.satisfied))
	e.uvarint(uint64(cfg.dissatisfied))
	e.uvarint(uint64(c.sent))
	encodeDistribution(e, &c.dist, cfg.scale)
	return e.finish(), nil
}

// UnmarshalBinary replaces c with the CSAT encoded by [CSAT.MarshalBinary].
// It returns an error wrapping [ErrInvalid], and leaves c unchanged, if data
// is not a valid CSAT encoding.
func (c *CSAT) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagCSAT, "CSAT")
	var cfg csatConfig
	cfg.scale.Min = smallInt(d)
	cfg.scale.Max = smallInt(d)
	cfg.satisfied = smallInt(d)
	cfg.dissatisfied = smallInt(d)
	sent := d.count()
	if d.err == nil {
		if err := cfg.check(); err != nil {
			failSetting(d, err)
		}
	}
	dist := decodeDistribution(d, cfg.scale)
	if err := d.finish(); err != nil {
		return err
	}
	*c = CSAT{cfg: cfg.canonical(), dist: dist, sent: sent}
	return nil
}

// smallInt reads a setting such as a scale bound, which is at most 10 on
// any valid scale; larger values are left for the settings check to reject.
func smallInt(d *decoder) int {
	v := d.uvarint()
	if v > 1<<16 {
		d.fail("setting %d is out of range", v)
		return 0
	}
	return int(v)
}
