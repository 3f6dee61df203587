package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/reportflags"
)

// settings are the command's flags: the report flags, shared with the other
// commands, and the input flags, before they are turned into reader options.
type settings struct {
	report               reportflags.Flags
	inputFormat          string
	skipInvalid, grouped bool
	dropIdentical        bool
	maxLineSize          int
	mapFile              string
	ignoreUnknown        bool
	sample               string
	embedded             *embeddedSample // read without file arguments, set by chooseSample
}

// newFlagSet declares the flags; their help texts are the command's usage.
func newFlagSet(s *settings) *flag.FlagSet {
	fs := flag.NewFlagSet("chatkpi", flag.ContinueOnError)
	s.report.Register(fs)
	fs.StringVar(&s.inputFormat, "input-format", "", "input `format`: jsonl or csv (default: from the file extension, before a .gz: .jsonl/.json → jsonl, .csv → csv; jsonl for standard input)")
	fs.BoolVar(&s.skipInvalid, "skip-invalid", false, "skip invalid lines, and events the report rejects (a score outside -csat-scale), listing each on standard error, instead of stopping at the first")
	fs.BoolVar(&s.grouped, "grouped", false, "the input's lines are grouped by conversation (as chatkpi writes them): read one conversation at a time (about 15 bytes per conversation), and a conversation that comes back later is an error; without it files are read so first, and read again, held in memory, if a conversation comes back")
	fs.BoolVar(&s.dropIdentical, "drop-identical", false, "also drop a line without an id whose event equals an earlier one of its conversation in every field (default: only lines with the same conversation and id are duplicates)")
	fs.IntVar(&s.maxLineSize, "max-line-size", chatkpi.DefaultMaxLineSize, "longest accepted line (JSON Lines), array element (JSON array) or record (CSV) in `bytes`")
	fs.StringVar(&s.mapFile, "map", "", "mapping JSON `file` that renames the input's fields, maps their values and ignores fields (see README)")
	fs.StringVar(&s.sample, "sample", defaultSample, "embedded `sample` read without file arguments: "+sampleNames()+": the Twitter customer-care conversations, per brand (-period none -group-by source unless given), or synthetic demo data with every kind of event")
	fs.BoolVar(&s.ignoreUnknown, "ignore-unknown", false, "ignore input fields that the event file format does not know, instead of rejecting their lines")
	return fs
}

// readerOptions maps the flags to reader options. A bad value is a
// [reportflags.UsageError]; an unreadable or invalid mapping file is not.
func (s *settings) readerOptions() ([]chatkpi.ReaderOption, error) {
	if s.maxLineSize <= 0 {
		return nil, reportflags.Usagef("-max-line-size: %d is not a positive number of bytes", s.maxLineSize)
	}
	opts := []chatkpi.ReaderOption{chatkpi.MaxLineSize(s.maxLineSize)}
	var m chatkpi.Mapping
	if s.mapFile != "" {
		data, err := os.ReadFile(s.mapFile)
		if err != nil {
			return nil, fmt.Errorf("-map: %w", err)
		}
		if m, err = chatkpi.ParseMapping(data); err != nil {
			return nil, fmt.Errorf("-map %s: %s", s.mapFile, strings.TrimPrefix(err.Error(), "chatkpi: "))
		}
	}
	m.IgnoreUnknown = m.IgnoreUnknown || s.ignoreUnknown
	if s.mapFile != "" || s.ignoreUnknown {
		opts = append(opts, chatkpi.MapFields(m))
	}
	return opts, nil
}
