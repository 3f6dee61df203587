package render

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
)

// conversationColumns are the columns of the per-conversation export, in
// order; the JSON Lines objects have the same keys.
//
//	id, customer, channel, source, priority  the conversation's Info
//	start        Info.Start or the first event, RFC 3339 in the report's zone
//	agent        the agent handling it at its last event ("" for none)
//	handler      "human" if a human agent joined or replied, else "bot"
//	messages     public messages
//	outcome      resolved_by_bot, escalated, resolved_by_agent, abandoned or unengaged
//	frt_seconds, frt_status              first response (anyone), with its
//	human_frt_seconds, human_frt_status  status: answered, unanswered,
//	bot_frt_seconds, bot_frt_status      outbound, unengaged or not_escalated;
//	                                     the seconds only when answered
//	resolution_seconds       to the first resolution, when resolved
//	full_resolution_seconds  to the last resolution, when it ends resolved
//	reopens                  Reopened events
//	duration_seconds         first to last message
//	queue_wait_seconds       wait for an agent, when it waited and was served
//	queue_abandoned          true or false when it waited for an agent
//	csat, nps, ces           the answers' scores, in score order (";" between
//	                         several in CSV, an array in JSON Lines)
//	goals                    Goal events
//	value                    goal value per currency ("12.50 EUR", ";" between
//	                         currencies in CSV; {"EUR": "12.50"} in JSON Lines)
//
// Seconds are unrounded (nanosecond durations as decimal seconds). A cell
// is empty (null in JSON Lines) when its metric was not computed or the
// conversation has no such value.
func conversationColumns() []string {
	return []string{"id", "customer", "channel", "source", "priority", "start", "agent", "handler", "messages", "outcome",
		"frt_seconds", "frt_status", "human_frt_seconds", "human_frt_status", "bot_frt_seconds", "bot_frt_status",
		"resolution_seconds", "full_resolution_seconds", "reopens", "duration_seconds", "queue_wait_seconds",
		"queue_abandoned", "csat", "nps", "ces", "goals", "value"}
}

// ConversationWriter writes the per-conversation export: one CSV row or
// JSON Lines object per [chatkpi.MeasuredConversation], in the order given,
// holding one row at a time. The columns are those of conversationColumns
// (documented there, and in the command's README). CSV cells from the
// input (ids, names, currencies) are made safe for spreadsheets
// ([spreadsheetSafe]); JSON Lines values are as they are.
type ConversationWriter struct {
	loc   *time.Location
	csv   *csv.Writer   // CSV, or nil
	jsonl *bufio.Writer // JSON Lines, or nil
	rec   []string
	line  []byte
}

// NewConversationWriter returns a writer of the export in format "csv"
// (with a header line, written now) or "jsonl", with start times in loc.
func NewConversationWriter(w io.Writer, format string, loc *time.Location) (*ConversationWriter, error) {
	cw := &ConversationWriter{loc: loc, rec: make([]string, len(conversationColumns()))}
	switch format {
	case "csv":
		cw.csv = csv.NewWriter(w)
		if err := cw.csv.Write(conversationColumns()); err != nil {
			return nil, err
		}
	case "jsonl":
		cw.jsonl = bufio.NewWriter(w)
	default:
		return nil, fmt.Errorf("render: conversations: unknown format %q", format)
	}
	return cw, nil
}

// Write writes one conversation.
func (cw *ConversationWriter) Write(m *chatkpi.MeasuredConversation) error {
	cells := conversationCells(m, cw.loc)
	if cw.csv != nil {
		for i, c := range cells {
			cw.rec[i] = c.csv()
		}
		return cw.csv.Write(cw.rec)
	}
	// One object with the keys in the order of the columns.
	cw.line = append(cw.line[:0], '{')
	for i, name := range conversationColumns() {
		v, err := json.Marshal(cells[i].json())
		if err != nil {
			return err
		}
		if i > 0 {
			cw.line = append(cw.line, ',')
		}
		cw.line = strconv.AppendQuote(cw.line, name) // the names are ASCII letters and _
		cw.line = append(cw.line, ':')
		cw.line = append(cw.line, v...)
	}
	cw.line = append(cw.line, '}', '\n')
	_, err := cw.jsonl.Write(cw.line)
	return err
}

// Flush writes what is buffered and returns the first write error.
func (cw *ConversationWriter) Flush() error {
	if cw.csv != nil {
		cw.csv.Flush()
		return cw.csv.Error()
	}
	return cw.jsonl.Flush()
}

