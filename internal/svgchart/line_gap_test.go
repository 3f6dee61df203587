package svgchart

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLineBreaksAtMissing: a missing value is a gap in the line, not a
// straight segment across it.
func TestLineBreaksAtMissing(t *testing.T) {
	c := Chart{Title: "gaps", Labels: []string{"a", "b", "c", "d", "e"},
		Series: []Series{{Name: "x", Values: []float64{1, 2, 0, 4, 5}, Missing: []bool{false, false, true, false, true}}}}
	svg, err := Line(c)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"polyline": 2, "circle": 3}, seriesElements(t, svg))
	assert.Equal(t, 1, strings.Count(svg, `points="456.0,`), "the run after the gap holds d alone")

	c.Series[0].Missing = []bool{true, true, true, true, true}
	svg, err = Line(c)
	require.NoError(t, err)
	assert.Empty(t, seriesElements(t, svg))
}
