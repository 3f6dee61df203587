package main

import (
	"bytes"
	"fmt"
	"io"
	"iter"
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

// read adds every conversation of the inputs to the report, in order.
// Each conversation must lie within one input.
func (s *settings) read(rep *chatkpi.Report, ins []input, stderr io.Writer, stderrIsTerminal bool) error {
	var total int64
	for _, in := range ins {
		if in.size == 0 {
			total = 0 // unknown: the line shows no percentage
			break
		}
		total += in.size
	}
	progress := render.NewProgress(stderr, stderrIsTerminal, total)
	for _, in := range ins {
		if err := s.readOne(rep, in, progress, stderr); err != nil {
			progress.Done()
			return err
		}
	}
	progress.Done()
	return nil
}

func (s *settings) readOne(rep *chatkpi.Report, in input, progress *render.Progress, stderr io.Writer) error {
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

	var chats iter.Seq2[*chatkpi.Chat, error]
	if s.grouped {
		chats = chatkpi.Conversations(r)
	} else {
		all, err := chatkpi.ReadConversations(r)
		chats = func(yield func(*chatkpi.Chat, error) bool) {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, c := range all {
				if !yield(c, nil) {
					return
				}
			}
		}
	}
	for c, err := range chats {
		if err != nil {
			return &fileError{in.name, err}
		}
		if err := rep.AddConversation(c); err != nil {
			return &fileError{in.name, err}
		}
		progress.Add(int64(len(c.Events)))
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
