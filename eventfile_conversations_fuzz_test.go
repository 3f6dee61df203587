package chatkpi

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"testing"
)

// FuzzReadConversations checks the grouping of records into conversations
// by ReadConversations (any line order) and Conversations (lines grouped
// by conversation) against the records read one by one: every record in
// its conversation, conversations in order of first appearance, events in
// time order keeping the file order of equal times, the first non-empty
// conversation-level value kept and a different later one an error naming
// its line; and Conversations agrees with ReadConversations whenever each
// conversation's lines are contiguous, and otherwise fails at the line
// where a conversation reappears.
func FuzzReadConversations(f *testing.F) {
	line := func(conv, t, rest string) string {
		return `{"conversation":"` + conv + `","time":"2024-05-01T09:` + t + `:00Z","role":"customer","type":"message"` + rest + "}\n"
	}
	f.Add([]byte(line("a", "30", "") + line("a", "10", `,"channel":"chat"`) + line("b", "20", "")))
	f.Add([]byte(line("a", "30", `,"customer":"u"`) + line("b", "20", "") + line("a", "10", `,"customer":"u"`)))
	f.Add([]byte(line("a", "30", `,"customer":"u"`) + line("a", "31", `,"customer":"v"`)))
	f.Add([]byte(line("a", "30", `,"dims":{"g":"A"}`) + line("a", "30", `,"dims":{"g":"B"}`)))
	f.Add([]byte(line("a", "30", `,"start":"2024-05-01T09:00:00Z","outbound":true`) + line("a", "30", `,"source":"s"`) + "{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		reader := func() EventReader {
			r, err := NewJSONLReader(bytes.NewReader(data), MaxLineSize(4096))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		var recs []Record
		var recErr error
		r := reader()
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				recErr = err
				break
			}
			recs = append(recs, rec)
		}
		chats, err := ReadConversations(reader())
		var streamed []*Chat
		var streamErr error
		for c, err := range Conversations(reader()) {
			if err != nil {
				streamErr = err
				break
			}
			streamed = append(streamed, c)
		}
		if recErr != nil {
			if err == nil || err.Error() != recErr.Error() || streamErr == nil {
				t.Fatalf("the record error %v is not the error of ReadConversations (%v) and Conversations (%v)", recErr, err, streamErr)
			}
			return
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Line < 1 || ie.Conversation == "" || ie.Field == "" {
				t.Fatalf("a conflict is not an *InputError naming the line, conversation and field: %v", err)
			}
			if streamErr == nil {
				t.Fatalf("ReadConversations finds a conflict (%v), Conversations does not", err)
			}
			return
		}
		// The oracle: records grouped by id in order of first appearance.
		var ids []string
		byID := map[string][]Record{}
		contiguous := true
		for i, rec := range recs {
			id := rec.Info.ID
			if _, ok := byID[id]; !ok {
				ids = append(ids, id)
			} else if recs[i-1].Info.ID != id {
				contiguous = false
			}
			byID[id] = append(byID[id], rec)
		}
		if len(chats) != len(ids) {
			t.Fatalf("%d conversations for %d ids", len(chats), len(ids))
		}
		for i, c := range chats {
			rs := byID[ids[i]]
			if c.Meta.ID != ids[i] {
				t.Fatalf("conversation %d is %q, want %q (order of first appearance)", i, c.Meta.ID, ids[i])
			}
			want := make([]Event, len(rs))
			for j, rec := range rs {
				want[j] = rec.Event
			}
			slices.SortStableFunc(want, func(a, b Event) int { return a.Time.Compare(b.Time) })
			if !reflect.DeepEqual(c.Events, want) {
				t.Fatalf("conversation %q: events\n%+v\nwant\n%+v", c.Meta.ID, c.Events, want)
			}
			first := func(get func(Info) string) string {
				for _, rec := range rs {
					if v := get(rec.Info); v != "" {
						return v
					}
				}
				return ""
			}
			outbound := false
			for _, rec := range rs {
				outbound = outbound || rec.Info.Outbound
			}
			if c.Meta.Customer != first(func(i Info) string { return i.Customer }) ||
				c.Meta.Channel != first(func(i Info) string { return i.Channel }) ||
				c.Meta.Source != first(func(i Info) string { return i.Source }) ||
				c.Meta.Outbound != outbound {
				t.Fatalf("conversation %q: info %+v does not keep the first values of its records", c.Meta.ID, c.Meta)
			}
		}
		if !contiguous {
			var ie *InputError
			if !errors.As(streamErr, &ie) || ie.Field != "conversation" {
				t.Fatalf("interleaved lines: Conversations gives %v, want an error about the conversation's lines", streamErr)
			}
			return
		}
		if streamErr != nil || !reflect.DeepEqual(streamed, chats) {
			t.Fatalf("grouped lines: Conversations gives %v, %d conversations, ReadConversations %d", streamErr, len(streamed), len(chats))
		}
	})
}
