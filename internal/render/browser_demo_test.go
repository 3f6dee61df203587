package render

import (
	"bytes"
	"encoding/json"
	"html"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoSummary is the report of the command's demo sample
// (cmd/chatkpi/data/demo.jsonl, written by its mkdemo) per month, as
// chatkpi -sample demo computes it, grouped by groupBy.
func demoSummary(t *testing.T, groupBy ...chatkpi.Grouping) *chatkpi.Summary {
	t.Helper()
	data, err := os.ReadFile("../../cmd/chatkpi/data/demo.jsonl")
	require.NoError(t, err)
	r, err := chatkpi.NewJSONLReader(bytes.NewReader(data))
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	// The command's metrics: the defaults, the agents (with presence,
	// so availability by period), retention and successful chats.
	rs := chatkpi.ReportSettings{Period: chatkpi.Month,
		Metrics: chatkpi.DefaultMetrics | chatkpi.MetricAgents | chatkpi.MetricRetention | chatkpi.MetricSuccessfulChat}
	copy(rs.GroupBy[:], groupBy)
	rep, err := chatkpi.NewReport(rs)
	require.NoError(t, err)
	for _, c := range chats {
		require.NoError(t, rep.AddConversation(c))
	}
	s, err := rep.Summary()
	require.NoError(t, err)
	return s
}

// chartScript, added to the page by the test only, writes for every figure
// of the page its chart's size and the number of its drawn data marks
// (elements of class "series" with an on-screen size) into <pre id="charts">.
const chartScript = `<script>
window.addEventListener("load", function () {
  var out = [];
  document.querySelectorAll("section.charts figure").forEach(function (f) {
    var svg = f.querySelector("svg.chart");
    var r = svg ? svg.getBoundingClientRect() : f.getBoundingClientRect();
    var marks = 0;
    f.querySelectorAll(".series").forEach(function (e) {
      var b = e.getBoundingClientRect();
      if (b.width > 0 || b.height > 0) { marks++; }
    });
    out.push({title: svg ? svg.getAttribute("aria-label") : f.textContent.trim(), chart: !!svg,
      noData: !!f.querySelector(".no-data"), width: r.width, height: r.height, marks: marks});
  });
  var pre = document.createElement("pre");
  pre.id = "charts";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
`

type drawnChart struct {
	Title         string
	Chart, NoData bool
	Width, Height float64
	Marks         int
}

// drawnCharts renders page in chromium and returns what chartScript saw.
func drawnCharts(t *testing.T, page string) []drawnChart {
	t.Helper()
	measured := strings.Replace(withoutCSP(t, page), "</body>", chartScript+"</body>", 1)
	url, requests := servePage(t, []byte(measured))
	dom := runChromium(t, url, "--dump-dom", "--virtual-time-budget=2000", "--window-size=1280,2400")
	assert.Equal(t, []string{"/"}, requests(), "the page must make no request besides itself")
	m := regexp.MustCompile(`<pre id="charts">([^<]*)</pre>`).FindSubmatch(dom)
	require.NotNil(t, m, "the measuring script did not run")
	var charts []drawnChart
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &charts))
	return charts
}

// TestDemoPageInBrowser renders the demo sample's page in headless chromium:
// every chart of the page is drawn with data — an SVG of a real size with
// data marks on screen, no "no data" note. CHATKPI_DEMO_SCREENSHOT=file.png
// keeps the screenshot.
func TestDemoPageInBrowser(t *testing.T) {
	chromium(t)
	page := renderHTML(t, demoSummary(t), "chatkpi report: demo")
	charts := drawnCharts(t, page)
	require.NotEmpty(t, charts)
	titles := make([]string, len(charts))
	for i, c := range charts {
		titles[i] = c.Title
	}
	assert.Contains(t, titles, "Availability by period", "the demo has presence events")
	for _, c := range charts {
		assert.True(t, c.Chart, "%q is not drawn", c.Title)
		assert.False(t, c.NoData, "%q says no data", c.Title)
		assert.Greater(t, c.Width, 100.0, c.Title)
		assert.Greater(t, c.Height, 50.0, c.Title)
		assert.Positive(t, c.Marks, "%q has no data mark on screen", c.Title)
	}

	shot := filepath.Join(t.TempDir(), "demo.png")
	url, _ := servePage(t, []byte(page))
	runChromium(t, url, "--screenshot="+shot, "--window-size=1280,3200", "--hide-scrollbars")
	data, err := os.ReadFile(shot)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	colours := map[uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 5 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 5 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|b>>8] = true
		}
	}
	assert.Greater(t, len(colours), 40, "the screenshot looks blank")
	if dst := os.Getenv("CHATKPI_DEMO_SCREENSHOT"); dst != "" {
		require.NoError(t, os.WriteFile(dst, data, 0o644))
	}
}

// TestDemoPageCheckCanFail: the same check on a page whose charts have no
// data, and on one whose chart is drawn empty, reports them.
func TestDemoPageCheckCanFail(t *testing.T) {
	chromium(t)
	for _, c := range drawnCharts(t, renderHTML(t, emptySummary(), "")) {
		assert.False(t, c.Chart, c.Title)
		assert.True(t, c.NoData, c.Title)
	}
	// A chart stripped of its marks: drawn, but with nothing on screen.
	page := regexp.MustCompile(`<(rect|circle|polyline) class="series"[^>]*>`).ReplaceAllString(renderHTML(t, fixture(t), ""), "<g>")
	for _, c := range drawnCharts(t, page) {
		assert.Zero(t, c.Marks, c.Title)
	}
}

// TestDemoByAgentAvailabilityInBrowser: the demo page by agent draws each
// agent's availability over the months, with data marks on screen.
func TestDemoByAgentAvailabilityInBrowser(t *testing.T) {
	chromium(t)
	page := renderHTML(t, demoSummary(t, chatkpi.GroupByAgent()), "chatkpi report: demo by agent")
	var found bool
	for _, c := range drawnCharts(t, page) {
		if c.Title != "Availability by agent and period" {
			continue
		}
		found = true
		assert.True(t, c.Chart)
		assert.False(t, c.NoData)
		assert.Greater(t, c.Width, 100.0)
		assert.Greater(t, c.Height, 50.0)
		assert.GreaterOrEqual(t, c.Marks, 5*6, "a line and a point per agent and month")
	}
	assert.True(t, found, "no availability chart by agent")
	assert.Contains(t, page, "availability (days)", "and the agent table's column")
}
