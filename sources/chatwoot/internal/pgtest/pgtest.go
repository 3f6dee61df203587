// Package pgtest starts a real, throwaway PostgreSQL server for the tests of
// the chatwoot source and loads Chatwoot's tables into it (schema.sql).
//
// The server is Debian's postgresql package (/usr/lib/postgresql/VERSION/bin,
// the newest version installed), or the directory named by CHATKPI_PG_BIN, or
// initdb and pg_ctl found on PATH. It runs from a new temporary directory,
// listens on a Unix socket in that directory only (no TCP port, so parallel
// test binaries cannot collide), trusts local connections, and is stopped and
// removed when the test ends. PostgreSQL refuses to run as root, so a test
// running as root starts it as the user "nobody", which owns the directory.
//
// Without a PostgreSQL installation the test is skipped with a message that
// says how to install one, unless CI=true: CI installs the package, so its
// absence there fails the test.
package pgtest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Schema is Chatwoot's tables as the source reads them (see schema.sql for
// the commit of Chatwoot's db/schema.rb it is translated from).
//
//go:embed schema.sql
var Schema string

// Server is a running PostgreSQL server with Schema loaded into its database
// "chatwoot".
type Server struct {
	// DSN connects to the database as its superuser, e.g.
	// "host=/tmp/chatkpi-pg-123 port=5432 user=chatkpi dbname=chatwoot".
	DSN string
}

// Start starts a server for t, loads Schema and stops the server when t
// ends. It skips t (or fails it with CI=true) when PostgreSQL is not
// installed.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := findBin()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but PostgreSQL is missing: %v (.ci/run installs Debian's postgresql package)", err)
		}
		t.Skipf("skipping the PostgreSQL test: %v (apt-get install postgresql, or set CHATKPI_PG_BIN; with CI=true this fails)", err)
	}
	cred, err := credential()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "chatkpi-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run("initdb", "-D", data, "-U", "chatkpi", "--auth=trust", "-E", "UTF8", "--no-sync")
	opts := fmt.Sprintf("-c listen_addresses='' -c unix_socket_directories='%s' -c port=5432 -c fsync=off -c TimeZone=UTC", dir)
	run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-o", opts, "-w", "-t", "60", "start")
	t.Cleanup(func() { run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop") })

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := fmt.Sprintf("host=%s port=5432 user=chatkpi dbname=postgres", dir)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE chatwoot"); err != nil {
		t.Fatal(err)
	}
	s := &Server{DSN: fmt.Sprintf("host=%s port=5432 user=chatkpi dbname=chatwoot", dir)}
	s.Exec(t, Schema)
	return s
}

// Exec runs sql (one or more statements) on the server's database.
func (s *Server) Exec(t testing.TB, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The simple protocol runs a script of several statements at once.
	if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
}

// findBin returns the directory holding initdb and pg_ctl.
func findBin() (string, error) {
	if dir := os.Getenv("CHATKPI_PG_BIN"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err != nil {
			return "", fmt.Errorf("CHATKPI_PG_BIN: %w", err)
		}
		return dir, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(dirs, func(a, b string) int { return version(a) - version(b) })
	if len(dirs) > 0 {
		return filepath.Dir(dirs[len(dirs)-1]), nil
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", fmt.Errorf("no initdb in /usr/lib/postgresql/*/bin or on PATH")
	}
	return filepath.Dir(p), nil
}

// version is the major version in a path /usr/lib/postgresql/VERSION/bin/initdb.
func version(initdb string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return v
}

// credential is the user the server runs as: nil (the current user) unless
// the test runs as root, which PostgreSQL refuses; then "nobody".
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs an unprivileged user: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user nobody has uid %q, gid %q", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: false, Groups: []uint32{}}, nil
}
