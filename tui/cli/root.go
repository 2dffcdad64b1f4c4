// Package cli is agentop's command tree: the dashboard (agentop with no
// subcommand), the headless gh/kubectl-style commands (agentop executions
// list, agentop reply, agentop wait, …), configuration, and the simulator
// server (agentop sim).
//
// Every command prints tables that fit the terminal (or -o json, a stable
// shape documented in schema.go), sanitises platform text before it reaches
// the terminal, reports a failure as one line on stderr and exits with a
// documented code: 0 ok, 1 API or network error, 2 usage, 3 not found,
// 4 authentication.
package cli

import (
	"github.com/agentop/agentop/api/platform"

	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/tui/config"
	"github.com/agentop/agentop/tui/theme"
)

// Execute runs agentop with the process's arguments, environment and
// standard streams, and returns the exit code. Ctrl-C cancels the command.
func Execute() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := newApp(StdIO(), os.Getenv)
	a.simAddr = defaultSimAddr
	return a.run(ctx, os.Args[1:])
}

// run executes the command line args. A failure is printed as one line on
// stderr, never with the API key.
func (a *app) run(ctx context.Context, args []string) int {
	defer a.close()
	root := a.newRoot()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ce *codeError
	if errors.As(err, &ce) && ce.help && cmd != nil {
		err = fmt.Errorf("%w (see '%s --help')", err, cmd.CommandPath())
	}
	fmt.Fprintln(a.io.Err, errorLine(err, a.secrets.all()...))
	return exitCode(err)
}

// Command groups in the root's help.
const (
	groupExec    = "exec"
	groupCatalog = "catalog"
	groupSetup   = "setup"
)

// newRoot builds the command tree.
func (a *app) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "agentop",
		Short: "A terminal dashboard and CLI for fleets of AI agents",
		Long: `agentop watches and steers the executions of AI agents: k9s for agent runs.

Run without a command, it opens the live dashboard: every execution, its
activity feed, and the agents waiting for a human to answer. With no API key
configured, the dashboard starts on the built-in simulator (demo data).

The commands below do the same headlessly, for scripts and quick looks. Every
read prints a table that fits the terminal, or JSON with -o json. Commands
need an API key (ASTEROID_API_KEY, or a context in the config file); add
--demo to try them on demo data.

An execution can be named by a unique start of its id (the 8 characters the
dashboard shows); agents, profiles and pools by name.

Configuration comes from flags, then the environment, then
$XDG_CONFIG_HOME/agentop/config.yaml (see 'agentop config --help').

Exit codes: 0 ok, 1 API or network error, 2 usage or configuration error,
3 not found, 4 no or refused credentials (HTTP 401/403), 130 interrupted;
'agentop wait' adds 5 (ended without what was awaited) and 6 (timed out).`,
		Example: `  # Open the dashboard (demo data when no key is set)
  agentop

  # List the executions waiting for an answer, then answer one
  export ASTEROID_API_KEY=…
  agentop executions list --status paused_by_agent
  agentop reply 5f0c… "Use the billing address on file"

  # Try everything on the built-in simulator
  agentop --demo executions list -o json`,
		Args:              a.noCommand,
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: a.preRun,
		RunE:              a.runDashboard,
	}
	a.root = root
	root.SetIn(a.io.In)
	root.SetOut(a.io.Out)
	root.SetErr(a.io.Err)
	root.SuggestionsMinimumDistance = 2
	a.addGlobalFlags(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErrorf("%v", err) })

	root.AddGroup(
		&cobra.Group{ID: groupExec, Title: "Executions:"},
		&cobra.Group{ID: groupCatalog, Title: "Agents, profiles, pools and deployments:"},
		&cobra.Group{ID: groupSetup, Title: "Setup and tools:"},
	)
	inGroup := func(id string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = id
			root.AddCommand(c)
		}
	}
	inGroup(groupExec,
		a.executionsCmd(), a.activitiesCmd(), a.executeCmd(), a.replyCmd(), a.waitCmd(),
		a.pauseCmd(), a.resumeCmd(), a.cancelCmd(), a.filesCmd(), a.recordingCmd())
	inGroup(groupCatalog, a.agentsCmd(), a.profilesCmd(), a.poolsCmd(), a.environmentsCmd(), a.deploymentsCmd())
	inGroup(groupSetup, a.configCmd(), a.simCmd(), a.keysCmd(), a.versionCmd())
	root.SetHelpCommandGroupID(groupSetup)
	root.SetCompletionCommandGroupID(groupSetup)
	a.initCompletion(root)
	return root
}

