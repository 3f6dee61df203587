// Command adapt shows how a chat backend adapts its own structs to chatkpi
// and computes survey metrics over them: it implements chatkpi.EventSource on
// its message type, wraps each ticket with chatkpi.Adapt, and feeds CSAT, NPS
// and CES accumulators.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/version"
)

// ticket and post are the backend's own types.
type ticket struct {
	ID       string
	Customer string
	Posts    []post
}

type post struct {
	At     time.Time
	Author string // "visitor", "operator" or "bot"
	Kind   string // "text", "csat", "nps"
	Score  int8
}

// ChatEvent describes a post as a chatkpi event: the whole adapter.
func (p post) ChatEvent() chatkpi.Event {
	e := chatkpi.Event{Time: p.At, Type: chatkpi.Message, Score: p.Score}
	switch p.Author {
	case "visitor":
		e.Role = chatkpi.Customer
	case "operator":
		e.Role = chatkpi.Agent
	case "bot":
		e.Role = chatkpi.Bot
	}
	switch p.Kind {
	case "csat":
		e.Type, e.Survey = chatkpi.Rating, chatkpi.CSATSurvey
	case "nps":
		e.Type, e.Survey = chatkpi.Rating, chatkpi.NPSSurvey
	}
	return e
}

func sample() []ticket {
	at := func(m int) time.Time { return time.Date(2026, 11, 23, 9, m, 0, 0, time.UTC) }
	return []ticket{
		{ID: "t1", Customer: "c1", Posts: []post{
			{At: at(0), Author: "visitor", Kind: "text"},
			{At: at(1), Author: "bot", Kind: "text"},
			{At: at(3), Author: "visitor", Kind: "csat", Score: 5},
			{At: at(3), Author: "visitor", Kind: "nps", Score: 10},
		}},
		{ID: "t2", Customer: "c2", Posts: []post{
			{At: at(5), Author: "visitor", Kind: "text"},
			{At: at(9), Author: "operator", Kind: "text"},
			{At: at(20), Author: "visitor", Kind: "csat", Score: 3},
			{At: at(20), Author: "visitor", Kind: "nps", Score: 6},
		}},
		{ID: "t3", Customer: "c3", Posts: []post{
			{At: at(30), Author: "visitor", Kind: "text"},
			{At: at(31), Author: "operator", Kind: "text"},
			{At: at(40), Author: "visitor", Kind: "csat", Score: 4},
			{At: at(41), Author: "visitor", Kind: "nps", Score: 8},
		}},
	}
}

func run(w io.Writer, tickets []ticket) error {
	var csat chatkpi.CSAT // zero value: 1–5 scale, satisfied = 4–5
	var nps chatkpi.NPS
	for _, t := range tickets {
		conv := chatkpi.Adapt(chatkpi.Info{ID: t.ID, Customer: t.Customer}, t.Posts)
		if err := csat.AddConversation(conv); err != nil {
			return err
		}
		if err := nps.AddConversation(conv); err != nil {
			return err
		}
	}
	c, err := csat.Result()
	if err != nil {
		return fmt.Errorf("CSAT: %w", err)
	}
	fmt.Fprintf(w, "CSAT %s %% of %d answers (95 %% CI %s–%s %%), mean %s\n",
		chatkpi.FormatFloat(c.Percent, 2), c.Responses,
		chatkpi.FormatFloat(c.CI.Low, 2), chatkpi.FormatFloat(c.CI.High, 2), chatkpi.FormatFloat(c.Mean.Value, 2))
	n, err := nps.Result()
	if err != nil {
		return fmt.Errorf("NPS: %w", err)
	}
	fmt.Fprintf(w, "NPS %s ± %s (%d promoters, %d passives, %d detractors)\n",
		chatkpi.FormatFloat(n.Score, 2), chatkpi.FormatFloat(n.SE, 2), n.Promoters, n.Passives, n.Detractors)

	var ces chatkpi.CES
	if _, err := ces.Result(); errors.Is(err, chatkpi.ErrNoData) {
		fmt.Fprintln(w, "CES no data") // no data is not zero
	}
	return nil
}

func main() {
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("adapt example"))
		return
	}
	if err := run(os.Stdout, sample()); err != nil {
		fmt.Fprintln(os.Stderr, "adapt:", err)
		os.Exit(1)
	}
}
