package cli

import (
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/tui/config"
)

func (a *app) configCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:   "config",
		Short: "Show the configuration and where each value comes from",
		Long: `agentop reads its settings from, strongest first: command-line flags, the
environment, the config file, and built-in defaults.

The file is $XDG_CONFIG_HOME/agentop/config.yaml (~/.config/agentop/config.yaml
when XDG_CONFIG_HOME is unset); --config or $AGENTOP_CONFIG name another.
Unknown keys are errors. An example:

  current-context: prod
  contexts:
    prod:
      base-url: https://odyssey.asteroid.ai
      organization-id: 3f1c…
      api-key-command: pass show asteroid/prod   # or api-key-env: PROD_KEY
      read-only: true
    staging:
      base-url: https://staging.example.com
      api-key-env: STAGING_KEY
  theme: dusk            # default, dusk or none
  notify: osc9           # bell, osc9, osc777 or none
  read-only: false
  feed-limit: 5000
  keys:
    pause: [P]

A context's key comes from api-key-env (a variable), api-key-command (a
command run with a timeout; its first line of output is the key; only from a
file and directory no other user can write) or api-key (the key itself:
agentop warns when the file is readable by others).
$ASTEROID_API_KEY, $ASTEROID_BASE_URL and $ASTEROID_ORGANIZATION_ID override
the context; --context or $AGENTOP_CONTEXT choose it instead of
current-context. A context's own key is only sent to the context's base URL:
with $ASTEROID_BASE_URL naming another, agentop refuses unless --base-url is
given too; a context's insecure covers only its own base URL.`,
		Example: "  agentop config view\n  agentop --context staging config view -o json\n  $EDITOR \"$(agentop config path)\"",
	})
	cmd.AddCommand(a.configViewCmd(), a.configPathCmd())
	return cmd
}

func (a *app) configViewCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "view",
		Short: "Show the resolved configuration with the source of each value",
		Long: `Show every setting as agentop resolves it, and where it came from: a flag,
the environment, the file, or the default. The API key is never shown: only
whether it is set and from where.`,
		Example: "  agentop config view\n  ASTEROID_BASE_URL=http://127.0.0.1:8484 agentop config view -o json",
		Args:    args(0),
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			out := configOutput(cfg)
			return a.emit(out, func(w io.Writer) error {
				t := a.newTable(column{title: "SETTING"}, column{title: "VALUE", flex: true}, column{title: "SOURCE"})
				row := func(name, value string, src, origin string) {
					t.add(name, value, strings.TrimSpace(src+" "+origin))
				}
				path := out.Path.Value
				if !out.FileFound {
					path += " (not found)"
				}
				row("config file", path, out.Path.Source, out.Path.Origin)
				row("context", orNone(out.Context.Value), out.Context.Source, out.Context.Origin)
				row("contexts", orNone(strings.Join(out.Contexts, ", ")), "", "")
				row("platform", out.Platform.Value, out.Platform.Source, out.Platform.Origin)
				row("base URL", out.BaseURL.Value, out.BaseURL.Source, out.BaseURL.Origin)
				row("organization", orNone(out.Organization.Value), out.Organization.Source, out.Organization.Origin)
				row("API key", out.APIKey.Value, out.APIKey.Source, out.APIKey.Origin)
				row("insecure", strconv.FormatBool(out.Insecure.Value), out.Insecure.Source, out.Insecure.Origin)
				row("read-only", strconv.FormatBool(out.ReadOnly.Value), out.ReadOnly.Source, out.ReadOnly.Origin)
				row("theme", out.Theme.Value, out.Theme.Source, out.Theme.Origin)
				row("notify", out.Notify.Value, out.Notify.Source, out.Notify.Origin)
				row("keys", orNone(keyOverrides(out.Keys.Value)), out.Keys.Source, out.Keys.Origin)
				row("feed-limit", strconv.Itoa(out.FeedLimit.Value), out.FeedLimit.Source, out.FeedLimit.Origin)
				for _, x := range cfg.Spec.Extra {
					s := out.Extra[x.Name]
					row(x.Name, orNone(s.Value), s.Source, s.Origin)
				}
				return t.render(w)
			})
		},
	}
}

func (a *app) configPathCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "path",
		Short: "Print the path of the config file",
		Long: `Print the path of the config file agentop reads (whether or not it exists
yet): --config, else $AGENTOP_CONFIG, else $XDG_CONFIG_HOME/agentop/config.yaml.`,
		Example: "  agentop config path\n  mkdir -p \"$(dirname \"$(agentop config path)\")\"",
		Args:    args(0),
		RunE: func(*cobra.Command, []string) error {
			p := config.Path(a.flags.configPath, a.env)
			return a.emit(settingOutput(p), func(w io.Writer) error { return printLine(w, p.Value) })
		},
	}
}

// configOutput describes a resolved configuration.
func configOutput(c *config.Config) ConfigOutput {
	contexts := c.Contexts
	if contexts == nil {
		contexts = []string{}
	}
	keys := c.Keys
	if keys.Value == nil {
		keys.Value = map[string][]string{}
	}
	return ConfigOutput{
		Path: settingOutput(c.Path), FileFound: c.FileFound,
		Context: settingOutput(c.Context), Contexts: contexts,
		Platform: settingOutput(c.Platform), BaseURL: settingOutput(redactedURL(c.BaseURL)),
		Organization: settingOutput(c.Organization),
		APIKey:       SettingOutput[string]{Value: c.Key.Describe(), Source: string(c.Key.Source), Origin: c.Key.Origin},
		Insecure:     settingOutput(c.Insecure), ReadOnly: settingOutput(c.ReadOnly),
		Theme: settingOutput(c.Theme), Notify: settingOutput(c.Notify),
		Keys: settingOutput(keys), FeedLimit: settingOutput(c.FeedLimit),
		Extra: extraOutput(c),
	}
}

// extraOutput describes the platform's own settings; a secret is shown
// only as set or not set.
func extraOutput(c *config.Config) map[string]SettingOutput[string] {
	if len(c.Spec.Extra) == 0 {
		return nil
	}
	out := map[string]SettingOutput[string]{}
	for _, x := range c.Spec.Extra {
		s, ok := c.Extra[x.Name]
		o := settingOutput(s)
		switch {
		case x.Secret && ok:
			o.Value = "set"
		case x.Secret:
			o.Value = "not set"
		}
		out[x.Name] = o
	}
	return out
}

// redactedURL is a base URL setting as shown: never with credentials.
func redactedURL(s config.Setting[string]) config.Setting[string] {
	s.Value = config.RedactURL(s.Value)
	return s
}

func settingOutput[T any](s config.Setting[T]) SettingOutput[T] {
	return SettingOutput[T]{Value: s.Value, Source: string(s.Source), Origin: s.Origin}
}

// keyOverrides formats key overrides: "quit=q reply=r,R".
func keyOverrides(keys map[string][]string) string {
	var parts []string
	for _, action := range slices.Sorted(maps.Keys(keys)) {
		parts = append(parts, action+"="+strings.Join(keys[action], ","))
	}
	return strings.Join(parts, " ")
}

// orNone shows an empty value as "(none)".
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
