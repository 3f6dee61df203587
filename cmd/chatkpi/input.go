package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/render"
	"github.com/chatkpi/chatkpi/internal/reportflags"
)

// input is one event file to read.
type input struct {
	name   string // as shown in messages
	format string // "jsonl" or "csv"
	gz     bool   // the name ends in .gz
	size   int64  // in bytes; 0 when unknown
	open   func() (io.ReadCloser, error)
}

// fileError prefixes an error with the input it is about.
type fileError struct {
	name string
	err  error
}

func (e *fileError) Error() string { return e.name + ": " + explain(e.err) }

func (e *fileError) Unwrap() error { return e.err }

// explain formats an error of the library for the command: an error about
// the input says what to change in the command's own terms (its flags), not
// the library's.
func explain(err error) string {
	msg := strings.TrimPrefix(err.Error(), "chatkpi: ")
	var ie *chatkpi.InputError
	if !errors.As(err, &ie) {
		return msg
	}
	var hint string
	switch {
	case errors.Is(err, chatkpi.ErrLineTooLong):
		hint = "raise the limit with -max-line-size"
	case errors.Is(err, chatkpi.ErrUnknownField):
		hint = "ignore unknown fields with -ignore-unknown, or rename or ignore this one in a -map file"
	case errors.Is(err, chatkpi.ErrFieldNotApplicable):
		hint = `drop such fields with "ignore_inapplicable": true in a -map file`
	case errors.Is(err, chatkpi.ErrNotGrouped):
		hint = "drop -grouped to read interleaved lines"
	default:
		return msg
	}
	// A copy of the exported fields has no library hint.
	plain := chatkpi.InputError{Line: ie.Line, Conversation: ie.Conversation, Event: ie.Event, Field: ie.Field, Reason: ie.Reason}
	return strings.TrimPrefix(plain.Error(), "chatkpi: ") + " (" + hint + ")"
}

// inputs resolves the file arguments: none means the embedded sample, "-"
// standard input; a directory stands for the event files in it (not in its
// subdirectories), and an argument that names no file and holds *, ? or [
// for the files that match it (see [filepath.Match]), in name order.
func (s *settings) inputs(args []string, stdin io.Reader) ([]input, error) {
	switch s.inputFormat {
	case "", "jsonl", "csv":
	default:
		return nil, reportflags.Usagef("-input-format: %q is not jsonl or csv", s.inputFormat)
	}
	if len(args) == 0 {
		if s.inputFormat == "csv" {
			return nil, reportflags.Usagef("-input-format csv: the embedded sample is JSON Lines; give a CSV file")
		}
		return []input{{name: sampleName, format: "jsonl", size: int64(len(sample)),
			open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(sample)), nil }}}, nil
	}
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' {
			return nil, reportflags.Usagef("%s: flags come before the files (name a file starting with - as ./%s)", a, a)
		}
	}
	var ins []input
	stdinUsed := false
	for _, a := range args {
		if a == "-" {
			if stdinUsed {
				return nil, reportflags.Usagef("standard input (-) given twice")
			}
			stdinUsed = true
			in := input{name: "standard input", format: s.inputFormat}
			if in.format == "" {
				in.format = "jsonl"
			}
			in.open = func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil }
			ins = append(ins, in)
			continue
		}
		paths, err := expand(a)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			in, err := s.file(p)
			if err != nil {
				return nil, err
			}
			ins = append(ins, in)
		}
	}
	return ins, nil
}

