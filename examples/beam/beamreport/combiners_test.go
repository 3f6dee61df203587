package beamreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/examples/beam/beamreport"
	"github.com/stretchr/testify/require"
)

// A calculator's combiner is used like the report's: registered, with a
// coder for its accumulator (its own MarshalBinary) and one for its result.
func init() {
	register.Combiner3[*chatkpi.FirstResponseTime, *chatkpi.Chat, chatkpi.FirstResponseResult](&chatkpi.FirstResponseCombiner{})
	register.DoFn1x2[*chatkpi.Chat, string, *chatkpi.Chat](&sourceKeyFn{})
	register.Function2x2(keyedFRTJSON)
	beam.RegisterCoder(reflect.TypeOf((*chatkpi.FirstResponseTime)(nil)), encodeFRT, decodeFRT)
	beam.RegisterCoder(reflect.TypeOf(chatkpi.FirstResponseResult{}), encodeFRTResult, decodeFRTResult)
}

type sourceKeyFn struct{}

func (*sourceKeyFn) ProcessElement(c *chatkpi.Chat) (string, *chatkpi.Chat) { return c.Meta.Source, c }

type keyedFRT struct {
	Key    string                      `json:"key"`
	Result chatkpi.FirstResponseResult `json:"result"`
}

func keyedFRTJSON(key string, r chatkpi.FirstResponseResult) (string, error) {
	b, err := json.Marshal(keyedFRT{Key: key, Result: r})
	return string(b), err
}

func encodeFRT(f *chatkpi.FirstResponseTime) ([]byte, error) { return f.MarshalBinary() }

func decodeFRT(b []byte) (*chatkpi.FirstResponseTime, error) {
	f := new(chatkpi.FirstResponseTime)
	if err := f.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return f, nil
}

func encodeFRTResult(r chatkpi.FirstResponseResult) ([]byte, error) { return json.Marshal(r) }

func decodeFRTResult(b []byte) (chatkpi.FirstResponseResult, error) {
	var r chatkpi.FirstResponseResult
	err := json.Unmarshal(b, &r)
	return r, err
}

// The first response time per brand, combined per key on prism with
// FirstResponseCombiner, equals FirstResponseTime per brand in one process.
func TestFirstResponseCombinerPerBrandEqualsSingleProcess(t *testing.T) {
	c := chatkpi.FirstResponseCombiner{Settings: chatkpi.FirstResponseSettings{HumanOnly: true,
		Durations: chatkpi.DurationsSettings{Quantiles: [chatkpi.MaxQuantiles]float64{0.5, 0.9}, SLA: [chatkpi.MaxSLATargets]time.Duration{time.Hour}}}}
	r, err := chatkpi.NewJSONLReader(bytes.NewReader(readFile(t, twitterFile)))
	require.NoError(t, err)
	chats, err := chatkpi.ReadConversations(r)
	require.NoError(t, err)
	perBrand := map[string]*chatkpi.FirstResponseTime{}
	for _, ch := range chats {
		f := perBrand[ch.Meta.Source]
		if f == nil {
			f, err = chatkpi.NewFirstResponseTime(c.Settings)
			require.NoError(t, err)
			perBrand[ch.Meta.Source] = f
		}
		require.NoError(t, f.AddConversation(ch))
	}
	want := map[string]string{}
	for k, f := range perBrand {
		res, err := f.Result()
		require.NoError(t, err, k) // every brand answered at least once
		line, err := keyedFRTJSON(k, res)
		require.NoError(t, err)
		want[k] = line
		// The coders, which prism may not call on fused stages.
		enc, err := encodeFRT(f)
		require.NoError(t, err)
		back, err := decodeFRT(enc)
		require.NoError(t, err)
		backRes, err := back.Result()
		require.NoError(t, err)
		require.Equal(t, res, backRes)
		encRes, err := encodeFRTResult(res)
		require.NoError(t, err)
		backRes, err = decodeFRTResult(encRes)
		require.NoError(t, err)
		require.Equal(t, res, backRes)
	}
	require.Greater(t, len(want), 10)

	glob, err := filepath.Abs(twitterFile)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "frt.jsonl")
	p, s := beam.NewPipelineWithRoot()
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow()))
	keyed := beam.ParDo(s, &sourceKeyFn{}, beamreport.Conversations(s, files))
	textio.Write(s, out, beam.ParDo(s, keyedFRTJSON, beam.CombinePerKey(s, c, keyed)))
	_, err = prism.Execute(context.Background(), p)
	require.NoError(t, err)

	b, err := os.ReadFile(out)
	require.NoError(t, err)
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var k keyedFRT
		require.NoError(t, json.Unmarshal([]byte(line), &k))
		require.NotContains(t, got, k.Key)
		got[k.Key] = line
	}
	require.Equal(t, want, got)
}
