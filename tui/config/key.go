package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// KeyCommandTimeout bounds an api-key-command.
const KeyCommandTimeout = 10 * time.Second

// maxKeyOutput bounds what an api-key-command may print.
const maxKeyOutput = 64 << 10

// ErrNoKey marks every failure to obtain an API key: none configured, an
// empty variable, a failing command. errors.Is(err, ErrNoKey) holds for them.
var ErrNoKey = errors.New("no API key")

// keyError is a failure to obtain the key. Its text never holds the key nor
// a command's output.
type keyError struct{ msg string }

func (e *keyError) Error() string        { return e.msg }
func (e *keyError) Is(target error) bool { return target == ErrNoKey }

func keyErrorf(format string, args ...any) error {
	return &keyError{fmt.Sprintf(format, args...)}
}

// Key says where the API key comes from, without holding it in a printable
// field. The zero Key means no key is configured.
type Key struct {
	Source  Source // SourceEnv or SourceFile; "" when no key is configured
	Origin  string // "$ASTEROID_API_KEY", "contexts.prod.api-key-command", …
	Env     string // the variable holding the key, when it comes from one
	Command string // the command printing the key, when it comes from one

	literal   string // a key written in the file
	env       Env    // to read Env at resolve time
	untrusted string // why the config file must not run Command; "" when it may
	refused   error  // why the key must not be used with the configured base URL
}

// resolveKey finds the key's source: the platform's variable (keyVar,
// $ASTEROID_API_KEY say), else the context's api-key-env, api-key-command or
// api-key. untrusted is why the config file must not run a command, if it
// must not.
func resolveKey(env Env, keyVar string, ctx Context, name, untrusted string) Key {
	in := "contexts." + name + "."
	switch {
	case env(keyVar) != "":
		return Key{Source: SourceEnv, Origin: "$" + keyVar, Env: keyVar, env: env}
	case ctx.APIKeyEnv != "":
		return Key{Source: SourceFile, Origin: in + "api-key-env", Env: ctx.APIKeyEnv, env: env}
	case ctx.APIKeyCommand != "":
		return Key{Source: SourceFile, Origin: in + "api-key-command", Command: ctx.APIKeyCommand, untrusted: untrusted}
	case ctx.APIKey != "":
		return Key{Source: SourceFile, Origin: in + "api-key", literal: ctx.APIKey}
	}
	return Key{}
}

// Configured reports whether any source of a key is configured (it may still
// fail to produce one).
func (k Key) Configured() bool { return k.Source != "" }

// Describe says where the key comes from without revealing it: "set (from
// $ASTEROID_API_KEY)", "not set", …, and when it will not be used.
func (k Key) Describe() string {
	if k.refused != nil {
		return k.source() + "; not used: a context's key only goes to the context's base URL"
	}
	return k.source()
}

// source is Describe without the refusal.
func (k Key) source() string {
	switch {
	case k.Env != "" && strings.TrimSpace(k.env(k.Env)) != "":
		return "set (from $" + k.Env + ")"
	case k.Env != "":
		return "not set ($" + k.Env + " is empty)"
	case k.Command != "":
		return "from the command `" + k.Command + "` (run when needed)"
	case k.literal != "":
		return "set (written in the config file)"
	}
	return "not set"
}

// String describes the key like Describe, so that formatting a Key never
// prints it.
func (k Key) String() string { return k.Describe() }

// GoString keeps %#v from printing the key.
func (k Key) GoString() string { return "config.Key{" + k.Describe() + "}" }

// Resolve returns the key: the variable's value, the command's first line of
// output, or the literal, trimmed. A context's key with a base URL that is
// not the context's is refused with an ErrConfig error (nothing is run);
// every other failure wraps ErrNoKey, or context.Canceled when ctx was
// cancelled while a command ran. No error holds the key or a command's
// output.
func (k Key) Resolve(ctx context.Context) (string, error) {
	switch {
	case k.refused != nil:
		return "", k.refused
	case k.Env != "":
		if v := strings.TrimSpace(k.env(k.Env)); v != "" {
			return v, nil
		}
		return "", keyErrorf("$%s is empty or unset (from %s)", k.Env, k.Origin)
	case k.Command != "":
		if k.untrusted != "" {
			return "", keyErrorf("refusing to run api-key-command: %s", k.untrusted)
		}
		return runKeyCommand(ctx, k.Command)
	case k.literal != "":
		return strings.TrimSpace(k.literal), nil
	}
	return "", ErrNoKey
}

// runKeyCommand runs command through the shell with a timeout and returns its
// first line of output, trimmed. The command's stdin is empty and its stderr
// is discarded; its output is never part of an error.
func runKeyCommand(ctx context.Context, command string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, KeyCommandTimeout)
	defer cancel()
	cmd := shell(ctx, command)
	var out capped
	cmd.Stdout = &out
	cmd.WaitDelay = time.Second // do not hang on a child that keeps stdout open
	err := cmd.Run()
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		// Ctrl-C: the caller gave up, which is no failure of the key.
		return "", fmt.Errorf("api-key-command %q interrupted: %w", command, context.Canceled)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "", keyErrorf("api-key-command %q did not finish within %s", command, KeyCommandTimeout)
	case err != nil:
		return "", keyErrorf("api-key-command %q failed: %s", command, commandFailure(err))
	}
	line, _, _ := strings.Cut(strings.TrimSpace(out.String()), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return "", keyErrorf("api-key-command %q printed nothing", command)
	}
	return line, nil
}

// commandFailure says why a command failed without quoting anything it
// printed.
func commandFailure(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ProcessState.String() // "exit status 1", "signal: killed"
	}
	var execErr *exec.Error
	if errors.As(err, &execErr) {
		return execErr.Err.Error()
	}
	return err.Error()
}

// shell returns the command run by the platform's shell.
func shell(ctx context.Context, command string) *exec.Cmd {
	if runtime.GOOS == "windows" {
		return exec.CommandContext(ctx, "cmd", "/C", command)
	}
	return exec.CommandContext(ctx, "/bin/sh", "-c", command)
}

// capped is a buffer that keeps at most maxKeyOutput bytes.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := maxKeyOutput - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
