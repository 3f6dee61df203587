package chatkpi

import (
	"bytes"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// defaultDurationQuantiles are the percentiles a [Durations] reports unless
// [DurationsSettings].Quantiles says otherwise: p50, p90, p95, p99.
func defaultDurationQuantiles() []float64 { return []float64{0.5, 0.9, 0.95, 0.99} }

// defaultDurationBounds are the histogram bucket bounds of
// [DurationsSettings].Buckets' default: 30 s, 1 m, 5 m, 15 m, 1 h, 4 h, 24 h.
func defaultDurationBounds() []time.Duration {
	return []time.Duration{30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour}
}

// defaultDurationBucketOf is durationBucketOf(defaultDurationBounds(), x)
// without building the slice, for the per-duration hot path: the number of
// bounds ≤ x, summed without a branch per bound (which would mispredict on
// durations in random order) and small enough to inline. For x ≥ 0, b − 1
// − x does not overflow and is negative, its sign bit 1, exactly when
// x ≥ b.
func defaultDurationBucketOf(x time.Duration) int {
	const s, m, h = time.Second, time.Minute, time.Hour
	return int(uint64(30*s-1-x)>>63 + uint64(m-1-x)>>63 + uint64(5*m-1-x)>>63 + uint64(15*m-1-x)>>63 +
		uint64(h-1-x)>>63 + uint64(4*h-1-x)>>63 + uint64(24*h-1-x)>>63)
}

// Durations is the statistics of a set of non-negative durations, shared by
// every timing metric: count, mean with its standard error, min, max,
// percentiles, a histogram and SLA attainment. It has two modes:
//
//   - Exact (the default): every duration is kept, 8 bytes each, so 8 MB
//     per million durations, or 4 in blocks of 8,192 durations that are all
//     whole milliseconds below 2³² ms (49.7 days), exactly. The store
//     doubles up to one block, then grows by blocks, so its spare capacity
//     is at most one block (64 KiB), or as much again as a shorter store
//     holds. Percentiles use linear interpolation between
//     closest ranks: with the values sorted x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ and
//     h = q(n−1), x_q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) — numpy's
//     default, R type 7, Excel PERCENTILE.INC, DuckDB quantile_cont. The
//     rank and the interpolation are computed exactly, in integer
//     arithmetic, with q read as the shortest decimal that formats as it
//     (0.95 is 95/100, not the float64 nearest to it, which is slightly
//     less), and only the result is rounded to the nanosecond (half away
//     from zero): p95 of twelve zeros and 374,250 s is exactly 149,700 s,
//     where float64 arithmetic gives 1 ns less. [Durations.Result]
//     selects the few ranks it reads, by counting the values into buckets
//     or in place (the order of the kept values does not matter);
//     [Durations.Quantile], [Durations.Within]
//     and encoding sort them once, lazily.
//   - Streaming ([DurationsSettings].Streaming): percentiles come from a
//     DDSketch (Masson, Rim and Lee, VLDB 2019,
//     [github.com/DataDog/sketches-go/ddsketch]) over the durations in
//     seconds, with a logarithmic index mapping and a dense store of at
//     most MaxBins bins that collapses its lowest bins when full; zero
//     durations are exact. Guarantee: let x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ be the
//     durations added (here or to any Durations merged into this one) and
//     x_q the exact quantile of the exact mode (h = q(n−1), the same exact
//     rank). The streaming quantile interpolates in the same way between
//     the sketch's values at ranks ⌊h⌋ and ⌈h⌉, each within a relative
//     error α (RelativeAccuracy, default 1 %) of the true value of that
//     rank, so the returned value v satisfies
//     |v − x_q| ≤ α·x_q (+ 0.5 ns from rounding to a time.Duration), as
//     long as the store has not collapsed the bins holding ranks ⌊h⌋ and
//     ⌈h⌉. With [DefaultMaxBins] a collapse needs a ratio above 6·10¹⁷
//     between the smallest and the largest non-zero duration (1 ns to 19
//     years), so it does not happen on durations; collapsing affects only
//     the lowest ranks. The result is also clamped to the exact [min, max],
//     which never increases the error.
//
// In both modes the count, the sum (hence the mean), the sum of squares,
// min, max, the histogram counts and the SLA counts for configured targets
// are exact. The sum of nanoseconds is kept in 128 bits and the sum of their
// squares in 192, so neither can overflow (a million durations of days
// already overflow int64). The standard error of the mean is s/√n with the
// sample standard deviation s (n − 1 in the denominator), computed from
// those exact sums: it is the same however the durations were split and
// merged.
//
// Histogram: with bounds b₁ < … < bₖ the buckets are [0, b₁), [b₁, b₂), …,
// [bₖ, ∞); a duration on a bound goes to the upper bucket. Default bounds:
// 30 s, 1 m, 5 m, 15 m, 1 h, 4 h, 24 h (see [DurationsSettings].Buckets).
// SLA attainment: a duration is within a target when it
// is ≤ the target (a reply in exactly 60 s meets a 60 s SLA).
//
// Results are rounded to the nanosecond (half away from zero). The zero
// value is an empty exact Durations with the default percentiles and
// buckets. A Durations is not safe for concurrent use: even reading results
// may sort the kept values.
type Durations struct {
	// In exact mode Add only counts and keeps the value: the sums, min,
	// max and counts below take in the kept values when they are read
	// (fold). A report keeps one Durations per statistic and group, and a
	// group is rarely in cache when its next conversation comes, so Add
	// touches as few cache lines as it can: n, values and cfg.streaming
	// lie next to each other.
	n      int64
	values []time.Duration // exact mode: the last block of kept values
	folded int             // exact mode: values[:folded] are in the fields from sumHi on
	sorted bool            // exact mode: values holds every kept value, sorted
	cfg    durationsConfig
	// blocks are the kept values before values (exact mode), each folded.
	blocks []keptPart
	borrow *borrowing // Merge borrows instead of copying (see borrowValues)
	// The statistics of the durations: in streaming mode of every one, in
	// exact mode of the blocks, values[:folded] and the borrowed values.
	sumHi, sumLo uint64 // Σ nanoseconds, 128 bits
	min, max     time.Duration
	buckets      []int64   // len(bounds)+1, allocated at the first duration
	within       []int64   // one per SLA target
	sumSq        [3]uint64 // Σ nanoseconds², 192 bits, least significant word first
	sketch       *sketch
}

type durationsConfig struct {
	streaming bool
	bounds    []time.Duration // nil means defaultDurationBounds
	sla       []time.Duration
	alpha     float64
	maxBins   int
	quantiles []float64
}

func (c *durationsConfig) quantileList() []float64 {
	if c.quantiles == nil {
		return defaultDurationQuantiles()
	}
	return c.quantiles
}

func (c *durationsConfig) boundList() []time.Duration {
	if c.bounds == nil {
		return defaultDurationBounds()
	}
	return c.bounds
}

// sameState reports whether two configurations keep mergeable state. The
// reported quantiles do not matter.
func (c *durationsConfig) sameState(o *durationsConfig) bool {
	if c.streaming != o.streaming || !slices.Equal(c.boundList(), o.boundList()) || !slices.Equal(c.sla, o.sla) {
		return false
	}
	return !c.streaming || (c.alpha == o.alpha && c.maxBins == o.maxBins)
}

func (c *durationsConfig) validate() error {
	if c.streaming {
		if err := checkSketchSettings(c.alpha, c.maxBins); err != nil {
			return err
		}
	}
	for _, q := range c.quantiles {
		if !(q >= 0 && q <= 1) {
			return invalidf("quantile", "%v is outside [0, 1]", q)
		}
	}
	for i, b := range c.bounds {
		if b <= 0 || (i > 0 && b <= c.bounds[i-1]) {
			return invalidf("bucket bounds", "bounds must be positive and increasing, got %v", c.bounds)
		}
	}
	for _, t := range c.sla {
		if t < 0 {
			return invalidf("sla target", "negative target %v", t)
		}
	}
	return nil
}

// The capacities of the lists of [DurationsSettings].
const (
	MaxQuantiles  = 8 // reported percentiles
	MaxBuckets    = 8 // histogram bounds
	MaxSLATargets = 8 // SLA targets
)

// DurationsSettings is how a [Durations] summarizes durations, and so the
// statistics settings of every timing calculator. It is a plain comparable
// value; the zero value is the default: exact percentiles p50, p90, p95 and
// p99, histogram buckets sized for live chat (see Buckets), and no SLA
// target. The lists are fixed-size arrays whose used entries come first: a
// zero entry ends the list.
type DurationsSettings struct {
	// Streaming keeps the percentiles in a sketch in bounded memory,
	// within the relative accuracy of the exact ones. Default false: exact,
	// every duration is kept.
	Streaming bool
	// RelativeAccuracy is the sketch's relative accuracy α in
	// [0.0001, 0.5]. Default (0): [DefaultRelativeAccuracy], 1 %. Only with
	// Streaming: set without it, it is an error rather than ignored.
	RelativeAccuracy float64
	// MaxBins bounds the sketch's bins, in [16, 65536]. Default (0):
	// [DefaultMaxBins]. Only with Streaming.
	MaxBins int
	// Quantiles are the reported percentiles, as quantiles in (0, 1] (0.5
	// for p50). Default (no entry): 0.5, 0.9, 0.95, 0.99.
	Quantiles [MaxQuantiles]float64
	// Buckets are the histogram bounds b₁ < … < bₖ, positive and
	// increasing: buckets [0, b₁), [b₁, b₂), …, [bₖ, ∞). Default (no
	// entry): 30 s, 1 m, 5 m, 15 m, 1 h, 4 h, 24 h — sized for live chat,
	// where replies come in seconds or minutes (the first four buckets:
	// first response, response, queue wait) and conversations are
	// resolved within hours or days (the last four: resolution, chat
	// duration, ticket waits). One default for every timing metric, so
	// that a calculator's zero value, the calculator built from zero
	// settings and a report's metric keep the same, mergeable buckets.
	Buckets [MaxBuckets]time.Duration
	// SLA are targets whose attainment (a duration ≤ target is within) is
	// counted exactly in both modes; in exact mode [Durations.Within]
	// answers for any target, in streaming mode only for these. Positive.
	// Default: none.
	SLA [MaxSLATargets]time.Duration
}

// usedEntries returns the number of used entries of a settings list:
// those before the first zero. Entries after a zero must be zero too.
func usedEntries[T comparable](field string, a []T) (int, error) {
	var zero T
	n := 0
	for n < len(a) && a[n] != zero {
		n++
	}
	for _, x := range a[n:] {
		if x != zero {
			return 0, invalidf(field, "%v follows an unused (zero) entry: the used entries come first", x)
		}
	}
	return n, nil
}

// check returns the settings' error, wrapping [ErrInvalid], or nil. It
// does not allocate (a combiner checks before every input).
func (s *DurationsSettings) check() error {
	if s.Streaming {
		alpha, bins := s.RelativeAccuracy, s.MaxBins
		if alpha == 0 {
			alpha = DefaultRelativeAccuracy
		}
		if bins == 0 {
			bins = DefaultMaxBins
		}
		if err := checkSketchSettings(alpha, bins); err != nil {
			return err
		}
	} else if s.RelativeAccuracy != 0 || s.MaxBins != 0 {
		return invalidf("relative accuracy", "relative accuracy %v and max bins %d without streaming", s.RelativeAccuracy, s.MaxBins)
	}
	nq, err := usedEntries("quantile", s.Quantiles[:])
	if err != nil {
		return err
	}
	for _, q := range s.Quantiles[:nq] {
		if !(q > 0 && q <= 1) {
			return invalidf("quantile", "%v is outside (0, 1]", q)
		}
	}
	nb, err := usedEntries("bucket bounds", s.Buckets[:])
	if err != nil {
		return err
	}
	for i, b := range s.Buckets[:nb] {
		if b <= 0 || (i > 0 && b <= s.Buckets[i-1]) {
			return invalidf("bucket bounds", "bounds must be positive and increasing, got %v", b)
		}
	}
	ns, err := usedEntries("sla target", s.SLA[:])
	if err != nil {
		return err
	}
	for _, t := range s.SLA[:ns] {
		if t < 0 {
			return invalidf("sla target", "negative target %v", t)
		}
	}
	return nil
}

// config resolves valid settings into the state of a Durations.
func (s *DurationsSettings) config() (durationsConfig, error) {
	if err := s.check(); err != nil {
		return durationsConfig{}, err
	}
	var c durationsConfig
	if s.Streaming {
		c.streaming, c.alpha, c.maxBins = true, s.RelativeAccuracy, s.MaxBins
		if c.alpha == 0 {
			c.alpha = DefaultRelativeAccuracy
		}
		if c.maxBins == 0 {
			c.maxBins = DefaultMaxBins
		}
	}
	used := func(n int, err error) int { return n }
	if n := used(usedEntries("", s.Quantiles[:])); n > 0 {
		c.quantiles = slices.Clone(s.Quantiles[:n])
	}
	if n := used(usedEntries("", s.Buckets[:])); n > 0 {
		c.bounds = slices.Clone(s.Buckets[:n])
	}
	if n := used(usedEntries("", s.SLA[:])); n > 0 {
		c.sla = slices.Clone(s.SLA[:n])
	}
	return c, nil
}

// NewDurations returns an empty Durations with the settings, or an error
// wrapping [ErrInvalid] for invalid settings.
func NewDurations(s DurationsSettings) (*Durations, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	return &Durations{cfg: cfg}, nil
}

// streaming reports whether d is in streaming mode.
func (d *Durations) streaming() bool { return d.cfg.streaming }

// size returns the number of durations added.
func (d *Durations) size() int64 { return d.n }

func (d *Durations) lazyInit() {
	if d.buckets == nil {
		d.buckets = make([]int64, len(d.cfg.boundList())+1)
		d.within = make([]int64, len(d.cfg.sla))
	}
	if d.cfg.streaming && d.sketch == nil {
		d.sketch = &sketch{alpha: d.cfg.alpha, maxBins: d.cfg.maxBins}
	}
}

// Add adds one duration. A negative duration is an error wrapping
// [ErrInvalid]; nothing is added then.
func (d *Durations) Add(x time.Duration) error {
	if x < 0 {
		return invalidf("duration", "negative duration %v", x)
	}
	if d.cfg.streaming {
		d.lazyInit()
		if err := d.sketch.Add(x); err != nil {
			return err
		}
		d.tally([]time.Duration{x}, d.n == 0)
		d.n++
		return nil
	}
	if len(d.values) == cap(d.values) {
		d.grow()
	}
	d.values = append(d.values, x)
	d.sorted = false
	d.n++
	return nil
}

// fold brings the statistics up to date with the kept values (exact mode);
// every method that reads them, or reorders the values, calls it first.
func (d *Durations) fold() {
	if d.folded == len(d.values) {
		return
	}
	d.lazyInit()
	d.tally(d.values[d.folded:], d.n == int64(len(d.values)-d.folded)) // first: nothing is counted yet
	d.folded = len(d.values)
}

// tally adds vals to the sums, min/max, histogram and SLA counts; first
// says that nothing is counted yet. The sums are kept in registers: through
// d each addition would wait for the store of the previous one.
func (d *Durations) tally(vals []time.Duration, first bool) {
	if len(vals) == 0 {
		return
	}
	mn, mx := d.min, d.max
	if first {
		mn, mx = vals[0], vals[0]
	}
	lo, hi := d.sumLo, d.sumHi
	sq0, sq1, sq2 := d.sumSq[0], d.sumSq[1], d.sumSq[2]
	buckets, bounds, sla := d.buckets, d.cfg.bounds, d.cfg.sla
	for _, x := range vals {
		var c uint64
		lo, c = bits.Add64(lo, uint64(x), 0)
		hi += c
		sqHi, sqLo := bits.Mul64(uint64(x), uint64(x))
		sq0, c = bits.Add64(sq0, sqLo, 0)
		sq1, c = bits.Add64(sq1, sqHi, c)
		sq2 += c
		mn, mx = min(mn, x), max(mx, x)
		if bounds == nil { // the default bounds, without a slice
			buckets[defaultDurationBucketOf(x)]++
		} else {
			buckets[durationBucketOf(bounds, x)]++
		}
		for i, t := range sla {
			if x <= t {
				d.within[i]++
			}
		}
	}
	d.sumLo, d.sumHi, d.sumSq = lo, hi, [3]uint64{sq0, sq1, sq2}
	d.min, d.max = mn, mx
}

// durationBucketOf returns the number of bounds ≤ x: a value on a bound goes up.
func durationBucketOf(bounds []time.Duration, x time.Duration) int {
	i := 0
	for i < len(bounds) && bounds[i] <= x {
		i++
	}
	return i
}

// Merge adds the durations of o. Different modes, sketch settings, bucket
// bounds or SLA targets give [ErrIncompatible]; the reported quantiles are
// d's.
func (d *Durations) Merge(o *Durations) error {
	if !d.cfg.sameState(&o.cfg) {
		return ErrIncompatible
	}
	if o.n == 0 {
		return nil
	}
	d.fold()
	o.fold()
	d.lazyInit()
	if d.cfg.streaming {
		if err := d.sketch.Merge(o.sketch); err != nil {
			return err
		}
	} else if d.borrow != nil {
		d.borrow.from = append(d.borrow.from, o)
		d.sorted = false
	} else {
		for _, vs := range o.valueParts(nil, false) {
			d.appendCounted(vs) // o's statistics are added below
		}
		d.sorted = false
	}
	var c uint64
	d.sumLo, c = bits.Add64(d.sumLo, o.sumLo, 0)
	d.sumHi += o.sumHi + c
	d.sumSq = add192(d.sumSq, o.sumSq)
	if d.n == 0 || o.min < d.min {
		d.min = o.min
	}
	d.max = max(d.max, o.max)
	d.n += o.n
	for i := range d.buckets {
		d.buckets[i] += o.buckets[i]
	}
	for i := range d.within {
		d.within[i] += o.within[i]
	}
	return nil
}

func (d *Durations) sortValues() {
	d.gather()
	if !d.sorted {
		sortDurations(d.values)
		d.sorted = true
	}
}

// selectMin is the number of kept values from which Result selects its
// percentiles rather than sorting the values.
const selectMin = 64

// mean returns the exact mean Σx/n rounded to the nanosecond, or
// [ErrNoData].
func (d *Durations) mean() (time.Duration, error) {
	if d.n == 0 {
		return 0, ErrNoData
	}
	d.fold()
	// The mean is at most max, so the quotient fits in 64 bits.
	q, r := bits.Div64(d.sumHi, d.sumLo, uint64(d.n))
	if r >= uint64(d.n)-r { // r/n ≥ 1/2: round half away from zero
		q++
	}
	return time.Duration(q), nil
}

// Quantile returns the q-quantile for q in [0, 1]: exact by linear
// interpolation in exact mode, within the sketch guarantee in streaming
// mode. It returns [ErrNoData] when empty.
func (d *Durations) Quantile(q float64) (time.Duration, error) {
	if !(q >= 0 && q <= 1) {
		return 0, invalidf("quantile", "%v is outside [0, 1]", q)
	}
	if d.n == 0 {
		return 0, ErrNoData
	}
	if d.cfg.streaming {
		return d.sketch.Quantile(q)
	}
	d.sortValues()
	return quantileSorted(d.values, q), nil
}

// quantileSorted is R type 7 on sorted, non-empty xs.
func quantileSorted(xs []time.Duration, q float64) time.Duration {
	r := rankOf(q, len(xs))
	if r.lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return r.interpolate(xs[r.lo], xs[r.lo+1])
}

// quantileRank is the rank h = q(n−1) of R type 7, exact: h = lo + f with
// the fraction f = num/den in [0, 1). The quantile q is read as the
// shortest decimal that formats as it (as [strconv.FormatFloat] with
// precision −1 prints it), so 0.95 means 95/100, not the binary fraction
// nearest to it: for the short decimals percentiles are written in, the
// rank is the one the decimal names, computed in integer arithmetic.
type quantileRank struct {
	lo       int
	num, den uint64   // f = num/den, unless frac holds it
	frac     *big.Rat // f when 10^k, the denominator of q, exceeds 64 bits
}

// maxDecimalPlaces64 is the largest k with 10^k < 2^64.
const maxDecimalPlaces64 = 19

// rankOf returns the exact rank of q in [0, 1] among n ≥ 1 sorted values.
func rankOf(q float64, n int) quantileRank {
	if q == 0 || n == 1 {
		return quantileRank{den: 1}
	}
	// q = m × 10^−k with the shortest decimal mantissa m (at most 17 digits).
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], q, 'e', -1, 64)
	ePos := bytes.IndexByte(b, 'e')
	var m uint64
	digits := 0
	for _, c := range b[:ePos] {
		if c != '.' {
			m = 10*m + uint64(c-'0')
			digits++
		}
	}
	exp, _ := strconv.Atoi(string(b[ePos+1:]))
	k := digits - 1 - exp // q ≤ 1, so k ≥ 0
	steps := uint64(n - 1)
	if k <= maxDecimalPlaces64 {
		// (n−1)·m < 2⁶³·10¹⁷ fits 128 bits, and its quotient by 10^k is
		// at most n − 1.
		den := pow10(k)
		hi, lo := bits.Mul64(steps, m)
		quo, rem := bits.Div64(hi, lo, den)
		return quantileRank{lo: int(quo), num: rem, den: den}
	}
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
	h := new(big.Int).Mul(new(big.Int).SetUint64(steps), new(big.Int).SetUint64(m))
	quo, rem := new(big.Int).QuoRem(h, den, new(big.Int))
	return quantileRank{lo: int(quo.Int64()), frac: new(big.Rat).SetFrac(rem, den)}
}

