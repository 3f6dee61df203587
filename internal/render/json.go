package render

import (
	"bytes"
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
//
// The groups are encoded and written one at a time, so the memory it takes
// is that of one group's JSON, not of the whole document; the bytes are
// those of [json.Encoder] with two-space indentation.
func JSON(w io.Writer, s *chatkpi.Summary) error {
	if s == nil {
		return errors.New("render: nil summary")
	}
	head := *s
	head.Groups = nil
	b, err := json.MarshalIndent(normalized(&head), "", "  ")
	if err != nil {
		return fmt.Errorf("render: json: %w", err)
	}
	// "groups" is the last field: write up to its empty list, then the
	// groups.
	const empty = "[]\n}"
	if !bytes.HasSuffix(b, []byte(empty)) {
		return errors.New("render: json: groups is not the summary's last field")
	}
	if len(s.Groups) == 0 {
		_, err := w.Write(append(b, '\n'))
		return err
	}
	if _, err := w.Write(append(b[:len(b)-len(empty)], "[\n"...)); err != nil {
		return err
	}
	for i := range s.Groups {
		g := normalizedGroup(s.Groups[i])
		gb, err := json.MarshalIndent(&g, "    ", "  ")
		if err != nil {
			return fmt.Errorf("render: json: %w", err)
		}
		sep := ",\n"
		if i == len(s.Groups)-1 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, "    "); err != nil {
			return err
		}
		if _, err := w.Write(append(gb, sep...)); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, "  ]\n}\n")
	return err
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
		c.Groups[i] = normalizedGroup(g)
	}
	return &c
}

// normalizedGroup returns g with empty maps for nil ones.
func normalizedGroup(g chatkpi.GroupSummary) chatkpi.GroupSummary {
	if g.Key == nil {
		g.Key = map[string]string{}
	}
	g.MetricsSummary = normalizedMetrics(g.MetricsSummary)
	return g
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
