// Command twitter converts the IBM Twitter customer-care conversations
// (datasets/twitter: 1,025 conversations with 25 brands, 2019–2020) into
// chatkpi conversations and computes their first response time, outcomes and
// chat duration. With -o it also writes the conversations as a chatkpi JSON
// Lines event file, the format the rest of the tooling reads.
//
// It shows three things a developer copies:
//
//   - exact and streaming percentiles side by side. Exact mode keeps every
//     duration (8 bytes each) and interpolates between closest ranks (numpy's
//     default); streaming mode ([chatkpi.ReportSettings.WithStreaming]) keeps a DDSketch in
//     bounded memory whose quantiles are within a relative error α = 1 % of
//     the true value. The program prints the error it actually made.
//   - what a metric cannot say about a data set. The Twitter export has no
//     handoffs and no resolutions, only messages, so by the definitions of
//     [chatkpi.Outcomes] every engaged conversation is abandoned. That is a
//     property of the export, not of the service, and the output says so.
//   - handing conversations on as an event file with [chatkpi.JSONLWriter].
//
// Run it from the repository root:
//
//	go run ./examples/twitter -o /tmp/twitter.jsonl
//
// or from elsewhere with -data pointing at datasets/twitter/testdata.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/twitter"

	"github.com/chatkpi/chatkpi/internal/version"
)

// files are the two halves of the data set, in datasets/twitter/testdata.
func files() []string { return []string{"dev.json", "test.json"} }

// load reads every conversation of the data set in dataDir.
func load(dataDir string) ([]*chatkpi.Chat, error) {
	var all []*chatkpi.Chat
	for _, f := range files() {
		chats, err := twitter.LoadFile(filepath.Join(dataDir, f))
		if err != nil {
			return nil, err
		}
		all = append(all, chats...)
	}
	return all, nil
}

// seconds formats a duration in seconds with the given decimals.
func seconds(d time.Duration, decimals int) string {
	return chatkpi.FormatFloat(d.Seconds(), decimals) + " s"
}

func run(w io.Writer, dataDir, outPath string) error {
	chats, err := load(dataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "conversations: %d\n", len(chats))

	// One accumulator per metric; every one takes the same conversations.
	var exact chatkpi.FirstResponseTime // zero value: exact percentiles, clock from the first customer message
	streaming, err := chatkpi.NewFirstResponseTime(chatkpi.FirstResponseSettings{Durations: chatkpi.DurationsSettings{Streaming: true}})
	if err != nil {
		return err
	}
	var outcomes chatkpi.Outcomes
	var duration chatkpi.ChatDuration
	adders := []func(chatkpi.Conversation) error{
		exact.AddConversation, streaming.AddConversation, outcomes.AddConversation, duration.AddConversation,
	}
	for _, c := range chats {
		for _, add := range adders {
			if err := add(c); err != nil {
				return err
			}
		}
	}

	if err := printFRT(w, &exact, streaming); err != nil {
		return err
	}
	if err := printOutcomes(w, &outcomes); err != nil {
		return err
	}
	d, err := duration.Result()
	if err != nil {
		return fmt.Errorf("chat duration: %w", err)
	}
	p50, _ := d.Full.Quantile(0.5)
	p90, _ := d.Full.Quantile(0.9)
	fmt.Fprintf(w, "chat duration (first to last message): p50 %s, p90 %s, mean %s, max %s\n",
		seconds(p50, 0), seconds(p90, 0), seconds(d.Full.Mean, 0), seconds(d.Full.Max, 0))

	if outPath != "" {
		if err := writeJSONL(outPath, chats); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %d conversations to %s\n", len(chats), outPath)
	}
	return nil
}

func printFRT(w io.Writer, exact, streaming *chatkpi.FirstResponseTime) error {
	ex, err := exact.Result()
	if err != nil {
		return fmt.Errorf("first response time: %w", err)
	}
	st, err := streaming.Result()
	if err != nil {
		return fmt.Errorf("first response time (streaming): %w", err)
	}
	// The default settings report p50, p90, p95 and p99 in both modes.
	e50, ok1 := ex.Stats.Quantile(0.5)
	e90, ok2 := ex.Stats.Quantile(0.9)
	s50, ok3 := st.Stats.Quantile(0.5)
	s90, ok4 := st.Stats.Quantile(0.9)
	if !(ok1 && ok2 && ok3 && ok4) {
		return errors.New("first response time: p50 or p90 not reported")
	}
	fmt.Fprintf(w, "first response time: %d answered, %d unanswered (answer rate %s)\n",
		ex.Answered, ex.Unanswered, ex.AnswerRate())
	fmt.Fprintf(w, "  exact:     p50 %s, p90 %s, mean %s\n", seconds(e50, 3), seconds(e90, 4), seconds(ex.Stats.Mean, 4))
	// Count and mean are exact in both modes; only the percentiles are
	// estimates, each within the relative accuracy of the true value.
	fmt.Fprintf(w, "  streaming: p50 %s (error %s %%), p90 %s (error %s %%), mean %s; guarantee: within %s %%\n",
		seconds(s50, 3), relError(s50, e50), seconds(s90, 3), relError(s90, e90), seconds(st.Stats.Mean, 4),
		chatkpi.FormatFloat(100*st.Stats.RelativeAccuracy, 2))
	return nil
}

// relError formats |estimate − exact| ÷ exact in percent.
func relError(estimate, exact time.Duration) string {
	return chatkpi.FormatFloat(100*math.Abs(float64(estimate-exact))/float64(exact), 3)
}

func printOutcomes(w io.Writer, o *chatkpi.Outcomes) error {
	r, err := o.Result()
	if err != nil {
		return fmt.Errorf("outcomes: %w", err)
	}
	fmt.Fprintf(w, "outcomes: %d engaged of %d;", r.Engaged, r.Conversations)
	for k := chatkpi.Unengaged; k <= chatkpi.Abandoned; k++ {
		fmt.Fprintf(w, " %s %d", k, r.Counts.Of(k))
	}
	fmt.Fprintln(w)
	if r.Counts.Escalated+r.Counts.ResolvedByBot+r.Counts.ResolvedByAgent == 0 {
		// Say so rather than let "100 % abandoned" pass for a finding.
		fmt.Fprintln(w, "  note: the export has no handoff or resolution events, so every engaged conversation",
			"counts as abandoned; the outcome rates say nothing about this service")
	}
	return nil
}

// writeJSONL writes the conversations to path as a JSON Lines event file.
func writeJSONL(path string, chats []*chatkpi.Chat) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	jw := chatkpi.NewJSONLWriter(f)
	for _, c := range chats {
		if err := jw.WriteConversation(c); err != nil {
			return err
		}
	}
	return jw.Flush()
}

func main() {
	data := flag.String("data", filepath.Join("datasets", "twitter", "testdata"),
		"directory holding dev.json and test.json (the default is relative to the repository root)")
	out := flag.String("o", "", "write the conversations to this JSON Lines event file")
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("twitter example"))
		return
	}
	if err := run(os.Stdout, *data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "twitter:", err)
		os.Exit(1)
	}
}
