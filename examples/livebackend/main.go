// Command livebackend is a chat backend that keeps a live report of its
// conversations and serves it as JSON. Conversations arrive from concurrent
// HTTP requests, each one added to a [chatkpi.LiveReport], which is safe for
// concurrent use; any request may read the report at any time.
//
// Endpoints:
//
//	POST /conversations  one closed conversation as a JSON Lines event file
//	                     (the format of [chatkpi.JSONLWriter]; at most 1 MiB).
//	                     204 when added; 400 with {"error": ...} when the file
//	                     is invalid or holds other than one conversation, in
//	                     which case nothing is recorded; 413 when too large.
//	GET  /report         the report's [chatkpi.Summary] as JSON; 404 with
//	                     {"error": ...} until a conversation has been added
//	                     (no data is not a report of zeros).
//
// Post a conversation only once it is closed: metrics such as outcomes judge
// a conversation on its events as they stand, and a report cannot take a
// conversation back.
//
// Run it and try it:
//
//	go run ./examples/livebackend -addr 127.0.0.1:8080
//	curl --data-binary @conversation.jsonl http://127.0.0.1:8080/conversations
//	curl http://127.0.0.1:8080/report
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
	"time"

	"github.com/chatkpi/chatkpi"
)

// maxBody bounds the size of one posted conversation.
const maxBody = 1 << 20

// backend serves the live report. The LiveReport does the locking, so the
// handlers share it without a mutex of their own.
type backend struct {
	report *chatkpi.LiveReport
	mux    *http.ServeMux
}

func newBackend(opts chatkpi.ReportSettings) (*backend, error) {
	r, err := chatkpi.NewLiveReport(opts)
	if err != nil {
		return nil, err
	}
	b := &backend{report: r, mux: http.NewServeMux()}
	b.mux.HandleFunc("POST /conversations", b.postConversation)
	b.mux.HandleFunc("GET /report", b.getReport)
	return b, nil
}

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.mux.ServeHTTP(w, r) }

func (b *backend) postConversation(w http.ResponseWriter, r *http.Request) {
	jr, err := chatkpi.NewJSONLReader(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	chats, err := chatkpi.ReadConversations(jr)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, err)
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, err)
		return
	case len(chats) != 1:
		writeError(w, http.StatusBadRequest, fmt.Errorf("the body holds %d conversations, want exactly one", len(chats)))
		return
	}
	// AddConversation validates the whole conversation first: on error
	// nothing is recorded.
	if err := b.report.AddConversation(chats[0]); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, chatkpi.ErrInvalid) {
			status = http.StatusBadRequest
		}
		writeError(w, status, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (b *backend) getReport(w http.ResponseWriter, _ *http.Request) {
	s, err := b.report.Summary()
	switch {
	case errors.Is(err, chatkpi.ErrNoData):
		writeError(w, http.StatusNotFound, errors.New("no conversations yet"))
	case err != nil:
		writeError(w, http.StatusInternalServerError, err)
	default:
		writeJSON(w, http.StatusOK, s)
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

// reportOptions are the settings of the served report. A long-running
// server takes streaming percentiles: exact ones keep every duration (8
// bytes each, growing without bound), a sketch keeps bounded memory and
// stays within 1 % of the exact percentile. Counts and means stay exact.
func reportSettings() chatkpi.ReportSettings {
	return chatkpi.ReportSettings{}.WithStreaming(0)
}

// run serves the backend on ln until ctx is done, then shuts down
// gracefully, letting requests in flight finish for up to five seconds.
func run(ctx context.Context, w io.Writer, ln net.Listener) error {
	b, err := newBackend(reportSettings())
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(w, "listening on http://%s\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err == nil {
		err = run(ctx, os.Stdout, ln)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "livebackend:", err)
		os.Exit(1)
	}
}
