package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/svgchart"
)

// maxChartGroups caps the bar groups of the by-group charts; the groups with
// the most conversations are drawn and the caption says how many were left
// out. Every group is still in the tables.
const maxChartGroups = 20

// HTML writes the summary as one self-contained HTML page: inline CSS, inline
// SVG charts and no script, font, image or style loaded from anywhere — it
// works offline, and a Content-Security-Policy of default-src 'none' makes
// the browser refuse any request should one slip in. The page shows headline
// figures, the charts (conversations per period; the histograms of the
// first response, response and resolution times, the chat duration and the
// queue wait, human and bot side by side when the data has bot replies,
// each captioned with its SLA attainment; the CSAT distribution, NPS
// promoters / passives / detractors, containment and conversion by group;
// the SLA attainment by group under an SLA policy;
// the first response time p50 / p90, CSAT, containment, conversion and NPS
// per period, and the availability per period from presence events, per
// agent when grouped by agent), a
// table per agent when the summary is grouped by "agent"
// (otherwise per group), every overall metric and the SLA attainment of
// every target. A chart without data is replaced by a short "no data" note.
//
// The title and every value from the data (group keys, periods, currencies)
// are escaped by [html/template]; the charts are trusted markup because
// [svgchart] escapes its own text.
//
// Conversations per period sums the groups of each period; when a
// conversation can belong to several groups of one period (one per agent who
// handled it, say) the sum counts it once per group.
func HTML(w io.Writer, s *chatkpi.Summary, title string) error {
	if s == nil {
		return errors.New("render: nil summary")
	}
	p, err := newPage(s, title)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		return fmt.Errorf("render: html: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

type page struct {
	Title, Settings string
	Cards           []card
	Charts          []chart
	GroupTitle      string
	GroupHead       []string
	GroupKeys       int // leading key columns of GroupHead
	GroupRows       []groupRow
	Metrics         []metricRow
	TimingHead      []string
	Timings         []timingRow
	SLA             []metricRow // SLA attainment per target (slaRows)
	SmallNote       string      // explains the small-sample mark, when a figure has it
	SampleNote      string      // explains the sample sizes of the group table
	AgentHead       []string
	Agents          []agentRow // per agent (agentTable)
	Sections        []section
}

type card struct{ Label, Value, Detail string }

// chart is one figure: SVG when there is data, otherwise Title and the note.
type chart struct {
	Title string
	SVG   template.HTML
	Note  string
}

type groupRow struct {
	First bool // first row of a new agent
	Keys  []string
	Cells []string
	N     []string // the sample size under each cell, or ""
}

func newPage(s *chatkpi.Summary, title string) (*page, error) {
	if title == "" {
		title = "chatkpi report"
	}
	bots := hasBots(&s.Overall)
	absent := absentMetrics(&s.Overall, bots)
	rows := presentRows(&s.Overall, absent)
	undefined, absent := undefinedRows(s, absent)
	p := &page{Title: title, Settings: settings(s), Metrics: append(rows, undefined...), TimingHead: timingColumns(), Timings: presentTimings(&s.Overall, bots, absent)}
	if len(absent) > 0 {
		p.Metrics = append(p.Metrics, metricRow{Name: absentLabel, Value: strings.Join(absent, ", ")})
	}
	if hasSmallSamples(s) {
		p.SmallNote = smallNote
	}
	p.Cards = presentCards(cards(&s.Overall, bots), absent)
	p.SLA = slaRows(p.Timings)
	one := func(draw func(*chatkpi.Summary) (chart, error)) func(*chatkpi.Summary) ([]chart, error) {
		return func(s *chatkpi.Summary) ([]chart, error) {
			c, err := draw(s)
			return []chart{c}, err
		}
	}
	for _, draw := range []func(*chatkpi.Summary) ([]chart, error){one(conversationsChart), one(outcomesChart), one(funnelChart), histogramCharts, one(csatChart), one(npsChart), groupRatesCharts, slaByGroupChart, trendCharts, availabilityChart} {
		cs, err := draw(s)
		if err != nil {
			return nil, fmt.Errorf("render: html: %w", err)
		}
		p.Charts = append(p.Charts, cs...)
	}
	p.groupTable(s)
	p.agentTable(s)
	p.Sections = sections(s)
	return p, nil
}

func cards(m *chatkpi.MetricsSummary, bots bool) []card {
	cs := []card{{"Conversations", fmt.Sprint(m.Conversations), fmt.Sprintf("%d messages", m.Messages)}}
	c := card{"First response, median", noData, ""}
	f := m.FirstResponseTime
	if bots {
		c.Label, f = "Human first response, median", m.HumanFirstResponseTime
	}
	if f != nil {
		c.Value = optSeconds(f.P50Seconds) + small(f.SmallSample && f.Count > 0)
		c.Detail = fmt.Sprintf("%d answered, %d unanswered", f.Count, f.Unanswered)
		if b := m.BotFirstResponseTime; bots && b != nil {
			c.Detail += "; bot median " + optSeconds(b.P50Seconds)
		}
	}
	cs = append(cs, c)
	c = card{"CSAT", noData, ""}
	if x := m.CSAT; x != nil {
		c.Value, c.Detail = percent(x.Percent)+small(x.SmallSample), fmt.Sprintf("%d of %d satisfied", x.Satisfied, x.Responses)
	}
	cs = append(cs, c)
	c = card{"NPS", noData, ""}
	if x := m.NPS; x != nil {
		c.Value = signed(x.Score) + small(x.SmallSample)
		c.Detail = fmt.Sprintf("± %s (standard error), %d responses", chatkpi.FormatFloat(x.StandardError, 2), x.Responses)
	}
	cs = append(cs, c)
	rateCard := func(label string, r *chatkpi.RateSummary) card {
		if r == nil {
			return card{label, noData, ""}
		}
		return card{label, percent(r.Percent) + small(r.SmallSample), fmt.Sprintf("%d of %d", r.Count, r.Of)}
	}
	cs = append(cs, rateCard("Containment", m.Containment))
	var conv *chatkpi.RateSummary
	if m.Conversion != nil {
		conv = m.Conversion.RateSummary
	}
	cs = append(cs, rateCard("Conversion", conv))
	return append(cs, ticketCards(m)...)
}

func noDataChart(title, why string) chart { return chart{Title: title, Note: "No data: " + why + "."} }

func conversationsChart(s *chatkpi.Summary) (chart, error) {
	const title = "Conversations per period"
	var labels []string
	var values []float64
	for i := range s.Groups {
		g := &s.Groups[i]
		if g.Period == "" {
			continue
		}
		if n := len(labels); n == 0 || labels[n-1] != g.Period {
			labels, values = append(labels, g.Period), append(values, 0)
		}
		values[len(values)-1] += float64(g.Conversations)
	}
	if len(labels) == 0 {
		return conversationsByGroupChart(s)
	}
	labels, values = fillPeriods(s.Period, labels, values)
	svg, err := svgchart.Line(svgchart.Chart{Title: title, Labels: labels, Series: []svgchart.Series{{Name: "conversations", Values: values}}})
	c := chart{Title: title, SVG: template.HTML(svg)}
	if len(s.GroupBy) > 0 {
		c.Note = "Sum over the groups of each period."
	}
	return c, err
}

// fillPeriods inserts the periods between the first and the last that have
// no conversation, with a count of 0: a month without conversations had
// none, and leaving it out would draw a line straight across it. Labels are
// local dates, so the calendar steps are taken on them directly. Labels that
// do not parse, or a span of more than maxFilledPeriods, are left as they are.
func fillPeriods(period string, labels []string, values []float64) ([]string, []float64) {
	const maxFilledPeriods = 5000
	var layout string
	var step func(time.Time) time.Time
	switch period {
	case "day":
		layout, step = "2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	case "week":
		layout, step = "2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	case "month":
		layout, step = "2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	case "year":
		layout, step = "2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
	default:
		return labels, values
	}
	first, err1 := time.Parse(layout, labels[0])
	last, err2 := time.Parse(layout, labels[len(labels)-1])
	if err1 != nil || err2 != nil {
		return labels, values
	}
	byLabel := make(map[string]float64, len(labels))
	for i, l := range labels {
		byLabel[l] = values[i]
	}
	var outL []string
	var outV []float64
	for t := first; !t.After(last); t = step(t) {
		if len(outL) == maxFilledPeriods {
			return labels, values
		}
		l := t.Format(layout)
		outL, outV = append(outL, l), append(outV, byLabel[l])
	}
	if len(outL) < len(labels) { // labels off the calendar grid: keep them
		return labels, values
	}
	return outL, outV
}

func csatChart(s *chatkpi.Summary) (chart, error) {
	const title = "CSAT answers"
	c := s.Overall.CSAT
	if c == nil || len(c.Distribution) == 0 {
		return noDataChart(title, "no satisfaction survey was answered"), nil
	}
	labels := sortedScores(c.Distribution)
	values := make([]float64, len(labels))
	for i, k := range labels {
		values[i] = float64(c.Distribution[k])
	}
	svg, err := svgchart.Bars(svgchart.Chart{Title: title + " (" + c.Scale + ")", Labels: labels, Series: []svgchart.Series{{Name: "answers", Values: values}}})
	return chart{Title: title, SVG: template.HTML(svg), Note: fmt.Sprintf("%s satisfied (%d of %d).", percent(c.Percent), c.Satisfied, c.Responses)}, err
}

// keyTotals sums the counts of one key over its periods. Counts add up
// across periods because each conversation and each answer belongs to one
// period.
type keyTotals struct {
	label                        string
	conversations                int64
	promoters, passives, critics int64
	contained, containmentOf     int64
	converted, conversionOf      int64
	hasContainment, hasConverted bool
	hasNPS                       bool
}

// byKey returns the totals per key (per period when the summary has no
// grouping names), in label order.
func byKey(s *chatkpi.Summary) []*keyTotals {
	idx := map[string]*keyTotals{}
	var out []*keyTotals
	for i := range s.Groups {
		g := &s.Groups[i]
		label := groupLabel(s, g)
		if len(s.GroupBy) == 0 {
			label = displayKey(g.Period)
		}
		k := idx[label]
		if k == nil {
			k = &keyTotals{label: label}
			idx[label] = k
			out = append(out, k)
		}
		k.conversations += g.Conversations
		if n := g.NPS; n != nil {
			k.hasNPS = true
			k.promoters, k.passives, k.critics = k.promoters+n.Promoters, k.passives+n.Passives, k.critics+n.Detractors
		}
		if c := g.Containment; c != nil {
			k.hasContainment = true
			k.contained, k.containmentOf = k.contained+c.Count, k.containmentOf+c.Of
		}
		if c := g.Conversion; c != nil && c.RateSummary != nil {
			k.hasConverted = true
			k.converted, k.conversionOf = k.converted+c.Count, k.conversionOf+c.Of
		}
	}
	if len(s.GroupBy) > 0 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].label < out[j].label })
	}
	return out
}

