package chatkpi

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestRetentionAndChurn(t *testing.T) {
	// 100 customers at the start, 90 at the end, 20 of them won during the
	// period: 70 of the 100 stayed, 30 left. The naive end ÷ start says 90 %.
	r, err := RetentionRate(100, 90, 20)
	require.NoError(t, err)
	assert.Equal(t, Proportion{70, 100}, r)
	c, err := ChurnRate(100, 90, 20)
	require.NoError(t, err)
	assert.Equal(t, Proportion{30, 100}, c)
	naive, err := EndToStartRatio(100, 90)
	require.NoError(t, err)
	assert.Equal(t, 0.9, naive)

	for _, tc := range []struct {
		s, e, n int64
		want    error
	}{
		{0, 0, 0, ErrNoData},
		{0, 5, 5, ErrNoData},
		{-1, 0, 0, ErrInvalid},
		{10, -1, 0, ErrInvalid},
		{10, 5, -1, ErrInvalid},
		{10, 5, 6, ErrInvalid},  // N > E
		{10, 15, 4, ErrInvalid}, // E − N > S
	} {
		_, err := RetentionRate(tc.s, tc.e, tc.n)
		assert.ErrorIs(t, err, tc.want, "%+v", tc)
		_, err = ChurnRate(tc.s, tc.e, tc.n)
		assert.ErrorIs(t, err, tc.want, "%+v", tc)
	}
	_, err = EndToStartRatio(0, 3)
	assert.ErrorIs(t, err, ErrNoData)
	_, err = EndToStartRatio(3, -1)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestChurnOverHorizon(t *testing.T) {
	for _, tc := range []struct {
		c    float64
		k    int
		want float64
	}{
		{0.05, 12, 1 - math.Pow(0.95, 12)}, // 0.4596399...
		{0.05, 1, 0.05},
		{0.3, 0, 0},
		{0, 10, 0},
		{1, 3, 1},
		{0.5, 2, 0.75},
	} {
		got, err := ChurnOverHorizon(tc.c, tc.k)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, got, 1e-15, "%+v", tc)
	}
	assert.InDelta(t, 0.45963991233736334, retentionMust(ChurnOverHorizon(0.05, 12)), 1e-15)
	for _, c := range []float64{-0.1, 1.1, math.NaN(), math.Inf(1)} {
		_, err := ChurnOverHorizon(c, 1)
		assert.ErrorIs(t, err, ErrInvalid, "%v", c)
	}
	_, err := ChurnOverHorizon(0.1, -1)
	assert.ErrorIs(t, err, ErrInvalid)
}

func retentionMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestRetentionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.Int64Range(1, 1<<40).Draw(t, "s")
		kept := rapid.Int64Range(0, s).Draw(t, "kept")
		n := rapid.Int64Range(0, 1<<40).Draw(t, "n")
		r, err := RetentionRate(s, kept+n, n)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ChurnRate(s, kept+n, n)
		if err != nil {
			t.Fatal(err)
		}
		if r.Successes+c.Successes != s || r.Trials != s || c.Trials != s {
			t.Fatalf("retention %v + churn %v ≠ start %d", r, c, s)
		}
		cf := rapid.Float64Range(0, 1).Draw(t, "c")
		k := rapid.IntRange(0, 120).Draw(t, "k")
		h, err := ChurnOverHorizon(cf, k)
		if err != nil || h < 0 || h > 1 || (k >= 1 && h < cf-1e-15) {
			t.Fatalf("horizon %v over %d periods of %v (%v)", h, k, cf, err)
		}
	})
}

func TestChurnByGroup(t *testing.T) {
	var g ChurnByGroup
	_, err := g.Groups()
	require.ErrorIs(t, err, ErrNoData)
	_, err = g.Total()
	require.ErrorIs(t, err, ErrNoData)
	for _, x := range []struct {
		k string
		c bool
	}{{"monthly", true}, {"monthly", false}, {"yearly", false}, {"monthly", true}} {
		g.Add(x.k, x.c)
	}
	groups, err := g.Groups()
	require.NoError(t, err)
	assert.Equal(t, []ChurnGroup{{"monthly", Proportion{2, 3}}, {"yearly", Proportion{0, 1}}}, groups)
	total, err := g.Total()
	require.NoError(t, err)
	assert.Equal(t, Proportion{2, 4}, total)

	data, err := g.MarshalBinary()
	require.NoError(t, err)
	var h ChurnByGroup
	require.NoError(t, h.UnmarshalBinary(data))
	assert.Equal(t, g, h)
	var m ChurnByGroup
	m.Add("yearly", true)
	require.NoError(t, m.Merge(&g))
	groups, _ = m.Groups()
	assert.Equal(t, []ChurnGroup{{"monthly", Proportion{2, 3}}, {"yearly", Proportion{1, 2}}}, groups)

	bad := newEncoder(tagChurnByGroup, 8)
	bad.uvarint(1)
	bad.string("k")
	bad.uvarint(3)
	bad.uvarint(2)
	require.ErrorIs(t, h.UnmarshalBinary(bad.finish()), ErrInvalid)
	assert.Equal(t, g, h)
}

