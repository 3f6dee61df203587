package chatkpi

import (
	"math"
	"time"

	"github.com/DataDog/sketches-go/ddsketch"
)

// Defaults of the streaming mode ([DurationsSettings].Streaming).
const (
	// DefaultRelativeAccuracy is the relative error α of streaming quantiles: 1 %.
	DefaultRelativeAccuracy = 0.01
	// DefaultMaxBins bounds the bins of the streaming mode's sketch: 2048 bins of 8 bytes,
	// at most 16 KiB per sketch. With α = 1 % one bin spans a factor of
	// (1+α)/(1−α) ≈ 1.0202, so 2048 bins cover a ratio of about 6·10¹⁷
	// between the smallest and the largest non-zero duration (1 ns to 19
	// years): with the defaults the sketch never collapses on durations.
	DefaultMaxBins = 2048
)

// Bounds of the sketch settings accepted by newSketch and by decoders.
const (
	minRelativeAccuracy = 1e-4
	maxRelativeAccuracy = 0.5
	minSketchBins       = 16
	maxSketchBins       = 1 << 16
)

// sketch is a streaming, mergeable summary of non-negative durations for
// quantiles in bounded memory: a DDSketch (Masson, Rim and Lee, VLDB 2019,
// [github.com/DataDog/sketches-go/ddsketch]) over the durations in seconds,
// with a logarithmic index mapping and a dense store that collapses its
// lowest bins when it would exceed its maximum bin count. Zero durations go
// to the sketch's zero bucket and are exact. The count, minimum and maximum
// are kept exactly beside the sketch.
//
// Its guarantee is stated on [Durations] (streaming mode).
//
// The zero value is an empty sketch with [DefaultRelativeAccuracy] and
// [DefaultMaxBins]. A sketch is not safe for concurrent use.
type sketch struct {
	alpha    float64
	maxBins  int
	sk       *ddsketch.DDSketch // nil until the first Add, Merge or decode
	n        int64
	min, max time.Duration
}

// newSketch returns an empty sketch with relative accuracy α in [0.0001,
// 0.5] and at most maxBins bins in [16, 65536].
func newSketch(relativeAccuracy float64, maxBins int) (*sketch, error) {
	if err := checkSketchSettings(relativeAccuracy, maxBins); err != nil {
		return nil, err
	}
	return &sketch{alpha: relativeAccuracy, maxBins: maxBins}, nil
}

func checkSketchSettings(alpha float64, maxBins int) error {
	if !(alpha >= minRelativeAccuracy && alpha <= maxRelativeAccuracy) {
		return invalidf("relative accuracy", "%v is outside [%v, %v]", alpha, minRelativeAccuracy, maxRelativeAccuracy)
	}
	if maxBins < minSketchBins || maxBins > maxSketchBins {
		return invalidf("max bins", "%d is outside [%d, %d]", maxBins, minSketchBins, maxSketchBins)
	}
	return nil
}

// RelativeAccuracy returns α.
func (s *sketch) RelativeAccuracy() float64 {
	if s.alpha == 0 {
		return DefaultRelativeAccuracy
	}
	return s.alpha
}

// MaxBins returns the maximum number of bins.
func (s *sketch) MaxBins() int {
	if s.maxBins == 0 {
		return DefaultMaxBins
	}
	return s.maxBins
}

func (s *sketch) init() {
	if s.sk != nil {
		return
	}
	s.alpha, s.maxBins = s.RelativeAccuracy(), s.MaxBins()
	// The settings were validated, so the constructor cannot fail.
	sk, err := ddsketch.LogCollapsingLowestDenseDDSketch(s.alpha, s.maxBins)
	if err != nil {
		panic("chatkpi: ddsketch rejected validated settings: " + err.Error())
	}
	s.sk = sk
}

// Add adds a duration. A negative duration is an error wrapping [ErrInvalid].
func (s *sketch) Add(d time.Duration) error {
	if d < 0 {
		return invalidf("duration", "negative duration %v", d)
	}
	s.init()
	if err := s.sk.Add(d.Seconds()); err != nil {
		return invalidf("duration", "%v: %v", d, err)
	}
	if s.n == 0 || d < s.min {
		s.min = d
	}
	if d > s.max {
		s.max = d
	}
	s.n++
	return nil
}

