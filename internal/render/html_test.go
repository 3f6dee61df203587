package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func renderHTML(t *testing.T, s *chatkpi.Summary, title string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, HTML(&b, s, title))
	return b.String()
}

// externalRefs lists what in page could make a browser fetch something:
// http(s) URLs anywhere other than the SVG namespace, and, inside tags,
// src / href / url() values that are not data: URLs, scripts, frames,
// objects and links other than the data: icon.
func externalRefs(page string) []string {
	var refs []string
	for _, m := range regexp.MustCompile(`(?i)https?://[^\s"'<>)]*`).FindAllString(page, -1) {
		if m != "http://www.w3.org/2000/svg" {
			refs = append(refs, m)
		}
	}
	return append(refs, fetchingMarkup(page)...)
}

// fetchingMarkup is the part of externalRefs that looks at markup only, not
// at escaped text.
func fetchingMarkup(page string) []string {
	var refs []string
	attr := regexp.MustCompile(`(?i)\s(?:src|href|xlink:href|action|poster|srcset|background)\s*=\s*["']?([^"'\s>]*)`)
	url := regexp.MustCompile(`(?i)url\(\s*["']?([^"')]*)`)
	for _, tag := range regexp.MustCompile(`<[a-zA-Z][^>]*>`).FindAllString(page, -1) {
		for _, m := range attr.FindAllStringSubmatch(tag, -1) {
			if !strings.HasPrefix(strings.ToLower(m[1]), "data:") {
				refs = append(refs, m[0])
			}
		}
		name := strings.ToLower(regexp.MustCompile(`^<([a-zA-Z]+)`).FindStringSubmatch(tag)[1])
		switch name {
		case "script", "iframe", "object", "embed", "img", "video", "audio", "base":
			refs = append(refs, tag)
		case "link":
			if !strings.Contains(tag, `rel="icon" href="data:,"`) {
				refs = append(refs, tag)
			}
		}
	}
	for _, m := range url.FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(strings.ToLower(m[1]), "data:") {
			refs = append(refs, m[0])
		}
	}
	if strings.Contains(strings.ToLower(page), "@import") {
		refs = append(refs, "@import")
	}
	return refs
}

func TestExternalRefsDetects(t *testing.T) {
	// The static check must be able to fail.
	for _, bad := range []string{
		`<img src="https://cdn.example/x.png">`, `<img src="/x.png">`, `<link rel="stylesheet" href="x.css">`,
		`<script>1</script>`, `<div style="background:url(//x/y)">`, `<style>@import "x.css";</style>`,
	} {
		assert.NotEmpty(t, externalRefs(bad), bad)
	}
	assert.Empty(t, externalRefs(`<link rel="icon" href="data:,"><svg xmlns="http://www.w3.org/2000/svg"></svg>`))
}

func TestHTMLSelfContained(t *testing.T) {
	for name, s := range map[string]*chatkpi.Summary{"report": fixture(t), "empty": emptySummary()} {
		page := renderHTML(t, s, "Support, week 46")
		assert.Empty(t, externalRefs(page), name)
		assert.Contains(t, page, `<link rel="icon" href="data:,">`, name)
		assert.Contains(t, page, `default-src 'none'`, name)
	}
}