func TestRepeatContacts(t *testing.T) {
	var r RepeatContacts
	_, err := r.Result()
	require.ErrorIs(t, err, ErrNoData)
	h := func(x float64) time.Time { return convT0.Add(time.Duration(x * float64(time.Hour))) }
	// u1: gaps 10 h (repeat), 30 h (not), 1 h (repeat); the last is never a
	// repeat. u2: one conversation. u3: two at the same instant (repeat),
	// then one exactly 24 h later (repeat: the window is inclusive).
	for _, x := range []struct {
		c string
		t float64
	}{{"u1", 40}, {"u1", 0}, {"u1", 10}, {"u1", 41}, {"u2", 3}, {"u3", 5}, {"u3", 5}, {"u3", 29}} {
		require.NoError(t, r.Add(x.c, h(x.t)))
	}
	p, err := r.Result()
	require.NoError(t, err)
	assert.Equal(t, Proportion{Successes: 4, Trials: 8}, p)

	short, err := NewRepeatContacts(time.Hour)
	require.NoError(t, err)
	require.ErrorIs(t, short.Merge(&r), ErrIncompatible)
	require.NoError(t, short.AddConversation(&Chat{Meta: Info{ID: "a", Customer: "u"}, Events: []Event{convMsg(0, Customer)}}))
	require.NoError(t, short.AddConversation(&Chat{Meta: Info{ID: "b", Customer: "u", Start: convAt(60)}}))
	p, err = short.Result()
	require.NoError(t, err)
	assert.Equal(t, Proportion{1, 2}, p)

	require.ErrorIs(t, r.Add("", h(1)), ErrInvalid)
	require.ErrorIs(t, r.Add("u", time.Time{}), ErrInvalid)
	require.ErrorIs(t, r.AddConversation(&Chat{Meta: Info{ID: "x", Customer: "u"}}), ErrInvalid)
	err = r.AddConversation(&Chat{Meta: Info{ID: "y"}, Events: []Event{convMsg(0, Customer)}})
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "y", ie.Conversation)
	require.ErrorIs(t, r.AddConversation(convChat("z", convMsg(5, Customer), convMsg(1, Agent))), ErrInvalid)
	_, err = NewRepeatContacts(0)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestRepeatContactsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		window := time.Duration(rapid.IntRange(1, 48).Draw(t, "window")) * time.Hour
		n := rapid.IntRange(0, 40).Draw(t, "n")
		type contact struct {
			c string
			t time.Time
		}
		cs := make([]contact, n)
		for i := range cs {
			cs[i] = contact{rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "c"), convAt(rapid.IntRange(-100000, 100000).Draw(t, "min"))}
		}
		split := rapid.IntRange(0, n).Draw(t, "split")
		whole, _ := NewRepeatContacts(window)
		left, _ := NewRepeatContacts(window)
		right, _ := NewRepeatContacts(window)
		for i, c := range cs {
			_ = whole.Add(c.c, c.t)
			if i < split {
				_ = left.Add(c.c, c.t)
			} else {
				_ = right.Add(c.c, c.t)
			}
		}
		if err := left.Merge(right); err != nil {
			t.Fatal(err)
		}
		data, err := left.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back RepeatContacts
		if err := back.UnmarshalBinary(data); err != nil {
			t.Fatal(err)
		}
		// Brute force: for each contact, is there another of the same
		// customer later in sorted order within the window?
		want := Proportion{Trials: int64(n)}
		byCustomer := map[string][]time.Time{}
		for _, c := range cs {
			byCustomer[c.c] = append(byCustomer[c.c], c.t)
		}
		for _, ts := range byCustomer {
			for i, ti := range ts {
				// ti is repeated unless it is the last in sorted order, taking
				// equal times in index order.
				next := time.Time{}
				for j, tj := range ts {
					later := tj.After(ti) || (tj.Equal(ti) && j > i)
					if later && (next.IsZero() || tj.Before(next)) {
						next = tj
					}
				}
				if !next.IsZero() && next.Sub(ti) <= window {
					want.Successes++
				}
			}
		}
		for _, acc := range []*RepeatContacts{whole, left, &back} {
			got, err := acc.Result()
			if n == 0 {
				if err == nil {
					t.Fatal("no data expected")
				}
				continue
			}
			if err != nil || got != want {
				t.Fatalf("got %v (%v), want %v", got, err, want)
			}
		}
	})
}

func FuzzRetentionUnmarshal(f *testing.F) {
	var r RepeatContacts
	_ = r.Add("u", convT0)
	_ = r.Add("u", convT0.Add(time.Hour))
	data, _ := r.MarshalBinary()
	f.Add(data)
	var g ChurnByGroup
	g.Add("a", true)
	gdata, _ := g.MarshalBinary()
	f.Add(gdata)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r RepeatContacts
		if r.UnmarshalBinary(data) == nil {
			_, _ = r.Result()
			again, err := r.MarshalBinary()
			require.NoError(t, err)
			var s RepeatContacts
			require.NoError(t, s.UnmarshalBinary(again))
		}
		var g ChurnByGroup
		if g.UnmarshalBinary(data) == nil {
			again, err := g.MarshalBinary()
			require.NoError(t, err)
			var h ChurnByGroup
			require.NoError(t, h.UnmarshalBinary(again))
		}
	})
}
