// Package twitter converts the IBM "Twitter customer care" conversations
// (IBM/twitter-customer-care-document-prediction, Apache-2.0; a copy with
// its licence and attribution is in testdata/) into chatkpi conversations.
//
// The files are a JSON array of conversations. Each has a dialogHeader
// (company, sessionID, conversationDateTime, duration, messageCount), the
// dated turns in dialogContent (author key "client", "client1" or "agent",
// an ISO-8601 datetime to the second, the message and a tweet_ID), and the
// final agent turn apart in agentURL, which has only a tweet_ID. Its time is
// recovered from the tweet id, a Twitter snowflake (see [Snowflake]).
//
// Conversion: every client turn ("client" and a second customer
// "client1") becomes a customer [chatkpi.Message], every agent turn an agent
// message by the company's handle, and the agentURL turn the last agent
// message at its snowflake time. Info.ID is the sessionID, Info.Customer
// the first client's handle, Channel "twitter", Source the company, and
// Dims["company"] the company too.
package twitter

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/chatkpi/chatkpi"
)

// twitterEpochMs is the Twitter snowflake epoch, 2010-11-04T01:42:54.657Z,
// in Unix milliseconds.
const twitterEpochMs = 1288834974657

// Snowflake returns the creation time encoded in a Twitter snowflake id: the
// id's upper 41 bits (id >> 22) are milliseconds since the Twitter epoch,
// so the Unix time in ms is (id >> 22) + 1288834974657. In the data this
// agrees with every turn that carries both a datetime and a tweet id (to
// the second, the datetime's precision).
func Snowflake(id uint64) time.Time {
	return time.UnixMilli(int64(id>>22) + twitterEpochMs).UTC()
}

type file []conversation

type conversation struct {
	AgentURL *struct {
		TweetID string `json:"tweet_ID"`
	} `json:"agentURL"`
	DialogContent []turn `json:"dialogContent"`
	DialogHeader  struct {
		Company   string `json:"company"`
		SessionID string `json:"sessionID"`
	} `json:"dialogHeader"`
}

type turn struct {
	Client   *string `json:"client"`
	Client1  *string `json:"client1"`
	Agent    *string `json:"agent"`
	DateTime string  `json:"datetime"`
}

// Load reads one file of the data set. Errors wrap [chatkpi.ErrInvalid] and
// name the conversation (its sessionID, or its index when that is missing),
// the turn and the field; every converted conversation passes
// [chatkpi.Validate].
func Load(r io.Reader) ([]*chatkpi.Chat, error) {
	var f file
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, &chatkpi.InputError{Event: -1, Field: "json", Reason: err.Error()}
	}
	chats := make([]*chatkpi.Chat, 0, len(f))
	for i := range f {
		c, err := convert(i, &f[i])
		if err != nil {
			return nil, err
		}
		chats = append(chats, c)
	}
	return chats, nil
}

// LoadFile reads the file at path with [Load]; errors start with the path.
func LoadFile(path string) ([]*chatkpi.Chat, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	chats, err := Load(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return chats, nil
}

func convert(i int, c *conversation) (*chatkpi.Chat, error) {
	h := &c.DialogHeader
	id := h.SessionID
	fail := func(event int, field, format string, args ...any) error {
		name := id
		if name == "" {
			name = "#" + strconv.Itoa(i)
		}
		return &chatkpi.InputError{Conversation: name, Event: event, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if id == "" {
		return nil, fail(-1, "dialogHeader.sessionID", "missing")
	}
	if h.Company == "" {
		return nil, fail(-1, "dialogHeader.company", "missing")
	}
	if c.AgentURL == nil {
		return nil, fail(-1, "agentURL", "missing")
	}
	ch := &chatkpi.Chat{
		Meta: chatkpi.Info{ID: id, Channel: "twitter", Source: h.Company,
			Dims: map[string]string{"company": h.Company}},
		Events: make([]chatkpi.Event, 0, len(c.DialogContent)+1),
	}
	for j, t := range c.DialogContent {
		at, err := time.Parse(time.RFC3339Nano, t.DateTime)
		if err != nil {
			return nil, fail(j, "dialogContent.datetime", "%q is not an ISO-8601 time", t.DateTime)
		}
		e := chatkpi.Event{Time: at.UTC(), Type: chatkpi.Message}
		n := 0
		for _, who := range []*string{t.Client, t.Client1} {
			if who != nil {
				n++
				e.Role = chatkpi.Customer
				if ch.Meta.Customer == "" {
					ch.Meta.Customer = *who
				}
			}
		}
		if t.Agent != nil {
			n++
			e.Role, e.Agent = chatkpi.Agent, *t.Agent
		}
		if n != 1 {
			return nil, fail(j, "dialogContent", "a turn needs exactly one author key (client, client1 or agent), found %d", n)
		}
		ch.Events = append(ch.Events, e)
	}
	sf, err := strconv.ParseUint(c.AgentURL.TweetID, 10, 64)
	if err != nil || sf == 0 {
		return nil, fail(len(c.DialogContent), "agentURL.tweet_ID", "%q is not a tweet id", c.AgentURL.TweetID)
	}
	ch.Events = append(ch.Events, chatkpi.Event{Time: Snowflake(sf), Type: chatkpi.Message, Role: chatkpi.Agent, Agent: h.Company})
	if err := chatkpi.Validate(ch); err != nil {
		return nil, err
	}
	return ch, nil
}
