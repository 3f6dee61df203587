// Command chatkpi computes customer-experience metrics from conversation
// event files and prints the report as a table, JSON, CSV or an HTML page.
//
// Usage:
//
//	chatkpi [flags] [file.jsonl | file.csv | file.jsonl.gz | directory | pattern | -] ...
//
// Without file arguments it reads the embedded sample, 1,025 Twitter
// customer-care conversations (see data/ATTRIBUTION.md). "-" reads standard
// input. See README.md for the flags and the event file format.
package main

//go:generate go run ./internal/mkdata -src ../../datasets/twitter/testdata -o data/twitter-customer-care.jsonl

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	_ "time/tzdata" // -tz must work where no zone database is installed

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/render"
	"github.com/chatkpi/chatkpi/internal/version"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, render.IsTerminal(os.Stderr)))
}

// run is the command: it returns the exit status, 0 on success, 1 on an
// error and 2 on a usage error. The progress line is drawn on stderr only
// when stderrIsTerminal.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, stderrIsTerminal bool) int {
	s := settings{set: make(map[string]bool)}
	fs := newFlagSet(&s)
	showVersion := fs.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: chatkpi [flags] [file.jsonl | file.csv | file.jsonl.gz | directory | pattern | -] ...")
		fmt.Fprintln(stderr, "Without files it reads the embedded Twitter customer-care sample.")
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
	fs.Visit(func(f *flag.Flag) { s.set[f.Name] = true })

	if err := execute(&s, fs.Args(), stdin, stdout, stderr, stderrIsTerminal); err != nil {
		fmt.Fprintf(stderr, "chatkpi: %s\n", strings.TrimPrefix(err.Error(), "chatkpi: "))
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "Run chatkpi -h for the flags.")
			return 2
		}
		return 1
	}
	return 0
}

func execute(s *settings, args []string, stdin io.Reader, stdout, stderr io.Writer, stderrIsTerminal bool) error {
	write, err := renderer(s.format)
	if err != nil {
		return err
	}
	opts, err := s.reportOptions()
	if err != nil {
		return err
	}
	rep, err := chatkpi.NewReport(opts...)
	if err != nil {
		// Every option comes from a flag, so a rejected option is a bad flag.
		return usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
	}
	inputs, err := s.inputs(args, stdin)
	if err != nil {
		return err
	}
	dups, err := s.read(rep, inputs, stderr, stderrIsTerminal)
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
	emit := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := write(bw, sum, title(args)); err != nil {
			return err
		}
		return bw.Flush()
	}
	if s.out == "" {
		return emit(stdout)
	}
	return writeReport(s.out, emit)
}

// writeReport streams what write writes into a new file next to name and
// renames it to name once complete, so that the report is never held in
// memory whole and a failure leaves no partial file.
func writeReport(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".chatkpi-*")
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
