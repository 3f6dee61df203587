package svgchart

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// elements parses svg as XML and counts the elements of each name that carry
// class="series".
func seriesElements(t *testing.T, svg string) map[string]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	counts := map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return counts
		}
		require.NoError(t, err, "chart is not well-formed XML")
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "class" && a.Value == "series" {
					counts[se.Name.Local]++
				}
			}
		}
	}
}

func TestShapes(t *testing.T) {
	c := Chart{
		Title:  `Conversations <per> "day" & more`,
		Labels: []string{"2026-11-01", "2026-11-02", "2026-11-03"},
		Series: []Series{{Name: "bot", Values: []float64{3, 0, 5}}, {Name: "human", Values: []float64{1, 2, 0.5}}},
	}
	line, err := Line(c)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"polyline": 2, "circle": 6}, seriesElements(t, line))
	assert.Contains(t, line, "Conversations &lt;per&gt; &#34;day&#34; &amp; more")

	bars, err := Bars(c)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"rect": 6}, seriesElements(t, bars))

	stacked, err := Stacked(c)
	require.NoError(t, err)
	// The 2026-11-02 row has a zero for "bot": its rect has zero width but
	// is still drawn; every row totals more than zero.
	assert.Equal(t, map[string]int{"rect": 6}, seriesElements(t, stacked))
	assert.NotContains(t, line+bars+stacked, "http://www.w3.org/1999/xlink", "no external references")
}

func TestBadInput(t *testing.T) {
	_, err := Line(Chart{Title: "t", Labels: []string{"a"}})
	assert.ErrorContains(t, err, "no series")
	_, err = Bars(Chart{Title: "t", Labels: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []float64{1}}}})
	assert.ErrorContains(t, err, `series "s" has 1 values for 2 labels`)
	_, err = Bars(Chart{Title: "t", Labels: []string{"a"}, Series: []Series{{Name: "s", Values: []float64{math.NaN()}}}})
	assert.ErrorContains(t, err, "value 0 is NaN")
	_, err = Stacked(Chart{Title: "t", Labels: []string{"a"}, Series: []Series{{Name: "s", Values: []float64{-1}}}})
	assert.ErrorContains(t, err, "negative value")
}

func TestNiceStep(t *testing.T) {
	for raw, want := range map[float64]float64{0.7: 1, 1: 1, 1.2: 2, 3: 5, 7: 10, 42: 50, 0.013: 0.02} {
		assert.InDelta(t, want, niceStep(raw), 1e-12, "raw %v", raw)
	}
}

func TestMissing(t *testing.T) {
	nan := math.NaN()
	c := Chart{
		Title:  "Containment and conversion",
		Labels: []string{"ana", "bot <1>"},
		Series: []Series{
			{Name: "containment", Values: []float64{nan, 60}, Missing: []bool{true, false}},
			{Name: "conversion", Values: []float64{1000, 4}, Missing: []bool{true, false}},
		},
		YUnit: "%",
	}
	bars, err := Bars(c)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"rect": 2}, seriesElements(t, bars), "no bar for a missing value")
	assert.Equal(t, 2, strings.Count(bars, `class="missing"`))
	assert.Contains(t, bars, "conversion ana: no data")
	assert.NotContains(t, bars, ">1000%<", "a missing value does not stretch the axis")
	assert.Contains(t, bars, ">60%<")

	line, err := Line(c)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"polyline": 2, "circle": 2}, seriesElements(t, line))

	_, err = Stacked(c)
	assert.ErrorContains(t, err, "missing")

	c.Series[0].Missing = []bool{true}
	_, err = Bars(c)
	assert.ErrorContains(t, err, "missing flags")
	c.Series[0].Missing = []bool{false, false}
	_, err = Bars(c)
	assert.ErrorContains(t, err, "NaN", "a value not marked missing must be finite")
}

func TestAxisIncludesZero(t *testing.T) {
	lo, hi := Chart{Series: []Series{{Values: []float64{110, 157, 111}}}, Labels: []string{"a", "b", "c"}}.extent()
	assert.Equal(t, 0.0, lo)
	assert.Equal(t, 157.0, hi)
	lo, hi = Chart{Series: []Series{{Values: []float64{-5, 3}}}, Labels: []string{"a", "b"}}.extent()
	assert.Equal(t, -5.0, lo)
	assert.Equal(t, 3.0, hi)
}

func TestAxisOfZeros(t *testing.T) {
	lo, hi := Chart{Series: []Series{{Values: []float64{0, 0}}}, Labels: []string{"a", "b"}}.extent()
	assert.Equal(t, 0.0, lo)
	assert.Equal(t, 1.0, hi)
}

// A line's interval band: one polygon per run of values with data, behind
// the line, and within the axis; bad bounds are errors.
func TestBand(t *testing.T) {
	c := Chart{Title: "CSAT", Labels: []string{"a", "b", "c", "d"}, YUnit: "%", Series: []Series{{
		Name: "CSAT", Values: []float64{50, 0, 60, 70}, Missing: []bool{false, true, false, false},
		Low: []float64{40, 0, 55, 65}, High: []float64{60, 0, 65, 120},
	}}}
	line, err := Line(c)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"polyline": 1, "circle": 3}, seriesElements(t, line))
	assert.Equal(t, 2, strings.Count(line, `<polygon class="band"`), "the missing value splits the band")
	assert.Less(t, strings.Index(line, "<polygon"), strings.Index(line, "<polyline"), "the band is behind the line")
	assert.Contains(t, line, ">150%<", "the axis reaches above the band's top, 120")

	for _, bad := range []func(c *Chart){
		func(c *Chart) { c.Series[0].Low[0] = 61 },
		func(c *Chart) { c.Series[0].High[2] = math.Inf(1) },
		func(c *Chart) { c.Series[0].High = c.Series[0].High[:3] },
	} {
		b := Chart{Title: c.Title, Labels: c.Labels, Series: []Series{c.Series[0]}}
		b.Series[0].Low = append([]float64(nil), c.Series[0].Low...)
		b.Series[0].High = append([]float64(nil), c.Series[0].High...)
		bad(&b)
		_, err := Line(b)
		assert.Error(t, err)
	}
	_, err = Bars(c)
	assert.ErrorContains(t, err, "only a line chart")
}
