package chatkpi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func priorityChats(ps ...string) []*Chat {
	var cs []*Chat
	for i, p := range ps {
		cs = append(cs, &Chat{Meta: Info{ID: "p" + string(rune('a'+i)), Priority: p}, Events: []Event{
			{Time: ticketAt(9, i), Type: Message, Role: Customer},
			{Time: ticketAt(10, i), Type: Resolved, Role: Agent},
		}})
	}
	return cs
}

func TestReportPriorities(t *testing.T) {
	list := [MaxPriorities]string{"urgent", "high", "normal", "low"}
	by := [MaxGroupings]Grouping{GroupByPriority()}
	s := ticketReport(t, ReportSettings{GroupBy: by, Priorities: list}, priorityChats("low", "urgent", "", "normal", "high", "urgent"))
	var order []string
	for _, g := range s.Groups {
		order = append(order, g.Key["priority"])
	}
	assert.Equal(t, []string{"urgent", "high", "normal", "low", ""}, order, "the list's order, none last")
	assert.Equal(t, int64(2), s.Groups[0].Conversations)

	plain := ticketReport(t, ReportSettings{GroupBy: by}, priorityChats("low", "urgent", "", "high"))
	order = order[:0]
	for _, g := range plain.Groups {
		order = append(order, g.Key["priority"])
	}
	assert.Equal(t, []string{"", "high", "low", "urgent"}, order, "without a list: by name")

	// A priority outside the list is an error naming the conversation.
	r, err := NewReport(ReportSettings{Priorities: list})
	require.NoError(t, err)
	err = r.AddConversation(priorityChats("urgent", "p2")[1])
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "pb", ie.Conversation)
	assert.Equal(t, "priority", ie.Field)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), `"p2" is not one of the priorities urgent, high, normal, low`)
	_, err = r.Summary()
	assert.ErrorIs(t, err, ErrNoData, "nothing recorded")

	for name, bad := range map[string][MaxPriorities]string{
		"twice": {"high", "high"},
		"gap":   {"high", "", "low"},
	} {
		_, err := NewReport(ReportSettings{Priorities: bad})
		assert.ErrorIs(t, err, ErrInvalid, name)
	}

	// The list is part of the settings: reports with other lists do not
	// merge, and an encoding carries it into a zero-value Report.
	a, err := NewReport(ReportSettings{GroupBy: by, Priorities: list})
	require.NoError(t, err)
	for _, c := range priorityChats("low", "urgent", "") {
		require.NoError(t, a.AddConversation(c))
	}
	other, err := NewReport(ReportSettings{GroupBy: by, Priorities: [MaxPriorities]string{"low", "urgent"}})
	require.NoError(t, err)
	assert.ErrorIs(t, a.Merge(other), ErrIncompatible)
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	var back Report
	require.NoError(t, back.UnmarshalBinary(b))
	want, err := a.Summary()
	require.NoError(t, err)
	got, err := back.Summary()
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, []string{"urgent", "high", "normal", "low"}, back.cfg.priorities)
}
