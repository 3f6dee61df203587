package svgchart

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDonut(t *testing.T) {
	c := Chart{Title: "Outcomes <all>", Labels: []string{"bot", "agent", "none"}, Series: []Series{{Name: "conversations", Values: []float64{3, 1, 0}}}}
	svg, err := Donut(c)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"circle": 2}, seriesElements(t, svg), "no arc for a zero share")
	assert.Contains(t, svg, "Outcomes &lt;all&gt;")
	assert.Contains(t, svg, ">none</text>", "a zero share keeps its legend line")
	assert.Contains(t, svg, "bot: 3 (75.0%)")
	// The dashes add up to the circumference: the ring is closed.
	dashes := regexp.MustCompile(`stroke-dasharray="([0-9.]+) ([0-9.]+)"`).FindAllStringSubmatch(svg, -1)
	require.Len(t, dashes, 2)
	sum := 0.0
	for _, d := range dashes {
		l, _ := strconv.ParseFloat(d[1], 64)
		gap, _ := strconv.ParseFloat(d[2], 64)
		assert.InDelta(t, 2*math.Pi*86, l+gap, 0.02)
		sum += l
	}
	assert.InDelta(t, 2*math.Pi*86, sum, 0.02)

	whole, err := Donut(Chart{Title: "all", Labels: []string{"a"}, Series: []Series{{Name: "n", Values: []float64{5}}}})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"circle": 1}, seriesElements(t, whole), "a 100 % share is one full ring")

	for _, bad := range []Chart{
		{Title: "empty", Labels: []string{"a"}, Series: []Series{{Values: []float64{0}}}},
		{Title: "negative", Labels: []string{"a", "b"}, Series: []Series{{Values: []float64{2, -1}}}},
		{Title: "missing", Labels: []string{"a"}, Series: []Series{{Values: []float64{1}, Missing: []bool{true}}}},
		{Title: "two", Labels: []string{"a"}, Series: []Series{{Values: []float64{1}}, {Values: []float64{1}}}},
		{Title: "nan", Labels: []string{"a"}, Series: []Series{{Values: []float64{math.NaN()}}}},
	} {
		_, err := Donut(bad)
		assert.Error(t, err, bad.Title)
	}
}
