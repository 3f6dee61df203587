// Package beamreport computes a chatkpi report with Apache Beam, so that
// event files too large for one machine can be processed by a cluster
// (Dataflow, Flink, Spark) with the same result as the single-process
// [chatkpi.ReadConversations] + [chatkpi.Report].
//
// The pipeline:
//
//	files ──read, parse each line──▶ (conversation id, Line)
//	      ──GroupByKey──▶ lines of one conversation, put back in file order
//	      ──chatkpi.ReadConversations──▶ *chatkpi.Chat
//	      ──beam.Combine(chatkpi.ReportCombiner)──▶ *chatkpi.Summary ──▶ JSON
//
// A conversation is rebuilt by the core's own reader from its lines in file
// order, so that the grouping semantics (first non-empty conversation-level
// value wins, a conflict is an error, events sorted by time with a stable
// sort) are exactly those of [chatkpi.ReadConversations]. Files are taken in
// path order, as if they were one file. Only one conversation's lines are
// ever held together in memory; the report is combined in parts that Beam
// encodes with [chatkpi.Report.MarshalBinary] and merges on any worker.
// [ReportPerKey] makes one report per source, channel, customer or dimension.
//
// Nothing is skipped: an invalid line or a conflict fails the pipeline with
// the core's error message, prefixed by the file path and carrying the line
// number in that file.
package beamreport

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths; a main adds gcs, s3, …
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/chatkpi/chatkpi"
)

// Beam must know every DoFn, combine function and custom coder before
// beam.Init, in every worker process; registering them when the package is
// initialized is the Beam Go SDK's documented way.
func init() {
	register.DoFn3x1[context.Context, fileio.ReadableFile, func(string, Line), error](&parseFileFn{})
	register.Emitter2[string, Line]()
	register.DoFn3x1[string, func(*Line) bool, func(*chatkpi.Chat), error](&buildChatFn{})
	register.Iter1[Line]()
	register.Emitter1[*chatkpi.Chat]()
	register.Function1x2(summaryJSON)
	register.DoFn1x2[*chatkpi.Chat, string, *chatkpi.Chat](&keyFn{})
	register.Function2x2(keyedSummaryJSON)
	register.Function3x1(requireOutput)
	register.Iter1[string]()
	register.Emitter1[string]()
	register.Combiner3[*chatkpi.Report, *chatkpi.Chat, *chatkpi.Summary](&chatkpi.ReportCombiner{})
	beam.RegisterType(reflect.TypeOf((*Line)(nil)).Elem())
	beam.RegisterCoder(reflect.TypeOf((*chatkpi.Report)(nil)), encodeReport, decodeReport)
	beam.RegisterCoder(reflect.TypeOf((*chatkpi.Chat)(nil)), encodeChat, decodeChat)
	beam.RegisterCoder(reflect.TypeOf((*chatkpi.Summary)(nil)), encodeSummary, decodeSummary)
}

// Line is one line of an event file and its place, so that the lines of a
// conversation, grouped by Beam in no particular order, can be put back in
// file order.
type Line struct {
	File   string // path of the file
	Number int    // 1-based line number in File
	Text   string // the line without its terminator
}

// Report adds to s a pipeline that reads the JSON Lines event files matching
// glob (any file system Beam knows: local paths, gs://…), computes the report
// described by c over all their conversations, and returns a PCollection
// holding one string: the report's [chatkpi.Summary] as JSON (the same bytes
// as json.Marshal of the single-process summary). An input without
// conversations fails the pipeline with [chatkpi.ErrNoData], as the
// single-process report's Summary does. Invalid settings in c are
// returned as an error when the pipeline is built, not when it runs.
func Report(s beam.Scope, glob string, c chatkpi.ReportCombiner) (beam.PCollection, error) {
	if err := check(c); err != nil {
		return beam.PCollection{}, err
	}
	s = s.Scope("chatkpi.Report")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow()))
	chats := Conversations(s, files)
	summary := beam.Combine(s, c, chats)
	return nonEmpty(s, beam.ParDo(s, summaryJSON, summary)), nil
}

// check returns the error of c's settings, as the combiner would meet it
// on the workers.
func check(c chatkpi.ReportCombiner) error {
	s, err := c.Settings()
	if err == nil {
		_, err = chatkpi.NewReport(s)
	}
	return err
}

