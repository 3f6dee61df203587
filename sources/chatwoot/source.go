package chatwoot

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/jackc/pgx/v5"
)

// Querier runs a query: a *pgx.Conn, a *pgxpool.Pool or a pgx.Tx.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Filter chooses the conversations to read. The zero value reads every
// conversation of every account.
type Filter struct {
	// Account limits the conversations to one account (accounts.id); zero
	// means all accounts.
	Account int64
	// Since and Until limit the conversations to those created at or after
	// Since and before Until (conversations.created_at); a zero time is no
	// limit.
	Since, Until time.Time
}

// pageSize is how many conversations are read (and held in memory) at once.
const pageSize = 500

// Conversations reads the conversations that f chooses from a Chatwoot
// database, in the order of their ids, as chatkpi conversations (see the
// package documentation for the mapping). It holds one page of conversations
// (500) and their rows in memory at a time; each page costs four queries.
// It stops at the first error: a query that fails, or a row it cannot map
// (a [*RowError]). The chats are the caller's: [chatkpi.Report.AddAll] takes
// the sequence as it is.
func Conversations(ctx context.Context, db Querier, f Filter) iter.Seq2[*chatkpi.Chat, error] {
	return func(yield func(*chatkpi.Chat, error) bool) {
		after := int64(0)
		for {
			page, err := readPage(ctx, db, f, after)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, c := range page {
				if !yield(assemble(c), nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
			after = page[len(page)-1].id
		}
	}
}

// readPage reads the page of conversations after the id after, with their
// messages, reporting events and CSAT answers.
func readPage(ctx context.Context, db Querier, f Filter, after int64) ([]*conversationRow, error) {
	page, err := readConversations(ctx, db, f, after)
	if err != nil || len(page) == 0 {
		return page, err
	}
	byID := make(map[int64]*conversationRow, len(page))
	ids := make([]int64, len(page))
	for i, c := range page {
		byID[c.id], ids[i] = c, c.id
	}
	if err := readMessages(ctx, db, ids, byID); err != nil {
		return nil, err
	}
	if err := readReportingEvents(ctx, db, ids, byID); err != nil {
		return nil, err
	}
	if err := readCSAT(ctx, db, ids, byID); err != nil {
		return nil, err
	}
	return page, nil
}

func readConversations(ctx context.Context, db Querier, f Filter, after int64) ([]*conversationRow, error) {
	var since, until *time.Time
	if !f.Since.IsZero() {
		t := f.Since.UTC()
		since = &t
	}
	if !f.Until.IsZero() {
		t := f.Until.UTC()
		until = &t
	}
	rows, err := db.Query(ctx, `
		SELECT c.id, c.account_id, c.contact_id, c.campaign_id, c.created_at, c.priority, i.name, i.channel_type
		FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
		WHERE c.id > $1
		  AND ($2::bigint = 0 OR c.account_id = $2)
		  AND ($3::timestamp IS NULL OR c.created_at >= $3)
		  AND ($4::timestamp IS NULL OR c.created_at < $4)
		ORDER BY c.id
		LIMIT $5`, after, f.Account, since, until, pageSize)
	if err != nil {
		return nil, fmt.Errorf("chatwoot: reading conversations: %w", err)
	}
	var page []*conversationRow
	for rows.Next() {
		c := new(conversationRow)
		var priority *int32
		if err := rows.Scan(&c.id, &c.accountID, &c.contactID, &c.campaignID, &c.createdAt, &priority, &c.inboxName, &c.channelType); err != nil {
			rows.Close()
			return nil, fmt.Errorf("chatwoot: reading conversations: %w", err)
		}
		if c.priority, err = priorityName(c, priority); err != nil {
			rows.Close()
			return nil, err
		}
		c.createdAt = c.createdAt.UTC()
		page = append(page, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chatwoot: reading conversations: %w", err)
	}
	return page, nil
}

func readMessages(ctx context.Context, db Querier, ids []int64, byID map[int64]*conversationRow) error {
	rows, err := db.Query(ctx, `
		SELECT m.id, m.conversation_id, m.message_type, m.content_type, m.private, m.sender_type, m.sender_id,
		       COALESCE(NULLIF(u.display_name, ''), u.name), m.created_at
		FROM messages m
		LEFT JOIN users u ON m.sender_type = 'User' AND u.id = m.sender_id
		WHERE m.conversation_id = ANY($1)
		ORDER BY m.conversation_id, m.created_at, m.id`, ids)
	if err != nil {
		return fmt.Errorf("chatwoot: reading messages: %w", err)
	}
	defer rows.Close()
	var m messageRow
	for rows.Next() {
		if err := rows.Scan(&m.id, &m.conversationID, &m.messageType, &m.contentType, &m.private,
			&m.senderType, &m.senderID, &m.userName, &m.createdAt); err != nil {
			return fmt.Errorf("chatwoot: reading messages: %w", err)
		}
		m.createdAt = m.createdAt.UTC()
		e, ok, err := messageEvent(&m)
		if err != nil {
			return err
		}
		if ok {
			c := byID[m.conversationID]
			c.events = append(c.events, e)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("chatwoot: reading messages: %w", err)
	}
	return nil
}

func readReportingEvents(ctx context.Context, db Querier, ids []int64, byID map[int64]*conversationRow) error {
	rows, err := db.Query(ctx, `
		SELECT r.id, r.conversation_id, r.name, r.user_id, COALESCE(NULLIF(u.display_name, ''), u.name),
		       COALESCE(r.event_end_time, r.created_at)
		FROM reporting_events r
		LEFT JOIN users u ON u.id = r.user_id
		WHERE r.conversation_id = ANY($1) AND r.name = ANY($2)
		ORDER BY r.conversation_id, COALESCE(r.event_end_time, r.created_at), r.id`,
		ids, []string{eventResolved, eventHandoff, eventOpened})
	if err != nil {
		return fmt.Errorf("chatwoot: reading reporting_events: %w", err)
	}
	defer rows.Close()
	var r reportingRow
	for rows.Next() {
		if err := rows.Scan(&r.id, &r.conversationID, &r.name, &r.userID, &r.userName, &r.at); err != nil {
			return fmt.Errorf("chatwoot: reading reporting_events: %w", err)
		}
		r.at = r.at.UTC()
		e, err := reportingEvent(&r)
		if err != nil {
			return err
		}
		c := byID[r.conversationID]
		c.events = append(c.events, e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("chatwoot: reading reporting_events: %w", err)
	}
	return nil
}

func readCSAT(ctx context.Context, db Querier, ids []int64, byID map[int64]*conversationRow) error {
	rows, err := db.Query(ctx, `
		SELECT s.id, s.conversation_id, s.rating, s.created_at
		FROM csat_survey_responses s
		WHERE s.conversation_id = ANY($1)
		ORDER BY s.conversation_id, s.created_at, s.id`, ids)
	if err != nil {
		return fmt.Errorf("chatwoot: reading csat_survey_responses: %w", err)
	}
	defer rows.Close()
	var s csatRow
	for rows.Next() {
		if err := rows.Scan(&s.id, &s.conversationID, &s.rating, &s.createdAt); err != nil {
			return fmt.Errorf("chatwoot: reading csat_survey_responses: %w", err)
		}
		s.createdAt = s.createdAt.UTC()
		e, err := csatEvent(&s)
		if err != nil {
			return err
		}
		c := byID[s.conversationID]
		c.events = append(c.events, e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("chatwoot: reading csat_survey_responses: %w", err)
	}
	return nil
}
