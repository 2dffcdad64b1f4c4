package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui/config"
)

func TestConfigViewAndPath(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".config", "agentop", "config.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(`
current-context: prod
contexts:
  prod:
    base-url: https://prod.example.com
    organization-id: org-1
    api-key-env: PROD_KEY
  lab:
    api-key-command: pass show lab
theme: dusk
keys:
  reply: [r, R]
`), 0o600))
	env := map[string]string{"HOME": home, "PROD_KEY": testKey, envBaseURL: "https://env.example.com"}

	var out ConfigOutput
	decode(t, inv{env: env}.run(t, "--org", "org-flag", "config", "view", "-o", "json"), &out)
	assert.Equal(t, SettingOutput[string]{Value: path, Source: "default"}, out.Path)
	assert.True(t, out.FileFound)
	assert.Equal(t, SettingOutput[string]{Value: "prod", Source: "file", Origin: "current-context"}, out.Context)
	assert.Equal(t, []string{"lab", "prod"}, out.Contexts)
	assert.Equal(t, SettingOutput[string]{Value: "https://env.example.com", Source: "env", Origin: "$ASTEROID_BASE_URL"}, out.BaseURL)
	assert.Equal(t, SettingOutput[string]{Value: "org-flag", Source: "flag", Origin: "--org"}, out.Organization)
	assert.Equal(t, SettingOutput[string]{Value: "set (from $PROD_KEY); not used: a context's key only goes to the context's base URL",
		Source: "file", Origin: "contexts.prod.api-key-env"}, out.APIKey, "$ASTEROID_BASE_URL is not the context's")
	assert.Equal(t, SettingOutput[string]{Value: "dusk", Source: "file", Origin: "theme"}, out.Theme)
	assert.Equal(t, SettingOutput[string]{Value: "bell", Source: "default"}, out.Notify)
	assert.Equal(t, map[string][]string{"reply": {"r", "R"}}, out.Keys.Value)
	assert.Equal(t, config.DefaultFeedLimit, out.FeedLimit.Value)

	r := inv{env: env}.run(t, "config", "view")
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.out, testKey)
	assert.Regexp(t, `(?m)^API key\s+set \(from \$PROD_KEY\); not used: .*\s+file contexts.prod.api-key-env$`, r.out)
	assert.Regexp(t, `(?m)^base URL\s+https://env.example.com\s+env \$ASTEROID_BASE_URL$`, r.out)
	assert.Regexp(t, `(?m)^keys\s+reply=r,R\s+file keys$`, r.out)

	// The command of another context is described, never run.
	decode(t, inv{env: env}.run(t, "--context", "lab", "config", "view", "-o", "json"), &out)
	assert.Equal(t, "from the command `pass show lab` (run when needed); not used: a context's key only goes to the context's base URL", out.APIKey.Value)

	r = inv{env: env}.run(t, "config", "path")
	assert.Equal(t, path+"\n", r.out)
	var p SettingOutput[string]
	decode(t, inv{env: env}.run(t, "config", "path", "-o", "json"), &p)
	assert.Equal(t, SettingOutput[string]{Value: path, Source: "default"}, p)
	other := filepath.Join(home, "other.yaml")
	r = inv{env: map[string]string{"HOME": home, config.EnvConfig: other}}.run(t, "config", "path")
	assert.Equal(t, other+"\n", r.out, "even when it does not exist")

	// A broken file is a usage error naming the line; config path still works.
	require.NoError(t, os.WriteFile(path, []byte("theme: dusk\ncolour: red\n"), 0o600))
	r = inv{env: env}.run(t, "config", "view")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Equal(t, "agentop: "+path+":2: unknown key \"colour\" in the file (known keys: all-contexts, commands, contexts, current-context, feed-limit, filters, keys, notify, read-only, theme)\n", r.err)
	assert.Equal(t, 0, inv{env: env}.run(t, "config", "path").code)
	assert.Equal(t, exitUsage, inv{env: env}.run(t, "agents", "list").code)
}

func TestLiteralKeyWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	f := newFleet(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("current-context: sim\ncontexts:\n  sim:\n    base-url: "+f.url+"\n    api-key: "+testKey+"\n"), 0o644))
	r := inv{env: map[string]string{"HOME": t.TempDir(), config.EnvConfig: path}}.run(t, "agents", "list", "--limit", "1")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.err, "agentop: warning: "+path+" holds an API key and is readable by other users (mode 0644); run: chmod 600 "+path+"\n")
	assert.NotContains(t, r.err+r.out, testKey)
}

func TestDebugLogDefaultsToTheStateDir(t *testing.T) {
	home := t.TempDir()
	r := inv{env: map[string]string{"HOME": home}}.run(t, "--debug", "version")
	require.Equal(t, 0, r.code, r)
	log, err := os.ReadFile(filepath.Join(home, ".local", "state", "agentop", "debug.log"))
	require.NoError(t, err)
	assert.Contains(t, string(log), `"path":"agentop version"`)
}

