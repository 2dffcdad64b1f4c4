// Package config resolves agentop's configuration from, in order of
// precedence, command-line flags, the environment, the config file
// ($XDG_CONFIG_HOME/agentop/config.yaml) and built-in defaults, and records
// where each value came from so `agentop config view` can say.
//
// The API key is never held in a printable field: Config.Key describes where
// the key comes from (an environment variable, a command, the file) and
// Key.Resolve fetches it only when a backend is about to be built.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui/theme"
)

// Environment variables agentop reads itself; each platform's own (its API
// key, base URL, organization) come from the platform registry
// (platform.Spec.Env) for the platform in use.
const (
	EnvConfig   = "AGENTOP_CONFIG"   // config file path
	EnvContext  = "AGENTOP_CONTEXT"  // context to use
	EnvPlatform = "AGENTOP_PLATFORM" // platform to use without a context
)

// Defaults.
const (
	DefaultPlatform  = platform.Default
	DefaultTheme     = "default"
	DefaultNotify    = "bell"
	DefaultFeedLimit = 5000
)

// Env reads an environment variable; "" means unset. os.Getenv is one.
type Env func(name string) string

// MapEnv returns an Env reading from m, for tests and embedding.
func MapEnv(m map[string]string) Env { return func(k string) string { return m[k] } }

// Source says where a setting's value came from.
type Source string

// Sources, from strongest to weakest.
const (
	SourceFlag    Source = "flag"
	SourceEnv     Source = "env"
	SourceFile    Source = "file"
	SourceDefault Source = "default"
)

// Setting is a resolved value and where it came from.
type Setting[T any] struct {
	Value  T
	Source Source
	// Origin names the exact place: "--base-url", "$ASTEROID_BASE_URL",
	// "contexts.prod.base-url"; empty for defaults.
	Origin string
}

// Flags are the values given on the command line. Zero fields (nil
// pointers) were not given.
type Flags struct {
	ConfigPath   string
	Context      string
	Platform     string
	BaseURL      string
	Organization string
	Theme        string
	Insecure     *bool
	ReadOnly     *bool
	AllContexts  *bool
}

// Config is the resolved configuration.
type Config struct {
	Path         Setting[string] // the config file, whether or not it exists
	FileFound    bool            // the file exists and was read
	Context      Setting[string] // the context in use; "" for none (defaults and environment only)
	Contexts     []string        // every context in the file, sorted
	Platform     Setting[string]
	Spec         platform.Spec // the platform in use, from the registry
	BaseURL      Setting[string]
	Organization Setting[string]
	Key          Key
	// Extra holds the platform's own settings (Spec.Extra) that are set.
	Extra     map[string]Setting[string]
	Insecure  Setting[bool]
	ReadOnly  Setting[bool]
	Theme     Setting[string]
	Notify    Setting[string]
	Keys      Setting[map[string][]string]
	FeedLimit Setting[int]
	// AllContexts asks for every context at once (--all-contexts,
	// all-contexts: true); LoadFleet resolves them.
	AllContexts Setting[bool]
	// Commands and Filters come from the file (commands:, filters:).
	Commands []Command
	Filters  map[string]string
	// Warnings are problems worth telling the user about that do not stop
	// agentop, such as a readable file holding a key.
	Warnings []string
}

// ErrConfig marks a configuration error (a bad file, an unknown context):
// errors.Is(err, ErrConfig) holds for every error Load returns.
var ErrConfig = errors.New("configuration error")

// configError wraps err so that errors.Is(err, ErrConfig) holds.
type configError struct{ err error }

func (e *configError) Error() string        { return e.err.Error() }
func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == ErrConfig }

func configErrorf(format string, args ...any) error {
	return &configError{fmt.Errorf(format, args...)}
}

// DefaultPath returns $XDG_CONFIG_HOME/agentop/config.yaml, or
// ~/.config/agentop/config.yaml when XDG_CONFIG_HOME is unset.
func DefaultPath(env Env) string {
	return filepath.Join(baseDir(env, "XDG_CONFIG_HOME", ".config"), "agentop", "config.yaml")
}

