package config

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/agentop/agentop/api/platform"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeConfig writes a config file with mode 0600 under a fresh
// XDG_CONFIG_HOME and returns an environment pointing at it.
func writeConfig(t *testing.T, content string) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "agentop", "config.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return map[string]string{"XDG_CONFIG_HOME": dir, "HOME": t.TempDir()}, path
}

const twoContexts = `
current-context: prod
contexts:
  prod:
    base-url: https://prod.example.com
    organization-id: org-prod
    api-key-env: PROD_KEY
  staging:
    base-url: https://staging.example.com
    api-key-command: echo staging-key
theme: dusk
notify: osc9
read-only: true
keys:
  reply: [r, R]
  quit: q
feed-limit: 100
`

func TestDefaultsWithoutFile(t *testing.T) {
	env := map[string]string{"HOME": "/home/op"}
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.False(t, c.FileFound)
	assert.Equal(t, "/home/op/.config/agentop/config.yaml", c.Path.Value)
	assert.Equal(t, SourceDefault, c.Path.Source)
	assert.Equal(t, "", c.Context.Value)
	assert.Equal(t, "https://odyssey.asteroid.ai", c.BaseURL.Value)
	assert.Equal(t, SourceDefault, c.BaseURL.Source)
	assert.Equal(t, "asteroid", c.Platform.Value)
	assert.Equal(t, "default", c.Theme.Value)
	assert.Equal(t, "bell", c.Notify.Value)
	assert.Equal(t, DefaultFeedLimit, c.FeedLimit.Value)
	assert.False(t, c.ReadOnly.Value)
	assert.False(t, c.Key.Configured())
	assert.Equal(t, "not set", c.Key.Describe())
	_, err = c.Key.Resolve(context.Background())
	assert.ErrorIs(t, err, ErrNoKey)
}

func TestXDGAndStateDirs(t *testing.T) {
	env := MapEnv(map[string]string{"HOME": "/home/op", "XDG_CONFIG_HOME": "/xdg/cfg", "XDG_STATE_HOME": "/xdg/state"})
	assert.Equal(t, "/xdg/cfg/agentop/config.yaml", DefaultPath(env))
	assert.Equal(t, "/xdg/state/agentop", StateDir(env))
	env = MapEnv(map[string]string{"HOME": "/home/op", "XDG_CONFIG_HOME": "relative/ignored"})
	assert.Equal(t, "/home/op/.config/agentop/config.yaml", DefaultPath(env))
	assert.Equal(t, "/home/op/.local/state/agentop", StateDir(env))
}

func TestFileValues(t *testing.T) {
	env, path := writeConfig(t, twoContexts)
	env["PROD_KEY"] = "prod-secret"
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.True(t, c.FileFound)
	assert.Equal(t, path, c.Path.Value)
	assert.Equal(t, []string{"prod", "staging"}, c.Contexts)
	assert.Equal(t, Setting[string]{Value: "prod", Source: SourceFile, Origin: "current-context"}, c.Context)
	assert.Equal(t, Setting[string]{Value: "https://prod.example.com", Source: SourceFile, Origin: "contexts.prod.base-url"}, c.BaseURL)
	assert.Equal(t, "org-prod", c.Organization.Value)
	assert.Equal(t, "dusk", c.Theme.Value)
	assert.Equal(t, "osc9", c.Notify.Value)
	assert.Equal(t, Setting[bool]{Value: true, Source: SourceFile, Origin: "read-only"}, c.ReadOnly)
	assert.Equal(t, map[string][]string{"reply": {"r", "R"}, "quit": {"q"}}, c.Keys.Value)
	assert.Equal(t, 100, c.FeedLimit.Value)
	assert.Equal(t, "set (from $PROD_KEY)", c.Key.Describe())
	key, err := c.Key.Resolve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "prod-secret", key)
	assert.Empty(t, c.Warnings)
}

