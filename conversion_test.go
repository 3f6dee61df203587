package chatkpi

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

var convT0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func convAt(min int) time.Time { return convT0.Add(time.Duration(min) * time.Minute) }

func convMsg(min int, r Role) Event { return Event{Time: convAt(min), Type: Message, Role: r} }

func convGoal(min int, value, currency string) Event {
	e := Event{Time: convAt(min), Type: Goal, Role: Customer, Currency: currency}
	if value != "" {
		e.Value = decimal.RequireFromString(value)
	}
	return e
}

func convChat(id string, evs ...Event) *Chat { return &Chat{Meta: Info{ID: id}, Events: evs} }

func TestConversion(t *testing.T) {
	var c Conversion
	_, err := c.Result()
	require.ErrorIs(t, err, ErrNoData)

	convs := []*Chat{
		convChat("a", convMsg(0, Customer), convMsg(1, Bot), convGoal(2, "10.50", "EUR"), convGoal(3, "5", "USD")),
		convChat("b", convMsg(0, Customer), convMsg(1, Agent)),
		convChat("c", convMsg(0, Customer), convGoal(5, "", ""), convGoal(6, "0.25", "EUR")),
		convChat("d"), // no events: a conversation that did not convert
	}
	for _, cv := range convs {
		require.NoError(t, c.AddConversation(cv))
	}
	r, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, Proportion{Successes: 2, Trials: 4}, r.Rate)
	assert.Equal(t, int64(4), r.GoalEvents)
	assert.Equal(t, []string{"EUR", "USD"}, r.Sales.Currencies())
	assert.Equal(t, "10.75", r.Sales.Amount("EUR").String())
	assert.Equal(t, "5", r.Sales.Amount("USD").String())
	assert.Equal(t, "EUR 10.75, USD 5", r.Sales.String())
	wi, _ := Proportion{2, 4}.Wilson(Z95)
	assert.Equal(t, wi, r.Interval)

	// Bad input changes nothing.
	before := c
	err = c.AddConversation(convChat("e", convMsg(5, Customer), convGoal(2, "1", "EUR")))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "e", ie.Conversation)
	assert.Equal(t, 1, ie.Event)
	assert.Equal(t, "time", ie.Field)
	require.ErrorIs(t, c.AddConversation(convChat("f", convGoal(1, "-1", "EUR"))), ErrInvalid)
	require.ErrorIs(t, c.AddConversation(convChat("g", convGoal(1, "1", ""))), ErrInvalid)
	require.ErrorIs(t, c.AddConversation(convChat("", convMsg(1, Customer))), ErrInvalid)
	assert.Equal(t, before.conversations, c.conversations)
	assert.True(t, before.sales.Equal(c.sales))

	// A Conversation that is not a *Chat goes through Event().
	var d Conversion
	require.NoError(t, d.AddConversation(Adapt(Info{ID: "x"}, []convPlainEvent{{convGoal(1, "2", "EUR")}})))
	r, err = d.Result()
	require.NoError(t, err)
	assert.Equal(t, Proportion{1, 1}, r.Rate)
}

type convPlainEvent struct{ e Event }

func (p convPlainEvent) ChatEvent() Event { return p.e }

func TestConversionPlain(t *testing.T) {
	var c Conversion
	c.Add(true)
	c.Add(false)
	c.Add(false)
	require.NoError(t, c.AddSale("EUR", decimal.RequireFromString("19.99")))
	require.ErrorIs(t, c.AddSale("eur", decimal.NewFromInt(1)), ErrInvalid)
	require.ErrorIs(t, c.AddSale("EUR", decimal.NewFromInt(-1)), ErrInvalid)
	r, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, Proportion{2, 4}, r.Rate)
	assert.Equal(t, "EUR 19.99", r.Sales.String())
}

