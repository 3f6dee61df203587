package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEmbeddedDemoUpToDate fails when the committed demo sample differs from
// what mkdemo writes now: the sample is deterministic, and regenerating it
// (go generate ./cmd/chatkpi) gives the same bytes.
func TestEmbeddedDemoUpToDate(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, write(&a))
	require.NoError(t, write(&b))
	require.True(t, bytes.Equal(a.Bytes(), b.Bytes()), "two runs of mkdemo differ")
	committed, err := os.ReadFile("../../data/demo.jsonl")
	require.NoError(t, err)
	require.True(t, bytes.Equal(a.Bytes(), committed), "data/demo.jsonl is stale: run go generate ./cmd/chatkpi")
}