// StateDir returns $XDG_STATE_HOME/agentop, or ~/.local/state/agentop.
func StateDir(env Env) string {
	return filepath.Join(baseDir(env, "XDG_STATE_HOME", filepath.Join(".local", "state")), "agentop")
}

// baseDir returns the XDG directory named by xdgVar, else home/fallback.
// Relative XDG values are ignored, as the spec requires.
func baseDir(env Env, xdgVar, fallback string) string {
	if d := env(xdgVar); d != "" && filepath.IsAbs(d) {
		return d
	}
	home := env("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, fallback)
}

// Path returns the config file to read: flagPath (--config), else
// $AGENTOP_CONFIG, else DefaultPath.
func Path(flagPath string, env Env) Setting[string] {
	return pick(DefaultPath(env),
		layer(flagPath != "", flagPath, SourceFlag, "--config"),
		layer(env(EnvConfig) != "", env(EnvConfig), SourceEnv, "$"+EnvConfig))
}

// Load resolves the configuration. An explicitly named file (--config,
// AGENTOP_CONFIG) must exist; the default one may be absent. Every error
// wraps ErrConfig.
func Load(flags Flags, env Env) (*Config, error) {
	return load(flags, env, false)
}

// load is Load; in a fleet (LoadFleet) the platforms' own variables
// ($ASTEROID_API_KEY, $ASTEROID_BASE_URL …) are not read, so that each
// context keeps its own key, base URL and organization.
func load(flags Flags, env Env, fleet bool) (*Config, error) {
	c := &Config{Path: Path(flags.ConfigPath, env)}

	file, src, err := readFile(c.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && c.Path.Source == SourceDefault:
		file = &File{}
	case errors.Is(err, fs.ErrNotExist):
		return nil, configErrorf("config file %s (from %s) does not exist", c.Path.Value, c.Path.Origin)
	case err != nil:
		return nil, &configError{err}
	default:
		c.FileFound = true
	}
	c.Contexts = sortedKeys(file.Contexts)

	c.Context = pick("",
		layer(flags.Context != "", flags.Context, SourceFlag, "--context"),
		layer(env(EnvContext) != "", env(EnvContext), SourceEnv, "$"+EnvContext),
		layer(file.CurrentContext != "", file.CurrentContext, SourceFile, "current-context"))
	var ctx Context
	if name := c.Context.Value; name != "" {
		var ok bool
		if ctx, ok = file.Contexts[name]; !ok {
			return nil, configErrorf("unknown context %q (from %s): %s", name, c.Context.Origin, contextList(c))
		}
	}
	in := func(key string) string { return "contexts." + c.Context.Value + "." + key }

	c.Platform = pick(DefaultPlatform,
		layer(flags.Platform != "", flags.Platform, SourceFlag, "--platform"),
		layer(env(EnvPlatform) != "" && c.Context.Value == "", env(EnvPlatform), SourceEnv, "$"+EnvPlatform),
		layer(ctx.Platform != "", ctx.Platform, SourceFile, in("platform")))
	spec, err := platform.Lookup(c.Platform.Value)
	if err != nil {
		return nil, configErrorf("%s (from %s)", err, cmp.Or(c.Platform.Origin, "the default"))
	}
	if ctx.Platform != "" && c.Platform.Source == SourceFlag && !strings.EqualFold(ctx.Platform, spec.Name) {
		return nil, configErrorf("--platform %s contradicts context %q, which is on %s: drop one of them",
			spec.Name, c.Context.Value, ctx.Platform)
	}
	c.Platform.Value, c.Spec = spec.Name, spec
	envs := spec.Env
	if fleet {
		envs = platform.Env{}
	}
	c.BaseURL = pick(spec.DefaultBaseURL,
		layer(flags.BaseURL != "", flags.BaseURL, SourceFlag, "--base-url"),
		layer(env(envs.BaseURL) != "", env(envs.BaseURL), SourceEnv, "$"+envs.BaseURL),
		layer(ctx.BaseURL != "", ctx.BaseURL, SourceFile, in("base-url")))
	if shown := RedactURL(c.BaseURL.Value); shown != c.BaseURL.Value {
		return nil, configErrorf("the base URL from %s must not contain user credentials (%s): the API key is the only credential sent",
			c.BaseURL.Origin, shown)
	}
	c.Organization = pick("",
		layer(flags.Organization != "", flags.Organization, SourceFlag, "--org"),
		layer(envs.Organization != "" && env(envs.Organization) != "", env(envs.Organization), SourceEnv, "$"+envs.Organization),
		layer(ctx.OrganizationID != "", ctx.OrganizationID, SourceFile, in("organization-id")))
	for _, x := range spec.Extra {
		v := envs.Extra[x.Name]
		key := ExtraFileKey(x)
		fromFile := layer(ctx.Extra[key] != "", ctx.Extra[key], SourceFile, in(key))
		if x.Secret { // the file names the variable that holds it
			name := ctx.Extra[key]
			fromFile = layer(name != "" && env(name) != "", env(name), SourceFile, in(key)+" ($"+name+")")
			if name != "" && env(name) == "" && env(v) == "" {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s names $%s, which is not set", in(key), name))
			}
		}
		got := pick("",
			layer(v != "" && env(v) != "", env(v), SourceEnv, "$"+v),
			fromFile)
		if got.Source != SourceDefault {
			if c.Extra == nil {
				c.Extra = map[string]Setting[string]{}
			}
			c.Extra[x.Name] = got
		}
	}
	// A context's insecure covers its own base URL, not one from elsewhere.
	ownInsecure := ctx.Insecure
	if ctx.BaseURL == "" || !sameURL(c.BaseURL.Value, ctx.BaseURL) {
		ownInsecure = nil
	}
	c.Insecure = pick(false,
		layerPtr(flags.Insecure, SourceFlag, "--insecure"),
		layerPtr(ownInsecure, SourceFile, in("insecure")))
	c.ReadOnly = pick(false,
		layerPtr(flags.ReadOnly, SourceFlag, "--read-only"),
		layerPtr(ctx.ReadOnly, SourceFile, in("read-only")),
		layerPtr(file.ReadOnly, SourceFile, "read-only"))
	c.Theme = pick(DefaultTheme,
		layer(flags.Theme != "", flags.Theme, SourceFlag, "--theme"),
		layer(file.Theme != "", file.Theme, SourceFile, "theme"))
	if _, err := theme.Lookup(c.Theme.Value); err != nil {
		return nil, configErrorf("%s: %v", c.Theme.Origin, err)
	}
	c.Notify = pick(DefaultNotify, layer(file.Notify != "", file.Notify, SourceFile, "notify"))
	c.Keys = pick(map[string][]string(nil), layer(len(file.Keys) > 0, file.Keys, SourceFile, "keys"))
	c.Commands, c.Filters = file.Commands, file.Filters
	c.FeedLimit = pick(DefaultFeedLimit, layer(file.FeedLimit > 0, file.FeedLimit, SourceFile, "feed-limit"))
	c.AllContexts = pick(false,
		layerPtr(flags.AllContexts, SourceFlag, "--all-contexts"),
		layerPtr(file.AllContexts, SourceFile, "all-contexts"))

	c.Key = resolveKey(env, envs.APIKey, ctx, c.Context.Value, src.untrusted)
	if own := cmp.Or(ctx.BaseURL, spec.DefaultBaseURL); c.Key.Source == SourceFile &&
		c.BaseURL.Source == SourceEnv && !sameURL(c.BaseURL.Value, own) {
		// A context's key goes to the context's host: a stray
		// $<PLATFORM>_BASE_URL (the simulator's export line, say) must not
		// receive it, nor make the context run on another deployment's data.
		// An explicit --base-url is intent, and is not refused.
		c.Key.refused = configErrorf(
			"refusing to send the API key of context %q (%s) to %s, which comes from %s and is not the context's base URL (%s): "+
				"unset %s, or pass --base-url to send the key there",
			c.Context.Value, c.Key.Origin, RedactURL(c.BaseURL.Value), c.BaseURL.Origin, RedactURL(own), envs.BaseURL)
	}
	if c.Key.Source == SourceEnv && countSet(ctx.APIKeyEnv, ctx.APIKeyCommand, ctx.APIKey) > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf(
			"$%s overrides the API key of context %q; unset it to use the context's own key", envs.APIKey, c.Context.Value))
	}
	if file.literalKey() && readableByOthers(src.mode) {
		c.Warnings = append(c.Warnings, fmt.Sprintf(
			"%s holds an API key and is readable by other users (mode %04o); run: chmod 600 %s",
			c.Path.Value, src.mode.Perm(), c.Path.Value))
	}
	return c, nil
}

