package twitter_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/twitter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadAll(t *testing.T) []*chatkpi.Chat {
	t.Helper()
	var all []*chatkpi.Chat
	for _, f := range []string{"testdata/dev.json", "testdata/test.json"} {
		chats, err := twitter.LoadFile(f)
		require.NoError(t, err)
		all = append(all, chats...)
	}
	return all
}

func TestSnowflake(t *testing.T) {
	// The first turn of the first dev conversation: datetime
	// 2020-04-01T17:31:32Z (to the second), tweet 1245403438755852288.
	got := twitter.Snowflake(1245403438755852288)
	assert.Equal(t, time.Date(2020, 4, 1, 17, 31, 32, 0, time.UTC), got.Truncate(time.Second))
	assert.Equal(t, time.Date(2010, 11, 4, 1, 42, 54, 657e6, time.UTC), twitter.Snowflake(0))
}

func TestLoadConverts(t *testing.T) {
	all := loadAll(t)
	require.Len(t, all, 1025)
	c := all[0]
	assert.Equal(t, "LgwAXtbbEm0mBvDrGmjk", c.Meta.ID)
	assert.Equal(t, "CinVakas", c.Meta.Customer)
	assert.Equal(t, "twitter", c.Meta.Channel)
	assert.Equal(t, "TeamYouTube", c.Meta.Source)
	assert.Equal(t, "TeamYouTube", c.Meta.Dims["company"])
	require.Len(t, c.Events, 2)
	assert.Equal(t, chatkpi.Customer, c.Events[0].Role)
	last := c.Events[1]
	assert.Equal(t, chatkpi.Agent, last.Role)
	assert.Equal(t, "TeamYouTube", last.Agent)
	assert.Equal(t, twitter.Snowflake(1245425308704149506), last.Time)
	ids := map[string]bool{}
	for _, c := range all {
		require.NoError(t, chatkpi.Validate(c))
		require.False(t, ids[c.Meta.ID], "duplicate id %s", c.Meta.ID)
		ids[c.Meta.ID] = true
	}
}

// The expected figures were computed independently (pandas and DuckDB, see
// the data README; rechecked with Python's statistics module): first agent
// turn minus first client turn over the 1,025 conversations.
func TestRealDataFirstResponseTime(t *testing.T) {
	all := loadAll(t)
	exact, err := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{})
	require.NoError(t, err)
	streaming, err := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Streaming: true}})
	require.NoError(t, err)
	for _, c := range all {
		require.NoError(t, exact.AddConversation(c))
		require.NoError(t, streaming.AddConversation(c))
	}
	re, err := exact.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1025), re.Answered)
	assert.Equal(t, int64(0), re.Unanswered)
	p50, _ := re.Stats.Quantile(0.5)
	p90, _ := re.Stats.Quantile(0.9)
	assert.InDelta(t, 7481.521, p50.Seconds(), 1e-6)
	assert.InDelta(t, 200074.2038, p90.Seconds(), 1e-6)
	assert.InDelta(t, 125913.8175, re.Stats.Mean.Seconds(), 1e-4) // the README rounds to 4 decimals
	assert.InDelta(t, 125913.81745560716, re.Stats.Mean.Seconds(), 1e-6)
	assert.InDelta(t, 29.617, re.Stats.Min.Seconds(), 1e-6)

	rs, err := streaming.Result()
	require.NoError(t, err)
	assert.Equal(t, re.Stats.Mean, rs.Stats.Mean)
	assert.Equal(t, re.Stats.Histogram, rs.Stats.Histogram)
	for _, q := range []float64{0.5, 0.9, 0.95, 0.99} {
		x, _ := re.Stats.Quantile(q)
		v, ok := rs.Stats.Quantile(q)
		require.True(t, ok)
		assert.LessOrEqual(t, math.Abs(float64(v-x)), chatkpi.DefaultRelativeAccuracy*float64(x)+2, "q=%v exact %v streaming %v", q, x, v)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"not json", `{`, "json"},
		{"no session", `[{"agentURL":{"tweet_ID":"1"},"dialogHeader":{"company":"c"},"dialogContent":[]}]`, `"#0": dialogHeader.sessionID`},
		{"bad time", `[{"agentURL":{"tweet_ID":"1"},"dialogHeader":{"company":"c","sessionID":"s"},"dialogContent":[{"client":"a","datetime":"yesterday"}]}]`,
			`conversation "s": event 0: dialogContent.datetime`},
		{"two authors", `[{"agentURL":{"tweet_ID":"1"},"dialogHeader":{"company":"c","sessionID":"s"},"dialogContent":[{"client":"a","agent":"b","datetime":"2020-01-01T00:00:00Z"}]}]`,
			"exactly one author"},
		{"bad tweet", `[{"agentURL":{"tweet_ID":"x"},"dialogHeader":{"company":"c","sessionID":"s"},"dialogContent":[]}]`, "agentURL.tweet_ID"},
		{"agent before client", `[{"agentURL":{"tweet_ID":"1"},"dialogHeader":{"company":"c","sessionID":"s"},"dialogContent":[{"client":"a","datetime":"2020-01-01T00:00:00Z"}]}]`,
			"event 1: time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := twitter.Load(strings.NewReader(tt.json))
			require.Error(t, err)
			assert.True(t, errors.Is(err, chatkpi.ErrInvalid), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := twitter.LoadFile("testdata/missing.json")
	require.Error(t, err)
}
