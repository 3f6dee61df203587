package chatkpi

import (
	"errors"
	"testing"
)

// Fuzz targets for every exported Parse… function that reads a name (the
// business-hours parser has FuzzParseBusinessHours): a name is accepted
// only if it is the one the value's String (or Name) writes, and anything
// else is an error wrapping ErrInvalid.

// fuzzName checks one parse function on s: an error wraps ErrInvalid; a
// value's name is s, and parsing it again gives the value.
func fuzzName[T comparable](t *testing.T, s string, parse func(string) (T, error), name func(T) string) {
	v, err := parse(s)
	if err != nil {
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("%q: error %v does not wrap ErrInvalid", s, err)
		}
		return
	}
	if got := name(v); got != s {
		t.Fatalf("%q parses to a value named %q", s, got)
	}
	again, err := parse(name(v))
	if err != nil || again != v {
		t.Fatalf("%q: the name of the value does not parse back (%v)", s, err)
	}
}

func FuzzParseEventType(f *testing.F) {
	for t := Message; t <= lastEventType; t++ {
		f.Add(t.String())
	}
	f.Add("")
	f.Add("Message")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzName(t, s, ParseEventType, EventType.String)
	})
}

func FuzzParseRole(f *testing.F) {
	for r := Customer; r <= System; r++ {
		f.Add(r.String())
	}
	f.Add("")
	f.Add("Agent ")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzName(t, s, ParseRole, Role.String)
	})
}

func FuzzParseSurvey(f *testing.F) {
	for s := CSATSurvey; s <= CESSurvey; s++ {
		f.Add(s.String())
	}
	f.Add("")
	f.Add("CSAT")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzName(t, s, ParseSurvey, Survey.String)
	})
}

func FuzzParseOutcome(f *testing.F) {
	for _, o := range []Outcome{Unengaged, Escalated, ResolvedByBot, ResolvedByAgent, Abandoned} {
		f.Add(o.String())
	}
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzName(t, s, ParseOutcome, Outcome.String)
	})
}

func FuzzParsePeriod(f *testing.F) {
	for p := Day; p <= Year; p++ {
		f.Add(p.String())
	}
	f.Add("")
	f.Add("none")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzName(t, s, ParsePeriod, Period.String)
	})
}

func FuzzParseMetric(f *testing.F) {
	for _, n := range AllMetrics.Names() {
		f.Add(n)
	}
	f.Add("")
	f.Add("csat+nps")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzName(t, s, ParseMetric, Metric.String)
	})
}

func FuzzParseGrouping(f *testing.F) {
	for _, s := range []string{"agent", "handler", "source", "channel", "priority", "dim:greeting", "dim:", "custom:x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGrouping(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%q: error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if g.Name() != s {
			t.Fatalf("%q parses to the grouping %q", s, g.Name())
		}
		// A parsed grouping groups a report.
		r, err := NewReport(ReportSettings{GroupBy: [MaxGroupings]Grouping{g}})
		if err != nil {
			t.Fatalf("%q: a parsed grouping is rejected by the report: %v", s, err)
		}
		if _, err := r.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	})
}