// TestPrecedence checks flag > env > file > default for every layered value.
func TestPrecedence(t *testing.T) {
	env, _ := writeConfig(t, twoContexts)

	// File only.
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, SourceFile, c.BaseURL.Source)

	// Env beats file.
	env[EnvBaseURL] = "https://env.example.com"
	env[EnvContext] = "staging"
	env[EnvOrganization] = "org-env"
	c, err = Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, Setting[string]{Value: "https://env.example.com", Source: SourceEnv, Origin: "$ASTEROID_BASE_URL"}, c.BaseURL)
	assert.Equal(t, Setting[string]{Value: "staging", Source: SourceEnv, Origin: "$AGENTOP_CONTEXT"}, c.Context)
	assert.Equal(t, "org-env", c.Organization.Value)

	// Flags beat env.
	no, yes := false, true
	c, err = Load(Flags{Context: "prod", BaseURL: "https://flag.example.com", Organization: "org-flag",
		ReadOnly: &no, Insecure: &yes, Theme: "none"}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, Setting[string]{Value: "prod", Source: SourceFlag, Origin: "--context"}, c.Context)
	assert.Equal(t, Setting[string]{Value: "https://flag.example.com", Source: SourceFlag, Origin: "--base-url"}, c.BaseURL)
	assert.Equal(t, Setting[string]{Value: "org-flag", Source: SourceFlag, Origin: "--org"}, c.Organization)
	assert.Equal(t, Setting[bool]{Value: false, Source: SourceFlag, Origin: "--read-only"}, c.ReadOnly)
	assert.Equal(t, Setting[bool]{Value: true, Source: SourceFlag, Origin: "--insecure"}, c.Insecure)
	assert.Equal(t, Setting[string]{Value: "none", Source: SourceFlag, Origin: "--theme"}, c.Theme)

	// The env key beats the context's own, with a warning.
	env[EnvAPIKey] = "env-secret"
	c, err = Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, "set (from $ASTEROID_API_KEY)", c.Key.Describe())
	require.Len(t, c.Warnings, 1)
	assert.Contains(t, c.Warnings[0], "overrides the API key of context \"staging\"")
	assert.NotContains(t, strings.Join(c.Warnings, " "), "env-secret")
}

func TestContextReadOnlyBeatsTopLevel(t *testing.T) {
	env, _ := writeConfig(t, `
read-only: true
current-context: lab
contexts:
  lab:
    read-only: false
    insecure: true
    base-url: http://lab.internal:8080
`)
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, Setting[bool]{Value: false, Source: SourceFile, Origin: "contexts.lab.read-only"}, c.ReadOnly)
	assert.Equal(t, Setting[bool]{Value: true, Source: SourceFile, Origin: "contexts.lab.insecure"}, c.Insecure)
}

func TestConfigPathOverrides(t *testing.T) {
	_, path := writeConfig(t, "theme: none\n")
	env := map[string]string{"HOME": t.TempDir(), EnvConfig: path}
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, Setting[string]{Value: path, Source: SourceEnv, Origin: "$AGENTOP_CONFIG"}, c.Path)
	assert.Equal(t, "none", c.Theme.Value)

	_, err = Load(Flags{ConfigPath: filepath.Join(t.TempDir(), "missing.yaml")}, MapEnv(env))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrConfig)
	assert.Contains(t, err.Error(), "does not exist")
}

