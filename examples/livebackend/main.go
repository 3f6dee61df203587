// Command livebackend is a chat backend's metrics service: it takes the
// events of its conversations as webhooks, one at a time or in batches,
// possibly twice and out of order, assembles them into conversations
// exactly once ([chatkpi.LiveReport], fed by a [chatkpi.Assembler]) and
// serves the live report as JSON and to Prometheus.
//
// Endpoints:
//
//	POST /events      one event or a batch: a JSON Lines event file (the format
//	                  of [chatkpi.JSONLWriter], one event per line, each with its
//	                  conversation, an "id" to make re-posts safe; at most 1 MiB).
//	                  200 {"events": n} when all are taken (re-posted events are
//	                  dropped and counted, not an error). 400 {"error": ...} for
//	                  an invalid body, with nothing recorded; 422 {"error": ...,
//	                  "accepted": k} when an event is refused (a conflicting
//	                  field, a conversation already closed), after the k events
//	                  before it were taken: with ids, re-posting the batch is safe.
//	                  413 when too large.
//	POST /conversations/{id}/close
//	                  closes a conversation (the chat ended); 204, or 404 when it
//	                  is not open.
//	GET  /summary     the [chatkpi.LiveSummary] as JSON: the closed conversations'
//	                  report, and the open ones apart; computed at most once
//	                  per -summary-every (1 s), so that clients polling it do
//	                  not take the processor from ingestion.
//	GET  /metrics     the Prometheus exposition of the same
//	                  (github.com/chatkpi/chatkpi/exporters/prometheus).
//
// Conversations close by themselves too: resolved and quiet for -quiet, or
// idle for -idle (see [chatkpi.AssemblerSettings]); the clock is the
// service's own, the instant each request arrives.
//
// SIGTERM or SIGINT shuts it down gracefully: it stops accepting
// connections, lets the requests in flight finish (up to 10 s), and then
// writes a checkpoint of the report and the open conversations to
// -checkpoint, from which the next start resumes without losing or double
// counting an event. Without -checkpoint, it closes every open
// conversation and prints the final summary instead.
//
// This example is a module of its own (examples/livebackend/go.mod)
// because it serves the Prometheus collector, which lives in the nested
// module exporters/prometheus so that the library does not depend on the
// Prometheus client.
//
// Run it and try it:
//
//	go run . -addr 127.0.0.1:8080 -checkpoint /tmp/chatkpi.ckpt
//	curl --data-binary @events.jsonl http://127.0.0.1:8080/events
//	curl http://127.0.0.1:8080/summary
//	curl http://127.0.0.1:8080/metrics
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/chatkpi/chatkpi"
	chatkpiprom "github.com/chatkpi/chatkpi/exporters/prometheus"
	"github.com/chatkpi/chatkpi/internal/version"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// maxBody bounds the size of one posted body.
const maxBody = 1 << 20

// config is the service's configuration, from its flags.
type config struct {
	assembler  chatkpi.AssemblerSettings
	checkpoint string        // file to restore from and save to; "" for none
	advance    time.Duration // how often quiet conversations are closed
	// summaryEvery is how old the summary served by /summary and /metrics
	// may be; 0 computes it for every request.
	summaryEvery time.Duration
	now          func() time.Time
}

// backend serves the live report. The LiveReport does the locking, so the
// handlers share it without a mutex of their own.
type backend struct {
	live    *chatkpi.LiveReport
	summary *cachedSummary
	now     func() time.Time
	mux     *http.ServeMux
	log     io.Writer
}

// reportSettings are the settings of the served report. A long-running
// server takes streaming percentiles: exact ones keep every duration (8
// bytes each, growing without bound), a sketch keeps bounded memory and
// stays within 1 % of the exact percentile. Counts and means stay exact.
// Grouped by handler (bot or human): two groups, a bounded label for
// Prometheus.
func reportSettings() chatkpi.ReportSettings {
	return chatkpi.ReportSettings{GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByHandler()}}.WithStreaming(0)
}

func newBackend(cfg config, log io.Writer) (*backend, error) {
	live, err := chatkpi.NewLiveReport(reportSettings(), cfg.assembler)
	if err != nil {
		return nil, err
	}
	if cfg.checkpoint != "" {
		switch b, err := os.ReadFile(cfg.checkpoint); {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return nil, err
		default:
			if err := live.UnmarshalBinary(b); err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", cfg.checkpoint, err)
			}
		}
	}
	now := cfg.now
	if now == nil {
		now = time.Now
	}
	summary := &cachedSummary{live: live, every: cfg.summaryEvery}
	collector, err := chatkpiprom.NewCollector(summary, chatkpiprom.Settings{}, now)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(collector); err != nil {
		return nil, err
	}
	b := &backend{live: live, summary: summary, now: now, mux: http.NewServeMux(), log: log}
	b.mux.HandleFunc("POST /events", b.postEvents)
	b.mux.HandleFunc("POST /conversations/{id}/close", b.closeConversation)
	b.mux.HandleFunc("GET /summary", b.getSummary)
	b.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return b, nil
}

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.mux.ServeHTTP(w, r) }