func TestHTMLCharts(t *testing.T) {
	page := renderHTML(t, fixture(t), "")
	assert.Equal(t, 5, strings.Count(page, `<svg xmlns="http://www.w3.org/2000/svg" class="chart `))
	// The fixture has one histogram (FRT) and is grouped by agent and
	// channel: four histograms and the three trends are notes.
	assert.Equal(t, 7, strings.Count(page, `class="no-data"`))
	assert.Contains(t, page, "No data: trends are drawn for a report grouped by period only (without -group-by).")
	for _, want := range []string{
		"<title>chatkpi report</title>", "Conversations per period", "First response time", "CSAT answers (1-5)",
		"NPS: promoters, passives, detractors", "Containment and conversion by group",
		"<h2>By agent</h2>", "ana · chat", "83.85 %", "&#43;30.85 ± 8.11", "2h04m41s",
	} {
		assert.Contains(t, page, want)
	}
	// Conversations per period sums the groups: 61+83, 55+90+12, 49+62.
	assert.Contains(t, page, "conversations 2026-11-02: 144")
	assert.Contains(t, page, "conversations 2026-11-09: 157")
	assert.Contains(t, page, "conversations 2026-11-16: 111")
	// Containment over periods: bot 151 of 235; ana has none (n/a, not 0).
	assert.Contains(t, page, "containment bot · web: 64.26%")
	assert.Contains(t, page, "containment ana · chat: no data")
	// The agent table lists every group, by agent.
	agents := regexp.MustCompile(`<tr(?: class="first")?><td>([^<]*)</td>`).FindAllStringSubmatch(page[strings.Index(page, "By agent"):], -1)
	var order []string
	for _, a := range agents[:7] {
		order = append(order, a[1])
	}
	assert.Equal(t, []string{"ana", "ana", "ana", "bot", "bot", "bot", "chen"}, order)
	assert.Equal(t, 2, strings.Count(page, `<tr class="first">`))
}

func TestHTMLNoData(t *testing.T) {
	page := renderHTML(t, emptySummary(), "")
	assert.NotContains(t, page, "<svg")
	assert.Equal(t, 12, strings.Count(page, `class="no-data"`))
	assert.Contains(t, page, "No data: the report is not grouped by period.")
	assert.Contains(t, page, "No data: no resolution time was measured.")
	assert.NotContains(t, page, "<h2>By")
}

func TestHTMLByGroup(t *testing.T) {
	s := fixture(t)
	s.GroupBy = []string{"channel"}
	for i := range s.Groups {
		delete(s.Groups[i].Key, "agent")
	}
	page := renderHTML(t, s, "")
	assert.Contains(t, page, "<h2>By group</h2>")
	assert.Contains(t, page, "<th>period</th><th>channel</th>")
}

