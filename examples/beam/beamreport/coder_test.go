package beamreport

import (
	"os"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// The coders are what Beam uses when elements cross process boundaries; on
// prism, fused stages may never call some of them, so they are tested here.
func TestCodersRoundTrip(t *testing.T) {
	f, err := os.Open("../../../cmd/chatkpi/data/twitter-customer-care.jsonl")
	require.NoError(t, err)
	defer f.Close()
	r, err := chatkpi.NewJSONLReader(f)
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	require.Len(t, chats, 1025)

	var c chatkpi.ReportCombiner
	whole := c.CreateAccumulator()
	for _, ch := range chats {
		b, err := encodeChat(ch)
		require.NoError(t, err)
		back, err := decodeChat(b)
		require.NoError(t, err)
		require.Equal(t, ch, back)
		_, err = c.AddInput(whole, back)
		require.NoError(t, err)
	}

	b, err := encodeReport(whole)
	require.NoError(t, err)
	back, err := decodeReport(b)
	require.NoError(t, err)
	want, err := whole.Summary()
	require.NoError(t, err)
	got, err := back.Summary()
	require.NoError(t, err)
	require.Equal(t, want, got)

	sb, err := encodeSummary(want)
	require.NoError(t, err)
	sback, err := decodeSummary(sb)
	require.NoError(t, err)
	require.Equal(t, want, sback)

	_, err = decodeReport(b[:len(b)-1])
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = decodeChat([]byte("{}\n"))
	require.ErrorIs(t, err, chatkpi.ErrInvalid)
	_, err = decodeChat(nil)
	require.Error(t, err)
}
