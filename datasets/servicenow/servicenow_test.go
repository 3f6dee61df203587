package servicenow_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/servicenow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const dataFile = "testdata/IT_Incident_Data.zip"

// The log is read once for all tests (about 40 MB of CSV).
var loadOnce = sync.OnceValues(func() (*servicenow.Log, error) { return servicenow.LoadFile(dataFile) })

func load(t *testing.T) *servicenow.Log {
	t.Helper()
	l, err := loadOnce()
	require.NoError(t, err)
	return l
}

func TestLoadQuirks(t *testing.T) {
	l := load(t)
	assert.Equal(t, servicenow.Quirks{Rows: 119998, Incidents: 20769, UnknownState: 2, OutOfOrder: 7,
		ResolvedWithoutTime: 1415, ResolutionMoved: 266, ResolutionAdded: 2, PriorityChanged: 319}, l.Quirks)
	require.Len(t, l.Incidents, 20769)
	require.Len(t, l.MadeSLA, 20769)
	ids := map[string]bool{}
	for i, c := range l.Incidents {
		require.NoError(t, chatkpi.Validate(c))
		require.False(t, ids[c.Meta.ID], c.Meta.ID)
		ids[c.Meta.ID] = true
		// The converted reopens are ServiceNow's reopen_count.
		n := 0
		for _, e := range c.Events {
			if e.Type == chatkpi.Reopened {
				n++
			}
		}
		require.Equal(t, l.ReopenCount[i], n, c.Meta.ID)
	}
}

// INC0000045: New (01:23, assigned to nobody) → Resolved at 08:53 and again
// at 11:29 (resolved_at), priority 3 - Moderate, by phone.
func TestLoadFirstIncident(t *testing.T) {
	l := load(t)
	c := l.Incidents[0]
	assert.Equal(t, "INC0000045", c.Meta.ID)
	at := func(d, h, m int) time.Time { return time.Date(2016, 2, d, h, m, 0, 0, time.UTC) }
	assert.Equal(t, at(29, 1, 16), c.Meta.Start)
	assert.Equal(t, "3 - Moderate", c.Meta.Priority)
	assert.Equal(t, "phone", c.Meta.Channel)
	assert.Equal(t, "Caller 2403", c.Meta.Customer)
	assert.Equal(t, map[string]string{"assignment_group": "Group 56", "category": "Category 55"}, c.Meta.Dims)
	var types []chatkpi.EventType
	for _, e := range c.Events {
		types = append(types, e.Type)
	}
	assert.Equal(t, []chatkpi.EventType{chatkpi.Resolved}, types, "%+v", c.Events)
	assert.True(t, l.MadeSLA[0])
}

// The figures computed independently in the data README (pandas and plain
// Python): resolved_at − opened_at over the incidents with a resolved_at,
// from chatkpi's own ResolutionTime on the converted incidents.
func TestRealDataResolutionTime(t *testing.T) {
	l := load(t)
	type fig struct {
		count    int64
		p50, p90 float64
	}
	want := map[string]fig{
		"1 - Critical": {220, 281400, 2301600},
		"2 - High":     {337, 173940, 1374024},
		"3 - Moderate": {18226, 87450, 1388130},
		"4 - Low":      {568, 82260, 2329596},
	}
	all := &chatkpi.ResolutionTime{}
	by := map[string]*chatkpi.ResolutionTime{}
	for _, c := range l.Incidents {
		require.NoError(t, all.AddConversation(c))
		if by[c.Meta.Priority] == nil {
			by[c.Meta.Priority] = &chatkpi.ResolutionTime{}
		}
		require.NoError(t, by[c.Meta.Priority].AddConversation(c))
	}
	check := func(name string, rt *chatkpi.ResolutionTime, f fig) {
		r, err := rt.Result()
		require.NoError(t, err)
		assert.Equal(t, f.count, r.Full.Count, name) // the incidents that end resolved, at resolved_at
		p50, _ := r.Full.Quantile(0.5)
		p90, _ := r.Full.Quantile(0.9)
		assert.InDelta(t, f.p50, p50.Seconds(), 1e-6, name)
		assert.InDelta(t, f.p90, p90.Seconds(), 1e-6, name)
	}
	check("all", all, fig{19351, 88560, 1430520})
	r, _ := all.Result()
	assert.InDelta(t, 675640.9529, r.Full.Mean.Seconds(), 1e-4)
	// Reopened: the resolved incidents with a reopen, ServiceNow's
	// reopen_count > 0. One of them (INC0011848, inserted resolved, reopened
	// and resolved again without a resolved_at) ends open: it counts as
	// resolved once (First) but is not in the full resolution times.
	assert.Equal(t, int64(234), r.Reopened)
	assert.Equal(t, int64(19352), r.Resolved)
	assert.Equal(t, int64(1), r.ReopenedOpen)
	assert.Equal(t, int64(20769-19352), r.Unresolved)
	require.Len(t, by, 4)
	for p, f := range want {
		check(p, by[p], f)
	}
}

