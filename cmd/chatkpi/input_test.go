package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSkipInvalidKeepsRecordsAfterAnUnclosedQuote: the repro
// skip_unterminated_quote.csv lost 250 of 500 conversations and said it
// skipped one line.
func TestSkipInvalidKeepsRecordsAfterAnUnclosedQuote(t *testing.T) {
	path := filepath.Join("testdata", "skip_unterminated_quote.csv")
	res := runCmd(t, "", "-skip-invalid", "-format", "json", "-period", "none", path)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Equal(t, path+`: skipped line 652: invalid CSV: the quoted field opened on line 652, column 44, is never closed (the input ends inside it); reading goes on at the next line`+"\n"+
		path+": skipped 1 invalid line\n", strings.ReplaceAll(res.stderr, "chatkpi: ", ""))
	s := summaryOf(t, "", "-skip-invalid", "-period", "none", path)
	assert.Equal(t, int64(500), s.Overall.Conversations)

	// More than the line limit after the quote: the same, with the limit named.
	var b strings.Builder
	b.WriteString("conversation,time,role,type,agent\nc0,2026-01-05T10:00:00Z,customer,message,\"ana\n")
	for range 200 {
		b.WriteString("c1,2026-01-05T10:00:00Z,customer,message,\n")
	}
	csv := writeFile(t, "events.csv", b.String())
	res = runCmd(t, "", "-skip-invalid", "-max-line-size", "1000", "-format", "json", csv)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stderr, `skipped line 2: CSV record longer than 1000 bytes: the quoted field opened on line 2, column 42, is not closed within that length (a missing closing quote?); reading goes on at the next line (raise the limit with -max-line-size)`)
	assert.Contains(t, res.stderr, "skipped 1 invalid line\n")
}

const (
	csatLine = `{"conversation":"c1","time":"2026-01-05T10:02:00Z","role":"customer","type":"rating","survey":"csat","score":9}` + "\n"
	yearLine = `{"conversation":"c1","time":"2300-01-05T10:03:00Z","role":"system","type":"resolved"}` + "\n"
)

// TestReportRejectionsNameTheLineAndAreSkippable: an event that the report
// rejects names its file and line, and -skip-invalid drops that line alone:
// the report is that of the input without it.
func TestReportRejectionsNameTheLineAndAreSkippable(t *testing.T) {
	for _, tt := range []struct {
		name, bad, want string
	}{
		{"csat out of scale", csatLine, `events.jsonl: line 3: conversation "c1": score: 9 is outside the csat scale 1–5`},
		{"year out of range", yearLine, `events.jsonl: line 3: conversation "c1": time: conversation time outside the supported range, the years 1678–2261`},
	} {
		for _, grouped := range [][]string{nil, {"-grouped"}} {
			t.Run(tt.name+strings.Join(grouped, ""), func(t *testing.T) {
				path := writeFile(t, "events.jsonl", goodLine1+goodLine2+tt.bad+goodLine1b)
				res := runCmd(t, "", append(grouped, path)...)
				assert.Equal(t, 1, res.code)
				assert.Contains(t, res.stderr, tt.want)

				res = runCmd(t, "", append(grouped, "-skip-invalid", "-format", "json", path)...)
				require.Equal(t, 0, res.code, res.stderr)
				assert.Contains(t, res.stderr, "skipped "+strings.TrimPrefix(tt.want, "events.jsonl: "))
				assert.Contains(t, res.stderr, "skipped 1 invalid line\n")
				want := runCmd(t, "", "-format", "json", writeFile(t, "events.jsonl", goodLine1+goodLine2+goodLine1b))
				assert.Equal(t, want.stdout, res.stdout)
			})
		}
	}
}

const goodLine1b = `{"conversation":"c2","time":"2026-01-05T10:00:00Z","role":"customer","type":"message"}` + "\n"

