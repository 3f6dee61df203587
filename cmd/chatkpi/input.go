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
	"runtime/debug"
	"slices"
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
	once   bool   // it cannot be read again (standard input)
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
		smp := s.embedded
		return []input{{name: smp.file, format: "jsonl", size: int64(len(smp.data)),
			open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(smp.data)), nil }}}, nil
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
			in := input{name: "standard input", format: s.inputFormat, once: true}
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
//
// Without -grouped, when again is not nil and every input can be read again
// (files, not standard input), the inputs are first read as -grouped reads
// them, each conversation added to the report as its lines end, holding one
// conversation at a time instead of every event: most files are grouped by
// conversation. Should the reading find out that they are not — a
// conversation comes back after others, or continues into the next input —
// or should the report refuse a conversation (whose message has to come
// after those of every invalid line, as when the input is held), read
// starts over: again returns a new, empty report, and the inputs are read
// again, held in memory. So the report, the messages and the errors are
// those of holding the inputs, whatever they hold; the lines skipped before
// starting over are reported once.
//
// Held inputs that can be read again go to build, which makes the report
// of the conversations held on every core (Joiner.Report), when it is not
// nil and no conversation was refused before: should it fail, read starts
// over once more, adding the conversations one by one, so that the
// messages about a refused conversation (which name its lines) and the
// errors are those of adding them so.
func (s *settings) read(rep conversationAdder, again func() conversationAdder, build func(*chatkpi.Joiner) error, ins []input,
	stderr io.Writer, stderrIsTerminal bool) (int, error) {
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
	sk := &skips{stderr: stderr, count: make(map[string]int), inputs: make(map[string]int)}
	for i := len(ins) - 1; i >= 0; i-- {
		sk.inputs[ins[i].name] = i // the first input of the name
	}
	how := holdAll
	switch {
	case s.grouped:
		how = groupedOnly
	case again != nil && !slices.ContainsFunc(ins, func(in input) bool { return in.once }):
		how = groupedFirst
	}
	progress := render.NewProgress(stderr, stderrIsTerminal, total)
	defer func() { progress.Done() }()
	j, err := s.readAll(rep, ins, opts, sk, progress, how, build)
	for {
		var so *startOver
		if !errors.As(err, &so) {
			break
		}
		rep = again()
		sk.startOver()
		progress = render.NewProgress(stderr, stderrIsTerminal, total) // over the same line
		j, err = s.readAll(rep, ins, opts, sk, progress, so.next, build)
	}
	if err != nil {
		return 0, err
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

// reading is how read reads the inputs.
type reading uint8

const (
	holdAll      reading = iota // every event held until the inputs end (Joiner.Read), then added one conversation at a time
	holdBuilt                   // as holdAll, the report built by read's build (Joiner.Report), starting over with holdAll when it fails
	groupedOnly                 // -grouped: one conversation at a time (Joiner.Grouped)
	groupedFirst                // as groupedOnly, starting over held (holdBuilt or holdAll) when that would differ
)

// startOver is readAll's "the inputs are to be read again, as next says":
// see read.
type startOver struct{ next reading }

func (e *startOver) Error() string { return "the inputs are to be read again, held" }

// readAll reads every input into the report, as how says, with a new Joiner,
// which it returns.
func (s *settings) readAll(rep conversationAdder, ins []input, opts []chatkpi.ReaderOption, sk *skips, progress *render.Progress,
	how reading, build func(*chatkpi.Joiner) error) (*chatkpi.Joiner, error) {
	held := how == holdAll || how == holdBuilt
	if held {
		collectHolding()
	}
	// Neither the report nor the export keeps a conversation after adding it.
	j := &chatkpi.Joiner{DropIdentical: s.dropIdentical, ReuseChats: true}
	for _, in := range ins {
		if err := s.readOne(rep, j, in, opts, sk, progress, how, build != nil); err != nil {
			return nil, err
		}
	}
	switch how {
	case holdBuilt:
		if build(j) != nil {
			return nil, &startOver{holdAll} // its messages, if any, are those of adding one by one
		}
	case holdAll:
		for c := range j.Conversations() {
			n := int64(len(c.Events))
			if err := s.add(rep, j, c, sk); err != nil {
				return nil, err
			}
			progress.Add(n)
		}
	}
	return j, nil
}

// holdingGCPercent is the command's GOGC while it holds the inputs, unless
// the environment sets one: most of the heap is then the events and
// conversations held, live until they are built, and packed without
// pointers (Joiner.Read), so that a collection marks them without scanning
// them; collecting when the heap has grown by a fifth instead of doubling
// it keeps the peak near the live heap for little CPU time (10 M
// interleaved events, 390 MB live when the reading ends: the collector's
// CPU time 0.11 s at GOGC 50, 0.22 s at 20; the peak 570 MB at 50, 430 to
// 450 MB at 20). Reading one conversation at a time keeps Go's default,
// 100: there the live heap is the report's, and the peak is that of its
// Summary.
const holdingGCPercent = 20

// collectHolding sets holdingGCPercent.
func collectHolding() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(holdingGCPercent)
	}
}

// streamingGCPercent is the command's GOGC in streaming mode, unless the
// environment sets GOGC or GOMEMLIMIT (holding the inputs sets
// holdingGCPercent instead): the live heap is then mostly the report's
// per-customer state, packed without pointers, which a collection marks
// without scanning it, so collecting when the heap has grown by a fifth
// instead of doubling it keeps the peak near the live heap for about 1 %
// more CPU time (10 M grouped events, 438 K customers, 41 MB live: 58 MB
// peak instead of 63 to 75 MB).
const streamingGCPercent = 20