// expand turns one argument into the paths of the files it stands for.
func expand(arg string) ([]string, error) {
	fi, err := os.Stat(arg)
	if err != nil && strings.ContainsAny(arg, "*?[") {
		matches, gerr := filepath.Glob(arg)
		if gerr != nil {
			return nil, reportflags.Usagef("%s: %v", arg, gerr)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("%s: no file matches the pattern", arg)
		}
		var out []string
		for _, m := range matches {
			ps, err := expand(m)
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
		}
		return out, nil
	}
	if err != nil || !fi.IsDir() {
		return []string{arg}, nil // a missing file is reported once its format is known
	}
	entries, err := os.ReadDir(arg)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries { // in name order
		if e.Type().IsRegular() && formatOf(e.Name()) != "" {
			out = append(out, filepath.Join(arg, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: a directory without event files (.jsonl, .json or .csv, optionally with .gz)", arg)
	}
	return out, nil
}

// formatOf tells the format from a file name: "jsonl", "csv" or "".
func formatOf(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".gz" {
		ext = strings.ToLower(filepath.Ext(strings.TrimSuffix(name, filepath.Ext(name))))
	}
	switch ext {
	case ".jsonl", ".json":
		return "jsonl"
	case ".csv":
		return "csv"
	}
	return ""
}

func (s *settings) file(name string) (input, error) {
	in := input{name: name, format: s.inputFormat, gz: strings.EqualFold(filepath.Ext(name), ".gz")}
	if in.format == "" {
		if in.format = formatOf(name); in.format == "" {
			return in, reportflags.Usagef("%s: cannot tell the format from the extension (.jsonl, .json or .csv, optionally with .gz); use -input-format", name)
		}
	}
	fi, err := os.Stat(name)
	if err != nil {
		return in, err
	}
	if fi.Mode().IsRegular() {
		in.size = fi.Size()
	}
	in.open = func() (io.ReadCloser, error) { return os.Open(name) }
	return in, nil
}

// Magic numbers of compressed input.
const (
	gzipMagic = "\x1f\x8b"
	zstdMagic = "\x28\xb5\x2f\xfd"
)

// decompress returns the content of r: r itself, or the decompressed stream
// of gzip input, told by its first bytes whatever its name. Input compressed
// with zstd is refused with a clear message: reading it would take a
// dependency that the module keeps out of its core.
func decompress(r io.Reader, in input) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(len(zstdMagic))
	if err != nil && err != io.EOF {
		return nil, err
	}
	switch {
	case strings.HasPrefix(string(head), gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	case strings.HasPrefix(string(head), zstdMagic):
		return nil, errors.New("zstd-compressed input is not supported (chatkpi reads gzip); decompress it first, for example with zstd -d")
	case in.gz:
		return nil, errors.New("the name ends in .gz, but the content is not gzip-compressed")
	}
	return br, nil
}

// conversationAdder is what the conversations read go to: the report, or
// the per-conversation export (exportAdder).
type conversationAdder interface {
	AddConversation(c chatkpi.Conversation) error
}

// read adds every conversation of the inputs to the report and returns the
// number of duplicate lines dropped. The lines of a conversation may be
// spread over the inputs, except with -grouped, where each conversation's
// lines must be contiguous within one input.
func (s *settings) read(rep conversationAdder, ins []input, stderr io.Writer, stderrIsTerminal bool) (int, error) {
	opts, err := s.readerOptions()
	if err != nil {
		return 0, err
	}
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
	sk := &skips{stderr: stderr, count: make(map[string]int)}
	lines := newLineIndex()
	j := &chatkpi.Joiner{DropIdentical: s.dropIdentical}
	for _, in := range ins {
		if err := s.readOne(rep, j, in, opts, lines, sk, progress); err != nil {
			return 0, err
		}
	}
	if !s.grouped {
		for _, c := range j.Conversations() {
			n := int64(len(c.Events))
			if err := s.add(rep, c, lines, sk); err != nil {
				return 0, err
			}
			progress.Add(n)
		}
	}
	progress.Done()
	sk.summary()
	if n := j.Duplicates(); n > 0 {
		rule := "the same conversation and event id as an earlier line"
		if s.dropIdentical {
			rule += "; with -drop-identical, or the same event without an id"
		}
		fmt.Fprintf(stderr, "chatkpi: dropped %d duplicate %s (%s)\n", n, plural(n, "line", "lines"), rule)
	}
	return j.Duplicates(), nil
}

// skips reports the lines skipped under -skip-invalid, and counts them per
// input.
type skips struct {
	stderr io.Writer
	count  map[string]int
	order  []string // inputs with skipped lines, in order
}

func (sk *skips) skip(file string, e *chatkpi.InputError) {
	if sk.count[file] == 0 {
		sk.order = append(sk.order, file)
	}
	sk.count[file]++
	fmt.Fprintf(sk.stderr, "chatkpi: %s: skipped %s\n", file, explain(e))
}

// summary writes the number of lines skipped in each input.
func (sk *skips) summary() {
	for _, file := range sk.order {
		n := sk.count[file]
		fmt.Fprintf(sk.stderr, "chatkpi: %s: skipped %d invalid %s\n", file, n, plural(n, "line", "lines"))
	}
}

// readOne reads one input into j: all of it, or with -grouped one
// conversation at a time into the report.
func (s *settings) readOne(rep conversationAdder, j *chatkpi.Joiner, in input, opts []chatkpi.ReaderOption, lines *lineIndex, sk *skips, progress *render.Progress) error {
	f, err := in.open()
	if err != nil {
		return err
	}
	defer f.Close()

	if s.skipInvalid {
		opts = append(opts[:len(opts):len(opts)], chatkpi.SkipInvalid(func(e *chatkpi.InputError) { sk.skip(in.name, e) }))
	}
	src, err := decompress(progress.Reader(f), in)
	if err != nil {
		return &fileError{in.name, err}
	}
	var r chatkpi.EventReader
	switch in.format {
	case "csv":
		cr, err := chatkpi.NewCSVReader(src, opts...)
		if err != nil {
			return reportflags.Usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
		r = cr
	default:
		jr, err := chatkpi.NewJSONLReader(src, opts...)
		if err != nil {
			return reportflags.Usagef("%s", strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
		r = jr
	}
	r = lines.reader(in.name, r)

	if !s.grouped {
		if err := j.Read(in.name, r); err != nil {
			return &fileError{in.name, err}
		}
		return nil
	}
	for c, err := range j.Grouped(in.name, r) {
		if err != nil {
			return &fileError{in.name, err}
		}
		n := int64(len(c.Events))
		if err := s.add(rep, c, lines, sk); err != nil {
			return err
		}
		progress.Add(n)
	}
	return nil
}

// add adds c to the report. An event that the report rejects (a score
// outside the CSAT scale) is an error naming its file and line; with
// -skip-invalid the event is dropped, reported as a skipped line, and the
// rest of the conversation is added. An error about the whole conversation
// drops all of its lines, each reported.
func (s *settings) add(rep conversationAdder, c *chatkpi.Chat, lines *lineIndex, sk *skips) error {
	defer lines.forget(c.Meta.ID)
	for {
		err := rep.AddConversation(c)
		var ie *chatkpi.InputError
		switch {
		case err == nil:
			return nil
		case !errors.As(err, &ie):
			return &fileError{lines.files[len(lines.files)-1], err}
		}
		file, located := lines.locate(c, ie)
		if !s.skipInvalid {
			return &fileError{file, located}
		}
		if ie.Event < 0 || ie.Event >= len(c.Events) {
			for _, at := range lines.of(c.Meta.ID) {
				e := *located
				e.Line = at.line
				sk.skip(lines.files[at.file], &e)
			}
			return nil
		}
		sk.skip(file, located)
		lines.drop(c, ie.Event)
		c.Events = append(c.Events[:ie.Event], c.Events[ie.Event+1:]...)
		if len(c.Events) == 0 {
			return nil
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
