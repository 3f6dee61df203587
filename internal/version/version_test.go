package version

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{
			name: "released",
			info: debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/chatkpi/chatkpi", Version: "v1.2.0"}},
			want: "chatkpi v1.2.0 no VCS revision stamped (go run, go test and -buildvcs=false builds have none), go1.26.8",
		},
		{
			name: "checkout",
			info: debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
				{Key: "vcs", Value: "git"},
				{Key: "vcs.revision", Value: "26f91a4c0e12aa55bb66cc77dd88ee99ff001122"},
				{Key: "vcs.time", Value: "2026-11-23T12:12:56Z"},
				{Key: "vcs.modified", Value: "true"},
			}},
			want: "chatkpi (devel) revision 26f91a4c0e12, 2026-11-23T12:12:56Z, modified, go1.26.8",
		},
		{
			name: "clean checkout, pseudo-version",
			info: debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261123121256-26f91a4c0e12"}, Settings: []debug.BuildSetting{
				{Key: "vcs.revision", Value: "26f91a4c0e12"},
				{Key: "vcs.modified", Value: "false"},
			}},
			want: "chatkpi v0.0.0-20261123121256-26f91a4c0e12 revision 26f91a4c0e12",
		},
		{
			name: "no main version",
			info: debug.BuildInfo{},
			want: "chatkpi (unknown version) no VCS revision stamped (go run, go test and -buildvcs=false builds have none)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, describe("chatkpi", &tc.info))
		})
	}
}

// TestStringReadsThisBinary checks String against the build information of
// the test binary itself, so that it cannot drift from describe.
func TestStringReadsThisBinary(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in this test binary")
	}
	assert.Equal(t, describe("x", info), String("x"))
}