func TestConversionByGroup(t *testing.T) {
	g, err := NewConversionByGroup(ConversionByGroupSettings{Period: Day})
	require.NoError(t, err)
	a := convChat("a", convMsg(0, Customer), convGoal(1, "3", "EUR"))
	b := convChat("b", convMsg(0, Customer))
	late := &Chat{Meta: Info{ID: "c", Start: convT0.Add(24 * time.Hour)}}
	require.NoError(t, g.AddConversation("A", a))
	require.NoError(t, g.AddConversation("A", b))
	require.NoError(t, g.AddConversation("A", late))
	require.NoError(t, g.AddConversation("B", b))
	require.NoError(t, g.Add("B", convT0, true))
	require.ErrorIs(t, g.AddConversation("B", convChat("empty")), ErrInvalid)
	require.ErrorIs(t, g.Add("B", time.Time{}, true), ErrInvalid)

	groups, err := g.Groups()
	require.NoError(t, err)
	require.Len(t, groups, 3)
	day0 := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, "A", groups[0].Key)
	assert.True(t, groups[0].Period.Equal(day0))
	assert.Equal(t, Proportion{1, 2}, groups[0].Rate)
	assert.Equal(t, "EUR 3", groups[0].Sales.String())
	assert.True(t, groups[1].Period.Equal(day0.AddDate(0, 0, 1)))
	assert.Equal(t, Proportion{0, 1}, groups[1].Rate)
	assert.Equal(t, "B", groups[2].Key)
	assert.Equal(t, Proportion{1, 2}, groups[2].Rate)
	total, err := g.Total()
	require.NoError(t, err)
	assert.Equal(t, Proportion{2, 5}, total.Rate)

	// Zero value: by key only.
	var z ConversionByGroup
	require.NoError(t, z.Add("x", time.Time{}, true))
	zg, err := z.Groups()
	require.NoError(t, err)
	assert.True(t, zg[0].Period.IsZero())

	require.ErrorIs(t, z.Merge(g), ErrIncompatible)
	_, err = NewConversionByGroup(ConversionByGroupSettings{Period: 9})
	require.ErrorIs(t, err, ErrInvalid)
	_, err = NewConversionByGroup(ConversionByGroupSettings{Periods: Periods{loc: time.FixedZone("X", 3600)}})
	require.ErrorIs(t, err, ErrInvalid)
	var empty ConversionByGroup
	_, err = empty.Groups()
	require.ErrorIs(t, err, ErrNoData)
}

func TestFunnel(t *testing.T) {
	var f Funnel
	_, err := f.Result()
	require.ErrorIs(t, err, ErrNoData)
	require.NoError(t, f.AddCounts(1000, 120, 30))
	require.NoError(t, f.Add(true, true))
	require.NoError(t, f.Add(false, false))
	require.ErrorIs(t, f.Add(false, true), ErrInvalid)
	require.ErrorIs(t, f.AddCounts(10, 11, 0), ErrInvalid)
	require.ErrorIs(t, f.AddCounts(10, 5, 6), ErrInvalid)
	require.ErrorIs(t, f.AddCounts(-1, 0, 0), ErrInvalid)
	r, err := f.Result()
	require.NoError(t, err)
	assert.Equal(t, FunnelResult{
		Displayed: 1002, Accepted: 121, Converted: 31,
		Acceptance: Proportion{121, 1002}, GoalRate: Proportion{31, 121}, Overall: Proportion{31, 1002},
	}, r)

	var g Funnel
	require.NoError(t, g.AddCounts(5, 0, 0))
	r, err = g.Result()
	require.NoError(t, err)
	_, err = r.GoalRate.Fraction()
	require.ErrorIs(t, err, ErrNoData)

	data, err := f.MarshalBinary()
	require.NoError(t, err)
	var h Funnel
	require.NoError(t, h.UnmarshalBinary(data))
	assert.Equal(t, f, h)
	bad := newEncoder(tagFunnel, 3)
	bad.uvarint(5)
	bad.uvarint(6)
	bad.uvarint(0)
	require.ErrorIs(t, h.UnmarshalBinary(bad.finish()), ErrInvalid)
	assert.Equal(t, f, h)
}

// drawConversations draws small conversations with goals in two currencies,
// each with a key and start day.
type convKeyedChat struct {
	key  string
	chat *Chat
}

