package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTMLGroupSampleSizes: every figure of the group (agent) table carries
// the sample it rests on, and small samples keep their mark.
func TestHTMLGroupSampleSizes(t *testing.T) {
	s := fixture(t)
	for i := range s.Groups {
		if s.Groups[i].CSAT != nil {
			s.Groups[i].CSAT.SmallSample = true
			break
		}
	}
	page := renderHTML(t, s, "")
	assert.Contains(t, page, sampleNote)
	body := page[strings.Index(page, `<table class="groups">`):]
	body = body[:strings.Index(body, "</table>")]
	rows := regexp.MustCompile(`<tr(?: class="first")?>(.*)</tr>`).FindAllStringSubmatch(body, -1)
	require.Len(t, rows, len(s.Groups)+1, "head and one row per group")
	var want, got []string // per row, its sample sizes; rows are by agent
	for _, g := range s.Groups {
		var sizes []string
		if f := g.FirstResponseTime; f != nil && f.Count > 0 {
			sizes = append(sizes, fmt.Sprint(f.Count))
		}
		if g.CSAT != nil {
			sizes = append(sizes, fmt.Sprint(g.CSAT.Responses))
		}
		if g.NPS != nil {
			sizes = append(sizes, fmt.Sprint(g.NPS.Responses))
		}
		if g.Containment != nil {
			sizes = append(sizes, fmt.Sprint(g.Containment.Of))
		}
		if g.Conversion != nil {
			sizes = append(sizes, fmt.Sprint(g.Conversion.Of))
		}
		want = append(want, strings.Join(sizes, " "))
	}
	for _, row := range rows[1:] {
		var sizes []string
		for _, m := range regexp.MustCompile(`<span class="n">n (\d+)</span>`).FindAllStringSubmatch(row[1], -1) {
			sizes = append(sizes, m[1])
		}
		got = append(got, strings.Join(sizes, " "))
	}
	assert.ElementsMatch(t, want, got)
	assert.True(t, strings.Contains(body, smallMark+`<span class="n">`), "a small sample keeps its mark beside its size")
}

// TestHTMLAbsentMetrics: the page names the metrics without events in one
// row, without their cards, durations or group columns.
func TestHTMLAbsentMetrics(t *testing.T) {
	s := fixture(t)
	s.Overall.CSAT, s.Overall.CSATResponseRate = nil, nil
	for i := range s.Groups {
		s.Groups[i].CSAT, s.Groups[i].CSATResponseRate = nil, nil
	}
	page := renderHTML(t, s, "")
	assert.Contains(t, page, "<tr><td>no events for</td><td>CSAT, CSAT response rate, reopen, full resolution time, queue wait</td>")
	assert.NotContains(t, page, `<div class="label">CSAT</div>`)
	assert.NotContains(t, page, `<th class="num">CSAT</th>`)
	assert.NotContains(t, page, "<tr><td>queue wait</td>")
	assert.Contains(t, page, `<div class="label">NPS</div>`)
	assert.Contains(t, page, `<th class="num">NPS</th>`)

	page = renderHTML(t, &chatkpi.Summary{}, "")
	assert.NotContains(t, page, "<h2>Durations</h2>", "no duration has data")
}

// TestHTMLAgentTable: the page's agent table has a row per agent of the
// summary, its conversations (the sample) first, and the overall metrics
// no longer list the agents one row each.
func TestHTMLAgentTable(t *testing.T) {
	page := renderHTML(t, fixture(t), "")
	require.Contains(t, page, "<h2>Agents</h2>")
	table := page[strings.Index(page, `<table class="agents">`):]
	table = table[:strings.Index(table, "</table>")]
	assert.Contains(t, table, `<th class="num">conversations (n)</th>`)
	// ana: 1240 replies in 165 conversations = 7.52 a conversation.
	assert.Contains(t, table, `<tr><td>ana</td><td class="num">165</td><td class="num">1240</td><td class="num">7.52</td><td class="num">4</td><td class="num">1.75</td>`)
	assert.Contains(t, table, `<tr><td>chen</td><td class="num">12</td><td class="num">0</td><td class="num">0.00</td><td class="num">0</td><td class="num nodata">no data</td>`)
	assert.NotContains(t, page, "<tr><td>agent ana</td>")

	page = renderHTML(t, emptySummary(), "")
	assert.NotContains(t, page, "<h2>Agents</h2>")
}