// Count returns the number of durations added.
func (s *sketch) Count() int64 { return s.n }

// Min returns the exact minimum, or [ErrNoData].
func (s *sketch) Min() (time.Duration, error) {
	if s.n == 0 {
		return 0, ErrNoData
	}
	return s.min, nil
}

// Max returns the exact maximum, or [ErrNoData].
func (s *sketch) Max() (time.Duration, error) {
	if s.n == 0 {
		return 0, ErrNoData
	}
	return s.max, nil
}

// Collapsed reports whether the store may have collapsed low bins, so that
// the guarantee may no longer hold for the lowest ranks: it is true when the
// bins in use span MaxBins indices (the store is full), which is conservative.
func (s *sketch) Collapsed() bool {
	if s.sk == nil {
		return false
	}
	st := s.sk.GetPositiveValueStore()
	lo, err1 := st.MinIndex()
	hi, err2 := st.MaxIndex()
	return err1 == nil && err2 == nil && hi-lo+1 >= s.maxBins
}

// Quantile returns the estimated q-quantile for q in [0, 1] (see the
// guarantee in sketch), [ErrNoData] when empty, or an error wrapping
// [ErrInvalid] for q outside [0, 1].
func (s *sketch) Quantile(q float64) (time.Duration, error) {
	if !(q >= 0 && q <= 1) {
		return 0, invalidf("quantile", "%v is outside [0, 1]", q)
	}
	if s.n == 0 {
		return 0, ErrNoData
	}
	r := rankOf(q, int(s.n))
	lo := float64(r.lo)
	v := s.valueAtRank(lo)
	if f := r.fraction(); f > 0 {
		v += f * (s.valueAtRank(lo+1) - v)
	}
	d := time.Duration(math.Round(v * 1e9))
	return min(max(d, s.min), s.max), nil
}

// valueAtRank returns the sketch's value of the 0-based rank r (an integer).
func (s *sketch) valueAtRank(r float64) float64 {
	zc := s.sk.GetZeroCount()
	if r < zc {
		return 0
	}
	return s.sk.Value(s.sk.GetPositiveValueStore().KeyAtRank(r - zc))
}

// Merge adds the durations summarized by o. Sketches with a different
// relative accuracy or bin limit give [ErrIncompatible].
func (s *sketch) Merge(o *sketch) error {
	if s.RelativeAccuracy() != o.RelativeAccuracy() || s.MaxBins() != o.MaxBins() {
		return ErrIncompatible
	}
	if o.n == 0 {
		return nil
	}
	s.init()
	if err := s.sk.MergeWith(o.sk); err != nil {
		return ErrIncompatible
	}
	if s.n == 0 || o.min < s.min {
		s.min = o.min
	}
	s.max = max(s.max, o.max)
	s.n += o.n
	return nil
}

// The sketch's own index bounds for durations: 1 ns to the largest Duration.
func (s *sketch) indexRange() (lo, hi int) {
	return s.sk.Index(1e-9), s.sk.Index(float64(math.MaxInt64) / 1e9)
}

// MarshalBinary encodes the sketch as: relative accuracy (float64), max bins,
// count, min, max (ns), zero count, number of bins, then the bins in
// increasing index order as (index delta, count) varints — the first delta
// is the index itself. The encoding is our own rather than the library's
// protobuf so that decoding can check every invariant.
func (s *sketch) MarshalBinary() ([]byte, error) {
	nb := 0
	if s.sk != nil {
		s.sk.GetPositiveValueStore().ForEach(func(int, float64) bool { nb++; return false })
	}
	e := newEncoder(tagSketch, 40+4*nb)
	e.float(s.RelativeAccuracy())
	e.uvarint(uint64(s.MaxBins()))
	e.uvarint(uint64(s.n))
	e.varint(int64(s.min))
	e.varint(int64(s.max))
	if s.sk == nil {
		e.uvarint(0)
		e.uvarint(0)
		return e.finish(), nil
	}
	e.uvarint(uint64(s.sk.GetZeroCount()))
	e.uvarint(uint64(nb))
	prev := 0
	first := true
	// ForEach of a dense store visits indices in increasing order.
	s.sk.GetPositiveValueStore().ForEach(func(idx int, c float64) bool {
		if first {
			e.varint(int64(idx))
			first = false
		} else {
			e.uvarint(uint64(idx - prev))
		}
		prev = idx
		e.uvarint(uint64(c))
		return false
	})
	return e.finish(), nil
}

