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
