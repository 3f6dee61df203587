package chatkpiprom_test

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/twitter"
	chatkpiprom "github.com/chatkpi/chatkpi/exporters/prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var early = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// surveyed are conversations with every kind of answer and goals, which
// the Twitter data lacks.
func surveyed() []*chatkpi.Chat {
	var out []*chatkpi.Chat
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 30 {
		t := at.Add(time.Duration(i) * time.Hour)
		ev := []chatkpi.Event{
			{Time: t, Type: chatkpi.Message, Role: chatkpi.Customer},
			{Time: t.Add(time.Duration(i+1) * time.Second), Type: chatkpi.Message, Role: chatkpi.Bot},
			{Time: t.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: int8(1 + i%5)},
			{Time: t.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: int8(i % 11)},
			{Time: t.Add(time.Minute), Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CESSurvey, Score: int8(1 + i%7)},
			{Time: t.Add(2 * time.Minute), Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.New(int64(100+i), -2), Currency: "EUR"},
		}
		if i%3 == 0 {
			ev = append(ev, chatkpi.Event{Time: t.Add(3 * time.Minute), Type: chatkpi.Resolved, Role: chatkpi.Bot})
		}
		out = append(out, &chatkpi.Chat{Meta: chatkpi.Info{ID: fmt.Sprintf("s%02d", i), Channel: "chat"}, Events: ev})
	}
	return out
}

