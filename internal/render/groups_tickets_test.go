package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticketGroupFixture is the fixture with an SLA policy (first reply and
// resolution) and the ticket metrics: the first group has verdicts, waits
// and touches (its resolution attainment and first-contact rate on small
// samples), the second none, the third only running first-reply clocks.
func ticketGroupFixture(t *testing.T) *chatkpi.Summary {
	s := fixture(t)
	s.Overall.SLAPolicy = &chatkpi.SLAPolicySummary{
		FirstReply: &chatkpi.SLAMetricSummary{Met: 9, Breached: 1, Running: 2, Attainment: rateOf(t, 9, 10)},
		Resolution: &chatkpi.SLAMetricSummary{Met: 2, Breached: 2, Attainment: rateOf(t, 2, 4)},
	}
	s.Overall.WaitTimes = &chatkpi.WaitTimesSummary{RequesterWaitTime: timingOf(30, 0, 700, 600, 1800, 2000, 2400, 2500)}
	s.Overall.Touches = &chatkpi.TouchesSummary{Resolved: 30, OneTouch: rateOf(t, 12, 30), FirstContactResolution: rateOf(t, 3, 4)}
	g := &s.Groups[0].MetricsSummary
	res := rateOf(t, 2, 4)
	res.SmallSample = true
	g.SLAPolicy = &chatkpi.SLAPolicySummary{
		FirstReply: &chatkpi.SLAMetricSummary{Met: 9, Breached: 1, Attainment: rateOf(t, 9, 10)},
		Resolution: &chatkpi.SLAMetricSummary{Met: 2, Breached: 2, Attainment: res},
	}
	g.WaitTimes = &chatkpi.WaitTimesSummary{RequesterWaitTime: timingOf(30, 0, 700, 600, 1800, 2000, 2400, 2500)}
	fcr := rateOf(t, 3, 4)
	fcr.SmallSample = true
	g.Touches = &chatkpi.TouchesSummary{Resolved: 30, OneTouch: rateOf(t, 12, 30), FirstContactResolution: fcr}
	s.Groups[2].SLAPolicy = &chatkpi.SLAPolicySummary{FirstReply: &chatkpi.SLAMetricSummary{Running: 2}}
	return s
}

// The groups section has a column per SLA metric with verdicts overall
// (met of decided), the median requester wait and the one-touch and
// first-contact rates, marked on small samples; "no data" for a group
// without them; none of them without a policy or ticket metrics.
func TestTableGroupsTickets(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Table(&b, fixture(t)))
	for _, col := range []string{"SLA first_reply", "requester wait p50", "one-touch", "first-contact"} {
		assert.NotContains(t, b.String(), col)
	}

	b.Reset()
	require.NoError(t, Table(&b, ticketGroupFixture(t)))
	lines := strings.Split(b.String(), "\n")
	start := -1
	for i, l := range lines {
		if l == "Groups" {
			start = i + 2
		}
	}
	require.Positive(t, start)
	want := []string{
		"  period      agent  channel  conversations  active  resolved  FRT p50   FRT p90     CSAT      NPS  containment  conversion  SLA first_reply  SLA resolution  requester wait p50  one-touch  first-contact",
		"  2026-11-02  ana    chat                61      63        30    41.0s     7m00s  86.96 %   +35.29      no data      9.84 %          90.00 %        50.00 %*              10m00s    40.00 %       75.00 %*",
		"  2026-11-02  bot    web                 83      85        41     1.2s      2.9s  no data  no data      62.65 %      4.82 %          no data         no data             no data    no data        no data",
		"  2026-11-09  ana    chat                55      57        27    1m03s    19m40s  80.65 %     0.00      no data      0.00 %          no data         no data             no data    no data        no data",
	}
	assert.Equal(t, want, lines[start:start+len(want)])
	assert.NotContains(t, b.String(), "SLA next_reply", "no verdicts overall, no column")
}

