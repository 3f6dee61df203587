package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const src = "../../../../datasets/twitter/testdata"

// TestEmbeddedDataUpToDate fails when the committed data file differs from
// what the converter writes now: regenerate it with go generate in
// cmd/chatkpi.
func TestEmbeddedDataUpToDate(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, convert(&b, src))
	committed, err := os.ReadFile("../../data/twitter-customer-care.jsonl")
	require.NoError(t, err)
	require.True(t, bytes.Equal(b.Bytes(), committed),
		"data/twitter-customer-care.jsonl is stale: run go generate ./cmd/chatkpi")
}

// TestLicenseCopied checks that the licence beside the embedded data is the
// one of the source data.
func TestLicenseCopied(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(src, "LICENSE"))
	require.NoError(t, err)
	got, err := os.ReadFile("../../data/LICENSE")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

func TestWriteFileKeepsOldFileOnError(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.jsonl")
	require.NoError(t, os.WriteFile(out, []byte("old"), 0o644))
	require.Error(t, writeFile(t.TempDir(), out))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, "old", string(b))

	require.NoError(t, writeFile(src, out))
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	require.NotEqual(t, "old", string(b))
}
