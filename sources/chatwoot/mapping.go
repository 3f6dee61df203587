package chatwoot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
)

// Chatwoot's enums (app/models/message.rb): messages.message_type and the one
// messages.content_type value the source reads.
const (
	messageIncoming = 0
	messageOutgoing = 1
	messageActivity = 2
	messageTemplate = 3

	contentInputCSAT = 9
)

// The reporting_events names the source reads; the listener that writes them
// is app/listeners/reporting_event_listener.rb.
const (
	eventResolved = "conversation_resolved"
	eventHandoff  = "conversation_bot_handoff"
	eventOpened   = "conversation_opened"
)

// RowError is a row of the Chatwoot database that the source cannot map: it
// names the table, the row's id, its conversation and the column.
type RowError struct {
	Table        string // "messages", "reporting_events", ...
	ID           int64  // the row's id
	Conversation int64  // conversations.id
	Column       string
	Reason       string
}

func (e *RowError) Error() string {
	return fmt.Sprintf("chatwoot: conversation %d: %s id %d: %s: %s", e.Conversation, e.Table, e.ID, e.Column, e.Reason)
}

// conversationRow is a row of conversations joined with its inbox.
type conversationRow struct {
	id, accountID int64
	contactID     *int64
	campaignID    *int64
	createdAt     time.Time
	inboxName     string
	channelType   *string
	priority      string          // priorityName of conversations.priority
	events        []chatkpi.Event // filled from the other tables
}

// messageRow is a row of messages, with the name of its sender when the
// sender is a user.
type messageRow struct {
	id, conversationID       int64
	messageType, contentType int
	private                  bool
	senderType               *string
	senderID                 *int64
	userName                 *string // users.display_name, else users.name
	createdAt                time.Time
}

// reportingRow is a row of reporting_events with the name of its user.
type reportingRow struct {
	id, conversationID int64
	name               string
	userID             *int64
	userName           *string
	at                 time.Time // event_end_time, else created_at
}

// csatRow is a row of csat_survey_responses.
type csatRow struct {
	id, conversationID int64
	rating             int
	createdAt          time.Time
}

// agentName is how an agent (a Chatwoot user) is named in chatkpi: the
// user's display name, else name, followed by " #" and the user id, so that
// two users with the same name stay two agents. A user whose row is gone
// is "#ID".
func agentName(id int64, name *string) string {
	n := ""
	if name != nil {
		n = strings.TrimSpace(*name)
	}
	if n == "" {
		return "#" + strconv.FormatInt(id, 10)
	}
	return n + " #" + strconv.FormatInt(id, 10)
}

// messageEvent maps a message; ok is false for an activity message, which
// is not mapped (see the package documentation).
func messageEvent(m *messageRow) (e chatkpi.Event, ok bool, err error) {
	bad := func(column, format string, args ...any) (chatkpi.Event, bool, error) {
		return chatkpi.Event{}, false, &RowError{Table: "messages", ID: m.id, Conversation: m.conversationID,
			Column: column, Reason: fmt.Sprintf(format, args...)}
	}
	e = chatkpi.Event{Time: m.createdAt, ID: "message:" + strconv.FormatInt(m.id, 10), Type: chatkpi.Message}
	sender := ""
	if m.senderType != nil {
		sender = *m.senderType
	}
	if m.contentType == contentInputCSAT {
		if m.messageType != messageTemplate && m.messageType != messageOutgoing {
			return bad("message_type", "%d on a CSAT survey (content_type input_csat); want 1 (outgoing) or 3 (template)", m.messageType)
		}
		e.Type, e.Role, e.Survey = chatkpi.SurveySent, chatkpi.System, chatkpi.CSATSurvey
		return e, true, nil
	}
	switch m.messageType {
	case messageIncoming:
		if sender != "" && sender != "Contact" {
			return bad("sender_type", "%q on an incoming message; want Contact or none", sender)
		}
		if m.private {
			return bad("private", "an incoming message is marked private")
		}
		e.Role = chatkpi.Customer
	case messageOutgoing:
		switch sender {
		case "User":
			if m.senderID == nil {
				return bad("sender_id", "an outgoing message by a User has no sender_id")
			}
			e.Role, e.Agent = chatkpi.Agent, agentName(*m.senderID, m.userName)
		case "AgentBot", "Captain::Assistant", "":
			e.Role = chatkpi.Bot
		default:
			return bad("sender_type", "%q on an outgoing message; want User, AgentBot, Captain::Assistant or none", sender)
		}
		e.Private = m.private
	case messageActivity:
		return chatkpi.Event{}, false, nil
	case messageTemplate:
		e.Role, e.Automatic = chatkpi.System, true
	default:
		return bad("message_type", "%d is not 0 (incoming), 1 (outgoing), 2 (activity) or 3 (template)", m.messageType)
	}
	return e, true, nil
}