func TestVersion(t *testing.T) {
	var v VersionOutput
	decode(t, inv{}.run(t, "version", "-o", "json"), &v)
	assert.Equal(t, "dev", v.Version)
	assert.Equal(t, "unknown", v.Commit)
	assert.Equal(t, runtime.Version(), v.GoVersion)
	assert.Equal(t, runtime.GOOS+"/"+runtime.GOARCH, v.Platform)

	version, commit = "v1.2.3", "abc123"
	t.Cleanup(func() { version, commit = "", "" })
	r := inv{}.run(t, "version")
	assert.Equal(t, "agentop v1.2.3 (commit abc123, "+runtime.Version()+", "+runtime.GOOS+"/"+runtime.GOARCH+")\n", r.out)
}

func TestKeys(t *testing.T) {
	r := inv{}.run(t, "keys")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.out, "| ")
	assert.Contains(t, r.out, "reply")

	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("keys:\n  no-such-action: [x]\n"), 0o600))
	r = inv{}.run(t, "--config", path, "keys")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, `unknown action "no-such-action"`)
}

func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		r := inv{}.run(t, "completion", sh)
		assert.Equal(t, 0, r.code, r)
		assert.Contains(t, r.out, "agentop")
	}
	r := inv{}.run(t, "__complete", "executions", "list", "--status", "paused")
	assert.Contains(t, r.out, "paused_by_agent")
	r = inv{}.run(t, "__complete", "-o", "")
	assert.Contains(t, r.out, "json")
}

// TestHelpTeaches checks every command has a summary, a description and
// examples.
func TestHelpTeaches(t *testing.T) {
	a := newApp(IO{In: strings.NewReader(""), Out: &syncBuffer{}, Err: &syncBuffer{}, Term: &fakeTerm{}}, config.MapEnv(nil))
	root := a.newRoot()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.Hidden && c.Name() != cobra.ShellCompRequestCmd && c.Name() != cobra.ShellCompNoDescRequestCmd {
			assert.NotEmpty(t, c.Short, "%s: Short", c.CommandPath())
			assert.NotEmpty(t, c.Long, "%s: Long", c.CommandPath())
			assert.NotEmpty(t, c.Example, "%s: Example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)

	r := inv{}.run(t, "executions", "list", "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.out, "Examples:")
	assert.Contains(t, r.out, "--status statuses")
	r = inv{}.run(t, "wait", "--help")
	assert.Contains(t, r.out, "give up after this duration (exit code 6) (default 30m0s)")
}

func TestUsageErrors(t *testing.T) {
	cases := map[string]struct {
		args []string
		want string
	}{
		"unknown command":    {[]string{"exectuions"}, `agentop: unknown command "exectuions" (did you mean "executions"?) (see 'agentop --help')`},
		"unknown subcommand": {[]string{"profiles", "lst"}, `agentop: unknown command "lst" for "agentop profiles" (see 'agentop profiles --help')`},
		"unknown flag":       {[]string{"agents", "list", "--bogus"}, `agentop: unknown flag: --bogus (see 'agentop agents list --help')`},
		"bad output":         {[]string{"agents", "list", "-o", "yaml"}, `agentop: unknown output format "yaml" (want table or json) (see 'agentop agents list --help')`},
		"bad flag value":     {[]string{"agents", "list", "--limit", "many"}, `agentop: invalid argument "many" for "--limit" flag`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := inv{}.run(t, tc.args...)
			assert.Equal(t, exitUsage, r.code, r)
			assert.True(t, strings.HasPrefix(r.err, tc.want), r.err)
			assert.Equal(t, 1, strings.Count(r.err, "\n"), r.err)
			assert.Empty(t, r.out)
		})
	}
	// Group commands alone print their help.
	r := inv{}.run(t, "profiles")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.out, "Available Commands:")
}

func TestSimCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan result, 1)
	go func() {
		done <- inv{ctx: ctx}.runTo(t, &out, &errb, "sim", "--addr", "127.0.0.1:0", "--seed", "7", "--api-key", "sim-key", "--scenario", "idle")
	}()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "export ") }, 10*time.Second, 10*time.Millisecond)
	text := out.String()
	assert.Contains(t, text, "API key:  sim-key\n")
	assert.Regexp(t, `(?m)^export ASTEROID_BASE_URL=http://127\.0\.0\.1:\d+ ASTEROID_API_KEY=sim-key$`, text)
	base := strings.Fields(text[strings.Index(text, "Base URL:"):])[2]

	// The printed settings work for the CLI itself.
	var agents []AgentOutput
	decode(t, inv{env: map[string]string{"HOME": t.TempDir(), envBaseURL: base, envAPIKey: "sim-key"}}.
		run(t, "agents", "list", "-o", "json"), &agents)
	assert.Len(t, agents, 10)

	cancel() // Ctrl-C
	select {
	case r := <-done:
		assert.Equal(t, 0, r.code, r)
		assert.Contains(t, r.err, "serving until interrupted")
	case <-time.After(10 * time.Second):
		t.Fatal("sim did not stop")
	}

	for _, bad := range [][]string{
		{"sim", "--scenario", "party"}, {"sim", "--error-rate", "2"}, {"sim", "--latency", "soon"},
		{"sim", "--activity-shape", "round"}, {"sim", "--speed", "0"},
	} {
		r := inv{}.run(t, bad...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", bad, r)
	}
}

