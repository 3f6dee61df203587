package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// tidy renders s as CSV and reads it back with encoding/csv: the header and
// the rows keyed "scope|period|keys…|metric|statistic" → [value, n].
func tidy(t *testing.T, s *chatkpi.Summary) ([]string, [][]string, map[string][2]string) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, CSV(&b, s))
	recs, err := csv.NewReader(&b).ReadAll() // also checks every row has the header's length
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	rows := map[string][2]string{}
	for _, r := range recs[1:] {
		k := strings.Join(r[:len(r)-2], "|")
		_, dup := rows[k]
		require.False(t, dup, "row %q twice", k)
		rows[k] = [2]string{r[len(r)-2], r[len(r)-1]}
	}
	return recs[0], recs[1:], rows
}

func TestCSV(t *testing.T) {
	head, recs, rows := tidy(t, fixture(t))
	assert.Equal(t, []string{"scope", "period", "agent", "channel", "metric", "statistic", "value", "n"}, head)
	for k, want := range map[string][2]string{
		"overall||||conversations|count":                            {"412", ""},
		"overall||||first_response_time|mean_seconds":               {"412.37", "380"},
		"overall||||first_response_time|percentiles[p99.9]":         {"21034.5", "380"},
		"overall||||conversion|value[EUR]":                          {"4312.50", "412"},
		"group|2026-11-09|chen|chat|first_response_time|count":      {"0", "0"},
		"group|2026-11-09|chen|chat|first_response_time|unanswered": {"12", "0"},
		"group|2026-11-09|chen|chat|conversion|percent":             {"0", "12"},
	} {
		assert.Equal(t, want, rows[k], k)
	}
	_, ok := rows["group|2026-11-09|chen|chat|first_response_time|p50_seconds"]
	assert.False(t, ok, "a null figure has no row")
	for k := range rows {
		assert.False(t, strings.Contains(k, "|queue_wait|") && strings.HasPrefix(k, "overall"), "a metric without data has no rows: %s", k)
	}
	assert.Equal(t, "overall", recs[0][0], "the overall rows come first")
	last := "overall"
	for _, r := range recs {
		if r[0] != last {
			assert.Equal(t, []string{"overall", "group"}, []string{last, r[0]}, "overall, then the groups")
			last = r[0]
		}
	}
}

// The header is the same whatever the data: the fixture, the empty
// summary and a summary with other percentiles, scores and currencies.
func TestCSVSameColumns(t *testing.T) {
	a := fixture(t)
	b := emptySummary()
	b.GroupBy = a.GroupBy
	b.Overall.FirstResponseTime = timingOf(3, 0, 10, 9, 12, 13, 14, 15)
	b.Overall.FirstResponseTime.Percentiles = map[string]float64{"p42": 8}
	b.Overall.Conversion = &chatkpi.ConversionSummary{RateSummary: rateOf(t, 1, 3), Goals: 1, Value: map[string]string{"JPY": "100"}}
	ha, _, _ := tidy(t, a)
	hb, _, rows := tidy(t, b)
	assert.Equal(t, ha, hb)
	assert.Equal(t, [2]string{"8", "3"}, rows["overall||||first_response_time|percentiles[p42]"])
	assert.Equal(t, [2]string{"100", "3"}, rows["overall||||conversion|value[JPY]"])
}

// The CSV holds every figure of the JSON: for each row set, one row per
// number, bool and money amount of the JSON (less the scale texts, which
// are names, not figures).
func TestCSVHoldsTheJSON(t *testing.T) {
	s := fixture(t)
	s.Overall.FirstResponseTime.Histogram = []chatkpi.BucketSummary{{Label: "0–30s", ToSeconds: ptr(30), Count: 2}, {Label: "30s+", FromSeconds: 30, Count: 1}}
	s.Overall.FirstResponseTime.SLA = []chatkpi.SLASummary{{TargetSeconds: 60, RateSummary: *rateOf(t, 2, 3)}}
	assertCSVHoldsJSON(t, s)
}