// largest keeps the n keys with the most conversations, in their order.
func largest(keys []*keyTotals, n int) []*keyTotals {
	if len(keys) <= n {
		return keys
	}
	ranked := slices.Clone(keys)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].conversations > ranked[j].conversations })
	keep := map[*keyTotals]bool{}
	for _, k := range ranked[:n] {
		keep[k] = true
	}
	return slices.DeleteFunc(slices.Clone(keys), func(k *keyTotals) bool { return !keep[k] })
}

func npsChart(s *chatkpi.Summary) (chart, error) {
	const title = "NPS: promoters, passives, detractors"
	o := s.Overall.NPS
	if o == nil || o.Responses == 0 {
		return noDataChart(title, "no NPS survey was answered"), nil
	}
	labels := []string{"overall"}
	p, pa, d := []float64{float64(o.Promoters)}, []float64{float64(o.Passives)}, []float64{float64(o.Detractors)}
	keys := slices.DeleteFunc(byKey(s), func(k *keyTotals) bool { return !k.hasNPS || k.promoters+k.passives+k.critics == 0 })
	periods := len(s.GroupBy) == 0 && len(keys) > 9 // too many for the rows: periods are all shown or none
	if periods {
		keys = nil
	}
	shown := largest(keys, 9) // the chart has room for ten rows
	for _, k := range shown {
		labels = append(labels, k.label)
		p, pa, d = append(p, float64(k.promoters)), append(pa, float64(k.passives)), append(d, float64(k.critics))
	}
	svg, err := svgchart.Stacked(svgchart.Chart{Title: title, Labels: labels, Series: []svgchart.Series{
		{Name: "promoters", Values: p, Color: "#4b9b5f"},
		{Name: "passives", Values: pa, Color: "#b8b8b8"},
		{Name: "detractors", Values: d, Color: "#c0504d"},
	}})
	c := chart{Title: title, SVG: template.HTML(svg), Note: fmt.Sprintf("NPS %s over %d responses.", npsText(o), o.Responses)}
	if periods {
		c.Note += " The NPS of every period is in the table."
	}
	if len(shown) < len(keys) {
		c.Note += fmt.Sprintf(" Rows: the %d of %d groups with the most conversations.", len(shown), len(keys))
	}
	return c, err
}