func pow10(k int) uint64 {
	p := uint64(1)
	for range k {
		p *= 10
	}
	return p
}

// interpolate returns a + f(b − a) for a ≤ b, rounded half away from zero
// to the nanosecond, exactly.
func (r *quantileRank) interpolate(a, b time.Duration) time.Duration {
	diff := uint64(b - a)
	if r.frac == nil {
		if r.num == 0 || diff == 0 {
			return a
		}
		// num·diff < 2⁶⁴·2⁶³, and the quotient by den is below diff.
		hi, lo := bits.Mul64(r.num, diff)
		quo, rem := bits.Div64(hi, lo, r.den)
		if rem >= r.den-rem {
			quo++
		}
		return a + time.Duration(quo)
	}
	x := new(big.Int).Mul(r.frac.Num(), new(big.Int).SetUint64(diff))
	quo, rem := x.QuoRem(x, r.frac.Denom(), new(big.Int))
	if rem.Lsh(rem, 1).Cmp(r.frac.Denom()) >= 0 {
		quo.Add(quo, big.NewInt(1))
	}
	return a + time.Duration(quo.Int64())
}

// fraction returns f as the nearest float64.
func (r *quantileRank) fraction() float64 {
	if r.frac == nil {
		if r.num == 0 {
			return 0
		}
		if r.den < 1<<53 {
			// Both exact in float64, and IEEE division rounds to nearest.
			return float64(r.num) / float64(r.den)
		}
		f, _ := new(big.Rat).SetFrac(new(big.Int).SetUint64(r.num), new(big.Int).SetUint64(r.den)).Float64()
		return f
	}
	f, _ := r.frac.Float64()
	return f
}

