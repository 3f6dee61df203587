package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersionFlag(t *testing.T) {
	res := runCmd(t, "", "-version")
	require.Equal(t, 0, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(res.stdout, "chatkpi "), res.stdout)
	assert.Contains(t, res.stdout, runtime.Version())
	assert.Empty(t, res.stderr)
}

// TestVersionFromBuildInfo builds the command from this checkout with VCS
// stamping on and checks that -version prints the checkout's revision: the
// version comes from the build information, not from a string in the code.
func TestVersionFromBuildInfo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (or no git): %v", err)
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	require.NoError(t, err)
	if fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !fi.IsDir() {
		t.Skip("a linked git worktree (.git is a file): the go command stamps VCS information only in a checkout whose .git is a directory")
	}
	bin := filepath.Join(t.TempDir(), "chatkpi")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin, "-version").Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), "revision "+strings.TrimSpace(string(head))[:12])
	assert.True(t, strings.HasPrefix(string(out), "chatkpi v0.0.0-"), "a checkout builds as a pseudo-version: %s", out)
}
