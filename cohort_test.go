package chatkpi

import (
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func cohortDay(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }

// dense returns every cell of a row, as the triangle draws it.
func dense(c Cohort) []Proportion {
	out := make([]Proportion, c.Periods)
	for k := range out {
		out[k] = c.Active(int64(k))
	}
	return out
}

func TestCohortTableMonthly(t *testing.T) {
	c, err := NewCohorts(CohortsSettings{Period: Month})
	require.NoError(t, err)
	_, err = c.Table()
	require.ErrorIs(t, err, ErrNoData)
	log := []struct {
		who string
		t   time.Time
	}{
		{"u1", cohortDay(1, 5)}, {"u1", cohortDay(1, 20)}, {"u1", cohortDay(2, 3)}, {"u1", cohortDay(4, 1)},
		{"u2", cohortDay(1, 10)}, {"u2", cohortDay(3, 15)},
		{"u3", cohortDay(2, 2)}, {"u3", cohortDay(2, 28)}, {"u3", cohortDay(3, 1)},
		{"u4", cohortDay(2, 14)},
		{"u5", cohortDay(4, 30)},
		{"u6", cohortDay(3, 3)}, {"u6", cohortDay(1, 31)}, // out of order: the first is January
	}
	for _, a := range log {
		require.NoError(t, c.Add(a.who, a.t))
	}
	table, err := c.Table()
	require.NoError(t, err)
	month := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }
	// January: u1, u2, u6. February: u1. March: u2, u6. April: u1.
	// February: u3, u4. March: u3. April: none.
	// March: no first activity, no row. April: u5.
	want := []Cohort{
		{Start: month(1), Customers: 3, Periods: 4, Cells: []CohortCell{{0, Proportion{3, 3}}, {1, Proportion{1, 3}}, {2, Proportion{2, 3}}, {3, Proportion{1, 3}}}},
		{Start: month(2), Customers: 2, Periods: 3, Cells: []CohortCell{{0, Proportion{2, 2}}, {1, Proportion{1, 2}}}},
		{Start: month(4), Customers: 1, Periods: 1, Cells: []CohortCell{{0, Proportion{1, 1}}}},
	}
	assert.Equal(t, want, table)
	assert.Equal(t, []Proportion{{2, 2}, {1, 2}, {0, 2}}, dense(table[1]), "a period without activity is 0 of the cohort")
	assert.Equal(t, Proportion{}, table[1].Active(3), "outside the row")
	assert.Equal(t, Proportion{}, table[1].Active(-1), "outside the row")
	ret, err := c.Returning()
	require.NoError(t, err)
	assert.Equal(t, Proportion{4, 6}, ret) // u1, u2, u3, u6

	data, err := c.MarshalBinary()
	require.NoError(t, err)
	var back Cohorts
	require.NoError(t, back.UnmarshalBinary(data))
	table2, err := back.Table()
	require.NoError(t, err)
	assert.Equal(t, want, table2)

	var weekly Cohorts
	require.ErrorIs(t, weekly.Merge(c), ErrIncompatible)
	require.ErrorIs(t, c.Add("", cohortDay(1, 1)), ErrInvalid)
	require.ErrorIs(t, c.Add("u", time.Time{}), ErrInvalid)
	require.ErrorIs(t, c.AddConversation(&Chat{Meta: Info{ID: "x"}, Events: []Event{convMsg(0, Customer)}}), ErrInvalid)
}

func TestCohortWeeksInZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ps, err := NewPeriods(berlin, time.Sunday)
	require.NoError(t, err)
	c, err := NewCohorts(CohortsSettings{Periods: ps}) // weekly by default
	require.NoError(t, err)
	assert.Equal(t, Week, c.Period())
	// Saturday 2026-03-28 23:30 in Berlin and Sunday 2026-03-29 00:30 (the
	// day clocks go forward) are in different Sunday-started weeks.
	sat := time.Date(2026, 3, 28, 23, 30, 0, 0, berlin)
	sun := time.Date(2026, 3, 29, 0, 30, 0, 0, berlin)
	require.NoError(t, c.AddConversation(&Chat{Meta: Info{ID: "1", Customer: "a"}, Events: []Event{{Time: sat, Type: Message, Role: Customer}}}))
	require.NoError(t, c.AddConversation(&Chat{Meta: Info{ID: "2", Customer: "a", Start: sun}}))
	table, err := c.Table()
	require.NoError(t, err)
	require.Len(t, table, 1)
	assert.True(t, table[0].Start.Equal(time.Date(2026, 3, 22, 0, 0, 0, 0, berlin)), table[0].Start)
	assert.Equal(t, []Proportion{{1, 1}, {1, 1}}, dense(table[0]))
}