// postEvents reads the whole body first, so that an invalid body records
// nothing, then gives the events to the assembler in order.
func (b *backend) postEvents(w http.ResponseWriter, r *http.Request) {
	jr, err := chatkpi.NewJSONLReader(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	var recs []chatkpi.Record
	for rec, err := range chatkpi.Records(jr) {
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			writeError(w, http.StatusRequestEntityTooLarge, err)
			return
		case err != nil:
			writeError(w, http.StatusBadRequest, err)
			return
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		writeError(w, http.StatusBadRequest, errors.New("no events in the body"))
		return
	}
	now := b.now()
	defer b.advanceTo(now)
	for i := range recs {
		if err := b.live.AddEvent(now, recs[i].Info, recs[i].Event); err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
				"error": fmt.Sprintf("line %d: %v", recs[i].Line, err), "accepted": i})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"events": len(recs)})
}

func (b *backend) closeConversation(w http.ResponseWriter, r *http.Request) {
	now := b.now()
	if err := b.live.Close(now, r.PathValue("id")); err != nil {
		writeError(w, http.StatusNotFound, err)
		return
	}
	b.advanceTo(now)
	w.WriteHeader(http.StatusNoContent)
}

// advanceTo adds the conversations whose time has come to the report, and
// logs those it rejects (they are counted in the summary too).
func (b *backend) advanceTo(now time.Time) {
	if err := b.live.Advance(now); err != nil {
		fmt.Fprintln(b.log, "livebackend: rejected:", err)
	}
}

func (b *backend) getSummary(w http.ResponseWriter, _ *http.Request) {
	s, err := b.summary.LiveSummary(b.now())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// cachedSummary serves the live summary to /summary and /metrics from a
// copy at most every old (by the service's clock): a client polling in a
// tight loop then costs one summary a period, not one per request, and
// the writers keep the processor. every 0 computes it for every request.
type cachedSummary struct {
	live  *chatkpi.LiveReport
	every time.Duration
	mu    sync.Mutex
	at    time.Time
	s     *chatkpi.LiveSummary
}

func (c *cachedSummary) LiveSummary(asOf time.Time) (*chatkpi.LiveSummary, error) {
	if c.every <= 0 {
		return c.live.LiveSummary(asOf)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s != nil && !asOf.Before(c.at) && asOf.Sub(c.at) < c.every {
		return c.s, nil
	}
	s, err := c.live.LiveSummary(asOf)
	if err != nil {
		return nil, err
	}
	c.s, c.at = s, asOf
	return s, nil
}

// advance closes the conversations whose time has come, every interval
// until ctx is done, and logs the conversations the report rejects.
func (b *backend) advance(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.advanceTo(b.now())
		}
	}
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

// run serves on ln until ctx is done, then shuts down gracefully: the
// requests in flight finish (up to ten seconds), and the state is saved to
// the checkpoint, or drained and printed as the final summary.
func run(ctx context.Context, stdout io.Writer, ln net.Listener, cfg config) error {
	b, err := newBackend(cfg, stdout)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tick, stopTick := context.WithCancel(ctx)
	defer stopTick()
	if cfg.advance > 0 {
		go b.advance(tick, cfg.advance)
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	stopTick()
	if cfg.checkpoint != "" {
		return b.save(cfg.checkpoint, stdout)
	}
	if err := b.live.Drain(); err != nil {
		fmt.Fprintln(stdout, "livebackend: rejected:", err)
	}
	s, err := b.live.LiveSummary(b.now())
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(s)
}

// save writes the checkpoint atomically: a temporary file in the same
// directory, renamed over the old one.
func (b *backend) save(path string, stdout io.Writer) error {
	data, err := b.live.MarshalBinary()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checkpoint written to %s (%d bytes)\n", path, len(data))
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	var cfg config
	flag.StringVar(&cfg.checkpoint, "checkpoint", "", "file to resume from and to save the state to at shutdown (default: none; drain and print the final summary)")
	flag.DurationVar(&cfg.assembler.ResolvedQuiet, "quiet", chatkpi.DefaultResolvedQuiet, "close a resolved conversation after this long without an event")
	flag.DurationVar(&cfg.assembler.IdleTimeout, "idle", chatkpi.DefaultIdleTimeout, "close any conversation after this long without an event")
	flag.DurationVar(&cfg.assembler.Lateness, "lateness", 0, "hold a closed conversation this long for late events before it is counted")
	flag.DurationVar(&cfg.advance, "advance", time.Second, "how often quiet and idle conversations are closed")
	flag.DurationVar(&cfg.summaryEvery, "summary-every", time.Second, "how old the summary served by /summary and /metrics may be (0: computed for every request)")
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("livebackend example"))
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err == nil {
		err = run(ctx, os.Stdout, ln, cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "livebackend:", err)
		os.Exit(1)
	}
}