// collectStreaming sets streamingGCPercent.
func collectStreaming() {
	_, gogc := os.LookupEnv("GOGC")
	_, limit := os.LookupEnv("GOMEMLIMIT")
	if !gogc && !limit {
		debug.SetGCPercent(streamingGCPercent)
	}
}

// skips reports the lines skipped under -skip-invalid, and counts them per
// input.
type skips struct {
	stderr io.Writer
	count  map[string]int
	order  []string       // inputs with skipped lines, in order
	inputs map[string]int // the index of each input's name in reading order
	told   int            // messages already written about the next lines skipped (see startOver)
}

func (sk *skips) skip(file string, e *chatkpi.InputError) {
	if sk.count[file] == 0 {
		sk.order = append(sk.order, file)
	}
	sk.count[file]++
	if sk.told > 0 {
		sk.told-- // written before starting over
		return
	}
	fmt.Fprintf(sk.stderr, "chatkpi: %s: skipped %s\n", file, explain(e))
}

// startOver forgets the lines skipped, for reading the inputs again, and
// does not write again the messages about those it wrote: the lines are
// skipped again in the same order.
func (sk *skips) startOver() {
	for _, file := range sk.order {
		sk.told += sk.count[file]
	}
	clear(sk.count)
	sk.order = sk.order[:0]
}

// summary writes the number of lines skipped in each input.
func (sk *skips) summary() {
	for _, file := range sk.order {
		n := sk.count[file]
		fmt.Fprintf(sk.stderr, "chatkpi: %s: skipped %d invalid %s\n", file, n, plural(n, "line", "lines"))
	}
}

// readOne reads one input into j: all of it (holdAll, holdBuilt), or one
// conversation at a time into the report. When groupedFirst starts over
// because the input is not grouped, it does so with holdBuilt if built.
func (s *settings) readOne(rep conversationAdder, j *chatkpi.Joiner, in input, opts []chatkpi.ReaderOption, sk *skips, progress *render.Progress,
	how reading, built bool) error {
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

	if how == holdAll || how == holdBuilt {
		if err := j.Read(in.name, r); err != nil {
			return &fileError{in.name, err}
		}
		return nil
	}
	for c, err := range j.Grouped(in.name, r) {
		if err != nil {
			if how == groupedFirst && errors.Is(err, chatkpi.ErrNotGrouped) {
				if built {
					return &startOver{holdBuilt}
				}
				return &startOver{holdAll}
			}
			return &fileError{in.name, err}
		}
		n := int64(len(c.Events))
		if how == groupedFirst {
			if rep.AddConversation(c) != nil {
				return &startOver{holdAll} // its message, if any, comes after those of the invalid lines
			}
			progress.Add(n)
			continue
		}
		if err := s.add(rep, j, c, sk); err != nil {
			return err
		}
		progress.Add(n)
	}
	return nil
}

// add adds c, a conversation of j, to the report. An event that the report
// rejects (a score outside the CSAT scale) is an error naming its file and
// line; with -skip-invalid the event is dropped, reported as a skipped line,
// and the rest of the conversation is added. An error about the whole
// conversation drops all of its lines, each reported.
func (s *settings) add(rep conversationAdder, j *chatkpi.Joiner, c *chatkpi.Chat, sk *skips) error {
	var kept []int // with dropped events: the index in c as j returned it of each event left
	for {
		err := rep.AddConversation(c)
		var ie *chatkpi.InputError
		switch {
		case err == nil:
			return nil
		case !errors.As(err, &ie):
			file, _, _ := j.Line(c, -1)
			return &fileError{file, err}
		}
		located := &chatkpi.InputError{Line: ie.Line, Conversation: ie.Conversation, Event: ie.Event, Field: ie.Field, Reason: ie.Reason}
		whole := ie.Event < 0 || ie.Event >= len(c.Events)
		at := -1 // the event as j returned it
		if !whole {
			at = ie.Event
			if kept != nil {
				at = kept[ie.Event]
			}
			located.Event = -1
		}
		file, line, _ := j.Line(c, at)
		located.Line = line
		if !s.skipInvalid {
			return &fileError{file, located}
		}
		if whole {
			for _, l := range sk.linesOf(j, c, kept) {
				e := *located
				e.Line = l.line
				sk.skip(l.file, &e)
			}
			return nil
		}
		sk.skip(file, located)
		if kept == nil {
			kept = make([]int, len(c.Events))
			for i := range kept {
				kept[i] = i
			}
		}
		kept = slices.Delete(kept, ie.Event, ie.Event+1)
		c.Events = slices.Delete(c.Events, ie.Event, ie.Event+1)
		if len(c.Events) == 0 {
			return nil
		}
	}
}

// place is a line of an input.
type place struct {
	file string
	line int
}

// linesOf returns the lines of the events of c left (kept, or all when
// kept is nil), in reading order: the inputs' order, then the lines'.
func (sk *skips) linesOf(j *chatkpi.Joiner, c *chatkpi.Chat, kept []int) []place {
	var out []place
	for i := range c.Events {
		k := i
		if kept != nil {
			k = kept[i]
		}
		file, line, _ := j.Line(c, k)
		out = append(out, place{file, line})
	}
	slices.SortFunc(out, func(a, b place) int {
		if a.file != b.file {
			return sk.inputs[a.file] - sk.inputs[b.file]
		}
		return a.line - b.line
	})
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