func TestMapAndIgnoreUnknown(t *testing.T) {
	export := `{"conversation_id":"c1","created_at":"2026-01-05T10:00:00Z","direction":"incoming","type":"message","text":"hi"}` + "\n" +
		`{"conversation_id":"c1","created_at":"2026-01-05T10:01:00Z","direction":"outgoing","type":"message","agent":"ana","text":"hello"}` + "\n"
	path := writeFile(t, "export.jsonl", export)
	mapping := writeFile(t, "map.json", `{"rename":{"conversation_id":"conversation","created_at":"time","direction":"role"},
		"values":{"role":{"incoming":"customer","outgoing":"agent"}},"ignore":["text"]}`)

	res := runCmd(t, "", path)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `export.jsonl: line 1: conversation_id: unknown field (ignore unknown fields with -ignore-unknown, or rename or ignore this one in a -map file)`)

	want := summaryOf(t, goodLine1+goodLine2, "-")
	got := summaryOf(t, "", "-map", mapping, path)
	assert.Equal(t, want.Overall.FirstResponseTime, got.Overall.FirstResponseTime)
	assert.Equal(t, int64(1), got.Overall.Conversations)

	// -ignore-unknown instead of the ignore list.
	mapping2 := writeFile(t, "map2.json", `{"rename":{"conversation_id":"conversation","created_at":"time","direction":"role"},
		"values":{"role":{"incoming":"customer","outgoing":"agent"}}}`)
	res = runCmd(t, "", "-map", mapping2, path)
	assert.Contains(t, res.stderr, "text: unknown field")
	got = summaryOf(t, "", "-map", mapping2, "-ignore-unknown", path)
	assert.Equal(t, want.Overall.FirstResponseTime, got.Overall.FirstResponseTime)

	res = runCmd(t, "", "-map", writeFile(t, "bad.json", `{"rename":{"a":"when"}}`), path)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `-map `)
	assert.Contains(t, res.stderr, `mapping: rename: "a" → "when": not a field of the event file format or dim.NAME`)

	res = runCmd(t, `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","score":3}`, "-")
	assert.Contains(t, res.stderr, `score: has no meaning on a message event (only on rating) (drop such fields with "ignore_inapplicable": true in a -map file)`)
	s := summaryOf(t, `{"conversation":"c1","time":"2026-01-05T10:00:00Z","role":"customer","type":"message","score":3}`,
		"-map", writeFile(t, "m.json", `{"ignore_inapplicable":true}`), "-")
	assert.Equal(t, int64(1), s.Overall.Conversations)
}

func gz(t *testing.T, data string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write([]byte(data))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestCompressedInput(t *testing.T) {
	want := runCmd(t, "", "-format", "json")
	require.Equal(t, 0, want.code)
	dir := t.TempDir()
	for _, name := range []string{"events.jsonl.gz", "events.jsonl", "events.json.GZ"} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, gz(t, string(twitterData)), 0o644))
		res := runCmd(t, "", append([]string{"-format", "json"}, append(twitterFlags(), path)...)...)
		require.Equal(t, 0, res.code, res.stderr)
		assert.Equal(t, want.stdout, res.stdout, name)
	}
	res := runCmd(t, string(gz(t, string(twitterData))), append([]string{"-format", "json"}, append(twitterFlags(), "-")...)...)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Equal(t, want.stdout, res.stdout, "gzip on standard input, told by its magic bytes")

	res = runCmd(t, "", writeFile(t, "plain.jsonl.gz", goodLine1))
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "plain.jsonl.gz: the name ends in .gz, but the content is not gzip-compressed")
	res = runCmd(t, "\x28\xb5\x2f\xfd rest", "-")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "standard input: zstd-compressed input is not supported (chatkpi reads gzip)")
	res = runCmd(t, "", writeFile(t, "events.jsonl.zst", goodLine1))
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "cannot tell the format")
}

func TestDirectoriesAndPatterns(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(goodLine1+goodLine2), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.jsonl.gz"), gz(t, goodLine1b), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not events"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "c.jsonl"), []byte(badLine), 0o644))

	s := summaryOf(t, "", dir)
	assert.Equal(t, int64(2), s.Overall.Conversations, "a.jsonl and b.jsonl.gz; not notes.txt, not sub/")
	s = summaryOf(t, "", filepath.Join(dir, "*.jsonl*"))
	assert.Equal(t, int64(2), s.Overall.Conversations)
	s = summaryOf(t, "", filepath.Join(dir, "a.*"))
	assert.Equal(t, int64(1), s.Overall.Conversations)

	res := runCmd(t, "", filepath.Join(dir, "*.csv"))
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "*.csv: no file matches the pattern")
	res = runCmd(t, "", filepath.Join(dir, "missing.jsonl"))
	assert.Equal(t, 1, res.code)
	res = runCmd(t, "", t.TempDir())
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "a directory without event files")
}

func TestJSONArrayFile(t *testing.T) {
	path := writeFile(t, "events.json", "[\n"+strings.TrimSuffix(goodLine1, "\n")+",\n"+strings.TrimSuffix(goodLine2, "\n")+"\n]\n")
	want := summaryOf(t, goodLine1+goodLine2, "-")
	got := summaryOf(t, "", path)
	assert.Equal(t, want, got)
}

