package chatkpi_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reproSummary reads testdata/repro/name.jsonl (copies of the reproductions
// in ../shared/repro, each explained in its .md there) and returns the
// overall metrics of an ungrouped report, as `chatkpi -period none` prints.
func reproSummary(t *testing.T, name string) chatkpi.MetricsSummary {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "repro", name+".jsonl"))
	require.NoError(t, err)
	defer f.Close()
	r, err := chatkpi.NewJSONLReader(f)
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	rep, err := chatkpi.BuildReport(chats, 1)
	require.NoError(t, err)
	s, err := rep.Summary()
	require.NoError(t, err)
	return s.Overall
}

func seconds(t *testing.T, p *float64) float64 {
	t.Helper()
	require.NotNil(t, p)
	return *p
}

// The faults an independent check found (issue 10, item 6).
func TestReproductions(t *testing.T) {
	t.Run("queue-joined-by-system", func(t *testing.T) {
		// Queued 10:00:10, the platform assigns zoe at 10:01:00: 50 s.
		m := reproSummary(t, "queue-joined-by-system")
		require.NotNil(t, m.QueueWait)
		assert.Equal(t, int64(1), m.QueueWait.Count)
		assert.Equal(t, 50.0, seconds(t, m.QueueWait.MeanSeconds))
		assert.Equal(t, chatkpi.RateSummary{Count: 0, Of: 1}, chatkpi.RateSummary{Count: m.Abandonment.Count, Of: m.Abandonment.Of})
	})
	t.Run("queue-left-by-system", func(t *testing.T) {
		// The platform records the customer leaving at 10:02:00; the agent
		// writes at 10:05:00 to nobody: abandoned, no wait.
		m := reproSummary(t, "queue-left-by-system")
		require.NotNil(t, m.Abandonment)
		assert.Equal(t, int64(1), m.Abandonment.Count)
		assert.Equal(t, int64(1), m.Abandonment.Of)
		require.NotNil(t, m.QueueWait)
		assert.Equal(t, int64(0), m.QueueWait.Count)
		assert.Equal(t, int64(1), m.QueueWait.Unanswered)
	})
	t.Run("queue-wait-after-left", func(t *testing.T) {
		// The customer leaves at 10:02:00, zoe joins at 10:05:00: the
		// abandoned contact has no wait (METRICS.md; the docs now say so).
		m := reproSummary(t, "queue-wait-after-left")
		require.NotNil(t, m.QueueWait)
		assert.Equal(t, int64(0), m.QueueWait.Count)
		assert.Equal(t, int64(1), m.QueueWait.Unanswered)
		assert.Nil(t, m.QueueWait.MeanSeconds)
		assert.Equal(t, int64(1), m.Abandonment.Count)
		assert.Equal(t, int64(1), m.Abandonment.Of)
	})
	t.Run("chat-duration-ignores-fallback", func(t *testing.T) {
		// Customer 10:00:00, bot fallback 10:05:00: 300 s.
		m := reproSummary(t, "chat-duration-ignores-fallback")
		require.NotNil(t, m.ChatDuration)
		assert.Equal(t, int64(1), m.ChatDuration.Count)
		assert.Equal(t, 300.0, seconds(t, m.ChatDuration.MeanSeconds))
		assert.Equal(t, int64(2), m.Messages)
		assert.Equal(t, 300.0, seconds(t, m.FirstResponseTime.MeanSeconds))
	})
	t.Run("percentile-float64", func(t *testing.T) {
		// 12 zeros and 374,250 s: h = 0.95 × 12 = 11.4 exactly, so p95 =
		// 0.4 × 374,250 s = 149,700 s.
		m := reproSummary(t, "percentile-float64")
		for name, ts := range map[string]*chatkpi.TimingSummary{
			"first response": m.FirstResponseTime, "response": m.ResponseTime,
			"chat duration": m.ChatDuration, "queue wait": m.QueueWait,
		} {
			require.NotNil(t, ts, name)
			assert.Equal(t, 149700.0, seconds(t, ts.P95Seconds), name)
		}
	})
}