// Within returns the share of durations ≤ target. It returns [ErrNoData]
// when empty and, in streaming mode, an error wrapping [ErrInvalid] for a
// target not set in [DurationsSettings].SLA.
func (d *Durations) Within(target time.Duration) (Proportion, error) {
	if d.n == 0 {
		return Proportion{}, ErrNoData
	}
	d.fold()
	if i := slices.Index(d.cfg.sla, target); i >= 0 {
		return Proportion{Successes: d.within[i], Trials: d.n}, nil
	}
	if d.cfg.streaming {
		return Proportion{}, invalidf("sla target", "%v is not one of the SLA settings; streaming mode counts only configured targets", target)
	}
	d.sortValues()
	k, _ := slices.BinarySearch(d.values, target+1)
	if target == math.MaxInt64 {
		k = len(d.values)
	}
	return Proportion{Successes: int64(k), Trials: d.n}, nil
}

// stdErr returns the standard error of the mean s/√n, or [ErrNoData] with
// fewer than two durations (the sample standard deviation is undefined).
func (d *Durations) stdErr() (time.Duration, error) {
	if d.n < 2 {
		return 0, ErrNoData
	}
	d.fold()
	if se, ok := d.stdErrFast(); ok {
		return se, nil
	}
	return d.stdErrBig(), nil
}