func TestDemo(t *testing.T) {
	r := inv{}.run(t, "--demo", "executions", "list", "-o", "json")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "agentop: "+demoNotice+": "+freshNotice+"\n", r.err)
	var execs []ExecutionOutput
	require.NoError(t, json.Unmarshal([]byte(r.out), &execs))
	require.Len(t, execs, defaultLimit)
	waiting := 0
	for _, e := range execs {
		if e.Status == "paused_by_agent" {
			waiting++
		}
	}
	assert.GreaterOrEqual(t, waiting, 1, "the demo has an agent waiting for a human")

	// With a debug log: the simulator logs from its own goroutines.
	logFile := filepath.Join(t.TempDir(), "debug.log")
	r = inv{}.run(t, "--demo", "--debug="+logFile, "agents", "list")
	require.Equal(t, 0, r.code, r)
	log, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Contains(t, string(log), "simulator listening")

	// Mutations work on the demo too (and the simulator stops afterwards).
	r = inv{}.run(t, "--demo", "execute", "Permit Status Tracker", "-o", "json")
	require.Equal(t, 0, r.code, r)
	var ex ExecuteOutput
	require.NoError(t, json.Unmarshal([]byte(r.out), &ex))
	assert.NotEmpty(t, ex.ExecutionID)
}

func TestDashboardOptions(t *testing.T) {
	// Without a terminal: a usage error, before anything starts.
	r := inv{}.run(t)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "the dashboard needs a terminal")

	// No key configured: the demo fleet, one simulator per platform.
	var errb syncBuffer
	a := newApp(IO{In: strings.NewReader(""), Out: &syncBuffer{}, Err: &errb, Term: &fakeTerm{stdin: true, stdout: true}},
		config.MapEnv(map[string]string{"HOME": t.TempDir(), "XDG_STATE_HOME": "/state"}))
	a.root = a.newRoot()
	defer a.close()
	opts, err := a.dashboardOptions(context.Background())
	require.NoError(t, err)
	assert.True(t, opts.Demo)
	require.Len(t, opts.Fleet, len(platform.All()), "every platform's simulator")
	for i, spec := range platform.All() {
		assert.Equal(t, spec.Name, opts.Fleet[i].Name)
		assert.Equal(t, spec.Name, opts.Fleet[i].Platform)
		assert.NotNil(t, opts.Fleet[i].Backend)
	}
	assert.Equal(t, "/state/agentop", opts.StateDir)
	assert.Equal(t, config.DefaultFeedLimit, opts.FeedLimit)
	assert.Equal(t, "agentop: "+demoNotice+": one fleet per platform\n", errb.String())

	// --demo --platform P keeps a single simulator.
	errb = syncBuffer{}
	a = newApp(IO{In: strings.NewReader(""), Out: &syncBuffer{}, Err: &errb, Term: &fakeTerm{stdin: true, stdout: true}},
		config.MapEnv(map[string]string{"HOME": t.TempDir(), "XDG_STATE_HOME": "/state"}))
	a.root = a.newRoot()
	defer a.close()
	require.NoError(t, a.root.PersistentFlags().Set("platform", platform.Default))
	require.NoError(t, a.root.PersistentFlags().Set("demo", "true"))
	opts, err = a.dashboardOptions(context.Background())
	require.NoError(t, err)
	assert.True(t, opts.Demo)
	assert.Nil(t, opts.Fleet)
	assert.NotNil(t, opts.Backend)
	assert.Contains(t, opts.BaseURL, "http://127.0.0.1:")
	assert.Equal(t, "agentop: "+demoNotice+": "+freshNotice+"\n", errb.String())

	// A key configured: the platform, with the file's settings.
	f := newFleet(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("read-only: true\nnotify: osc9\nfeed-limit: 99\nkeys:\n  reply: [R]\n"), 0o600))
	env := f.env(t)
	env[config.EnvConfig] = path
	a = newApp(IO{In: strings.NewReader(""), Out: &syncBuffer{}, Err: &syncBuffer{}, Term: &fakeTerm{stdin: true, stdout: true}}, config.MapEnv(env))
	a.root = a.newRoot()
	defer a.close()
	opts, err = a.dashboardOptions(context.Background())
	require.NoError(t, err)
	assert.False(t, opts.Demo)
	assert.Equal(t, f.url, opts.BaseURL)
	assert.True(t, opts.ReadOnly)
	assert.EqualValues(t, "osc9", opts.Notify)
	assert.Equal(t, 99, opts.FeedLimit)
	assert.Equal(t, map[string][]string{"reply": {"R"}}, opts.Keys)
}
