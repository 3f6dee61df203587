package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -completion-window and -repeat-window change the completion and
// successful-chat rates. u1's c1 is resolved at 10:05 and reopened 2 h
// later, and u1's c2 is resolved for good; u2's c3 is resolved at 10:05 the
// next day and u2 writes again 2 h later (c4, resolved). By default (7
// days, 24 h) c1's reopen undoes its resolution and c4 is a repeat contact
// of c3: completion 3 of 4, successful chat 2 of 4 (c2, c4). With 1 h
// windows both come too late: completion 4 of 4 (c1's resolution held for
// its hour), successful chat 3 of 4 (c1 still does not end resolved).
func TestCompletionAndRepeatWindows(t *testing.T) {
	input := `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","customer":"u1"}
{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"c1","time":"2026-01-05T10:05:00Z","role":"agent","type":"resolved","agent":"ana"}
{"conversation":"c1","time":"2026-01-05T12:05:00Z","role":"customer","type":"reopened"}
{"conversation":"c2","time":"2026-01-05T13:05:00Z","role":"customer","type":"message","customer":"u1"}
{"conversation":"c2","time":"2026-01-05T13:06:00Z","role":"agent","type":"message","agent":"bob"}
{"conversation":"c2","time":"2026-01-05T13:10:00Z","role":"agent","type":"resolved","agent":"bob"}
{"conversation":"c3","time":"2026-01-06T10:00:00Z","role":"customer","type":"message","customer":"u2"}
{"conversation":"c3","time":"2026-01-06T10:01:00Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"c3","time":"2026-01-06T10:05:00Z","role":"agent","type":"resolved","agent":"ana"}
{"conversation":"c4","time":"2026-01-06T12:05:00Z","role":"customer","type":"message","customer":"u2"}
{"conversation":"c4","time":"2026-01-06T12:06:00Z","role":"agent","type":"message","agent":"bob"}
{"conversation":"c4","time":"2026-01-06T12:10:00Z","role":"agent","type":"resolved","agent":"bob"}
`
	def := summaryOf(t, input, "-")
	require.NotNil(t, def.Overall.Completion)
	assert.Equal(t, [2]int64{3, 4}, [2]int64{def.Overall.Completion.Count, def.Overall.Completion.Of})
	require.NotNil(t, def.Overall.SuccessfulChat)
	assert.Equal(t, [2]int64{2, 4}, [2]int64{def.Overall.SuccessfulChat.Count, def.Overall.SuccessfulChat.Of})
	require.Len(t, def.Overall.Agents, 2)
	assert.Equal(t, "ana", def.Overall.Agents[0].Agent)
	// ana holds c1 from her reply at 10:01 to its last event, the reopen
	// (7440 s), and c3 from 10:01 to its resolution (240 s).
	assert.Equal(t, 7680.0, def.Overall.Agents[0].OpenSeconds)
	assert.Equal(t, int64(2), def.Overall.Agents[0].Conversations)

	short := summaryOf(t, input, "-completion-window", "1h", "-repeat-window", "1h", "-")
	assert.Equal(t, [2]int64{4, 4}, [2]int64{short.Overall.Completion.Count, short.Overall.Completion.Of})
	assert.Equal(t, [2]int64{3, 4}, [2]int64{short.Overall.SuccessfulChat.Count, short.Overall.SuccessfulChat.Of})

	a := runCmd(t, input, "-")
	b := runCmd(t, input, "-completion-window", "1s", "-repeat-window", "1s", "-")
	require.Equal(t, 0, a.code, a.stderr)
	require.Equal(t, 0, b.code, b.stderr)
	assert.NotEqual(t, a.stdout, b.stdout)
}
