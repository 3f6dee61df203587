// Command chatkpi computes customer-experience metrics from conversation
// event files and prints the report as a table, JSON, a tidy CSV or an HTML
// page, or one row per conversation (-format conversations).
//
// Usage:
//
//	chatkpi [flags] [file.jsonl | file.csv | file.jsonl.gz | directory | pattern | -] ...
//
// Without file arguments it reads an embedded sample: by default 1,025
// Twitter customer-care conversations (see data/ATTRIBUTION.md), reported
// per brand; with -sample demo synthetic conversations that hold every kind
// of event (see internal/mkdemo). "-" reads standard input. See README.md
// (in this directory) for the flags, the output formats and the event file
// format.
package main

//go:generate go run ./internal/mkdata -src ../../datasets/twitter/testdata -o data/twitter-customer-care.jsonl

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	_ "time/tzdata" // -tz must work where no zone database is installed

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/render"
	"github.com/chatkpi/chatkpi/internal/reportflags"
	"github.com/chatkpi/chatkpi/internal/version"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, render.IsTerminal(os.Stderr)))
}

// run is the command: it returns the exit status, 0 on success, 1 on an
// error and 2 on a usage error. The progress line is drawn on stderr only
// when stderrIsTerminal.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, stderrIsTerminal bool) int {
	var s settings
	fs := newFlagSet(&s)
	showVersion := fs.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: chatkpi [flags] [file.jsonl | file.csv | file.jsonl.gz | directory | pattern | -] ...")
		fmt.Fprintln(stderr, "Without files it reads an embedded sample (-sample twitter, the default, or -sample demo).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package has printed the error and the usage
	}
	if *showVersion {
		fmt.Fprintln(stdout, version.String("chatkpi"))
		return 0
	}
	err := s.chooseSample(fs)
	if err == nil {
		err = execute(&s, fs.Args(), stdin, stdout, stderr, stderrIsTerminal)
	}
	if err != nil {
		fmt.Fprintf(stderr, "chatkpi: %s\n", strings.TrimPrefix(err.Error(), "chatkpi: "))
		var ue *reportflags.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "Run chatkpi -h for the flags.")
			return 2
		}
		return 1
	}
	return 0
}

func execute(s *settings, args []string, stdin io.Reader, stdout, stderr io.Writer, stderrIsTerminal bool) error {
	rs, err := s.report.ReportSettings()
	if err != nil {
		return err
	}
	if err := s.sampleCosts(&rs); err != nil {
		return err
	}
	rep, err := chatkpi.NewReport(rs)
	if err != nil {
		// Every setting comes from a flag, so a rejected setting is a bad flag.
		return reportflags.Usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
	}
	inputs, err := s.inputs(args, stdin)
	if err != nil {
		return err
	}
	if s.report.Exporting() {
		return s.export(rep, rs.Periods.Location(), inputs, stdout, stderr, stderrIsTerminal)
	}
	again := func() conversationAdder {
		rep, _ = chatkpi.NewReport(rs) // as above, with the same settings
		return rep
	}
	build := func(j *chatkpi.Joiner) error { // the report of held conversations, on every core
		r, err := j.Report(rs)
		if err == nil {
			rep = r
		}
		return err
	}
	if rs.FirstResponse.Durations.Streaming {
		collectStreaming()
	}
	dups, err := s.read(rep, again, build, inputs, stderr, stderrIsTerminal)
	if err != nil {
		if errors.Is(err, chatkpi.ErrLimit) {
			return fmt.Errorf("%w; raise the limit with -max-groups", err)
		}
		return err
	}
	sum, err := rep.Summary()
	if errors.Is(err, chatkpi.ErrNoData) {
		return errors.New("no conversations in the input")
	}
	if err != nil {
		return err
	}
	sum.DuplicatesDropped = int64(dups)
	if err := s.report.AddComparisons(rep, sum); err != nil {
		return err
	}
	return s.report.Write(stdout, sum, title(args, s.embedded))
}
