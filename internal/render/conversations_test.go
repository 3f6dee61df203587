package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func measured(t *testing.T) []chatkpi.MeasuredConversation {
	var value chatkpi.Money
	require.NoError(t, value.Add("EUR", decimal.RequireFromString("12.50")))
	require.NoError(t, value.Add("USD", decimal.RequireFromString("3")))
	all := chatkpi.DefaultMetrics
	a := chatkpi.MeasuredConversation{ID: "a", Customer: "c1", Channel: "chat", Source: "greeting-a", Priority: "high",
		Start: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Agent: "ana", Handler: "human", Messages: 4, Metrics: all,
		FirstResponse: 5 * time.Second, FirstResponseStatus: chatkpi.FRTAnswered,
		HumanFirstResponse: 62500 * time.Millisecond, HumanFirstResponseStatus: chatkpi.FRTAnswered,
		BotFirstResponse: 5 * time.Second, BotFirstResponseStatus: chatkpi.FRTAnswered,
		Resolved: true, ResolvedAtEnd: false, ResolutionTime: 10 * time.Minute, Reopens: 1,
		ChatDuration: 6 * time.Minute, HasMessages: true, Queued: true, QueueServed: true, QueueWait: 20 * time.Second,
		Outcome: chatkpi.Escalated, Goals: 2, Value: value}
	a.CSAT[5], a.CSAT[4], a.NPS[9] = 1, 1, 1
	b := chatkpi.MeasuredConversation{ID: "=HYPERLINK(1)", Start: time.Date(2026, 11, 24, 23, 30, 0, 1, time.UTC), Handler: "bot",
		Metrics: all, FirstResponseStatus: chatkpi.FRTUnanswered, HumanFirstResponseStatus: chatkpi.FRTNotEscalated,
		BotFirstResponseStatus: chatkpi.FRTUnanswered, Queued: true, QueueAbandoned: true, Outcome: chatkpi.Abandoned, HasMessages: true, ChatDuration: 0}
	c := chatkpi.MeasuredConversation{ID: "c", Start: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), Handler: "bot", Metrics: chatkpi.MetricCSAT}
	return []chatkpi.MeasuredConversation{a, b, c}
}

func TestConversationWriterCSV(t *testing.T) {
	var b bytes.Buffer
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	w, err := NewConversationWriter(&b, "csv", berlin)
	require.NoError(t, err)
	for _, m := range measured(t) {
		require.NoError(t, w.Write(&m))
	}
	require.NoError(t, w.Flush())
	want := `id,customer,channel,source,priority,start,agent,handler,messages,outcome,frt_seconds,frt_status,human_frt_seconds,human_frt_status,bot_frt_seconds,bot_frt_status,resolution_seconds,full_resolution_seconds,reopens,duration_seconds,queue_wait_seconds,queue_abandoned,csat,nps,ces,goals,value
a,c1,chat,greeting-a,high,2026-11-23T10:00:00+01:00,ana,human,4,escalated,5,answered,62.5,answered,5,answered,600,,1,360,20,false,4;5,9,,2,12.5 EUR;3 USD
'=HYPERLINK(1),,,,,2026-11-25T00:30:00.000000001+01:00,,bot,0,abandoned,,unanswered,,not_escalated,,unanswered,,,0,0,,true,,,,0,
c,,,,,2026-11-25T09:00:00+01:00,,bot,0,,,,,,,,,,,,,,,,,,
`
	assert.Equal(t, want, b.String())
	recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	require.NoError(t, err)
	for _, r := range recs {
		assert.Len(t, r, len(conversationColumns()))
	}
}

func TestConversationWriterJSONL(t *testing.T) {
	var b bytes.Buffer
	w, err := NewConversationWriter(&b, "jsonl", time.UTC)
	require.NoError(t, err)
	for _, m := range measured(t) {
		require.NoError(t, w.Write(&m))
	}
	require.NoError(t, w.Flush())
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, `{"id":"a","customer":"c1","channel":"chat","source":"greeting-a","priority":"high","start":"2026-11-23T09:00:00Z","agent":"ana","handler":"human","messages":4,"outcome":"escalated","frt_seconds":5,"frt_status":"answered","human_frt_seconds":62.5,"human_frt_status":"answered","bot_frt_seconds":5,"bot_frt_status":"answered","resolution_seconds":600,"full_resolution_seconds":null,"reopens":1,"duration_seconds":360,"queue_wait_seconds":20,"queue_abandoned":false,"csat":[4,5],"nps":[9],"ces":null,"goals":2,"value":{"EUR":"12.5","USD":"3"}}`, lines[0])
	for _, l := range lines {
		var obj map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &obj))
		assert.Len(t, obj, len(conversationColumns()))
	}
	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &obj))
	assert.Equal(t, "=HYPERLINK(1)", obj["id"], "JSON Lines values are as they are")

	_, err = NewConversationWriter(&b, "xml", time.UTC)
	assert.Error(t, err)
}
