package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// dataPath is the data set seen from this directory, where go test runs.
const dataPath = "../../datasets/telco/testdata/Telco-Customer-Churn.csv"

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, dataPath))
	// Churn figures computed independently with pandas and DuckDB
	// (/work/shared/data/README.md): 1,869 / 7,043 = 26.536987 %; by contract
	// 42.7097 %, 11.2695 %, 2.8319 %. Wilson intervals checked with the
	// formula in Python; 1 − (1 − 1869/7032)^12 = 0.975460.
	require.Equal(t, `churned in the last month: 1869/7043 (26.54 %), 95 % CI 25.52–27.58 %
by contract:
  Month-to-month  1655/3875 (42.7097 %), 95 % CI 41.16–44.27 %
  One year        166/1473 (11.2695 %), 95 % CI 9.75–12.99 %
  Two year        48/1695 (2.8319 %), 95 % CI 2.14–3.73 %
monthly churn: 7032 at the start, 5174 at the end, 11 acquired: 1869/7032 (26.58 %), 95 % CI 25.56–27.62 %
churn over 12 months at that rate: 97.55 % of the starting customers
  assumes the same monthly rate every month, independent months, no new customers
last month's churn by tenure cohort (survivors of each cohort only):
  00 (joined last month) 0/11 (0.00 %), 95 % CI 0.00–25.88 %
  01–12 months           1037/2175 (47.68 %), 95 % CI 45.59–49.78 %
  13–24 months           294/1024 (28.71 %), 95 % CI 26.02–31.56 %
  25–48 months           325/1594 (20.39 %), 95 % CI 18.48–22.44 %
  49–72 months           213/2239 (9.51 %), 95 % CI 8.37–10.80 %
`, out.String())
}

func TestTenureBand(t *testing.T) {
	for _, tc := range []struct {
		months int
		want   string
	}{
		{0, "00 (joined last month)"}, {1, "01–12 months"}, {12, "01–12 months"}, {13, "13–24 months"},
		{24, "13–24 months"}, {25, "25–48 months"}, {48, "25–48 months"}, {49, "49–72 months"}, {72, "49–72 months"},
	} {
		require.Equal(t, tc.want, tenureBand(tc.months), "tenure %d", tc.months)
	}
}

func TestRunBadFile(t *testing.T) {
	require.ErrorIs(t, run(&bytes.Buffer{}, "no-such-file.csv"), os.ErrNotExist)
	bad := t.TempDir() + "/bad.csv"
	require.NoError(t, os.WriteFile(bad, []byte("customerID,oops\n"), 0o600))
	require.ErrorContains(t, run(&bytes.Buffer{}, bad), "bad.csv")
}