func TestHTMLEscapesUserData(t *testing.T) {
	s := fixture(t)
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	for i := range s.Groups {
		if s.Groups[i].Key["agent"] == "chen" {
			s.Groups[i].Key["agent"] = evil
			s.Groups[i].Period = `"><svg onload=alert(2)>`
		}
	}
	s.Overall.Conversion.Value["<b>EUR</b>"] = "1"
	page := renderHTML(t, s, `</title><script>alert(3)</script>`)
	assert.NotContains(t, page, "<script")
	assert.NotContains(t, page, "<img")
	assert.NotContains(t, page, "<svg onload")
	assert.NotContains(t, page, "<b>EUR")
	assert.Contains(t, page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	assert.Empty(t, fetchingMarkup(page))
}

func TestHTMLManyGroups(t *testing.T) {
	s := emptySummary()
	s.GroupBy = []string{"agent"}
	for i := 0; i < 30; i++ {
		g := chatkpi.GroupSummary{Key: map[string]string{"agent": fmt.Sprintf("agent%02d", i)}}
		g.Conversations = int64(100 + i)
		g.Conversion = conversionOf(t, int64(i), g.Conversations, int64(i), nil)
		g.NPS = npsOf(int64(i), 1, 2)
		s.Groups = append(s.Groups, g)
	}
	s.Overall.NPS = npsOf(500, 30, 60)
	page := renderHTML(t, s, "")
	assert.Contains(t, page, "Shown: the 20 of 30 groups with the most conversations.")
	assert.Contains(t, page, "Rows: the 9 of 30 groups with the most conversations.")
	assert.Contains(t, page, "conversion agent29:")
	assert.NotContains(t, page, "conversion agent09:", "the smallest groups are left out of the chart")
	assert.Contains(t, page, "<td>agent09</td>", "but not out of the table")
	assert.Contains(t, page, "containment agent29: no data")
}

func TestFillPeriods(t *testing.T) {
	labels, values := fillPeriods("month", []string{"2018-05", "2018-08", "2019-01"}, []float64{6, 1, 3})
	require.Equal(t, []string{"2018-05", "2018-06", "2018-07", "2018-08", "2018-09", "2018-10", "2018-11", "2018-12", "2019-01"}, labels)
	require.Equal(t, []float64{6, 0, 0, 1, 0, 0, 0, 0, 3}, values)
	labels, values = fillPeriods("week", []string{"2026-11-02", "2026-11-16"}, []float64{1, 2})
	require.Equal(t, []string{"2026-11-02", "2026-11-09", "2026-11-16"}, labels)
	require.Equal(t, []float64{1, 0, 2}, values)
	labels, _ = fillPeriods("day", []string{"2026-02-27", "2026-03-02"}, []float64{1, 1})
	require.Equal(t, []string{"2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"}, labels)
	labels, _ = fillPeriods("year", []string{"2024", "2026"}, []float64{1, 1})
	require.Equal(t, []string{"2024", "2025", "2026"}, labels)
	// Not a period grouping, or labels it cannot read: unchanged.
	labels, _ = fillPeriods("", []string{"x", "y"}, []float64{1, 2})
	require.Equal(t, []string{"x", "y"}, labels)
	labels, _ = fillPeriods("month", []string{"May", "June"}, []float64{1, 2})
	require.Equal(t, []string{"May", "June"}, labels)
}

// A real report by month: every chart has data — the five histograms with
// human and bot side by side, captioned with the SLA attainment, and the
// three trends over every month in order.
func TestHTMLPageCharts(t *testing.T) {
	s := pageFixture(t)
	page := renderHTML(t, s, "")
	assert.Equal(t, 12, strings.Count(page, `<svg xmlns="http://www.w3.org/2000/svg" class="chart `))
	assert.Zero(t, strings.Count(page, `class="no-data"`))
	for _, want := range []string{"First response time by period", "CSAT, containment and conversion by period", "NPS by period",
		"Resolution time", "Chat duration", "Queue wait", "<h2>SLA attainment</h2>", "human p50", "bot p90",
		`<polygon class="band"`, "CSAT: 95 % interval", "NPS: 95 % interval"} {
		assert.Contains(t, page, want)
	}
	require.NotEmpty(t, s.Overall.HumanFirstResponseTime.Histogram)
	// Every bucket of the human FRT histogram is a bar with its count.
	for _, b := range s.Overall.HumanFirstResponseTime.Histogram {
		assert.Contains(t, page, fmt.Sprintf("human %s: %d<", b.Label, b.Count))
	}
	// The trends' time axis has every month from the first to the last.
	first, last := s.Groups[0].Period, s.Groups[len(s.Groups)-1].Period
	labels, _ := fillPeriods("month", []string{first, last}, []float64{1, 1})
	for _, l := range labels {
		assert.Contains(t, page, ">"+l+"</text>")
	}
	// Without targets, no SLA table and no SLA caption.
	for _, m := range append([]*chatkpi.MetricsSummary{&s.Overall}, groupMetrics(s)...) {
		for _, t := range []*chatkpi.TimingSummary{m.FirstResponseTime, m.HumanFirstResponseTime, m.BotFirstResponseTime,
			m.ResponseTime, m.HumanResponseTime, m.BotResponseTime, m.ResolutionTime, m.FullResolution, m.QueueWait} {
			if t != nil {
				t.SLA = nil
			}
		}
	}
	assert.NotContains(t, renderHTML(t, s, ""), "SLA")
}

func groupMetrics(s *chatkpi.Summary) []*chatkpi.MetricsSummary {
	var out []*chatkpi.MetricsSummary
	for i := range s.Groups {
		out = append(out, &s.Groups[i].MetricsSummary)
	}
	return out
}
