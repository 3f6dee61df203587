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
	for _, line := range []string{"queue wait", "full resolution time", "reopen"} {
		assert.Regexp(t, `(?m)^\s+`+line+`\s+no data`, out)
	}
	assert.Regexp(t, `(?m)^\s+2026-11-09\s+chen\s+chat\s+12\s+no data\s+no data\s+no data\s+no data\s+no data\s+0\.00 %\s*$`, out)
	assert.Contains(t, out, "151/362 (41.71 %)")
	assert.Contains(t, out, "6m52s", "mean FRT 412.37 s")
	assert.Contains(t, out, "2d12h00m", "p90 resolution 2.5 days")

	b.Reset()
	require.NoError(t, Table(&b, emptySummary()))
	assert.Equal(t, 4, strings.Count(b.String(), "  NPS  ")+strings.Count(b.String(), "  CES  ")+strings.Count(b.String(), "  CSAT  ")+strings.Count(b.String(), "  outcomes  "))
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
