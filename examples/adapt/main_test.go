package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, sample()))
	// CSAT: answers 5, 3, 4 → 2 of 3 satisfied; NPS: 10, 6, 8 → (1 − 1) / 3.
	require.Equal(t, "CSAT 66.67 % of 3 answers (95 % CI 20.77–93.85 %), mean 4.00\n"+
		"NPS 0.00 ± 47.14 (1 promoters, 1 passives, 1 detractors)\n"+
		"CES no data\n", out.String())
}

func TestRunRejectsOutOfScale(t *testing.T) {
	ts := sample()
	ts[1].Posts[2].Score = 6 // not on the 1–5 CSAT scale
	err := run(&bytes.Buffer{}, ts)
	require.ErrorContains(t, err, `conversation "t2": event 2: score`)
}
