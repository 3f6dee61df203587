package shoppers_test

import (
	"encoding/csv"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/shoppers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const file = "testdata/online_shoppers_intention.csv"

func readAll(t *testing.T) []shoppers.Session {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	ss, err := shoppers.Read(f)
	require.NoError(t, err)
	return ss
}

// rawCounts counts sessions and purchases per value of column by reading the
// CSV directly, without the package under test: the independent answer.
func rawCounts(t *testing.T, column string) map[string]chatkpi.Proportion {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col, rev := -1, -1
	for i, h := range recs[0] {
		switch h {
		case column:
			col = i
		case "Revenue":
			rev = i
		}
	}
	require.True(t, col >= 0 && rev >= 0)
	out := map[string]chatkpi.Proportion{}
	for _, r := range recs[1:] {
		p := out[r[col]]
		p.Trials++
		if r[rev] == "TRUE" {
			p.Successes++
		}
		out[r[col]] = p
	}
	return out
}

// The overall figure is that of /work/shared/data/README.md (pandas and
// DuckDB); the groups are checked against rawCounts.
func TestShoppersConversion(t *testing.T) {
	ss := readAll(t)
	require.Len(t, ss, 12330)

	var all chatkpi.Conversion
	var byVisitor, byMonth chatkpi.ConversionByGroup
	for _, s := range ss {
		all.Add(s.Revenue)
		require.NoError(t, byVisitor.Add(s.VisitorType, time.Time{}, s.Revenue))
		require.NoError(t, byMonth.Add(s.Month.String(), time.Time{}, s.Revenue))
	}
	r, err := all.Result()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 1908, Trials: 12330}, r.Rate)
	pc, err := r.Rate.Percent()
	require.NoError(t, err)
	assert.InDelta(t, 15.474452554744525, pc, 1e-12)
	assert.True(t, r.Interval.Low < 0.15474 && 0.15475 < r.Interval.High)

	check := func(acc *chatkpi.ConversionByGroup, want map[string]chatkpi.Proportion) {
		t.Helper()
		groups, err := acc.Groups()
		require.NoError(t, err)
		require.Len(t, groups, len(want))
		for _, g := range groups {
			assert.Equal(t, want[g.Key], g.Rate, g.Key)
		}
	}
	check(&byVisitor, rawCounts(t, "VisitorType"))
	monthName := map[string]string{"Feb": "February", "Mar": "March", "May": "May", "June": "June", "Jul": "July",
		"Aug": "August", "Sep": "September", "Oct": "October", "Nov": "November", "Dec": "December"}
	rawMonths := map[string]chatkpi.Proportion{}
	for k, p := range rawCounts(t, "Month") {
		name, ok := monthName[k]
		require.True(t, ok, k)
		rawMonths[name] = p
	}
	check(&byMonth, rawMonths)
}

// An A/B style comparison: weekend vs weekday sessions.
func TestShoppersWeekendComparison(t *testing.T) {
	var weekend, weekday chatkpi.Conversion
	for _, s := range readAll(t) {
		if s.Weekend {
			weekend.Add(s.Revenue)
		} else {
			weekday.Add(s.Revenue)
		}
	}
	a, _ := weekend.Result()
	b, _ := weekday.Result()
	raw := rawCounts(t, "Weekend")
	require.Equal(t, raw["TRUE"], a.Rate)
	require.Equal(t, raw["FALSE"], b.Rate)
	assert.Equal(t, chatkpi.Proportion{Successes: 499, Trials: 2868}, a.Rate)
	assert.Equal(t, chatkpi.Proportion{Successes: 1409, Trials: 9462}, b.Rate)

	c, err := chatkpi.CompareProportions(a.Rate, b.Rate)
	require.NoError(t, err)
	// Independent check of the z-test formula on the same counts (python3
	// gives d = 0.025077407184341843, z = 3.2529732781407104,
	// p = 0.0011420423637110934).
	p1, p2 := 499.0/2868, 1409.0/9462
	pool := (499.0 + 1409) / (2868 + 9462)
	z := (p1 - p2) / math.Sqrt(pool*(1-pool)*(1.0/2868+1.0/9462))
	assert.InDelta(t, p1-p2, c.Difference, 1e-15)
	assert.InDelta(t, z, c.Z, 1e-12)
	assert.InDelta(t, 3.2529732781407104, c.Z, 1e-9)
	assert.InDelta(t, 0.0011420423637110934, c.P, 1e-12)
	// Weekend sessions convert about 2.5 points more often; the difference is
	// significant at 5 % and its interval excludes 0.
	assert.Less(t, c.P, 0.05)
	assert.Greater(t, c.Interval.Low, 0.0)
	assert.Less(t, c.Interval.High, 0.05)
}

const header = "Administrative,Administrative_Duration,Informational,Informational_Duration,ProductRelated,ProductRelated_Duration,BounceRates,ExitRates,PageValues,SpecialDay,Month,OperatingSystems,Browser,Region,TrafficType,VisitorType,Weekend,Revenue\n"

func TestShoppersErrors(t *testing.T) {
	ok := "0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,FALSE\n"
	ss, err := shoppers.Read(strings.NewReader(header + ok + strings.Replace(ok, "Feb", "June", 1)))
	require.NoError(t, err)
	require.Len(t, ss, 2)
	assert.Equal(t, time.June, ss[1].Month)
	for name, tc := range map[string]struct {
		input string
		line  int
		field string
	}{
		"bad month":   {header + ok + strings.Replace(ok, "Feb", "Febr", 1), 3, "Month (column 11)"},
		"bad revenue": {header + strings.Replace(ok, "FALSE\n", "yes\n", 1), 2, "Revenue (column 18)"},
		"bad visitor": {header + strings.Replace(ok, "Returning_Visitor", "Bot", 1), 2, "VisitorType (column 16)"},
		"bad number":  {header + strings.Replace(ok, "0.2,0.2", "x,0.2", 1), 2, "BounceRates (column 7)"},
		"short":       {header + "0,0\n", 2, "column"},
		"bad header":  {"x" + header, 1, "Administrative (column 1)"},
	} {
		_, err := shoppers.Read(strings.NewReader(tc.input))
		var ie *chatkpi.InputError
		require.ErrorAs(t, err, &ie, name)
		require.ErrorIs(t, err, chatkpi.ErrInvalid, name)
		assert.Equal(t, tc.line, ie.Line, name)
		assert.Contains(t, ie.Field, tc.field, name)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(header + "0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,FALSE\n")
	f.Add(header)
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := shoppers.Read(strings.NewReader(s)); err != nil {
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
		}
	})
}