// The same on real reports of generated conversations, by day and by a
// grouping: the header is fixed by the grouping, every value is a number,
// and the rows are the JSON's figures.
func TestCSVHoldsTheJSONProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var rs chatkpi.ReportSettings
		rs.Period = chatkpi.Day
		by := rapid.SampledFrom([]string{"", "handler", "channel", "agent"}).Draw(t, "group-by")
		if by != "" {
			g, err := chatkpi.ParseGrouping(by)
			require.NoError(t, err)
			rs.GroupBy[0] = g
		}
		r, err := chatkpi.NewReport(rs)
		require.NoError(t, err)
		for _, c := range chatkpitest.Chats(15).Draw(t, "chats") {
			_ = r.AddConversation(c) // a few are rejected (scores off the default scales)
		}
		s, err := r.Summary()
		if err != nil {
			return // nothing was added
		}
		head := assertCSVHoldsJSON(t, s)
		want := []string{"scope", "period"}
		if by != "" {
			want = append(want, by)
		}
		assert.Equal(t, append(want, "metric", "statistic", "value", "n"), head)
	})
}

// assertCSVHoldsJSON checks that the CSV of s has, for each row set
// (overall, then each group), one row per figure of its JSON object, and
// that every value and n is a number; it returns the header.
func assertCSVHoldsJSON(t require.TestingT, s *chatkpi.Summary) []string {
	var js, cs bytes.Buffer
	require.NoError(t, json.NewEncoder(&js).Encode(s))
	require.NoError(t, CSV(&cs, s))
	var doc struct {
		Overall map[string]any `json:"overall"`
		Groups  []map[string]any
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	var leaves func(v any, inMap bool) int
	leaves = func(v any, inMap bool) int {
		switch x := v.(type) {
		case float64, bool:
			return 1
		case string:
			if inMap {
				return 1
			}
		case map[string]any:
			n := 0
			for k, e := range x {
				if k != "label" {
					n += leaves(e, true)
				}
			}
			return n
		case []any:
			n := 0
			for _, e := range x {
				n += leaves(e, false)
			}
			return n
		}
		return 0
	}
	// In a JSON object from a Go struct a string is a label; in a map
	// (distribution, value) it is a figure. leaves counts both alike, so
	// take off the struct fields that are text: csat.scale, ces.scale.
	figures := func(m map[string]any) int {
		n := leaves(m, false)
		for _, k := range []string{"csat", "ces"} {
			if o, ok := m[k].(map[string]any); ok {
				if _, ok := o["scale"]; ok {
					n--
				}
			}
		}
		return n
	}
	recs, err := csv.NewReader(&cs).ReadAll()
	require.NoError(t, err)
	perSet := map[int]int{} // row set (0 overall) → rows
	set, prev := -1, ""
	for _, r := range recs[1:] {
		k := strings.Join(r[:len(r)-4], "|")
		if k != prev {
			set, prev = set+1, k
		}
		perSet[set]++
		_, err := strconv.ParseFloat(r[len(r)-2], 64)
		require.NoError(t, err, "value of %v", r)
		if n := r[len(r)-1]; n != "" {
			_, err := strconv.ParseInt(n, 10, 64)
			require.NoError(t, err, "n of %v", r)
		}
	}
	require.Equal(t, figures(doc.Overall), perSet[0], "overall")
	for i, g := range doc.Groups {
		delete(g, "key")
		delete(g, "period")
		require.Equal(t, figures(g), perSet[i+1], "group %d", i)
	}
	return recs[0]
}

// Key values that a spreadsheet would evaluate get a quote in front (repro
// csv_formula_injection.jsonl); numbers do not.
func TestCSVNeutralisesFormulas(t *testing.T) {
	s := emptySummary()
	s.GroupBy = []string{"agent"}
	for _, v := range []string{`=HYPERLINK("http://x.invalid","ana")`, "+1", "-2", "@SUM(A1)", "\tx", "\rx", "ana", "", "a=b"} {
		s.Groups = append(s.Groups, chatkpi.GroupSummary{Key: map[string]string{"agent": v},
			MetricsSummary: chatkpi.MetricsSummary{Conversations: 1, NPS: &chatkpi.NPSSummary{Responses: 1, Detractors: 1, Score: -100}}})
	}
	s.Overall.Conversion = &chatkpi.ConversionSummary{Value: map[string]string{"=X": "1"}}
	_, recs, rows := tidy(t, s)
	var agents []string
	for _, r := range recs {
		if r[0] == "group" && r[3] == "conversations" && r[4] == "count" {
			agents = append(agents, r[2])
		}
	}
	assert.Equal(t, []string{`'=HYPERLINK("http://x.invalid","ana")`, "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ana", "", "a=b"}, agents)
	assert.Equal(t, [2]string{"-100", "1"}, rows["group||ana|nps|score"], "numbers are written as they are")
	assert.Contains(t, rows, "overall|||conversion|value[=X]", "a statistic that starts with a letter stays")
}