func TestCohortIndexMatchesPeriods(t *testing.T) {
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia"}
	rapid.Check(t, func(t *rapid.T) {
		loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		if err != nil {
			t.Fatal(err)
		}
		ps, _ := NewPeriods(loc, time.Weekday(rapid.IntRange(0, 6).Draw(t, "ws")))
		p := rapid.SampledFrom([]Period{Day, Week, Month, Year}).Draw(t, "period")
		cfg := cohortsConfig{period: p, periods: ps}
		tm := time.Unix(rapid.Int64Range(-3e9, 6e9).Draw(t, "unix"), 0)
		i := cfg.index(tm)
		start := ps.Start(tm, p)
		if !cfg.start(i).Equal(start) {
			t.Fatalf("%s %s: index %d starts %s, Periods says %s", p, tm, i, cfg.start(i), start)
		}
		if cfg.index(ps.Next(start, p)) != i+1 || cfg.index(start) != i {
			t.Fatalf("%s %s: next period is not index %d + 1", p, tm, i)
		}
	})
}

func TestCohortProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SampledFrom([]Period{Day, Week, Month}).Draw(t, "period")
		n := rapid.IntRange(0, 60).Draw(t, "n")
		type act struct {
			who string
			t   time.Time
		}
		acts := make([]act, n)
		for i := range acts {
			acts[i] = act{rapid.SampledFrom([]string{"a", "b", "c", "d", "e"}).Draw(t, "who"),
				convAt(rapid.IntRange(0, 90*24*60).Draw(t, "min"))}
		}
		perm := rapid.Permutation(acts).Draw(t, "perm")
		split := rapid.IntRange(0, n).Draw(t, "split")
		mk := func() *Cohorts { c, _ := NewCohorts(CohortsSettings{Period: p}); return c }
		whole, shuffled, left, right := mk(), mk(), mk(), mk()
		for i, a := range acts {
			_ = whole.Add(a.who, a.t)
			_ = shuffled.Add(perm[i].who, perm[i].t)
			if i < split {
				_ = left.Add(a.who, a.t)
			} else {
				_ = right.Add(a.who, a.t)
			}
		}
		if err := left.Merge(right); err != nil {
			t.Fatal(err)
		}
		data, _ := whole.MarshalBinary()
		var back Cohorts
		if err := back.UnmarshalBinary(data); err != nil {
			t.Fatal(err)
		}
		want, werr := whole.Table()
		for _, c := range []*Cohorts{shuffled, left, &back} {
			got, err := c.Table()
			if (err == nil) != (werr == nil) {
				t.Fatalf("errors differ: %v vs %v", err, werr)
			}
			if len(got) != len(want) {
				t.Fatalf("%d rows vs %d", len(got), len(want))
			}
			for i := range want {
				if !got[i].Start.Equal(want[i].Start) || got[i].Customers != want[i].Customers || got[i].Periods != want[i].Periods ||
					!slices.Equal(got[i].Cells, want[i].Cells) {
					t.Fatalf("row %d differs: %+v vs %+v", i, got[i], want[i])
				}
			}
		}
		// Every cell is a proportion of the cohort, and period 0 is full.
		var total int64
		for _, row := range want {
			total += row.Customers
			if row.Active(0) != (Proportion{row.Customers, row.Customers}) {
				t.Fatalf("period 0 of %+v", row)
			}
			for k, cell := range row.Cells {
				if cell.Active.Successes > cell.Active.Trials || cell.Active.Successes == 0 || cell.Active.Trials != row.Customers ||
					cell.Offset >= row.Periods || k > 0 && cell.Offset <= row.Cells[k-1].Offset {
					t.Fatalf("cell %+v of %+v", cell, row)
				}
			}
		}
		if total != int64(whole.customers.len()) {
			t.Fatalf("cohort sizes sum to %d, %d customers", total, whole.customers.len())
		}
	})
}

