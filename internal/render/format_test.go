package render

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSeconds(t *testing.T) {
	for in, want := range map[float64]string{
		0:            "0.0s",
		0.05:         "0.1s", // half away from zero
		41.25:        "41.3s",
		59.94:        "59.9s",
		59.96:        "1m00s",
		60:           "1m00s",
		124.5:        "2m05s", // half away from zero
		7481:         "2h04m41s",
		86399.4:      "23h59m59s",
		86399.5:      "1d00h00m",
		216007:       "2d12h00m",
		-90:          "-1m30s",
		1e30:         "1000000000000000000000000000000s",
		400000.00001: "4d15h07m",
	} {
		assert.Equal(t, want, seconds(in), "%v", in)
	}
}

func TestSortNumeric(t *testing.T) {
	keys := []string{"10", "p99.9", "2", "x", "p75", "1", "b"}
	sortNumeric(keys)
	assert.Equal(t, []string{"1", "2", "10", "p75", "p99.9", "b", "x"}, keys)
}

func TestDisplayKey(t *testing.T) {
	assert.Equal(t, "ana", displayKey("ana"))
	assert.Equal(t, `""`, displayKey(""))
	assert.Equal(t, `"a\tb"`, displayKey("a\tb"))
	assert.Equal(t, "Zoë · 客服", displayKey("Zoë · 客服"))
}
