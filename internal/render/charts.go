package render

import (
	"fmt"
	"html/template"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// histogramCharts draws the histogram of each headline timing metric as
// bars, one chart per metric: the first response time and the response
// time (human and bot side by side when the data has bot replies), the
// resolution time, the chat duration and the queue wait. The caption gives
// the counts and the attainment of each SLA target. A metric without
// measured durations is a "no data" note.
func histogramCharts(s *chatkpi.Summary) ([]chart, error) {
	o := &s.Overall
	type series struct {
		name string
		t    *chatkpi.TimingSummary
	}
	list := []struct {
		title  string
		series []series
	}{
		{"First response time", []series{{"", o.FirstResponseTime}}},
		{"Response time", []series{{"", o.ResponseTime}}},
		{"Resolution time", []series{{"", o.ResolutionTime}}},
		{"Chat duration", []series{{"", o.ChatDuration}}},
		{"Queue wait", []series{{"", o.QueueWait}}},
	}
	if hasBots(o) {
		list[0].series = []series{{"human", o.HumanFirstResponseTime}, {"bot", o.BotFirstResponseTime}}
		list[1].series = []series{{"human", o.HumanResponseTime}, {"bot", o.BotResponseTime}}
	}
	var charts []chart
	for _, m := range list {
		var c svgchart.Chart
		var notes []string
		for _, sr := range m.series {
			t := sr.t
			if t == nil || t.Count == 0 || len(t.Histogram) == 0 {
				continue
			}
			labels := make([]string, len(t.Histogram))
			values := make([]float64, len(t.Histogram))
			for i, b := range t.Histogram {
				labels[i], values[i] = b.Label, float64(b.Count)
			}
			if c.Labels != nil && !equalStrings(c.Labels, labels) {
				return nil, fmt.Errorf("%s: the %s histogram has other buckets", m.title, sr.name)
			}
			c.Labels = labels
			c.Series = append(c.Series, svgchart.Series{Name: sr.name, Values: values})
			note := fmt.Sprintf("%d measured%s, %d never %s", t.Count, small(t.SmallSample), t.Unanswered, neverWhat(m.title))
			if sla := slaNote(t); sla != "" {
				note += "; SLA " + sla
			}
			if sr.name != "" {
				note = sr.name + ": " + note
			}
			notes = append(notes, note)
		}
		if len(c.Series) == 0 {
			charts = append(charts, noDataChart(m.title, "no "+lower(m.title)+" was measured"))
			continue
		}
		c.Title = m.title
		if len(c.Series) == 1 {
			c.Series[0].Name = "conversations"
		}
		svg, err := svgchart.Bars(c)
		if err != nil {
			return nil, err
		}
		note := ""
		for i, n := range notes {
			if i > 0 {
				note += ". "
			}
			note += n
		}
		charts = append(charts, chart{Title: m.title, SVG: template.HTML(svg), Note: note + "."})
	}
	return charts, nil
}

// neverWhat names what the unmeasured items of a timing metric lack.
func neverWhat(title string) string {
	switch title {
	case "Resolution time":
		return "resolved"
	case "Chat duration":
		return "had a message"
	case "Queue wait":
		return "served"
	}
	return "answered"
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// trendCharts draws the headline metrics per period as lines over every
// period from the first to the last in order (a period without data is a
// gap): the first response time p50 and p90 (human and bot when the data
// has bot replies), CSAT, containment and conversion in percent, and NPS,
// the last four with their 95 % intervals as bands.
// They need a report grouped by period only: with -group-by, a period's
// percentiles cannot be read from its groups, and each chart says so.
func trendCharts(s *chatkpi.Summary) ([]chart, error) {
	titles := []string{"First response time by period", "CSAT, containment and conversion by period", "NPS by period"}
	why := ""
	switch {
	case s.Period == "" || len(s.Groups) == 0:
		why = "the report is not grouped by period"
	case len(s.GroupBy) > 0:
		why = "trends are drawn for a report grouped by period only (without -group-by)"
	}
	if why != "" {
		out := make([]chart, len(titles))
		for i, t := range titles {
			out[i] = noDataChart(t, why)
		}
		return out, nil
	}
	// fillPeriods on the group indexes: 0 marks a period without a group.
	labels := make([]string, len(s.Groups))
	index := make([]float64, len(s.Groups))
	for i := range s.Groups {
		labels[i], index[i] = s.Groups[i].Period, float64(i+1)
	}
	labels, index = fillPeriods(s.Period, labels, index)
	group := func(i int) *chatkpi.MetricsSummary {
		if index[i] == 0 {
			return nil
		}
		return &s.Groups[int(index[i])-1].MetricsSummary
	}
	line := func(name string, get func(m *chatkpi.MetricsSummary) (float64, bool)) svgchart.Series {
		sr := svgchart.Series{Name: name, Values: make([]float64, len(labels)), Missing: make([]bool, len(labels))}
		for i := range labels {
			if m := group(i); m != nil {
				if v, ok := get(m); ok {
					sr.Values[i] = v
					continue
				}
			}
			sr.Missing[i] = true
		}
		return sr
	}
	// banded is a line with its 95 % interval as a band.
	banded := func(name string, get func(m *chatkpi.MetricsSummary) (v, lo, hi float64, ok bool)) svgchart.Series {
		sr := svgchart.Series{Name: name, Values: make([]float64, len(labels)), Missing: make([]bool, len(labels)),
			Low: make([]float64, len(labels)), High: make([]float64, len(labels))}
		for i := range labels {
			if m := group(i); m != nil {
				if v, lo, hi, ok := get(m); ok {
					sr.Values[i], sr.Low[i], sr.High[i] = v, lo, hi
					continue
				}
			}
			sr.Missing[i] = true
		}
		return sr
	}
	draw := func(title, unit, note string, series ...svgchart.Series) (chart, error) {
		var kept []svgchart.Series
		for _, sr := range series {
			for _, miss := range sr.Missing {
				if !miss {
					kept = append(kept, sr)
					break
				}
			}
		}
		if len(kept) == 0 {
			return noDataChart(title, "no period has these metrics"), nil
		}
		svg, err := svgchart.Line(svgchart.Chart{Title: title, Labels: labels, Series: kept, YUnit: unit})
		return chart{Title: title, SVG: template.HTML(svg), Note: note}, err
	}

	// First response time: in the unit that suits the largest p90.
	frt := []struct {
		name string
		get  func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary
	}{{"", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.FirstResponseTime }}}
	if hasBots(&s.Overall) {
		frt = []struct {
			name string
			get  func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary
		}{
			{"human ", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.HumanFirstResponseTime }},
			{"bot ", func(m *chatkpi.MetricsSummary) *chatkpi.TimingSummary { return m.BotFirstResponseTime }},
		}
	}
	top := 0.0
	for i := range labels {
		for _, f := range frt {
			if m := group(i); m != nil {
				if t := f.get(m); t != nil && t.P90Seconds != nil {
					top = max(top, *t.P90Seconds)
				}
			}
		}
	}
	unit, scale := "s", 1.0
	switch {
	case top >= 2*86400:
		unit, scale = "d", 86400
	case top >= 2*3600:
		unit, scale = "h", 3600
	case top >= 120:
		unit, scale = "min", 60
	}
	var frtSeries []svgchart.Series
	for _, f := range frt {
		for _, p := range []struct {
			name string
			of   func(t *chatkpi.TimingSummary) *float64
		}{{"p50", func(t *chatkpi.TimingSummary) *float64 { return t.P50Seconds }}, {"p90", func(t *chatkpi.TimingSummary) *float64 { return t.P90Seconds }}} {
			get, of := f.get, p.of
			frtSeries = append(frtSeries, line(f.name+p.name, func(m *chatkpi.MetricsSummary) (float64, bool) {
				if t := get(m); t != nil && of(t) != nil {
					return *of(t) / scale, true
				}
				return 0, false
			}))
		}
	}
	var out []chart
	c, err := draw(titles[0], unit, "Median and 90th percentile of each period; a gap is a period without answered conversations.", frtSeries...)
	if err != nil {
		return nil, err
	}
	out = append(out, c)

	rate := func(get func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary) func(m *chatkpi.MetricsSummary) (float64, float64, float64, bool) {
		return func(m *chatkpi.MetricsSummary) (float64, float64, float64, bool) {
			if r := get(m); r != nil && r.Of > 0 {
				return r.Percent, r.CILow, r.CIHigh, true
			}
			return 0, 0, 0, false
		}
	}
	c, err = draw(titles[1], "%", "Each period's share with its 95 % interval (Wilson) as a band; the tables give the counts.",
		banded("CSAT", func(m *chatkpi.MetricsSummary) (float64, float64, float64, bool) {
			if c := m.CSAT; c != nil && c.Responses > 0 {
				return c.Percent, c.CILow, c.CIHigh, true
			}
			return 0, 0, 0, false
		}),
		banded("containment", rate(func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary { return m.Containment })),
		banded("conversion", rate(func(m *chatkpi.MetricsSummary) *chatkpi.RateSummary {
			if m.Conversion != nil {
				return m.Conversion.RateSummary
			}
			return nil
		})))
	if err != nil {
		return nil, err
	}
	out = append(out, c)

	c, err = draw(titles[2], "", "% promoters − % detractors of each period's answers, with its 95 % interval as a band (drawn within −100 to +100).",
		banded("NPS", func(m *chatkpi.MetricsSummary) (float64, float64, float64, bool) {
			if n := m.NPS; n != nil && n.Responses > 0 {
				// The normal interval can pass the scale's ends; the
				// band stops there (the tables give the interval).
				return n.Score, max(n.CILow, -100), min(n.CIHigh, 100), true
			}
			return 0, 0, 0, false
		}))
	if err != nil {
		return nil, err
	}
	return append(out, c), nil
}
