package chatwoot_test

import (
	"context"
	"fmt"
	"log"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/sources/chatwoot"
	"github.com/jackc/pgx/v5"
)

// The weekly report of one Chatwoot account. (Not run by go test: it needs
// a Chatwoot database; TestPostgres runs the same calls on a real server.)
func Example() {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, "postgres://chatwoot@localhost/chatwoot_production")
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)
	rep, err := chatkpi.NewReport(chatkpi.ReportPeriod(chatkpi.Week))
	if err != nil {
		log.Fatal(err)
	}
	if err := rep.AddAll(chatwoot.Conversations(ctx, conn, chatwoot.Filter{Account: 1})); err != nil {
		log.Fatal(err) // a query that failed, or a *chatwoot.RowError naming the row
	}
	s, err := rep.Summary()
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range s.Groups {
		fmt.Println(g.Period, g.Conversations, g.Outcomes.Escalated)
	}
}
