package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		render func(w *bytes.Buffer, s *chatkpi.Summary) error
	}{
		{"table", func(w *bytes.Buffer, s *chatkpi.Summary) error { return Table(w, s) }},
		{"json", func(w *bytes.Buffer, s *chatkpi.Summary) error { return JSON(w, s) }},
		{"csv", func(w *bytes.Buffer, s *chatkpi.Summary) error { return CSV(w, s) }},
	} {
		for _, fx := range []struct {
			name string
			s    *chatkpi.Summary
		}{{"report", fixture(t)}, {"empty", emptySummary()}} {
			t.Run(tc.name+"/"+fx.name, func(t *testing.T) {
				var b bytes.Buffer
				require.NoError(t, tc.render(&b, fx.s))
				ext := map[string]string{"table": "txt"}[tc.name]
				if ext == "" {
					ext = tc.name
				}
				golden(t, fx.name+"."+ext, b.Bytes())
			})
		}
	}
}

func TestJSONNullForNoData(t *testing.T) {
	s := fixture(t)
	var b bytes.Buffer
	require.NoError(t, JSON(&b, s))
	require.True(t, strings.HasSuffix(b.String(), "}\n"), "trailing newline")

	var doc struct {
		Overall map[string]json.RawMessage `json:"overall"`
		Groups  []struct {
			Key map[string]string `json:"key"`
			FRT struct {
				Count *int64          `json:"count"`
				Mean  json.RawMessage `json:"mean_seconds"`
				P50   json.RawMessage `json:"p50_seconds"`
			} `json:"first_response_time"`
			CSAT json.RawMessage `json:"csat"`
		} `json:"groups"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, "null", string(doc.Overall["queue_wait"]))
	assert.Equal(t, "null", string(doc.Overall["full_resolution_time"]))
	assert.Equal(t, "null", string(doc.Overall["reopen"]))
	chen := doc.Groups[4]
	require.Equal(t, "chen", chen.Key["agent"])
	assert.Equal(t, int64(0), *chen.FRT.Count, "a count of 0 is data")
	assert.Equal(t, "null", string(chen.FRT.Mean))
	assert.Equal(t, "null", string(chen.FRT.P50))
	assert.Equal(t, "null", string(chen.CSAT))

	// Round trip: JSON is the schema, decoding gives the same summary.
	var back chatkpi.Summary
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	s.Groups[3].Conversion.Value = map[string]string{} // written as {}
	s.Groups[4].Conversion.Value = map[string]string{}
	s.Groups[6].Conversion.Value = map[string]string{}
	assert.Equal(t, s, &back)
}

// TestJSONStreamsTheEncodersBytes: writing the groups one at a time gives
// the bytes of encoding the whole summary at once.
func TestJSONStreamsTheEncodersBytes(t *testing.T) {
	for _, s := range []*chatkpi.Summary{fixture(t), emptySummary()} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(normalized(s)))
		var got bytes.Buffer
		require.NoError(t, JSON(&got, s))
		assert.Equal(t, want.String(), got.String())
	}
}

func TestJSONEmptyCollections(t *testing.T) {
	var b bytes.Buffer
	s := emptySummary()
	s.Groups = []chatkpi.GroupSummary{{Period: "2026-11"}}
	require.NoError(t, JSON(&b, s))
	assert.Contains(t, b.String(), `"group_by": []`)
	assert.Contains(t, b.String(), `"key": {}`)
	assert.Nil(t, s.GroupBy, "the input is not modified")
	assert.Nil(t, s.Groups[0].Key, "the input is not modified")
}

func TestJSONRejectsNaN(t *testing.T) {
	s := emptySummary()
	s.RelativeAccuracy = 0
	s.Overall.NPS = &chatkpi.NPSSummary{Score: 0}
	s.Overall.NPS.StandardError = nanValue()
	err := JSON(&bytes.Buffer{}, s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "render: json")
}

func nanValue() float64 { zero := 0.0; return zero / zero }

func TestTableNoData(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Table(&b, fixture(t)))
	out := b.String()
	// One line names the metrics without events, instead of a line each.
	assert.Contains(t, out, "\n  no events for: reopen, full resolution time, queue wait\n")
	for _, line := range []string{"queue wait", "full resolution time", "reopen"} {
		assert.NotRegexp(t, `(?m)^\s+`+line+`\s`, out)
	}
	assert.Regexp(t, `(?m)^\s+2026-11-09\s+chen\s+chat\s+12\s+14\s+6\s+no data\s+no data\s+no data\s+no data\s+no data\s+0\.00 %\s*$`, out)
	assert.Contains(t, out, "151/362 (41.71 %)")
	assert.Contains(t, out, "6m52s", "mean FRT 412.37 s")
	assert.Contains(t, out, "2d12h00m", "p90 resolution 2.5 days")

	b.Reset()
	require.NoError(t, Table(&b, emptySummary()))
	assert.Equal(t, 1, strings.Count(b.String(), absentLabel))
	assert.Regexp(t, `(?m)^  no events for: .*CSAT, CSAT response rate, NPS, CES, outcomes, .*queue wait$`, b.String())
	assert.NotContains(t, b.String(), noData)
	assert.NotContains(t, b.String(), "durations", "no duration has data")
	assert.NotContains(t, b.String(), "Groups")
}

func TestTableQuotesControlCharacters(t *testing.T) {
	s := fixture(t)
	s.Groups[0].Key["agent"] = "evil\x1b[2J\tname\n"
	s.Groups[1].Key["agent"] = ""
	s.Groups[2].Key["agent"] = "Zoë"
	var b bytes.Buffer
	require.NoError(t, Table(&b, s))
	assert.NotContains(t, b.String(), "\x1b")
	assert.Contains(t, b.String(), `"evil\x1b[2J\tname\n"`)
	assert.Contains(t, b.String(), ` "" `)
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("disk full")
	}
	f.after--
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	s := fixture(t)
	for name, render := range map[string]func(w *failingWriter) error{
		"table": func(w *failingWriter) error { return Table(w, s) },
		"json":  func(w *failingWriter) error { return JSON(w, s) },
		"csv":   func(w *failingWriter) error { return CSV(w, s) },
		"html":  func(w *failingWriter) error { return HTML(w, s, "report") },
	} {
		assert.ErrorContains(t, render(&failingWriter{}), "disk full", name)
	}
	assert.Error(t, Table(&bytes.Buffer{}, nil))
	assert.Error(t, JSON(&bytes.Buffer{}, nil))
	assert.Error(t, CSV(&bytes.Buffer{}, nil))
	assert.Error(t, HTML(&bytes.Buffer{}, nil, ""))
}

func TestHeadingSaysDuplicatesDropped(t *testing.T) {
	s := fixture(t)
	for n, want := range map[int64]string{0: "calendar time\n", 1: "calendar time; 1 duplicate line dropped\n", 724: "calendar time; 724 duplicate lines dropped\n"} {
		s.DuplicatesDropped = n
		var table, page bytes.Buffer
		require.NoError(t, Table(&table, s))
		first, _, _ := strings.Cut(table.String(), "\n")
		assert.True(t, strings.HasSuffix(first+"\n", want), first)
		require.NoError(t, HTML(&page, s, "t"))
		assert.Equal(t, n > 0, strings.Contains(page.String(), "duplicate"), "the page's heading")
	}
}

// TestAbsentMetrics: a rate whose events never occur in the input is named
// in the "no events for" line with the metrics without data, and its group
// column goes; the same rate with its events present stays, 0 or not.
func TestAbsentMetrics(t *testing.T) {
	rate := func(n, of int64) *chatkpi.RateSummary {
		return &chatkpi.RateSummary{Count: n, Of: of, Percent: 100 * float64(n) / float64(of)}
	}
	secs := func(v float64) *float64 { return &v }
	timing := &chatkpi.TimingSummary{Count: 2, MeanSeconds: secs(60), P50Seconds: secs(60), P90Seconds: secs(60), P95Seconds: secs(60), P99Seconds: secs(60)}
	m := chatkpi.MetricsSummary{Conversations: 2, FirstResponseTime: timing, ResponseTime: timing, ChatDuration: timing,
		ResolutionTime: &chatkpi.TimingSummary{Unanswered: 2},
		Outcomes:       &chatkpi.OutcomeSummary{Abandoned: 2}, Containment: rate(0, 2), Escalation: rate(0, 2),
		Conversion: &chatkpi.ConversionSummary{RateSummary: rate(0, 2)}}
	assert.Equal(t, []string{"queue abandonment", "CSAT", "CSAT response rate", "NPS", "CES", "reopen", "resolutions", "completion",
		"successful chat", "bot accuracy", "fallback rate", "outcomes", "containment", "escalation", "conversion", "goals",
		"resolution time", "full resolution time", "queue wait"}, absentMetrics(&m, false))
	assert.Equal(t, []int{5, 6, 7, 8}, absentColumns(false, absentMetrics(&m, false)), "CSAT, NPS, containment, conversion")

	// No resolution: no resolutions, completion or successful chat; no goal:
	// no greeting funnel.
	m.Resolutions = &chatkpi.ResolutionsSummary{}
	m.Funnel = &chatkpi.FunnelSummary{}
	got := absentMetrics(&m, false)
	for _, name := range []string{"resolutions", "completion", "successful chat", "greeting funnel"} {
		assert.Contains(t, got, name)
	}
	m.Resolutions = &chatkpi.ResolutionsSummary{Resolved: 1}
	assert.NotContains(t, absentMetrics(&m, false), "resolutions")

	// A handoff makes outcomes, containment and escalation data; a goal,
	// conversion.
	m.Escalation = rate(1, 2)
	m.Outcomes = &chatkpi.OutcomeSummary{Abandoned: 1, Escalated: 1}
	m.Conversion = &chatkpi.ConversionSummary{RateSummary: rate(1, 2), Goals: 1}
	got = absentMetrics(&m, false)
	for _, name := range []string{"outcomes", "containment", "escalation", "conversion", "goals", "greeting funnel"} {
		assert.NotContains(t, got, name)
	}
	var b bytes.Buffer
	require.NoError(t, Table(&b, &chatkpi.Summary{Overall: m}))
	assert.Contains(t, b.String(), "  containment                 0/2 (0.00 %)")
	assert.Contains(t, b.String(), "  outcome: escalated          1 ")

	// With bot replies, containment is data even at 0.
	assert.NotContains(t, absentMetrics(&chatkpi.MetricsSummary{Escalation: rate(0, 2), Containment: rate(0, 2)}, true), "containment")
}

// The rest of the catalogue: net CSAT, the CES low-effort interval, the
// resolutions and reopens, completion, successful chat and each agent, with
// the figures of the fixture (the intervals are Wilson's, computed apart).
func TestTableCatalogue(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Table(&b, fixture(t)))
	out := b.String()
	for _, line := range []string{
		// (109 − 10) ÷ 130 = 76.15 %
		`net CSAT\s+\+76\.15\s+% satisfied − % dissatisfied; 10 dissatisfied`,
		`CES\s+mean 5\.00\s+61 responses on 1-7 agreement \(higher is better\); low effort 42 \(68\.85 %, 95 % CI 56\.41 to 79\.06 %\)`,
		`resolutions\s+350\s+21 reopened \(25 reopens, 24 resolve–reopen cycles\); 4 end reopened`,
		`completion\s+301/362 \(83\.15 %\)\s+95 % CI 78\.95 to 86\.65 %`,
		`successful chat\s+280/360 \(77\.78 %\)\s+95 % CI 73\.20 to 81\.77 %; 2 pending; 12 without a customer id`,
		`ana\s+165 conversations\s+1240 replies; concurrency peak 4, mean 1\.75 \(busy 2d02h00m\); online 6d06h00m`,
		`availability\s+10\.00 h a day\s+with an agent online, mean of 2 days 2026-11-02 to 2026-11-03`,
		`chen\s+12 conversations\s+0 replies; concurrency peak 0, mean no data \(busy 0\.0s\)`,
		`active conversations\s+412\s+with their start or an event in the period`,
		`greeting funnel\s+200 → 150 → 30\s+displayed → accepted → goal; accepted 150/200 \(75\.00 %\), goal 30/150 \(20\.00 %\) of accepted, 30/200 \(15\.00 %\) of displayed`,
	} {
		assert.Regexp(t, `(?m)^\s+`+line+`$`, out)
	}
	// The agents have a section of their own after the durations, so that
	// the overall metrics lead.
	agents, durations := strings.Index(out, "\nAgents\n\n  ana "), strings.Index(out, "\n  durations")
	require.True(t, agents > 0 && durations > 0, "an Agents section and the durations")
	assert.Less(t, durations, agents)
}