func TestUnknownContext(t *testing.T) {
	env, _ := writeConfig(t, twoContexts)
	_, err := Load(Flags{Context: "qa"}, MapEnv(env))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrConfig)
	assert.Equal(t, `unknown context "qa" (from --context): the contexts in `+env["XDG_CONFIG_HOME"]+`/agentop/config.yaml are prod, staging`, err.Error())

	_, err = Load(Flags{Context: "qa"}, MapEnv(map[string]string{"HOME": t.TempDir()}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no contexts are defined")
}

func TestParseErrorsNameTheLine(t *testing.T) {
	cases := map[string]struct{ yaml, want string }{
		"unknown top-level key": {"theme: dusk\nthemes: none\n",
			`:2: unknown key "themes" in the file (known keys: all-contexts, commands, contexts, current-context, feed-limit, filters, keys, notify, read-only, theme)`},
		"unknown context key": {"contexts:\n  prod:\n    base_url: x\n",
			`:3: unknown key "base_url" in contexts.prod (known keys: api-key, api-key-command, api-key-env, base-url, insecure,`},
		"duplicate key":      {"theme: dusk\ntheme: none\n", `:2: theme is set twice (first on line 1)`},
		"wrong type":         {"read-only: maybe\n", `:1: read-only must be true or false`},
		"bad notify":         {"notify: siren\n", `:1: notify: unknown value "siren" (want one of bell, osc9, osc777, none)`},
		"bad theme":          {"theme: neon\n", `:1: theme: unknown value "neon"`},
		"bad feed limit":     {"feed-limit: -5\n", `:1: feed-limit must be a positive whole number`},
		"not a mapping":      {"- a\n- b\n", `:1: the file must be a mapping of key: value`},
		"unknown platform":   {"contexts:\n  x:\n    platform: jenkins\n", `:3: contexts.x.platform: unknown value "jenkins" (want one of ` + strings.Join(platform.Names(), ", ") + `)`},
		"two key sources":    {"contexts:\n  x:\n    api-key: a\n    api-key-env: B\n", `:2: context "x": set only one of api-key-env, api-key-command and api-key`},
		"bad keys":           {"keys:\n  reply: {a: b}\n", `:2: keys.reply must be a key or a list of keys`},
		"bad current":        {"current-context: nope\n", `:1: current-context "nope" is not one of the contexts (none are defined)`},
		"syntax error":       {"theme: dusk\nnotify: [\n", `config.yaml:2: invalid YAML: did not find expected node content`},
		"context not a map":  {"contexts:\n  x: 3\n", `:2: contexts.x must be a mapping of key: value`},
		"contexts not a map": {"contexts: [a]\n", `:1: contexts must map context names to their settings`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("config.yaml", []byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var fe *FileError
			assert.ErrorAs(t, err, &fe)
		})
	}
}

func TestParseEmptyAndCommentsOnly(t *testing.T) {
	for _, s := range []string{"", "# nothing yet\n", "---\n"} {
		f, err := Parse("c.yaml", []byte(s))
		require.NoError(t, err, s)
		assert.Equal(t, &File{}, f)
	}
}

func TestLoadRejectsUnknownKeysWithPath(t *testing.T) {
	env, path := writeConfig(t, "colour: red\n")
	_, err := Load(Flags{}, MapEnv(env))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrConfig)
	assert.True(t, strings.HasPrefix(err.Error(), path+":1: unknown key \"colour\""), err.Error())
}

func TestKeyFromCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses /bin/sh")
	}
	env, _ := writeConfig(t, `
current-context: a
contexts:
  a: {api-key-command: "printf '  cmd-secret  \\nsecond line\\n'"}
  fails: {api-key-command: "echo leaked-output; echo more >&2; exit 3"}
  silent: {api-key-command: "true"}
  slow: {api-key-command: "sleep 30"}
`)
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, "from the command `printf '  cmd-secret  \\nsecond line\\n'` (run when needed)", c.Key.Describe())
	key, err := c.Key.Resolve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "cmd-secret", key)

	c, err = Load(Flags{Context: "fails"}, MapEnv(env))
	require.NoError(t, err)
	_, err = c.Key.Resolve(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNoKey)
	assert.Equal(t, `api-key-command "echo leaked-output; echo more >&2; exit 3" failed: exit status 3`, err.Error())

	c, err = Load(Flags{Context: "silent"}, MapEnv(env))
	require.NoError(t, err)
	_, err = c.Key.Resolve(context.Background())
	assert.EqualError(t, err, `api-key-command "true" printed nothing`)

	c, err = Load(Flags{Context: "slow"}, MapEnv(env))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Key.Resolve(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNoKey)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestKeyCommandRefusedFromWorldWritableFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	env, path := writeConfig(t, "current-context: a\ncontexts:\n  a: {api-key-command: echo k}\n")
	require.NoError(t, os.Chmod(path, 0o666))
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	_, err = c.Key.Resolve(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNoKey)
	assert.Contains(t, err.Error(), "writable by other users")
}

func TestLiteralKeyAndPermissionWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	env, path := writeConfig(t, "current-context: a\ncontexts:\n  a: {api-key: literal-secret}\n")
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.Empty(t, c.Warnings, "0600 is private")
	assert.Equal(t, "set (written in the config file)", c.Key.Describe())
	key, err := c.Key.Resolve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "literal-secret", key)

	require.NoError(t, os.Chmod(path, 0o644))
	c, err = Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	require.Len(t, c.Warnings, 1)
	assert.Contains(t, c.Warnings[0], "holds an API key and is readable by other users (mode 0644)")
	assert.Contains(t, c.Warnings[0], "chmod 600 "+path)
	assert.NotContains(t, c.Warnings[0], "literal-secret")
}