// addGlobalFlags defines the flags every command accepts.
func (a *app) addGlobalFlags(root *cobra.Command) {
	pf := root.PersistentFlags()
	pf.StringVar(&a.flags.context, "context", "", "context from the config file to use ($AGENTOP_CONTEXT)")
	pf.StringVar(&a.flags.platform, "platform", "", "platform to talk to: "+strings.Join(platform.Names(), ", ")+" ($AGENTOP_PLATFORM; default "+platform.Default+")")
	pf.StringVar(&a.flags.baseURL, "base-url", "", "API origin, default the platform's public one ($ASTEROID_BASE_URL, … per platform)")
	pf.StringVar(&a.flags.org, "org", "", "organization id ($ASTEROID_ORGANIZATION_ID, … per platform)")
	pf.BoolVar(&a.flags.insecure, "insecure", false, "allow plain http to a host that is not loopback")
	pf.BoolVar(&a.flags.readOnly, "read-only", false, "refuse every command that changes something")
	pf.BoolVar(&a.flags.demo, "demo", false, "use the built-in simulator (demo data) instead of a platform")
	pf.BoolVarP(&a.flags.allContexts, "all-contexts", "A", false, "every context of the config file at once (all-contexts: true); with --demo, every platform")
	debugLog := tildePath(filepath.Join(config.StateDir(a.env), "debug.log"), a.env("HOME"))
	pf.Var(debugFlag{path: &a.flags.debug, def: debugLog}, "debug", "write a debug log (never the API key) to "+debugLog+", or to FILE with --debug=FILE")
	pf.Lookup("debug").NoOptDefVal = "true"
	pf.StringVarP(&a.flags.output, "output", "o", formatTable, "output `format`: table or json")
	pf.StringVar(&a.flags.configPath, "config", "", "config `file` ($AGENTOP_CONFIG), default "+config.DefaultPath(a.env))
	pf.StringVar(&a.flags.theme, "theme", "", "colour theme: "+strings.Join(theme.Names(), ", "))
	pf.DurationVar(&a.flags.timeout, "timeout", 30*time.Second, "time limit of each request to the platform")
}

// preRun runs before every command: it opens the debug log, checks the
// output format, and refuses mutating commands in read-only mode.
func (a *app) preRun(cmd *cobra.Command, _ []string) error {
	if a.flags.debug != "" {
		if err := a.openDebugLog(a.flags.debug); err != nil {
			return err
		}
		a.log.Debug("command", "path", cmd.CommandPath(), "version", buildVersion().Version)
	}
	if _, err := a.jsonOutput(); err != nil {
		return err
	}
	if err := a.checkFleetFlag(cmd); err != nil {
		return err
	}
	if cmd.Annotations[annotationMutating] == "" {
		return nil
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	if cfg.ReadOnly.Value {
		return withCode(exitUsage, fmt.Errorf("%s: refused in read-only mode (set by %s)",
			strings.TrimPrefix(cmd.CommandPath(), "agentop "), originOf(cfg.ReadOnly.Source, cfg.ReadOnly.Origin)))
	}
	return nil
}

// annotationMutating marks commands that change something; --read-only
// refuses them.
const annotationMutating = "agentop/mutating"

// mutating marks cmd as changing something.
func mutating(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annotationMutating] = "true"
	return cmd
}

// noCommand is the root's argument check: any argument is a mistyped command.
func (a *app) noCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return usageErrorf("%s", msg)
}

// group makes cmd a parent of subcommands: alone it prints its help; with an
// unknown subcommand it is a usage error.
func group(cmd *cobra.Command) *cobra.Command {
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return c.Help()
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", s[0])
		}
		return usageErrorf("%s", msg)
	}
	return cmd
}

// args checks positional arguments: the first min of names are required,
// the rest optional.
func args(min int, names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < min {
			return usageErrorf("missing %s", strings.Join(names[len(args):min], " and "))
		}
		if len(args) > len(names) {
			return usageErrorf("unexpected argument %q", args[len(names)])
		}
		return nil
	}
}

// tildePath writes a path under home as ~/…, for help text; openDebugLog
// expands it back.
func tildePath(path, home string) string {
	if rest, ok := strings.CutPrefix(path, home+string(filepath.Separator)); ok && home != "" {
		return "~" + string(filepath.Separator) + rest
	}
	return path
}

// originOf says where a setting came from, for messages.
func originOf(src config.Source, origin string) string {
	if origin == "" {
		return string(src)
	}
	return origin
}
