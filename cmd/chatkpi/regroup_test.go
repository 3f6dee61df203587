package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// added keeps what read gives it: each conversation's id and events.
type added struct{ convs []string }

func (a *added) AddConversation(c chatkpi.Conversation) error {
	a.convs = append(a.convs, c.Info().ID+":"+strings.Repeat("e", c.Len()))
	return nil
}

// readFiles runs read on the files with the flags, and returns the
// conversations of the report read returns (the first, or the one again
// made) and whether it started over.
func readFiles(t *testing.T, flags []string, stdin string, files ...string) (convs []string, startedOver bool, stderr string) {
	t.Helper()
	var s settings
	fs := newFlagSet(&s)
	require.NoError(t, fs.Parse(flags))
	ins, err := s.inputs(files, strings.NewReader(stdin))
	require.NoError(t, err)
	rep := &added{}
	var errw bytes.Buffer
	_, err = s.read(rep, func() conversationAdder {
		require.False(t, startedOver, "started over twice")
		startedOver, rep = true, &added{}
		return rep
	}, nil, ins, &errw, false)
	require.NoError(t, err)
	return rep.convs, startedOver, errw.String()
}

func line(conv, tm, role string) string {
	return `{"conversation":"` + conv + `","time":"2026-01-05T10:` + tm + `:00Z","role":"` + role + `","type":"message"}` + "\n"
}

// TestReadGroupedFirst: the default reading adds the conversations of
// grouped files as their lines end, and starts over, holding the lines,
// when a conversation comes back (in the file or the next one): the
// conversations added are those of holding the lines, whatever the input.
func TestReadGroupedFirst(t *testing.T) {
	a1, a2, b1, c1 := line("a", "00", "customer"), line("a", "01", "agent"), line("b", "02", "customer"), line("c", "03", "customer")
	for _, tt := range []struct {
		name        string
		files       []string
		startedOver bool
	}{
		{"grouped", []string{a1 + a2 + b1 + c1}, false},
		{"grouped, over two files", []string{a1 + a2, b1 + c1}, false},
		{"a conversation comes back", []string{a1 + b1 + a2 + c1}, true},
		{"a conversation goes on in the next file", []string{a1, a2 + b1 + c1}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for i, f := range tt.files {
				paths = append(paths, writeFile(t, string(rune('p'+i))+".jsonl", f))
			}
			convs, startedOver, _ := readFiles(t, nil, "", paths...)
			assert.Equal(t, tt.startedOver, startedOver)
			assert.Equal(t, []string{"a:ee", "b:e", "c:e"}, convs)

			if !tt.startedOver {
				convs, startedOver, _ = readFiles(t, []string{"-grouped"}, "", paths...)
				assert.False(t, startedOver, "-grouped never starts over")
				assert.Equal(t, []string{"a:ee", "b:e", "c:e"}, convs)
				// Standard input cannot be read again: it is held at once.
				convs, startedOver, _ = readFiles(t, nil, strings.Join(tt.files, ""), "-")
				assert.False(t, startedOver)
				assert.Equal(t, []string{"a:ee", "b:e", "c:e"}, convs)
			}
		})
	}
}

// TestStartingOverReportsSkippedLinesOnce: lines skipped before starting
// over are reported once, and counted once.
func TestStartingOverReportsSkippedLinesOnce(t *testing.T) {
	bad := `{"conversation":"x","time":"soon","role":"customer","type":"message"}` + "\n"
	path := writeFile(t, "events.jsonl", line("a", "00", "customer")+bad+line("b", "01", "customer")+bad+line("a", "02", "agent")+bad)
	convs, startedOver, stderr := readFiles(t, []string{"-skip-invalid"}, "", path)
	require.True(t, startedOver)
	assert.Equal(t, []string{"a:ee", "b:e"}, convs)
	for _, l := range []int{2, 4, 6} {
		assert.Equal(t, 1, strings.Count(stderr, "events.jsonl: skipped line "+string(rune('0'+l))+":"), stderr)
	}
	assert.Equal(t, 1, strings.Count(stderr, "skipped 3 invalid lines\n"), stderr)
}

// TestGroupedFirstKeepsTheMessagesOfHolding: on a grouped file, the
// command's messages and report are those of reading it held (as standard
// input is read), also when the report refuses a conversation before an
// invalid line: the invalid line is still reported first.
func TestGroupedFirstKeepsTheMessagesOfHolding(t *testing.T) {
	bad := `{"conversation":"x","time":"soon","role":"customer","type":"message"}` + "\n"
	content := goodLine1 + goodLine2 + csatLine + goodLine1b + bad
	path := writeFile(t, "events.jsonl", content)
	for _, flags := range [][]string{{"-format", "json"}, {"-format", "json", "-skip-invalid"}} {
		fromFile := runCmd(t, "", append(flags, path)...)
		fromStdin := runCmd(t, content, append(flags, "-")...)
		assert.Equal(t, fromStdin.code, fromFile.code)
		assert.Equal(t, fromStdin.stdout, fromFile.stdout)
		assert.Equal(t, fromStdin.stderr, strings.ReplaceAll(fromFile.stderr, path, "standard input"))
		assert.Contains(t, fromFile.stderr, "line 5")
	}
}
