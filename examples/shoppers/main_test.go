package main

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// dataPath is the data set seen from this directory, where go test runs.
const dataPath = "../../datasets/shoppers/testdata/online_shoppers_intention.csv"

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, dataPath))
	// 1,908 / 12,330 = 15.474 % computed independently with pandas and
	// DuckDB (/work/shared/data/README.md); the intervals, z and p were
	// checked with the formulas of compare.go in Python.
	require.Equal(t, `conversion: 1908/12330 (15.47 %), 95 % CI 14.85–16.12 %
by visitor type:
  New_Visitor       422/1694 (24.91 %), 95 % CI 22.91–27.03 %
  Other             16/85 (18.82 %), 95 % CI 11.93–28.41 %
  Returning_Visitor 1470/10551 (13.93 %), 95 % CI 13.28–14.61 %
by month:
  02 Feb            3/184 (1.63 %), 95 % CI 0.56–4.68 %
  03 Mar            192/1907 (10.07 %), 95 % CI 8.80–11.50 %
  05 May            365/3364 (10.85 %), 95 % CI 9.84–11.95 %
  06 Jun            29/288 (10.07 %), 95 % CI 7.10–14.09 %
  07 Jul            66/432 (15.28 %), 95 % CI 12.19–18.98 %
  08 Aug            76/433 (17.55 %), 95 % CI 14.26–21.42 %
  09 Sep            86/448 (19.20 %), 95 % CI 15.82–23.10 %
  10 Oct            115/549 (20.95 %), 95 % CI 17.75–24.55 %
  11 Nov            760/2998 (25.35 %), 95 % CI 23.83–26.94 %
  12 Dec            216/1727 (12.51 %), 95 % CI 11.03–14.15 %
  01 Jan            no sessions
  04 Apr            no sessions
by day:
  weekday           1409/9462 (14.89 %), 95 % CI 14.19–15.62 %
  weekend           499/2868 (17.40 %), 95 % CI 16.06–18.83 %
New_Visitor − Returning_Visitor: 10.98 points, 95 % CI 8.82 to 13.14 points, z = 11.61, p = 3.87e-31
weekend − weekday: 2.51 points, 95 % CI 0.95 to 4.07 points, z = 3.25, p = 0.00114
`, out.String())
}

func TestMonthKey(t *testing.T) {
	require.Equal(t, "01 Jan", monthKey(time.January))
	require.Equal(t, "12 Dec", monthKey(time.December))
	require.Less(t, monthKey(time.September), monthKey(time.October)) // keys sort in calendar order
}

func TestRunBadFile(t *testing.T) {
	require.ErrorIs(t, run(&bytes.Buffer{}, "no-such-file.csv"), os.ErrNotExist)
	bad := t.TempDir() + "/bad.csv"
	require.NoError(t, os.WriteFile(bad, []byte("Administrative\n"), 0o600))
	require.ErrorContains(t, run(&bytes.Buffer{}, bad), "bad.csv")
}
