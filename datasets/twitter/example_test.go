package twitter_test

import (
	"fmt"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/twitter"
)

func ExampleLoadFile() {
	var frt chatkpi.FirstResponseTime
	n := 0
	for _, f := range []string{"testdata/dev.json", "testdata/test.json"} {
		chats, err := twitter.LoadFile(f)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range chats {
			if err := frt.AddConversation(c); err != nil {
				fmt.Println(err)
				return
			}
		}
		n += len(chats)
	}
	r, _ := frt.Result()
	p50, _ := r.Stats.Quantile(0.5)
	p90, _ := r.Stats.Quantile(0.9)
	fmt.Println("conversations:", n, "answered:", r.Answered)
	fmt.Printf("p50 %.3f s, p90 %.4f s, mean %.4f s\n", p50.Seconds(), p90.Seconds(), r.Stats.Mean.Seconds())
	// Output:
	// conversations: 1025 answered: 1025
	// p50 7481.521 s, p90 200074.2038 s, mean 125913.8175 s
}
