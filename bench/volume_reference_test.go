package bench

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/require"
)

// TestVolumeMatchesReference checks the cached bucketing of chatkpi.Volume
// against a direct computation with Periods.Start for every event, in a zone
// with daylight saving time, with conversations in random order and some
// stretched over several days, weeks and months.
func TestVolumeMatchesReference(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, loc := range []*time.Location{time.UTC, ny} {
		ps, err := chatkpi.NewPeriods(loc, time.Sunday)
		require.NoError(t, err)
		chats := Generate(7, 30_000)
		r := rand.New(rand.NewPCG(7, 7))
		r.Shuffle(len(chats), func(i, j int) { chats[i], chats[j] = chats[j], chats[i] })
		for i, c := range chats {
			if i%7 == 0 { // stretch: each event up to ~20 days after the previous one
				evs := append([]chatkpi.Event(nil), c.Events...)
				shift := time.Duration(0)
				for k := range evs {
					shift += time.Duration(r.Int64N(int64(20 * 24 * time.Hour)))
					evs[k].Time = evs[k].Time.Add(shift)
				}
				chats[i] = &chatkpi.Chat{Meta: c.Meta, Events: evs}
			}
		}
		v, err := chatkpi.NewVolume(chatkpi.VolumeSettings{Periods: ps, GroupBy: chatkpi.GroupByChannel()})
		require.NoError(t, err)
		type key struct {
			p     chatkpi.Period
			start int64
			group string
		}
		want := map[key]chatkpi.VolumeCounts{}
		for _, c := range chats {
			require.NoError(t, v.AddConversation(c))
			for p := chatkpi.Day; p <= chatkpi.Year; p++ {
				k := key{p, ps.Start(c.Meta.Start, p).Unix(), c.Meta.Channel}
				w := want[k]
				w.Conversations++
				want[k] = w
				seen := map[int64]bool{k.start: true}
				w = want[k]
				w.Active++
				want[k] = w
				for i := range c.Events {
					e := &c.Events[i]
					k := key{p, ps.Start(e.Time, p).Unix(), c.Meta.Channel}
					w := want[k]
					if !seen[k.start] {
						seen[k.start] = true
						w.Active++
					}
					switch {
					case e.Type == chatkpi.Message && !e.Private, e.Type == chatkpi.Fallback:
						w.Messages++
					case e.Type == chatkpi.Resolved:
						w.Resolutions++
					}
					want[k] = w
				}
			}
		}
		got := map[key]chatkpi.VolumeCounts{}
		for p := chatkpi.Day; p <= chatkpi.Year; p++ {
			rows, err := v.Result(p)
			require.NoError(t, err)
			for _, row := range rows {
				got[key{p, row.Start.Unix(), row.Group}] = row.VolumeCounts
			}
		}
		require.Equal(t, want, got, loc.String())
	}
}
