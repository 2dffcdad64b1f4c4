package cli

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui/config"
)

// TestContextKeyNotSentToAnEnvBaseURL: with a context's key and a stray
// $ASTEROID_BASE_URL agentop refuses (exit 2) rather than send the key
// there; --base-url with the context is intent.
func TestContextKeyNotSentToAnEnvBaseURL(t *testing.T) {
	f := newFleet(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("current-context: prod\ncontexts:\n  prod:\n    base-url: https://prod.example.com\n    api-key-env: PROD_KEY\n"), 0o600))
	env := map[string]string{"HOME": t.TempDir(), config.EnvConfig: path, "PROD_KEY": testKey, envBaseURL: f.url}

	r := inv{env: env}.run(t, "agents", "list")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, `refusing to send the API key of context "prod" (contexts.prod.api-key-env) to `+f.url+", which comes from $ASTEROID_BASE_URL")
	assert.Contains(t, r.err, "pass --base-url to send the key there")
	assert.NotContains(t, r.err, testKey)

	r = inv{env: env}.run(t, "--base-url", f.url, "agents", "list")
	assert.Equal(t, 0, r.code, r)

	// The simulator's export line alone keeps working.
	r = inv{env: f.env(t)}.run(t, "agents", "list")
	assert.Equal(t, 0, r.code, r)
}

// TestBaseURLCredentialsNeverPrinted: a base URL with user-info is refused
// without being shown.
func TestBaseURLCredentialsNeverPrinted(t *testing.T) {
	for _, args := range [][]string{
		{"--base-url", "https://bob:hunter2@agents.example.com", "agents", "list"},
		{"--base-url", "https://bob:hunter2@agents.example.com", "config", "view"},
		{"--base-url", "https://bob:hunter2@agents.example.com:nope/", "agents", "list"},
	} {
		r := inv{env: map[string]string{"HOME": t.TempDir(), envAPIKey: testKey}}.run(t, args...)
		assert.Equal(t, exitUsage, r.code, r)
		assert.Contains(t, r.err, "must not contain user credentials (https://xxxxx@agents.example.com")
		assert.NotContains(t, r.out+r.err, "hunter2")
		assert.NotContains(t, r.out+r.err, "bob")
	}
	// Where the client builds the connection, the URL is shown redacted too.
	a := newApp(IO{Term: &fakeTerm{}}, config.MapEnv(nil))
	_, err := a.client(platform.MustLookup(platform.Default), platform.Options{BaseURL: "ftp://bob:hunter2@x", APIKey: testKey})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connect to ftp://xxxxx@x")
	assert.NotContains(t, err.Error(), "hunter2")
}

// TestInterruptedKeyCommandExits130: Ctrl-C while api-key-command runs is
// an interruption, not an authentication failure.
func TestInterruptedKeyCommandExits130(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses /bin/sh")
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("current-context: a\ncontexts:\n  a:\n    api-key-command: sleep 30\n"), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	r := inv{env: map[string]string{"HOME": t.TempDir(), config.EnvConfig: path}, ctx: ctx}.run(t, "agents", "list")
	assert.Equal(t, exitInterrupted, r.code, r)
	assert.Equal(t, "agentop: interrupted\n", r.err)
}