// nonEmpty passes col on, and fails the pipeline if col is empty. Beam's Go
// SDK emits nothing for a combine of no elements, where the single-process
// report returns chatkpi.ErrNoData; without this an input without
// conversations would end with no output file and no error.
func nonEmpty(s beam.Scope, col beam.PCollection) beam.PCollection {
	return beam.ParDo(s, requireOutput, beam.Impulse(s), beam.SideInput{Input: col})
}

func requireOutput(_ []byte, next func(*string) bool, emit func(string)) error {
	n := 0
	var v string
	for next(&v) {
		emit(v)
		n++
	}
	if n == 0 {
		return fmt.Errorf("no conversations in the input: %w", chatkpi.ErrNoData)
	}
	return nil
}

// ReportPerKey is [Report] with one report per value of a
// conversation-level field, by: "source", "channel", "customer" or
// "dim:NAME" (for example one report per brand or tenant). It combines with
// beam.CombinePerKey, so each key's report is built and merged in parallel.
// It returns a PCollection of strings, one per key, in no particular order,
// each a JSON object {"key": VALUE, "summary": SUMMARY}; conversations
// without a value have the key "". An input without conversations fails
// with [chatkpi.ErrNoData].
func ReportPerKey(s beam.Scope, glob, by string, c chatkpi.ReportCombiner) (beam.PCollection, error) {
	if err := check(c); err != nil {
		return beam.PCollection{}, err
	}
	if _, err := conversationKey(&chatkpi.Chat{}, by); err != nil {
		return beam.PCollection{}, err
	}
	s = s.Scope("chatkpi.ReportPerKey")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow()))
	keyed := beam.ParDo(s, &keyFn{By: by}, Conversations(s, files))
	return nonEmpty(s, beam.ParDo(s, keyedSummaryJSON, beam.CombinePerKey(s, c, keyed))), nil
}

// keyFn keys a conversation by the field By names.
type keyFn struct {
	By string // exported: Beam ships the DoFn's fields to workers as JSON
}

func (f *keyFn) ProcessElement(c *chatkpi.Chat) (string, *chatkpi.Chat) {
	k, _ := conversationKey(c, f.By) // By was checked when the pipeline was built
	return k, c
}

func conversationKey(c *chatkpi.Chat, by string) (string, error) {
	switch {
	case by == "source":
		return c.Meta.Source, nil
	case by == "channel":
		return c.Meta.Channel, nil
	case by == "customer":
		return c.Meta.Customer, nil
	case strings.HasPrefix(by, "dim:") && len(by) > len("dim:"):
		return c.Meta.Dims[by[len("dim:"):]], nil
	}
	return "", fmt.Errorf("%w: per-key report: key %q is not source, channel, customer or dim:NAME", chatkpi.ErrInvalid, by)
}

// KeyedSummary is an element of [ReportPerKey]'s output, as JSON.
type KeyedSummary struct {
	Key     string           `json:"key"`
	Summary *chatkpi.Summary `json:"summary"`
}

func keyedSummaryJSON(key string, s *chatkpi.Summary) (string, error) {
	b, err := json.Marshal(KeyedSummary{Key: key, Summary: s})
	return string(b), err
}

// Conversations turns a PCollection<fileio.ReadableFile> of JSON Lines event
// files into a PCollection<*chatkpi.Chat>, one element per conversation id.
func Conversations(s beam.Scope, files beam.PCollection) beam.PCollection {
	s = s.Scope("chatkpi.Conversations")
	lines := beam.ParDo(s, &parseFileFn{}, files)
	return beam.ParDo(s, &buildChatFn{}, beam.GroupByKey(s, lines))
}

// parseFileFn reads an event file and emits each non-blank line keyed by its
// conversation id, after checking that the core's parser accepts it.
type parseFileFn struct{}