func drawConversations(t *rapid.T) []convKeyedChat {
	n := rapid.IntRange(0, 30).Draw(t, "n")
	out := make([]convKeyedChat, n)
	for i := range out {
		start := convAt(rapid.IntRange(0, 5*24*60).Draw(t, "start"))
		evs := []Event{{Time: start, Type: Message, Role: Customer}}
		for range rapid.IntRange(0, 3).Draw(t, "goals") {
			cur := rapid.SampledFrom([]string{"EUR", "USD", ""}).Draw(t, "cur")
			e := Event{Time: start.Add(time.Minute), Type: Goal, Role: Customer}
			if cur != "" {
				e.Currency = cur
				e.Value = decimal.New(rapid.Int64Range(0, 100000).Draw(t, "cents"), -2)
			}
			evs = append(evs, e)
		}
		out[i] = convKeyedChat{key: rapid.SampledFrom([]string{"A", "B", "C"}).Draw(t, "key"),
			chat: &Chat{Meta: Info{ID: "c", Customer: rapid.SampledFrom([]string{"u1", "u2", "u3", "u4"}).Draw(t, "cust")}, Events: evs}}
	}
	return out
}

func TestConversionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		convs := drawConversations(t)
		split := rapid.IntRange(0, len(convs)).Draw(t, "split")
		mk := func() *ConversionByGroup {
			g, err := NewConversionByGroup(ConversionByGroupSettings{Period: Day})
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		whole, left, right := mk(), mk(), mk()
		var wc, lc, rc Conversion
		for i, kc := range convs {
			if err := whole.AddConversation(kc.key, kc.chat); err != nil {
				t.Fatal(err)
			}
			_ = wc.AddConversation(kc.chat)
			if i < split {
				_ = left.AddConversation(kc.key, kc.chat)
				_ = lc.AddConversation(kc.chat)
			} else {
				_ = right.AddConversation(kc.key, kc.chat)
				_ = rc.AddConversation(kc.chat)
			}
		}
		if err := left.Merge(right); err != nil {
			t.Fatal(err)
		}
		_ = lc.Merge(&rc)
		assertSameConversion(t, &wc, &lc)
		assertSameGroups(t, whole, left)

		data, err := whole.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back ConversionByGroup
		if err := back.UnmarshalBinary(data); err != nil {
			t.Fatal(err)
		}
		assertSameGroups(t, whole, &back)
		cdata, _ := wc.MarshalBinary()
		var cback Conversion
		if err := cback.UnmarshalBinary(cdata); err != nil {
			t.Fatal(err)
		}
		assertSameConversion(t, &wc, &cback)

		if r, err := wc.Result(); err == nil {
			if r.Rate.Successes > r.Rate.Trials || r.Interval.Low > r.Interval.High {
				t.Fatalf("bad result %+v", r)
			}
		} else if len(convs) != 0 {
			t.Fatal(err)
		}
	})
}

func assertSameConversion(t *rapid.T, a, b *Conversion) {
	if a.conversations != b.conversations || a.converted != b.converted || a.goals != b.goals || !a.sales.Equal(b.sales) {
		t.Fatalf("conversion differs: %+v vs %+v", a, b)
	}
}

func assertSameGroups(t *rapid.T, a, b *ConversionByGroup) {
	if len(a.groups) != len(b.groups) || !a.cfg.equal(b.cfg) {
		t.Fatalf("groups differ: %d vs %d", len(a.groups), len(b.groups))
	}
	for k, c := range a.groups {
		d, ok := b.groups[k]
		if !ok {
			t.Fatalf("group %v missing", k)
		}
		assertSameConversion(t, c, d)
	}
}

func TestConversionUnmarshalRejects(t *testing.T) {
	enc := func(conv, converted, goals uint64, money ...string) []byte {
		e := newEncoder(tagConversion, 8)
		e.uvarint(conv)
		e.uvarint(converted)
		e.uvarint(goals)
		e.uvarint(uint64(len(money) / 2))
		for i := 0; i+1 < len(money); i += 2 {
			e.string(money[i])
			e.string(money[i+1])
		}
		return e.finish()
	}
	var c Conversion
	require.NoError(t, c.UnmarshalBinary(enc(3, 1, 2, "EUR", "1.5")))
	for name, data := range map[string][]byte{
		"converted > conversations": enc(1, 2, 2),
		"goals < converted":         enc(3, 2, 1),
		"sales without conversion":  enc(3, 0, 0, "EUR", "1"),
		"negative money":            enc(3, 1, 1, "EUR", "-1"),
		"bad currency":              enc(3, 1, 1, "eur", "1"),
		"currency order":            enc(3, 1, 1, "USD", "1", "EUR", "1"),
		"huge exponent":             enc(3, 1, 1, "EUR", "1e99999"),
		"not a number":              enc(3, 1, 1, "EUR", "abc"),
		"trailing":                  append(enc(3, 1, 1), 0),
		"wrong tag":                 {tagFunnel, wireVersion, 0, 0, 0, 0},
		"truncated":                 enc(3, 1, 1)[:3],
	} {
		assert.ErrorIs(t, c.UnmarshalBinary(data), ErrInvalid, name)
	}
	r, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, "EUR 1.5", r.Sales.String())
}

