package chatkpi

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The combiners of this file are to the main calculators what
// ReportCombiner is to the report. Every calculator encodes its settings,
// so that an accumulator decoded into a zero value, as Beam decodes them,
// merges and extracts exactly like the original (combiners_test.go checks
// it for each).

// CSATCombiner combines conversations into a [CSAT]. The zero value is the
// default CSAT: 1–5 scale, satisfied 4–5, dissatisfied 1–2.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Call Check when building the
// pipeline to fail earlier. ExtractOutput returns [ErrNoData] as the
// calculator's Result does, and Beam fails the job on it: with
// beam.CombinePerKey, every key must have data.
type CSATCombiner struct {
	// Scale is the answer scale "MIN-MAX", such as "1-5", "1-10" or "0-10"
	// (2 to 11 points within 0–10). "" is 1–5.
	Scale string
	// SatisfiedFrom is the lowest satisfied score. 0, never a valid
	// threshold, means the default: the top two boxes, or the top box on
	// scales of 2 or 3 points.
	SatisfiedFrom int
	// DissatisfiedThrough is the highest dissatisfied score. nil means the
	// default: the bottom two boxes, or the bottom box on scales of 2 or 3
	// points. It is a pointer because 0 is a valid threshold on 0–10.
	DissatisfiedThrough *int
}

func parseScale(s string) (Scale, error) {
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		lo, hi, ok = strings.Cut(s, "–")
	}
	min, err1 := strconv.Atoi(strings.TrimSpace(lo))
	max, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if !ok || err1 != nil || err2 != nil {
		return Scale{}, invalidf("scale", "%q is not a scale MIN-MAX such as 1-5", s)
	}
	return Scale{Min: min, Max: max}, nil
}

// Check returns the settings' error, wrapping [ErrInvalid], or nil.
func (c CSATCombiner) Check() error {
	// The thresholds are resolved as NewCSAT resolves them; a test checks
	// that both agree on every setting.
	s := defaultCSAT().scale
	if c.Scale != "" {
		var err error
		if s, err = parseScale(c.Scale); err != nil {
			return fmt.Errorf("CSAT combiner: %w", err)
		}
	}
	if err := s.check(); err != nil {
		return fmt.Errorf("CSAT combiner: %w", err)
	}
	boxes := 2
	if s.Points() < 4 {
		boxes = 1
	}
	cfg := csatConfig{scale: s, satisfied: s.Max - boxes + 1, dissatisfied: s.Min + boxes - 1}
	if c.SatisfiedFrom != 0 {
		cfg.satisfied = c.SatisfiedFrom
	}
	if c.DissatisfiedThrough != nil {
		cfg.dissatisfied = *c.DissatisfiedThrough
	}
	if err := cfg.check(); err != nil {
		return fmt.Errorf("CSAT combiner: %w", err)
	}
	return nil
}

// NewCSAT returns an empty CSAT with c's settings.
func (c CSATCombiner) NewCSAT() (*CSAT, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var opts []CSATOption
	if c.Scale != "" {
		s, _ := parseScale(c.Scale) // checked
		opts = append(opts, WithCSATScale(s.Min, s.Max))
	}
	if c.SatisfiedFrom != 0 {
		opts = append(opts, WithSatisfiedFrom(c.SatisfiedFrom))
	}
	if c.DissatisfiedThrough != nil {
		opts = append(opts, WithDissatisfiedThrough(*c.DissatisfiedThrough))
	}
	return NewCSAT(opts...)
}

// CreateAccumulator returns an empty CSAT with c's settings (the defaults
// if they are invalid; see [CSATCombiner.Check]).
func (c CSATCombiner) CreateAccumulator() *CSAT {
	if x, err := c.NewCSAT(); err == nil {
		return x
	}
	return new(CSAT)
}

