// Command chatkpi-chatwoot prints chatkpi's report of the conversations in a
// Chatwoot database (PostgreSQL), as a table, JSON, CSV or an HTML page.
//
// Usage:
//
//	chatkpi-chatwoot [-dsn DSN] [-account ID] [-since T] [-until T] [report flags]
//	chatkpi-chatwoot -version
//
// The report flags are a subset of chatkpi's, with the same meaning, defaults
// and output (the same renderers): -format, -o, -tz, -period, -group-by. See
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
	"github.com/chatkpi/chatkpi/internal/render"
	"github.com/chatkpi/chatkpi/internal/version"
	"github.com/chatkpi/chatkpi/sources/chatwoot"
	"github.com/jackc/pgx/v5"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// settings are the command's flags.
type settings struct {
	dsn, since, until              string
	account                        int64
	format, out, tz, period, group string
}

func newFlagSet(s *settings) *flag.FlagSet {
	fs := flag.NewFlagSet("chatkpi-chatwoot", flag.ContinueOnError)
	fs.StringVar(&s.dsn, "dsn", "", "PostgreSQL connection `string` of the Chatwoot database, a URL or key=value pairs (default: the PG* environment variables, as psql reads them)")
	fs.Int64Var(&s.account, "account", 0, "read only the conversations of this account `id` (default: all accounts)")
	fs.StringVar(&s.since, "since", "", "read only the conversations created at or after this `time` (RFC 3339, or a date YYYY-MM-DD in -tz)")
	fs.StringVar(&s.until, "until", "", "read only the conversations created before this `time` (RFC 3339, or a date YYYY-MM-DD in -tz)")
	fs.StringVar(&s.format, "format", "table", "output `format`: table, json, csv or html")
	fs.StringVar(&s.out, "o", "", "write the report to `file` instead of standard output")
	fs.StringVar(&s.tz, "tz", "UTC", "IANA time `zone` in which periods are cut")
	fs.StringVar(&s.period, "period", "month", "group by `period`: day, week, month, year or none")
	fs.StringVar(&s.group, "group-by", "", "comma-separated `groupings`: agent, channel, source, handler, dim:inbox, dim:account (default: none)")
	return fs
}

// usageError is a bad flag value: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

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
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "Run chatkpi-chatwoot -h for the flags.")
			return 2
		}
		return 1
	}
	return 0
}

func execute(ctx context.Context, s *settings, stdout io.Writer) error {
	write, err := renderer(s.format)
	if err != nil {
		return err
	}
	opts, loc, err := s.reportOptions()
	if err != nil {
		return err
	}
	filter := chatwoot.Filter{Account: s.account}
	if filter.Since, err = parseTime("-since", s.since, loc); err != nil {
		return err
	}
	if filter.Until, err = parseTime("-until", s.until, loc); err != nil {
		return err
	}
	rep, err := chatkpi.NewReport(opts...)
	if err != nil {
		return usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
	}
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return fmt.Errorf("-dsn: %w", err)
	}
	defer conn.Close(ctx)
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
	w := stdout
	var f *os.File
	if s.out != "" {
		if f, err = os.Create(s.out); err != nil {
			return err
		}
		w = f
	}
	err = write(w, sum)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// renderer returns the writer of a -format, the same as chatkpi's.
func renderer(format string) (func(io.Writer, *chatkpi.Summary) error, error) {
	switch format {
	case "table":
		return render.Table, nil
	case "json":
		return render.JSON, nil
	case "csv":
		return render.CSV, nil
	case "html":
		return func(w io.Writer, s *chatkpi.Summary) error {
			return render.HTML(w, s, "chatkpi report: Chatwoot database")
		}, nil
	}
	return nil, usagef("-format: %q is not table, json, csv or html", format)
}

// reportOptions maps the report flags to report options, as chatkpi does
// for the same flags.
func (s *settings) reportOptions() ([]chatkpi.ReportOption, *time.Location, error) {
	loc, err := time.LoadLocation(s.tz)
	if err != nil || s.tz == "" || s.tz == "Local" {
		return nil, nil, usagef("-tz: %q is not an IANA time zone name such as Europe/Berlin or UTC", s.tz)
	}
	ps, err := chatkpi.NewPeriods(loc, time.Monday)
	if err != nil {
		return nil, nil, usagef("-tz: %v", err)
	}
	opts := []chatkpi.ReportOption{chatkpi.ReportPeriods(ps)}
	if s.period != "none" {
		p, err := chatkpi.ParsePeriod(s.period)
		if err != nil {
			return nil, nil, usagef("-period: %q is not one of day, week, month, year, none", s.period)
		}
		opts = append(opts, chatkpi.ReportPeriod(p))
	}
	if s.group != "" {
		var gs []chatkpi.Grouping
		seen := map[string]bool{}
		for _, name := range strings.Split(s.group, ",") {
			name = strings.TrimSpace(name)
			g, err := chatkpi.ParseGrouping(name)
			if err != nil {
				return nil, nil, usagef("-group-by: unknown grouping %q (want agent, channel, source, handler or dim:NAME)", name)
			}
			if seen[name] {
				return nil, nil, usagef("-group-by: %q given twice", name)
			}
			seen[name] = true
			gs = append(gs, g)
		}
		opts = append(opts, chatkpi.ReportGroupBy(gs...))
	}
	return opts, loc, nil
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
	return time.Time{}, usagef("%s: %q is neither an RFC 3339 time (2025-03-01T00:00:00Z) nor a date (2025-03-01)", flagName, s)
}
