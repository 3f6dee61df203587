package reportflags

import (
	"errors"
	"flag"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
)

// Fuzz targets for the flag parsers: a bad value is a usage error (exit
// status 2), never a panic, and an accepted one is something the
// report takes.

func isUsage(err error) bool {
	var ue *UsageError
	return errors.As(err, &ue)
}

func FuzzParsePercentiles(f *testing.F) {
	for _, s := range []string{"50,90,95,99", "75, 99.9", "0", "100", "1e1", "NaN", "50,50", "", "99.99999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		qs, err := parsePercentiles(s)
		if err != nil {
			if !isUsage(err) {
				t.Fatalf("%q: %v is not a usage error", s, err)
			}
			return
		}
		for _, q := range qs {
			if !(q > 0 && q < 1) || q == 0.5 || q == 0.9 || q == 0.95 || q == 0.99 {
				t.Fatalf("%q gives the quantile %v", s, q)
			}
		}
		if len(qs) > chatkpi.MaxQuantiles {
			return // reportSettings refuses more, as a usage error
		}
		var rs chatkpi.ReportSettings
		for _, d := range timingSettings(&rs) {
			copy(d.Quantiles[:], qs)
		}
		if _, err := chatkpi.NewReport(rs); err != nil {
			t.Fatalf("%q: the report rejects the percentiles: %v", s, err)
		}
	})
}

func FuzzParseGroupings(f *testing.F) {
	for _, s := range []string{"agent", "agent, channel", "dim:a,dim:b", "dim:", "agent,agent", "", ",", "custom:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gs, err := parseGroupings(s)
		if err != nil {
			if !isUsage(err) {
				t.Fatalf("%q: %v is not a usage error", s, err)
			}
			return
		}
		names := strings.Split(s, ",")
		if len(gs) != len(names) {
			t.Fatalf("%q gives %d groupings", s, len(gs))
		}
		for i, g := range gs {
			if g.Name() != strings.TrimSpace(names[i]) {
				t.Fatalf("%q: grouping %d is %q", s, i, g.Name())
			}
		}
		if len(gs) > chatkpi.MaxGroupings {
			return // reportSettings refuses more, as a usage error
		}
		var rs chatkpi.ReportSettings
		copy(rs.GroupBy[:], gs)
		if _, err := chatkpi.NewReport(rs); err != nil {
			t.Fatalf("%q: the report rejects the groupings: %v", s, err)
		}
	})
}

func FuzzParseWeekday(f *testing.F) {
	for _, s := range []string{"monday", "Sun", "SATURDAY", "mon ", "", "thu"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseWeekday(s)
		if err != nil {
			if !isUsage(err) {
				t.Fatalf("%q: %v is not a usage error", s, err)
			}
			return
		}
		name := strings.ToLower(d.String())
		if l := strings.ToLower(s); l != name && l != name[:3] {
			t.Fatalf("%q read as %s", s, d)
		}
	})
}

func FuzzLoadZone(f *testing.F) {
	for _, s := range []string{"UTC", "Europe/Berlin", "Local", "", "Mars/Olympus", "../../etc/passwd", "EST5EDT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := loadZone(s)
		if err != nil {
			if !isUsage(err) {
				t.Fatalf("%q: %v is not a usage error", s, err)
			}
			return
		}
		if s == "" || s == "Local" || loc.String() != s {
			t.Fatalf("%q loads as %q", s, loc)
		}
		// A zone the command takes can be encoded in a report.
		ps, err := chatkpi.NewPeriods(loc, 1)
		if err != nil {
			t.Fatal(err)
		}
		r, err := chatkpi.NewReport(chatkpi.ReportSettings{Periods: ps})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.MarshalBinary(); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
	})
}

// FuzzScaleFlags fuzzes -csat-scale and -csat-satisfied, and -ces-scale,
// through the mapping of the parsed flags to report settings.
func FuzzScaleFlags(f *testing.F) {
	f.Add("1-5", 4, "agreement7")
	f.Add("0-10", 0, "effort5")
	f.Add("5-1", 9, "x")
	f.Add("-1-5", -3, "")
	f.Add("1-9999999999999999999", 2, "agreement7")
	f.Fuzz(func(t *testing.T, scale string, satisfied int, ces string) {
		var f Flags
		fs := flag.NewFlagSet("fuzz", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f.Register(fs)
		args := []string{"-period=none", "-percentiles=50", "-csat-scale=" + scale,
			"-csat-satisfied=" + strconv.Itoa(satisfied), "-ces-scale=" + ces}
		if err := fs.Parse(args); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		opts, err := f.ReportSettings()
		if err != nil {
			if !isUsage(err) {
				t.Fatalf("%q %d %q: %v is not a usage error", scale, satisfied, ces, err)
			}
			return
		}
		// The commands turn a rejected setting into a usage error too;
		// here the report must reject it with ErrInvalid.
		if _, err := chatkpi.NewReport(opts); err != nil && !errors.Is(err, chatkpi.ErrInvalid) {
			t.Fatalf("%q %d %q: %v", scale, satisfied, ces, err)
		}
	})
}
