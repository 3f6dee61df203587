package chatkpi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The catalogue (../shared/METRICS.md) by name, with the field of the JSON
// summary that carries it. The money, comparison and retention sections
// are in summaries of their own (not here).
var catalogueFields = []struct{ metric, path string }{
	{"CSAT", "csat.percent"}, {"CSAT mean", "csat.mean"}, {"CSAT distribution", "csat.distribution"},
	{"CSAT response rate", "csat_response_rate"}, {"net CSAT", "csat.net"},
	{"NPS", "nps.score"}, {"NPS standard error", "nps.standard_error"},
	{"CES mean", "ces.mean"}, {"CES low effort", "ces.low_effort_percent"}, {"CES low effort interval", "ces.low_effort_ci_high"},
	{"FRT", "first_response_time"}, {"FRT unanswered", "first_response_time.unanswered"},
	{"FRT outbound", "first_response_time.outbound"}, {"FRT unengaged", "first_response_time.unengaged"},
	{"bot FRT", "bot_first_response_time"}, {"human FRT", "human_first_response_time"},
	{"response time", "response_time"}, {"resolution time", "resolution_time"}, {"full resolution time", "full_resolution_time"},
	{"reopens", "resolutions.reopens"}, {"resolve–reopen cycles", "resolutions.cycles"},
	{"chat duration", "chat_duration"}, {"active chat duration", "active_chat_duration"},
	{"queue wait", "queue_wait"}, {"abandonment", "queue_abandonment"},
	{"outcomes", "outcomes"}, {"containment", "containment"}, {"escalation", "escalation"},
	{"conversation completion", "completion"}, {"successful chat", "successful_chat"}, {"reopen rate", "reopen"},
	{"response accuracy", "bot_accuracy"}, {"fallback rate", "fallback_rate"},
	{"conversations", "conversations"}, {"messages", "messages"}, {"resolutions", "resolutions.resolved"},
	{"active conversations", "active_conversations"},
	{"agent conversations", "agents.0.conversations"}, {"agent replies", "agents.0.replies"},
	{"agent concurrency peak", "agents.0.max_concurrent"}, {"agent concurrency mean", "agents.0.mean_concurrency"},
	{"availability", "availability.0.online_hours"}, {"agent online time", "agents.0.online_seconds"},
	{"conversion", "conversion"}, {"goals", "conversion.goals"}, {"goal value", "conversion.value.EUR"},
	{"greeting funnel", "greeting_funnel.goal_rate"},
}

// Every metric of the catalogue is in the summary of data that has it.
func TestSummaryCarriesTheCatalogue(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ev := func(s int, e chatkpi.Event) chatkpi.Event { e.Time = at.Add(time.Duration(s) * time.Second); return e }
	rich := &chatkpi.Chat{Meta: chatkpi.Info{ID: "rich", Customer: "u9", Source: "greeting-a"}, Events: []chatkpi.Event{
		ev(0, chatkpi.Event{Type: chatkpi.Online, Role: chatkpi.Agent, Agent: "ana"}),
		ev(1, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer}),
		ev(3, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot}),
		ev(4, chatkpi.Event{Type: chatkpi.Feedback, Role: chatkpi.Customer, Helpful: true}),
		ev(5, chatkpi.Event{Type: chatkpi.Fallback, Role: chatkpi.Bot}),
		ev(6, chatkpi.Event{Type: chatkpi.Handoff, Role: chatkpi.Bot}),
		ev(7, chatkpi.Event{Type: chatkpi.Queued, Role: chatkpi.System}),
		ev(20, chatkpi.Event{Type: chatkpi.Joined, Role: chatkpi.Agent, Agent: "ana"}),
		ev(30, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"}),
		ev(300, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer}),
		ev(320, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"}),
		ev(330, chatkpi.Event{Type: chatkpi.Goal, Role: chatkpi.Customer, Value: decimal.New(1999, -2), Currency: "EUR"}),
		ev(340, chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"}),
		ev(350, chatkpi.Event{Type: chatkpi.Reopened, Role: chatkpi.Customer}),
		ev(360, chatkpi.Event{Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "ana"}),
		ev(370, chatkpi.Event{Type: chatkpi.SurveySent, Role: chatkpi.System, Survey: chatkpi.CSATSurvey}),
		ev(380, chatkpi.Event{Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: 5}),
		ev(390, chatkpi.Event{Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.NPSSurvey, Score: 9}),
		ev(400, chatkpi.Event{Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CESSurvey, Score: 6}),
		ev(4000, chatkpi.Event{Type: chatkpi.Offline, Role: chatkpi.Agent, Agent: "ana"}),
	}}
	outbound := &chatkpi.Chat{Meta: chatkpi.Info{ID: "out", Outbound: true}, Events: []chatkpi.Event{
		ev(10, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Agent, Agent: "ana"})}}
	shown := &chatkpi.Chat{Meta: chatkpi.Info{ID: "shown", Source: "greeting-a"}, Events: []chatkpi.Event{
		ev(12, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Bot})}}
	unanswered := &chatkpi.Chat{Meta: chatkpi.Info{ID: "silent"}, Events: []chatkpi.Event{
		ev(14, chatkpi.Event{Type: chatkpi.Message, Role: chatkpi.Customer})}}
	r, err := chatkpi.NewReport(chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics, ChatDuration: chatkpi.ChatDurationSettings{ActiveGap: time.Minute}})
	require.NoError(t, err)
	for _, c := range []*chatkpi.Chat{rich, outbound, shown, unanswered} {
		require.NoError(t, r.AddConversation(c))
	}
	s, err := r.Summary()
	require.NoError(t, err)
	b, err := json.Marshal(s.Overall)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(b, &doc))
	for _, f := range catalogueFields {
		v := lookupJSON(doc, f.path)
		require.NotNil(t, v, "%s (%s) is missing from the summary", f.metric, f.path)
	}
}

// lookupJSON follows a dotted path of object keys and array indexes; nil
// when a step is missing or null.
func lookupJSON(v any, path string) any {
	for len(path) > 0 {
		key := path
		if i := strings.IndexByte(path, '.'); i >= 0 {
			key, path = path[:i], path[i+1:]
		} else {
			path = ""
		}
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i := 0
			for _, c := range key {
				i = 10*i + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
		if v == nil {
			return nil
		}
	}
	return v
}