func FuzzConversionUnmarshal(f *testing.F) {
	var c Conversion
	c.Add(true)
	_ = c.AddSale("EUR", decimal.RequireFromString("12.34"))
	data, _ := c.MarshalBinary()
	f.Add(data)
	g, _ := NewConversionByGroup(ConversionByGroupSettings{Period: Week})
	_ = g.Add("A", convT0, true)
	gdata, _ := g.MarshalBinary()
	f.Add(gdata)
	var fu Funnel
	_ = fu.AddCounts(3, 2, 1)
	fdata, _ := fu.MarshalBinary()
	f.Add(fdata)
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Conversion
		if c.UnmarshalBinary(data) == nil {
			again, _ := c.MarshalBinary()
			var d Conversion
			require.NoError(t, d.UnmarshalBinary(again))
		}
		var g ConversionByGroup
		if g.UnmarshalBinary(data) == nil {
			_, _ = g.Groups()
			again, err := g.MarshalBinary()
			require.NoError(t, err)
			var h ConversionByGroup
			require.NoError(t, h.UnmarshalBinary(again))
		}
		var fu Funnel
		if fu.UnmarshalBinary(data) == nil {
			_, err := fu.Result()
			_ = err
		}
	})
}

func TestConversionByGroupZoneRoundTrip(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ps, err := NewPeriods(berlin, time.Sunday)
	require.NoError(t, err)
	g, err := NewConversionByGroup(ConversionByGroupSettings{Period: Week, Periods: ps})
	require.NoError(t, err)
	// Saturday 23:30 and Sunday 00:30 Berlin time are in different weeks
	// starting Sunday, although both are on Saturday in UTC.
	sat := time.Date(2026, 3, 28, 23, 30, 0, 0, berlin)
	require.NoError(t, g.Add("A", sat, true))
	require.NoError(t, g.Add("A", sat.Add(time.Hour), false))
	require.NoError(t, g.AddSale("A", sat.Add(time.Hour), "EUR", roiDec("9.99")))
	require.ErrorIs(t, g.AddSale("A", sat, "EUR", roiDec("-1")), ErrInvalid)

	data, err := g.MarshalBinary()
	require.NoError(t, err)
	var back ConversionByGroup
	require.NoError(t, back.UnmarshalBinary(data))
	for _, acc := range []*ConversionByGroup{g, &back} {
		groups, err := acc.Groups()
		require.NoError(t, err)
		require.Len(t, groups, 2)
		assert.Equal(t, "Europe/Berlin", groups[0].Period.Location().String())
		assert.True(t, groups[0].Period.Equal(time.Date(2026, 3, 22, 0, 0, 0, 0, berlin)))
		assert.True(t, groups[1].Period.Equal(time.Date(2026, 3, 29, 0, 0, 0, 0, berlin)))
		assert.Equal(t, Proportion{1, 1}, groups[0].Rate)
		assert.Equal(t, Proportion{1, 2}, groups[1].Rate)
		assert.Equal(t, "EUR 9.99", groups[1].Sales.String())
	}
	require.NoError(t, back.Merge(g))
	total, err := back.Total()
	require.NoError(t, err)
	assert.Equal(t, Proportion{4, 6}, total.Rate)

	utcWeeks, _ := NewConversionByGroup(ConversionByGroupSettings{Period: Week})
	require.ErrorIs(t, utcWeeks.Merge(g), ErrIncompatible)
}
