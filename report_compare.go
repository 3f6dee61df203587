package chatkpi

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ComparisonSummary is the side-by-side comparison of two groups of a
// report ([Report.Compare]): greeting A against greeting B, bot against
// human, one agent against another. Each metric gives A, B, the difference
// A − B with its 95 % interval, the two-sided p-value of "no difference"
// and both sample sizes, over every period of the report.
type ComparisonSummary struct {
	// Grouping is the grouping's name ("source", "handler", "dim:plan"),
	// A and B the two values compared.
	Grouping string `json:"grouping"`
	A        string `json:"a"`
	B        string `json:"b"`
	// CSAT, Containment and Conversion compare rates with the
	// two-proportion z-test ([CompareProportions]), in percent: the
	// difference is in percentage points.
	CSAT        MetricComparison `json:"csat"`
	Containment MetricComparison `json:"containment"`
	Conversion  MetricComparison `json:"conversion"`
	// NPS compares scores from their two standard errors ([CompareNPS]),
	// in points.
	NPS MetricComparison `json:"nps"`
	// FirstResponseTime compares the first response times by anyone with
	// the Mann–Whitney U test ([CompareDurations]), in seconds: A and B are
	// the medians, the difference the Hodges–Lehmann shift with its
	// interval. It needs every duration, so a report whose first response
	// time streams has none (Undefined says so): the sketch keeps no ranks
	// to test.
	FirstResponseTime MetricComparison `json:"first_response_time"`
	// HumanFirstResponseTime compares the first response times by a human
	// agent (from the handoff, or the first customer message without one;
	// see [MetricsSummary].HumanFirstResponseTime) the same way: medians,
	// the Hodges–Lehmann shift, the Mann–Whitney U test, over the
	// conversations a human answered. It needs [MetricBotAndHuman] (a
	// report without it has none; Undefined says so) and exact mode.
	HumanFirstResponseTime MetricComparison `json:"human_first_response_time"`
}

// MetricComparison is one metric of a [ComparisonSummary]. The numbers are
// null, and Undefined says why, when the comparison cannot be made (a
// group without data, a test without variance, a streaming report).
type MetricComparison struct {
	// Test names the test: "two-proportion z", "nps z" or
	// "mann-whitney u".
	Test string `json:"test"`
	// NA and NB are the sample sizes: answers, engaged conversations,
	// conversations, answered conversations.
	NA int64 `json:"n_a"`
	NB int64 `json:"n_b"`
	// A and B are the metric in each group (percent, NPS points, median
	// seconds).
	A *float64 `json:"a"`
	B *float64 `json:"b"`
	// Difference is A − B (for the first response time the Hodges–Lehmann
	// shift), with its 95 % interval [CILow, CIHigh].
	Difference *float64 `json:"difference"`
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	// Z is the test statistic and P the two-sided p-value.
	Z *float64 `json:"z"`
	P *float64 `json:"p"`
	// SmallSample: either group under 30, as elsewhere in [Summary].
	SmallSample bool   `json:"small_sample"`
	Undefined   string `json:"undefined,omitempty"`
}

// Compare compares the conversations whose value of one of the report's
// groupings (by name, as [Grouping.Name] writes it) is a with those whose
// value is b, over all periods and the other groupings' values. The
// statistics are those of compare.go; see [ComparisonSummary].
//
// A grouping the report does not group by, or a equal to b, is an error
// wrapping [ErrInvalid]; a value that no group has is an error wrapping
// [ErrNoData] that names it. It merges the groups of each value, so it
// takes the time and memory of [Report.Summary] for them.
func (r *Report) Compare(grouping, a, b string) (ComparisonSummary, error) {
	if err := r.init(); err != nil {
		return ComparisonSummary{}, err
	}
	idx := slices.IndexFunc(r.cfg.groupings, func(g Grouping) bool { return g.name == grouping })
	switch {
	case idx < 0:
		return ComparisonSummary{}, invalidf("grouping", "the report is not grouped by %q", grouping)
	case a == b:
		return ComparisonSummary{}, invalidf("grouping", "%s=%s compared with itself", grouping, a)
	}
	sets := [2]*metricSet{}
	for i, v := range [2]string{a, b} {
		s := new(metricSet)
		*s = r.proto
		found := false
		for _, g := range r.sortedGroups() {
			vs, _ := splitKey(g.key, len(r.cfg.groupings))
			if vs[idx] != v {
				continue
			}
			found = true
			if err := s.merge(g.set); err != nil {
				return ComparisonSummary{}, err
			}
		}
		if !found {
			return ComparisonSummary{}, fmt.Errorf("no conversations with %s=%q: %w", grouping, v, ErrNoData)
		}
		sets[i] = s
	}
	cs := ComparisonSummary{Grouping: grouping, A: a, B: b}
	var err error
	if cs.CSAT, err = compareRates(sets, func(s *metricSet) (Proportion, error) {
		res, err := s.csat.Result()
		return res.Satisfied, err
	}); err != nil {
		return cs, err
	}
	if cs.Containment, err = compareRates(sets, func(s *metricSet) (Proportion, error) {
		res, err := s.out.Result()
		return res.Containment, err
	}); err != nil {
		return cs, err
	}
	if cs.Conversion, err = compareRates(sets, func(s *metricSet) (Proportion, error) {
		res, err := s.conv.Result()
		return res.Rate, err
	}); err != nil {
		return cs, err
	}
	if cs.NPS, err = compareNPSOf(sets); err != nil {
		return cs, err
	}
	if cs.FirstResponseTime, err = compareFRT(sets, r.cfg.metrics&MetricFirstResponse != 0, "first response time",
		func(s *metricSet) *FirstResponseTime { return &s.frt }); err != nil {
		return cs, err
	}
	if cs.HumanFirstResponseTime, err = compareFRT(sets, r.cfg.metrics&MetricBotAndHuman != 0, "human first response time",
		func(s *metricSet) *FirstResponseTime { return &s.humanFRT }); err != nil {
		return cs, err
	}
	return cs, nil
}