func TestKeyFromEmptyVariable(t *testing.T) {
	env, _ := writeConfig(t, "current-context: a\ncontexts:\n  a: {api-key-env: MY_KEY}\n")
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	assert.True(t, c.Key.Configured())
	assert.Equal(t, "not set ($MY_KEY is empty)", c.Key.Describe())
	_, err = c.Key.Resolve(context.Background())
	assert.ErrorIs(t, err, ErrNoKey)
	assert.EqualError(t, err, "$MY_KEY is empty or unset (from contexts.a.api-key-env)")
}

func TestKeyNeverFormatted(t *testing.T) {
	env, _ := writeConfig(t, "current-context: a\ncontexts:\n  a: {api-key: sk-very-secret}\n")
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	s := fmt.Sprintf("%v %+v %#v %s %+v", c.Key, c.Key, c.Key, c.Key, *c)
	assert.NotContains(t, s, "sk-very-secret")
	assert.Contains(t, s, "set (written in the config file)")
}

const prodContext = `
current-context: prod
contexts:
  prod:
    base-url: https://prod.example.com/
    api-key-env: PROD_KEY
  cmd:
    base-url: https://cmd.example.com
    api-key-command: touch %s; echo cmd-key
  lab:
    base-url: http://lab.internal:8080
    insecure: true
    api-key: lab-key
`

// TestContextKeyGoesOnlyToItsBaseURL: a stray $ASTEROID_BASE_URL (the
// simulator's export line, say) must not receive a context's key.
func TestContextKeyGoesOnlyToItsBaseURL(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	env, _ := writeConfig(t, fmt.Sprintf(prodContext, marker))
	env["PROD_KEY"] = "prod-secret"
	env[EnvBaseURL] = "http://127.0.0.1:8484"
	ctx := context.Background()

	for _, name := range []string{"prod", "cmd", "lab"} {
		c, err := Load(Flags{Context: name}, MapEnv(env))
		require.NoError(t, err, "config view still works")
		assert.Contains(t, c.Key.Describe(), "; not used: a context's key only goes to the context's base URL")
		_, err = c.Key.Resolve(ctx)
		require.Error(t, err, name)
		assert.ErrorIs(t, err, ErrConfig, "exit 2")
		assert.NotErrorIs(t, err, ErrNoKey)
		assert.Contains(t, err.Error(), fmt.Sprintf("refusing to send the API key of context %q (contexts.%s.", name, name))
		assert.Contains(t, err.Error(), "to http://127.0.0.1:8484, which comes from $ASTEROID_BASE_URL")
		assert.NotContains(t, err.Error(), "prod-secret")
	}
	assert.NoFileExists(t, marker, "the command is not even run")

	// An explicit --base-url is intent.
	c, err := Load(Flags{Context: "prod", BaseURL: "http://127.0.0.1:8484"}, MapEnv(env))
	require.NoError(t, err)
	key, err := c.Key.Resolve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "prod-secret", key)

	// The same place as the context's own is no stray.
	env[EnvBaseURL] = "https://prod.example.com"
	c, err = Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	_, err = c.Key.Resolve(ctx)
	require.NoError(t, err)

	// The simulator's export line: the key comes from the environment too,
	// with or without a current context.
	env[EnvBaseURL], env[EnvAPIKey] = "http://127.0.0.1:8484", "sim_demo_7b539012ca27a7e5a7bcb667"
	for _, e := range []map[string]string{env, {"HOME": t.TempDir(), EnvBaseURL: env[EnvBaseURL], EnvAPIKey: env[EnvAPIKey]}} {
		c, err = Load(Flags{}, MapEnv(e))
		require.NoError(t, err)
		key, err = c.Key.Resolve(ctx)
		require.NoError(t, err)
		assert.Equal(t, "sim_demo_7b539012ca27a7e5a7bcb667", key)
		assert.Equal(t, "http://127.0.0.1:8484", c.BaseURL.Value)
	}
}