// LoadFleet resolves every context of the config file, sorted by name, for
// --all-contexts: one Config each, as Load would with --context NAME,
// except that the platforms' own environment variables are not read (each
// context keeps its own key and base URL). Flags that pick one deployment
// (--context, --platform, --base-url, --org) are refused: they cannot apply
// to every context. A file without contexts is an error that says how to
// add them. Every error wraps ErrConfig.
func LoadFleet(flags Flags, env Env) ([]*Config, error) {
	for name, set := range map[string]bool{"--context": flags.Context != "", "--platform": flags.Platform != "",
		"--base-url": flags.BaseURL != "", "--org": flags.Organization != ""} {
		if set {
			return nil, configErrorf("%s picks one deployment and cannot be combined with --all-contexts", name)
		}
	}
	first, err := load(flags, env, true)
	if err != nil {
		return nil, err
	}
	if len(first.Contexts) == 0 {
		return nil, configErrorf("--all-contexts needs contexts in %s (see 'agentop config --help')", first.Path.Value)
	}
	out := make([]*Config, 0, len(first.Contexts))
	for _, name := range first.Contexts {
		f := flags
		f.Context = name
		c, err := load(f, env, true)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// contextList says which contexts the file defines.
func contextList(c *Config) string {
	if len(c.Contexts) == 0 {
		return "no contexts are defined in " + c.Path.Value
	}
	return "the contexts in " + c.Path.Value + " are " + strings.Join(c.Contexts, ", ")
}

// readFile reads and parses the config file.
func readFile(path Setting[string]) (*File, source, error) {
	src, err := readSource(path.Value)
	if err != nil {
		return nil, source{}, err
	}
	f, err := Parse(path.Value, src.data)
	return f, src, err
}

// sameURL reports whether two base URLs name the same place, ignoring
// surrounding spaces and trailing slashes.
func sameURL(a, b string) bool {
	norm := func(s string) string { return strings.TrimRight(strings.TrimSpace(s), "/") }
	return norm(a) == norm(b)
}

// RedactURL returns raw for display with its user-info part (a user name,
// which may be a token, and a password) replaced by "xxxxx". It works on
// text too broken to parse as a URL, such as a password holding a raw "/":
// everything between the scheme and the last "@" goes.
func RedactURL(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		return prefix + "xxxxx" + rest[at:]
	}
	return raw
}

// candidate is one possible source of a setting.
type candidate[T any] struct {
	set bool
	s   Setting[T]
}

func layer[T any](set bool, v T, src Source, origin string) candidate[T] {
	return candidate[T]{set: set, s: Setting[T]{Value: v, Source: src, Origin: origin}}
}

func layerPtr[T any](p *T, src Source, origin string) candidate[T] {
	if p == nil {
		return candidate[T]{}
	}
	return layer(true, *p, src, origin)
}

// pick returns the first candidate that is set, else def as a default.
func pick[T any](def T, cands ...candidate[T]) Setting[T] {
	for _, c := range cands {
		if c.set {
			return c.s
		}
	}
	return Setting[T]{Value: def, Source: SourceDefault}
}
