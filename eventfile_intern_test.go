package chatkpi

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// intern gives each value back as an equal string that never shares the
// input's memory, and for the fields of few values the one string of each
// value while it is remembered: whatever the order of the values, also of
// values that share a slot of recent (same field, length, first and last
// bytes) and of several fields at once.
func TestInternIsAMapOfStrings(t *testing.T) {
	require.Equal(t, recentSlot(fAgent, "ada"), recentSlot(fAgent, "ava"), "the test's values share a slot")
	rapid.Check(t, func(t *rapid.T) {
		var p fieldParser
		first := map[[2]string]string{} // field name, value: the first string given
		values := rapid.SampledFrom([]string{"ada", "ava", "aba", "bob", "fay", "chat", "email", "a", "x"})
		fields := rapid.SampledFrom([]field{fAgent, fChannel, fSource, fCurrency, fCustomer})
		for i := range rapid.IntRange(1, 200).Draw(t, "n") {
			f, v := fields.Draw(t, "field"), values.Draw(t, "value")
			in := []byte(v)
			s := intern(&p, f, in)
			require.Equal(t, v, s, "value %d", i)
			require.NotEqual(t, uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(in))), "shares the input")
			in[0] = '!' // the reader reuses its buffer
			require.Equal(t, v, s, "changed with the input")
			if f == fCustomer {
				continue // not one of the fields of few values
			}
			key := [2]string{f.String(), v}
			if s0, ok := first[key]; ok {
				require.Equal(t, uintptr(unsafe.Pointer(unsafe.StringData(s0))), uintptr(unsafe.Pointer(unsafe.StringData(s))), "%q interned again", v)
			} else {
				first[key] = s
			}
		}
	})
}
