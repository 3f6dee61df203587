// Command mkdemo writes the synthetic demo sample that the chatkpi command
// embeds and reads with -sample demo: conversations drawn by
// [chatkpitest.SupportChat] at fixed seeds, so that the file is the same
// every time. Run it with go generate in cmd/chatkpi; a test checks that the
// committed file is what it writes now.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/chatkpitest"
	"github.com/chatkpi/chatkpi/internal/version"
)

// Conversations is the size of the sample; conversation i is
// SupportChat().Example(seed + i).
const (
	conversations = 900
	seed          = 20240101
)

func main() {
	out := flag.String("o", "data/demo.jsonl", "output file")
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("mkdemo"))
		return
	}
	var b bytes.Buffer
	if err := write(&b); err != nil {
		fmt.Fprintln(os.Stderr, "mkdemo:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mkdemo:", err)
		os.Exit(1)
	}
}

// write draws the conversations, names them demo-0001, ... in the order
// they start, and writes them one event per line, conversations contiguous.
func write(w io.Writer) error {
	chats := make([]*chatkpi.Chat, conversations)
	for i := range chats {
		chats[i] = chatkpitest.SupportChat().Example(seed + i)
	}
	sort.SliceStable(chats, func(i, j int) bool { return chats[i].Events[0].Time.Before(chats[j].Events[0].Time) })
	consistentPresence(chats)
	bw := bufio.NewWriter(w)
	jw := chatkpi.NewJSONLWriter(bw)
	for i, c := range chats {
		c.Meta.ID = fmt.Sprintf("demo-%04d", i+1)
		if err := jw.WriteConversation(c); err != nil {
			return err
		}
	}
	if err := jw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// consistentPresence drops the Online and Offline events that, taken over
// all conversations in time order, would not change their agent's state
// (an agent coming online while already online in another conversation):
// each agent's presence then alternates, as [chatkpi.Presence] requires.
func consistentPresence(chats []*chatkpi.Chat) {
	type ref struct{ chat, event int }
	var refs []ref
	for c, chat := range chats {
		for e, ev := range chat.Events {
			if ev.Type == chatkpi.Online || ev.Type == chatkpi.Offline {
				refs = append(refs, ref{c, e})
			}
		}
	}
	at := func(r ref) chatkpi.Event { return chats[r.chat].Events[r.event] }
	sort.SliceStable(refs, func(i, j int) bool { return at(refs[i]).Time.Before(at(refs[j]).Time) })
	online := map[string]bool{}
	drop := map[ref]bool{}
	for _, r := range refs {
		e := at(r)
		if (e.Type == chatkpi.Online) == online[e.Agent] {
			drop[r] = true
			continue
		}
		online[e.Agent] = e.Type == chatkpi.Online
	}
	for c, chat := range chats {
		kept := chat.Events[:0]
		for e, ev := range chat.Events {
			if !drop[ref{c, e}] {
				kept = append(kept, ev)
			}
		}
		chat.Events = kept
	}
}
