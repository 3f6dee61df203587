package chatkpi

import "fmt"

// CESScale is the question and scale of a customer-effort survey, and so
// which direction is good. The zero value is [CESAgreement7], CES 2.0, the
// version in current use.
type CESScale uint8

// The CES scales.
const (
	// CESAgreement7 is CES 2.0: agreement with "the company made it easy to
	// handle my issue" on 1–7, 7 = strongly agree. Higher is better; low
	// effort is 5–7.
	CESAgreement7 CESScale = iota
	// CESEffort5 is the original CES: "how much effort did you personally
	// have to put forth to handle your request" on 1–5, 1 = very low effort.
	// Lower is better; low effort is 1–2.
	CESEffort5
)

// Scale returns 1–7 for [CESAgreement7] and 1–5 for [CESEffort5].
func (s CESScale) Scale() Scale {
	if s == CESEffort5 {
		return Scale{Min: 1, Max: 5}
	}
	return Scale{Min: 1, Max: 7}
}

// HigherIsBetter reports whether a higher answer means less effort (true for
// [CESAgreement7], false for [CESEffort5]).
func (s CESScale) HigherIsBetter() bool { return s != CESEffort5 }

// LowEffort returns the range of answers that count as low effort: 5–7 on
// [CESAgreement7], 1–2 on [CESEffort5].
func (s CESScale) LowEffort() (lo, hi int) {
	if s == CESEffort5 {
		return 1, 2
	}
	return 5, 7
}

// String returns "CES 2.0 (1–7 agreement)" or "CES (1–5 effort)".
func (s CESScale) String() string {
	switch s {
	case CESAgreement7:
		return "CES 2.0 (1–7 agreement)"
	case CESEffort5:
		return "CES (1–5 effort)"
	}
	return fmt.Sprintf("CESScale(%d)", uint8(s))
}

func (s CESScale) check() error {
	if s > CESEffort5 {
		return invalidf("scale", "unknown CES scale %d", uint8(s))
	}
	return nil
}

// CES accumulates customer-effort-score answers on one [CESScale] and reports
// their mean (with its standard error), their distribution and the share of
// low-effort answers:
//
//	low-effort % = low-effort answers ÷ answers × 100
//
// The zero value is an empty CES on CES 2.0 (1–7 agreement, higher is
// better), the current standard; [CESSettings] chooses the original 1–5
// effort scale. A CES is not safe for concurrent use; build one per goroutine
// and [CES.Merge] them.
type CES struct {
	scale CESScale
	dist  Distribution
}

// CESSettings is the scale of a [CES], as a plain comparable value. The
// zero value is the default, CES 2.0.
type CESSettings struct {
	// Scale is the question and scale. Default: [CESAgreement7].
	Scale CESScale
}

// check returns the settings' error, wrapping [ErrInvalid], or nil.
func (s CESSettings) check() error { return s.Scale.check() }

// NewCES returns an empty CES with the settings, or an error wrapping
// [ErrInvalid] if they are not valid.
func NewCES(s CESSettings) (*CES, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return &CES{scale: s.Scale}, nil
}

// Scale returns the scale of the answers.
func (c *CES) Scale() CESScale { return c.scale }

// Add records one answer. A score outside the scale is an error wrapping
// [ErrInvalid] and is not recorded.
func (c *CES) Add(score int) error {
	if s := c.scale.Scale(); !s.Contains(score) {
		return invalidf("score", "%d is outside the %s scale %s", score, c.scale, s)
	}
	c.dist[score]++
	return nil
}

// AddConversation records the CES answers of c (its Rating events of the
// [CESSurvey] kind; every Rating is one answer). It checks that all events
// are in time order and every answer is on the scale, and returns an
// [*InputError] naming the conversation and event otherwise; on error
// nothing is recorded.
func (c *CES) AddConversation(conv Conversation) error {
	var t surveyTally
	if err := tallySurvey(conv, CESSurvey, c.scale.Scale(), &t); err != nil {
		return err
	}
	return c.addTally(&t)
}

// addTally adds one conversation's tally.
func (c *CES) addTally(t *surveyTally) error {
	if t.answers == 0 {
		return nil
	}
	return c.dist.merge(&t.dist)
}

// Merge adds the answers of o; a nil o adds nothing. It returns an error
// wrapping [ErrIncompatible] if the scales differ: answers on the two scales
// mean opposite things and cannot be pooled.
func (c *CES) Merge(o *CES) error {
	if o == nil {
		return nil
	}
	if c.scale != o.scale {
		return fmt.Errorf("%w: %s and %s", ErrIncompatible, c.scale, o.scale)
	}
	return c.dist.merge(&o.dist)
}

// CESResult is the CES of the answers so far: the counts and what is derived
// from them.
type CESResult struct {
	Scale        CESScale
	Responses    int64
	Distribution Distribution
	// Mean is the mean answer with its standard error; whether higher is
	// better depends on Scale.
	Mean MeanScore
	// LowEffort is the low-effort answers of all answers.
	LowEffort Proportion
	// LowEffortPercent is 100 × LowEffort.Successes / Responses, unrounded.
	LowEffortPercent float64
	// LowEffortCI is the 95 % Wilson score interval of LowEffortPercent, in
	// percent.
	LowEffortCI Interval
}

// Result returns the CES of the answers so far, or [ErrNoData] when there
// are none.
func (c *CES) Result() (CESResult, error) {
	n := c.dist.Total()
	if n == 0 {
		return CESResult{}, ErrNoData
	}
	lo, hi := c.scale.LowEffort()
	low := Proportion{Successes: c.dist.Count(lo, hi), Trials: n}
	ci, err := percentInterval(low)
	if err != nil {
		return CESResult{}, err
	}
	return CESResult{
		Scale:            c.scale,
		Responses:        n,
		Distribution:     c.dist,
		Mean:             c.dist.meanScore(),
		LowEffort:        low,
		LowEffortPercent: 100 * float64(low.Successes) / float64(n),
		LowEffortCI:      ci,
	}, nil
}

// MarshalBinary encodes the scale and answers (see the package's binary
// encoding in wire.go).
func (c *CES) MarshalBinary() ([]byte, error) {
	s := c.scale.Scale()
	e := newEncoder(tagCES, 3+2*s.Points())
	e.byte1(byte(c.scale))
	encodeDistribution(e, &c.dist, s)
	return e.finish(), nil
}

// UnmarshalBinary replaces c with the CES encoded by [CES.MarshalBinary]. It
// returns an error wrapping [ErrInvalid], and leaves c unchanged, if data is
// not a valid CES encoding.
func (c *CES) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagCES, "CES")
	scale := CESScale(d.byte1())
	if d.err == nil {
		if err := scale.check(); err != nil {
			failSetting(d, err)
		}
	}
	dist := decodeDistribution(d, scale.Scale())
	if err := d.finish(); err != nil {
		return err
	}
	*c = CES{scale: scale, dist: dist}
	return nil
}
