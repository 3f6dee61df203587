package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/sources/chatwoot"
	"github.com/chatkpi/chatkpi/sources/chatwoot/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// TestSameReportAsChatkpi loads the source's fixture into a real PostgreSQL
// server and checks that chatkpi-chatwoot prints, byte for byte, the report
// that the chatkpi command prints from the same conversations written as an
// event file.
func TestSameReportAsChatkpi(t *testing.T) {
	srv := pgtest.Start(t)
	fixture, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fixture.sql"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Exec(t, string(fixture))

	dir := t.TempDir()
	events := filepath.Join(dir, "chatwoot.jsonl")
	exportJSONL(t, srv.DSN, events)
	chatkpiCmd := filepath.Join(dir, "chatkpi")
	build := exec.Command("go", "build", "-o", chatkpiCmd, "github.com/chatkpi/chatkpi/cmd/chatkpi")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building chatkpi: %v\n%s", err, out)
	}

	for _, flags := range [][]string{
		{"-format", "json", "-period", "none"},
		{"-format", "table"},
		{"-format", "csv", "-tz", "Europe/Berlin", "-period", "day", "-group-by", "agent,dim:inbox"},
		// chatkpi's other report flags, registered by the same code.
		{"-format", "json", "-period", "none", "-frt-human-only", "-frt-start", "conversation-start", "-percentiles", "75", "-csat-scale", "1-5", "-sla", "frt=1m,5m"},
		{"-format", "csv", "-mode", "streaming", "-accuracy", "0.02", "-period", "week", "-week-start", "sunday", "-group-by", "dim:account", "-metrics", "first_response_time,csat,outcomes"},
		// The per-conversation export, measured by the same report.
		{"-format", "conversations", "-tz", "Europe/Berlin"},
		{"-format", "conversations-jsonl", "-metrics", "first_response_time,bot_and_human"},
	} {
		t.Run(strings.Join(flags, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), append([]string{"-dsn", srv.DSN}, flags...), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			want, err := exec.Command(chatkpiCmd, append(flags, events)...).Output()
			if err != nil {
				t.Fatalf("chatkpi: %v", err)
			}
			if stdout.String() != string(want) {
				t.Errorf("chatkpi-chatwoot printed\n%s\nchatkpi printed\n%s", stdout.String(), want)
			}
		})
	}

	// -since as a date is midnight in -tz: 2025-03-04 in Berlin is 23:00 UTC
	// on the 3rd, when conversation 14 was created (15 follows at 23:30).
	var stdout, stderr bytes.Buffer
	args := []string{"-dsn", srv.DSN, "-since", "2025-03-04", "-tz", "Europe/Berlin", "-format", "json", "-period", "none"}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var sum chatkpi.Summary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Overall.Conversations != 2 {
		t.Errorf("-since 2025-03-04 in Berlin: %d conversations, want 2 (14 and 15)", sum.Overall.Conversations)
	}
}

// exportJSONL writes the conversations of the database as a chatkpi event
// file.
func exportJSONL(t *testing.T, dsn, path string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var buf bytes.Buffer
	w := chatkpi.NewJSONLWriter(&buf)
	n := 0
	for c, err := range chatwoot.Conversations(ctx, conn, chatwoot.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteConversation(c); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if n != 15 {
		t.Fatalf("%d conversations, want the fixture's 15", n)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestErrors checks the exit status and message of bad flags and of a
// database that cannot be reached.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-format", "xml"}, 2, `-format: "xml" is not table, json, csv, html, conversations or conversations-jsonl`},
		{[]string{"-tz", "Mars/Olympus"}, 2, `-tz: "Mars/Olympus" is not an IANA time zone`},
		{[]string{"-period", "fortnight"}, 2, `-period: "fortnight" is not one of day, week, month, year, none`},
		{[]string{"-group-by", "agent,agent"}, 2, `-group-by: "agent" given twice`},
		{[]string{"-group-by", "colour"}, 2, `-group-by: unknown grouping "colour"`},
		{[]string{"-mode", "fast"}, 2, `-mode: "fast" is not exact or streaming`},
		{[]string{"-accuracy", "0.02"}, 2, `-accuracy and -max-bins apply to -mode streaming only`},
		{[]string{"-since", "yesterday"}, 2, `-since: "yesterday" is neither an RFC 3339 time`},
		{[]string{"file.jsonl"}, 2, `unexpected argument "file.jsonl"`},
		{[]string{"-dsn", "host=" + t.TempDir() + " port=1 user=x dbname=x connect_timeout=5"}, 1, "-dsn: "},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.msg) || stdout.Len() != 0 {
			t.Errorf("%q: exit %d, stderr %q; want exit %d with %q", tc.args, code, stderr.String(), tc.code, tc.msg)
		}
	}
}

// TestVersion: -version prints the build information, like every command
// of the repository.
func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-version"}, &stdout, &stderr); code != 0 ||
		!strings.HasPrefix(stdout.String(), "chatkpi-chatwoot ") || !strings.Contains(stdout.String(), runtime.Version()) || stderr.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestEmptyDatabase: no conversations is "no data", not a report of zeros.
func TestEmptyDatabase(t *testing.T) {
	srv := pgtest.Start(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-dsn", srv.DSN}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "no conversations in the database") {
		t.Errorf("exit %d, stderr %q; want 1 and no conversations", code, stderr.String())
	}
}