// stdErrBig is stdErr in math/big, for any sums.
func (d *Durations) stdErrBig() time.Duration {
	// SE² = (n·Σx² − (Σx)²) / (n²(n − 1)), from the exact integer sums, so
	// that the result does not depend on the order of adding and merging;
	// the only rounding is the final square root to the nanosecond.
	n := new(big.Int).SetInt64(d.n)
	num := new(big.Int).Mul(n, int192(d.sumSq))
	sum := int128(d.sumHi, d.sumLo)
	num.Sub(num, sum.Mul(sum, sum))
	den := new(big.Int).Mul(n, n)
	den.Mul(den, big.NewInt(d.n-1))
	q := new(big.Float).SetPrec(128).Quo(new(big.Float).SetInt(num), new(big.Float).SetInt(den))
	se, _ := q.Sqrt(q).Float64()
	return time.Duration(math.Round(se))
}

// add192 returns a + b; the sums it holds cannot overflow 192 bits (n <
// 2⁶³ squares of durations < 2⁶³ ns).
func add192(a, b [3]uint64) [3]uint64 {
	var c uint64
	a[0], c = bits.Add64(a[0], b[0], 0)
	a[1], c = bits.Add64(a[1], b[1], c)
	a[2], _ = bits.Add64(a[2], b[2], c)
	return a
}