// reportingEvent maps a reporting event of one of the names the source
// reads. A conversation_opened becomes a Reopened here; [assemble] drops
// those that reopen nothing.
func reportingEvent(r *reportingRow) (chatkpi.Event, error) {
	e := chatkpi.Event{Time: r.at, ID: "reporting_event:" + strconv.FormatInt(r.id, 10), Role: chatkpi.System}
	switch r.name {
	case eventResolved:
		e.Type = chatkpi.Resolved
		if r.userID != nil {
			e.Role, e.Agent = chatkpi.Agent, agentName(*r.userID, r.userName)
		}
	case eventHandoff:
		e.Type, e.Role = chatkpi.Handoff, chatkpi.Bot
	case eventOpened:
		e.Type = chatkpi.Reopened
	default:
		return chatkpi.Event{}, &RowError{Table: "reporting_events", ID: r.id, Conversation: r.conversationID,
			Column: "name", Reason: fmt.Sprintf("%q is not read by the source", r.name)}
	}
	return e, nil
}

// csatEvent maps a CSAT answer. Chatwoot accepts ratings 1–5
// (app/models/csat_survey_response.rb); a rating outside that scale is an
// error here rather than a figure on another scale.
func csatEvent(c *csatRow) (chatkpi.Event, error) {
	if c.rating < 1 || c.rating > 5 {
		return chatkpi.Event{}, &RowError{Table: "csat_survey_responses", ID: c.id, Conversation: c.conversationID,
			Column: "rating", Reason: fmt.Sprintf("%d is outside Chatwoot's scale 1-5", c.rating)}
	}
	return chatkpi.Event{Time: c.createdAt, ID: "csat_survey_response:" + strconv.FormatInt(c.id, 10),
		Type: chatkpi.Rating, Role: chatkpi.Customer, Survey: chatkpi.CSATSurvey, Score: int8(c.rating)}, nil
}

// agentFirst reports whether a human agent's public reply comes before the
// first customer message: a conversation an agent started (Chatwoot's "new
// conversation" by an agent). A bot's or the platform's message before the
// customer's does not make a conversation outbound.
func agentFirst(ev []chatkpi.Event) bool {
	for i := range ev {
		e := &ev[i]
		if e.IsCustomerMessage() {
			return false
		}
		if e.IsReply() && e.Role == chatkpi.Agent {
			return true
		}
	}
	return false
}

// channel maps inboxes.channel_type to a chatkpi channel name.
// priorityName maps conversations.priority, the Rails enum of
// app/models/conversation.rb (low: 0, medium: 1, high: 2, urgent: 3; NULL is
// none), to Info.Priority.
func priorityName(c *conversationRow, p *int32) (string, error) {
	if p == nil {
		return "", nil
	}
	switch *p {
	case 0:
		return "low", nil
	case 1:
		return "medium", nil
	case 2:
		return "high", nil
	case 3:
		return "urgent", nil
	}
	return "", &RowError{Table: "conversations", ID: c.id, Conversation: c.id, Column: "priority",
		Reason: fmt.Sprintf("%d is not a priority of Chatwoot's enum (low 0, medium 1, high 2, urgent 3)", *p)}
}

func channel(channelType *string) string {
	if channelType == nil {
		return ""
	}
	switch *channelType {
	case "Channel::WebWidget":
		return "chat"
	case "Channel::Email":
		return "email"
	case "Channel::Api":
		return "api"
	case "Channel::FacebookPage", "Channel::Instagram", "Channel::TwitterProfile":
		return "social"
	case "Channel::Whatsapp", "Channel::Sms", "Channel::TwilioSms", "Channel::Telegram", "Channel::Line":
		return "messaging"
	case "Channel::Voice":
		return "call"
	}
	return strings.ToLower(strings.TrimPrefix(*channelType, "Channel::"))
}

// assemble turns a conversation row and its mapped events into a chat: the
// events in time order (events at the same instant keep the order in which
// they were added: messages, then reporting events, then CSAT answers), a
// conversation_opened that follows no resolution dropped (Chatwoot records
// the first opening too), and the conversation's Info.
func assemble(c *conversationRow) *chatkpi.Chat {
	ch := &chatkpi.Chat{Events: c.events}
	ch.SortEvents()
	kept := ch.Events[:0]
	resolved := false
	for _, e := range ch.Events {
		switch e.Type {
		case chatkpi.Resolved:
			resolved = true
		case chatkpi.Reopened:
			if !resolved {
				continue
			}
			resolved = false
		}
		kept = append(kept, e)
	}
	ch.Events = kept
	ch.Meta = chatkpi.Info{
		ID:       strconv.FormatInt(c.id, 10),
		Channel:  channel(c.channelType),
		Priority: c.priority,
		Start:    c.createdAt,
		Outbound: c.campaignID != nil || agentFirst(ch.Events),
		Dims:     map[string]string{"inbox": c.inboxName, "account": strconv.FormatInt(c.accountID, 10)},
	}
	if c.contactID != nil {
		ch.Meta.Customer = strconv.FormatInt(*c.contactID, 10)
	}
	if c.campaignID != nil {
		ch.Meta.Source = "campaign " + strconv.FormatInt(*c.campaignID, 10)
	}
	return ch
}
