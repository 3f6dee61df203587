package chatkpi

import "math"

// NPS accumulates net-promoter-score answers on the fixed 0–10 scale:
// detractors answer 0–6, passives 7–8, promoters 9–10, and
//
//	NPS = % promoters − % detractors, in [−100, +100].
//
// The categories are those of the published NPS methodology and are not
// configurable, so every NPS can be merged with every other. The zero value
// is an empty NPS. An NPS is not safe for concurrent use; build one per
// goroutine and [NPS.Merge] them.
type NPS struct {
	dist Distribution
}

// The NPS categories: the lowest score of passives and of promoters.
const (
	npsPassiveFrom  = 7
	npsPromoterFrom = 9
)

// NewNPS returns an empty NPS. It exists for symmetry with the other
// accumulators; the zero value is equally ready to use.
func NewNPS() *NPS { return &NPS{} }

// Add records one answer. A score outside 0–10 is an error wrapping
// [ErrInvalid] and is not recorded.
func (n *NPS) Add(score int) error {
	if score < npsMin || score > npsMax {
		return invalidf("score", "%d is outside the NPS scale 0–10", score)
	}
	n.dist[score]++
	return nil
}

// AddConversation records the NPS answers of c (its Rating events of the
// [NPSSurvey] kind; every Rating is one answer). It checks that all events
// are in time order and every answer is on 0–10, and returns an
// [*InputError] naming the conversation and event otherwise; on error
// nothing is recorded.
func (n *NPS) AddConversation(c Conversation) error {
	var t surveyTally
	if err := tallySurvey(c, NPSSurvey, Scale{Min: npsMin, Max: npsMax}, &t); err != nil {
		return err
	}
	return n.addTally(&t)
}

// addTally adds one conversation's tally.
func (n *NPS) addTally(t *surveyTally) error {
	if t.answers == 0 {
		return nil
	}
	return n.dist.merge(&t.dist)
}

// Merge adds the answers of o; a nil o adds nothing. NPS accumulators are
// always compatible.
func (n *NPS) Merge(o *NPS) error {
	if o == nil {
		return nil
	}
	return n.dist.merge(&o.dist)
}

// NPSResult is the NPS of the answers so far: the counts and what is derived
// from them.
type NPSResult struct {
	Responses    int64
	Promoters    int64 // answers 9–10
	Passives     int64 // answers 7–8
	Detractors   int64 // answers 0–6
	Distribution Distribution
	// Score is NPS = 100 × (Promoters − Detractors) / Responses, unrounded,
	// in [−100, +100].
	Score float64
	// SE is the standard error of Score in points:
	//
	//	SE = 100 × √((p + d − (p − d)²) / n)
	//
	// with p and d the promoter and detractor fractions and n = Responses;
	// p + d − (p − d)² is the variance of the per-answer score (+1, 0, −1).
	// It is 0 when all answers fall in one category.
	SE float64
	// CI is the 95 % normal-approximation interval Score ± [Z95] × SE. It
	// is not clipped to [−100, +100]: a bound outside that range says the
	// sample is too small for the approximation, which clipping would hide.
	CI Interval
	// Mean is the mean answer on 0–10 with its standard error.
	Mean MeanScore
}

// Result returns the NPS of the answers so far, or [ErrNoData] when there
// are none.
func (n *NPS) Result() (NPSResult, error) {
	total := n.dist.Total()
	if total == 0 {
		return NPSResult{}, ErrNoData
	}
	prom := n.dist.Count(npsPromoterFrom, npsMax)
	pass := n.dist.Count(npsPassiveFrom, npsPromoterFrom-1)
	det := n.dist.Count(npsMin, npsPassiveFrom-1)
	p := float64(prom) / float64(total)
	d := float64(det) / float64(total)
	// Computed from the counts rather than from p − d so that the worked
	// examples come out exact (10/30/60 gives 50, not 49.99999999999999).
	score := 100 * float64(prom-det) / float64(total)
	// The variance is never negative in exact arithmetic; max guards against
	// rounding a zero variance to a tiny negative number.
	se := 100 * math.Sqrt(math.Max(0, p+d-(p-d)*(p-d))/float64(total))
	return NPSResult{
		Responses:    total,
		Promoters:    prom,
		Passives:     pass,
		Detractors:   det,
		Distribution: n.dist,
		Score:        score,
		SE:           se,
		CI:           Interval{Low: score - Z95*se, High: score + Z95*se},
		Mean:         n.dist.meanScore(),
	}, nil
}

// MarshalBinary encodes the answers (see the package's binary encoding in
// wire.go).
func (n *NPS) MarshalBinary() ([]byte, error) {
	e := newEncoder(tagNPS, 2+maxScaleWidth*2)
	encodeDistribution(e, &n.dist, Scale{Min: npsMin, Max: npsMax})
	return e.finish(), nil
}

// UnmarshalBinary replaces n with the NPS encoded by [NPS.MarshalBinary]. It
// returns an error wrapping [ErrInvalid], and leaves n unchanged, if data is
// not a valid NPS encoding.
func (n *NPS) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagNPS, "NPS")
	dist := decodeDistribution(d, Scale{Min: npsMin, Max: npsMax})
	if err := d.finish(); err != nil {
		return err
	}
	n.dist = dist
	return nil
}
