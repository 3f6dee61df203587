package chatkpi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The settings block of a report's encoding is read for settings only: an
// encoding whose empty accumulators hold state (which every new group
// would start from) is rejected, not decoded into a zero-value Report.
func TestReportSettingsBlockHoldsNoState(t *testing.T) {
	r, err := NewReport(ReportSettings{Period: Day})
	require.NoError(t, err)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	chat := &Chat{Meta: Info{ID: "c"}, Events: []Event{
		{Time: at, Type: Message, Role: Customer},
		{Time: at.Add(time.Minute), Type: Message, Role: Agent, Agent: "ana"},
	}}
	good, err := r.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, new(Report).UnmarshalBinary(good))

	require.NoError(t, r.proto.frt.AddConversation(chat)) // state in the settings block
	r.setup(r.cfg, r.proto)
	bad, err := r.MarshalBinary()
	require.NoError(t, err)
	require.ErrorIs(t, new(Report).UnmarshalBinary(bad), ErrInvalid)
}