// TestContextInsecureCoversOnlyItsOwnBaseURL: insecure: true in a context
// allows plain http to that context's host, not to one from elsewhere.
func TestContextInsecureCoversOnlyItsOwnBaseURL(t *testing.T) {
	env, _ := writeConfig(t, fmt.Sprintf(prodContext, "unused"))
	c, err := Load(Flags{Context: "lab"}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, Setting[bool]{Value: true, Source: SourceFile, Origin: "contexts.lab.insecure"}, c.Insecure)

	c, err = Load(Flags{Context: "lab", BaseURL: "http://elsewhere.example:8080"}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, Setting[bool]{Value: false, Source: SourceDefault}, c.Insecure)

	env[EnvBaseURL] = "http://elsewhere.example:8080"
	c, err = Load(Flags{Context: "lab"}, MapEnv(env))
	require.NoError(t, err)
	assert.False(t, c.Insecure.Value)

	yes := true
	c, err = Load(Flags{Context: "lab", Insecure: &yes}, MapEnv(env))
	require.NoError(t, err)
	assert.Equal(t, Setting[bool]{Value: true, Source: SourceFlag, Origin: "--insecure"}, c.Insecure)
}

func TestBaseURLWithCredentialsIsRefused(t *testing.T) {
	env, _ := writeConfig(t, "contexts:\n  x:\n    base-url: https://bob:hunter2@file.example\n")
	for _, tc := range []struct {
		flags  Flags
		env    string
		origin string
	}{
		{Flags{BaseURL: "https://bob:hunter2@flag.example"}, "", "--base-url"},
		{Flags{}, "https://ghp_tokentoken@env.example/", "$ASTEROID_BASE_URL"},
		{Flags{Context: "x"}, "", "contexts.x.base-url"},
		{Flags{}, "https://bob:hun/ter2@env.example", "$ASTEROID_BASE_URL"},
	} {
		env[EnvBaseURL] = tc.env
		_, err := Load(tc.flags, MapEnv(env))
		require.Error(t, err, tc.origin)
		assert.ErrorIs(t, err, ErrConfig)
		assert.Contains(t, err.Error(), "the base URL from "+tc.origin+" must not contain user credentials (https://xxxxx@")
		for _, secret := range []string{"hunter2", "hun/ter2", "bob", "ghp_"} {
			assert.NotContains(t, err.Error(), secret)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://odyssey.asteroid.ai":       "https://odyssey.asteroid.ai",
		"https://bob:hunter2@host:8443/x":   "https://xxxxx@host:8443/x",
		"https://token@host":                "https://xxxxx@host",
		"https://bob:p/a?s#s@host":          "https://xxxxx@host",
		"bob:hunter2@host":                  "xxxxx@host",
		"http://127.0.0.1:8484":             "http://127.0.0.1:8484",
		"https://bob:hunter2@host:badport/": "https://xxxxx@host:badport/",
	} {
		assert.Equal(t, want, RedactURL(in), in)
	}
}

func TestParseRefusesASecondDocument(t *testing.T) {
	_, err := Parse("c.yaml", []byte("theme: dusk\n---\ntheme: none\n"))
	require.Error(t, err)
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, `c.yaml:2: a second YAML document starts here; agentop reads only the first: merge the two or remove the "---"`, err.Error())

	_, err = Parse("c.yaml", []byte("theme: dusk\n---\nnotify: [\n"))
	assert.ErrorContains(t, err, "c.yaml:3: invalid YAML")

	for _, s := range []string{"---\ntheme: dusk\n", "theme: dusk\n---\n", "theme: dusk\n---\n# nothing\n", "theme: dusk\n...\n"} {
		f, err := Parse("c.yaml", []byte(s))
		require.NoError(t, err, s)
		assert.Equal(t, "dusk", f.Theme, s)
	}
}

func TestConfigFileReadIsBounded(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	done := make(chan error, 1)
	go func() {
		_, err := Load(Flags{ConfigPath: "/dev/zero"}, MapEnv(map[string]string{"HOME": t.TempDir()}))
		done <- err
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrConfig)
		assert.Contains(t, err.Error(), "config file /dev/zero is larger than 1 MiB")
	case <-time.After(10 * time.Second):
		t.Fatal("reading /dev/zero did not stop")
	}

	_, err := Load(Flags{ConfigPath: t.TempDir()}, MapEnv(map[string]string{"HOME": t.TempDir()}))
	assert.ErrorContains(t, err, "is a directory")
}

