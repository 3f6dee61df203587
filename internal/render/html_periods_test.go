package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// daySummary is an ungrouped summary per day over 90 days, with
// conversations, containment and conversion on the days listed in withData
// only (others have no group, as a day without conversations has none).
func daySummary(t *testing.T, days int, skip func(int) bool) *chatkpi.Summary {
	s := emptySummary()
	s.Period = "day"
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := range days {
		if skip(d) {
			continue
		}
		g := chatkpi.GroupSummary{Period: first.AddDate(0, 0, d).Format("2006-01-02")}
		g.Conversations = int64(10 + d%7)
		g.Containment = rateOf(t, int64(d%5), g.Conversations)
		g.Containment.SmallSample = d == 0
		g.Conversion = conversionOf(t, int64(d%3), g.Conversations, int64(d%3), nil)
		g.NPS = npsOf(int64(d%4), 1, 1)
		s.Groups = append(s.Groups, g)
	}
	s.Overall.NPS = npsOf(100, 20, 30)
	return s
}

// TestHTMLTimeAxisShowsEveryPeriod is the per-day page: 90 days
// used to be drawn as "the 20 of 90 groups with the most conversations",
// 20 scattered days on a time axis. Over periods the rates are the trend
// line of every day in order, broken on the days without data, and no
// chart picks periods.
func TestHTMLTimeAxisShowsEveryPeriod(t *testing.T) {
	s := daySummary(t, 90, func(d int) bool { return d == 40 || d == 41 })
	page := renderHTML(t, s, "")
	assert.False(t, strings.Contains(page, "with the most conversations"))
	assert.False(t, strings.Contains(page, "Containment and conversion by group"), "periods are not groups")
	i := strings.Index(page, `aria-label="CSAT, containment and conversion by period"`)
	require.Positive(t, i, "the rates over periods are a line chart")
	svg := page[i:]
	svg = svg[:strings.Index(svg, "</svg>")]
	days := regexp.MustCompile(`<title>containment (\d{4}-\d\d-\d\d): `).FindAllStringSubmatch(svg, -1)
	require.Len(t, days, 88, "every day with data has a point")
	for k := 1; k < len(days); k++ {
		assert.Less(t, days[k-1][1], days[k][1], "days in order")
	}
	assert.Equal(t, 4, strings.Count(svg, `<polyline class="series"`), "containment and conversion each break at the two days without data")

	// NPS over 90 periods does not fit the rows: overall only, no pick.
	assert.Contains(t, page, "The NPS of every period is in the table.")
	assert.False(t, strings.Contains(page, "Rows: the"))

	// With a few periods, every one is a row of the NPS chart, in order.
	page = renderHTML(t, daySummary(t, 5, func(int) bool { return false }), "")
	var rows []string
	for _, m := range regexp.MustCompile(`<title>promoters ([^:]+): `).FindAllStringSubmatch(page, -1) {
		rows = append(rows, m[1])
	}
	assert.Equal(t, []string{"overall", "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"}, rows)
}

func TestHTMLOutcomesDonut(t *testing.T) {
	page := renderHTML(t, fixture(t), "")
	o := fixture(t).Overall.Outcomes
	total := o.ResolvedByBot + o.Escalated + o.ResolvedByAgent + o.Abandoned + o.Unengaged
	assert.Contains(t, page, fmt.Sprintf("Each of the %d conversations has one outcome", total))
	assert.Contains(t, page, fmt.Sprintf("resolved by bot: %d (", o.ResolvedByBot))

	// Without resolutions or handoffs, outcomes are a note, not a ring of
	// "abandoned".
	s := emptySummary()
	s.Overall.Conversations = 3
	s.Overall.Outcomes = &chatkpi.OutcomeSummary{Abandoned: 3}
	page = renderHTML(t, s, "")
	assert.Contains(t, page, "No data: no conversation was resolved or handed over.")
	assert.NotContains(t, page, "chart-donut")
}

// TestHTMLGroupsWithoutPeriods: a report grouped without periods (the
// Twitter sample per brand) draws conversations by group, the largest when
// there are more than a chart holds, saying how many it leaves out; a
// group's small sample is marked on its bar.
func TestHTMLGroupsWithoutPeriods(t *testing.T) {
	s := emptySummary()
	s.GroupBy = []string{"source"}
	for i := range 25 {
		g := chatkpi.GroupSummary{Key: map[string]string{"source": fmt.Sprintf("brand%02d", i)}}
		g.Conversations = int64(10 + i)
		g.Containment = rateOf(t, 1, g.Conversations)
		g.Containment.SmallSample = i == 24
		s.Groups = append(s.Groups, g)
	}
	page := renderHTML(t, s, "")
	assert.Contains(t, page, `aria-label="Conversations by group"`)
	assert.Contains(t, page, "Shown: the 20 of 25 groups with the most conversations; the table has every group.")
	assert.Contains(t, page, "conversations brand24: 34")
	assert.NotContains(t, page, "conversations brand04:")
	assert.Contains(t, page, "<td>brand04</td>")
	assert.Contains(t, page, "containment brand24*: ")
	assert.Contains(t, page, "containment brand23: ")
}

// TestHTMLRatesWithoutEvents: without bot replies, handoffs and goals the
// rates chart is a note, not bars of 0 %.
func TestHTMLRatesWithoutEvents(t *testing.T) {
	s := emptySummary()
	s.GroupBy = []string{"source"}
	for _, brand := range []string{"a", "b"} {
		g := chatkpi.GroupSummary{Key: map[string]string{"source": brand}}
		g.Conversations = 40
		g.Containment, g.Escalation = rateOf(t, 0, 40), rateOf(t, 0, 40)
		g.Conversion = conversionOf(t, 0, 40, 0, nil)
		s.Groups = append(s.Groups, g)
	}
	s.Overall.Conversations = 80
	s.Overall.Containment, s.Overall.Escalation = rateOf(t, 0, 80), rateOf(t, 0, 80)
	s.Overall.Conversion = conversionOf(t, 0, 80, 0, nil)
	page := renderHTML(t, s, "")
	assert.Contains(t, page, "No data: the input has no bot replies, handoffs or goals.")
	assert.NotContains(t, page, "containment a: ")
}

// TestHTMLFunnel: the greeting funnel's steps are bars with their counts,
// the caption gives the rates; without goals it is a note.
func TestHTMLFunnel(t *testing.T) {
	page := renderHTML(t, fixture(t), "")
	for _, want := range []string{`aria-label="Greeting funnel"`, "conversations displayed: 200<", "conversations accepted: 150<", "conversations goal: 30<",
		"Accepted 150/200 (75.00 %) of displayed; goal 30/200 (15.00 %) of displayed, 30/150 (20.00 %) of accepted."} {
		assert.Contains(t, page, want)
	}
	s := fixture(t)
	s.Overall.Conversion.Goals = 0
	assert.Contains(t, renderHTML(t, s, ""), "No data: no conversation with a source reached a goal.")
}
