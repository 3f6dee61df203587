package chatkpi_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// Reading a JSON Lines export: lines of different conversations interleave,
// conversation-level fields may sit on any line, and each conversation comes
// back sorted by time.
func ExampleReadConversations() {
	const export = `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","channel":"chat"}
{"conversation":"c2","time":"2024-05-01T09:31:00Z","role":"customer","type":"message"}
{"conversation":"c1","time":"2024-05-01T11:30:20+02:00","role":"bot","type":"message"}
{"conversation":"c1","time":"2024-05-01T09:35:00Z","role":"customer","type":"rating","survey":"csat","score":5,"dims":{"greeting":"A"}}
`
	r, err := chatkpi.NewJSONLReader(strings.NewReader(export))
	if err != nil {
		panic(err)
	}
	chats, err := chatkpi.ReadConversations(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range chats {
		fmt.Printf("%s channel=%q dims=%v:", c.Meta.ID, c.Meta.Channel, c.Meta.Dims)
		for _, e := range c.Events {
			fmt.Printf(" %s/%s@%s", e.Role, e.Type, e.Time.UTC().Format("15:04:05"))
		}
		fmt.Println()
	}
	// Output:
	// c1 channel="chat" dims=map[greeting:A]: customer/message@09:30:00 bot/message@09:30:20 customer/rating@09:35:00
	// c2 channel="" dims=map[]: customer/message@09:31:00
}

// Bad lines are errors naming the line and the field. With SkipInvalid the
// reader goes on, and reports every line it skipped.
func ExampleSkipInvalid() {
	const export = `{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"rating","survey":"nps","score":"abc"}
{"conversation":"c1","time":"2024-05-01T09:31:00Z","role":"customer","type":"rating","survey":"nps","score":11}
{"conversation":"c1","time":"2024-05-01T09:32:00Z","role":"customer","type":"rating","survey":"nps","score":9}
`
	r, err := chatkpi.NewJSONLReader(strings.NewReader(export), chatkpi.SkipInvalid(func(e *chatkpi.InputError) {
		fmt.Println("skipped:", e)
	}))
	if err != nil {
		panic(err)
	}
	chats, err := chatkpi.ReadConversations(r)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(chats[0].Events), "event read,", r.Skipped(), "lines skipped")
	// Output:
	// skipped: chatkpi: line 1: conversation "c1": score: invalid JSON at column 109: expected a number, found '"'
	// skipped: chatkpi: line 2: conversation "c1": score: 11 is outside every nps scale (0–10)
	// 1 event read, 2 lines skipped
}

// Writing conversations as CSV, with one column per dimension.
func ExampleCSVWriter() {
	r, err := chatkpi.NewJSONLReader(strings.NewReader(
		`{"conversation":"c1","time":"2024-05-01T11:30:00.25+02:00","role":"customer","type":"goal","value":"12.50","currency":"EUR","dims":{"greeting":"A"}}` + "\n"))
	if err != nil {
		panic(err)
	}
	chats, err := chatkpi.ReadConversations(r)
	if err != nil {
		panic(err)
	}
	w, err := chatkpi.NewCSVWriter(os.Stdout, []string{"greeting"})
	if err != nil {
		panic(err)
	}
	for _, c := range chats {
		if err := w.WriteConversation(c); err != nil {
			panic(err)
		}
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	// Output:
	// conversation,time,role,type,agent,survey,score,value,currency,helpful,private,automatic,customer,channel,source,start,outbound,id,priority,dim.greeting
	// c1,2024-05-01T09:30:00.25Z,customer,goal,,,,12.5,EUR,,,,,,,,,,,A
}

// Reading another backend's export as it is: a mapping renames its fields,
// maps its values and drops what chatkpi does not use.
func ExampleMapFields() {
	const export = `{"conversation_id":"c1","created_at":"2024-05-01T09:30:00Z","message_type":0,"type":"message","content":"Hi","lang":"de"}
{"conversation_id":"c1","created_at":"2024-05-01T09:31:00Z","message_type":1,"type":"message","content":"Hello!","sender":{"id":7}}
`
	m, err := chatkpi.ParseMapping([]byte(`{
		"rename": {"conversation_id": "conversation", "created_at": "time", "message_type": "role", "lang": "dim.lang"},
		"values": {"role": {"0": "customer", "1": "agent"}},
		"ignore": ["content"],
		"ignore_unknown": true
	}`))
	if err != nil {
		panic(err)
	}
	r, err := chatkpi.NewJSONLReader(strings.NewReader(export), chatkpi.MapFields(m))
	if err != nil {
		panic(err)
	}
	for rec, err := range chatkpi.Records(r) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rec.Line, rec.Info.ID, rec.Event.Role, rec.Event.Type, rec.Info.Dims)
	}
	// Output:
	// 1 c1 customer message map[lang:de]
	// 2 c1 agent message map[]
}
