package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at link time:
//
//	go build -ldflags "-X github.com/agentop/agentop/tui/cli.version=v1.2.3 -X github.com/agentop/agentop/tui/cli.commit=$(git rev-parse HEAD)"
var (
	version string
	commit  string
)

// buildVersion reports the version and commit from the linker flags, else
// from the build info Go records, else "dev" and "unknown" (as when built
// with -buildvcs=false from a checkout).
func buildVersion() VersionOutput {
	v := VersionOutput{Version: version, Commit: commit, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok {
		if v.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && v.Commit == "" {
				v.Commit = s.Value
			}
		}
		if info.GoVersion != "" {
			v.GoVersion = info.GoVersion
		}
	}
	if v.Version == "" {
		v.Version = "dev"
	}
	if v.Commit == "" {
		v.Commit = "unknown"
	}
	return v
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print agentop's version, commit and Go version",
		Long: `Print the version of agentop, the commit it was built from and the Go
version that built it. Builds from a checkout without release flags say "dev"
and, without VCS stamping, "unknown".`,
		Example: "  agentop version\n  agentop version -o json",
		Args:    args(0),
		RunE: func(*cobra.Command, []string) error {
			v := buildVersion()
			return a.emit(v, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "agentop %s (commit %s, %s, %s)\n", v.Version, v.Commit, v.GoVersion, v.Platform)
				return err
			})
		},
	}
}
