package twitter_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/twitter"
)

func FuzzLoad(f *testing.F) {
	dev, err := os.ReadFile("testdata/dev.json")
	if err != nil {
		f.Fatal(err)
	}
	// The first conversation of dev.json as a seed.
	if i := bytes.Index(dev, []byte("},\n {")); i > 0 {
		f.Add(append(append([]byte(nil), dev[:i+1]...), ']'))
	}
	f.Add([]byte(`[{"agentURL":{"tweet_ID":"1245425308704149506"},"dialogHeader":{"company":"c","sessionID":"s"},"dialogContent":[{"client":"a","datetime":"2020-04-01T17:31:32.000Z"}]}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		chats, err := twitter.Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, chatkpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for _, c := range chats {
			if err := chatkpi.Validate(c); err != nil {
				t.Fatalf("converted conversation is invalid: %v", err)
			}
		}
	})
}
