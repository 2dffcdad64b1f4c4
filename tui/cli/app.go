package cli

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui/config"
	"github.com/agentop/agentop/tui/sanitize"
)

// app is one invocation of agentop: its streams, environment, flags, and
// what it has set up (configuration, backend, debug log) so it can be torn
// down at the end.
type app struct {
	io    IO
	env   config.Env
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	flags globalFlags
	root  *cobra.Command

	cfg      *config.Config
	endpoint string // the base URL the backend talks to, for display (no credentials)
	log      *slog.Logger
	stdin    *bufio.Reader
	secrets  secrets // keys and credential values in use, blanked out of anything printed or logged
	cleanup  []func()
	// simAddr is where --demo looks for an agentop sim to share ("": it
	// does not look, and always starts a fresh fleet).
	simAddr string
}

// globalFlags are the persistent flags of the root command.
type globalFlags struct {
	configPath, context, platform, baseURL, org, theme, output, debug string
	insecure, readOnly, demo, allContexts                             bool
	timeout                                                           time.Duration
}

func newApp(stdio IO, env config.Env) *app {
	return &app{
		io:    stdio,
		env:   env,
		now:   time.Now,
		sleep: sleepCtx,
		log:   slog.New(slog.DiscardHandler),
	}
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// close releases what the invocation set up, newest first.
func (a *app) close() {
	for i := len(a.cleanup) - 1; i >= 0; i-- {
		a.cleanup[i]()
	}
	a.cleanup = nil
}

// configFlags are the flags that configure the connection.
func (a *app) configFlags() config.Flags {
	flags := config.Flags{
		ConfigPath:   a.flags.configPath,
		Context:      a.flags.context,
		Platform:     a.flags.platform,
		BaseURL:      a.flags.baseURL,
		Organization: a.flags.org,
		Theme:        a.flags.theme,
	}
	pf := a.root.PersistentFlags()
	if pf.Changed("insecure") {
		flags.Insecure = &a.flags.insecure
	}
	if pf.Changed("read-only") {
		flags.ReadOnly = &a.flags.readOnly
	}
	if pf.Changed("all-contexts") {
		flags.AllContexts = &a.flags.allContexts
	}
	return flags
}

// config loads the configuration once, printing its warnings.
func (a *app) config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	flags := a.configFlags()
	cfg, err := config.Load(flags, a.env)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		a.warnf("%s", w)
	}
	a.log.Debug("configuration", "path", cfg.Path.Value, "context", cfg.Context.Value,
		"baseURL", config.RedactURL(cfg.BaseURL.Value), "key", cfg.Key.Describe(), "readOnly", cfg.ReadOnly.Value)
	a.cfg = cfg
	return cfg, nil
}

// backend connects to the platform the configuration names, or to the
// built-in simulator with --demo. Without --demo and without a key it fails
// with exit code 4: a script must never act on demo data by accident.
func (a *app) backend(ctx context.Context) (api.Backend, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	if a.flags.demo {
		return a.demoBackend(ctx)
	}
	if !cfg.Key.Configured() {
		return nil, errNoCredentials(cfg.Spec, cfg.Path.Value)
	}
	key, err := cfg.Key.Resolve(ctx)
	if err != nil {
		return nil, failed(err, "API key")
	}
	extra := map[string]string{}
	for name, s := range cfg.Extra {
		extra[name] = s.Value
		for _, x := range cfg.Spec.Extra {
			if x.Name == name && x.Secret {
				a.secrets.add(s.Value)
			}
		}
	}
	return a.client(cfg.Spec, platform.Options{
		BaseURL: cfg.BaseURL.Value, APIKey: key, OrganizationID: cfg.Organization.Value,
		Extra: extra, AllowInsecure: cfg.Insecure.Value,
	})
}

// client builds the platform's client from the registry; a configuration it
// refuses (a bad URL, plain http to a remote host) is a usage error.
func (a *app) client(spec platform.Spec, o platform.Options) (api.Backend, error) {
	a.secrets.add(o.APIKey)
	a.endpoint = config.RedactURL(o.BaseURL)
	o.UserAgent = "agentop/" + buildVersion().Version
	o.Timeout, o.Logger = a.flags.timeout, a.log
	c, err := spec.New(o)
	if err != nil {
		if api.KindOf(err) == api.KindInsecure {
			err = fmt.Errorf("%w; pass --insecure if you mean it", err)
		}
		return nil, withCode(exitUsage, failed(err, "connect to %s", a.endpoint))
	}
	return c, nil
}

// organization returns the organization to act in: the configured one, else
// the only one the key belongs to.
func (a *app) organization(ctx context.Context, be api.Backend) (string, error) {
	if a.cfg != nil && a.cfg.Organization.Value != "" && !a.flags.demo {
		return a.cfg.Organization.Value, nil
	}
	uc, err := be.UserContext(ctx)
	if err != nil {
		return "", failed(err, "find your organization")
	}
	switch len(uc.Organizations) {
	case 1:
		return uc.Organizations[0].ID, nil
	case 0:
		return "", usageErrorf("no organization found for this API key: pass --org ID")
	}
	return "", usageErrorf("the API key belongs to %d organizations: choose one with --org ID", len(uc.Organizations))
}

// minRedacted is the shortest credential value blanked out of what is
// printed or logged: blanking every "admin" or "1234" would garble messages
// (and point at the value) more than it hides. The API key is always
// blanked.
const minRedacted = 8

// secrets is a list of values never to print or log. It is safe for
// concurrent use: the built-in simulator logs from its own goroutines.
type secrets struct {
	mu   sync.Mutex
	list []string
}

// add records a value to blank out, whatever its length: the API key.
func (s *secrets) add(v string) {
	if v == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, v)
}

// addValue records a credential value, if it is at least minRedacted
// characters long.
func (s *secrets) addValue(v string) {
	if utf8.RuneCountInString(v) >= minRedacted {
		s.add(v)
	}
}

// all returns the values, longest first, so that a secret holding another
// is blanked whole.
func (s *secrets) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.list)
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// warnf prints a one-line warning on stderr.
func (a *app) warnf(format string, args ...any) {
	fmt.Fprintln(a.io.Err, errorLine(fmt.Errorf("warning: "+format, args...), a.secrets.all()...))
}

// noticef prints a one-line notice on stderr.
func (a *app) noticef(format string, args ...any) {
	fmt.Fprintln(a.io.Err, "agentop: "+sanitize.Line(fmt.Sprintf(format, args...)))
}

// input returns stdin, buffered once for the whole invocation.
func (a *app) input() *bufio.Reader {
	if a.stdin == nil {
		a.stdin = bufio.NewReader(a.io.In)
	}
	return a.stdin
}
