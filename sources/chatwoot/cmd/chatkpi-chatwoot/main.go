// Command chatkpi-chatwoot prints chatkpi's report of the conversations in a
// Chatwoot database (PostgreSQL), as a table, JSON, CSV or an HTML page.
//
// Usage:
//
//	chatkpi-chatwoot [-dsn DSN] [-account ID] [-since T] [-until T] [report flags]
//	chatkpi-chatwoot -version
//
// The report flags are chatkpi's (the input flags aside), declared by the same
// code, with the same meaning, defaults, errors and output. See
// ../../README.md for how Chatwoot's tables are mapped and where the figures
// differ from Chatwoot's own reports.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // -tz must work where no zone database is installed

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/reportflags"
	"github.com/chatkpi/chatkpi/internal/version"
	"github.com/chatkpi/chatkpi/sources/chatwoot"
	"github.com/jackc/pgx/v5"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// settings are the command's flags: its own, which choose the conversations,
// and chatkpi's report flags.
type settings struct {
	dsn, since, until string
	account           int64
	report            reportflags.Flags
}

func newFlagSet(s *settings) *flag.FlagSet {
	fs := flag.NewFlagSet("chatkpi-chatwoot", flag.ContinueOnError)
	fs.StringVar(&s.dsn, "dsn", "", "PostgreSQL connection `string` of the Chatwoot database, a URL or key=value pairs (default: the PG* environment variables, as psql reads them)")
	fs.Int64Var(&s.account, "account", 0, "read only the conversations of this account `id` (default: all accounts)")
	fs.StringVar(&s.since, "since", "", "read only the conversations created at or after this `time` (RFC 3339, or a date YYYY-MM-DD in -tz)")
	fs.StringVar(&s.until, "until", "", "read only the conversations created before this `time` (RFC 3339, or a date YYYY-MM-DD in -tz)")
	s.report.Register(fs)
	return fs
}

// run is the command; it returns the exit status: 0 on success, 1 on an
// error, 2 on a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var s settings
	fs := newFlagSet(&s)
	showVersion := fs.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: chatkpi-chatwoot [-dsn DSN] [-account ID] [-since T] [-until T] [report flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, version.String("chatkpi-chatwoot"))
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "chatkpi-chatwoot: unexpected argument %q: the conversations come from -dsn\n", fs.Arg(0))
		return 2
	}
	if err := execute(ctx, &s, stdout); err != nil {
		fmt.Fprintf(stderr, "chatkpi-chatwoot: %s\n", strings.TrimPrefix(err.Error(), "chatkpi: "))
		var ue *reportflags.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "Run chatkpi-chatwoot -h for the flags.")
			return 2
		}
		return 1
	}
	return 0
}

func execute(ctx context.Context, s *settings, stdout io.Writer) error {
	opts, err := s.report.ReportSettings()
	if err != nil {
		return err
	}
	loc := opts.Periods.Location()
	filter := chatwoot.Filter{Account: s.account}
	if filter.Since, err = parseTime("-since", s.since, loc); err != nil {
		return err
	}
	if filter.Until, err = parseTime("-until", s.until, loc); err != nil {
		return err
	}
	rep, err := chatkpi.NewReport(opts)
	if err != nil {
		return reportflags.Usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
	}
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return fmt.Errorf("-dsn: %w", err)
	}
	defer conn.Close(ctx)
	if s.report.Exporting() {
		err := s.report.Export(stdout, rep, loc, func(add func(chatkpi.Conversation) error) error {
			for c, err := range chatwoot.Conversations(ctx, conn, filter) {
				if err != nil {
					return err
				}
				if err := add(c); err != nil {
					return err
				}
			}
			return nil
		})
		if errors.Is(err, chatkpi.ErrNoData) {
			return errors.New("no conversations in the database (check -account, -since and -until)")
		}
		return err
	}
	if err := rep.AddAll(chatwoot.Conversations(ctx, conn, filter)); err != nil {
		return err
	}
	sum, err := rep.Summary()
	if errors.Is(err, chatkpi.ErrNoData) {
		return errors.New("no conversations in the database (check -account, -since and -until)")
	}
	if err != nil {
		return err
	}
	return s.report.Write(stdout, sum, "chatkpi report: Chatwoot database")
}

// parseTime reads an RFC 3339 time or a date (midnight in loc); "" is no
// limit.
func parseTime(flagName, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, reportflags.Usagef("%s: %q is neither an RFC 3339 time (2025-03-01T00:00:00Z) nor a date (2025-03-01)", flagName, s)
}