func FuzzCohortsUnmarshal(f *testing.F) {
	c, _ := NewCohorts(CohortsSettings{Period: Day})
	_ = c.Add("a", convT0)
	_ = c.Add("a", convT0.Add(72*time.Hour))
	_ = c.Add("b", convT0)
	data, _ := c.MarshalBinary()
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Cohorts
		if c.UnmarshalBinary(data) != nil {
			return
		}
		if _, err := c.Returning(); err != nil && c.customers.len() > 0 {
			t.Fatal(err)
		}
		// The table is sparse: its cells are at most the activities.
		table, err := c.Table()
		if err != nil && c.customers.len() > 0 {
			t.Fatal(err)
		}
		var cells, activities int
		for _, row := range table {
			cells += len(row.Cells)
		}
		c.customers.each(func(_ int, _ []byte, s []int64) { activities += len(s) })
		if cells > activities {
			t.Fatalf("%d cells for %d activities", cells, activities)
		}
		again, err := c.MarshalBinary()
		require.NoError(t, err)
		var d Cohorts
		require.NoError(t, d.UnmarshalBinary(again))
	})
}

// TestCohortTableBoundedByState: 100 customers seen in 1700 and in 2250,
// a state of about 1 KB, give a table of 200 cells. Before the table was
// sparse it held one cell per cohort and day in between: 307 MiB.
func TestCohortTableBoundedByState(t *testing.T) {
	c, err := NewCohorts(CohortsSettings{Period: Day})
	require.NoError(t, err)
	for i := range 100 {
		id := strconv.Itoa(i)
		require.NoError(t, c.Add(id, time.Date(1700, 1, 1+i, 0, 0, 0, 0, time.UTC)))
		require.NoError(t, c.Add(id, time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC)))
	}
	state, err := c.MarshalBinary()
	require.NoError(t, err)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	table, err := c.Table()
	runtime.ReadMemStats(&ms1)
	require.NoError(t, err)
	require.Less(t, ms1.TotalAlloc-ms0.TotalAlloc, uint64(64<<10), "bytes allocated for a %d-byte state", len(state))
	require.Len(t, table, 100)
	first := table[0]
	assert.Equal(t, int64(1), first.Customers)
	assert.Equal(t, []CohortCell{{0, Proportion{1, 1}}, {first.Periods - 1, Proportion{1, 1}}}, first.Cells)
	assert.Equal(t, Proportion{0, 1}, first.Active(1000))
}

func TestCohortsUnmarshalRejects(t *testing.T) {
	enc := func(period byte, zone string, customers ...any) []byte {
		e := newEncoder(tagCohorts, 32)
		e.byte1(period)
		e.string(zone)
		e.byte1(1)
		e.uvarint(uint64(len(customers) / 2))
		for i := 0; i+1 < len(customers); i += 2 {
			e.string(customers[i].(string))
			idx := customers[i+1].([]int64)
			e.uvarint(uint64(len(idx)))
			if len(idx) > 0 {
				e.varint(idx[0])
				for j := 1; j < len(idx); j++ {
					e.uvarint(uint64(idx[j] - idx[j-1]))
				}
			}
		}
		return e.finish()
	}
	var c Cohorts
	require.NoError(t, c.UnmarshalBinary(enc(byte(Day), "UTC", "a", []int64{20000, 20001})))
	for name, data := range map[string][]byte{
		"period 0":         enc(0, "UTC"),
		"period 9":         enc(9, "UTC"),
		"unknown zone":     enc(byte(Day), "Mars/Olympus"),
		"local zone":       enc(byte(Day), "Local"),
		"empty customer":   enc(byte(Day), "UTC", "", []int64{1}),
		"no activity":      enc(byte(Day), "UTC", "a", []int64{}),
		"repeated":         enc(byte(Day), "UTC", "a", []int64{1}, "a", []int64{2}),
		"out of order":     enc(byte(Day), "UTC", "b", []int64{1}, "a", []int64{2}),
		"zero gap":         enc(byte(Day), "UTC", "a", []int64{5, 5}),
		"beyond year 9999": enc(byte(Day), "UTC", "a", []int64{1 << 40}),
		"trailing":         append(enc(byte(Day), "UTC"), 0),
	} {
		assert.ErrorIs(t, c.UnmarshalBinary(data), ErrInvalid, name)
	}
	ret, err := c.Returning()
	require.NoError(t, err)
	assert.Equal(t, Proportion{1, 1}, ret, "a failed decode leaves the accumulator unchanged")
	_, err = NewCohorts(CohortsSettings{Periods: Periods{loc: time.Local}})
	require.ErrorIs(t, err, ErrInvalid)
}
