package render

import (
	"bytes"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The table lists the SLA policy's metrics with verdicts, in the schema's
// order, and marks a small sample.
func TestTableSLAPolicy(t *testing.T) {
	s := fixture(t)
	var b bytes.Buffer
	require.NoError(t, Table(&b, s))
	assert.NotContains(t, b.String(), "SLA ", "no policy, no rows")

	over := timingOf(2, 0, 2400, 2400, 3360, 3480, 3576, 3600)
	s.Overall.SLAPolicy = &chatkpi.SLAPolicySummary{
		FirstReply: &chatkpi.SLAMetricSummary{Met: 2, Breached: 2, Running: 1, Attainment: rateOf(t, 2, 4), OverTarget: over},
		Resolution: &chatkpi.SLAMetricSummary{Running: 3},
	}
	s.Overall.SLAPolicy.FirstReply.Attainment.SmallSample = true
	b.Reset()
	require.NoError(t, Table(&b, s))
	out := b.String()
	assert.Regexp(t, `(?m)^\s+SLA first_reply\s+50\.00 % met\*\s+2 met, 2 breached, 1 running; 95 % CI 15\.00 to 85\.00 %; over target p50 40m00s, p90 56m00s$`, out)
	assert.Regexp(t, `(?m)^\s+SLA resolution\s+no verdict yet\s+0 met, 0 breached, 3 running$`, out)
	assert.NotContains(t, out, "SLA next_reply")
	assert.Contains(t, out, smallNote)
}