func ratesChart(s *chatkpi.Summary) (chart, error) {
	const title = "Containment and conversion by group"
	if ratesAbsent(s) {
		return noDataChart(title, "the input has no bot replies, handoffs or goals"), nil
	}
	keys := slices.DeleteFunc(byKey(s), func(k *keyTotals) bool {
		return k.containmentOf == 0 && k.conversionOf == 0
	})
	if len(keys) == 0 {
		return noDataChart(title, "no group has containment or conversion data"), nil
	}
	shown := largest(keys, maxChartGroups)
	marked := smallKeys(s, func(m *chatkpi.MetricsSummary) bool {
		return m.Containment != nil && m.Containment.SmallSample || m.Conversion != nil && m.Conversion.RateSummary != nil && m.Conversion.SmallSample
	})
	labels := make([]string, len(shown))
	cont := svgchart.Series{Name: "containment", Values: make([]float64, len(shown)), Missing: make([]bool, len(shown))}
	conv := svgchart.Series{Name: "conversion", Values: make([]float64, len(shown)), Missing: make([]bool, len(shown))}
	for i, k := range shown {
		labels[i] = k.label + small(marked[k.label])
		if k.containmentOf > 0 {
			cont.Values[i] = 100 * float64(k.contained) / float64(k.containmentOf)
		} else {
			cont.Missing[i] = true
		}
		if k.conversionOf > 0 {
			conv.Values[i] = 100 * float64(k.converted) / float64(k.conversionOf)
		} else {
			conv.Missing[i] = true
		}
	}
	svg, err := svgchart.Bars(svgchart.Chart{Title: title, Labels: labels, Series: []svgchart.Series{cont, conv}, YUnit: "%"})
	c := chart{Title: title, SVG: template.HTML(svg), Note: "Percent of conversations over all periods; n/a: no data."}
	if hasSmallLabel(labels) {
		c.Note += " " + smallMark + ": small sample."
	}
	if len(shown) < len(keys) {
		c.Note += fmt.Sprintf(" Shown: the %d of %d groups with the most conversations.", len(shown), len(keys))
	}
	return c, err
}