// cell is one value of the export: text (escaped in CSV), a number, a
// bool, a list of scores or money; null is the zero cell.
type cell struct {
	kind   byte // 0 null, 't' text, 'n' number, 'b' bool, 's' scores, 'm' money
	text   string
	num    float64
	b      bool
	scores []int
	money  chatkpi.Money
}

func (c cell) csv() string {
	switch c.kind {
	case 't':
		return spreadsheetSafe(c.text)
	case 'n':
		return num(c.num)
	case 'b':
		return strconv.FormatBool(c.b)
	case 's':
		parts := make([]string, len(c.scores))
		for i, s := range c.scores {
			parts[i] = strconv.Itoa(s)
		}
		return strings.Join(parts, ";")
	case 'm':
		var parts []string
		for _, cur := range c.money.Currencies() {
			parts = append(parts, c.money.Amount(cur).String()+" "+spreadsheetSafe(cur))
		}
		return strings.Join(parts, ";")
	}
	return ""
}

func (c cell) json() any {
	switch c.kind {
	case 't':
		return c.text
	case 'n':
		return json.Number(num(c.num))
	case 'b':
		return c.b
	case 's':
		return c.scores
	case 'm':
		v := map[string]string{}
		for _, cur := range c.money.Currencies() {
			v[cur] = c.money.Amount(cur).String()
		}
		return v
	}
	return nil
}

func text(s string) cell        { return cell{kind: 't', text: s} }
func number(x float64) cell     { return cell{kind: 'n', num: x} }
func secs(d time.Duration) cell { return number(d.Seconds()) }
func integer(n int64) cell      { return number(float64(n)) }
func boolean(b bool) cell       { return cell{kind: 'b', b: b} }
func when(ok bool, c cell) cell {
	if ok {
		return c
	}
	return cell{}
}
func statusText(s chatkpi.FRTStatus) cell {
	return text(strings.ReplaceAll(s.String(), " ", "_"))
}

// conversationCells returns the cells of m in the order of
// conversationColumns.
func conversationCells(m *chatkpi.MeasuredConversation, loc *time.Location) []cell {
	on := m.Metrics
	frt := func(metric chatkpi.Metric, d time.Duration, st chatkpi.FRTStatus) (cell, cell) {
		if on&metric == 0 {
			return cell{}, cell{}
		}
		return when(st == chatkpi.FRTAnswered, secs(d)), statusText(st)
	}
	frtS, frtSt := frt(chatkpi.MetricFirstResponse, m.FirstResponse, m.FirstResponseStatus)
	humS, humSt := frt(chatkpi.MetricBotAndHuman, m.HumanFirstResponse, m.HumanFirstResponseStatus)
	botS, botSt := frt(chatkpi.MetricBotAndHuman, m.BotFirstResponse, m.BotFirstResponseStatus)
	res := on&chatkpi.MetricResolutionTime != 0
	queue := on&chatkpi.MetricQueueWait != 0
	scores := func(metric chatkpi.Metric, d chatkpi.Distribution) cell {
		if on&metric == 0 || d.Total() == 0 {
			return cell{}
		}
		c := cell{kind: 's'}
		for score, n := range d {
			for range n {
				c.scores = append(c.scores, score)
			}
		}
		return c
	}
	conv := on&chatkpi.MetricConversion != 0
	return []cell{
		text(m.ID), text(m.Customer), text(m.Channel), text(m.Source), text(m.Priority),
		text(m.Start.In(loc).Format(time.RFC3339Nano)), text(m.Agent), text(m.Handler), integer(m.Messages),
		when(on&chatkpi.MetricOutcomes != 0, text(m.Outcome.String())),
		frtS, frtSt, humS, humSt, botS, botSt,
		when(res && m.Resolved, secs(m.ResolutionTime)), when(res && m.ResolvedAtEnd, secs(m.FullResolutionTime)),
		when(res, integer(m.Reopens)),
		when(on&chatkpi.MetricChatDuration != 0 && m.HasMessages, secs(m.ChatDuration)),
		when(queue && m.QueueServed, secs(m.QueueWait)), when(queue && m.Queued, boolean(m.QueueAbandoned)),
		scores(chatkpi.MetricCSAT, m.CSAT), scores(chatkpi.MetricNPS, m.NPS), scores(chatkpi.MetricCES, m.CES),
		when(conv, integer(m.Goals)), when(conv && !m.Value.IsZero(), cell{kind: 'm', money: m.Value}),
	}
}