func (*parseFileFn) ProcessElement(ctx context.Context, f fileio.ReadableFile, emit func(string, Line)) error {
	path := f.Metadata.Path
	rc, err := f.Open(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(nil, chatkpi.DefaultMaxLineSize+2)
	n := 0
	for sc.Scan() {
		n++
		id, err := conversationID(sc.Bytes())
		if err == io.EOF {
			continue // a blank line, skipped as the core's reader does
		}
		if err != nil {
			return lineError(path, n, err)
		}
		emit(id, Line{File: path, Number: n, Text: sc.Text()})
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("%s: line %d: longer than %d bytes (chatkpi.DefaultMaxLineSize): %w",
			path, n+1, chatkpi.DefaultMaxLineSize, chatkpi.ErrInvalid)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: after line %d: %w", path, n, err)
	}
	return nil
}

// conversationID parses one line with the core's JSON Lines reader and
// returns its conversation id, io.EOF for a blank line, or the parse error.
func conversationID(line []byte) (string, error) {
	r, err := chatkpi.NewJSONLReader(bytes.NewReader(line), chatkpi.MaxLineSize(max(len(line), 1)))
	if err != nil {
		return "", err
	}
	rec, err := r.Next()
	if err != nil {
		return "", err
	}
	return rec.Info.ID, nil
}

// lineError names the file and gives an *InputError the line number in that
// file instead of the line number in the text it was parsed from.
func lineError(path string, n int, err error) error {
	var ie *chatkpi.InputError
	if errors.As(err, &ie) {
		fixed := *ie
		fixed.Line = n
		return fmt.Errorf("%s: %w", path, &fixed)
	}
	return fmt.Errorf("%s: line %d: %w", path, n, err)
}

// buildChatFn rebuilds one conversation from its lines with
// [chatkpi.ReadConversations].
type buildChatFn struct{}

func (*buildChatFn) ProcessElement(id string, next func(*Line) bool, emit func(*chatkpi.Chat)) error {
	var lines []Line
	var l Line
	for next(&l) {
		lines = append(lines, l)
	}
	slices.SortFunc(lines, func(a, b Line) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Number, b.Number))
	})
	var text strings.Builder
	for _, l := range lines {
		text.WriteString(l.Text)
		text.WriteByte('\n')
	}
	r, err := chatkpi.NewJSONLReader(strings.NewReader(text.String()))
	if err != nil {
		return err
	}
	chats, err := chatkpi.ReadConversations(r)
	if err != nil {
		var ie *chatkpi.InputError
		if errors.As(err, &ie) && ie.Line >= 1 && ie.Line <= len(lines) {
			at := lines[ie.Line-1]
			return lineError(at.File, at.Number, err)
		}
		return fmt.Errorf("conversation %q: %w", id, err)
	}
	if len(chats) != 1 || chats[0].Meta.ID != id {
		return fmt.Errorf("conversation %q: its lines gave %d conversations", id, len(chats))
	}
	emit(chats[0])
	return nil
}

// summaryJSON encodes a summary as compact JSON, one line.
func summaryJSON(s *chatkpi.Summary) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// The accumulator travels between workers in the report's own binary
// encoding: a tag, a version, the settings fingerprint (so that reports
// with different settings are never merged) and each metric's encoding.
func encodeReport(r *chatkpi.Report) ([]byte, error) { return r.MarshalBinary() }

func decodeReport(b []byte) (*chatkpi.Report, error) {
	r := new(chatkpi.Report)
	if err := r.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return r, nil
}

// A conversation travels as its JSON Lines, written and read by the core,
// which keeps every field of the event file format.
func encodeChat(c *chatkpi.Chat) ([]byte, error) {
	var b bytes.Buffer
	w := chatkpi.NewJSONLWriter(&b)
	if err := w.WriteConversation(c); err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func decodeChat(b []byte) (*chatkpi.Chat, error) {
	r, err := chatkpi.NewJSONLReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	chats, err := chatkpi.ReadConversations(r)
	if err != nil {
		return nil, err
	}
	if len(chats) != 1 {
		return nil, fmt.Errorf("decoding a conversation: %d conversations in %d bytes", len(chats), len(b))
	}
	return chats[0], nil
}

func encodeSummary(s *chatkpi.Summary) ([]byte, error) { return json.Marshal(s) }

func decodeSummary(b []byte) (*chatkpi.Summary, error) {
	s := new(chatkpi.Summary)
	if err := json.Unmarshal(b, s); err != nil {
		return nil, err
	}
	return s, nil
}
