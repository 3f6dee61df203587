package chatkpi

import "fmt"

// The combiners of this file are to the main calculators what
// ReportCombiner is to the report. Every calculator encodes its settings,
// so that an accumulator decoded into a zero value, as Beam decodes them,
// merges and extracts exactly like the original (combiners_test.go checks
// it for each).

// CSATCombiner combines conversations into a [CSAT]. The zero value is the
// calculator's default.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Build the calculator from the
// Settings (New…) when building the pipeline to fail earlier.
// ExtractOutput returns [ErrNoData] as the calculator's Result does, and
// Beam fails the job on it: with beam.CombinePerKey, every key must have
// data.
type CSATCombiner struct {
	// Settings are the calculator's. Default: see [CSATSettings].
	Settings CSATSettings
}

func (c CSATCombiner) check() error { return combinerErr("CSAT combiner", c.Settings.check()) }

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid).
func (c CSATCombiner) CreateAccumulator() *CSAT {
	if err := c.check(); err == nil {
		if x, err := NewCSAT(c.Settings); err == nil {
			return x
		}
	}
	return new(CSAT)
}

// AddInput adds the CSAT answers and sent surveys of conv to acc, as
// [CSAT.AddConversation], and returns acc.
func (c CSATCombiner) AddInput(acc *CSAT, conv *Chat) (*CSAT, error) {
	return addInput(c.check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c CSATCombiner) MergeAccumulators(a, b *CSAT) (*CSAT, error) {
	return mergeAccumulators(c.check(), a, b)
}

// ExtractOutput returns acc's result; without answers it returns [ErrNoData].
func (c CSATCombiner) ExtractOutput(acc *CSAT) (CSATResult, error) {
	return extractOutput[CSAT, CSATResult](c.check(), acc)
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

// CESCombiner combines conversations into a [CES]. The zero value is the
// calculator's default.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Build the calculator from the
// Settings (New…) when building the pipeline to fail earlier.
// ExtractOutput returns [ErrNoData] as the calculator's Result does, and
// Beam fails the job on it: with beam.CombinePerKey, every key must have
// data.
type CESCombiner struct {
	// Settings are the calculator's. Default: see [CESSettings].
	Settings CESSettings
}

func (c CESCombiner) check() error { return combinerErr("CES combiner", c.Settings.check()) }

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid).
func (c CESCombiner) CreateAccumulator() *CES {
	if err := c.check(); err == nil {
		if x, err := NewCES(c.Settings); err == nil {
			return x
		}
	}
	return new(CES)
}

// AddInput adds the CES answers of conv to acc, as [CES.AddConversation],
// and returns acc.
func (c CESCombiner) AddInput(acc *CES, conv *Chat) (*CES, error) {
	return addInput(c.check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c CESCombiner) MergeAccumulators(a, b *CES) (*CES, error) {
	return mergeAccumulators(c.check(), a, b)
}

// ExtractOutput returns acc's result; without answers it returns [ErrNoData].
func (c CESCombiner) ExtractOutput(acc *CES) (CESResult, error) {
	return extractOutput[CES, CESResult](c.check(), acc)
}

// FirstResponseCombiner combines conversations into a [FirstResponseTime].
// The zero value is the
// calculator's default.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Build the calculator from the
// Settings (New…) when building the pipeline to fail earlier.
// ExtractOutput returns [ErrNoData] as the calculator's Result does, and
// Beam fails the job on it: with beam.CombinePerKey, every key must have
// data.
//
// Business hours cannot be shipped (each worker would build a calendar of
// its own, and calendars merge only when they are the same), so it
// measures calendar time (BusinessHours in the Settings is an error).
type FirstResponseCombiner struct {
	// Settings are the calculator's. Default: see [FirstResponseSettings].
	Settings FirstResponseSettings
}

func (c FirstResponseCombiner) check() error {
	err := c.Settings.check()
	if err == nil {
		err = shippable(c.Settings.BusinessHours)
	}
	return combinerErr("first response combiner", err)
}

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid).
func (c FirstResponseCombiner) CreateAccumulator() *FirstResponseTime {
	if err := c.check(); err == nil {
		if x, err := NewFirstResponseTime(c.Settings); err == nil {
			return x
		}
	}
	return new(FirstResponseTime)
}

// AddInput adds conv to acc, as [FirstResponseTime.AddConversation], and
// returns acc.
func (c FirstResponseCombiner) AddInput(acc *FirstResponseTime, conv *Chat) (*FirstResponseTime, error) {
	return addInput(c.check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c FirstResponseCombiner) MergeAccumulators(a, b *FirstResponseTime) (*FirstResponseTime, error) {
	return mergeAccumulators(c.check(), a, b)
}

// ExtractOutput returns acc's result; with no answered conversation it
// returns [ErrNoData] together with the counts, as
// [FirstResponseTime.Result].
func (c FirstResponseCombiner) ExtractOutput(acc *FirstResponseTime) (FirstResponseResult, error) {
	return extractOutput[FirstResponseTime, FirstResponseResult](c.check(), acc)
}

// ResponseTimeCombiner combines conversations into a [ResponseTime]. The
// zero value is the
// calculator's default.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Build the calculator from the
// Settings (New…) when building the pipeline to fail earlier.
// ExtractOutput returns [ErrNoData] as the calculator's Result does, and
// Beam fails the job on it: with beam.CombinePerKey, every key must have
// data.
//
// Business hours cannot be shipped (each worker would build a calendar of
// its own, and calendars merge only when they are the same), so it
// measures calendar time (BusinessHours in the Settings is an error).
type ResponseTimeCombiner struct {
	// Settings are the calculator's. Default: see [ResponseTimeSettings].
	Settings ResponseTimeSettings
}

func (c ResponseTimeCombiner) check() error {
	err := c.Settings.check()
	if err == nil {
		err = shippable(c.Settings.BusinessHours)
	}
	return combinerErr("response time combiner", err)
}

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid).
func (c ResponseTimeCombiner) CreateAccumulator() *ResponseTime {
	if err := c.check(); err == nil {
		if x, err := NewResponseTime(c.Settings); err == nil {
			return x
		}
	}
	return new(ResponseTime)
}

// AddInput adds the customer turns of conv to acc, as
// [ResponseTime.AddConversation], and returns acc.
func (c ResponseTimeCombiner) AddInput(acc *ResponseTime, conv *Chat) (*ResponseTime, error) {
	return addInput(c.check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c ResponseTimeCombiner) MergeAccumulators(a, b *ResponseTime) (*ResponseTime, error) {
	return mergeAccumulators(c.check(), a, b)
}

// ExtractOutput returns acc's result; with no answered turn it returns
// [ErrNoData] together with the counts, as [ResponseTime.Result].
func (c ResponseTimeCombiner) ExtractOutput(acc *ResponseTime) (ResponseTimeResult, error) {
	return extractOutput[ResponseTime, ResponseTimeResult](c.check(), acc)
}

// ResolutionTimeCombiner combines conversations into a [ResolutionTime]. The
// zero value is the
// calculator's default.
//
// It is an Apache Beam combine function, like [ReportCombiner]: Beam finds
// its methods by name, ships its plain fields to workers as JSON, and
// encodes the accumulator with MarshalBinary and decodes it into a zero
// value, which restores the settings. Beam's CreateAccumulator has no error
// result, so with invalid settings it returns an accumulator with the
// defaults that is never used: AddInput, MergeAccumulators and
// ExtractOutput check the settings first, without allocating, and return
// their error, wrapping [ErrInvalid]. Build the calculator from the
// Settings (New…) when building the pipeline to fail earlier.
// ExtractOutput returns [ErrNoData] as the calculator's Result does, and
// Beam fails the job on it: with beam.CombinePerKey, every key must have
// data.
//
// Business hours cannot be shipped (each worker would build a calendar of
// its own, and calendars merge only when they are the same), so it
// measures calendar time (BusinessHours in the Settings is an error).
type ResolutionTimeCombiner struct {
	// Settings are the calculator's. Default: see [ResolutionTimeSettings].
	Settings ResolutionTimeSettings
}

func (c ResolutionTimeCombiner) check() error {
	err := c.Settings.check()
	if err == nil {
		err = shippable(c.Settings.BusinessHours)
	}
	return combinerErr("resolution time combiner", err)
}

// CreateAccumulator returns an empty accumulator with c's settings (the
// defaults if they are invalid).
func (c ResolutionTimeCombiner) CreateAccumulator() *ResolutionTime {
	if err := c.check(); err == nil {
		if x, err := NewResolutionTime(c.Settings); err == nil {
			return x
		}
	}
	return new(ResolutionTime)
}

// AddInput adds conv to acc, as [ResolutionTime.AddConversation], and
// returns acc.
func (c ResolutionTimeCombiner) AddInput(acc *ResolutionTime, conv *Chat) (*ResolutionTime, error) {
	return addInput(c.check(), acc, conv)
}

// MergeAccumulators merges b into a and returns a.
func (c ResolutionTimeCombiner) MergeAccumulators(a, b *ResolutionTime) (*ResolutionTime, error) {
	return mergeAccumulators(c.check(), a, b)
}

// ExtractOutput returns acc's result; with no resolved conversation it
// returns [ErrNoData] together with the counts, as [ResolutionTime.Result].
func (c ResolutionTimeCombiner) ExtractOutput(acc *ResolutionTime) (ResolutionTimeResult, error) {
	return extractOutput[ResolutionTime, ResolutionTimeResult](c.check(), acc)
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

// combinerErr labels an error of a combiner's settings.
func combinerErr(name string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
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