func int128(hi, lo uint64) *big.Int {
	x := new(big.Int).SetUint64(hi)
	return x.Lsh(x, 64).Or(x, new(big.Int).SetUint64(lo))
}

func int192(w [3]uint64) *big.Int {
	x := new(big.Int).SetUint64(w[2])
	x.Lsh(x, 64).Or(x, new(big.Int).SetUint64(w[1]))
	return x.Lsh(x, 64).Or(x, new(big.Int).SetUint64(w[0]))
}

// Percentile is one reported percentile.
type Percentile struct {
	Q     float64 // in [0, 1]; 0.9 is p90
	Value time.Duration
}

// DurationBucket is one histogram bucket [Low, High); High is 0 for the last,
// unbounded bucket.
type DurationBucket struct {
	Low, High time.Duration
	Count     int64
}

// SLAAttainment is the attainment of one target: durations ≤ Target out of all.
type SLAAttainment struct {
	Target time.Duration
	Within Proportion
}

// DurationStats is the result of a [Durations]. All fields but the
// percentiles in streaming mode are exact (rounded to the nanosecond).
type DurationStats struct {
	Count     int64
	Mean      time.Duration
	StdErr    time.Duration // standard error of the mean; valid when HasStdErr
	HasStdErr bool          // false with fewer than two durations
	Min, Max  time.Duration
	Quantiles []Percentile
	Histogram []DurationBucket
	SLA       []SLAAttainment
	// Streaming is true when Quantiles are estimates within a relative
	// error RelativeAccuracy (see sketch).
	Streaming        bool
	RelativeAccuracy float64
}