// undefinedReason returns the reason of an error that means "cannot be
// compared" (no data, undefined), or "" and the error for any other.
func undefinedReason(err error, noData string) (string, error) {
	switch {
	case errors.Is(err, ErrNoData):
		return noData, nil
	case errors.Is(err, ErrUndefined):
		return "no variance in either group: the test is undefined", nil
	}
	return "", err
}

func fptr(x float64) *float64 { return &x }

func compareRates(sets [2]*metricSet, rate func(*metricSet) (Proportion, error)) (MetricComparison, error) {
	m := MetricComparison{Test: "two-proportion z"}
	var ps [2]Proportion
	for i, s := range sets {
		p, err := rate(s)
		if err != nil && !errors.Is(err, ErrNoData) {
			return m, err
		}
		ps[i] = p
	}
	m.NA, m.NB = ps[0].Trials, ps[1].Trials
	m.SmallSample = m.NA < smallSampleMinimum || m.NB < smallSampleMinimum
	for i, p := range ps {
		if pct, err := p.Percent(); err == nil {
			if i == 0 {
				m.A = fptr(pct)
			} else {
				m.B = fptr(pct)
			}
		}
	}
	c, err := CompareProportions(ps[0], ps[1])
	if err != nil {
		m.Undefined, err = undefinedReason(err, "no data in "+emptyGroup(m.NA))
		return m, err
	}
	m.Difference, m.CILow, m.CIHigh = fptr(100*c.Difference), fptr(100*c.Interval.Low), fptr(100*c.Interval.High)
	m.Z, m.P = fptr(c.Z), fptr(c.P)
	return m, nil
}

// emptyGroup names the group without data: A when nA is 0, else B.
func emptyGroup(nA int64) string {
	if nA == 0 {
		return "A"
	}
	return "B"
}

func compareNPSOf(sets [2]*metricSet) (MetricComparison, error) {
	m := MetricComparison{Test: "nps z"}
	var cs [2]NPSCounts
	for i, s := range sets {
		res, err := s.nps.Result()
		switch {
		case err == nil:
			cs[i] = NPSCounts{Promoters: res.Promoters, Passives: res.Passives, Detractors: res.Detractors}
			if i == 0 {
				m.NA, m.A = res.Responses, fptr(res.Score)
			} else {
				m.NB, m.B = res.Responses, fptr(res.Score)
			}
		case !errors.Is(err, ErrNoData):
			return m, err
		}
	}
	m.SmallSample = m.NA < smallSampleMinimum || m.NB < smallSampleMinimum
	c, err := CompareNPS(cs[0], cs[1])
	if err != nil {
		m.Undefined, err = undefinedReason(err, "no NPS answers in "+emptyGroup(m.NA))
		return m, err
	}
	m.Difference, m.CILow, m.CIHigh = fptr(c.Difference), fptr(c.Interval.Low), fptr(c.Interval.High)
	m.Z, m.P = fptr(c.Z), fptr(c.P)
	return m, nil
}

// compareFRT compares the first response times that frt picks from each
// set with [CompareDurations]; name names them in Undefined, on says whether
// the report computes them at all.
func compareFRT(sets [2]*metricSet, on bool, name string, frt func(*metricSet) *FirstResponseTime) (MetricComparison, error) {
	m := MetricComparison{Test: "mann-whitney u"}
	if !on {
		m.Undefined = "the report does not compute the " + name + " (see ReportSettings.Metrics)"
		return m, nil
	}
	var ds [2][]time.Duration
	for i, s := range sets {
		st := &frt(s).stats
		if i == 0 {
			m.NA = st.n
		} else {
			m.NB = st.n
		}
		ds[i] = st.keptValues()
	}
	m.SmallSample = m.NA < smallSampleMinimum || m.NB < smallSampleMinimum
	if frt(sets[0]).stats.cfg.streaming {
		m.Undefined = "the " + name + " streams (a sketch keeps no ranks): the Mann–Whitney test needs exact mode"
		return m, nil
	}
	c, err := CompareDurations(ds[0], ds[1])
	if err != nil {
		m.Undefined, err = undefinedReason(err, "no answered conversations in "+emptyGroup(m.NA))
		return m, err
	}
	m.A, m.B = fptr(c.MedianA.Seconds()), fptr(c.MedianB.Seconds())
	m.Difference, m.CILow, m.CIHigh = fptr(c.Shift.Seconds()), fptr(c.ShiftLow.Seconds()), fptr(c.ShiftHigh.Seconds())
	m.Z, m.P = fptr(c.Z), fptr(c.P)
	return m, nil
}
