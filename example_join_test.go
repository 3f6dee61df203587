package chatkpi_test

import (
	"fmt"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// Two daily exports that overlap: the chat c1 crosses midnight, and the
// second export repeats the last line of the first. The Joiner joins c1's
// lines and drops the repeated event by its id.
func ExampleJoiner() {
	day1 := `{"conversation":"c1","id":"m1","time":"2026-01-05T23:58:00Z","role":"customer","type":"message","customer":"u1"}
{"conversation":"c1","id":"m2","time":"2026-01-05T23:59:30Z","role":"agent","type":"message","agent":"ana"}
`
	day2 := `{"conversation":"c1","id":"m2","time":"2026-01-05T23:59:30Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"c1","id":"m3","time":"2026-01-06T00:04:00Z","role":"system","type":"resolved"}
`
	var j chatkpi.Joiner
	for _, in := range []struct{ name, export string }{{"day1.jsonl", day1}, {"day2.jsonl", day2}} {
		r, err := chatkpi.NewJSONLReader(strings.NewReader(in.export))
		if err != nil {
			panic(err)
		}
		if err := j.Read(in.name, r); err != nil {
			fmt.Println(in.name+":", err)
			return
		}
	}
	for c := range j.Conversations() {
		fmt.Printf("%s customer=%s:", c.Meta.ID, c.Meta.Customer)
		for _, e := range c.Events {
			fmt.Printf(" %s/%s", e.ID, e.Type)
		}
		fmt.Println()
	}
	fmt.Println("duplicates dropped:", j.Duplicates())
	// Output:
	// c1 customer=u1: m1/message m2/message m3/resolved
	// duplicates dropped: 1
}

// An export whose lines interleave, as exports in time order do: Read holds
// them, and Report builds the report of the conversations on every core
// (here, two conversations, one of them resolved).
func ExampleJoiner_Report() {
	export := `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","customer":"u1"}
{"conversation":"c2","time":"2026-01-05T10:00:20Z","role":"customer","type":"message","customer":"u2"}
{"conversation":"c1","time":"2026-01-05T10:01:00Z","role":"agent","type":"message","agent":"ana"}
{"conversation":"c2","time":"2026-01-05T10:03:20Z","role":"agent","type":"message","agent":"bo"}
{"conversation":"c1","time":"2026-01-05T10:04:00Z","role":"system","type":"resolved"}
`
	r, err := chatkpi.NewJSONLReader(strings.NewReader(export))
	if err != nil {
		panic(err)
	}
	var j chatkpi.Joiner
	if err := j.Read("export.jsonl", r); err != nil {
		fmt.Println(err)
		return
	}
	rep, err := j.Report(chatkpi.ReportSettings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := rep.Summary()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("conversations:", s.Overall.Conversations)
	fmt.Println("mean first response:", *s.Overall.FirstResponseTime.MeanSeconds, "s")
	// Output:
	// conversations: 2
	// mean first response: 120 s
}