// AddInput adds the CSAT answers and sent surveys of conv to acc, as
// [CSAT.AddConversation], and returns acc.
func (c CSATCombiner) AddInput(acc *CSAT, conv *Chat) (*CSAT, error) {
	return addInput(c.Check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c CSATCombiner) MergeAccumulators(a, b *CSAT) (*CSAT, error) {
	return mergeAccumulators(c.Check(), a, b)
}

// ExtractOutput returns acc's result, or [ErrNoData] without answers.
func (c CSATCombiner) ExtractOutput(acc *CSAT) (CSATResult, error) {
	return extractOutput[CSAT, CSATResult](c.Check(), acc)
}

// NPSCombiner combines conversations into an [NPS]. NPS has no settings, so
// neither has NPSCombiner.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name and encodes the accumulator with MarshalBinary,
// decoding it into a zero value. ExtractOutput returns [ErrNoData] as the
// calculator's Result does, and Beam fails the job on it: with
// beam.CombinePerKey, every key must have data.
type NPSCombiner struct{}

// CreateAccumulator returns an empty NPS.
func (NPSCombiner) CreateAccumulator() *NPS { return new(NPS) }

// AddInput adds the NPS answers of conv to acc, as [NPS.AddConversation],
// and returns acc.
func (NPSCombiner) AddInput(acc *NPS, conv *Chat) (*NPS, error) { return addInput(nil, acc, conv) }

// MergeAccumulators merges b into a and returns a.
func (NPSCombiner) MergeAccumulators(a, b *NPS) (*NPS, error) { return mergeAccumulators(nil, a, b) }

// ExtractOutput returns acc's result, or [ErrNoData] without answers.
func (NPSCombiner) ExtractOutput(acc *NPS) (NPSResult, error) {
	return extractOutput[NPS, NPSResult](nil, acc)
}

// CESCombiner combines conversations into a [CES]. The zero value is CES
// 2.0, 1–7 agreement.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Call Check when building the
// pipeline to fail earlier. ExtractOutput returns [ErrNoData] as the
// calculator's Result does, and Beam fails the job on it: with
// beam.CombinePerKey, every key must have data.
type CESCombiner struct {
	// Scale is "agreement7" ([CESAgreement7], CES 2.0, the default when "")
	// or "effort5" ([CESEffort5], the original 1–5 effort question).
	Scale string
}

func (c CESCombiner) scale() (CESScale, error) {
	switch c.Scale {
	case "", "agreement7":
		return CESAgreement7, nil
	case "effort5":
		return CESEffort5, nil
	}
	return 0, fmt.Errorf("CES combiner: %w", invalidf("scale", "%q is not agreement7 or effort5", c.Scale))
}

// Check returns the settings' error, wrapping [ErrInvalid], or nil.
func (c CESCombiner) Check() error {
	_, err := c.scale()
	return err
}

// CreateAccumulator returns an empty CES on c's scale (the default scale if
// c's is invalid; see [CESCombiner.Check]).
func (c CESCombiner) CreateAccumulator() *CES {
	s, _ := c.scale()
	if x, err := NewCES(WithCESScale(s)); err == nil {
		return x
	}
	return new(CES)
}

// AddInput adds the CES answers of conv to acc, as [CES.AddConversation],
// and returns acc.
func (c CESCombiner) AddInput(acc *CES, conv *Chat) (*CES, error) {
	return addInput(c.Check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c CESCombiner) MergeAccumulators(a, b *CES) (*CES, error) {
	return mergeAccumulators(c.Check(), a, b)
}

// ExtractOutput returns acc's result, or [ErrNoData] without answers.
func (c CESCombiner) ExtractOutput(acc *CES) (CESResult, error) {
	return extractOutput[CES, CESResult](c.Check(), acc)
}

// FirstResponseCombiner combines conversations into a [FirstResponseTime].
// The zero value is the calculator's default: the clock starts at the first
// customer message, agent and bot replies stop it, outbound conversations
// are excluded, percentiles are exact.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Call Check when building the
// pipeline to fail earlier. ExtractOutput returns [ErrNoData] as the
// calculator's Result does, and Beam fails the job on it: with
// beam.CombinePerKey, every key must have data.
// Options holding a [TimeMeasure] cannot be shipped, so it measures
// calendar time.
type FirstResponseCombiner struct {
	// Start is where the clock starts: "customer-message"
	// ([FromCustomerMessage], the default when ""), "conversation-start"
	// ([FromConversationStart]) or "handoff" ([FromHandoff]).
	Start string
	// HumanOnly lets only human agents' replies stop the clock
	// ([HumanReplies]).
	HumanOnly bool
	// IncludeOutbound measures outbound conversations too
	// ([IncludeOutbound]).
	IncludeOutbound bool
	// Streaming, RelativeAccuracy, Quantiles and SLA set the statistics as
	// in [TimingStats].
	Streaming        bool
	RelativeAccuracy float64
	Quantiles        []float64
	SLA              []time.Duration
}

func (c FirstResponseCombiner) start() (FRTStart, error) {
	switch c.Start {
	case "", "customer-message":
		return FromCustomerMessage, nil
	case "conversation-start":
		return FromConversationStart, nil
	case "handoff":
		return FromHandoff, nil
	}
	return 0, invalidf("start", "%q is not customer-message, conversation-start or handoff", c.Start)
}

func (c FirstResponseCombiner) stats() TimingStats {
	return TimingStats{Streaming: c.Streaming, RelativeAccuracy: c.RelativeAccuracy, Quantiles: c.Quantiles, SLA: c.SLA}
}

// Check returns the settings' error, wrapping [ErrInvalid], or nil.
func (c FirstResponseCombiner) Check() error {
	_, err := c.start()
	if err == nil {
		err = c.stats().Check()
	}
	if err != nil {
		return fmt.Errorf("first response combiner: %w", err)
	}
	return nil
}

// NewFirstResponseTime returns an empty accumulator with c's settings.
func (c FirstResponseCombiner) NewFirstResponseTime() (*FirstResponseTime, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	start, _ := c.start()
	opts := []FirstResponseOption{WithFRTStart(start)}
	if c.HumanOnly {
		opts = append(opts, HumanReplies())
	}
	if c.IncludeOutbound {
		opts = append(opts, IncludeOutbound())
	}
	for _, o := range c.stats().Options() {
		opts = append(opts, o)
	}
	return NewFirstResponseTime(opts...)
}

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid; see [FirstResponseCombiner.Check]).
func (c FirstResponseCombiner) CreateAccumulator() *FirstResponseTime {
	if x, err := c.NewFirstResponseTime(); err == nil {
		return x
	}
	return new(FirstResponseTime)
}

// AddInput adds conv to acc, as [FirstResponseTime.AddConversation], and
// returns acc.
func (c FirstResponseCombiner) AddInput(acc *FirstResponseTime, conv *Chat) (*FirstResponseTime, error) {
	return addInput(c.Check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c FirstResponseCombiner) MergeAccumulators(a, b *FirstResponseTime) (*FirstResponseTime, error) {
	return mergeAccumulators(c.Check(), a, b)
}

// ExtractOutput returns acc's result; with no answered conversation it
// returns [ErrNoData] together with the counts, as
// [FirstResponseTime.Result].
func (c FirstResponseCombiner) ExtractOutput(acc *FirstResponseTime) (FirstResponseResult, error) {
	return extractOutput[FirstResponseTime, FirstResponseResult](c.Check(), acc)
}

// ResponseTimeCombiner combines conversations into a [ResponseTime]. The
// zero value is the calculator's default: agent and bot replies count,
// percentiles are exact.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Call Check when building the
// pipeline to fail earlier. ExtractOutput returns [ErrNoData] as the
// calculator's Result does, and Beam fails the job on it: with
// beam.CombinePerKey, every key must have data.
// Options holding a [TimeMeasure] cannot be shipped, so it measures
// calendar time.
type ResponseTimeCombiner struct {
	// HumanOnly lets only human agents' replies answer a turn
	// ([HumanReplies]).
	HumanOnly bool
	// Streaming, RelativeAccuracy, Quantiles and SLA set the statistics as
	// in [TimingStats].
	Streaming        bool
	RelativeAccuracy float64
	Quantiles        []float64
	SLA              []time.Duration
}

func (c ResponseTimeCombiner) stats() TimingStats {
	return TimingStats{Streaming: c.Streaming, RelativeAccuracy: c.RelativeAccuracy, Quantiles: c.Quantiles, SLA: c.SLA}
}

// Check returns the settings' error, wrapping [ErrInvalid], or nil.
func (c ResponseTimeCombiner) Check() error {
	if err := c.stats().Check(); err != nil {
		return fmt.Errorf("response time combiner: %w", err)
	}
	return nil
}

// NewResponseTime returns an empty accumulator with c's settings.
func (c ResponseTimeCombiner) NewResponseTime() (*ResponseTime, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var opts []ResponseTimeOption
	if c.HumanOnly {
		opts = append(opts, HumanReplies())
	}
	for _, o := range c.stats().Options() {
		opts = append(opts, o)
	}
	return NewResponseTime(opts...)
}

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid; see [ResponseTimeCombiner.Check]).
func (c ResponseTimeCombiner) CreateAccumulator() *ResponseTime {
	if x, err := c.NewResponseTime(); err == nil {
		return x
	}
	return new(ResponseTime)
}

// AddInput adds the customer turns of conv to acc, as
// [ResponseTime.AddConversation], and returns acc.
func (c ResponseTimeCombiner) AddInput(acc *ResponseTime, conv *Chat) (*ResponseTime, error) {
	return addInput(c.Check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c ResponseTimeCombiner) MergeAccumulators(a, b *ResponseTime) (*ResponseTime, error) {
	return mergeAccumulators(c.Check(), a, b)
}

// ExtractOutput returns acc's result; with no answered turn it returns
// [ErrNoData] together with the counts, as [ResponseTime.Result].
func (c ResponseTimeCombiner) ExtractOutput(acc *ResponseTime) (ResponseTimeResult, error) {
	return extractOutput[ResponseTime, ResponseTimeResult](c.Check(), acc)
}

// ResolutionTimeCombiner combines conversations into a [ResolutionTime].
// The zero value has exact percentiles.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Call Check when building the
// pipeline to fail earlier. ExtractOutput returns [ErrNoData] as the
// calculator's Result does, and Beam fails the job on it: with
// beam.CombinePerKey, every key must have data.
// Options holding a [TimeMeasure] cannot be shipped, so it measures
// calendar time.
type ResolutionTimeCombiner struct {
	// Streaming, RelativeAccuracy, Quantiles and SLA set the statistics as
	// in [TimingStats].
	Streaming        bool
	RelativeAccuracy float64
	Quantiles        []float64
	SLA              []time.Duration
}

func (c ResolutionTimeCombiner) stats() TimingStats { return TimingStats(c) }

// Check returns the settings' error, wrapping [ErrInvalid], or nil.
func (c ResolutionTimeCombiner) Check() error {
	if err := c.stats().Check(); err != nil {
		return fmt.Errorf("resolution time combiner: %w", err)
	}
	return nil
}

// NewResolutionTime returns an empty accumulator with c's settings.
func (c ResolutionTimeCombiner) NewResolutionTime() (*ResolutionTime, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var opts []ResolutionTimeOption
	for _, o := range c.stats().Options() {
		opts = append(opts, o)
	}
	return NewResolutionTime(opts...)
}

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid; see [ResolutionTimeCombiner.Check]).
func (c ResolutionTimeCombiner) CreateAccumulator() *ResolutionTime {
	if x, err := c.NewResolutionTime(); err == nil {
		return x
	}
	return new(ResolutionTime)
}

// AddInput adds conv to acc, as [ResolutionTime.AddConversation], and
// returns acc.
func (c ResolutionTimeCombiner) AddInput(acc *ResolutionTime, conv *Chat) (*ResolutionTime, error) {
	return addInput(c.Check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c ResolutionTimeCombiner) MergeAccumulators(a, b *ResolutionTime) (*ResolutionTime, error) {
	return mergeAccumulators(c.Check(), a, b)
}

// ExtractOutput returns acc's result; with no resolved conversation it
// returns [ErrNoData] together with the counts, as [ResolutionTime.Result].
func (c ResolutionTimeCombiner) ExtractOutput(acc *ResolutionTime) (ResolutionTimeResult, error) {
	return extractOutput[ResolutionTime, ResolutionTimeResult](c.Check(), acc)
}

// ConversionCombiner combines conversations into a [Conversion].
// Conversion has no settings, so neither has ConversionCombiner.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name and encodes the accumulator with MarshalBinary,
// decoding it into a zero value. ExtractOutput returns [ErrNoData] as the
// calculator's Result does, and Beam fails the job on it: with
// beam.CombinePerKey, every key must have data.
type ConversionCombiner struct{}

// CreateAccumulator returns an empty Conversion.
func (ConversionCombiner) CreateAccumulator() *Conversion { return new(Conversion) }

// AddInput counts conv in acc, as [Conversion.AddConversation], and returns
// acc.
func (ConversionCombiner) AddInput(acc *Conversion, conv *Chat) (*Conversion, error) {
	return addInput(nil, acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (ConversionCombiner) MergeAccumulators(a, b *Conversion) (*Conversion, error) {
	return mergeAccumulators(nil, a, b)
}

// ExtractOutput returns acc's result, or [ErrNoData] when empty.
func (ConversionCombiner) ExtractOutput(acc *Conversion) (ConversionResult, error) {
	return extractOutput[Conversion, ConversionResult](nil, acc)
}

// TimingStats is how a timing combiner summarizes durations, as plain data
// (see [StatsOption]). The zero value is exact percentiles p50, p90, p95
// and p99 and no SLA targets.
type TimingStats struct {
	// Streaming selects the bounded-memory mode ([WithSketch]) with
	// RelativeAccuracy α in [0.0001, 0.5] (0: [DefaultRelativeAccuracy],
	// 1 %) and [DefaultMaxBins]. RelativeAccuracy without Streaming is an
	// error rather than ignored.
	Streaming        bool
	RelativeAccuracy float64
	// Quantiles replaces the reported percentiles, as quantiles in [0, 1]
	// ([WithQuantiles]); empty means p50, p90, p95, p99.
	Quantiles []float64
	// SLA lists targets whose attainment is counted exactly ([WithSLA]).
	SLA []time.Duration
}

// Check returns the settings' error, wrapping [ErrInvalid], or nil. It
// applies the rules of [NewDurations] without allocating.
func (s TimingStats) Check() error {
	if s.Streaming {
		alpha := s.RelativeAccuracy
		if alpha == 0 {
			alpha = DefaultRelativeAccuracy
		}
		if err := checkSketchSettings(alpha, DefaultMaxBins); err != nil {
			return err
		}
	} else if s.RelativeAccuracy != 0 {
		return invalidf("relative accuracy", "%v without streaming", s.RelativeAccuracy)
	}
	for _, q := range s.Quantiles {
		if !(q >= 0 && q <= 1) {
			return invalidf("quantile", "%v is outside [0, 1]", q)
		}
	}
	for _, t := range s.SLA {
		if t < 0 {
			return invalidf("sla target", "negative target %v", t)
		}
	}
	return nil
}

// Options returns the statistics options described by s; they are valid
// when [TimingStats.Check] returns nil.
func (s TimingStats) Options() []StatsOption {
	var opts []StatsOption
	if s.Streaming {
		alpha := s.RelativeAccuracy
		if alpha == 0 {
			alpha = DefaultRelativeAccuracy
		}
		opts = append(opts, WithSketch(alpha, DefaultMaxBins))
	}
	if len(s.Quantiles) > 0 {
		opts = append(opts, WithQuantiles(s.Quantiles...))
	}
	if len(s.SLA) > 0 {
		opts = append(opts, WithSLA(s.SLA...))
	}
	return opts
}

// The shared bodies of the combiners' methods. settings is the combiner's
// Check result; a nil accumulator or conversation, which Beam never passes,
// is an error rather than a panic.

func addInput[T any, P interface {
	*T
	AddConversation(Conversation) error
}](settings error, acc P, conv *Chat) (P, error) {
	switch {
	case settings != nil:
		return nil, settings
	case acc == nil:
		return nil, invalidf("accumulator", "nil accumulator")
	case conv == nil:
		return nil, invalidf("conversation", "nil conversation")
	}
	if err := acc.AddConversation(conv); err != nil {
		return nil, err
	}
	return acc, nil
}

func mergeAccumulators[T any, P interface {
	*T
	Merge(*T) error
}](settings error, a, b P) (P, error) {
	switch {
	case settings != nil:
		return nil, settings
	case a == nil || b == nil:
		return nil, invalidf("accumulator", "nil accumulator")
	}
	if err := a.Merge(b); err != nil {
		return nil, err
	}
	return a, nil
}

func extractOutput[T, R any, P interface {
	*T
	Result() (R, error)
}](settings error, acc P) (R, error) {
	var zero R
	switch {
	case settings != nil:
		return zero, settings
	case acc == nil:
		return zero, invalidf("accumulator", "nil accumulator")
	}
	return acc.Result()
}
