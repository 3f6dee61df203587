package chatkpi_test

import (
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// surveyAccumulator is what CSAT, NPS and CES have in common, for the
// properties every survey accumulator must have.
type surveyAccumulator[T any] interface {
	*T
	Add(score int) error
	Merge(o *T) error
	MarshalBinary() ([]byte, error)
	UnmarshalBinary(data []byte) error
}

// checkSurveyProperties checks, for accumulators made by fresh on answers
// drawn from the generator that fresh returns with them: merging the accumulators of any split of the answers
// equals the accumulator of all of them, the order of the answers does not
// matter, and decoding an encoding gives the accumulator back.
func checkSurveyProperties[T any, P surveyAccumulator[T]](t *testing.T, fresh func(*rapid.T) (func() P, *rapid.Generator[int])) {
	t.Run("merge of a split equals the whole", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			mk, score := fresh(t)
			scores := rapid.SliceOf(score).Draw(t, "scores")
			whole := mk()
			for _, s := range scores {
				require.NoError(t, whole.Add(s))
			}
			cuts := rapid.SliceOfN(rapid.IntRange(0, len(scores)), 0, 4).Draw(t, "cuts")
			merged := mk()
			from := 0
			for _, cut := range append(cuts, len(scores)) {
				if cut < from {
					continue
				}
				part := mk()
				for _, s := range scores[from:cut] {
					require.NoError(t, part.Add(s))
				}
				require.NoError(t, merged.Merge(part))
				from = cut
			}
			assert.Equal(t, whole, merged)
		})
	})
	t.Run("order does not matter", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			mk, score := fresh(t)
			scores := rapid.SliceOf(score).Draw(t, "scores")
			perm := rapid.Permutation(scores).Draw(t, "permutation")
			a, b := mk(), mk()
			for i := range scores {
				require.NoError(t, a.Add(scores[i]))
				require.NoError(t, b.Add(perm[i]))
			}
			assert.Equal(t, a, b)
		})
	})
	t.Run("binary round trip", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			mk, score := fresh(t)
			a := mk()
			for _, s := range rapid.SliceOf(score).Draw(t, "scores") {
				require.NoError(t, a.Add(s))
			}
			data, err := a.MarshalBinary()
			require.NoError(t, err)
			var b T
			require.NoError(t, P(&b).UnmarshalBinary(data))
			assert.Equal(t, a, P(&b))
		})
	})
}

// checkDecoded decodes data and, if it is accepted, checks that
// the result encodes and decodes to itself and that Result does not panic.
func checkDecoded[T any, P surveyAccumulator[T]](t *testing.T, data []byte, result func(P) error) {
	var a T
	if err := P(&a).UnmarshalBinary(data); err != nil {
		require.ErrorIs(t, err, chatkpi.ErrInvalid)
		return
	}
	again, err := P(&a).MarshalBinary()
	require.NoError(t, err)
	var b T
	require.NoError(t, P(&b).UnmarshalBinary(again))
	require.Equal(t, a, b)
	_ = result(&a)
}

func TestScale(t *testing.T) {
	s := chatkpi.Scale{Min: 1, Max: 5}
	assert.Equal(t, 5, s.Points())
	assert.Equal(t, "1–5", s.String())
	assert.True(t, s.Contains(1))
	assert.True(t, s.Contains(5))
	assert.False(t, s.Contains(0))
	assert.False(t, s.Contains(6))
}

func TestDistribution(t *testing.T) {
	var d chatkpi.Distribution
	d[1], d[4], d[5] = 2, 3, 5
	assert.Equal(t, int64(10), d.Total())
	assert.Equal(t, int64(8), d.Count(4, 5))
	assert.Equal(t, int64(10), d.Count(-3, 20), "bounds beyond the array are ignored")
	assert.Equal(t, int64(0), d.Count(6, 3))
}

func TestMeanScoreStandardError(t *testing.T) {
	var c chatkpi.CSAT
	require.NoError(t, c.Add(4))
	r, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, 4.0, r.Mean.Value)
	_, err = r.Mean.StandardError()
	require.ErrorIs(t, err, chatkpi.ErrUndefined, "one score has no sample standard deviation")

	require.NoError(t, c.Add(4))
	r, err = c.Result()
	require.NoError(t, err)
	se, err := r.Mean.StandardError()
	require.NoError(t, err)
	assert.Equal(t, 0.0, se, "identical scores have no spread")
}

// TestAddConversationMatchesAdd checks that reading survey conversations
// records the same answers as adding their scores one by one, for every
// survey kind, both from a *Chat and from an adapted conversation.
func TestAddConversationMatchesAdd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		scale := chatkpitest.Scale().Draw(t, "scale")
		byConv, err := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: scale.Min, Max: scale.Max}})
		require.NoError(t, err)
		byScore, _ := chatkpi.NewCSAT(chatkpi.CSATSettings{Scale: chatkpi.Scale{Min: scale.Min, Max: scale.Max}})
		var npsConv, npsScore chatkpi.NPS
		var cesConv, cesScore chatkpi.CES
		for _, c := range rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.CSATSurvey, scale), 0, 5).Draw(t, "csat") {
			require.NoError(t, byConv.AddConversation(c))
			scores, sent := chatkpitest.Answers(c, chatkpi.CSATSurvey)
			for _, s := range scores {
				require.NoError(t, byScore.Add(s))
			}
			require.NoError(t, byScore.AddSent(sent))
		}
		for _, c := range rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.NPSSurvey, chatkpi.Scale{Min: 0, Max: 10}), 0, 5).Draw(t, "nps") {
			require.NoError(t, npsConv.AddConversation(adapted(c)))
			scores, _ := chatkpitest.Answers(c, chatkpi.NPSSurvey)
			for _, s := range scores {
				require.NoError(t, npsScore.Add(s))
			}
		}
		for _, c := range rapid.SliceOfN(chatkpitest.SurveyChat(chatkpi.CESSurvey, chatkpi.Scale{Min: 1, Max: 7}), 0, 5).Draw(t, "ces") {
			require.NoError(t, cesConv.AddConversation(c))
			scores, _ := chatkpitest.Answers(c, chatkpi.CESSurvey)
			for _, s := range scores {
				require.NoError(t, cesScore.Add(s))
			}
		}
		assert.Equal(t, byScore, byConv)
		assert.Equal(t, npsScore, npsConv)
		assert.Equal(t, cesScore, cesConv)
	})
}

// event is a caller's own event type, adapted with chatkpi.Adapt so that
// tests also read conversations that are not a *chatkpi.Chat.
type event struct{ e chatkpi.Event }

func (e event) ChatEvent() chatkpi.Event { return e.e }

func adapted(c *chatkpi.Chat) chatkpi.Conversation {
	es := make([]event, len(c.Events))
	for i, e := range c.Events {
		es[i] = event{e}
	}
	return chatkpi.Adapt(c.Meta, es)
}