// UnmarshalBinary replaces s with a decoded sketch. It rejects (with an
// error wrapping [ErrInvalid]) settings out of range, bins out of the
// duration index range or out of order, zero counts, counts that do not add
// up, and a min or max inconsistent with the bins. Like the sketch itself,
// decoding allocates at most 8·MaxBins bytes for the bins (≤ 512 KiB).
func (s *sketch) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagSketch, "sketch")
	t, err := decodeSketch(d)
	if err != nil {
		return err
	}
	if err := d.finish(); err != nil {
		return err
	}
	*s = *t
	return nil
}

func decodeSketch(d *decoder) (*sketch, error) {
	alpha := d.float()
	maxBins := d.uvarint()
	n := d.count()
	minD, maxD := time.Duration(d.varint()), time.Duration(d.varint())
	zero := d.count()
	nb := d.length(2)
	if d.err != nil {
		return nil, d.err
	}
	if maxBins > maxSketchBins {
		d.fail("max bins %d is outside [%d, %d]", maxBins, minSketchBins, maxSketchBins)
		return nil, d.err
	}
	if err := checkSketchSettings(alpha, int(maxBins)); err != nil {
		d.fail("%v", err)
		return nil, d.err
	}
	s := &sketch{alpha: alpha, maxBins: int(maxBins), n: n, min: minD, max: maxD}
	if n == 0 {
		if zero != 0 || nb != 0 || minD != 0 || maxD != 0 {
			d.fail("empty sketch with bins, zeros or a min or max")
		}
		return s, d.err
	}
	if minD < 0 || maxD < minD {
		d.fail("min %d and max %d are not 0 ≤ min ≤ max", minD, maxD)
		return nil, d.err
	}
	if nb > int(maxBins) {
		d.fail("%d bins exceed the limit of %d", nb, maxBins)
		return nil, d.err
	}
	s.init()
	lo, hi := s.indexRange()
	st := s.sk.GetPositiveValueStore()
	total := zero
	idx, first, last := 0, 0, 0
	for i := range nb {
		if i == 0 {
			v := d.varint()
			if v < int64(lo) || v > int64(hi) {
				d.fail("bin index %d is outside the duration range [%d, %d]", v, lo, hi)
			}
			idx, first = int(v), int(v)
		} else {
			delta := d.uvarint()
			if delta == 0 || delta > uint64(hi-idx) {
				d.fail("bin index delta %d is not increasing within the duration range", delta)
			}
			idx += int(delta)
		}
		c := d.count()
		if d.err != nil {
			return nil, d.err
		}
		if c == 0 || c > n-total {
			d.fail("bin count %d is zero or exceeds the sketch count %d", c, n)
			return nil, d.err
		}
		total += c
		st.AddWithCount(idx, float64(c))
		last = idx
	}
	if total != n {
		d.fail("bin counts add up to %d, not the count %d", total, n)
		return nil, d.err
	}
	if zero > 0 {
		s.sk.AddWithCount(0, float64(zero))
		if minD != 0 {
			d.fail("zero durations but min %v", minD)
		}
	} else if minD == 0 || s.sk.Index(minD.Seconds()) > first {
		d.fail("min %v is not in the lowest bin %d", minD, first)
	}
	switch {
	case nb == 0 && maxD != 0:
		d.fail("only zero durations but max %v", maxD)
	case nb > 0 && s.sk.Index(maxD.Seconds()) != last:
		d.fail("max %v is not in the highest bin %d", maxD, last)
	}
	return s, d.err
}