// 4,775 incidents passed through Awaiting User Info (the README's figure),
// from chatkpi's WaitTimes: the conversations ever pending.
func TestRealDataPending(t *testing.T) {
	l := load(t)
	var w chatkpi.WaitTimes
	for _, c := range l.Incidents {
		require.NoError(t, w.AddConversation(c))
	}
	r, err := w.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(4775), r.Pending)
}

func TestLoadErrors(t *testing.T) {
	head := strings.Join(servicenow.Header(), ",") + "\n"
	good := "INC1,New,true,0,0,0,true,Caller 1,O,1/3/2016 10:00,C,1/3/2016 10:00,U,1/3/2016 10:00,Phone,L,Cat,S,Sy,?,2 - Medium,2 - Medium,3 - Moderate,Group 1,Agent 1,true,false,Do Not Notify,?,?,?,?,code 1,R,%s,?\n"
	row := func(resolvedAt string) string { return fmt.Sprintf(good, resolvedAt) }
	tests := []struct{ name, csv, want string }{
		{"bad header", strings.Replace(head, "number", "id", 1), `header is "id", want "number"`},
		{"bad time", head + strings.Replace(row("?"), "1/3/2016 10:00,Phone", "yesterday,Phone", 1), "sys_updated_at (column 14)"},
		{"bad mod count", head + strings.Replace(row("?"), "true,0,0,0,true", "true,0,0,x,true", 1), "sys_mod_count"},
		{"resolved before opened", head + row("1/3/2016 09:00"), "before opened_at"},
		{"bad made_sla", head + strings.Replace(row("?"), "0,0,0,true,Caller", "0,0,0,maybe,Caller", 1), "made_sla"},
		{"short row", head + "INC1,New\n", "column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := servicenow.Load(strings.NewReader(tt.csv))
			require.Error(t, err)
			assert.True(t, errors.Is(err, chatkpi.ErrInvalid), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	// A good row converts: opened 10:00, resolved 11:00, assigned to Agent 1.
	l, err := servicenow.Load(strings.NewReader(head + row("?") + strings.Replace(row("1/3/2016 11:00"), "New,true,0,0,0", "Resolved,true,0,0,1", 1)))
	require.NoError(t, err)
	require.Len(t, l.Incidents, 1)
	ev := l.Incidents[0].Events
	require.Len(t, ev, 2, "%+v", ev)
	assert.Equal(t, chatkpi.Joined, ev[0].Type)
	assert.Equal(t, "Agent 1", ev[0].Agent)
	// The Resolved row at 10:00 is the final resolution, moved to
	// resolved_at.
	assert.Equal(t, chatkpi.Event{Time: time.Date(2016, 3, 1, 11, 0, 0, 0, time.UTC), Type: chatkpi.Resolved, Role: chatkpi.Agent, Agent: "Agent 1"}, ev[1])
	assert.Equal(t, 1, l.Quirks.ResolutionMoved)
	_, err = servicenow.LoadFile("testdata/missing.zip")
	require.Error(t, err)
}