// liveReport feeds the Twitter conversations and the surveyed ones to a
// live report grouped by handler, event by event, each with an id and a
// tenth of them twice, closes them all but three, and leaves those open.
func liveReport(t *testing.T) (*chatkpi.LiveReport, time.Time) {
	rs := chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByHandler()}}
	// SLA targets off the histogram's bounds (45 s, 2 h) and on one (1 h):
	// each becomes a bucket of the Prometheus histogram.
	rs.FirstResponse.Durations.SLA = [chatkpi.MaxSLATargets]time.Duration{45 * time.Second, time.Hour, 2 * time.Hour}
	live, err := chatkpi.NewLiveReport(rs, chatkpi.AssemblerSettings{})
	require.NoError(t, err)
	var chats []*chatkpi.Chat
	for _, f := range []string{"dev.json", "test.json"} {
		cs, err := twitter.LoadFile("../../datasets/twitter/testdata/" + f)
		require.NoError(t, err)
		chats = append(chats, cs...)
	}
	chats = append(chats, surveyed()...)
	n := 0
	for _, c := range chats {
		for i, e := range c.Events {
			e.ID = strconv.Itoa(i)
			info := chatkpi.Info{ID: c.Meta.ID}
			if i == 0 {
				info = c.Meta
			}
			for range 1 + b2i(n%10 == 0) {
				require.NoError(t, live.AddEvent(early, info, e))
			}
			n++
		}
	}
	for _, c := range chats[:len(chats)-3] {
		require.NoError(t, live.Close(early, c.Meta.ID))
	}
	require.NoError(t, live.Advance(early))
	asOf := chats[len(chats)-1].Events[0].Time.Add(10 * time.Minute)
	return live, asOf
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func scrape(t *testing.T, c prometheus.Collector) (int, map[string]*dto.MetricFamily, string) {
	reg := prometheus.NewRegistry()
	require.NoError(t, reg.Register(c))
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil, string(body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(bytes.NewReader(body))
	require.NoError(t, err, string(body))
	return resp.StatusCode, families, string(body)
}

// value returns the value of the series of family name whose labels are
// exactly labels.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string) *dto.Metric {
	t.Helper()
	f := fams[name]
	require.NotNil(t, f, "no family %s", name)
	for _, m := range f.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		if fmt.Sprint(got) == fmt.Sprint(labels) {
			return m
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return nil
}

func TestCollectorScrapeMatchesSummary(t *testing.T) {
	live, asOf := liveReport(t)
	c, err := chatkpiprom.NewCollector(live, chatkpiprom.Settings{}, func() time.Time { return asOf })
	require.NoError(t, err)
	status, fams, body := scrape(t, c)
	require.Equal(t, http.StatusOK, status, body)
	ls, err := live.LiveSummary(asOf)
	require.NoError(t, err)
	require.NotNil(t, ls.Closed)
	require.Len(t, ls.Closed.Groups, 2, "bot and human")

	assert.EqualValues(t, ls.DuplicatesDropped, value(t, fams, "chatkpi_duplicates_dropped_total", map[string]string{}).Counter.GetValue())
	assert.Positive(t, ls.DuplicatesDropped)
	assert.EqualValues(t, ls.RejectedConversations, value(t, fams, "chatkpi_rejected_conversations_total", map[string]string{}).Counter.GetValue())
	assert.EqualValues(t, 3, ls.Open.Conversations)
	assert.EqualValues(t, ls.Open.Conversations, value(t, fams, "chatkpi_open_conversations", map[string]string{}).Gauge.GetValue())
	assert.EqualValues(t, ls.Open.WaitingCustomers, value(t, fams, "chatkpi_open_waiting_customers", map[string]string{}).Gauge.GetValue())

	var ratings, goals int64
	for _, g := range ls.Closed.Groups {
		l := map[string]string{"handler": g.Key["handler"]}
		with := func(k, v string) map[string]string { return map[string]string{"handler": l["handler"], k: v} }
		assert.EqualValues(t, g.Conversations, value(t, fams, "chatkpi_conversations_total", l).Counter.GetValue())
		assert.EqualValues(t, g.Messages, value(t, fams, "chatkpi_messages_total", l).Counter.GetValue())
		o := g.Outcomes
		for name, n := range map[string]int64{"resolved_by_bot": o.ResolvedByBot, "escalated": o.Escalated,
			"resolved_by_agent": o.ResolvedByAgent, "abandoned": o.Abandoned, "unengaged": o.Unengaged} {
			assert.EqualValues(t, n, value(t, fams, "chatkpi_outcomes_total", with("outcome", name)).Counter.GetValue(), name)
		}
		if g.CSAT != nil {
			for score, n := range g.CSAT.Distribution {
				assert.EqualValues(t, n, value(t, fams, "chatkpi_ratings_total", map[string]string{"handler": l["handler"], "survey": "csat", "score": score}).Counter.GetValue())
				ratings += n
			}
			for score, n := range g.CES.Distribution {
				assert.EqualValues(t, n, value(t, fams, "chatkpi_ratings_total", map[string]string{"handler": l["handler"], "survey": "ces", "score": score}).Counter.GetValue())
				ratings += n
			}
			for score, n := range g.NPS.Distribution {
				assert.EqualValues(t, n, value(t, fams, "chatkpi_ratings_total", map[string]string{"handler": l["handler"], "survey": "nps", "score": score}).Counter.GetValue())
				ratings += n
			}
			assert.EqualValues(t, g.NPS.Promoters, value(t, fams, "chatkpi_nps_responses_total", with("category", "promoter")).Counter.GetValue())
			assert.EqualValues(t, g.NPS.Passives, value(t, fams, "chatkpi_nps_responses_total", with("category", "passive")).Counter.GetValue())
			assert.EqualValues(t, g.NPS.Detractors, value(t, fams, "chatkpi_nps_responses_total", with("category", "detractor")).Counter.GetValue())
		}
		if g.Conversion != nil {
			assert.EqualValues(t, g.Conversion.Goals, value(t, fams, "chatkpi_goals_total", l).Counter.GetValue())
			goals += g.Conversion.Goals
		}
		assert.EqualValues(t, g.FirstResponseTime.Unanswered, value(t, fams, "chatkpi_first_response_unanswered_total", l).Counter.GetValue())
		for name, ts := range map[string]*chatkpi.TimingSummary{"chatkpi_first_response_seconds": g.FirstResponseTime,
			"chatkpi_human_first_response_seconds": g.HumanFirstResponseTime, "chatkpi_bot_first_response_seconds": g.BotFirstResponseTime,
			"chatkpi_response_seconds": g.ResponseTime, "chatkpi_human_response_seconds": g.HumanResponseTime,
			"chatkpi_bot_response_seconds": g.BotResponseTime, "chatkpi_resolution_seconds": g.ResolutionTime} {
			if ts == nil || ts.Count == 0 {
				continue // no durations: no histogram series
			}
			h := value(t, fams, name, l).Histogram
			assert.EqualValues(t, ts.Count, h.GetSampleCount(), name)
			assert.InDelta(t, *ts.MeanSeconds*float64(ts.Count), h.GetSampleSum(), 1e-6, name)
			// Expected buckets: the report's bounds (cumulative counts of
			// durations < the bound), then the SLA targets (durations ≤ the
			// target), the latter winning where both fall on one bound.
			want := map[float64]int64{}
			var cum int64
			for _, hb := range ts.Histogram {
				cum += hb.Count
				if hb.ToSeconds != nil {
					want[*hb.ToSeconds] = cum
				}
			}
			for _, sla := range ts.SLA {
				want[sla.TargetSeconds] = sla.Count
			}
			if name == "chatkpi_first_response_seconds" {
				require.Len(t, ts.SLA, 3, "the report carries the SLA targets")
			}
			want[math.Inf(1)] = ts.Count // the open bucket, exposed as +Inf
			prev := math.Inf(-1)
			for _, b := range h.Bucket {
				require.Greater(t, b.GetUpperBound(), prev, name)
				prev = b.GetUpperBound()
				n, ok := want[b.GetUpperBound()]
				require.True(t, ok, "%s: unexpected bucket %v", name, b.GetUpperBound())
				assert.EqualValues(t, n, b.GetCumulativeCount(), "%s le %v", name, b.GetUpperBound())
			}
			require.Len(t, h.Bucket, len(want), name)
			assert.EqualValues(t, ts.Count, cum, name)
		}
	}
	o := ls.Closed.Overall
	require.Positive(t, o.HumanFirstResponseTime.Count, "the data has human replies")
	require.Positive(t, o.BotFirstResponseTime.Count, "and bot replies")
	assert.EqualValues(t, 27*3, ratings, "the closed surveyed conversations' CSAT, CES and NPS answers") // s00–s26 closed, 3 left open
	assert.EqualValues(t, 27, goals)
}

func TestCollectorCardinalityGuard(t *testing.T) {
	live, asOf := liveReport(t)
	c, err := chatkpiprom.NewCollector(live, chatkpiprom.Settings{MaxGroups: 1}, func() time.Time { return asOf })
	require.NoError(t, err)
	status, _, body := scrape(t, c)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Contains(t, body, "2 groups, more than the collector's MaxGroups 1")
	_, err = chatkpiprom.NewCollector(live, chatkpiprom.Settings{MaxGroups: -1}, nil)
	assert.Error(t, err)
}

func TestCollectorBeforeAnyClose(t *testing.T) {
	var live chatkpi.LiveReport
	c, err := chatkpiprom.NewCollector(&live, chatkpiprom.Settings{Namespace: "chat"}, func() time.Time { return early })
	require.NoError(t, err)
	status, fams, body := scrape(t, c)
	require.Equal(t, http.StatusOK, status, body)
	assert.Nil(t, fams["chat_conversations_total"], "no data is not zeros")
	assert.EqualValues(t, 0, value(t, fams, "chat_open_conversations", map[string]string{}).Gauge.GetValue())
}