// Quantile returns the reported value for q, if q was reported.
func (s *DurationStats) Quantile(q float64) (time.Duration, bool) {
	for _, x := range s.Quantiles {
		if x.Q == q {
			return x.Value, true
		}
	}
	return 0, false
}

// Result returns the statistics, or [ErrNoData] when empty.
func (d *Durations) Result() (DurationStats, error) {
	if d.n == 0 {
		return DurationStats{}, ErrNoData
	}
	if b := d.borrow; b != nil && b.read != nil && b.read.Count == d.n {
		return *b.read, nil // see borrowValues
	}
	d.fold()
	r := DurationStats{Count: d.n, Min: d.min, Max: d.max, Streaming: d.cfg.streaming}
	if d.cfg.streaming {
		r.RelativeAccuracy = d.cfg.alpha
	}
	r.Mean, _ = d.mean()
	se, err := d.stdErr()
	r.StdErr, r.HasStdErr = se, err == nil
	qs := d.cfg.quantileList()
	if !d.cfg.streaming && !d.sorted && d.n >= selectMin {
		r.Quantiles = d.selectQuantiles(qs)
	}
	if r.Quantiles == nil && len(qs) > 0 {
		r.Quantiles = make([]Percentile, 0, len(qs))
	}
	for _, q := range qs {
		if len(r.Quantiles) == len(qs) {
			break
		}
		v, err := d.Quantile(q)
		if err != nil {
			return DurationStats{}, err
		}
		r.Quantiles = append(r.Quantiles, Percentile{Q: q, Value: v})
	}
	var low time.Duration
	bounds := d.cfg.boundList()
	r.Histogram = make([]DurationBucket, 0, len(d.buckets))
	for i, c := range d.buckets {
		b := DurationBucket{Low: low, Count: c}
		if i < len(bounds) {
			b.High = bounds[i]
			low = bounds[i]
		}
		r.Histogram = append(r.Histogram, b)
	}
	if len(d.cfg.sla) > 0 {
		r.SLA = make([]SLAAttainment, 0, len(d.cfg.sla))
	}
	for i, t := range d.cfg.sla {
		r.SLA = append(r.SLA, SLAAttainment{Target: t, Within: Proportion{Successes: d.within[i], Trials: d.n}})
	}
	if d.borrow != nil {
		read := r // r itself stays on the stack
		d.borrow.read = &read
	}
	return r, nil
}

