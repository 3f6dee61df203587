package chatwoot

import (
	"context"
	"testing"

	"github.com/chatkpi/chatkpi/sources/chatwoot/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// BenchmarkConversations reads 5,000 generated conversations (ten messages,
// a handoff and a resolution each: 60,000 events) from a real PostgreSQL
// server over its Unix socket, and reports the events read per second.
func BenchmarkConversations(b *testing.B) {
	srv := pgtest.Start(b)
	srv.Exec(b, fixture)
	srv.Exec(b, `
		INSERT INTO conversations (id, display_id, account_id, inbox_id, contact_id, created_at, updated_at)
		SELECT 1000 + g, g, 3, 1, g, '2025-04-01'::timestamp + g * interval '1 minute', '2025-04-01'
		FROM generate_series(1, 5000) g;
		INSERT INTO messages (id, conversation_id, message_type, sender_type, sender_id, account_id, inbox_id, created_at, updated_at)
		SELECT 100000 + 10 * g + k, 1000 + g, k % 2, CASE k % 2 WHEN 0 THEN 'Contact' ELSE 'User' END, CASE k % 2 WHEN 0 THEN g ELSE 1 END,
		       3, 1, '2025-04-01'::timestamp + g * interval '1 minute' + k * interval '3 seconds', '2025-04-01'
		FROM generate_series(1, 5000) g, generate_series(0, 9) k;
		INSERT INTO reporting_events (id, name, account_id, user_id, conversation_id, event_end_time, created_at, updated_at)
		SELECT 100000 + 2 * g + (n = 'conversation_resolved')::int, n, 3, 1, 1000 + g, '2025-04-01'::timestamp + g * interval '1 minute' + interval '40 seconds', '2025-04-01', '2025-04-01'
		FROM generate_series(1, 5000) g, unnest(ARRAY['conversation_bot_handoff', 'conversation_resolved']) n;`)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	b.ReportAllocs()
	b.ResetTimer()
	events := 0
	for range b.N {
		for c, err := range Conversations(ctx, conn, Filter{Account: 3}) {
			if err != nil {
				b.Fatal(err)
			}
			events += len(c.Events)
		}
	}
	if events != 60000*b.N {
		b.Fatalf("%d events, want %d", events, 60000*b.N)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
