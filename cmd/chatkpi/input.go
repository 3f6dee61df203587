package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/render"
)

// input is one event file to read.
type input struct {
	name   string // as shown in messages
	format string // "jsonl" or "csv"
	size   int64  // in bytes; 0 when unknown
	open   func() (io.ReadCloser, error)
}

// fileError prefixes an error with the input it is about.
type fileError struct {
	name string
	err  error
}

func (e *fileError) Error() string {
	return e.name + ": " + strings.TrimPrefix(e.err.Error(), "chatkpi: ")
}

func (e *fileError) Unwrap() error { return e.err }

// inputs resolves the file arguments: none means the embedded sample, "-"
// standard input.
func (s *settings) inputs(args []string, stdin io.Reader) ([]input, error) {
	switch s.inputFormat {
	case "", "jsonl", "csv":
	default:
		return nil, usagef("-input-format: %q is not jsonl or csv", s.inputFormat)
	}
	if len(args) == 0 {
		if s.inputFormat == "csv" {
			return nil, usagef("-input-format csv: the embedded sample is JSON Lines; give a CSV file")
		}
		return []input{{name: sampleName, format: "jsonl", size: int64(len(sample)),
			open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(sample)), nil }}}, nil
	}
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' {
			return nil, usagef("%s: flags come before the files (name a file starting with - as ./%s)", a, a)
		}
	}
	var ins []input
	stdinUsed := false
	for _, a := range args {
		in := input{name: a, format: s.inputFormat}
		if a == "-" {
			if stdinUsed {
				return nil, usagef("standard input (-) given twice")
			}
			stdinUsed = true
			in.name = "standard input"
			if in.format == "" {
				in.format = "jsonl"
			}
			in.open = func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil }
			ins = append(ins, in)
			continue
		}
		if in.format == "" {
			switch strings.ToLower(filepath.Ext(a)) {
			case ".jsonl", ".json":
				in.format = "jsonl"
			case ".csv":
				in.format = "csv"
			default:
				return nil, usagef("%s: cannot tell the format from the extension (.jsonl, .json or .csv); use -input-format", a)
			}
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if fi.Mode().IsRegular() {
			in.size = fi.Size()
		}
		in.open = func() (io.ReadCloser, error) { return os.Open(a) }
		ins = append(ins, in)
	}
	return ins, nil
}

// read adds every conversation of the inputs to the report and returns the
// number of duplicate lines dropped. The lines of a conversation may be
// spread over the inputs, except with -grouped, where each conversation's
// lines must be contiguous within one input.
func (s *settings) read(rep *chatkpi.Report, ins []input, stderr io.Writer, stderrIsTerminal bool) (int, error) {
	var total int64
	for _, in := range ins {
		if in.size == 0 {
			total = 0 // unknown: the line shows no percentage
			break
		}
		total += in.size
	}
	progress := render.NewProgress(stderr, stderrIsTerminal, total)
	defer progress.Done()
	j := &chatkpi.Joiner{DropIdentical: s.dropIdentical}
	for _, in := range ins {
		if err := s.readOne(rep, j, in, progress, stderr); err != nil {
			return 0, err
		}
	}
	if !s.grouped {
		for _, c := range j.Conversations() {
			if err := rep.AddConversation(c); err != nil {
				if len(ins) == 1 {
					return 0, &fileError{ins[0].name, err}
				}
				return 0, err // the conversation may span the inputs; the error names it
			}
			progress.Add(int64(len(c.Events)))
		}
	}
	if n := j.Duplicates(); n > 0 {
		progress.Done()
		rule := "the same conversation and event id as an earlier line"
		if s.dropIdentical {
			rule += "; with -drop-identical, or the same event without an id"
		}
		fmt.Fprintf(stderr, "chatkpi: dropped %d duplicate %s (%s)\n", n, plural(n, "line", "lines"), rule)
	}
	return j.Duplicates(), nil
}

// readOne reads one input into j: all of it, or with -grouped one
// conversation at a time into the report.
func (s *settings) readOne(rep *chatkpi.Report, j *chatkpi.Joiner, in input, progress *render.Progress, stderr io.Writer) error {
	f, err := in.open()
	if err != nil {
		return err
	}
	defer f.Close()

	opts := []chatkpi.ReaderOption{chatkpi.MaxLineSize(s.maxLineSize)}
	if s.skipInvalid {
		opts = append(opts, chatkpi.SkipInvalid(func(e *chatkpi.InputError) {
			fmt.Fprintf(stderr, "chatkpi: %s: skipped %s\n", in.name, strings.TrimPrefix(e.Error(), "chatkpi: "))
		}))
	}
	var (
		r       chatkpi.EventReader
		skipped func() int
	)
	src := progress.Reader(f)
	switch in.format {
	case "csv":
		cr, err := chatkpi.NewCSVReader(src, opts...)
		if err != nil {
			return usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
		r, skipped = cr, cr.Skipped
	default:
		jr, err := chatkpi.NewJSONLReader(src, opts...)
		if err != nil {
			return usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
		r, skipped = jr, jr.Skipped
	}

	if !s.grouped {
		if err := j.Read(in.name, r); err != nil {
			return &fileError{in.name, err}
		}
	} else {
		for c, err := range j.Grouped(in.name, r) {
			if err != nil {
				return &fileError{in.name, err}
			}
			if err := rep.AddConversation(c); err != nil {
				return &fileError{in.name, err}
			}
			progress.Add(int64(len(c.Events)))
		}
	}
	if n := skipped(); n > 0 {
		fmt.Fprintf(stderr, "chatkpi: %s: skipped %d invalid %s\n", in.name, n, plural(n, "line", "lines"))
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