// groupTable fills the per-agent table when the summary is grouped by agent
// (rows by agent, then period), otherwise the per-group table.
func (p *page) groupTable(s *chatkpi.Summary) {
	if len(s.Groups) == 0 {
		return
	}
	periods := hasPeriods(s)
	agent := slices.Index(s.GroupBy, "agent")
	names := slices.Clone(s.GroupBy)
	p.GroupTitle = "By group"
	if agent >= 0 {
		p.GroupTitle = "By agent"
		names = append([]string{"agent"}, slices.Delete(names, agent, agent+1)...)
	}
	rows := make([]*chatkpi.GroupSummary, 0, len(s.Groups))
	for i := range s.Groups {
		g := &s.Groups[i]
		if _, ok := g.Key["agent"]; agent >= 0 && !ok {
			continue
		}
		rows = append(rows, g)
	}
	if agent >= 0 {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Key["agent"] < rows[j].Key["agent"] })
	}
	if periods {
		if agent >= 0 {
			p.GroupHead = append(p.GroupHead, "agent", "period")
			names = names[1:]
		} else {
			p.GroupHead = append(p.GroupHead, "period")
		}
	} else if agent >= 0 {
		p.GroupHead = append(p.GroupHead, "agent")
		names = names[1:]
	}
	p.GroupHead = append(p.GroupHead, names...)
	p.GroupKeys = len(p.GroupHead)
	p.SampleNote = sampleNote
	bots := hasBots(&s.Overall)
	drop := absentColumns(bots, absentMetrics(&s.Overall, bots))
	p.GroupHead = append(p.GroupHead, dropColumns(groupColumns(bots), drop)...)
	tickets := append(ticketGroupColumns(&s.Overall), availabilityGroupColumns(s)...)
	p.GroupHead = append(p.GroupHead, ticketGroupHeads(tickets)...)
	for i, g := range rows {
		r := groupRow{First: agent >= 0 && i > 0 && g.Key["agent"] != rows[i-1].Key["agent"]}
		if agent >= 0 {
			r.Keys = append(r.Keys, displayKey(g.Key["agent"]))
		}
		if periods {
			r.Keys = append(r.Keys, displayKey(g.Period))
		}
		for _, n := range names {
			r.Keys = append(r.Keys, displayKey(g.Key[n]))
		}
		r.Cells = dropColumns(groupCells(&g.MetricsSummary, bots), drop)
		r.N = dropColumns(groupSampleSizes(&g.MetricsSummary, bots), drop)
		cells, n := ticketGroupCells(tickets, &g.MetricsSummary)
		r.Cells, r.N = append(r.Cells, cells...), append(r.N, n...)
		p.GroupRows = append(p.GroupRows, r)
	}
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"nodata": func(s string) bool { return s == noData },
	"heat": func(sec section, row, col int) template.CSS {
		if row >= len(sec.Heat) || col >= len(sec.Heat[row]) {
			return ""
		}
		return template.CSS(heatStyle(sec.Heat[row][col]))
	},
}).Parse(pageHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{.Title}}</title>
<style>
body { margin: 0; background: #f4f5f7; color: #222; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; }
.settings { color: #666; margin: 0 0 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
.card { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card .label { color: #666; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 24px; font-weight: 600; margin: 2px 0; }
.card .detail { color: #666; font-size: 12px; }
.card .value.nodata { color: #aaa; font-weight: 400; font-style: italic; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; margin-top: 20px; }
figure { background: #fff; border-radius: 8px; margin: 0; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: #666; font-size: 12px; padding: 4px 8px 0; }
.no-data { min-height: 120px; display: flex; flex-direction: column; justify-content: center; align-items: center; color: #888; }
.no-data h3 { margin: 0 0 6px; color: #444; font-size: 14px; }
table { border-collapse: collapse; background: #fff; border-radius: 8px; box-shadow: 0 1px 2px rgba(0,0,0,.08); width: 100%; }
th, td { padding: 6px 12px; text-align: left; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #fafafa; font-weight: 600; color: #444; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nodata { color: #aaa; font-style: italic; }
td .n { display: block; color: #888; font-size: 11px; font-style: normal; }
tr.first td { border-top: 2px solid #ccc; }
.detail-col { color: #555; }
footer { color: #888; font-size: 12px; margin-top: 32px; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{with .Settings}}<p class="settings">{{.}}</p>{{end}}
<section class="cards">
{{- range .Cards}}
<div class="card"><div class="label">{{.Label}}</div><div class="value{{if nodata .Value}} nodata{{end}}">{{.Value}}</div><div class="detail">{{.Detail}}</div></div>
{{- end}}
</section>
<section class="charts">
{{- range .Charts}}
<figure>
{{- if .SVG}}
{{.SVG}}
{{- else}}
<div class="no-data"><h3>{{.Title}}</h3><p>{{.Note}}</p></div>
{{- end}}
{{- if and .SVG .Note}}
<figcaption>{{.Note}}</figcaption>
{{- end}}
</figure>
{{- end}}
</section>
{{- if .GroupRows}}
<h2>{{.GroupTitle}}</h2>
<table class="groups">
<thead><tr>{{range $i, $h := .GroupHead}}<th{{if ge $i $.GroupKeys}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .GroupRows}}{{$n := .N}}
<tr{{if .First}} class="first"{{end}}>{{range .Keys}}<td>{{.}}</td>{{end}}{{range $i, $c := .Cells}}<td class="num{{if nodata $c}} nodata{{end}}">{{$c}}{{with index $n $i}}<span class="n">n {{.}}</span>{{end}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<p class="settings">{{.SampleNote}}</p>
{{- end}}
{{- if .Agents}}
<h2>Agents</h2>
<table class="agents">
<thead><tr><th>agent</th>{{range .AgentHead}}<th class="num">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Agents}}
<tr><td>{{.Agent}}</td>{{range .Cells}}<td class="num{{if nodata .}} nodata{{end}}">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range $sec := .Sections}}
<h2>{{$sec.Title}}</h2>
<table class="section">
<thead><tr>{{range $i, $h := $sec.Head}}<th{{if $i}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range $r, $row := $sec.Rows}}
<tr>{{range $c, $v := $row}}<td{{if $c}} class="num{{if nodata $v}} nodata{{end}}"{{end}}{{with heat $sec $r $c}} style="{{.}}"{{end}}>{{$v}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{with $sec.Note}}<p class="settings">{{.}}</p>{{end}}
{{- end}}
<h2>Overall</h2>
<table class="metrics">
<thead><tr><th>metric</th><th>value</th><th>detail</th></tr></thead>
<tbody>
{{- range .Metrics}}
<tr><td>{{.Name}}</td><td{{if nodata .Value}} class="nodata"{{end}}>{{.Value}}</td><td class="detail-col">{{.Detail}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Timings}}
<h2>Durations</h2>
<table class="durations">
<thead><tr><th>duration</th>{{range .TimingHead}}<th class="num">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Timings}}
<tr><td>{{.Name}}</td>{{if .Cells}}{{range .Cells}}<td class="num{{if nodata .}} nodata{{end}}">{{.}}</td>{{end}}{{else}}<td class="nodata" colspan="{{len $.TimingHead}}">no data</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .SLA}}
<h2>SLA attainment</h2>
<table class="sla">
<thead><tr><th>target</th><th>within</th><th>interval</th></tr></thead>
<tbody>
{{- range .SLA}}
<tr><td>{{.Name}}</td><td>{{.Value}}</td><td class="detail-col">{{.Detail}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{with .SmallNote}}<p class="settings">{{.}}</p>{{end}}
<footer>Generated by chatkpi. This page is self-contained: it loads nothing from the network.</footer>
</main>
</body>
</html>
`
