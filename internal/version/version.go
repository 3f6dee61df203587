// Package version tells which build of a command is running, from the
// build information the Go toolchain embeds in every binary
// ([runtime/debug.ReadBuildInfo]): the main module's version and the
// version-control revision it was built from. Nothing is hard-coded, so the
// answer is right for `go install module@v1.2.3` (the version), for a build
// from a checkout (the revision, and whether the tree was modified) and for
// `go run` (no revision is stamped then, and it says so).
package version

import (
	"runtime/debug"
	"strings"
)

// String returns "NAME VERSION" followed by what is known of the build, such
// as "chatkpi v1.2.0" or "chatkpi (devel) revision 26f91a4c0e12, 2026-11-23T12:12:56Z,
// modified, go1.26.8".
func String(name string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return name + " (no build information)"
	}
	return describe(name, info)
}

// describe formats info; it is separate from String so that tests can pass
// build information of their own.
func describe(name string, info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(unknown version)"
	}
	parts := []string{name + " " + v}
	var rev, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		parts = append(parts, "revision "+rev)
	} else {
		parts = append(parts, "no VCS revision stamped (go run, go test and -buildvcs=false builds have none)")
	}
	if when != "" {
		parts = append(parts, when)
	}
	if modified {
		parts = append(parts, "modified")
	}
	if info.GoVersion != "" {
		parts = append(parts, info.GoVersion)
	}
	return parts[0] + " " + strings.Join(parts[1:], ", ")
}
