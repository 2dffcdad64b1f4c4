package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/tui/config"
	"github.com/agentop/agentop/tui/theme"
)

// initCompletion adds cobra's help and completion commands with examples of
// their own, and completes the values of the global flags.
func (a *app) initCompletion(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Long = "Help prints the help of any command: what it does, its flags, and examples."
			c.Example = "  agentop help\n  agentop help executions list"
		case "completion":
			c.Example = "  # Load completions into the current bash session\n" +
				"  source <(agentop completion bash)\n\n" +
				"  # Install them for zsh\n" +
				"  agentop completion zsh > \"${fpath[1]}/_agentop\""
			for _, sh := range c.Commands() {
				sh.Example = fmt.Sprintf("  agentop completion %s --help   # how to install them\n  agentop completion %s", sh.Name(), sh.Name())
			}
		}
	}

	a.completeArgs(root)
	noFiles := cobra.ShellCompDirectiveNoFileComp
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{formatTable, formatJSON}, noFiles))
	_ = root.RegisterFlagCompletionFunc("theme", cobra.FixedCompletions(theme.Names(), noFiles))
	_ = root.RegisterFlagCompletionFunc("context", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		// The contexts of the file, whatever context is currently selected.
		env := func(k string) string {
			if k == config.EnvContext {
				return ""
			}
			return a.env(k)
		}
		cfg, err := config.Load(config.Flags{ConfigPath: a.flags.configPath}, env)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return cfg.Contexts, noFiles
	})
}
