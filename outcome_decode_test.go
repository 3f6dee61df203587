package chatkpi_test

import (
	"encoding"
	"encoding/binary"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outcWire builds encodings by hand: u appends unsigned varints, v signed
// ones, s length-prefixed strings, b raw bytes.
type outcWire []byte

func (w outcWire) u(xs ...uint64) outcWire {
	for _, x := range xs {
		w = binary.AppendUvarint(w, x)
	}
	return w
}

func (w outcWire) v(xs ...int64) outcWire {
	for _, x := range xs {
		w = binary.AppendVarint(w, x)
	}
	return w
}

func (w outcWire) s(x string) outcWire   { return append(w.u(uint64(len(x))), x...) }
func (w outcWire) b(xs ...byte) outcWire { return append(w, xs...) }

// outcVolumeRows encodes one UTC conversation on 1 January 1970 (a
// Thursday; its Monday week starts 3 days earlier) in all four bucket sizes.
func outcVolumeRows(dayStart int64, convs uint64) outcWire {
	w := outcWire{0x3a, 1}.s("UTC").b(1).s("").u(4)
	w = w.b(1).v(dayStart).s("").u(convs, 1, 2, 0)
	w = w.b(2).v(-3*86400).s("").u(1, 1, 2, 0)
	w = w.b(3).v(0).s("").u(1, 1, 2, 0)
	w = w.b(4).v(0).s("").u(1, 1, 2, 0)
	return w
}

// outcSuccessful encodes Outcomes (windows 1 ns and 100 ns) with one
// engaged conversation resolved by the bot, identified resolutions whose
// window has passed, and the number of customers of its ledger, which the
// caller appends.
func outcSuccessful(identified, customers uint64) outcWire {
	return outcWire{0x38, 1}.v(1, 100).b(0).u(0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, identified, 0, 0, 0).u(customers)
}

func TestOutcDecodersRejectInvalidState(t *testing.T) {
	valid := []struct {
		name string
		into encoding.BinaryUnmarshaler
		data outcWire
	}{
		{"volume", &chatkpi.Volume{}, outcVolumeRows(0, 1)},
		{"bot quality", &chatkpi.BotQuality{}, outcWire{0x39, 1}.u(1, 2, 1, 3)},
		{"agents", &chatkpi.Agents{}, outcWire{0x3b, 1}.u(1).s("ana").u(1, 1, 1).v(0).u(60)},
		{"presence", &chatkpi.Presence{}, outcWire{0x3c, 1}.u(1).s("ana").u(1).v(0).u(60).b(1).v(100, 100)},
	}
	valid = append(valid, struct {
		name string
		into encoding.BinaryUnmarshaler
		data outcWire
	}{"outcomes: one customer", &chatkpi.Outcomes{}, outcSuccessful(1, 1).s("a").v(0).b(0).u(1).v(0).u(1).v(10).u(0).b(0)})
	for _, tc := range valid {
		require.NoError(t, tc.into.UnmarshalBinary(tc.data), tc.name)
	}
	invalid := []struct {
		name string
		into encoding.BinaryUnmarshaler
		data outcWire
	}{
		{"volume: bucket not at a day start", &chatkpi.Volume{}, outcVolumeRows(1, 1)},
		{"volume: more new than active", &chatkpi.Volume{}, outcVolumeRows(0, 2)},
		{"volume: totals differ", &chatkpi.Volume{}, outcWire{0x3a, 1}.s("UTC").b(1).s("").u(1).b(1).v(0).s("").u(1, 1, 0, 0)},
		{"volume: week start", &chatkpi.Volume{}, outcWire{0x3a, 1}.s("UTC").b(7).s("").u(0)},
		{"volume: grouping", &chatkpi.Volume{}, outcWire{0x3a, 1}.s("UTC").b(1).s("page").u(0)},
		{"volume: zone", &chatkpi.Volume{}, outcWire{0x3a, 1}.s("Mars/Olympus").b(1).s("").u(0)},
		{"bot quality: more helpful than rated", &chatkpi.BotQuality{}, outcWire{0x39, 1}.u(3, 2, 1, 3)},
		{"bot quality: more fallbacks than replies", &chatkpi.BotQuality{}, outcWire{0x39, 1}.u(1, 2, 4, 3)},
		{"bot quality: ratings without replies", &chatkpi.BotQuality{}, outcWire{0x39, 1}.u(1, 2, 0, 0)},
		{"agents: no conversation", &chatkpi.Agents{}, outcWire{0x3b, 1}.u(1).s("ana").u(0, 1, 0)},
		{"agents: empty interval", &chatkpi.Agents{}, outcWire{0x3b, 1}.u(1).s("ana").u(1, 1, 1).v(0).u(0)},
		{"agents: unsorted", &chatkpi.Agents{}, outcWire{0x3b, 1}.u(2).s("bo").u(1, 0, 0).s("ana").u(1, 0, 0)},
		{"agents: empty id", &chatkpi.Agents{}, outcWire{0x3b, 1}.u(1).s("").u(1, 0, 0)},
		{"presence: online after its last event", &chatkpi.Presence{}, outcWire{0x3c, 1}.u(1).s("ana").u(0).b(1).v(200, 100)},
		{"presence: offline with a since", &chatkpi.Presence{}, outcWire{0x3c, 1}.u(1).s("ana").u(0).b(0).v(5, 100)},
		{"presence: bad boolean", &chatkpi.Presence{}, outcWire{0x3c, 1}.u(1).s("ana").u(0).b(2).v(0, 0)},
		{"outcomes: zero window", &chatkpi.Outcomes{}, outcWire{0x38, 1}.v(0, 1).b(0).u(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).u(0)},
		{"outcomes: more reopened than resolved", &chatkpi.Outcomes{}, outcWire{0x38, 1}.v(1, 1).b(0).u(0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0).u(0)},
		{"outcomes: more completed than engaged", &chatkpi.Outcomes{}, outcWire{0x38, 1}.v(1, 1).b(0).u(1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0).u(0)},
		{"outcomes: more repeated than resolved", &chatkpi.Outcomes{}, outcWire{0x38, 1}.v(1, 100).b(0).u(0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 2, 0).u(0)},
		{"outcomes: customer without contacts", &chatkpi.Outcomes{}, outcSuccessful(0, 1).s("a").v(0).b(0).u(0, 0)},
		{"outcomes: open resolution that a start repeats", &chatkpi.Outcomes{}, outcSuccessful(1, 1).s("a").v(0).b(0).u(2).v(0).u(20).u(1).v(10).u(0).b(0)},
		{"outcomes: more open resolutions than counted", &chatkpi.Outcomes{}, outcSuccessful(0, 1).s("a").v(0).b(0).u(1).v(0).u(1).v(10).u(0).b(0)},
		{"outcomes: a resolution of another set", &chatkpi.Outcomes{}, outcSuccessful(1, 1).s("a").v(0).b(0).u(1).v(0).u(1).v(10).u(1).b(0)},
		{"outcomes: dropped starts in an exact ledger", &chatkpi.Outcomes{}, outcSuccessful(1, 1).s("a").v(0).b(4).v(0, 0).u(1).v(0).u(1).v(10).u(0).b(0)},
		{"outcomes: a resolution before the first start", &chatkpi.Outcomes{}, outcSuccessful(1, 1).s("a").v(5).b(0).u(1).v(5).u(1).v(3).u(0).b(0)},
		{"outcomes: customers out of order", &chatkpi.Outcomes{}, outcSuccessful(1, 2).s("b").v(0).b(0).u(1).v(0).u(0).s("a").v(0).b(0).u(0).u(1).v(10).u(0).b(0)},
	}
	for _, tc := range invalid {
		err := tc.into.UnmarshalBinary(tc.data)
		assert.ErrorIs(t, err, chatkpi.ErrInvalid, tc.name)
		t.Log(tc.name, "→", err)
	}
}
