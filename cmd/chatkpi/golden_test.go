package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// golden compares got byte for byte with testdata/name, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/chatkpi -update to create it")
	if !bytes.Equal(want, got) {
		t.Fatalf("output differs from %s (go test ./cmd/chatkpi -update rewrites it): %s", path, firstDifference(want, got))
	}
}

// firstDifference describes the first line where got differs from want, so
// that a failure stays readable for large outputs.
func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			col := 0
			for col < min(len(wl), len(gl)) && wl[col] == gl[col] {
				col++
			}
			from := max(col-40, 0)
			return fmt.Sprintf("line %d, column %d:\nwant …%q\ngot  …%q", i+1, col+1, clip(wl[from:]), clip(gl[from:]))
		}
	}
	return "no difference"
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"default.txt", nil},
		{"default.json", []string{"-format", "json"}},
		{"default.csv", []string{"-format", "csv"}},
		{"by-handler.txt", []string{"-period", "month", "-group-by", "handler"}},
		{"by-handler.json", []string{"-period", "month", "-group-by", "handler", "-format", "json"}},
		{"by-handler.csv", []string{"-period", "month", "-group-by", "handler", "-format", "csv"}},
		{"conversations.csv", []string{"-format", "conversations"}},
		{"conversations.jsonl", []string{"-format", "conversations-jsonl", "-tz", "America/New_York"}},
		{"demo.txt", []string{"-sample", "demo"}},
		{"demo-by-agent.txt", []string{"-sample", "demo", "-group-by", "agent"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := runCmd(t, "", tc.args...)
			require.Equal(t, 0, res.code, res.stderr)
			require.Empty(t, res.stderr)
			golden(t, tc.file, []byte(res.stdout))
		})
	}
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