// The page's group table has the same columns, with the sample size of
// each figure; without a policy or ticket metrics it has none of them and
// no SLA chart.
func TestHTMLGroupsTickets(t *testing.T) {
	s := fixture(t)
	s.GroupBy = []string{"channel"}
	for i := range s.Groups {
		delete(s.Groups[i].Key, "agent")
	}
	page := renderHTML(t, s, "")
	for _, col := range []string{"<th class=\"num\">SLA first_reply</th>", "requester wait p50", "one-touch", "SLA attainment by group"} {
		assert.NotContains(t, page, col)
	}

	s = ticketGroupFixture(t)
	s.GroupBy = []string{"channel"}
	for i := range s.Groups {
		delete(s.Groups[i].Key, "agent")
	}
	page = renderHTML(t, s, "")
	assert.Contains(t, page, `<th class="num">conversion</th><th class="num">SLA first_reply</th><th class="num">SLA resolution</th><th class="num">requester wait p50</th><th class="num">one-touch</th><th class="num">first-contact</th></tr>`)
	assert.Contains(t, page, `<td class="num">90.00 %<span class="n">n 10</span></td><td class="num">50.00 %*<span class="n">n 4</span></td><td class="num">10m00s<span class="n">n 30</span></td><td class="num">40.00 %<span class="n">n 30</span></td><td class="num">75.00 %*<span class="n">n 4</span></td></tr>`)
	assert.Contains(t, page, `<td class="num nodata">no data</td></tr>`)
	// The chart sums the periods of a channel: chat has the first
	// group's verdicts only, web none.
	assert.Contains(t, page, "SLA attainment by group")
	assert.Contains(t, page, "first_reply chat: 90")
	assert.Contains(t, page, "resolution chat: 50")
	assert.Contains(t, page, "Met of decided (met &#43; breached) over all periods; n/a: no verdict.")
	assert.NotContains(t, page, "first_reply web:", "a group without verdicts is left out")
}

// The SLA chart draws the 20 groups with the most conversations and says
// how many it leaves out; the table keeps every group.
func TestHTMLManyGroupsSLA(t *testing.T) {
	s := emptySummary()
	s.GroupBy = []string{"agent"}
	for i := 0; i < 30; i++ {
		g := chatkpi.GroupSummary{Key: map[string]string{"agent": fmt.Sprintf("agent%02d", i)}}
		g.Conversations = int64(100 + i)
		g.SLAPolicy = &chatkpi.SLAPolicySummary{FirstReply: &chatkpi.SLAMetricSummary{Met: int64(i), Breached: 1, Attainment: rateOf(t, int64(i), int64(i)+1)}}
		s.Groups = append(s.Groups, g)
	}
	s.Overall.SLAPolicy = &chatkpi.SLAPolicySummary{FirstReply: &chatkpi.SLAMetricSummary{Met: 435, Breached: 30, Attainment: rateOf(t, 435, 465)}}
	page := renderHTML(t, s, "")
	assert.Contains(t, page, "Shown: the 20 of 30 groups with the most conversations; the table has every group.")
	assert.Contains(t, page, "first_reply agent29:")
	assert.NotContains(t, page, "first_reply agent09:", "the smallest groups are left out of the chart")
	assert.Contains(t, page, "<td>agent09</td>", "but not out of the table")
}

// TestHTMLSLAByGroupInBrowser renders in headless chromium the page of a
// real report by channel under an SLA policy: the SLA chart is drawn with
// data marks on screen, and the group table has its columns.
func TestHTMLSLAByGroupInBrowser(t *testing.T) {
	chromium(t)
	var policy chatkpi.SLAPolicy
	policy.Targets[0] = chatkpi.SLATarget{Metric: chatkpi.FirstReplySLA, Target: time.Minute}
	policy.Targets[1] = chatkpi.SLATarget{Metric: chatkpi.ResolutionSLA, Target: 24 * time.Hour}
	settings := chatkpi.ReportSettings{SLA: policy}
	settings.GroupBy[0] = chatkpi.GroupByChannel()
	r, err := chatkpi.NewReport(settings)
	require.NoError(t, err)
	gen := chatkpitest.Chat()
	for i := range 300 {
		c := gen.Example(i)
		c.Meta.ID = fmt.Sprintf("c%d", i)
		_ = r.AddConversation(c) // the generator draws a few the report rejects (a score off the default scale)
	}
	s, err := r.Summary()
	require.NoError(t, err)
	require.NotNil(t, s.Overall.SLAPolicy)
	require.Greater(t, len(s.Groups), 1)

	page := renderHTML(t, s, "SLA by channel")
	assert.Contains(t, page, `<th class="num">SLA first_reply</th>`)
	var sla []drawnChart
	for _, c := range drawnCharts(t, page) {
		if c.Title == "SLA attainment by group" {
			sla = append(sla, c)
		}
	}
	require.Len(t, sla, 1, "the page has the SLA chart")
	assert.True(t, sla[0].Chart)
	assert.False(t, sla[0].NoData)
	assert.Greater(t, sla[0].Width, 100.0)
	assert.Greater(t, sla[0].Height, 50.0)
	assert.Positive(t, sla[0].Marks, "the SLA chart has no data mark on screen")
}