// MarshalBinary encodes the settings and the state. In exact mode the
// values are written sorted, as varint deltas.
func (d *Durations) MarshalBinary() ([]byte, error) {
	kept := int64(0)
	if !d.cfg.streaming {
		kept = d.n
	}
	e := newEncoder(tagDurations, 64+2*int(kept))
	d.encode(e)
	return e.finish(), nil
}

func (d *Durations) encode(e *encoder) {
	d.fold()
	e.bool(d.cfg.streaming)
	if d.cfg.streaming {
		e.float(d.cfg.alpha)
		e.uvarint(uint64(d.cfg.maxBins))
	}
	qs := d.cfg.quantileList()
	e.uvarint(uint64(len(qs)))
	for _, q := range qs {
		e.float(q)
	}
	bounds := d.cfg.boundList()
	e.uvarint(uint64(len(bounds)))
	for _, b := range bounds {
		e.varint(int64(b))
	}
	e.uvarint(uint64(len(d.cfg.sla)))
	for _, t := range d.cfg.sla {
		e.varint(int64(t))
	}
	e.uvarint(uint64(d.n))
	if d.n == 0 {
		return
	}
	e.uvarint(d.sumHi)
	e.uvarint(d.sumLo)
	e.varint(int64(d.min))
	e.varint(int64(d.max))
	for _, c := range d.buckets {
		e.uvarint(uint64(c))
	}
	for _, c := range d.within {
		e.uvarint(uint64(c))
	}
	if d.cfg.streaming {
		for _, w := range d.sumSq {
			e.uvarint(w)
		}
		b, _ := d.sketch.MarshalBinary()
		e.bytes(b)
		return
	}
	d.sortValues()
	e.uvarint(uint64(len(d.values)))
	prev := time.Duration(0)
	for _, x := range d.values {
		e.uvarint(uint64(x - prev))
		prev = x
	}
}

// UnmarshalBinary replaces d with decoded settings and state, rejecting
// (with an error wrapping [ErrInvalid]) invalid settings and any state that
// breaks an invariant: counts, sums, min, max, histogram and SLA counts that
// do not agree with each other or with the values or the sketch.
func (d *Durations) UnmarshalBinary(data []byte) error {
	dec := newDecoder(data, tagDurations, "durations")
	t, err := decodeDurations(dec)
	if err != nil {
		return err
	}
	if err := dec.finish(); err != nil {
		return err
	}
	*d = *t
	return nil
}