// TestKeyCommandRefusedFromFilesOthersCanWrite: the config file and its
// directories must be the user's (or root's) and writable by no one else,
// but for a sticky directory such as /tmp.
func TestKeyCommandRefusedFromFilesOthersCanWrite(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no owners and permission bits")
	}
	const content = "current-context: a\ncontexts:\n  a: {api-key-command: echo k}\n"
	resolve := func(t *testing.T, path string) error {
		t.Helper()
		c, err := Load(Flags{ConfigPath: path}, MapEnv(map[string]string{"HOME": t.TempDir()}))
		require.NoError(t, err)
		_, err = c.Key.Resolve(context.Background())
		return err
	}
	setup := func(t *testing.T, dirMode, fileMode os.FileMode) (dir, path string) {
		t.Helper()
		dir = filepath.Join(t.TempDir(), "cfg")
		require.NoError(t, os.Mkdir(dir, 0o700))
		path = filepath.Join(dir, "config.yaml")
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		require.NoError(t, os.Chmod(path, fileMode))
		require.NoError(t, os.Chmod(dir, dirMode))
		return dir, path
	}

	t.Run("private", func(t *testing.T) {
		_, path := setup(t, 0o700, 0o600)
		assert.NoError(t, resolve(t, path))
	})
	t.Run("group-writable file", func(t *testing.T) {
		_, path := setup(t, 0o700, 0o620)
		err := resolve(t, path)
		assert.ErrorIs(t, err, ErrNoKey)
		assert.EqualError(t, err, "refusing to run api-key-command: the config file is writable by other users (chmod go-w it)")
	})
	t.Run("world-writable directory", func(t *testing.T) {
		dir, path := setup(t, 0o777, 0o600)
		assert.EqualError(t, resolve(t, path), "refusing to run api-key-command: its directory "+dir+" is writable by other users (chmod go-w it)")
	})
	t.Run("sticky world-writable directory", func(t *testing.T) {
		_, path := setup(t, 0o777|os.ModeSticky, 0o600)
		assert.NoError(t, resolve(t, path))
	})
	t.Run("symlink into a world-writable directory", func(t *testing.T) {
		dir, target := setup(t, 0o777, 0o600)
		link := filepath.Join(t.TempDir(), "config.yaml")
		require.NoError(t, os.Symlink(target, link))
		real, err := filepath.EvalSymlinks(dir)
		require.NoError(t, err)
		assert.EqualError(t, resolve(t, link), "refusing to run api-key-command: its directory "+real+" is writable by other users (chmod go-w it)")
	})
	t.Run("another user's file", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("needs root to give the file away")
		}
		_, path := setup(t, 0o700, 0o600)
		require.NoError(t, os.Chown(path, 65534, 65534))
		assert.EqualError(t, resolve(t, path), "refusing to run api-key-command: the config file belongs to another user (uid 65534)")
	})
	t.Run("another user's directory", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("needs root to give the directory away")
		}
		dir, path := setup(t, 0o755, 0o600)
		require.NoError(t, os.Chown(dir, 65534, 65534))
		assert.EqualError(t, resolve(t, path), "refusing to run api-key-command: its directory "+dir+" belongs to another user (uid 65534)")
	})
}

// TestKeyCommandInterrupted: Ctrl-C while the command runs is an
// interruption (exit 130), not a missing key (exit 4).
func TestKeyCommandInterrupted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses /bin/sh")
	}
	env, _ := writeConfig(t, "current-context: a\ncontexts:\n  a: {api-key-command: sleep 30}\n")
	c, err := Load(Flags{}, MapEnv(env))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.Key.Resolve(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrNoKey)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestCommandsAndFiltersAreRead(t *testing.T) {
	f, err := Parse("c.yaml", []byte(`
commands:
  logs:
    key: L
    run: [sh, -c, "tool {{.ID}}"]
    interactive: true
  browse: {key: B, run: [open, "{{.URL}}"], safe: true, description: live view}
filters:
  Waiting: "status:paused"
`))
	require.NoError(t, err)
	require.Len(t, f.Commands, 2)
	assert.Equal(t, Command{Name: "browse", Key: "B", Run: []string{"open", "{{.URL}}"}, Description: "live view", Safe: true}, f.Commands[0])
	assert.True(t, f.Commands[1].Interactive)
	assert.Equal(t, map[string]string{"waiting": "status:paused"}, f.Filters)

	for _, bad := range []string{
		"commands: {x: {run: [a]}}",
		"commands: {x: {key: X}}",
		"commands: {x: {key: X, run: [\"{{.ID\"]}}",
		"commands: {x: {key: X, run: [a], shell: true}}",
		"filters: {a: [1]}",
	} {
		_, err := Parse("c.yaml", []byte(bad))
		assert.Error(t, err, bad)
	}
}