func TestMessagesNameTheFlags(t *testing.T) {
	res := runCmd(t, goodLine1, "-max-line-size", "20", "-")
	assert.Equal(t, 1, res.code)
	assert.Equal(t, "chatkpi: standard input: line 1: line longer than 20 bytes (raise the limit with -max-line-size)\n", res.stderr)

	other := `{"conversation":"c2","time":"2026-01-05T10:00:30Z","role":"customer","type":"message"}` + "\n"
	res = runCmd(t, goodLine1+other+goodLine2, "-grouped", "-")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `line 3: conversation "c1": conversation: the conversation's lines are not contiguous: it came before, in this input or an earlier one, `+
		`so the input is not grouped by conversation (drop -grouped to read interleaved lines)`)
	assert.NotContains(t, res.stderr, "ReadConversations")

	// The largest limit does not overflow.
	s := summaryOf(t, goodLine1+goodLine2, "-max-line-size", "9223372036854775807", "-")
	assert.Equal(t, int64(1), s.Overall.Conversations)
	s = summaryOf(t, "conversation,time,role,type\nc1,2026-01-05T10:00:00Z,customer,message\n", "-max-line-size", "9223372036854775807", "-input-format", "csv", "-")
	assert.Equal(t, int64(1), s.Overall.Conversations)
}

// An error of the report about a whole conversation drops each of its lines,
// and the count says how many.
func TestReportRejectionOfAConversationDropsItsLines(t *testing.T) {
	start := `{"conversation":"c1","time":"2026-01-05T10:00:30Z","role":"system","type":"queued","start":"1500-01-01T00:00:00Z"}` + "\n"
	path := writeFile(t, "events.jsonl", goodLine1+start+goodLine2+goodLine1b)
	res := runCmd(t, "", path)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `events.jsonl: line 1: conversation "c1": start: conversation time outside the supported range, the years 1678–2261`)

	res = runCmd(t, "", "-skip-invalid", "-format", "json", path)
	require.Equal(t, 0, res.code, res.stderr)
	for _, line := range []string{"1", "2", "3"} {
		assert.Contains(t, res.stderr, `skipped line `+line+`: conversation "c1": start: conversation time outside`)
	}
	assert.Contains(t, res.stderr, "skipped 3 invalid lines\n")
	want := runCmd(t, "", "-format", "json", writeFile(t, "events.jsonl", goodLine1b))
	assert.Equal(t, want.stdout, res.stdout)
}

// FuzzDecompress: any input is read without a panic; input that does not
// start with a compression magic number is passed through unchanged, and
// gzip of any input gives it back.
func FuzzDecompress(f *testing.F) {
	f.Add([]byte(goodLine1))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd})
	f.Add([]byte{0x1f})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decompress(bytes.NewReader(data), input{})
		if err == nil {
			got, err := io.ReadAll(r)
			if !bytes.HasPrefix(data, []byte(gzipMagic)) {
				require.NoError(t, err)
				require.Equal(t, data, got)
			}
		}
		r, err = decompress(bytes.NewReader(gz(t, string(data))), input{gz: true})
		require.NoError(t, err)
		got, err := io.ReadAll(r)
		require.NoError(t, err)
		require.Equal(t, string(data), string(got))
	})
}

// TestREADMEMappingFile: the mapping file that README shows is one.
func TestREADMEMappingFile(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "## Reading another export")
	require.True(t, ok)
	_, rest, ok = strings.Cut(rest, "```json\n")
	require.True(t, ok)
	doc, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	m, err := chatkpi.ParseMapping([]byte(doc))
	require.NoError(t, err)
	assert.Equal(t, "role", m.Rename["message_type"])
}

// TestReportRejectionsNameTheirOwnLine: with a conversation spread over two
// inputs, out of time order and with a redelivered line, each event that
// the report rejects is named by its own input and line.
func TestReportRejectionsNameTheirOwnLine(t *testing.T) {
	dir := t.TempDir()
	bad := func(id, at string) string {
		return `{"conversation":"c1","id":"` + id + `","time":"2026-01-05T` + at + `Z","role":"customer","type":"rating","survey":"csat","score":9}` + "\n"
	}
	a := filepath.Join(dir, "a.jsonl")
	b := filepath.Join(dir, "b.jsonl")
	require.NoError(t, os.WriteFile(a, []byte(goodLine2+bad("r2", "10:05:00")), 0o644))
	require.NoError(t, os.WriteFile(b, []byte(bad("r2", "10:05:00")+goodLine1+bad("r1", "10:00:30")), 0o644))
	res := runCmd(t, "", a, b)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, `b.jsonl: line 3: conversation "c1": score: 9 is outside the csat scale 1–5`, "the earliest event, read last")

	res = runCmd(t, "", "-skip-invalid", "-format", "json", a, b)
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stderr, `b.jsonl: skipped line 3: conversation "c1": score: 9`)
	assert.Contains(t, res.stderr, `a.jsonl: skipped line 2: conversation "c1": score: 9`)
	assert.Contains(t, res.stderr, "dropped 1 duplicate line")
	want := runCmd(t, "", "-format", "json", writeFile(t, "events.jsonl", goodLine1+goodLine2))
	got := strings.Replace(res.stdout, `"duplicates_dropped": 1,`, `"duplicates_dropped": 0,`, 1)
	assert.True(t, want.stdout == got, "the report is that of the good lines (but for the duplicate dropped)")
}
