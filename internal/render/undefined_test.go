package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// A successful-chat rate that a streaming report could not give exactly is
// a row saying why, in the table and on the page, not one of the metrics
// without events.
func TestUndefinedSuccessfulChat(t *testing.T) {
	s := &chatkpi.Summary{SchemaVersion: 2, TimeZone: "UTC", WeekStart: "monday", Percentiles: "streaming",
		Overall:                 chatkpi.MetricsSummary{Conversations: 3, Resolutions: &chatkpi.ResolutionsSummary{Resolved: 3}},
		SuccessfulChatUndefined: "too far out of start order: needs exact mode"}
	var b bytes.Buffer
	require.NoError(t, Table(&b, s))
	require.Regexp(t, `(?m)^  successful chat\s+undefined\s+too far out of start order: needs exact mode$`, b.String())
	absent := regexp.MustCompile(`(?m)^  no events for: .*$`).FindString(b.String())
	require.NotContains(t, absent, "successful chat")
	b.Reset()
	require.NoError(t, HTML(&b, s, ""))
	require.Contains(t, b.String(), "successful chat</td><td>undefined</td>")
	require.Equal(t, 1, strings.Count(b.String(), ">successful chat<"))

	s.SuccessfulChatUndefined = ""
	b.Reset()
	require.NoError(t, Table(&b, s))
	require.NotContains(t, b.String(), "undefined")
}

// So is a first-contact resolution rate.
func TestUndefinedFirstContact(t *testing.T) {
	s := &chatkpi.Summary{SchemaVersion: 2, TimeZone: "UTC", WeekStart: "monday", Percentiles: "streaming",
		Overall:               chatkpi.MetricsSummary{Conversations: 3, Touches: &chatkpi.TouchesSummary{Resolved: 3}},
		FirstContactUndefined: "too far out of start order: needs exact mode"}
	var b bytes.Buffer
	require.NoError(t, Table(&b, s))
	require.Regexp(t, `(?m)^  first-contact resolution\s+undefined\s+too far out of start order: needs exact mode$`, b.String())
	b.Reset()
	require.NoError(t, HTML(&b, s, ""))
	require.Contains(t, b.String(), "first-contact resolution</td><td>undefined</td>")
}

// So is the availability of a streaming report whose presence events came
// out of start order, and the agents' online times say so.
func TestUndefinedAvailability(t *testing.T) {
	s := &chatkpi.Summary{SchemaVersion: 2, TimeZone: "UTC", WeekStart: "monday", Percentiles: "streaming",
		Overall: chatkpi.MetricsSummary{Conversations: 3, Agents: []chatkpi.AgentSummary{{Agent: "ana", Conversations: 3, Replies: 3}},
			AvailabilityUndefined: "presence out of start order: needs exact mode"}}
	var b bytes.Buffer
	require.NoError(t, Table(&b, s))
	require.Regexp(t, `(?m)^  availability\s+undefined\s+presence out of start order: needs exact mode$`, b.String())
	require.Contains(t, b.String(), "; online undefined")
	b.Reset()
	require.NoError(t, HTML(&b, s, ""))
	require.Contains(t, b.String(), "availability</td><td>undefined</td>")
	require.Contains(t, b.String(), `<td class="num">undefined</td></tr>`, "ana's online time")
}
