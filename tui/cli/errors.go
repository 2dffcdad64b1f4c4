package cli

import (
	"github.com/agentop/agentop/api/platform"

	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/config"
	"github.com/agentop/agentop/tui/sanitize"
)

// Exit codes. 0–4 hold for every command; 5 and 6 are wait's.
const (
	exitOK          = 0   // success
	exitError       = 1   // the API or the network failed
	exitUsage       = 2   // bad flags or arguments, bad configuration, refused by --read-only
	exitNotFound    = 3   // the thing named does not exist
	exitAuth        = 4   // no credentials, or the platform refused them (401/403)
	exitEnded       = 5   // wait: the execution ended without what was awaited
	exitTimeout     = 6   // wait: --timeout passed first
	exitInterrupted = 130 // Ctrl-C
)

// codeError is an error that decides its own exit code.
type codeError struct {
	code int
	err  error
	help bool // point at the command's --help
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

// usageErrorf reports bad flags or arguments: exit code 2, with a pointer
// to the command's help.
func usageErrorf(format string, args ...any) error {
	return &codeError{code: exitUsage, err: fmt.Errorf(format, args...), help: true}
}

// withCode gives err an exit code.
func withCode(code int, err error) error { return &codeError{code: code, err: err} }

// opError says which operation failed: "get execution 7f3…: not found (HTTP 404): …".
type opError struct {
	what string
	err  error
}

// Error leaves out the HTTP route of an *api.Error: what already names the
// operation in the user's terms.
func (e *opError) Error() string {
	if ae, ok := e.err.(*api.Error); ok && ae.Op != "" {
		short := *ae
		short.Op = ""
		return e.what + ": " + short.Error()
	}
	return e.what + ": " + e.err.Error()
}

func (e *opError) Unwrap() error { return e.err }

// failed wraps err with the operation that failed; nil stays nil.
func failed(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &opError{what: fmt.Sprintf(format, args...), err: err}
}

// errNoCredentials is returned when a command needs the platform and no key
// is configured.
func errNoCredentials(spec platform.Spec, path string) error {
	return withCode(exitAuth, fmt.Errorf(
		"no API key: set %s (or a context with api-key-env / api-key-command in %s), or add --demo to use the built-in simulator of %s",
		spec.Env.APIKey, path, spec.Title))
}

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	var ce *codeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ce):
		return ce.code
	case errors.Is(err, config.ErrNoKey):
		return exitAuth
	case errors.Is(err, config.ErrConfig):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	switch api.KindOf(err) {
	case api.KindNotFound:
		return exitNotFound
	case api.KindUnauthorized, api.KindForbidden:
		return exitAuth
	case api.KindCanceled:
		return exitInterrupted
	case api.KindUnsupported:
		return exitUsage // the platform lacks the operation
	}
	return exitError
}

// unsupported is the error of a command the platform cannot do: exit code
// 2 and one clear line ("reply: moderately does not support this").
func unsupported(be api.Backend, command string) error {
	return withCode(exitUsage, fmt.Errorf("%s: %s does not support this", command, be.Platform()))
}

// errorLine is the one line printed for a failed command: sanitised (server
// text is untrusted) and with every secret in secrets blanked out.
func errorLine(err error, secrets ...string) string {
	msg := err.Error()
	if errors.Is(err, context.Canceled) && api.KindOf(err) == api.KindUnknown {
		msg = "interrupted"
	}
	msg = sanitize.Line(msg)
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return "agentop: " + msg
}