func decodeDurations(dec *decoder) (*Durations, error) {
	d := &Durations{}
	c := &d.cfg
	c.streaming = dec.bool()
	if c.streaming {
		c.alpha = dec.float()
		mb := dec.uvarint()
		if mb > maxSketchBins {
			dec.fail("max bins %d out of range", mb)
		}
		c.maxBins = int(mb)
	}
	c.quantiles = make([]float64, dec.length(8))
	for i := range c.quantiles {
		c.quantiles[i] = dec.float()
	}
	c.bounds = make([]time.Duration, dec.length(1))
	for i := range c.bounds {
		c.bounds[i] = time.Duration(dec.varint())
	}
	if n := dec.length(1); n > 0 {
		c.sla = make([]time.Duration, n)
		for i := range c.sla {
			c.sla[i] = time.Duration(dec.varint())
		}
	}
	if dec.err != nil {
		return nil, dec.err
	}
	if err := c.validate(); err != nil {
		dec.fail("%v", err)
		return nil, dec.err
	}
	n := dec.count()
	if n == 0 || dec.err != nil {
		return d, dec.err
	}
	d.lazyInit()
	d.sumHi, d.sumLo = dec.uvarint(), dec.uvarint()
	d.min, d.max = time.Duration(dec.varint()), time.Duration(dec.varint())
	for i := range d.buckets {
		d.buckets[i] = dec.count()
	}
	for i := range d.within {
		d.within[i] = dec.count()
	}
	if dec.err != nil {
		return nil, dec.err
	}
	if c.streaming {
		for i := range d.sumSq {
			d.sumSq[i] = dec.uvarint()
		}
		sk := dec.bytes()
		if dec.err != nil {
			return nil, dec.err
		}
		if err := d.sketch.UnmarshalBinary(sk); err != nil {
			dec.fail("sketch: %v", err)
			return nil, dec.err
		}
		if d.sketch.alpha != c.alpha || d.sketch.maxBins != c.maxBins || d.sketch.n != n ||
			d.sketch.min != d.min || d.sketch.max != d.max {
			dec.fail("sketch settings, count, min or max disagree with the durations")
			return nil, dec.err
		}
		d.n = n
		if !d.sumSqConsistent() {
			dec.fail("sum of squares disagrees with the count, sum, min and max")
			return nil, dec.err
		}
		if !d.checkCounts(dec) {
			return nil, dec.err
		}
		return d, dec.err
	}
	// Exact mode: rebuild from the values and compare, so that every
	// accepted encoding is one that Add could have produced.
	k := dec.length(1)
	if dec.err != nil {
		return nil, dec.err
	}
	if int64(k) != n {
		dec.fail("%d values for a count of %d", k, n)
		return nil, dec.err
	}
	r := &Durations{cfg: d.cfg}
	var x time.Duration
	r.values = make([]time.Duration, 0, k)
	for range k {
		delta := dec.uvarint()
		if dec.err != nil {
			return nil, dec.err
		}
		if delta > uint64(math.MaxInt64-x) {
			dec.fail("value overflows a duration")
			return nil, dec.err
		}
		x += time.Duration(delta)
		if err := r.Add(x); err != nil {
			dec.fail("%v", err)
			return nil, dec.err
		}
	}
	r.sorted = true
	r.fold()
	if r.sumHi != d.sumHi || r.sumLo != d.sumLo || r.min != d.min || r.max != d.max ||
		!slices.Equal(r.buckets, d.buckets) || !slices.Equal(r.within, d.within) {
		dec.fail("sum, min, max, histogram or SLA counts disagree with the values")
		return nil, dec.err
	}
	return r, nil
}

// checkCounts verifies the streaming counts against n, min and max.
func (d *Durations) checkCounts(dec *decoder) bool {
	var total int64
	for _, c := range d.buckets {
		if c > d.n-total {
			dec.fail("histogram counts exceed the count %d", d.n)
			return false
		}
		total += c
	}
	if total != d.n {
		dec.fail("histogram counts add up to %d, not %d", total, d.n)
		return false
	}
	bounds := d.cfg.boundList()
	if d.buckets[durationBucketOf(bounds, d.min)] == 0 || d.buckets[durationBucketOf(bounds, d.max)] == 0 {
		dec.fail("min or max falls in an empty bucket")
		return false
	}
	for i, t := range d.cfg.sla {
		if d.within[i] > d.n || (t >= d.max) != (d.within[i] == d.n) || (t < d.min) != (d.within[i] == 0) {
			dec.fail("SLA count %d for %v disagrees with min %v and max %v", d.within[i], t, d.min, d.max)
			return false
		}
	}
	// n·min ≤ sum ≤ n·max in 128 bits.
	loHi, loLo := bits.Mul64(uint64(d.n), uint64(d.min))
	hiHi, hiLo := bits.Mul64(uint64(d.n), uint64(d.max))
	if less128(d.sumHi, d.sumLo, loHi, loLo) || less128(hiHi, hiLo, d.sumHi, d.sumLo) {
		dec.fail("sum is outside [n·min, n·max]")
		return false
	}
	return true
}

// sumSqConsistent checks what any set of n durations between min and max
// satisfies: n·min² ≤ Σx² ≤ n·max² and (Σx)² ≤ n·Σx² (Cauchy–Schwarz).
func (d *Durations) sumSqConsistent() bool {
	n := big.NewInt(d.n)
	q := int192(d.sumSq)
	lo := big.NewInt(int64(d.min))
	lo.Mul(lo, lo).Mul(lo, n)
	hi := big.NewInt(int64(d.max))
	hi.Mul(hi, hi).Mul(hi, n)
	s := int128(d.sumHi, d.sumLo)
	s.Mul(s, s)
	return lo.Cmp(q) <= 0 && q.Cmp(hi) <= 0 && s.Cmp(new(big.Int).Mul(n, q)) <= 0
}

func less128(aHi, aLo, bHi, bLo uint64) bool {
	return aHi < bHi || (aHi == bHi && aLo < bLo)
}
