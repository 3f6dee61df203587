package main

import (
	"flag"
	"os"
	"path/filepath"
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
	require.Equal(t, string(want), string(got), "output differs from %s (go test ./cmd/chatkpi -update rewrites it)", path)
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
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := runCmd(t, "", tc.args...)
			require.Equal(t, 0, res.code, res.stderr)
			require.Empty(t, res.stderr)
			golden(t, tc.file, []byte(res.stdout))
		})
	}
}
