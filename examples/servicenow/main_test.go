package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// dataPath is the data set seen from this directory, where go test runs.
const dataPath = "../../datasets/servicenow/testdata/IT_Incident_Data.zip"

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, dataPath))
	got := out.String()
	// The resolution lines are the figures computed independently in the
	// data set's README (pandas and plain Python): per priority the count,
	// p50 and p90 of resolved_at − opened_at, 234 incidents with
	// reopen_count > 0 and 4,775 that passed through Awaiting User Info.
	for _, want := range []string{
		"incidents: 20769 from 119998 rows",
		"  all            19351 resolved, p50   88560 s, p90 1430520 s, reopened 234, pending at some point 4775\n",
		"  1 - Critical     220 resolved, p50  281400 s, p90 2301600 s,",
		"  2 - High         337 resolved, p50  173940 s, p90 1374024 s,",
		"  3 - Moderate   18226 resolved, p50   87450 s, p90 1388130 s,",
		"  4 - Low          568 resolved, p50   82260 s, p90 2329596 s,",
		// The SLA verdicts and their agreement with made_sla, as explained
		// in datasets/servicenow/README.md; the resolution clock's were
		// recomputed independently in plain Python (business seconds of
		// Monday–Friday 08:00–17:00 UTC for P3 and P4).
		"  1 - Critical  resolution     met    32, breached   188, running    0: 14.55 % (10.50–19.81 %)\n",
		"  3 - Moderate  requester_wait met 14192, breached  4034, running 1328: 77.87 % (77.26–78.46 %)\n",
		"  1 - Critical  resolution       189/  220 agree (85.91 %); met but made_sla false 29, breached but made_sla true 2; no verdict 0\n",
		"  3 - Moderate  resolution     16143/18226 agree (88.57 %); met but made_sla false 1782, breached but made_sla true 301; no verdict 1328\n",
		"  4 - Low       resolution       505/  568 agree (88.91 %); met but made_sla false 14, breached but made_sla true 49; no verdict 90\n",
	} {
		require.Contains(t, got, want)
	}
}

func TestRunMissingData(t *testing.T) {
	err := run(&bytes.Buffer{}, "missing.zip")
	require.ErrorIs(t, err, os.ErrNotExist)
}
