package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/chatkpi/chatkpi"
)

// JSON writes the summary in its stable schema ([chatkpi.Summary]) as
// indented JSON followed by a newline. Fields come in the order of the Go
// types and map keys in sorted order, so equal summaries give equal bytes.
// Metrics without data are null, never 0. Empty lists and maps are written
// as [] and {} rather than null, so a consumer can iterate over "groups",
// "group_by", "key", "distribution" and "value" without a null check.
// Floats keep full precision (shortest representation that round-trips).
func JSON(w io.Writer, s *chatkpi.Summary) error {
	if s == nil {
		return errors.New("render: nil summary")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(normalized(s)); err != nil {
		return fmt.Errorf("render: json: %w", err)
	}
	return nil
}

// normalized returns a copy of s whose nil slices and maps are empty ones.
// It copies only what it changes; s is not modified.
func normalized(s *chatkpi.Summary) *chatkpi.Summary {
	c := *s
	if c.GroupBy == nil {
		c.GroupBy = []string{}
	}
	c.Overall = normalizedMetrics(c.Overall)
	c.Groups = make([]chatkpi.GroupSummary, len(s.Groups))
	for i, g := range s.Groups {
		if g.Key == nil {
			g.Key = map[string]string{}
		}
		g.MetricsSummary = normalizedMetrics(g.MetricsSummary)
		c.Groups[i] = g
	}
	return &c
}

func normalizedMetrics(m chatkpi.MetricsSummary) chatkpi.MetricsSummary {
	if m.CSAT != nil && m.CSAT.Distribution == nil {
		csat := *m.CSAT
		csat.Distribution = map[string]int64{}
		m.CSAT = &csat
	}
	if m.CES != nil && m.CES.Distribution == nil {
		ces := *m.CES
		ces.Distribution = map[string]int64{}
		m.CES = &ces
	}
	if m.Conversion != nil && m.Conversion.Value == nil {
		conv := *m.Conversion
		conv.Value = map[string]string{}
		m.Conversion = &conv
	}
	return m
}
